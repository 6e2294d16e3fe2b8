/**
 * Bun adapter: Bun's callback-based TCP sockets (`Bun.connect` / `Bun.listen`) as
 * ByteStreams.
 *
 * Bun takes the socket callbacks when the socket is created, so the adapter is a handler
 * object: `bunByteStreamHandler` (pass it as `socket:` to Bun.connect/Bun.listen) makes a
 * ByteStream for each socket in `open` and keeps it in `socket.data`; `fromBunSocket`
 * returns it. `connectBun` / `listenBun` do this for you.
 *
 * - No-delay is set in `open` (`socket.setNoDelay(true)`).
 * - Reading: data chunks are queued; past `highWaterMark` unread bytes the socket is
 *   paused (`socket.pause()`) until the reader catches up: back-pressure through TCP.
 * - Writing: `socket.write` may take only part of a buffer (it is unbuffered); the rest
 *   waits, in call order, and is written on `drain`. `write()` resolves once every byte
 *   of its buffer went to the kernel.
 * - `end` (peer FIN) is a clean end of stream; `close` with an error or without a FIN
 *   rejects a read with CONNECTION_CLOSED / IO_ERROR.
 */
import type { Socket, SocketHandler, TCPSocketListener } from 'bun';
import { type GssockError, gssError } from '../../core/errors.ts';
import type { ByteStream, ConnectOptions, Listener, ListenOptions, StreamHandler } from '../channel.ts';
import { DEFAULT_HIGH_WATER_MARK, ReadQueue } from './read-queue.ts';
import { serveStream } from './serve.ts';
import {
  DEFAULT_LISTEN_HOST,
  closedByPeer,
  closedLocally,
  formatAddress,
  socketError,
  throwIfAborted,
} from './socket-errors.ts';

interface PendingWrite {
  bytes: Uint8Array;
  offset: number;
  resolve(): void;
  reject(error: GssockError): void;
}

/** The ByteStream behind one Bun socket. */
export class BunSocketStream implements ByteStream {
  readonly remoteAddress: string | undefined;
  private readonly queue: ReadQueue;
  private pending: PendingWrite[] = [];
  private closing: Promise<void> | null = null;
  private resolveClosed: () => void = () => undefined;
  private readonly closed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(
    private readonly socket: Socket<BunSocketStream | undefined>,
    highWaterMark = DEFAULT_HIGH_WATER_MARK,
  ) {
    socket.setNoDelay(true);
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    this.queue = new ReadQueue({ pause: () => socket.pause(), resume: () => socket.resume() }, highWaterMark);
  }

  read(): Promise<Uint8Array | null> {
    return this.queue.read();
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closing) return Promise.reject(closedLocally('write'));
    if (this.queue.done && this.socket.readyState <= 0)
      return Promise.reject(closedByPeer('write', this.remoteAddress));
    if (this.pending.length === 0) {
      const n = this.socket.write(bytes);
      if (n === bytes.length) return Promise.resolve();
      if (n < 0) return Promise.reject(closedByPeer('write', this.remoteAddress));
      return new Promise((resolve, reject) => this.pending.push({ bytes, offset: n, resolve, reject }));
    }
    return new Promise((resolve, reject) => this.pending.push({ bytes, offset: 0, resolve, reject }));
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.queue.discard();
      this.failWrites(closedLocally('write'));
      this.socket.end();
      const timer = setTimeout(() => this.socket.terminate(), 2000);
      this.closing = this.closed.then(() => clearTimeout(timer));
    }
    return this.closing;
  }

  /** @internal handler callbacks */
  onData(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  onDrain(): void {
    while (this.pending.length > 0) {
      const p = this.pending[0]!;
      const n = this.socket.write(p.bytes.subarray(p.offset));
      if (n < 0) {
        this.failWrites(closedByPeer('write', this.remoteAddress));
        return;
      }
      p.offset += n;
      if (p.offset < p.bytes.length) return;
      this.pending.shift();
      p.resolve();
    }
  }

  onEnd(): void {
    this.queue.end();
  }

  onClose(error?: Error): void {
    const e = error
      ? socketError(error, 'read', this.remoteAddress)
      : closedByPeer('read', this.remoteAddress);
    this.queue.fail(e);
    this.failWrites(error ? socketError(error, 'write', this.remoteAddress) : closedByPeer('write'));
    this.resolveClosed();
  }

  onError(error: Error): void {
    this.queue.fail(socketError(error, 'read', this.remoteAddress));
  }

  private failWrites(error: GssockError): void {
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.reject(error);
  }
}

export interface BunStreamOptions {
  /** Bytes queued unread before the socket is paused (default 256 KiB). */
  highWaterMark?: number;
}

/**
 * Socket handlers that give every socket a ByteStream (in `socket.data`). `onOpen` is
 * called with it as soon as the socket is open (listeners use it to accept).
 */
export function bunByteStreamHandler(
  options: BunStreamOptions = {},
  onOpen?: (stream: BunSocketStream) => void,
): SocketHandler<BunSocketStream | undefined> {
  return {
    // Plain Uint8Array chunks, not Buffers (the types only describe the Buffer default).
    binaryType: 'uint8array',
    open(socket) {
      const stream = new BunSocketStream(socket, options.highWaterMark);
      socket.data = stream;
      onOpen?.(stream);
    },
    data: (socket, chunk) => socket.data?.onData(chunk),
    drain: (socket) => socket.data?.onDrain(),
    end: (socket) => socket.data?.onEnd(),
    close: (socket, error) => socket.data?.onClose(error),
    error: (socket, error) => socket.data?.onError(error),
  };
}

/** The ByteStream of a socket created with `bunByteStreamHandler`. */
export function fromBunSocket(socket: Socket<BunSocketStream | undefined>): ByteStream {
  if (!socket.data) throw gssError('INVALID_ARGUMENT', 'socket was not created with bunByteStreamHandler');
  return socket.data;
}

function bun(): typeof Bun {
  const b = (globalThis as { Bun?: typeof Bun }).Bun;
  if (!b) throw gssError('NOT_SUPPORTED', 'the Bun adapter needs the Bun runtime');
  return b;
}

/** Connects over TCP with `Bun.connect` and returns the ByteStream. */
export async function connectBun(options: ConnectOptions & BunStreamOptions): Promise<ByteStream> {
  const { host, port, signal } = options;
  throwIfAborted(signal, 'connect');
  let socket: Socket<BunSocketStream | undefined>;
  try {
    socket = await bun().connect<BunSocketStream | undefined>({
      hostname: host,
      port,
      data: undefined,
      socket: bunByteStreamHandler(options),
    });
  } catch (e) {
    throw socketError(e, 'connect', formatAddress(host, port));
  }
  if (signal?.aborted) {
    socket.terminate();
    throwIfAborted(signal, 'connect');
  }
  return fromBunSocket(socket);
}

/** Listens on TCP with `Bun.listen`; each accepted connection goes to `onStream`. */
export async function listenBun(
  options: ListenOptions & BunStreamOptions,
  onStream: StreamHandler,
): Promise<Listener> {
  const open = new Set<BunSocketStream>();
  let listener: TCPSocketListener<BunSocketStream | undefined>;
  const handler = bunByteStreamHandler(options, (stream) => {
    open.add(stream);
    serveStream(stream, onStream, options.onError);
  });
  const close = handler.close!;
  handler.close = (socket, error) => {
    if (socket.data) open.delete(socket.data);
    return close(socket, error);
  };
  try {
    listener = bun().listen<BunSocketStream | undefined>({
      hostname: options.host ?? DEFAULT_LISTEN_HOST,
      port: options.port,
      data: undefined,
      socket: handler,
    });
  } catch (e) {
    throw socketError(e, 'listen', formatAddress(options.host, options.port));
  }
  let closing: Promise<void> | null = null;
  return {
    port: listener.port,
    close() {
      closing ??= (async () => {
        listener.stop(false);
        await Promise.all([...open].map((s) => s.close()));
        open.clear();
      })();
      return closing;
    },
  };
}
