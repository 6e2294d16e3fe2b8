/**
 * What every KDC exchange needs besides its own inputs: the injected transport, where the
 * KDCs are, clock, randomness and the enctypes allowed. Holds no state; `sendToKdc`
 * locates the realm's KDCs and sends one request.
 */
import type { Clock, RandomSource } from '../../../core/mechanism.ts';
import { defaultClock, defaultRandom } from '../../../core/random.ts';
import { DEFAULT_ENCTYPES } from '../crypto/registry.ts';
import { locateKdcs, type SrvResolver } from './locator.ts';
import type { KdcAddress, KdcTransport } from './transport.ts';

export interface KdcClientOptions {
  transport: KdcTransport;
  /** KDCs: a fixed list, a per-realm map of krb5.conf `kdc` values, or a function. */
  kdcs?: KdcAddress[] | Record<string, string[]> | ((realm: string) => Promise<KdcAddress[]>);
  /** Used when `kdcs` names nothing for a realm (libdefaults dns_lookup_kdc). */
  dnsLookupKdc?: boolean;
  resolveSrv?: SrvResolver;
  /** Overall timeout of one request across every KDC tried (default 30 s). */
  timeoutMs?: number;
  clock?: Clock;
  random?: RandomSource;
  /** Enctypes to request, strongest first (default: the crypto registry's defaults). */
  enctypes?: readonly number[];
  /** Permit arcfour-hmac (23); it must also be listed in `enctypes` to be requested. */
  allowRc4?: boolean;
  /** Try TCP first (udp_preference_limit = 1). */
  preferTcp?: boolean;
}

export const DEFAULT_KDC_TIMEOUT_MS = 30_000;

export async function kdcsForRealm(options: KdcClientOptions, realm: string): Promise<KdcAddress[]> {
  const k = options.kdcs;
  if (typeof k === 'function') return k(realm);
  if (Array.isArray(k)) return k;
  return locateKdcs({
    realm,
    configuredKdcs: k?.[realm] ?? [],
    dnsLookupKdc: options.dnsLookupKdc ?? true,
    ...(options.resolveSrv ? { resolveSrv: options.resolveSrv } : {}),
  });
}

export async function sendToKdc(
  options: KdcClientOptions,
  realm: string,
  message: Uint8Array,
): Promise<Uint8Array> {
  return options.transport.send({
    realm,
    message,
    kdcs: await kdcsForRealm(options, realm),
    timeoutMs: options.timeoutMs ?? DEFAULT_KDC_TIMEOUT_MS,
    ...(options.preferTcp ? { preferTcp: true } : {}),
  });
}

export const clockOf = (o: KdcClientOptions): Clock => o.clock ?? defaultClock;
export const randomOf = (o: KdcClientOptions): RandomSource => o.random ?? defaultRandom;
export const enctypesOf = (o: KdcClientOptions): readonly number[] => o.enctypes ?? DEFAULT_ENCTYPES;

/** A request nonce: 31 random bits (MIT masks the top bit; some KDCs sign-extend UInt32). */
export function makeNonce(random: RandomSource): number {
  const b = random(4);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & 0x7fffffff;
}
