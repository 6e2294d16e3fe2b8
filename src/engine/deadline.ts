/**
 * A handshake's deadline and abort signal as one object that every await is raced against.
 *
 * When the time runs out (TimeoutError) or the signal fires (AbortedError), `onExpire`
 * runs at once: the engine closes the channel and disposes the context there, which is the
 * only way to interrupt a receive that is waiting for a peer that went silent. `dispose()`
 * clears the timer and removes the abort listener, so nothing outlives the handshake.
 */
import { AbortedError, type GssockError, gssError, TimeoutError } from '../core/errors.ts';
import type { Awaitable } from '../core/mechanism.ts';

/** setTimeout's largest delay; longer ones fire at once on every runtime. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const noop = () => {};

export interface DeadlineOptions {
  /** Milliseconds; Infinity for none. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** What timed out, for the message ("handshake"). */
  what: string;
  onExpire: (error: GssockError) => void;
}

export class Deadline {
  #error?: GssockError;
  #reject: (e: GssockError) => void = noop;
  readonly #expired: Promise<never>;
  #timer?: ReturnType<typeof setTimeout>;
  readonly #signal?: AbortSignal;
  readonly #onAbort: () => void;
  readonly #onExpire: (error: GssockError) => void;

  constructor(o: DeadlineOptions) {
    if (!(typeof o.timeoutMs === 'number' && o.timeoutMs > 0)) {
      throw gssError('INVALID_ARGUMENT', `timeoutMs must be a positive number of milliseconds (or Infinity)`);
    }
    this.#onExpire = o.onExpire;
    this.#expired = new Promise<never>((_, reject) => {
      this.#reject = reject;
    });
    // Nobody may be racing at the moment it fires; the error is read through `error` then.
    this.#expired.catch(noop);
    this.#onAbort = () =>
      this.#fire(new AbortedError(`${o.what} aborted`, { cause: (o.signal as AbortSignal).reason }));
    if (o.signal) {
      this.#signal = o.signal;
      if (o.signal.aborted) this.#onAbort();
      else o.signal.addEventListener('abort', this.#onAbort, { once: true });
    }
    if (!this.#error && o.timeoutMs <= MAX_TIMER_MS) {
      const ms = o.timeoutMs;
      this.#timer = setTimeout(
        () => this.#fire(new TimeoutError(`${o.what} did not complete within ${ms} ms`)),
        ms,
      );
    }
  }

  /** The timeout or abort error, once one happened. */
  get error(): GssockError | undefined {
    return this.#error;
  }

  /** Throws the expiry error if the deadline already passed. */
  check(): void {
    if (this.#error) throw this.#error;
  }

  /** Resolves like `work`, or rejects as soon as the deadline passes. */
  race<T>(work: Awaitable<T>): Promise<T> {
    const p = Promise.resolve(work);
    // If the deadline wins, `work` may still reject later (a channel we closed): not unhandled.
    p.catch(noop);
    if (this.#error) return Promise.reject(this.#error);
    return Promise.race([p, this.#expired]);
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }

  #fire(error: GssockError): void {
    if (this.#error) return;
    this.#error = error;
    this.dispose();
    this.#reject(error);
    this.#onExpire(error);
  }
}
