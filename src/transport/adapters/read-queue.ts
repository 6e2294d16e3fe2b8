/**
 * The receive side shared by the push-style adapters (Node 'data' events, Bun's data
 * handler, the in-memory pair): chunks are queued as they arrive and handed out one per
 * `read()`. Back-pressure: once `highWaterMark` bytes wait unread the source is paused
 * (socket.pause(): the kernel buffers fill, TCP's window closes, the peer's writes
 * block) and resumed when the reader has taken the queue below the mark again.
 *
 * Order on the way out: queued chunks first, then the end (`null`) or the error. Only
 * one `read()` may wait at a time (a second concurrent one is INVALID_STATE).
 */
import { type GssockError, gssError } from '../../core/errors.ts';

/** Default bytes queued unread before the source is paused. */
export const DEFAULT_HIGH_WATER_MARK = 256 * 1024;

export interface FlowControl {
  pause(): void;
  resume(): void;
}

interface Waiter {
  resolve(chunk: Uint8Array | null): void;
  reject(error: GssockError): void;
}

export class ReadQueue {
  private chunks: Uint8Array[] = [];
  private head = 0;
  private bytes = 0;
  private waiter: Waiter | null = null;
  private ended = false;
  private error: GssockError | null = null;
  private paused = false;

  constructor(
    private readonly flow: FlowControl,
    private readonly highWaterMark = DEFAULT_HIGH_WATER_MARK,
  ) {}

  /** Bytes received and not yet read. */
  get queuedBytes(): number {
    return this.bytes;
  }

  /** Whether the source is paused because the reader is behind. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Whether end or an error was recorded. */
  get done(): boolean {
    return this.ended || this.error !== null;
  }

  push(chunk: Uint8Array): void {
    if (this.done || chunk.length === 0) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve(chunk);
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (!this.paused && this.bytes >= this.highWaterMark) {
      this.paused = true;
      this.flow.pause();
    }
  }

  /** The source ended cleanly: `read()` returns the queued chunks, then null. */
  end(): void {
    if (this.done) return;
    this.ended = true;
    this.settleWaiter();
  }

  /** The source failed: `read()` returns the queued chunks, then rejects. */
  fail(error: GssockError): void {
    if (this.done) return;
    this.error = error;
    this.settleWaiter();
  }

  /** Drops what is queued and ends (a local close). */
  discard(): void {
    this.chunks = [];
    this.head = 0;
    this.bytes = 0;
    this.error = null;
    this.ended = true;
    this.settleWaiter();
  }

  read(): Promise<Uint8Array | null> {
    if (this.head < this.chunks.length) {
      const chunk = this.chunks[this.head]!;
      this.chunks[this.head++] = EMPTY;
      if (this.head === this.chunks.length) {
        this.chunks = [];
        this.head = 0;
      }
      this.bytes -= chunk.length;
      if (this.paused && this.bytes < this.highWaterMark && !this.done) {
        this.paused = false;
        this.flow.resume();
      }
      return Promise.resolve(chunk);
    }
    if (this.error) return Promise.reject(this.error);
    if (this.ended) return Promise.resolve(null);
    if (this.waiter) return Promise.reject(gssError('INVALID_STATE', 'concurrent read() on one byte stream'));
    if (this.paused) {
      this.paused = false;
      this.flow.resume();
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private settleWaiter(): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = null;
    if (this.error) w.reject(this.error);
    else w.resolve(null);
  }
}

const EMPTY = new Uint8Array(0);
