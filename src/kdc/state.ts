/**
 * Everything the sans-IO KDC core needs between requests: the principal database, the
 * replay cache, the realm policy, and an optional observer. Time and randomness are not
 * state: each request gets them (`KdcRequestContext`), so tests drive the clock.
 */
import type { RandomSource } from '../core/mechanism.ts';
import { RealmDatabase } from './realm.ts';
import { DEFAULT_REPLAY_CAPACITY, ReplayCache } from './replay.ts';
import { domainSidForRealm } from './sid.ts';

export interface KdcPolicy {
  /** Allowed clock difference (default 5 minutes, RFC 4120 §1.6 / MIT clockskew). */
  maxSkewMs: number;
  /** Longest ticket lifetime (default 10 hours). */
  maxLifeMs: number;
  /** Longest renewable lifetime (default 7 days). */
  maxRenewableLifeMs: number;
  /** Largest request accepted, bytes (default 64 KiB). */
  maxRequestSize: number;
}

export const DEFAULT_POLICY: KdcPolicy = {
  maxSkewMs: 300_000,
  maxLifeMs: 10 * 3600_000,
  maxRenewableLifeMs: 7 * 86400_000,
  maxRequestSize: 64 * 1024,
};

/** What the KDC did with one request (for transcripts and logs; no secrets). */
export interface KdcEvent {
  request: 'AS-REQ' | 'TGS-REQ' | 'unknown';
  requestSize: number;
  reply: 'AS-REP' | 'TGS-REP' | 'KRB-ERROR' | 'dropped';
  replySize: number;
  client?: string;
  server?: string;
  /** KRB-ERROR code and name. */
  errorCode?: number;
  errorName?: string;
  errorText?: string;
  /** Session key and ticket enctypes of a successful reply. */
  sessionEtype?: number;
  ticketEtype?: number;
  preauthenticated?: boolean;
}

export interface KdcState {
  db: RealmDatabase;
  replay: ReplayCache;
  policy: KdcPolicy;
  /** S-1-5-21-... of the realm's "domain" (PAC LogonDomainId). */
  domainSid: string;
  /** NetBIOS-style domain name (PAC LogonDomainName): the realm's first label. */
  netbiosDomain: string;
  observe?: (event: KdcEvent) => void;
}

export interface KdcRequestContext {
  /** ms since the epoch. */
  now: number;
  random: RandomSource;
}

export interface KdcStateOptions {
  realm: string;
  enctypes?: Array<number | string>;
  allowRc4?: boolean;
  policy?: Partial<KdcPolicy>;
  domainSid?: string;
  replayCapacity?: number;
  random: RandomSource;
  observe?: (event: KdcEvent) => void;
}

export function createKdcState(o: KdcStateOptions): KdcState {
  const state: KdcState = {
    db: new RealmDatabase({
      realm: o.realm,
      random: o.random,
      ...(o.enctypes ? { enctypes: o.enctypes } : {}),
      ...(o.allowRc4 !== undefined ? { allowRc4: o.allowRc4 } : {}),
    }),
    replay: new ReplayCache(o.replayCapacity ?? DEFAULT_REPLAY_CAPACITY),
    policy: { ...DEFAULT_POLICY, ...o.policy },
    domainSid: o.domainSid ?? domainSidForRealm(o.realm),
    netbiosDomain: (o.realm.split('.')[0] ?? o.realm).toUpperCase().slice(0, 15),
  };
  if (o.observe) state.observe = o.observe;
  return state;
}
