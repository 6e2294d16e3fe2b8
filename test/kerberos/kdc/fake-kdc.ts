/**
 * A minimal in-memory KDC for unit tests of the AS/TGS client logic, built only from the
 * gssock message encoders and enctypes (the MIT interop tests prove the real thing).
 * One user with a password, one service with a random key, the krbtgt key; AS with
 * optional pre-authentication (PA-ENC-TIMESTAMP, ETYPE-INFO2 in e-data) and TGS.
 */
import { KeyUsage, PaDataType } from '../../../src/providers/kerberos/constants.ts';
import { getEnctype } from '../../../src/providers/kerberos/crypto/registry.ts';
import { KerberosErrorCode } from '../../../src/providers/kerberos/error-codes.ts';
import {
  decodeApReq,
  decodeAsReq,
  decodeAuthenticator,
  decodeEncryptedData,
  decodeEncTicketPart,
  decodePaEncTsEnc,
  decodeTgsReq,
  encodeAsRep,
  encodeEncAsRepPart,
  encodeEncTgsRepPart,
  encodeEncTicketPart,
  encodeEtypeInfo2,
  encodeKrbError,
  encodeMethodData,
  encodeTgsRep,
  findPaData,
  type KdcReqBody,
  type Ticket,
} from '../../../src/providers/kerberos/messages/index.ts';
import type { EncryptionKey, PrincipalName } from '../../../src/providers/kerberos/types.ts';

export interface FakeKdcOptions {
  realm?: string;
  user?: string;
  password?: string;
  salt?: string;
  etype?: number;
  requirePreauth?: boolean;
  /** Rewrites each reply before it is returned (to test the client's checks). */
  tamper?: (reply: Uint8Array, kind: 'as' | 'tgs' | 'error') => Uint8Array;
  /** Reply with this enc-part tag (25 or 26) for AS-REP. */
  asRepTag?: 25 | 26;
  nonceDelta?: number;
  now?: () => number;
}

export function createFakeKdc(o: FakeKdcOptions = {}) {
  const realm = o.realm ?? 'FAKE.TEST';
  const user = o.user ?? 'alice';
  const etype = o.etype ?? 18;
  const enctype = getEnctype(etype, { allowRc4: true });
  const salt = o.salt ?? `${realm}${user}`;
  const userKey = enctype.stringToKey(o.password ?? 'secret', salt);
  const rnd = (n: number) => crypto.getRandomValues(new Uint8Array(n));
  const tgsKey = enctype.randomToKey(rnd(enctype.keyBytes));
  const serviceKey = enctype.randomToKey(rnd(enctype.keyBytes));
  const now = o.now ?? Date.now;
  const calls = { as: 0, tgs: 0 };
  const tamper = o.tamper ?? ((r) => r);

  const error = (code: number, sname: PrincipalName, eData?: Uint8Array) =>
    tamper(
      encodeKrbError({
        stime: now(),
        susec: 0,
        errorCode: code,
        realm,
        sname,
        ...(eData ? { eData } : {}),
      }),
      'error',
    );

  function issue(body: KdcReqBody, cname: PrincipalName, serverKey: EncryptionKey, flags: number) {
    const session = enctype.randomToKey(rnd(enctype.keyBytes));
    const t = now();
    const endtime = Math.min(body.till, t + 36_000_000);
    const encTicket = encodeEncTicketPart({
      flags,
      key: session,
      crealm: realm,
      cname,
      transited: { trType: 1, contents: new Uint8Array(0) },
      authtime: t,
      endtime,
    });
    const ticket: Ticket = {
      realm,
      sname: body.sname!,
      encPart: { etype, kvno: 1, cipher: enctype.encrypt(serverKey, KeyUsage.KDC_REP_TICKET, encTicket) },
    };
    const enc = {
      key: session,
      lastReq: [],
      nonce: (body.nonce + (o.nonceDelta ?? 0)) >>> 0,
      flags,
      authtime: t,
      endtime,
      srealm: realm,
      sname: body.sname!,
    };
    return { ticket, enc };
  }

  function handleAs(message: Uint8Array): Uint8Array {
    calls.as++;
    const req = decodeAsReq(message);
    const body = req.reqBody;
    const cname = body.cname!;
    if (cname.nameString.join('/') !== user)
      return error(KerberosErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, body.sname!);
    if (!body.etype.includes(etype)) return error(KerberosErrorCode.KDC_ERR_ETYPE_NOSUPP, body.sname!);
    const info = { padataType: PaDataType.PA_ETYPE_INFO2, padataValue: encodeEtypeInfo2([{ etype, salt }]) };
    const ts = findPaData(req.padata, PaDataType.PA_ENC_TIMESTAMP);
    if (o.requirePreauth !== false) {
      if (!ts)
        return error(KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED, body.sname!, encodeMethodData([info]));
      try {
        const ed = decodeEncryptedData(ts.padataValue);
        const when = decodePaEncTsEnc(enctype.decrypt(userKey, KeyUsage.AS_REQ_PA_ENC_TIMESTAMP, ed.cipher));
        if (Math.abs(when.patimestamp - now()) > 300_000)
          return error(KerberosErrorCode.KRB_AP_ERR_SKEW, body.sname!);
      } catch {
        return error(KerberosErrorCode.KDC_ERR_PREAUTH_FAILED, body.sname!);
      }
    }
    const serverKey = body.sname!.nameString[0] === 'krbtgt' ? tgsKey : serviceKey;
    const { ticket, enc } = issue(body, cname, serverKey, 0x40e10000);
    const plain = o.asRepTag === 26 ? encodeEncTgsRepPart(enc) : encodeEncAsRepPart(enc);
    return tamper(
      encodeAsRep({
        ...(o.requirePreauth === false ? { padata: [info] } : {}),
        crealm: realm,
        cname,
        ticket,
        encPart: { etype, cipher: enctype.encrypt(userKey, KeyUsage.AS_REP_ENC_PART, plain) },
      }),
      'as',
    );
  }

  function handleTgs(message: Uint8Array): Uint8Array {
    calls.tgs++;
    const req = decodeTgsReq(message);
    const ap = decodeApReq(findPaData(req.padata, PaDataType.PA_TGS_REQ)!.padataValue);
    const tgt = decodeEncTicketPart(
      enctype.decrypt(tgsKey, KeyUsage.KDC_REP_TICKET, ap.ticket.encPart.cipher),
    );
    const auth = decodeAuthenticator(
      enctype.decrypt(tgt.key, KeyUsage.TGS_REQ_PA_AUTHENTICATOR, ap.authenticator.cipher),
    );
    if (
      !auth.cksum ||
      !enctype.verifyChecksum(
        tgt.key,
        KeyUsage.TGS_REQ_PA_AUTHENTICATOR_CKSUM,
        req.reqBodyDer,
        auth.cksum.checksum,
      )
    )
      return error(KerberosErrorCode.KRB_AP_ERR_MODIFIED, req.reqBody.sname!);
    if (req.reqBody.sname!.nameString.join('/') === 'unknown/service')
      return error(KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, req.reqBody.sname!);
    const { ticket, enc } = issue(req.reqBody, tgt.cname, serviceKey, 0x00290000);
    const replyKey = auth.subkey ?? tgt.key;
    const usage = auth.subkey ? KeyUsage.TGS_REP_ENC_PART_SUBKEY : KeyUsage.TGS_REP_ENC_PART_SESSION_KEY;
    return tamper(
      encodeTgsRep({
        crealm: realm,
        cname: tgt.cname,
        ticket,
        encPart: { etype, cipher: enctype.encrypt(replyKey, usage, encodeEncTgsRepPart(enc)) },
      }),
      'tgs',
    );
  }

  return {
    realm,
    calls,
    serviceKey,
    /** The InMemoryKdc handler. */
    handle(message: Uint8Array): Uint8Array {
      return message[0] === 0x6a ? handleAs(message) : handleTgs(message);
    },
    decryptServiceTicket(ticket: Ticket) {
      return decodeEncTicketPart(enctype.decrypt(serviceKey, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher));
    },
  };
}
