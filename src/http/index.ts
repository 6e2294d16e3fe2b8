/**
 * gssock/http: HTTP Negotiate (RFC 4559) for any gssock mechanism.
 * - negotiateFetch: a fetch() that answers `WWW-Authenticate: Negotiate`, multi-leg, fail closed;
 * - negotiateHandler: authenticates requests in front of any Fetch-API handler;
 * - forDenoServe / forBunServe: connection keys for Deno.serve / Bun.serve;
 *   node:http is in 'gssock/http/node' (toNodeListener).
 */
export { type NegotiateFetchOptions, negotiateFetch } from './fetch-client.ts';
export {
  formatNegotiateHeader,
  fromBase64,
  MAX_HEADER_TOKEN,
  type NegotiateChallenge,
  parseNegotiateHeader,
  toBase64,
} from './negotiate-header.ts';
export { type BunServerLike, type DenoServeInfo, forBunServe, forDenoServe } from './runtimes.ts';
export {
  type AuthenticatedHandler,
  EXCHANGE_ID_HEADER,
  type ConnectionInfo,
  type FetchHandler,
  type NegotiateAuth,
  type NegotiateHandlerOptions,
  negotiateHandler,
} from './server-handler.ts';
