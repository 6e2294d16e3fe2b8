/**
 * gssock/server: an authenticated TCP server with limits on Node, Deno and Bun.
 * serve.ts (the server), limits.ts (every limit and its default), admission.ts (the
 * bounded handshake queue), idle-session.ts (idle timeout), stats.ts (counters).
 */
export { HandshakeGate } from './admission.ts';
export { IdleSession } from './idle-session.ts';
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_LIMITS,
  DEFAULT_REPLAY_CACHE_ENTRIES,
  resolveLimits,
  type ServerLimits,
} from './limits.ts';
export { type ConnectionInfo, type ConnectionPhase, type ServeOptions, type Server, serve } from './serve.ts';
export type { ServerStats } from './stats.ts';
