/**
 * `openSession()`: application messages over an established context, one wrap token per
 * frame (the MIT gss-sample and SASL shape; RFC 2743 §2.3.3 GSS_Wrap / §2.3.4 GSS_Unwrap).
 *
 * - send: wrap (sealed unless `confidential: false`), then one frame. Sends are serialized,
 *   so sequence numbers go out in the order they were made even with an async wrap.
 * - receive: next frame, unwrap; null at a clean end of stream. Receives are serialized too.
 * - Messages larger than `maxMessageSize` are refused: LIMIT_EXCEEDED, origin local when
 *   sending, origin peer when received.
 * - A per-message failure (BAD_SIGNATURE, DUPLICATE_TOKEN, ...) is thrown to the caller and
 *   leaves the session open: the context's state decides what follows (GSS semantics).
 * - close(): waits for sends made before it (so a last message is not lost; a peer that
 *   never reads can hold it up under back-pressure), disposes the context (wiping keys),
 *   closes the channel. send()/receive() after close() -> INVALID_STATE.
 * - Async iteration yields messages until null. Leaving the loop early does not close the
 *   session; call close().
 */
import { gssError, toGssockError } from '../core/errors.ts';
import type { ContextInfo, SecurityContext } from '../core/mechanism.ts';
import type { FrameChannel } from '../transport/channel.ts';

/** Default largest application message: 16 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

export interface SessionOptions {
  /** Seal (encrypt) messages sent; default true. Integrity is always protected. */
  confidential?: boolean;
  /** Flag byte on message frames (gss-sample: DATA|WRAPPED|ENCRYPTED = 0x64); default 0. */
  frameFlags?: number;
  /** Largest message sent or accepted, in bytes; default 16 MiB. */
  maxMessageSize?: number;
  /** Refuse received messages that were not sealed (PROTOCOL_ERROR, origin peer); default false. */
  requireConfidential?: boolean;
}

export interface Session extends AsyncIterable<Uint8Array> {
  readonly info: ContextInfo;
  readonly context: SecurityContext;
  /** Wrap + one frame. */
  send(message: Uint8Array, options?: { confidential?: boolean }): Promise<void>;
  /** Unwrap the next frame; null at a clean end of stream. */
  receive(): Promise<Uint8Array | null>;
  /** Disposes the context too. Idempotent. */
  close(): Promise<void>;
}

const noop = () => {};

class FrameSession implements Session {
  readonly info: ContextInfo;
  readonly context: SecurityContext;
  readonly #channel: FrameChannel;
  readonly #confidential: boolean;
  readonly #frameFlags: number;
  readonly #maxMessageSize: number;
  readonly #requireConfidential: boolean;
  #sendTail: Promise<unknown> = Promise.resolve();
  #receiveTail: Promise<unknown> = Promise.resolve();
  #closed?: Promise<void>;

  constructor(
    est: { context: SecurityContext; info: ContextInfo },
    channel: FrameChannel,
    o: SessionOptions,
  ) {
    this.context = est.context;
    this.info = est.info;
    this.#channel = channel;
    this.#confidential = o.confidential ?? true;
    this.#frameFlags = o.frameFlags ?? 0;
    this.#maxMessageSize = o.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.#requireConfidential = o.requireConfidential ?? false;
    if (!(Number.isInteger(this.#maxMessageSize) && this.#maxMessageSize >= 0)) {
      throw gssError('INVALID_ARGUMENT', 'maxMessageSize must be a non-negative integer');
    }
  }

  send(message: Uint8Array, options: { confidential?: boolean } = {}): Promise<void> {
    // Checked at call time: a send made before close() still goes out (close waits for it).
    if (this.#closed) return Promise.reject(closedError());
    const result = this.#sendTail.then(() =>
      this.#sendOne(message, options.confidential ?? this.#confidential),
    );
    this.#sendTail = result.catch(noop);
    return result;
  }

  async #sendOne(message: Uint8Array, confidential: boolean): Promise<void> {
    if (!(message instanceof Uint8Array)) throw gssError('INVALID_ARGUMENT', 'send() takes a Uint8Array');
    if (message.length > this.#maxMessageSize) {
      throw gssError('LIMIT_EXCEEDED', `message of ${message.length} bytes exceeds ${this.#maxMessageSize}`, {
        details: { size: message.length, maximum: this.#maxMessageSize },
      });
    }
    const token = await mechanismCall(() => this.context.wrap(message, { confidential }));
    try {
      await this.#channel.send({ flags: this.#frameFlags, body: token });
    } catch (e) {
      throw toGssockError(e, 'IO_ERROR');
    }
  }

  receive(): Promise<Uint8Array | null> {
    if (this.#closed) return Promise.reject(closedError());
    const result = this.#receiveTail.then(() => this.#receiveOne());
    this.#receiveTail = result.catch(noop);
    return result;
  }

  async #receiveOne(): Promise<Uint8Array | null> {
    if (this.#closed) throw closedError();
    let frame: Awaited<ReturnType<FrameChannel['receive']>>;
    try {
      frame = await this.#channel.receive();
    } catch (e) {
      throw toGssockError(e, 'IO_ERROR');
    }
    if (frame === null) return null;
    const { message, confidential } = await mechanismCall(() => this.context.unwrap(frame.body));
    if (message.length > this.#maxMessageSize) {
      throw gssError(
        'LIMIT_EXCEEDED',
        `received message of ${message.length} bytes exceeds ${this.#maxMessageSize}`,
        {
          origin: 'peer',
          details: { size: message.length, maximum: this.#maxMessageSize },
        },
      );
    }
    if (this.#requireConfidential && !confidential) {
      throw gssError('PROTOCOL_ERROR', 'the peer sent a message that was not sealed', { origin: 'peer' });
    }
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
    this.#closed ??= (async () => {
      await this.#sendTail;
      try {
        this.context.dispose();
      } finally {
        await this.#channel.close().catch(noop);
      }
    })();
    return this.#closed;
  }
}

const closedError = () => gssError('INVALID_STATE', 'the session is closed');

async function mechanismCall<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw toGssockError(e, 'FAILURE');
  }
}

/** A Session over an established context (from establishContext) and its channel. */
export function openSession(
  est: { context: SecurityContext; info: ContextInfo },
  channel: FrameChannel,
  o: SessionOptions = {},
): Session {
  if (!est?.context?.established) {
    throw gssError('INVALID_STATE', 'openSession needs an established security context');
  }
  return new FrameSession(est, channel, o);
}
