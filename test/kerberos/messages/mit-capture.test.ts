/**
 * Real MIT krb5 bytes: kinit and kvno talk to a throwaway MIT KDC through a recording
 * relay; every captured message must decode, re-encode to the identical DER, and its
 * encrypted parts (decrypted with keys we know) must decode and re-encode identically too.
 * RFC 4120 §3.1 (AS), §3.3 (TGS), §5.2.7 (PA-DATA), MS-PAC §2.3-2.8 (the PAC MIT adds).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytesEqual } from '../../../src/core/bytes.ts';
import {
  KeyUsage,
  MessageType,
  PacBufferType,
  PaDataType,
} from '../../../src/providers/kerberos/constants.ts';
import { KerberosErrorCode } from '../../../src/providers/kerberos/error-codes.ts';
import { getEnctype, makeChecksum } from '../../../src/providers/kerberos/crypto/index.ts';
import { findKeys, parseKeytab } from '../../../src/providers/kerberos/keytab.ts';
import * as m from '../../../src/providers/kerberos/messages/index.ts';
import type { EncryptedData, EncryptionKey } from '../../../src/providers/kerberos/types.ts';
import { type MitRealm, mitSkip, startMitRealm } from '../../support/mit-realm.ts';
import { type Exchange, startKdcRecorder } from './kdc-recorder.ts';

const skip = mitSkip();

const decrypt = (key: EncryptionKey, usage: number, data: EncryptedData) =>
  getEnctype(data.etype, { allowRc4: true }).decrypt(key, usage, data.cipher);

describe('MIT-captured Kerberos messages', { skip }, () => {
  let realm: MitRealm;
  let exchanges: Exchange[] = [];
  let serviceKeys: ReturnType<typeof parseKeytab>;

  before(async () => {
    realm = await startMitRealm({
      principals: { alice: { password: 'alice-pw-1' }, 'host/localhost': { randkey: true } },
    });
    const kt = join(realm.dir, 'service.keytab');
    await realm.ktadd('host/localhost', kt);
    serviceKeys = parseKeytab(new Uint8Array(readFileSync(kt)));
    const rec = await startKdcRecorder(realm);
    try {
      await realm.runOk('kinit', ['alice'], { input: 'alice-pw-1\n', env: rec.env });
      await realm.runOk('kvno', ['host/localhost'], { env: rec.env });
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await rec.close();
    }
    exchanges = rec.exchanges;
  });
  after(async () => realm?.stop());

  const firstAs = () => exchanges.find((e) => e.request[0] === 0x6a && e.reply[0] === 0x7e)!;
  const secondAs = () => exchanges.find((e) => e.request[0] === 0x6a && e.reply[0] === 0x6b)!;
  const tgs = () => exchanges.find((e) => e.request[0] === 0x6c)!;

  /** Alice's long-term key from the ETYPE-INFO2 the KDC sent (RFC 4120 §3.1.3). */
  function aliceKey(): EncryptionKey {
    const err = m.decodeKrbError(firstAs().reply);
    const pa = m.findPaData(m.decodeMethodData(err.eData!), PaDataType.PA_ETYPE_INFO2)!;
    const info = m.decodeEtypeInfo2(pa.padataValue)[0]!;
    const e = getEnctype(info.etype, { allowRc4: true });
    return e.stringToKey('alice-pw-1', info.salt ?? 'EXAMPLE.TESTalice', info.s2kparams);
  }

  it('captured AS (preauth-required, then preauth) and TGS exchanges', () => {
    assert.ok(firstAs(), 'unauthenticated AS-REQ answered by KRB-ERROR');
    assert.ok(secondAs(), 'AS-REQ with PA-ENC-TIMESTAMP answered by AS-REP');
    assert.ok(tgs(), 'TGS-REQ');
  });

  it('AS-REQ decodes and re-encodes byte for byte', () => {
    for (const ex of [firstAs(), secondAs()]) {
      const req = m.decodeAsReq(ex.request);
      assert.equal(req.msgType, MessageType.AS_REQ);
      assert.deepEqual(req.reqBody.cname?.nameString, ['alice']);
      assert.deepEqual(req.reqBody.sname?.nameString, ['krbtgt', 'EXAMPLE.TEST']);
      assert.equal(req.reqBody.realm, 'EXAMPLE.TEST');
      assert.ok(req.reqBody.etype.includes(18));
      assert.ok(bytesEqual(m.encodeKdcReq(req), ex.request));
      assert.ok(bytesEqual(m.encodeKdcReqBody(req.reqBody), req.reqBodyDer));
    }
  });

  it('KRB-ERROR PREAUTH_REQUIRED carries METHOD-DATA with ETYPE-INFO2', () => {
    const raw = firstAs().reply;
    const err = m.decodeKrbError(raw);
    assert.equal(err.errorCode, KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED);
    assert.match(m.describeKrbError(err), /^KDC_ERR_PREAUTH_REQUIRED \(25\)/);
    assert.equal(err.realm, 'EXAMPLE.TEST');
    assert.ok(bytesEqual(m.encodeKrbError(err), raw));
    const methods = m.decodeMethodData(err.eData!);
    assert.ok(bytesEqual(m.encodeMethodData(methods), err.eData!));
    const info2 = m.decodeEtypeInfo2(m.findPaData(methods, PaDataType.PA_ETYPE_INFO2)!.padataValue);
    assert.equal(info2[0]!.salt, 'EXAMPLE.TESTalice');
    assert.ok(m.findPaData(methods, PaDataType.PA_ENC_TIMESTAMP), 'PA-ENC-TIMESTAMP offered');
  });

  it('PA-ENC-TIMESTAMP decrypts (usage 1) to a current PA-ENC-TS-ENC', () => {
    const req = m.decodeAsReq(secondAs().request);
    const pa = m.findPaData(req.padata, PaDataType.PA_ENC_TIMESTAMP)!;
    const enc = m.decodeEncryptedData(pa.padataValue);
    assert.ok(bytesEqual(m.encodeEncryptedData(enc), pa.padataValue));
    const plain = decrypt(aliceKey(), KeyUsage.AS_REQ_PA_ENC_TIMESTAMP, enc);
    const ts = m.decodePaEncTsEnc(plain);
    assert.ok(Math.abs(ts.patimestamp - Date.now()) < 10 * 60_000);
    assert.ok(bytesEqual(m.encodePaEncTsEnc(ts), plain));
  });

  it('AS-REP and its EncASRepPart (usage 3) round-trip; nonce matches', () => {
    const { request, reply } = secondAs();
    const rep = m.decodeAsRep(reply);
    assert.ok(bytesEqual(m.encodeKdcRep(rep), reply));
    assert.deepEqual(rep.cname.nameString, ['alice']);
    const plain = decrypt(aliceKey(), KeyUsage.AS_REP_ENC_PART, rep.encPart);
    const part = m.decodeEncKdcRepPart(plain);
    assert.equal(part.nonce, m.decodeAsReq(request).reqBody.nonce);
    assert.deepEqual(part.sname.nameString, ['krbtgt', 'EXAMPLE.TEST']);
    const reencoded = part.applicationTag === 25 ? m.encodeEncAsRepPart(part) : m.encodeEncTgsRepPart(part);
    assert.ok(bytesEqual(reencoded, plain));
  });

  it('TGS-REQ: PA-TGS-REQ AP-REQ, its Authenticator (usage 7) and body checksum (usage 6)', () => {
    const asPart = m.decodeEncKdcRepPart(
      decrypt(aliceKey(), KeyUsage.AS_REP_ENC_PART, m.decodeAsRep(secondAs().reply).encPart),
    );
    const { request } = tgs();
    const req = m.decodeTgsReq(request);
    assert.ok(bytesEqual(m.encodeKdcReq(req), request));
    const apReqDer = m.findPaData(req.padata, PaDataType.PA_TGS_REQ)!.padataValue;
    const apReq = m.decodeApReq(apReqDer);
    assert.ok(bytesEqual(m.encodeApReq(apReq), apReqDer));
    const authPlain = decrypt(asPart.key, KeyUsage.TGS_REQ_PA_AUTHENTICATOR, apReq.authenticator);
    const auth = m.decodeAuthenticator(authPlain);
    assert.ok(bytesEqual(m.encodeAuthenticator(auth), authPlain));
    assert.deepEqual(auth.cname.nameString, ['alice']);
    const expected = makeChecksum(
      auth.cksum!.cksumtype,
      asPart.key,
      KeyUsage.TGS_REQ_PA_AUTHENTICATOR_CKSUM,
      req.reqBodyDer,
    );
    assert.ok(bytesEqual(expected, auth.cksum!.checksum), 'req-body checksum verifies over reqBodyDer');
  });

  it('TGS-REP round-trips; the service ticket EncTicketPart (usage 2) carries a verifiable PAC', () => {
    // MIT armors the TGS exchange with FAST once the KDC advertised it (RFC 6113 §5.4.2,
    // PA-FX-FAST 136 in request and reply), so the reply key is the FAST-strengthened key;
    // the ticket, however, is under the service key we hold in the keytab.
    const req = m.decodeTgsReq(tgs().request);
    const rep = m.decodeTgsRep(tgs().reply);
    assert.ok(bytesEqual(m.encodeKdcRep(rep), tgs().reply));
    assert.deepEqual(rep.ticket.sname.nameString, ['host', 'localhost']);
    assert.deepEqual(req.reqBody.sname?.nameString, ['host', 'localhost']);

    const key = findKeys(serviceKeys, undefined, { etype: rep.ticket.encPart.etype })[0]!.key;
    const ticketPlain = decrypt(key, KeyUsage.KDC_REP_TICKET, rep.ticket.encPart);
    const etp = m.decodeEncTicketPart(ticketPlain);
    assert.ok(bytesEqual(m.encodeEncTicketPart(etp), ticketPlain));
    assert.deepEqual(etp.cname.nameString, ['alice']);

    const pacBytes = m.findPacInAuthorizationData(etp.authorizationData);
    assert.ok(pacBytes, 'MIT 1.20 puts a PAC in every ticket');
    const pac = m.parsePac(pacBytes);
    const types = pac.buffers.map((b) => b.type);
    assert.ok(types.includes(PacBufferType.CLIENT_INFO));
    assert.ok(types.includes(PacBufferType.SERVER_CHECKSUM));
    assert.ok(types.includes(PacBufferType.PRIVSVR_CHECKSUM));
    const info = m.parsePacClientInfo(pac.buffers.find((b) => b.type === PacBufferType.CLIENT_INFO)!.data);
    assert.equal(info.name, 'alice');
    assert.equal(info.clientId, etp.authtime);
    const server = m.parsePacSignature(
      pac.buffers.find((b) => b.type === PacBufferType.SERVER_CHECKSUM)!.data,
    );
    const sig = makeChecksum(
      server.signatureType,
      key,
      KeyUsage.KERB_NON_KERB_CKSUM_SALT,
      m.zeroPacSignatures(pac),
    );
    assert.ok(bytesEqual(sig, server.signature), 'server signature verifies (MS-PAC §2.8.1)');
  });
});
