/**
 * A Session with an idle timeout: when no frame was sent or received for `idleTimeoutMs`,
 * the connection is cut and the pending (and every later) `receive()`/`send()` rejects with
 * a TimeoutError. The underlying stream is closed directly, not through `session.close()`:
 * that one waits for earlier sends, and a send to a peer that stopped reading waits for
 * TCP's window forever, which is exactly the peer an idle timeout is for.
 */
import { type GssockError, TimeoutError } from '../core/errors.ts';
import type { ContextInfo, SecurityContext } from '../core/mechanism.ts';
import type { Session } from '../engine/session.ts';

/** setTimeout's largest delay; a longer idle timeout means none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class IdleSession implements Session {
  readonly #inner: Session;
  readonly #ms: number;
  readonly #cut: () => void;
  readonly #onIdle: () => void;
  #timer?: ReturnType<typeof setTimeout>;
  #error?: GssockError;
  #closed = false;

  /** `cut` closes the connection under the session; `onIdle` counts the event. */
  constructor(inner: Session, idleTimeoutMs: number, cut: () => void, onIdle: () => void) {
    this.#inner = inner;
    this.#ms = idleTimeoutMs;
    this.#cut = cut;
    this.#onIdle = onIdle;
    this.#arm();
  }

  get info(): ContextInfo {
    return this.#inner.info;
  }
  get context(): SecurityContext {
    return this.#inner.context;
  }

  /** The idle TimeoutError, once the session was cut for idleness. */
  get idleError(): GssockError | undefined {
    return this.#error;
  }

  async send(message: Uint8Array, options?: { confidential?: boolean }): Promise<void> {
    if (this.#error) throw this.#error;
    try {
      await this.#inner.send(message, options);
    } catch (e) {
      throw this.#error ?? e;
    }
    this.#arm();
  }

  async receive(): Promise<Uint8Array | null> {
    if (this.#error) throw this.#error;
    let message: Uint8Array | null;
    try {
      message = await this.#inner.receive();
    } catch (e) {
      throw this.#error ?? e;
    }
    if (this.#error) throw this.#error;
    this.#arm();
    return message;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const message = await this.receive();
      if (message === null) return;
      yield message;
    }
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#disarm();
    return this.#inner.close();
  }

  #arm(): void {
    this.#disarm();
    if (this.#closed || this.#error || !(this.#ms <= MAX_TIMER_MS)) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#error = new TimeoutError(`session idle for more than ${this.#ms} ms`);
      this.#onIdle();
      this.#cut();
    }, this.#ms);
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
