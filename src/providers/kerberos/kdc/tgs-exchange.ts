/**
 * The TGS exchange (RFC 4120 §3.3): a service ticket (or a forwarded TGT) with a TGT.
 *
 * 1. KDC-REQ-BODY with the wanted sname; its DER is checksummed with the TGT session key
 *    under key usage 6, using the checksum type of the session key's enctype (§7.2.2).
 * 2. Authenticator { crealm, cname, cksum, ctime/cusec, optional subkey } encrypted with
 *    the session key under usage 7; AP-REQ { TGT, authenticator } goes in PA-TGS-REQ.
 * 3. TGS-REP enc-part decrypts under usage 9 with the subkey if we sent one, else usage 8
 *    with the session key; nonce and names are checked (kdc-reply.ts).
 * The request goes to the KDC of the TGT's service realm (krbtgt/THAT@ISSUER).
 */
import { gssError } from '../../../core/errors.ts';
import { KdcOptions, KeyUsage, TicketFlags } from '../constants.ts';
import { getEnctype } from '../crypto/registry.ts';
import {
  decodeTicket,
  encodeApReq,
  encodeAuthenticator,
  encodeKdcReqBody,
  encodeTgsReq,
  type KdcReqBody,
  paTgsReq,
} from '../messages/index.ts';
import type { EncryptionKey, Principal } from '../types.ts';
import type { KerberosCredential } from './credential.ts';
import { clockOf, enctypesOf, type KdcClientOptions, makeNonce, randomOf, sendToKdc } from './kdc-client.ts';
import { openKdcRep, parseKdcReply } from './kdc-reply.ts';
import { krbErrorToGssock } from './krb-error.ts';
import { formatPrincipal, tgsPrincipal } from './principal-name.ts';

export interface ServiceTicketOptions {
  forwardable?: boolean;
  /** KDC options FORWARDED (used with a krbtgt server for delegation). */
  forwarded?: boolean;
  renewable?: boolean;
  /** RFC 6806 canonicalize; names in the reply may then differ from the request. */
  canonicalize?: boolean;
  /** Send a fresh subkey in the authenticator (reply then under usage 9). */
  useSubkey?: boolean;
  /** Requested end time (default: the TGT's end time, as MIT does). */
  till?: number;
}

export interface GetServiceTicketOptions extends KdcClientOptions {
  tgt: KerberosCredential;
  server: Principal;
  options?: ServiceTicketOptions;
}

/** The realm whose KDC accepts this TGT: the second component of krbtgt/REALM. */
export function tgtServiceRealm(tgt: KerberosCredential): string {
  const n = tgt.server.name.nameString;
  if (n.length !== 2 || n[0] !== 'krbtgt')
    throw gssError('INVALID_ARGUMENT', `${formatPrincipal(tgt.server)} is not a ticket-granting ticket`);
  return n[1]!;
}

/** Gets a ticket for `server` with the TGT. */
export async function getServiceTicket(o: GetServiceTicketOptions): Promise<KerberosCredential> {
  const opts = o.options ?? {};
  const { tgt } = o;
  const realm = tgtServiceRealm(tgt);
  const random = randomOf(o);
  const now = clockOf(o)();
  if (now >= tgt.endTime)
    throw gssError('CREDENTIALS_EXPIRED', `the TGT for ${formatPrincipal(tgt.client)} has expired`);
  const allowRc4 = o.allowRc4 ?? false;
  const sessionEnctype = getEnctype(tgt.key.etype, { allowRc4 });
  const etypes = enctypesOf(o).filter((e) => e !== 23 || allowRc4);

  let kdcOptions = 0;
  if (opts.forwardable) kdcOptions |= KdcOptions.FORWARDABLE;
  if (opts.forwarded) kdcOptions |= KdcOptions.FORWARDED;
  if (opts.renewable) kdcOptions |= KdcOptions.RENEWABLE;
  if (opts.canonicalize) kdcOptions |= KdcOptions.CANONICALIZE;
  const nonce = makeNonce(random);
  const body: KdcReqBody = {
    kdcOptions: kdcOptions >>> 0,
    // RFC 4120 §5.4.1: the realm of the server; the KDC asked is that of the TGT.
    realm: o.server.realm,
    sname: o.server.name,
    till: opts.till ?? tgt.endTime,
    nonce,
    etype: etypes,
  };
  if (opts.renewable && tgt.renewTill) body.rtime = tgt.renewTill;

  let subkey: EncryptionKey | undefined;
  if (opts.useSubkey) subkey = sessionEnctype.randomToKey(random(sessionEnctype.keyBytes));
  const checksum = sessionEnctype.checksum(
    tgt.key,
    KeyUsage.TGS_REQ_PA_AUTHENTICATOR_CKSUM,
    encodeKdcReqBody(body),
  );
  const authenticator = encodeAuthenticator({
    crealm: tgt.client.realm,
    cname: tgt.client.name,
    cksum: { cksumtype: sessionEnctype.checksumType, checksum },
    cusec: (Math.floor(now) % 1000) * 1000,
    ctime: now,
    ...(subkey ? { subkey } : {}),
  });
  const apReq = encodeApReq({
    apOptions: 0,
    ticket: decodeTicket(tgt.ticket),
    authenticator: {
      etype: tgt.key.etype,
      cipher: sessionEnctype.encrypt(tgt.key, KeyUsage.TGS_REQ_PA_AUTHENTICATOR, authenticator, {
        confounder: random(sessionEnctype.confounderSize),
      }),
    },
  });
  authenticator.fill(0);

  const reply = parseKdcReply(
    await sendToKdc(o, realm, encodeTgsReq({ padata: [paTgsReq(apReq)], reqBody: body })),
    'TGS',
  );
  if (reply.kind === 'error') {
    const e = reply.error;
    throw krbErrorToGssock(
      {
        errorCode: e.errorCode,
        ...(e.eText ? { eText: e.eText } : {}),
        realm: e.realm,
        server: formatPrincipal(o.server),
      },
      'TGS',
    );
  }
  const server: Principal = o.server;
  return subkey
    ? openKdcRep(reply.rep, subkey, KeyUsage.TGS_REP_ENC_PART_SUBKEY, expectation())
    : openKdcRep(reply.rep, tgt.key, KeyUsage.TGS_REP_ENC_PART_SESSION_KEY, expectation());

  function expectation() {
    return {
      exchange: 'TGS' as const,
      nonce,
      client: tgt.client,
      server,
      canonicalize: opts.canonicalize ?? false,
      allowRc4,
    };
  }
}

/** A forwarded TGT for delegation (RFC 4120 §2.6): krbtgt/REALM with FORWARDED|FORWARDABLE. */
export async function getForwardedTgt(
  o: Omit<GetServiceTicketOptions, 'server'>,
): Promise<KerberosCredential> {
  if ((o.tgt.flags & TicketFlags.FORWARDABLE) === 0)
    throw gssError('FLAGS_NOT_GRANTED', `the TGT for ${formatPrincipal(o.tgt.client)} is not forwardable`);
  const realm = tgtServiceRealm(o.tgt);
  return getServiceTicket({
    ...o,
    server: tgsPrincipal(realm, o.tgt.client.realm),
    options: { ...o.options, forwarded: true, forwardable: true },
  });
}
