/**
 * Deno adapter: `Deno.Conn` as a ByteStream, plus `connectDeno` / `listenDeno`.
 *
 * - No-delay is set on every connection (`conn.setNoDelay(true)`).
 * - Reading is pull-based (`conn.read` only when `read()` is called), so a slow reader
 *   applies back-pressure through TCP by itself. Each read goes into a 64 KiB buffer; a
 *   read that filled a quarter of it or more is handed out as a view and the next read
 *   gets a new buffer, a smaller one is copied out so the buffer is reused (a small frame
 *   must not pin 64 KiB).
 * - `write()` loops until `conn.write` took every byte; writes are chained, so they keep
 *   call order even when not awaited.
 * - Reset / broken pipe map to CONNECTION_CLOSED (origin peer), other failures to IO_ERROR.
 *
 * The Deno types used are declared here (the project's tsc has no Deno lib).
 */
import { AbortedError, gssError } from '../../core/errors.ts';
import type { ByteStream, ConnectOptions, Listener, ListenOptions, StreamHandler } from '../channel.ts';
import { serveStream } from './serve.ts';
import {
  DEFAULT_LISTEN_HOST,
  closedLocally,
  formatAddress,
  isLocalCloseError,
  socketError,
  throwIfAborted,
} from './socket-errors.ts';

/** The part of `Deno.Conn` this adapter uses. */
export interface DenoConn {
  readonly remoteAddr: { hostname?: string; port?: number; transport?: string };
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  close(): void;
  setNoDelay?(noDelay?: boolean): void;
}

interface DenoListener {
  readonly addr: { port?: number };
  accept(): Promise<DenoConn>;
  close(): void;
}

interface DenoNamespace {
  connect(options: { hostname: string; port: number; transport?: 'tcp' }): Promise<DenoConn>;
  listen(options: { hostname: string; port: number; transport?: 'tcp' }): DenoListener;
}

function deno(): DenoNamespace {
  const d = (globalThis as { Deno?: DenoNamespace }).Deno;
  if (!d) throw gssError('NOT_SUPPORTED', 'the Deno adapter needs the Deno runtime');
  return d;
}

const READ_BUFFER_SIZE = 64 * 1024;
const KEEP_AS_VIEW = READ_BUFFER_SIZE / 4;

class DenoConnStream implements ByteStream {
  readonly remoteAddress: string | undefined;
  private buffer: Uint8Array | null = null;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly conn: DenoConn) {
    conn.setNoDelay?.(true);
    this.remoteAddress = formatAddress(conn.remoteAddr.hostname, conn.remoteAddr.port);
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.closed) return null;
      const buffer = this.buffer ?? new Uint8Array(READ_BUFFER_SIZE);
      this.buffer = buffer;
      let n: number | null;
      try {
        n = await this.conn.read(buffer);
      } catch (e) {
        if (this.closed || isLocalCloseError(e)) return null;
        throw socketError(e, 'read', this.remoteAddress);
      }
      if (n === null) return null;
      if (n === 0) continue;
      if (n >= KEEP_AS_VIEW) {
        this.buffer = null;
        return buffer.subarray(0, n);
      }
      return buffer.slice(0, n);
    }
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(closedLocally('write'));
    const done = this.writing.then(() => this.writeAll(bytes));
    this.writing = done.catch(() => undefined);
    return done;
  }

  private async writeAll(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      if (this.closed) throw closedLocally('write');
      try {
        at += await this.conn.write(at === 0 ? bytes : bytes.subarray(at));
      } catch (e) {
        if (this.closed) throw closedLocally('write');
        throw socketError(e, 'write', this.remoteAddress);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Let writes already handed to us finish (bounded), so close after send delivers it.
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([this.writing, new Promise((r) => (timer = setTimeout(r, 2000)))]);
    } finally {
      clearTimeout(timer); // no 2 s timer may outlive the stream
    }
    try {
      this.conn.close();
    } catch {
      // Already closed (BadResource): close() is idempotent.
    }
  }
}

/** A `Deno.Conn` (TCP or TLS) as a ByteStream. */
export function fromDenoConn(conn: DenoConn): ByteStream {
  return new DenoConnStream(conn);
}

/** Connects over TCP with `Deno.connect` and returns the ByteStream. */
export async function connectDeno(options: ConnectOptions): Promise<ByteStream> {
  const { host, port, signal } = options;
  throwIfAborted(signal, 'connect');
  const pending = deno().connect({ hostname: host, port, transport: 'tcp' });
  if (!signal) {
    try {
      return fromDenoConn(await pending);
    } catch (e) {
      throw socketError(e, 'connect', formatAddress(host, port));
    }
  }
  // Deno.connect takes no signal: race it, and close a connection that wins too late.
  return new Promise((resolve, reject) => {
    const onAbort = () =>
      reject(new AbortedError(`connect to ${formatAddress(host, port)} aborted`, { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (conn) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) conn.close();
        else resolve(fromDenoConn(conn));
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(socketError(e, 'connect', formatAddress(host, port)));
      },
    );
  });
}

/** Listens on TCP with `Deno.listen`; each accepted connection goes to `onStream`. */
export async function listenDeno(options: ListenOptions, onStream: StreamHandler): Promise<Listener> {
  let listener: DenoListener;
  try {
    listener = deno().listen({
      hostname: options.host ?? DEFAULT_LISTEN_HOST,
      port: options.port,
      transport: 'tcp',
    });
  } catch (e) {
    throw socketError(e, 'listen', formatAddress(options.host, options.port));
  }
  const open = new Set<ByteStream>();
  let stopped = false;
  const acceptLoop = (async () => {
    while (!stopped) {
      let conn: DenoConn;
      try {
        conn = await listener.accept();
      } catch (e) {
        if (stopped || isLocalCloseError(e)) return;
        continue; // A failed accept (e.g. EMFILE) must not stop the listener.
      }
      const stream = fromDenoConn(conn);
      open.add(stream);
      const tracked: ByteStream = {
        remoteAddress: stream.remoteAddress,
        read: () => stream.read(),
        write: (b) => stream.write(b),
        close: () => {
          open.delete(stream);
          return stream.close();
        },
      };
      serveStream(tracked, onStream, options.onError);
    }
  })();
  let closing: Promise<void> | null = null;
  return {
    port: listener.addr.port ?? options.port,
    close() {
      closing ??= (async () => {
        stopped = true;
        try {
          listener.close();
        } catch {
          // Already closed.
        }
        await acceptLoop;
        await Promise.all([...open].map((s) => s.close()));
        open.clear();
      })();
      return closing;
    },
  };
}
