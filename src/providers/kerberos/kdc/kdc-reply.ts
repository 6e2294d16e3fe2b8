/**
 * Reading a KDC reply, shared by the AS and TGS exchanges (RFC 4120 §3.1.5, §3.3.4):
 * tell a KRB-ERROR from a KDC-REP, decrypt the enc-part, check it answers our request
 * (nonce, names), and turn it into a `KerberosCredential`. Every failure is a typed
 * GssockError; nothing here trusts a length or a field before checking it.
 */
import { GssockError, gssError, isGssockError } from '../../../core/errors.ts';
import { ApplicationTag } from '../constants.ts';
import { getEnctype, isEnctypeSupported } from '../crypto/registry.ts';
import {
  type DecodedEncKdcRepPart,
  decodeAsRep,
  decodeEncKdcRepPart,
  decodeKrbError,
  decodeTgsRep,
  encodeTicket,
  type KdcRep,
  type KrbError,
} from '../messages/index.ts';
import type { EncryptionKey, Principal } from '../types.ts';
import type { KerberosCredential } from './credential.ts';
import { formatPrincipal, samePrincipal } from './principal-name.ts';

export type KdcReply = { kind: 'error'; error: KrbError } | { kind: 'rep'; rep: KdcRep };

/** Classifies and decodes a reply. Throws MALFORMED (peer) for anything else. */
export function parseKdcReply(bytes: Uint8Array, exchange: 'AS' | 'TGS'): KdcReply {
  if (bytes.length === 0)
    throw gssError('MALFORMED', `${exchange}: empty reply from the KDC`, { origin: 'peer' });
  // [APPLICATION 30] constructed = 0x7e (RFC 4120 §5.9.1).
  if (bytes[0] === 0x7e) return { kind: 'error', error: decodeKrbError(bytes) };
  return { kind: 'rep', rep: exchange === 'AS' ? decodeAsRep(bytes) : decodeTgsRep(bytes) };
}

export interface ExpectedReply {
  exchange: 'AS' | 'TGS';
  nonce: number;
  client: Principal;
  server: Principal;
  /** RFC 6806 name canonicalization was requested: names may differ. */
  canonicalize?: boolean;
  allowRc4?: boolean;
}

/** Decrypts a KDC-REP enc-part with `key` under `usage` and checks it against the request. */
export function openKdcRep(
  rep: KdcRep,
  key: EncryptionKey,
  usage: number,
  expected: ExpectedReply,
): KerberosCredential {
  const { exchange } = expected;
  if (rep.encPart.etype !== key.etype)
    throw gssError(
      'ETYPE_NOT_SUPPORTED',
      `${exchange}-REP enc-part uses etype ${rep.encPart.etype}, our key is etype ${key.etype}`,
      { origin: 'peer', details: { etype: rep.encPart.etype } },
    );
  const enctype = getEnctype(key.etype, { allowRc4: expected.allowRc4 ?? false });
  let plain: Uint8Array;
  try {
    plain = enctype.decrypt(key, usage, rep.encPart.cipher);
  } catch (e) {
    if (exchange === 'AS' && isGssockError(e, 'BAD_SIGNATURE'))
      throw new GssockError('LOGON_DENIED', 'AS-REP does not decrypt with our key (wrong password or key?)', {
        origin: 'peer',
        cause: e,
        details: { krbError: { code: 31, name: 'KRB_AP_ERR_BAD_INTEGRITY' }, krbErrorCode: 31 },
      });
    throw e;
  }
  const enc: DecodedEncKdcRepPart = decodeEncKdcRepPart(plain);
  plain.fill(0);
  // RFC 4120 §5.4.2 lets either tag appear; MIT accepts both too.
  if (
    enc.applicationTag !== ApplicationTag.ENC_AS_REP_PART &&
    enc.applicationTag !== ApplicationTag.ENC_TGS_REP_PART
  )
    throw gssError('MALFORMED', `${exchange}-REP enc-part has tag ${enc.applicationTag}`, { origin: 'peer' });
  if (enc.nonce >>> 0 !== expected.nonce >>> 0)
    throw gssError('PROTOCOL_ERROR', `${exchange}-REP nonce does not match the request (replay?)`, {
      origin: 'peer',
    });
  const client: Principal = { realm: rep.crealm, name: rep.cname };
  const server: Principal = { realm: enc.srealm, name: enc.sname };
  const ticketServer: Principal = { realm: rep.ticket.realm, name: rep.ticket.sname };
  if (!samePrincipal(server, ticketServer))
    throw gssError(
      'PROTOCOL_ERROR',
      `${exchange}-REP ticket is for ${formatPrincipal(ticketServer)}, reply says ${formatPrincipal(server)}`,
      {
        origin: 'peer',
      },
    );
  if (!expected.canonicalize) {
    if (!samePrincipal(client, expected.client))
      throw gssError(
        'PROTOCOL_ERROR',
        `${exchange}-REP is for client ${formatPrincipal(client)}, we asked as ${formatPrincipal(expected.client)}`,
        {
          origin: 'peer',
        },
      );
    if (!samePrincipal(server, expected.server))
      throw gssError(
        'PROTOCOL_ERROR',
        `${exchange}-REP is for ${formatPrincipal(server)}, we asked for ${formatPrincipal(expected.server)}`,
        {
          origin: 'peer',
        },
      );
  }
  if (!isEnctypeSupported(enc.key.etype, { allowRc4: expected.allowRc4 ?? false }))
    throw gssError(
      'ETYPE_NOT_SUPPORTED',
      `${exchange}-REP session key has unsupported etype ${enc.key.etype}`,
      {
        origin: 'peer',
        details: { etype: enc.key.etype },
      },
    );
  const cred: KerberosCredential = {
    client,
    server,
    key: enc.key,
    authTime: enc.authtime,
    endTime: enc.endtime,
    flags: enc.flags >>> 0,
    ticket: encodeTicket(rep.ticket),
    ticketEtype: rep.ticket.encPart.etype,
  };
  if (enc.starttime !== undefined) cred.startTime = enc.starttime;
  if (enc.renewTill !== undefined) cred.renewTill = enc.renewTill;
  if (rep.ticket.encPart.kvno !== undefined) cred.ticketKvno = rep.ticket.encPart.kvno;
  if (enc.caddr !== undefined) cred.addresses = enc.caddr;
  return cred;
}
