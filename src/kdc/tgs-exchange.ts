/**
 * The KDC side of the TGS exchange (RFC 4120 §3.3.2 - §3.3.3).
 *
 * 1. PA-TGS-REQ carries an AP-REQ whose ticket must be our krbtgt/REALM's (no cross-realm:
 *    KRB_AP_ERR_NOT_US 35), decrypted with the krbtgt key of its etype under usage 2.
 * 2. The authenticator decrypts with the ticket's session key under usage 7, names the
 *    ticket's client (KRB_AP_ERR_BADMATCH 36), is within the skew (KRB_AP_ERR_SKEW 37),
 *    carries a keyed checksum of the req-body DER of the session key's type under usage 6
 *    (KRB_AP_ERR_INAPP_CKSUM 50 / KRB_AP_ERR_MODIFIED 41), and was not seen before
 *    (KRB_AP_ERR_REPEAT 34, replay.ts). The TGT must be valid now (32 / 33).
 * 3. Options: FORWARDABLE, FORWARDED and PROXY need the TGT's FORWARDABLE / PROXIABLE
 *    (else KDC_ERR_BADOPTION 13), RENEWABLE needs a renewable TGT, RENEW renews the
 *    presented TGT itself; user-to-user, VALIDATE, S4U are refused with BADOPTION.
 * 4. The TGT's PAC is checked with the krbtgt key and re-signed for the new service.
 * 5. TGS-REP enc-part: under the authenticator's subkey with usage 9 if it sent one (MIT
 *    always does), else under the session key with usage 8.
 */
import {
  ApOptions,
  KdcOptions,
  KeyUsage,
  MessageType,
  PaDataType,
  TicketFlags,
} from '../providers/kerberos/constants.ts';
import { KerberosErrorCode as E } from '../providers/kerberos/error-codes.ts';
import { verifyChecksum } from '../providers/kerberos/crypto/checksum.ts';
import { getEnctype, isEnctypeSupported } from '../providers/kerberos/crypto/registry.ts';
import {
  type ApReq,
  type Authenticator,
  type DecodedKdcReq,
  decodeApReq,
  decodeAuthenticator,
  decodeEncTicketPart,
  type EncTicketPart,
  findPacInAuthorizationData,
  findPaData,
} from '../providers/kerberos/messages/index.ts';
import { formatPrincipal, samePrincipal } from '../providers/kerberos/kdc/principal-name.ts';
import type { AuthorizationDataEntry, Principal } from '../providers/kerberos/types.ts';
import { kdcError } from './errors.ts';
import { issueTicket, type TicketTimes, ticketTimes } from './issue.ts';
import { pacAuthorizationData, signPac, unsignedPacBuffers, verifyPacSignatures } from './pac.ts';
import { firstKeyFor, keyOf } from './realm.ts';
import type { KdcRequestContext, KdcState } from './state.ts';

interface Presented {
  ticket: EncTicketPart;
  authenticator: Authenticator;
  client: Principal;
}

/** Steps 1 and 2: the TGT and its authenticator. */
function openPaTgsReq(state: KdcState, req: DecodedKdcReq, ctx: KdcRequestContext): Presented {
  const { db, policy } = state;
  const pa = findPaData(req.padata, PaDataType.PA_TGS_REQ);
  if (!pa) throw kdcError(E.KDC_ERR_PADATA_TYPE_NOSUPP, 'TGS-REQ without PA-TGS-REQ');
  let apReq: ApReq;
  try {
    apReq = decodeApReq(pa.padataValue);
  } catch {
    throw kdcError(E.KRB_AP_ERR_MSG_TYPE, 'PA-TGS-REQ does not hold an AP-REQ');
  }
  if ((apReq.apOptions & ApOptions.USE_SESSION_KEY) !== 0)
    throw kdcError(E.KDC_ERR_BADOPTION, 'use-session-key is not valid in a TGS-REQ');
  const tgs = db.tgs;
  if (!samePrincipal({ realm: apReq.ticket.realm, name: apReq.ticket.sname }, tgs.principal))
    throw kdcError(E.KRB_AP_ERR_NOT_US, 'The ticket is not for this KDC (cross-realm is not supported)');
  const tgsKey = keyOf(tgs, apReq.ticket.encPart.etype);
  if (!tgsKey) throw kdcError(E.KRB_AP_ERR_NOKEY, `no krbtgt key of etype ${apReq.ticket.encPart.etype}`);
  if (apReq.ticket.encPart.kvno !== undefined && apReq.ticket.encPart.kvno !== tgs.kvno)
    throw kdcError(
      E.KRB_AP_ERR_BADKEYVER,
      `ticket kvno ${apReq.ticket.encPart.kvno}, krbtgt kvno ${tgs.kvno}`,
    );
  const allowRc4 = db.allowRc4;
  let ticket: EncTicketPart;
  try {
    const plain = getEnctype(tgsKey.etype, { allowRc4 }).decrypt(
      tgsKey,
      KeyUsage.KDC_REP_TICKET,
      apReq.ticket.encPart.cipher,
    );
    ticket = decodeEncTicketPart(plain);
  } catch {
    throw kdcError(E.KRB_AP_ERR_BAD_INTEGRITY, 'Decrypt integrity check failed (ticket)');
  }
  if (!isEnctypeSupported(ticket.key.etype, { allowRc4 }) || apReq.authenticator.etype !== ticket.key.etype)
    throw kdcError(E.KRB_AP_ERR_BAD_INTEGRITY, 'authenticator etype does not match the session key');
  let authenticator: Authenticator;
  try {
    const plain = getEnctype(ticket.key.etype, { allowRc4 }).decrypt(
      ticket.key,
      KeyUsage.TGS_REQ_PA_AUTHENTICATOR,
      apReq.authenticator.cipher,
    );
    authenticator = decodeAuthenticator(plain);
  } catch {
    throw kdcError(E.KRB_AP_ERR_BAD_INTEGRITY, 'Decrypt integrity check failed (authenticator)');
  }
  const client: Principal = { realm: ticket.crealm, name: ticket.cname };
  if (!samePrincipal({ realm: authenticator.crealm, name: authenticator.cname }, client))
    throw kdcError(E.KRB_AP_ERR_BADMATCH, 'Ticket and authenticator name different clients');
  const now = ctx.now;
  const ctime = authenticator.ctime + Math.floor(authenticator.cusec / 1000);
  if (Math.abs(ctime - now) > policy.maxSkewMs) throw kdcError(E.KRB_AP_ERR_SKEW, 'Clock skew too great');
  if (
    (ticket.flags & TicketFlags.INVALID) !== 0 ||
    (ticket.starttime ?? ticket.authtime) - policy.maxSkewMs > now
  )
    throw kdcError(E.KRB_AP_ERR_TKT_NYV, 'Ticket not yet valid');
  if (ticket.endtime + policy.maxSkewMs < now) throw kdcError(E.KRB_AP_ERR_TKT_EXPIRED, 'Ticket expired');

  const cksum = authenticator.cksum;
  const expectedType = getEnctype(ticket.key.etype, { allowRc4 }).checksumType;
  if (!cksum || cksum.cksumtype !== expectedType)
    throw kdcError(E.KRB_AP_ERR_INAPP_CKSUM, 'TGS-REQ needs a keyed checksum of the session key type');
  if (
    !verifyChecksum(
      cksum.cksumtype,
      ticket.key,
      KeyUsage.TGS_REQ_PA_AUTHENTICATOR_CKSUM,
      req.reqBodyDer,
      cksum.checksum,
    )
  )
    throw kdcError(E.KRB_AP_ERR_MODIFIED, 'req-body checksum does not verify');
  const verdict = state.replay.check(
    formatPrincipal(client),
    apReq.authenticator.cipher,
    ctime + policy.maxSkewMs + 1000,
    now,
  );
  if (verdict === 'replay') throw kdcError(E.KRB_AP_ERR_REPEAT, 'Request is a replay');
  if (verdict === 'full') throw kdcError(E.KDC_ERR_SVC_UNAVAILABLE, 'replay cache full, try again later');
  return { ticket, authenticator, client };
}

/** Step 4: the TGT's PAC, verified with the krbtgt key and re-signed with `serverKey`. */
function carryPac(
  state: KdcState,
  tgt: EncTicketPart,
  serverKey: { etype: number; value: Uint8Array },
): AuthorizationDataEntry[] | undefined {
  let pac: Uint8Array | undefined;
  try {
    pac = findPacInAuthorizationData(tgt.authorizationData);
  } catch {
    throw kdcError(E.KRB_AP_ERR_MODIFIED, 'TGT authorization data is malformed');
  }
  if (!pac) return undefined;
  const tgs = state.db.tgs;
  const valid = tgs.keys.some((kdcKey) => {
    try {
      return verifyPacSignatures(pac, { kdcKey }).kdc === true;
    } catch {
      return false;
    }
  });
  if (!valid) throw kdcError(E.KRB_AP_ERR_MODIFIED, 'PAC KDC signature does not verify');
  return pacAuthorizationData(signPac(unsignedPacBuffers(pac), serverKey, tgs.keys[0]!));
}

export interface TgsOutcome {
  reply: Uint8Array;
  client: string;
  server: string;
  sessionEtype: number;
  ticketEtype: number;
}

export function handleTgsReq(state: KdcState, req: DecodedKdcReq, ctx: KdcRequestContext): TgsOutcome {
  const { db } = state;
  const body = req.reqBody;
  const { ticket: tgt, authenticator, client } = openPaTgsReq(state, req, ctx);
  const clientEntry = db.get(client);
  if (clientEntry?.disabled)
    throw kdcError(E.KDC_ERR_CLIENT_REVOKED, "Client's credentials have been revoked");
  if (!body.sname) throw kdcError(E.KDC_ERR_S_PRINCIPAL_UNKNOWN, 'TGS-REQ without sname');
  // An empty realm is MIT's referral realm: we are the only realm there is.
  const realm = body.realm === '' ? db.realm : body.realm;
  const serverName: Principal = { realm, name: body.sname };
  const server = db.get(serverName);
  if (!server) throw kdcError(E.KDC_ERR_S_PRINCIPAL_UNKNOWN, 'Server not found in Kerberos database');
  if (server.disabled) throw kdcError(E.KDC_ERR_SERVICE_REVOKED, "Server's credentials have been revoked");

  const opts = body.kdcOptions;
  const refused = KdcOptions.ENC_TKT_IN_SKEY | KdcOptions.VALIDATE | KdcOptions.CNAME_IN_ADDL_TKT;
  if ((opts & refused) !== 0) throw kdcError(E.KDC_ERR_BADOPTION, 'KDC option not supported');
  const has = (flag: number) => (tgt.flags & flag) !== 0;
  const clientForwardable = clientEntry?.forwardable ?? true;
  if ((opts & KdcOptions.FORWARDED) !== 0 && !has(TicketFlags.FORWARDABLE))
    throw kdcError(E.KDC_ERR_BADOPTION, 'the TGT is not forwardable');
  if ((opts & KdcOptions.PROXY) !== 0 && !has(TicketFlags.PROXIABLE))
    throw kdcError(E.KDC_ERR_BADOPTION, 'the TGT is not proxiable');

  const etypes = body.etype.filter((e) => db.enctypes.includes(e));
  const sessionKey = firstKeyFor(server, etypes);
  const ticketKey = server.keys[0];
  if (!sessionKey || !ticketKey)
    throw kdcError(E.KDC_ERR_ETYPE_NOSUPP, 'KDC has no support for encryption type');

  let flags = tgt.flags & (TicketFlags.PRE_AUTHENT | TicketFlags.HW_AUTHENT | TicketFlags.FORWARDED);
  let times: TicketTimes;
  if ((opts & KdcOptions.RENEW) !== 0) {
    // RFC 4120 §3.3.3.1: renew the presented ticket; its service must be the one asked for.
    if (!has(TicketFlags.RENEWABLE) || tgt.renewTill === undefined || tgt.renewTill < ctx.now)
      throw kdcError(E.KDC_ERR_BADOPTION, 'the ticket is not renewable (or past its renew-till)');
    if (!samePrincipal(serverName, db.tgs.principal))
      throw kdcError(E.KDC_ERR_BADOPTION, 'RENEW is for the TGT only');
    const start = Math.floor(ctx.now / 1000) * 1000;
    const life = tgt.endtime - (tgt.starttime ?? tgt.authtime);
    times = { starttime: start, endtime: Math.min(tgt.renewTill, start + life), renewTill: tgt.renewTill };
    flags = tgt.flags & ~(TicketFlags.INITIAL | TicketFlags.RENEWABLE);
  } else {
    const capRenew = tgt.renewTill;
    times = ticketTimes(state, ctx.now, body, clientEntry ? [clientEntry, server] : [server], {
      capEnd: tgt.endtime,
      ...(capRenew !== undefined ? { capRenew } : {}),
      renewAllowed: has(TicketFlags.RENEWABLE),
    });
    if (
      opts & KdcOptions.FORWARDABLE &&
      has(TicketFlags.FORWARDABLE) &&
      server.forwardable &&
      clientForwardable
    )
      flags |= TicketFlags.FORWARDABLE;
    if (opts & KdcOptions.FORWARDED) flags |= TicketFlags.FORWARDED;
    if (opts & KdcOptions.PROXIABLE && has(TicketFlags.PROXIABLE)) flags |= TicketFlags.PROXIABLE;
    if (opts & KdcOptions.PROXY) flags |= TicketFlags.PROXY;
    if (server.okAsDelegate) flags |= TicketFlags.OK_AS_DELEGATE;
  }
  // FORWARDED / PROXY tickets carry the addresses the client asks for (RFC 4120 §2.6, §2.5).
  const caddr = (opts & (KdcOptions.FORWARDED | KdcOptions.PROXY)) !== 0 ? body.addresses : tgt.caddr;
  const authorizationData = carryPac(state, tgt, ticketKey);

  const subkey = authenticator.subkey;
  if (subkey && !isEnctypeSupported(subkey.etype, { allowRc4: db.allowRc4 }))
    throw kdcError(E.KDC_ERR_ETYPE_NOSUPP, `authenticator subkey etype ${subkey.etype} is not supported`);
  const reply = issueTicket(state, ctx, {
    msgType: MessageType.TGS_REP,
    client,
    server: serverName,
    serverEntry: server,
    ticketKey,
    sessionEtype: sessionKey.etype,
    flags,
    authtime: tgt.authtime,
    times,
    nonce: body.nonce,
    ...(caddr?.length ? { caddr } : {}),
    ...(authorizationData ? { authorizationData } : {}),
    replyKey: subkey ?? tgt.key,
    replyUsage: subkey ? KeyUsage.TGS_REP_ENC_PART_SUBKEY : KeyUsage.TGS_REP_ENC_PART_SESSION_KEY,
  });
  return {
    reply,
    client: formatPrincipal(client),
    server: server.text,
    sessionEtype: sessionKey.etype,
    ticketEtype: ticketKey.etype,
  };
}
