/**
 * Credential delegation (RFC 4121 §4.1.1.1): the initiator puts a forwarded TGT in a
 * KRB-CRED (RFC 4120 §5.8) inside the authenticator checksum; the acceptor turns it into
 * a credential cache the application can use (MIT's gss-server hands it on the same way).
 *
 * Which key protects EncKrbCredPart: RFC 4121 says the session key (usage 14), and MIT's
 * initiator suppresses the subkey to do exactly that (init_sec_context.c make_gss_checksum).
 * Older MIT and some Java clients send it unencrypted (etype 0: the "cipher" is the DER of
 * EncKrbCredPart itself, protected by the encrypted authenticator around it); MIT's
 * acceptor (rd_and_store_for_creds) tries the keys it has and then plaintext. We do the
 * same: etype 0 as plaintext, else the session key, then the initiator subkey.
 */
import { gssError } from '../../../core/errors.ts';
import type { RandomSource } from '../../../core/mechanism.ts';
import { type Ccache, type CcacheCredential, serializeCcache } from '../ccache.ts';
import { KeyUsage } from '../constants.ts';
import { getEnctype } from '../crypto/registry.ts';
import type { KerberosCredential } from '../kdc/credential.ts';
import {
  decodeEncKrbCredPart,
  decodeKrbCred,
  decodeTicket,
  type EncKrbCredPart,
  encodeEncKrbCredPart,
  encodeKrbCred,
  encodeTicket,
} from '../messages/index.ts';
import type { EncryptionKey } from '../types.ts';

/** The KRB-CRED for `tgt`, encrypted in the ticket session key. */
export function makeKrbCred(
  tgt: KerberosCredential,
  sessionKey: EncryptionKey,
  random: RandomSource,
  allowRc4: boolean,
): Uint8Array {
  const part: EncKrbCredPart = {
    ticketInfo: [
      {
        key: tgt.key,
        prealm: tgt.client.realm,
        pname: tgt.client.name,
        flags: tgt.flags >>> 0,
        authtime: tgt.authTime,
        ...(tgt.startTime !== undefined ? { starttime: tgt.startTime } : {}),
        endtime: tgt.endTime,
        ...(tgt.renewTill !== undefined ? { renewTill: tgt.renewTill } : {}),
        srealm: tgt.server.realm,
        sname: tgt.server.name,
      },
    ],
  };
  const enctype = getEnctype(sessionKey.etype, { allowRc4 });
  const plain = encodeEncKrbCredPart(part);
  const cipher = enctype.encrypt(sessionKey, KeyUsage.KRB_CRED_ENC_PART, plain, {
    confounder: random(enctype.confounderSize),
  });
  plain.fill(0);
  return encodeKrbCred({
    tickets: [decodeTicket(tgt.ticket)],
    encPart: { etype: sessionKey.etype, cipher },
  });
}

export interface DelegatedCredential {
  /** MIT FILE ccache (v4) bytes holding the delegated ticket(s). */
  ccache: Uint8Array;
  /** The parsed form. */
  parsed: Ccache;
}

/** Opens a delegated KRB-CRED with the keys the acceptor has. */
export function readKrbCred(der: Uint8Array, keys: EncryptionKey[], allowRc4: boolean): DelegatedCredential {
  const cred = decodeKrbCred(der);
  let part: EncKrbCredPart | undefined;
  if (cred.encPart.etype === 0) part = decodeEncKrbCredPart(cred.encPart.cipher);
  else {
    for (const key of keys) {
      if (key.etype !== cred.encPart.etype) continue;
      try {
        const enctype = getEnctype(key.etype, { allowRc4 });
        part = decodeEncKrbCredPart(enctype.decrypt(key, KeyUsage.KRB_CRED_ENC_PART, cred.encPart.cipher));
        break;
      } catch {
        // try the next key
      }
    }
  }
  if (!part)
    throw gssError(
      'BAD_SIGNATURE',
      'the delegated credential (KRB-CRED) does not decrypt with the session keys',
      {
        origin: 'peer',
      },
    );
  if (part.ticketInfo.length !== cred.tickets.length || cred.tickets.length === 0)
    throw gssError('DEFECTIVE_TOKEN', 'KRB-CRED ticket count does not match its ticket-info', {
      origin: 'peer',
    });
  const credentials: CcacheCredential[] = cred.tickets.map((ticket, i) => {
    const info = part.ticketInfo[i]!;
    if (!info.prealm || !info.pname || !info.srealm || !info.sname)
      throw gssError('DEFECTIVE_TOKEN', 'KRB-CRED ticket-info lacks client or server names', {
        origin: 'peer',
      });
    return {
      client: { realm: info.prealm, name: info.pname },
      server: { realm: info.srealm, name: info.sname },
      key: info.key,
      authtime: info.authtime ?? 0,
      starttime: info.starttime ?? 0,
      endtime: info.endtime ?? 0,
      renewTill: info.renewTill ?? 0,
      isSkey: false,
      ticketFlags: (info.flags ?? 0) >>> 0,
      addresses: info.caddr ?? [],
      authdata: [],
      ticket: encodeTicket(ticket),
      secondTicket: new Uint8Array(0),
    };
  });
  const parsed: Ccache = { version: 4, defaultPrincipal: credentials[0]!.client, credentials };
  return { ccache: serializeCcache(parsed), parsed };
}
