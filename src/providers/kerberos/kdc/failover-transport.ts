/**
 * The KDC send policy, on top of a `KdcDialer` (one raw attempt per call), so the same
 * logic runs over real sockets (net-transport.ts) and over fakes in tests:
 *
 * 1. Each KDC is tried in order. A KDC whose protocol is 'any' is tried over UDP first
 *    when the message is at most `udpPreferenceLimit` bytes (MIT's udp_preference_limit,
 *    default 1465), else over TCP first; the other protocol follows if the first fails.
 * 2. A KRB-ERROR KRB_ERR_RESPONSE_TOO_BIG (52) over UDP means "ask again over TCP"
 *    (RFC 4120 §7.2.1): the same KDC is retried at once over TCP.
 * 3. A KRB-ERROR KDC_ERR_SVC_UNAVAILABLE (29) moves on to the next KDC, as MIT does; it
 *    is returned only when no other KDC answers. Any other reply is returned as is: the
 *    exchanges interpret KRB-ERRORs.
 * 4. Every attempt gets min(attemptTimeoutMs, time left); when all fail, one error names
 *    every KDC tried (TIMEOUT if any attempt timed out, IO_ERROR when all failed fast,
 *    e.g. connection refused),
 *    with `details.kdcs` (labels) and `details.attempts` (label + reason).
 */
import { GssockError, gssError, isGssockError } from '../../../core/errors.ts';
import { peekKrbErrorCode } from './reply-peek.ts';
import {
  DEFAULT_UDP_PREFERENCE_LIMIT,
  formatKdcAddress,
  type KdcAddress,
  type KdcDialer,
  type KdcRequest,
  type KdcTransport,
} from './transport.ts';

export const KRB_ERR_RESPONSE_TOO_BIG = 52;
export const KDC_ERR_SVC_UNAVAILABLE = 29;

export interface FailoverOptions {
  udpPreferenceLimit?: number;
  /** Per-attempt ceiling (one protocol on one KDC). Default 3000 ms. */
  attemptTimeoutMs?: number;
  /** Injected clock for the overall deadline; default Date.now. */
  now?: () => number;
}

export interface KdcAttempt {
  kdc: string;
  error: string;
  timedOut: boolean;
}

function orderProtocols(address: KdcAddress, message: Uint8Array, limit: number, preferTcp: boolean) {
  if (address.protocol !== 'any') return [address.protocol];
  return preferTcp || message.length > limit ? (['tcp', 'udp'] as const) : (['udp', 'tcp'] as const);
}

export function createFailoverTransport(dialer: KdcDialer, options: FailoverOptions = {}): KdcTransport {
  const limit = options.udpPreferenceLimit ?? DEFAULT_UDP_PREFERENCE_LIMIT;
  const attemptTimeout = options.attemptTimeoutMs ?? 3000;
  const now = options.now ?? Date.now;

  return {
    async send(request: KdcRequest): Promise<Uint8Array> {
      if (request.kdcs.length === 0)
        throw gssError('IO_ERROR', `no KDC known for realm ${request.realm}`, {
          details: { realm: request.realm, kdcs: [] },
        });
      const deadline = now() + request.timeoutMs;
      const attempts: KdcAttempt[] = [];
      let unavailable: Uint8Array | undefined;

      const attempt = async (address: KdcAddress, protocol: 'udp' | 'tcp') => {
        const label = formatKdcAddress(address, protocol);
        const left = deadline - now();
        if (left <= 0) {
          attempts.push({ kdc: label, error: 'not tried: overall timeout reached', timedOut: true });
          return undefined;
        }
        try {
          const ms = Math.min(attemptTimeout, left);
          return await (protocol === 'udp'
            ? dialer.udp(address, request.message, ms)
            : dialer.tcp(address, request.message, ms));
        } catch (e) {
          const timedOut = isGssockError(e, 'TIMEOUT');
          // A reply that breaks TCP framing is the KDC's fault, but another KDC may do better.
          attempts.push({ kdc: label, error: e instanceof Error ? e.message : String(e), timedOut });
          return undefined;
        }
      };

      outer: for (const address of request.kdcs) {
        for (const protocol of orderProtocols(address, request.message, limit, request.preferTcp ?? false)) {
          let reply = await attempt(address, protocol);
          if (reply === undefined) continue;
          let code = peekKrbErrorCode(reply);
          if (code === KRB_ERR_RESPONSE_TOO_BIG && protocol === 'udp') {
            attempts.push({
              kdc: formatKdcAddress(address, 'udp'),
              error: 'RESPONSE_TOO_BIG',
              timedOut: false,
            });
            reply = await attempt(address, 'tcp');
            if (reply === undefined) continue outer;
            code = peekKrbErrorCode(reply);
          }
          if (code === KDC_ERR_SVC_UNAVAILABLE) {
            unavailable = reply;
            attempts.push({
              kdc: formatKdcAddress(address, protocol),
              error: 'SVC_UNAVAILABLE',
              timedOut: false,
            });
            continue outer;
          }
          return reply;
        }
      }
      if (unavailable) return unavailable;
      const kdcs = [...new Set(attempts.map((a) => a.kdc))];
      const anyTimedOut = attempts.some((a) => a.timedOut);
      const summary = attempts.map((a) => `${a.kdc} (${a.error})`).join(', ');
      const details = { realm: request.realm, kdcs, attempts };
      throw anyTimedOut
        ? new GssockError('TIMEOUT', `no reply from any KDC for ${request.realm}: ${summary}`, { details })
        : new GssockError('IO_ERROR', `cannot reach a KDC for ${request.realm}: ${summary}`, { details });
    },
  };
}
