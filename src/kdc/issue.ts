/**
 * What the AS and TGS exchanges share once a request is accepted (RFC 4120 §3.1.3,
 * §3.3.3): ticket times from the request and the policy, the session key, the
 * EncTicketPart encrypted with the service key (usage 2), and the KDC-REP whose
 * EncKDCRepPart is encrypted with the reply key (usage 3 for AS, 8 or 9 for TGS).
 */
import {
  KdcOptions,
  KeyUsage,
  MessageType,
  TicketFlags,
  TransitedType,
} from '../providers/kerberos/constants.ts';
import { KerberosErrorCode } from '../providers/kerberos/error-codes.ts';
import { getEnctype } from '../providers/kerberos/crypto/registry.ts';
import {
  encodeEncAsRepPart,
  encodeEncTgsRepPart,
  encodeEncTicketPart,
  encodeKdcRep,
  type EncKdcRepPart,
  type EncTicketPart,
  type KdcReqBody,
} from '../providers/kerberos/messages/index.ts';
import type {
  AuthorizationDataEntry,
  EncryptionKey,
  HostAddress,
  PaData,
  Principal,
} from '../providers/kerberos/types.ts';
import { kdcError } from './errors.ts';
import type { PrincipalEntry } from './realm.ts';
import type { KdcRequestContext, KdcState } from './state.ts';

export interface TicketTimes {
  starttime: number;
  endtime: number;
  renewTill?: number;
}

export interface TimeLimits {
  /** Upper bounds from elsewhere (the TGT's end and renew-till in a TGS exchange). */
  capEnd?: number;
  capRenew?: number;
  renewAllowed: boolean;
}

/** Seconds precision, as KerberosTime carries. */
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * RFC 4120 §3.1.3 / MIT kdc_get_ticket_endtime and renew time: endtime is the least of
 * `till` (0 = no limit), start + the shortest max life, and the cap; RENEWABLE (or
 * RENEWABLE-OK when `till` could not be met) makes renew-till the least of `rtime`,
 * start + max renewable life, and the cap, kept only when it is after endtime.
 */
export function ticketTimes(
  state: KdcState,
  now: number,
  body: KdcReqBody,
  entries: PrincipalEntry[],
  limits: TimeLimits,
): TicketTimes {
  if (
    (body.kdcOptions & KdcOptions.POSTDATED) !== 0 ||
    (body.from !== undefined && body.from > now + state.policy.maxSkewMs)
  )
    throw kdcError(KerberosErrorCode.KDC_ERR_CANNOT_POSTDATE, 'postdated tickets are not issued by this KDC');
  const start = seconds(now);
  const maxLife = Math.min(state.policy.maxLifeMs, ...entries.map((e) => e.maxLifeMs ?? Infinity));
  const till = body.till === 0 ? Infinity : body.till;
  const endtime = seconds(Math.min(till, start + maxLife, limits.capEnd ?? Infinity));
  if (endtime <= start)
    throw kdcError(KerberosErrorCode.KDC_ERR_NEVER_VALID, 'requested end time is not in the future');
  const times: TicketTimes = { starttime: start, endtime };
  let rtime: number | undefined;
  if ((body.kdcOptions & KdcOptions.RENEWABLE) !== 0) rtime = body.rtime ? body.rtime : Infinity;
  else if ((body.kdcOptions & KdcOptions.RENEWABLE_OK) !== 0 && till > endtime) rtime = till;
  if (rtime !== undefined && limits.renewAllowed && entries.every((e) => e.renewable)) {
    const maxRenew = Math.min(
      state.policy.maxRenewableLifeMs,
      ...entries.map((e) => e.maxRenewableLifeMs ?? Infinity),
    );
    const renewTill = seconds(Math.min(rtime, start + maxRenew, limits.capRenew ?? Infinity));
    if (renewTill > endtime) times.renewTill = renewTill;
  }
  return times;
}

export interface IssueParams {
  msgType: typeof MessageType.AS_REP | typeof MessageType.TGS_REP;
  client: Principal;
  /** The service as named in the request (the reply and ticket echo it). */
  server: Principal;
  serverEntry: PrincipalEntry;
  /** The service key the ticket is encrypted in. */
  ticketKey: EncryptionKey;
  sessionEtype: number;
  flags: number;
  authtime: number;
  times: TicketTimes;
  nonce: number;
  caddr?: HostAddress[];
  authorizationData?: AuthorizationDataEntry[];
  replyKey: EncryptionKey;
  replyUsage: number;
  padata?: PaData[];
}

/** The session key (random-to-key of fresh random bytes) for `etype`. */
export function newSessionKey(ctx: KdcRequestContext, etype: number, allowRc4: boolean): EncryptionKey {
  const enctype = getEnctype(etype, { allowRc4 });
  return enctype.randomToKey(ctx.random(enctype.keyBytes));
}

function encrypt(
  ctx: KdcRequestContext,
  key: EncryptionKey,
  usage: number,
  plain: Uint8Array,
  allowRc4: boolean,
) {
  const enctype = getEnctype(key.etype, { allowRc4 });
  const cipher = enctype.encrypt(key, usage, plain, { confounder: ctx.random(enctype.confounderSize) });
  plain.fill(0);
  return cipher;
}

/** Builds and encrypts the ticket and the reply; returns the DER of the AS-REP / TGS-REP. */
export function issueTicket(state: KdcState, ctx: KdcRequestContext, p: IssueParams): Uint8Array {
  const allowRc4 = state.db.allowRc4;
  const sessionKey = newSessionKey(ctx, p.sessionEtype, allowRc4);
  const flags = p.flags | (p.times.renewTill !== undefined ? TicketFlags.RENEWABLE : 0);
  const etp: EncTicketPart = {
    flags: flags >>> 0,
    key: sessionKey,
    crealm: p.client.realm,
    cname: p.client.name,
    transited: { trType: TransitedType.DOMAIN_X500_COMPRESS, contents: new Uint8Array(0) },
    authtime: p.authtime,
    starttime: p.times.starttime,
    endtime: p.times.endtime,
  };
  if (p.times.renewTill !== undefined) etp.renewTill = p.times.renewTill;
  if (p.caddr?.length) etp.caddr = p.caddr;
  if (p.authorizationData?.length) etp.authorizationData = p.authorizationData;
  const ticketCipher = encrypt(ctx, p.ticketKey, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(etp), allowRc4);

  const enc: EncKdcRepPart = {
    key: sessionKey,
    lastReq: [{ lrType: 0, lrValue: p.authtime }],
    nonce: p.nonce,
    flags: flags >>> 0,
    authtime: p.authtime,
    starttime: p.times.starttime,
    endtime: p.times.endtime,
    srealm: p.server.realm,
    sname: p.server.name,
  };
  if (p.times.renewTill !== undefined) enc.renewTill = p.times.renewTill;
  if (p.caddr?.length) enc.caddr = p.caddr;
  const encPart = p.msgType === MessageType.AS_REP ? encodeEncAsRepPart(enc) : encodeEncTgsRepPart(enc);
  const replyCipher = encrypt(ctx, p.replyKey, p.replyUsage, encPart, allowRc4);
  const rep = encodeKdcRep({
    msgType: p.msgType,
    ...(p.padata?.length ? { padata: p.padata } : {}),
    crealm: p.client.realm,
    cname: p.client.name,
    ticket: {
      realm: p.server.realm,
      sname: p.server.name,
      encPart: { etype: p.ticketKey.etype, kvno: p.serverEntry.kvno, cipher: ticketCipher },
    },
    encPart: { etype: p.replyKey.etype, cipher: replyCipher },
  });
  sessionKey.value.fill(0);
  return rep;
}
