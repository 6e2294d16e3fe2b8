/**
 * The two seams between the engine and the bytes on the wire.
 *
 * - A `ByteStream` is what a runtime adapter makes of a socket (Node net.Socket,
 *   Deno.Conn, Bun socket, Web Streams pair, in-memory pair): ordered bytes, both ways.
 * - A `FrameCodec` turns a byte stream into frames and back (length prefixes, the MIT
 *   gss-sample protocol's flag byte + length, SASL buffers).
 * - A `FrameChannel` is the two joined: whole frames in and out. The engine only ever
 *   sees a FrameChannel; it never parses a header, and a transport never parses a token.
 */

import type { GssockError } from '../core/errors.ts';

/** One frame. `flags` is the MIT gss-sample flag byte; 0 for codecs without flags. */
export interface Frame {
  flags: number;
  body: Uint8Array;
}

export interface FrameDecoderOptions {
  /** Largest body accepted; checked on the header before anything is allocated. */
  maxFrameSize?: number;
}

/** Incremental decoder: push chunks of any size in, take whole frames out. */
export interface FrameDecoder {
  /** Adds received bytes. Throws FrameTooLargeError (or a PROTOCOL_ERROR) on a bad header. */
  push(chunk: Uint8Array): void;
  /** The next whole frame, or undefined if more bytes are needed. Bodies that lie inside
   *  one pushed chunk are zero-copy views into it: consume them before reusing the chunk. */
  next(): Frame | undefined;
  /** Declares the end of the stream: throws TruncatedStreamError if inside a frame. */
  finish(): void;
  /** Bytes held that do not yet make a whole frame. */
  readonly buffered: number;
}

export interface FrameCodec {
  readonly name: string;
  /** Whether frames carry a flag byte (gss-sample). */
  readonly hasFlags: boolean;
  /** Whether an empty body can be sent. The Microsoft samples' SendMsg never sends one. */
  readonly sendsEmpty: boolean;
  /** Header and body in ONE buffer, so a frame is one write (no Nagle stalls). */
  encode(frame: Frame): Uint8Array;
  createDecoder(options?: FrameDecoderOptions): FrameDecoder;
}

/** Ordered bytes both ways: what a runtime adapter makes of a socket. */
export interface ByteStream {
  /** The next chunk, or null at end of stream. */
  read(): Promise<Uint8Array | null>;
  /** Resolves when the bytes are handed to the OS (back-pressure respected). */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes both directions; idempotent. */
  close(): Promise<void>;
  /** Human-readable peer address, for transcripts and logs. */
  readonly remoteAddress?: string;
}

/** Whole frames both ways. */
export interface FrameChannel {
  send(frame: Frame): Promise<void>;
  /** The next frame, or null on a clean end of stream between frames. */
  receive(): Promise<Frame | null>;
  close(): Promise<void>;
  readonly codec: FrameCodec;
  readonly remoteAddress?: string;
}

/** Where to connect (runtime adapters and `auto`). */
export interface ConnectOptions {
  host: string;
  port: number;
  /** Aborts the connection attempt (AbortedError). */
  signal?: AbortSignal;
}

/** Where to listen (runtime adapters and `auto`). */
export interface ListenOptions {
  /** Interface to bind; default '127.0.0.1' (loopback: exposing a service is a choice). */
  host?: string;
  /** Port to bind; 0 picks a free one (read it back from `Listener.port`). */
  port: number;
  /** Told about errors thrown by the stream handler (the stream is closed either way). */
  onError?: (error: GssockError) => void;
}

/**
 * Called with each accepted connection. If it returns a promise, the listener closes the
 * stream when the promise settles; if it throws or rejects, the stream is closed and the
 * error goes to `ListenOptions.onError`; if it returns nothing, it owns the stream.
 */
export type StreamHandler = (stream: ByteStream) => void | Promise<void>;

/** A listening socket, the same shape on every runtime. */
export interface Listener {
  /** The bound port (useful after listening on port 0). */
  readonly port: number;
  /** Stops accepting and closes every accepted connection still open; idempotent. */
  close(): Promise<void>;
}
