/**
 * Web Streams adapter: a `{ readable, writable }` pair as a ByteStream. That is the shape
 * Cloudflare Workers' `connect()` returns, and Deno.Conn has `readable`/`writable` too.
 *
 * - Reading pulls one chunk per `read()` from the reader, so the stream's own queueing
 *   strategy applies back-pressure. Empty chunks are skipped; ArrayBuffer chunks are
 *   viewed as Uint8Array.
 * - `write()` awaits `writer.write()`, which settles when the sink took the chunk.
 * - `close()` closes the writable (FIN) and cancels the readable; idempotent. Reads
 *   after a local close return null.
 */
import { type GssockError, gssError } from '../../core/errors.ts';
import type { ByteStream } from '../channel.ts';
import { closedLocally, socketError } from './socket-errors.ts';

export interface WebStreamPair {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}

export interface WebStreamsOptions {
  /** Shown in transcripts and logs. */
  remoteAddress?: string;
}

class WebStreamsByteStream implements ByteStream {
  readonly remoteAddress: string | undefined;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private closing: Promise<void> | null = null;
  private reading = false;

  constructor(pair: WebStreamPair, options: WebStreamsOptions) {
    this.remoteAddress = options.remoteAddress;
    this.reader = pair.readable.getReader();
    this.writer = pair.writable.getWriter();
    // A failed writer rejects `closed`; we report errors from write() instead.
    this.writer.closed.catch(() => undefined);
  }

  async read(): Promise<Uint8Array | null> {
    if (this.reading) throw gssError('INVALID_STATE', 'concurrent read() on one byte stream');
    this.reading = true;
    try {
      for (;;) {
        if (this.closing) return null;
        let result: { done: boolean; value?: Uint8Array };
        try {
          result = await this.reader.read();
        } catch (e) {
          if (this.closing) return null;
          throw this.error(e, 'read');
        }
        if (result.done) return null;
        const value: unknown = result.value;
        const chunk =
          value instanceof Uint8Array
            ? value
            : value instanceof ArrayBuffer
              ? new Uint8Array(value)
              : ArrayBuffer.isView(value)
                ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
                : null;
        if (chunk === null) throw gssError('IO_ERROR', 'the readable stream produced a non-byte chunk');
        if (chunk.length > 0) return chunk;
      }
    } finally {
      this.reading = false;
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closing) throw closedLocally('write');
    try {
      await this.writer.write(bytes);
    } catch (e) {
      throw this.error(e, 'write');
    }
  }

  close(): Promise<void> {
    this.closing ??= Promise.allSettled([this.writer.close(), this.reader.cancel()]).then(() => undefined);
    return this.closing;
  }

  private error(e: unknown, op: string): GssockError {
    return socketError(e, op, this.remoteAddress);
  }
}

/** A Web Streams `{ readable, writable }` pair (Cloudflare `connect()`, Deno.Conn) as a ByteStream. */
export function fromWebStreams(pair: WebStreamPair, options: WebStreamsOptions = {}): ByteStream {
  return new WebStreamsByteStream(pair, options);
}
