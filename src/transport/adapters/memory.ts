/**
 * `memoryPair()`: two connected in-memory ByteStreams, for tests (ours and users').
 *
 * - Bytes written on one end are COPIED (as a wire would) and arrive on the other end,
 *   cut into pieces of at most `chunkSize` bytes if given, to exercise decoders on
 *   chunk boundaries.
 * - Back-pressure: `write()` resolves only once the peer has fewer than `highWaterMark`
 *   bytes waiting unread, like a kernel send buffer that filled up.
 * - `close()` on one end: its own reads return null; the peer reads what was already
 *   sent, then null (a clean end of stream); the peer's later writes reject with
 *   CONNECTION_CLOSED (origin peer). Our own later writes reject (origin local).
 */
import { gssError } from '../../core/errors.ts';
import type { ByteStream } from '../channel.ts';
import { ReadQueue } from './read-queue.ts';
import { closedByPeer, closedLocally } from './socket-errors.ts';

export interface MemoryPairOptions {
  /** Largest chunk a write is cut into on arrival (default: not cut). */
  chunkSize?: number;
  /** Bytes waiting unread at the peer before `write()` blocks (default 64 KiB). */
  highWaterMark?: number;
}

class MemoryEnd implements ByteStream {
  readonly remoteAddress = 'memory';
  peer!: MemoryEnd;
  readonly inbox: ReadQueue;
  closed = false;
  private drainWaiters: Array<() => void> = [];

  constructor(private readonly options: MemoryPairOptions) {
    this.inbox = new ReadQueue(
      // pause: nothing to do, writers check `isPaused`; resume: wake blocked writers.
      { pause: () => undefined, resume: () => this.wakeWriters() },
      options.highWaterMark ?? 64 * 1024,
    );
  }

  read(): Promise<Uint8Array | null> {
    return this.inbox.read();
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw closedLocally('write');
    const peer = this.peer;
    if (peer.closed) throw closedByPeer('write', 'memory');
    const copy = bytes.slice();
    const size = this.options.chunkSize ?? copy.length;
    for (let at = 0; at < copy.length; at += size) peer.inbox.push(copy.subarray(at, at + size));
    while (peer.inbox.isPaused) {
      await new Promise<void>((resolve) => peer.drainWaiters.push(resolve));
      if (this.closed) throw closedLocally('write');
      if (peer.closed) throw closedByPeer('write', 'memory');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.inbox.discard();
    this.wakeWriters();
    this.peer.inbox.end();
    this.peer.wakeWriters();
  }

  wakeWriters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}

/** Two connected in-memory byte streams. */
export function memoryPair(options: MemoryPairOptions = {}): [ByteStream, ByteStream] {
  if (options.chunkSize !== undefined && !(Number.isInteger(options.chunkSize) && options.chunkSize > 0))
    throw gssError('INVALID_ARGUMENT', 'chunkSize must be a positive integer');
  const a = new MemoryEnd(options);
  const b = new MemoryEnd(options);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
