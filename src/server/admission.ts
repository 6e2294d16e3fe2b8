/**
 * The handshake gate: at most `slots` handshakes run at once, at most `queueSize`
 * connections wait for one (first come, first served), and nobody waits longer than its
 * own deadline. A connection past the queue's bound is refused at once, so the server's
 * memory and timers stay bounded however many peers connect (never an unbounded queue).
 *
 * `enter(waitMs)` resolves with a release function once a slot is free; it rejects with
 * LIMIT_EXCEEDED when the queue is full, TimeoutError when `waitMs` passes first, and
 * AbortedError when the gate is shut. A slot given back goes straight to the first waiter.
 */
import { AbortedError, gssError, TimeoutError } from '../core/errors.ts';

interface Waiter {
  resolve(release: () => void): void;
  reject(error: Error): void;
  timer?: ReturnType<typeof setTimeout>;
}

/** setTimeout's largest delay; a longer wait has no timer (it ends with a slot or shut()). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class HandshakeGate {
  #free: number;
  readonly #queueSize: number;
  readonly #queue: Waiter[] = [];
  #shut = false;
  #peakActive = 0;
  #peakQueued = 0;
  readonly #slots: number;

  constructor(slots: number, queueSize: number) {
    this.#slots = slots;
    this.#free = slots;
    this.#queueSize = queueSize;
  }

  get active(): number {
    return this.#slots - this.#free;
  }
  get queued(): number {
    return this.#queue.length;
  }
  get peakActive(): number {
    return this.#peakActive;
  }
  get peakQueued(): number {
    return this.#peakQueued;
  }

  enter(waitMs: number): Promise<() => void> {
    if (this.#shut) return Promise.reject(new AbortedError('the server is closing'));
    if (this.#free > 0) {
      this.#free--;
      this.#peakActive = Math.max(this.#peakActive, this.active);
      return Promise.resolve(this.#releaser());
    }
    if (this.#queue.length >= this.#queueSize) {
      return Promise.reject(
        gssError(
          'LIMIT_EXCEEDED',
          `too many handshakes: ${this.#slots} running, ${this.#queueSize} waiting`,
          {
            details: { maxConcurrentHandshakes: this.#slots, maxQueuedHandshakes: this.#queueSize },
          },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (waitMs <= MAX_TIMER_MS) {
        waiter.timer = setTimeout(() => {
          const at = this.#queue.indexOf(waiter);
          if (at >= 0) this.#queue.splice(at, 1);
          reject(new TimeoutError(`no handshake slot within ${Math.round(waitMs)} ms`));
        }, waitMs);
      }
      this.#queue.push(waiter);
      this.#peakQueued = Math.max(this.#peakQueued, this.#queue.length);
    });
  }

  /** Rejects every waiter (AbortedError) and refuses new ones. Running handshakes keep their slots. */
  shut(): void {
    this.#shut = true;
    for (const w of this.#queue.splice(0)) {
      if (w.timer !== undefined) clearTimeout(w.timer);
      w.reject(new AbortedError('the server is closing'));
    }
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) {
        if (next.timer !== undefined) clearTimeout(next.timer);
        next.resolve(this.#releaser());
      } else this.#free++;
    };
  }
}
