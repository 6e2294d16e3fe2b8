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
 * (RFC 4559 §4.4, as IIS does): the pending context is kept under the connection key the
 * adapter passes (`connection.key`); without one, only single-leg exchanges (Kerberos)
 * can work. Pending contexts are capped (`maxPending`) and expire (`pendingTtlMs`).
 */
import { type GssockError, toGssockError } from '../core/errors.ts';
import { type ContextFlags, Flags } from '../core/flags.ts';
import type { ContextInfo, Mechanism, SecurityContext } from '../core/mechanism.ts';
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
}

interface Pending {
  context: SecurityContext;
  expires: number;
}

/** Wraps `handler` so it only runs for requests that authenticated through Negotiate. */
export function negotiateHandler(
  handler: AuthenticatedHandler,
  options: NegotiateHandlerOptions,
): FetchHandler {
  const maxPending = options.maxPending ?? 1000;
  const ttl = options.pendingTtlMs ?? 60_000;
  const clock = options.clock ?? (() => Date.now());
  const pending = new Map<unknown, Pending>();

  const take = (key: unknown): SecurityContext | undefined => {
    if (key === undefined) return undefined;
    const p = pending.get(key);
    pending.delete(key);
    if (p && p.expires <= clock()) {
      p.context.dispose();
      return undefined;
    }
    return p?.context;
  };
  const keep = (key: unknown, context: SecurityContext) => {
    const now = clock();
    for (const [k, p] of pending) {
      if (p.expires > now && pending.size < maxPending) break;
      pending.delete(k);
      p.context.dispose();
    }
    pending.set(key, { context, expires: now + ttl });
  };

  return async (request, connection) => {
    const key = connection?.key;
    let context: SecurityContext | undefined;
    let info: ContextInfo;
    let finalToken: Uint8Array | undefined;
    try {
      const header = parseNegotiateHeader(request.headers.get('authorization'));
      if (!header?.token) {
        take(key)?.dispose();
        return challenge();
      }
      context = take(key);
      context ??= await options.mechanism.createContext('acceptor', {
        ...(options.acceptorName !== undefined ? { acceptorName: options.acceptorName } : {}),
      });
      const r = await context.step(header.token);
      if (!r.done) {
        // Without a connection key there is nowhere to keep the context for the next leg.
        if (key === undefined) context.dispose();
        else keep(key, context);
        context = undefined;
        return challenge(r.outputToken);
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

function challenge(token?: Uint8Array): Response {
  return new Response('Unauthorized\n', {
    status: 401,
    headers: { 'www-authenticate': formatNegotiateHeader(token), 'content-type': 'text/plain' },
  });
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
