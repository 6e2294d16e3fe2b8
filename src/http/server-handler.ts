/**
 * `negotiateHandler(handler, { mechanism })`: HTTP Negotiate (RFC 4559) in front of any
 * Fetch-API handler (Request -> Response): Deno.serve, Bun.serve, Hono-style routers, and
 * node:http through ./node.ts.
 *
 *   request without `Authorization: Negotiate`  -> 401, WWW-Authenticate: Negotiate
 *   token, context not done                     -> 401, WWW-Authenticate: Negotiate <next>
 *   token, context done                         -> handler(request, auth); its response
 *                                                  gets WWW-Authenticate: Negotiate <final>
 *                                                  when the mechanism has a last token
 *                                                  (the SPNEGO accept-completed / AP-REP)
 *   bad token or failed authentication          -> 401 plain challenge, state dropped
 *
 * Multi-leg exchanges (NTLM, SPNEGO with a MIC round, the mock) are connection-bound
 * (RFC 4559 §4.4, as IIS does): the pending context is found again by the connection key
 * the adapter passes (`connection.key`), or by the exchange id the 401 carried in
 * EXCHANGE_ID_HEADER and negotiateFetch echoes (fetch pools may switch connections). An
 * id only resumes an exchange: the next token must still verify. Pending contexts are
 * capped (`maxPending`) and expire (`pendingTtlMs`).
 */
import { type GssockError, toGssockError } from '../core/errors.ts';
import { type ContextFlags, Flags } from '../core/flags.ts';
import { toHex } from '../core/bytes.ts';
import type { ContextInfo, Mechanism, RandomSource, SecurityContext } from '../core/mechanism.ts';
import { defaultRandom } from '../core/random.ts';
import { enforceRequiredFlags } from '../engine/establish.ts';
import { formatNegotiateHeader, parseNegotiateHeader } from './negotiate-header.ts';

export interface NegotiateAuth {
  /** The established context's facts: peerName is the authenticated client. */
  info: ContextInfo;
}

/** What an adapter knows about the connection a request came on. */
export interface ConnectionInfo {
  /** Stable for the connection's lifetime (a socket object, or "address:port"). */
  key: unknown;
}

export type AuthenticatedHandler = (request: Request, auth: NegotiateAuth) => Response | Promise<Response>;
export type FetchHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

export interface NegotiateHandlerOptions {
  /** The acceptor mechanism (negotiate(...), kerberos(...), ...). */
  mechanism: Mechanism;
  /** Passed as ContextOptions.acceptorName (e.g. 'HTTP@www.example.com'). */
  acceptorName?: string;
  /** Flags the client must be granted (e.g. Flags.REPLAY); MUTUAL is the client's business. */
  requiredFlags?: ContextFlags;
  /** Most half-done exchanges kept at once (default 1000); the oldest is dropped. */
  maxPending?: number;
  /** A half-done exchange is forgotten after this many ms (default 60000). */
  pendingTtlMs?: number;
  /** Called with each failed authentication (for logs; never given secrets). */
  onError?: (error: GssockError, request: Request) => void;
  /** Injected clock for the TTL. */
  clock?: () => number;
  /** Injected randomness for exchange ids. */
  random?: RandomSource;
}

interface Pending {
  context: SecurityContext;
  expires: number;
  connection: unknown;
}

/**
 * Response/request header naming a half-done exchange. Fetch clients pool connections and
 * may send the next leg on another one (undici does), so negotiateFetch echoes this id;
 * clients that keep the connection (curl, browsers) are found by connection key as well.
 */
export const EXCHANGE_ID_HEADER = 'gssock-negotiate-exchange';

/** Wraps `handler` so it only runs for requests that authenticated through Negotiate. */
export function negotiateHandler(
  handler: AuthenticatedHandler,
  options: NegotiateHandlerOptions,
): FetchHandler {
  const maxPending = options.maxPending ?? 1000;
  const ttl = options.pendingTtlMs ?? 60_000;
  const clock = options.clock ?? (() => Date.now());
  const random = options.random ?? defaultRandom;
  const pending = new Map<string, Pending>();
  const byConnection = new Map<unknown, string>();

  const forget = (id: string) => {
    const p = pending.get(id);
    if (!p) return undefined;
    pending.delete(id);
    if (p.connection !== undefined && byConnection.get(p.connection) === id)
      byConnection.delete(p.connection);
    return p;
  };
  const take = (request: Request, key: unknown): SecurityContext | undefined => {
    const claimed = request.headers.get(EXCHANGE_ID_HEADER);
    const id =
      claimed !== null && pending.has(claimed)
        ? claimed
        : key === undefined
          ? undefined
          : byConnection.get(key);
    const p = id === undefined ? undefined : forget(id);
    if (p && p.expires <= clock()) {
      p.context.dispose();
      return undefined;
    }
    return p?.context;
  };
  const keep = (key: unknown, context: SecurityContext): string => {
    const now = clock();
    for (const [id, p] of pending) {
      if (p.expires > now && pending.size < maxPending) break;
      forget(id);
      p.context.dispose();
    }
    const id = toHex(random(16));
    pending.set(id, { context, expires: now + ttl, connection: key });
    if (key !== undefined) byConnection.set(key, id);
    return id;
  };

  return async (request, connection) => {
    const key = connection?.key;
    let context: SecurityContext | undefined;
    let info: ContextInfo;
    let finalToken: Uint8Array | undefined;
    try {
      const header = parseNegotiateHeader(request.headers.get('authorization'));
      if (!header?.token) {
        take(request, key)?.dispose();
        return challenge();
      }
      context = take(request, key);
      context ??= await options.mechanism.createContext('acceptor', {
        ...(options.acceptorName !== undefined ? { acceptorName: options.acceptorName } : {}),
      });
      const r = await context.step(header.token);
      if (!r.done) {
        const id = keep(key, context);
        context = undefined;
        return challenge(r.outputToken, id);
      }
      info = context.info();
      enforceRequiredFlags(info.flags, (options.requiredFlags ?? 0) & ~Flags.MUTUAL);
      finalToken = r.outputToken;
    } catch (e) {
      options.onError?.(toGssockError(e), request);
      return challenge();
    } finally {
      context?.dispose();
    }
    // The application's own errors are not authentication failures: let them through.
    const response = await handler(request, { info });
    return finalToken ? withHeader(response, formatNegotiateHeader(finalToken)) : response;
  };
}

function challenge(token?: Uint8Array, exchangeId?: string): Response {
  const headers = new Headers({
    'www-authenticate': formatNegotiateHeader(token),
    'content-type': 'text/plain',
  });
  if (exchangeId !== undefined) headers.set(EXCHANGE_ID_HEADER, exchangeId);
  return new Response('Unauthorized\n', { status: 401, headers });
}

/** Adds WWW-Authenticate to a response whose headers may be immutable. */
function withHeader(response: Response, value: string): Response {
  try {
    response.headers.append('www-authenticate', value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.append('www-authenticate', value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
