/**
 * In-memory KDC transports: for tests, and for an in-process KDC. No sockets, no timers.
 */
import { gssError } from '../../../core/errors.ts';
import type { KdcAddress, KdcDialer, KdcRequest, KdcTransport } from './transport.ts';
import { DEFAULT_UDP_PREFERENCE_LIMIT } from './transport.ts';

export interface InMemoryKdcCall {
  realm: string;
  /** Which protocol a network transport would have used first. */
  protocol: 'udp' | 'tcp';
  kdcs: KdcAddress[];
}

/** Answers one KDC request: returns the reply bytes (AS-REP, TGS-REP or KRB-ERROR). */
export type InMemoryKdc = (message: Uint8Array, call: InMemoryKdcCall) => Uint8Array | Promise<Uint8Array>;

/** A transport that hands every request straight to `kdc` (the KDC list is not needed). */
export function createMemoryKdcTransport(
  kdc: InMemoryKdc,
  options: { udpPreferenceLimit?: number } = {},
): KdcTransport & { readonly requests: Uint8Array[] } {
  const limit = options.udpPreferenceLimit ?? DEFAULT_UDP_PREFERENCE_LIMIT;
  const requests: Uint8Array[] = [];
  return {
    requests,
    async send(request: KdcRequest) {
      requests.push(request.message.slice());
      const protocol = request.preferTcp || request.message.length > limit ? 'tcp' : 'udp';
      return kdc(request.message, { realm: request.realm, protocol, kdcs: request.kdcs });
    },
  };
}

/** One scripted endpoint behaviour for `createScriptedDialer`. */
export type ScriptedEndpoint = (
  protocol: 'udp' | 'tcp',
  message: Uint8Array,
  timeoutMs: number,
) => Uint8Array | Promise<Uint8Array>;

/**
 * A `KdcDialer` whose endpoints are functions keyed by 'host:port', recording each call
 * as 'udp/host:port' or 'tcp/host:port'; for testing the failover policy without sockets.
 */
export function createScriptedDialer(
  endpoints: Record<string, ScriptedEndpoint>,
): KdcDialer & { readonly calls: string[] } {
  const calls: string[] = [];
  const dial = async (protocol: 'udp' | 'tcp', a: KdcAddress, message: Uint8Array, timeoutMs: number) => {
    calls.push(`${protocol}/${a.host}:${a.port}`);
    const endpoint = endpoints[`${a.host}:${a.port}`];
    if (!endpoint) throw gssError('IO_ERROR', `no scripted endpoint ${a.host}:${a.port}`);
    return endpoint(protocol, message, timeoutMs);
  };
  return {
    calls,
    udp: (a, m, t) => dial('udp', a, m, t),
    tcp: (a, m, t) => dial('tcp', a, m, t),
  };
}
