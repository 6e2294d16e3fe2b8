/**
 * Test helpers for the engine and mock tests: connected frame channels over the real
 * in-memory transport, a channel wrapper that counts and tampers, a scripted mechanism for
 * handshake shapes the mock does not have (Kerberos-like AP-REP with done) and a timer
 * tracker. The deterministic random source is src/testing's seededRandom.
 */
import { gssError } from '../../src/core/errors.ts';
import type {
  ContextInfo,
  Mechanism,
  Role,
  SecurityContext,
  StepResult,
  UnwrapResult,
} from '../../src/core/mechanism.ts';
import { memoryPair } from '../../src/transport/adapters/memory.ts';
import type { Frame, FrameChannel, FrameCodec } from '../../src/transport/channel.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/index.ts';

/** Two FrameChannels joined by the in-memory byte-stream pair. */
export function channelPair(codec: FrameCodec = u32be()): [FrameChannel, FrameChannel] {
  const [a, b] = memoryPair();
  return [frameChannel(a, codec), frameChannel(b, codec)];
}

/**
 * Wraps a channel: counts calls, remembers frames, and can rewrite what it sends
 * (a man in the middle on the sending side).
 */
export class SpyChannel implements FrameChannel {
  readonly inner: FrameChannel;
  sends = 0;
  receives = 0;
  closes = 0;
  readonly sent: Frame[] = [];
  readonly received: Frame[] = [];
  /** Returns the frames to put on the wire instead of `frame` (none, one, several). */
  rewrite?: (frame: Frame, index: number) => Frame[];

  constructor(inner: FrameChannel) {
    this.inner = inner;
  }
  get codec(): FrameCodec {
    return this.inner.codec;
  }
  async send(frame: Frame): Promise<void> {
    const index = this.sends++;
    this.sent.push({ flags: frame.flags, body: frame.body.slice() });
    for (const f of this.rewrite ? this.rewrite(frame, index) : [frame]) await this.inner.send(f);
  }
  async receive(): Promise<Frame | null> {
    this.receives++;
    const f = await this.inner.receive();
    if (f) this.received.push(f);
    return f;
  }
  close(): Promise<void> {
    this.closes++;
    return this.inner.close();
  }
}

export interface ScriptedStep {
  output?: Uint8Array;
  done: boolean;
  /** Throw this instead of returning. */
  throws?: unknown;
}

/**
 * A context that plays a fixed list of step results, recording its inputs. It checks the
 * engine against mechanism.ts: step(null) first on an initiator, never a step after done.
 */
export class ScriptedContext implements SecurityContext {
  readonly mechanism = 'scripted';
  readonly role: Role;
  readonly inputs: Array<Uint8Array | null> = [];
  readonly #script: Array<ScriptedStep | (() => unknown)>;
  readonly #flags: number;
  #done = false;
  disposed = false;

  constructor(role: Role, script: Array<ScriptedStep | (() => unknown)>, flags = 0) {
    this.role = role;
    this.#script = script;
    this.#flags = flags;
  }
  get established(): boolean {
    return this.#done;
  }
  step(input: Uint8Array | null): StepResult {
    if (this.#done) throw gssError('INVALID_STATE', 'scripted: step after done');
    if (this.disposed) throw gssError('INVALID_STATE', 'scripted: disposed');
    this.inputs.push(input === null ? null : input.slice());
    const next = this.#script.shift();
    if (next === undefined) throw gssError('INVALID_STATE', 'scripted: script exhausted');
    if (typeof next === 'function') return next() as StepResult;
    if (next.throws !== undefined) throw next.throws;
    if (next.done) this.#done = true;
    return next.output ? { outputToken: next.output, done: next.done } : { done: next.done };
  }
  info(): ContextInfo {
    if (!this.#done) throw gssError('INVALID_STATE', 'scripted: not established');
    return {
      mechanism: 'scripted',
      mechanismOid: '1.3.6.1.4.1.32473.99',
      flags: this.#flags,
      peerName: 'peer',
      localName: 'me',
    };
  }
  wrap(message: Uint8Array): Uint8Array {
    return message.slice();
  }
  unwrap(token: Uint8Array): UnwrapResult {
    return { message: token.slice(), confidential: false, qop: 0 };
  }
  getMic(): Uint8Array {
    return new Uint8Array(1);
  }
  verifyMic(): void {}
  dispose(): void {
    this.disposed = true;
  }
}

export const bytes = (...values: number[]) => new Uint8Array(values);

/**
 * Counts live timers by wrapping the global setTimeout/clearTimeout for the duration of a
 * test: `live()` is created minus fired minus cleared. Restore in a finally.
 */
export function trackTimers(): { live(): number; restore(): void } {
  const g = globalThis as unknown as {
    setTimeout: (fn: () => void, ms?: number) => unknown;
    clearTimeout: (t: unknown) => void;
  };
  const realSet = g.setTimeout;
  const realClear = g.clearTimeout;
  const live = new Set<unknown>();
  g.setTimeout = (fn: () => void, ms?: number) => {
    const handle: unknown = realSet(() => {
      live.delete(handle);
      fn();
    }, ms);
    live.add(handle);
    return handle;
  };
  g.clearTimeout = (t: unknown) => {
    live.delete(t);
    realClear(t);
  };
  return {
    live: () => live.size,
    restore() {
      g.setTimeout = realSet;
      g.clearTimeout = realClear;
    },
  };
}

/** A mechanism that hands out prepared contexts (for initiate()/accept() with scripts). */
export function mechanismOf(make: (role: Role) => SecurityContext): Mechanism {
  return { name: 'scripted', oid: '1.3.6.1.4.1.32473.99', createContext: (role) => make(role) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
