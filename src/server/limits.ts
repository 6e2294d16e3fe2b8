/**
 * Every limit of an authenticated server, with its default, in ONE place.
 *
 * An authentication endpoint is the first thing an attacker reaches: each resource an
 * unauthenticated peer can make the server hold (a socket, a timer, a context, a buffer)
 * is bounded here, and a peer that goes past a bound loses its own connection, nobody
 * else's. The defaults are the engine's and the transport's own (referenced, not copied),
 * so a `serve()` with no `limits` behaves like `accept()` over `frameChannel()` does.
 *
 * | limit                      | default   | what happens past it                               |
 * |----------------------------|-----------|----------------------------------------------------|
 * | maxConcurrentHandshakes    | 256       | the connection waits in the queue                  |
 * | maxQueuedHandshakes        | 256       | the connection is closed at once (refused)         |
 * | maxConnections             | 4096      | refused at once (handshaking + queued + sessions)  |
 * | handshakeTimeoutMs         | 30 000    | TimeoutError, connection closed (queue time counts)|
 * | idleTimeoutMs              | 300 000   | TimeoutError, session closed (no frame either way) |
 * | maxFrameSize               | 1 MiB     | FrameTooLargeError before anything is allocated    |
 * | maxLegs                    | 16        | LIMIT_EXCEEDED                                     |
 * | maxMessageSize             | 16 MiB    | LIMIT_EXCEEDED (origin peer) for that message      |
 *
 * Worst-case memory an unauthenticated peer population can pin, at the defaults:
 * maxConcurrentHandshakes × maxFrameSize (a body buffer is allocated once its header
 * passed the size check) + (maxConcurrentHandshakes + maxQueuedHandshakes) × the adapters'
 * 256 KiB read high-water mark = 256 MiB + 128 MiB. Lower maxFrameSize (64 KiB fits any
 * Kerberos token with MaxTokenSize 65535) or the handshake counts to shrink it.
 *
 * The replay cache belongs to the Kerberos mechanism (`kerberos({ replayCache })`); its
 * bound is recorded here so SECURITY.md has one table: `DEFAULT_REPLAY_CACHE_ENTRIES`.
 */
import { gssError } from '../core/errors.ts';
import { REPLAY_CACHE_MAX_ENTRIES } from '../providers/kerberos/gss/replay-cache.ts';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, DEFAULT_MAX_LEGS } from '../engine/establish.ts';
import { DEFAULT_MAX_MESSAGE_SIZE } from '../engine/session.ts';
import { DEFAULT_MAX_FRAME_SIZE, MAX_U32 } from '../transport/framing/length-prefix.ts';

export interface ServerLimits {
  /** Handshakes running at once; more wait in the queue. */
  maxConcurrentHandshakes: number;
  /** Connections waiting for a handshake slot; more are closed at once (refused). */
  maxQueuedHandshakes: number;
  /** Connections open at once, whatever their phase; more are closed at once (refused). */
  maxConnections: number;
  /** From accept to established, queue wait included; Infinity for none. */
  handshakeTimeoutMs: number;
  /** Longest time an established session may pass without a frame sent or received; Infinity for none. */
  idleTimeoutMs: number;
  /** Largest frame body accepted (handshake tokens and wrapped messages). */
  maxFrameSize: number;
  /** Most handshake tokens, both directions counted. */
  maxLegs: number;
  /** Largest application message sent or accepted. */
  maxMessageSize: number;
}

/**
 * The default bound of the Kerberos acceptor's in-memory replay cache (memoryReplayCache):
 * about 120 MB when full; full of live entries it refuses new authenticators.
 */
export const DEFAULT_REPLAY_CACHE_ENTRIES = REPLAY_CACHE_MAX_ENTRIES;
/** Default idle timeout of an established session: five minutes. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;

export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  maxConcurrentHandshakes: 256,
  maxQueuedHandshakes: 256,
  maxConnections: 4096,
  handshakeTimeoutMs: DEFAULT_HANDSHAKE_TIMEOUT_MS,
  idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
  maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
  maxLegs: DEFAULT_MAX_LEGS,
  maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE,
});

type Check = (v: number) => boolean;
const count: Check = (v) => Number.isInteger(v) && v >= 0;
const positiveCount: Check = (v) => Number.isInteger(v) && v > 0;
const duration: Check = (v) => typeof v === 'number' && v > 0 && !Number.isNaN(v);

const CHECKS: Record<keyof ServerLimits, [Check, string]> = {
  maxConcurrentHandshakes: [positiveCount, 'a positive integer'],
  maxQueuedHandshakes: [count, 'a non-negative integer'],
  maxConnections: [positiveCount, 'a positive integer'],
  handshakeTimeoutMs: [duration, 'a positive number of milliseconds (or Infinity)'],
  idleTimeoutMs: [duration, 'a positive number of milliseconds (or Infinity)'],
  maxFrameSize: [(v) => count(v) && v <= MAX_U32, `an integer from 0 to ${MAX_U32}`],
  maxLegs: [positiveCount, 'a positive integer'],
  maxMessageSize: [count, 'a non-negative integer'],
};

/** The defaults overridden by `given`; INVALID_ARGUMENT for an unknown or out-of-range limit. */
export function resolveLimits(given: Partial<ServerLimits> = {}): ServerLimits {
  const out: ServerLimits = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const check = CHECKS[name as keyof ServerLimits];
    if (!check) throw gssError('INVALID_ARGUMENT', `unknown server limit '${name}'`);
    if (!check[0](value))
      throw gssError('INVALID_ARGUMENT', `limits.${name} must be ${check[1]}, got ${value}`);
    out[name as keyof ServerLimits] = value;
  }
  return out;
}
