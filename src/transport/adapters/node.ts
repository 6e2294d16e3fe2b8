/**
 * Node.js adapter: `net.Socket` / `tls.TLSSocket` as a ByteStream. Also runs on Deno and
 * Bun through their `node:net`.
 *
 * - No-delay is set: a frame is one write and must leave at once (no Nagle stall).
 * - Reading: 'data' chunks are queued (as plain Uint8Array views of Node's fresh read
 *   buffers, no copy) and the socket is paused once `highWaterMark` bytes wait unread,
 *   so a slow reader pushes back on the peer through TCP.
 * - Writing: `write()` resolves in the socket's write callback, i.e. when Node handed the
 *   bytes to the kernel; awaiting it is back-pressure. Writes keep call order.
 * - 'end' is a clean end of stream (`read()` -> null); 'error' or 'close' without 'end'
 *   reject a read with CONNECTION_CLOSED (peer went away) or IO_ERROR.
 * - `close()` ends our side after pending writes and destroys the socket; idempotent.
 *   Reads after a local close return null.
 */
import * as net from 'node:net';
import type * as tls from 'node:tls';
import { AbortedError } from '../../core/errors.ts';
import type { ByteStream, ConnectOptions, Listener, ListenOptions, StreamHandler } from '../channel.ts';
import { DEFAULT_HIGH_WATER_MARK, ReadQueue } from './read-queue.ts';
import {
  DEFAULT_LISTEN_HOST,
  closedByPeer,
  closedLocally,
  formatAddress,
  socketError,
  throwIfAborted,
} from './socket-errors.ts';
import { serveStream } from './serve.ts';

export interface NodeStreamOptions {
  /** Bytes queued unread before the socket is paused (default 256 KiB). */
  highWaterMark?: number;
}

class NodeSocketStream implements ByteStream {
  readonly remoteAddress: string | undefined;
  private readonly queue: ReadQueue;
  private closing: Promise<void> | null = null;
  private readonly closed: Promise<void>;

  constructor(
    private readonly socket: net.Socket,
    options: NodeStreamOptions,
  ) {
    socket.setNoDelay(true);
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    this.queue = new ReadQueue(
      { pause: () => socket.pause(), resume: () => socket.resume() },
      options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
    );
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (b: Uint8Array) =>
      this.queue.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
    );
    socket.on('end', () => this.queue.end());
    // Always listen for 'error': an unhandled one would crash the process.
    socket.on('error', (e) => this.queue.fail(socketError(e, 'read', this.remoteAddress)));
    socket.on('close', () => this.queue.fail(closedByPeer('read', this.remoteAddress)));
    if (socket.destroyed) this.queue.fail(closedByPeer('read', this.remoteAddress));
  }

  read(): Promise<Uint8Array | null> {
    return this.queue.read();
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closing) return Promise.reject(closedLocally('write'));
    if (this.socket.destroyed || !this.socket.writable)
      return Promise.reject(closedByPeer('write', this.remoteAddress));
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (error) => {
        if (error) reject(socketError(error, 'write', this.remoteAddress));
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.queue.discard();
      const socket = this.socket;
      if (socket.destroyed) this.closing = Promise.resolve();
      else {
        // end() flushes what was written, sends FIN; destroy once flushed (or at once if
        // the peer is gone), so close() never waits on a peer that does not read.
        socket.end(() => socket.destroy());
        const timer = setTimeout(() => socket.destroy(), 2000);
        this.closing = this.closed.then(() => clearTimeout(timer));
      }
    }
    return this.closing;
  }
}

/** A Node socket (net or tls, already connected) as a ByteStream. */
export function fromNodeSocket(
  socket: net.Socket | tls.TLSSocket,
  options: NodeStreamOptions = {},
): ByteStream {
  return new NodeSocketStream(socket, options);
}

/** Connects over TCP with `node:net` and returns the ByteStream. */
export async function connectNode(options: ConnectOptions & NodeStreamOptions): Promise<ByteStream> {
  const { host, port, signal } = options;
  throwIfAborted(signal, 'connect');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    const onAbort = () => {
      socket.destroy();
      reject(new AbortedError(`connect to ${formatAddress(host, port)} aborted`, { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      reject(socketError(e, 'connect', formatAddress(host, port)));
    });
    socket.once('connect', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(fromNodeSocket(socket, options));
    });
  });
}

/** Listens on TCP with `node:net`; each accepted connection goes to `onStream`. */
export function listenNode(
  options: ListenOptions & NodeStreamOptions,
  onStream: StreamHandler,
): Promise<Listener> {
  const open = new Set<ByteStream>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    const stream = fromNodeSocket(socket, options);
    open.add(stream);
    socket.once('close', () => open.delete(stream));
    serveStream(stream, onStream, options.onError);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(socketError(e, 'listen', formatAddress(options.host, options.port))));
    server.listen({ host: options.host ?? DEFAULT_LISTEN_HOST, port: options.port }, () => {
      server.removeAllListeners('error');
      server.on('error', () => undefined);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      let closing: Promise<void> | null = null;
      resolve({
        port,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const stream of open) void stream.close();
          });
          return closing;
        },
      });
    });
  });
}
