/**
 * Connection keys for Deno.serve and Bun.serve, so multi-leg Negotiate exchanges (NTLM,
 * SPNEGO with a MIC round) find their pending context again (RFC 4559 §4.4: the exchange
 * is bound to the connection). Structural types only: no Deno or Bun global is touched.
 *
 *   Deno.serve({ port }, forDenoServe(negotiateHandler(app, { mechanism })));
 *   Bun.serve({ port, fetch: forBunServe(negotiateHandler(app, { mechanism })) });
 */
import type { FetchHandler } from './server-handler.ts';

/** The part of Deno.ServeHandlerInfo used: the client's address and port. */
export interface DenoServeInfo {
  remoteAddr: { hostname?: string; port?: number; transport?: string };
}

/** A Deno.serve handler; the connection key is the client's "address:port". */
export function forDenoServe(
  handler: FetchHandler,
): (request: Request, info: DenoServeInfo) => Promise<Response> {
  return (request, info) => {
    const a = info?.remoteAddr;
    const key = a?.hostname !== undefined && a.port !== undefined ? `${a.hostname}:${a.port}` : undefined;
    return handler(request, key === undefined ? undefined : { key });
  };
}

/** The part of Bun's Server used: requestIP(request). */
export interface BunServerLike {
  requestIP(request: Request): { address: string; port: number } | null;
}

/** A Bun.serve fetch handler; the connection key is the client's "address:port". */
export function forBunServe(
  handler: FetchHandler,
): (request: Request, server: BunServerLike) => Promise<Response> {
  return (request, server) => {
    const ip = server?.requestIP?.(request);
    return handler(request, ip ? { key: `${ip.address}:${ip.port}` } : undefined);
  };
}
