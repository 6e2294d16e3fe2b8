/**
 * The KDC side of the AS exchange (RFC 4120 §3.1.2 - §3.1.3).
 *
 * 1. Names: the request's realm must be ours; cname and sname must exist
 *    (KDC_ERR_C_PRINCIPAL_UNKNOWN 6 / KDC_ERR_S_PRINCIPAL_UNKNOWN 7).
 * 2. Enctypes: the client key is the client's key of the first requested etype it has;
 *    the session key's etype is the first requested one the service has a key for;
 *    the ticket is encrypted in the service's preferred key (KDC_ERR_ETYPE_NOSUPP 14).
 * 3. Pre-authentication (RFC 4120 §5.2.7.2): PA-ENC-TIMESTAMP decrypted with the client
 *    key of its etype under usage 1, its time within the skew (KRB_AP_ERR_SKEW 37) or
 *    KDC_ERR_PREAUTH_FAILED 24; without it, a principal that requires pre-authentication
 *    gets KDC_ERR_PREAUTH_REQUIRED 25 whose e-data names etype and salt (ETYPE-INFO2).
 *    Unknown padata (MIT's PA-REQ-ENC-PA-REP, PA-PAC-OPTIONS, FAST hints) is ignored.
 * 4. Ticket: INITIAL, PRE-AUTHENT, FORWARDABLE / PROXIABLE / RENEWABLE as requested and
 *    allowed, times from issue.ts, a PAC unless PA-PAC-REQUEST said no (MS-KILE §3.3.5.3).
 * 5. AS-REP: names as requested (MIT's kinit compares them), enc-part under the client
 *    key with usage 3, and PA-ETYPE-INFO2 for that key in the reply's padata.
 */
import {
  KdcOptions,
  KeyUsage,
  MessageType,
  PaDataType,
  TicketFlags,
} from '../providers/kerberos/constants.ts';
import { KerberosErrorCode as E } from '../providers/kerberos/error-codes.ts';
import { getEnctype } from '../providers/kerberos/crypto/registry.ts';
import {
  type DecodedKdcReq,
  decodeEncryptedData,
  decodePaEncTsEnc,
  decodePaPacRequest,
  encodeEtypeInfo2,
  type EtypeInfo2Entry,
  findPaData,
} from '../providers/kerberos/messages/index.ts';
import type { AuthorizationDataEntry, EncryptionKey, Principal } from '../providers/kerberos/types.ts';
import { KdcErrorReply, kdcError, preauthMethodData } from './errors.ts';
import { issueTicket, ticketTimes } from './issue.ts';
import { clientPacBuffers, pacAuthorizationData, signPac } from './pac.ts';
import { firstKeyFor, keyOf, type PrincipalEntry } from './realm.ts';
import type { KdcRequestContext, KdcState } from './state.ts';

/** The ETYPE-INFO2 entry for a client key: the salt for the AES types; RC4 has none. */
export function etypeInfoFor(entry: PrincipalEntry, key: EncryptionKey): EtypeInfo2Entry {
  return key.etype === 23 ? { etype: key.etype } : { etype: key.etype, salt: entry.salt };
}

/** Whether the request asks for a PAC (PA-PAC-REQUEST); default yes, as MIT and AD do. */
function wantsPac(req: DecodedKdcReq): boolean {
  const pa = findPaData(req.padata, PaDataType.PA_PAC_REQUEST);
  if (!pa) return true;
  try {
    return decodePaPacRequest(pa.padataValue);
  } catch {
    return true;
  }
}

interface Preauth {
  key: EncryptionKey;
  preauthenticated: boolean;
}

function checkPreauth(
  state: KdcState,
  ctx: KdcRequestContext,
  req: DecodedKdcReq,
  client: PrincipalEntry,
  clientKey: EncryptionKey,
  etypes: number[],
): Preauth {
  const info = [etypeInfoFor(client, clientKey)];
  const pa = findPaData(req.padata, PaDataType.PA_ENC_TIMESTAMP);
  if (!pa) {
    if (client.requiresPreauth)
      throw kdcError(
        E.KDC_ERR_PREAUTH_REQUIRED,
        'Additional pre-authentication required',
        preauthMethodData(info),
      );
    return { key: clientKey, preauthenticated: false };
  }
  const failed = (why: string) => kdcError(E.KDC_ERR_PREAUTH_FAILED, why, preauthMethodData(info));
  let plain: Uint8Array;
  let key: EncryptionKey | undefined;
  try {
    const ed = decodeEncryptedData(pa.padataValue);
    key = etypes.includes(ed.etype) ? keyOf(client, ed.etype) : undefined;
    if (!key) throw failed(`no key of etype ${ed.etype} for the encrypted timestamp`);
    plain = getEnctype(key.etype, { allowRc4: state.db.allowRc4 }).decrypt(
      key,
      KeyUsage.AS_REQ_PA_ENC_TIMESTAMP,
      ed.cipher,
    );
  } catch (e) {
    if (e instanceof KdcErrorReply) throw e;
    throw failed('Preauthentication failed');
  }
  let ts: { patimestamp: number; pausec?: number };
  try {
    ts = decodePaEncTsEnc(plain);
  } catch {
    throw failed('malformed PA-ENC-TS-ENC');
  }
  const when = ts.patimestamp + Math.floor((ts.pausec ?? 0) / 1000);
  if (Math.abs(when - ctx.now) > state.policy.maxSkewMs)
    throw kdcError(E.KRB_AP_ERR_SKEW, 'Clock skew too great');
  return { key, preauthenticated: true };
}

export interface AsOutcome {
  reply: Uint8Array;
  client: string;
  server: string;
  sessionEtype: number;
  ticketEtype: number;
  preauthenticated: boolean;
}

export function handleAsReq(state: KdcState, req: DecodedKdcReq, ctx: KdcRequestContext): AsOutcome {
  const { db } = state;
  const body = req.reqBody;
  if (body.realm !== db.realm) throw kdcError(E.KDC_ERR_WRONG_REALM, `this KDC serves ${db.realm} only`);
  if (!body.cname) throw kdcError(E.KDC_ERR_C_PRINCIPAL_UNKNOWN, 'AS-REQ without cname');
  if (!body.sname) throw kdcError(E.KDC_ERR_S_PRINCIPAL_UNKNOWN, 'AS-REQ without sname');
  const clientName: Principal = { realm: db.realm, name: body.cname };
  const serverName: Principal = { realm: db.realm, name: body.sname };
  const client = db.get(clientName);
  if (!client) throw kdcError(E.KDC_ERR_C_PRINCIPAL_UNKNOWN, 'Client not found in Kerberos database');
  const server = db.get(serverName);
  if (!server) throw kdcError(E.KDC_ERR_S_PRINCIPAL_UNKNOWN, 'Server not found in Kerberos database');
  if (client.disabled) throw kdcError(E.KDC_ERR_CLIENT_REVOKED, "Client's credentials have been revoked");
  if (server.disabled) throw kdcError(E.KDC_ERR_SERVICE_REVOKED, "Server's credentials have been revoked");

  const etypes = body.etype.filter((e) => db.enctypes.includes(e));
  const clientKey = firstKeyFor(client, etypes);
  const sessionKey = firstKeyFor(server, etypes);
  const ticketKey = server.keys[0];
  if (!clientKey || !sessionKey || !ticketKey)
    throw kdcError(E.KDC_ERR_ETYPE_NOSUPP, 'KDC has no support for encryption type');

  const pre = checkPreauth(state, ctx, req, client, clientKey, etypes);
  const opts = body.kdcOptions;
  if (
    (opts &
      (KdcOptions.ENC_TKT_IN_SKEY |
        KdcOptions.VALIDATE |
        KdcOptions.RENEW |
        KdcOptions.FORWARDED |
        KdcOptions.PROXY)) !==
    0
  )
    throw kdcError(E.KDC_ERR_BADOPTION, 'KDC option not valid in an AS-REQ');
  let flags = TicketFlags.INITIAL | (pre.preauthenticated ? TicketFlags.PRE_AUTHENT : 0);
  if (opts & KdcOptions.FORWARDABLE && client.forwardable && server.forwardable)
    flags |= TicketFlags.FORWARDABLE;
  if (opts & KdcOptions.PROXIABLE && client.forwardable && server.forwardable) flags |= TicketFlags.PROXIABLE;
  if (server.okAsDelegate) flags |= TicketFlags.OK_AS_DELEGATE;
  const times = ticketTimes(state, ctx.now, body, [client, server], { renewAllowed: true });
  const authtime = times.starttime;

  let authorizationData: AuthorizationDataEntry[] | undefined;
  if (wantsPac(req)) {
    const account = client.principal.name.nameString.join('/');
    const buffers = clientPacBuffers({
      authtime,
      clientName: account,
      account,
      fullName: client.fullName,
      logonServer: 'GSSOCK-KDC',
      domainName: state.netbiosDomain,
      domainSid: state.domainSid,
      userRid: client.rid,
      primaryGroupRid: client.primaryGroup,
      groupRids: client.groups,
      extraSids: client.extraSids,
      logonTime: authtime,
      upn: `${account}@${db.realm.toLowerCase()}`,
      dnsDomain: db.realm,
    });
    authorizationData = pacAuthorizationData(signPac(buffers, ticketKey, db.tgs.keys[0]!));
  }

  const reply = issueTicket(state, ctx, {
    msgType: MessageType.AS_REP,
    client: clientName,
    server: serverName,
    serverEntry: server,
    ticketKey,
    sessionEtype: sessionKey.etype,
    flags,
    authtime,
    times,
    nonce: body.nonce,
    ...(body.addresses?.length ? { caddr: body.addresses } : {}),
    ...(authorizationData ? { authorizationData } : {}),
    replyKey: pre.key,
    replyUsage: KeyUsage.AS_REP_ENC_PART,
    padata: [
      {
        padataType: PaDataType.PA_ETYPE_INFO2,
        padataValue: encodeEtypeInfo2([etypeInfoFor(client, pre.key)]),
      },
    ],
  });
  return {
    reply,
    client: client.text,
    server: server.text,
    sessionEtype: sessionKey.etype,
    ticketEtype: ticketKey.etype,
    preauthenticated: pre.preauthenticated,
  };
}
