/**
 * `negotiateFetch(input, init, { mechanism })`: fetch() with HTTP Negotiate (RFC 4559).
 *
 * 1. The request goes out as is (or, with `preemptive`, with the first token already).
 * 2. A 401 with `WWW-Authenticate: Negotiate [token]` starts or continues the exchange:
 *    the token goes to the initiator context and its next token is sent in
 *    `Authorization: Negotiate <token>` on a copy of the request; as many legs as the
 *    mechanism needs (NTLM and SPNEGO with a MIC take more than one), up to `maxLegs`.
 * 3. The final response may carry the acceptor's last token (Kerberos AP-REP, SPNEGO
 *    accept-completed) in WWW-Authenticate: it is verified before the response is handed
 *    back. Fail closed: when MUTUAL is required (the default whenever it is requested) and
 *    the server did not prove itself - no final token, or an NTLM outcome - the response
 *    is discarded and MutualAuthRequiredError thrown: its content came from a server whose
 *    identity is unproven.
 * The request body is buffered once (Request.clone) so each leg can resend it. The
 * previous response body is drained so keep-alive reuses the connection, which
 * connection-bound exchanges (NTLM) need.
 */
import { gssError, MutualAuthRequiredError, toGssockError } from '../core/errors.ts';
import { type ContextFlags, DEFAULT_FLAGS, Flags } from '../core/flags.ts';
import type { ChannelBindings, ContextInfo, Mechanism, SecurityContext } from '../core/mechanism.ts';
import { enforceRequiredFlags } from '../engine/establish.ts';
import { formatNegotiateHeader, parseNegotiateHeader } from './negotiate-header.ts';
import { EXCHANGE_ID_HEADER } from './server-handler.ts';

export interface NegotiateFetchOptions {
  /** The initiator mechanism (negotiate(...), kerberos(...), ...). */
  mechanism: Mechanism;
  /** Target name; default `HTTP@<host of the URL>` (RFC 4559 §4.1 uses the HTTP service). */
  target?: string;
  /** Requested flags; default DEFAULT_FLAGS (mutual + replay). */
  flags?: ContextFlags;
  /** Flags that must be granted; default `flags & MUTUAL` (fail closed on mutual). */
  requiredFlags?: ContextFlags;
  channelBindings?: ChannelBindings;
  /** Send the first token with the first request instead of waiting for a 401. Default false. */
  preemptive?: boolean;
  /** Most authentication round trips (default 8) -> LIMIT_EXCEEDED. */
  maxLegs?: number;
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Called once the server is authenticated (or the exchange ends without proof, when allowed). */
  onAuthenticated?: (info: ContextInfo) => void;
}

export async function negotiateFetch(
  input: string | URL | Request,
  init: RequestInit | undefined,
  options: NegotiateFetchOptions,
): Promise<Response> {
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw gssError('NOT_SUPPORTED', 'negotiateFetch: no fetch() available');
  const template = new Request(input, init);
  const flags = options.flags ?? DEFAULT_FLAGS;
  const required = options.requiredFlags ?? flags & Flags.MUTUAL;
  const maxLegs = options.maxLegs ?? 8;
  const target = options.target ?? `HTTP@${new URL(template.url).hostname}`;
  let context: SecurityContext | undefined;
  let exchangeId: string | null = null;
  const send = (token?: Uint8Array) => {
    const request = template.clone();
    const headers = new Headers(request.headers);
    if (token) headers.set('authorization', formatNegotiateHeader(token));
    if (token && exchangeId) headers.set(EXCHANGE_ID_HEADER, exchangeId);
    return doFetch(new Request(request, { headers })).catch((e: unknown) => {
      throw toGssockError(e, 'IO_ERROR');
    });
  };
  const start = async (): Promise<Uint8Array | undefined> => {
    context = await options.mechanism.createContext('initiator', {
      target,
      flags,
      ...(options.channelBindings ? { channelBindings: options.channelBindings } : {}),
    });
    return (await context.step(null)).outputToken;
  };

  try {
    let response = await send(options.preemptive ? await start() : undefined);
    for (let leg = 0; ; leg++) {
      const header = parseNegotiateHeader(response.headers.get('www-authenticate'));
      if (response.status === 401) {
        if (!header) return response; // Not a Negotiate server: the caller sees the 401.
        if (leg >= maxLegs)
          throw gssError('LIMIT_EXCEEDED', `negotiateFetch: more than ${maxLegs} authentication round trips`);
        exchangeId = response.headers.get(EXCHANGE_ID_HEADER);
        await drain(response);
        let token: Uint8Array | undefined;
        if (!context) token = await start();
        else {
          if (!header.token || context.established)
            throw gssError('LOGON_DENIED', 'negotiateFetch: the server refused the authentication', {
              origin: 'peer',
            });
          token = (await context.step(header.token)).outputToken;
        }
        if (!token)
          throw gssError(
            'PROTOCOL_ERROR',
            'negotiateFetch: the server wants a token the mechanism has not got',
          );
        response = await send(token);
        continue;
      }
      if (!context) return response; // No authentication asked for.
      if (header?.token && !context.established) await context.step(header.token);
      if (!context.established) {
        if (required & Flags.MUTUAL) {
          await response.body?.cancel().catch(() => {});
          throw new MutualAuthRequiredError(
            'negotiateFetch: the server sent no final token: its identity is unproven',
          );
        }
        return response;
      }
      const info = context.info();
      try {
        enforceRequiredFlags(info.flags, required);
      } catch (e) {
        await response.body?.cancel().catch(() => {});
        throw e;
      }
      options.onAuthenticated?.(info);
      return response;
    }
  } catch (e) {
    throw toGssockError(e, 'FAILURE');
  } finally {
    context?.dispose();
  }
}

/** Reads (a bounded amount of) a body we do not need, so keep-alive can reuse the connection. */
async function drain(response: Response, limit = 64 * 1024): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  try {
    for (let read = 0; read <= limit; ) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.length;
    }
    await reader.cancel();
  } catch {
    // A body that fails to arrive only costs us the connection.
  }
}
