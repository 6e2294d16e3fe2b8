/**
 * Every RFC 4120 message: encode -> decode gives the same object, decode -> encode gives
 * the same octets, minimal objects (OPTIONAL fields absent) too. The samples exercise every
 * field; DER facts checked against X.690 (§8.3 INTEGER, §8.6 BIT STRING, §11.7 GeneralizedTime).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual, fromHex, toHex } from '../../../src/core/bytes.ts';
import { MessageType } from '../../../src/providers/kerberos/constants.ts';
import * as m from '../../../src/providers/kerberos/messages/index.ts';
import * as s from './samples.ts';

type Pair<T> = [string, T, (v: T) => Uint8Array, (b: Uint8Array) => unknown];

const pairs: Array<Pair<any>> = [
  ['Ticket', s.ticket, m.encodeTicket, m.decodeTicket],
  ['EncTicketPart', s.encTicketPart, m.encodeEncTicketPart, m.decodeEncTicketPart],
  ['Authenticator', s.authenticator, m.encodeAuthenticator, m.decodeAuthenticator],
  ['AP-REQ', s.apReq, m.encodeApReq, m.decodeApReq],
  ['AP-REP', s.apRep, m.encodeApRep, m.decodeApRep],
  ['EncAPRepPart', s.encApRepPart, m.encodeEncApRepPart, m.decodeEncApRepPart],
  ['KDC-REQ-BODY', s.kdcReqBody, m.encodeKdcReqBody, m.decodeKdcReqBody],
  ['KRB-ERROR', s.krbError, m.encodeKrbError, m.decodeKrbError],
  ['KRB-CRED', s.krbCred, m.encodeKrbCred, m.decodeKrbCred],
  ['EncKrbCredPart', s.encKrbCredPart, m.encodeEncKrbCredPart, m.decodeEncKrbCredPart],
  ['KDC-REP', s.kdcRep, m.encodeKdcRep, m.decodeKdcRep],
  ['PrincipalName', s.principal, m.encodePrincipalName, m.decodePrincipalName],
  ['EncryptedData', s.ticket.encPart, m.encodeEncryptedData, m.decodeEncryptedData],
  ['EncryptionKey', { etype: 18, value: new Uint8Array(32) }, m.encodeEncryptionKey, m.decodeEncryptionKey],
  ['Checksum', { cksumtype: 16, checksum: new Uint8Array(12) }, m.encodeChecksum, m.decodeChecksum],
  [
    'AuthorizationData',
    s.encTicketPart.authorizationData,
    m.encodeAuthorizationData,
    m.decodeAuthorizationData,
  ],
  ['METHOD-DATA', s.asReq.padata, m.encodeMethodData, m.decodeMethodData],
  ['HostAddresses', s.encTicketPart.caddr, m.encodeHostAddresses, m.decodeHostAddresses],
  [
    'TYPED-DATA',
    [{ dataType: 3, dataValue: new Uint8Array(4) }, { dataType: 5 }],
    m.encodeTypedData,
    m.decodeTypedData,
  ],
  [
    'ETYPE-INFO2',
    [{ etype: 18, salt: 'EXAMPLE.TESTalice', s2kparams: new Uint8Array([0, 0, 16, 0]) }, { etype: 23 }],
    m.encodeEtypeInfo2,
    m.decodeEtypeInfo2,
  ],
  [
    'ETYPE-INFO',
    [{ etype: 23, salt: new Uint8Array([1, 2]) }, { etype: 17 }],
    m.encodeEtypeInfo,
    m.decodeEtypeInfo,
  ],
  [
    'PA-ENC-TS-ENC',
    { patimestamp: s.encTicketPart.authtime, pausec: 7 },
    m.encodePaEncTsEnc,
    m.decodePaEncTsEnc,
  ],
];

describe('messages round-trip', () => {
  for (const [name, value, encode, decode] of pairs) {
    it(`${name}: encode -> decode -> encode`, () => {
      const der = encode(value);
      const back = decode(der);
      assert.deepEqual(back, value);
      assert.ok(bytesEqual(encode(back), der));
    });
  }

  it('AS-REQ / TGS-REQ keep msgType and the exact req-body octets', () => {
    for (const req of [s.asReq, s.tgsReq]) {
      const der = m.encodeKdcReq(req);
      const back = m.decodeKdcReq(der);
      const { reqBodyDer, ...rest } = back;
      assert.deepEqual(rest, req);
      assert.ok(bytesEqual(reqBodyDer, m.encodeKdcReqBody(req.reqBody)));
    }
    assert.equal(m.decodeAsReq(m.encodeAsReq(s.asReq)).msgType, MessageType.AS_REQ);
    assert.equal(m.decodeTgsReq(m.encodeTgsReq(s.tgsReq)).msgType, MessageType.TGS_REQ);
    assert.throws(() => m.decodeAsReq(m.encodeTgsReq(s.tgsReq)), { code: 'MALFORMED' });
    assert.throws(() => m.decodeTgsRep(m.encodeAsRep(s.kdcRep)), { code: 'MALFORMED' });
  });

  it('EncKDCRepPart: [APPLICATION 25] and [26] both decode and say which', () => {
    const as = m.decodeEncKdcRepPart(m.encodeEncAsRepPart(s.encKdcRepPart));
    const tgs = m.decodeEncKdcRepPart(m.encodeEncTgsRepPart(s.encKdcRepPart));
    assert.equal(as.applicationTag, 25);
    assert.equal(tgs.applicationTag, 26);
    const { applicationTag, ...rest } = as;
    assert.deepEqual(rest, s.encKdcRepPart);
    assert.equal(m.encodeEncAsRepPart(s.encKdcRepPart)[0], 0x79); // [APPLICATION 25] constructed
    assert.equal(m.encodeEncTgsRepPart(s.encKdcRepPart)[0], 0x7a);
  });

  it('KERB-PA-PAC-REQUEST is SEQUENCE { [0] BOOLEAN } with DER TRUE = FF (MS-KILE §2.2.3)', () => {
    assert.equal(toHex(m.encodePaPacRequest(true)), '3005a0030101ff');
    assert.equal(toHex(m.encodePaPacRequest(false)), '3005a003010100');
    assert.equal(m.decodePaPacRequest(fromHex('3005a0030101ff')), true);
    assert.equal(m.paPacRequest(false).padataType, 128);
  });

  it('minimal objects: absent OPTIONAL fields stay absent', () => {
    const a = { crealm: 'R', cname: { nameType: 1, nameString: ['u'] }, cusec: 0, ctime: 0 };
    assert.deepEqual(m.decodeAuthenticator(m.encodeAuthenticator(a)), a);
    const e = {
      stime: 1000,
      susec: 0,
      errorCode: 6,
      realm: 'R',
      sname: { nameType: 2, nameString: ['krbtgt', 'R'] },
    };
    assert.deepEqual(m.decodeKrbError(m.encodeKrbError(e)), e);
    const p = { ctime: 5000, cusec: 3 };
    assert.deepEqual(m.decodeEncApRepPart(m.encodeEncApRepPart(p)), p);
  });

  it('primitive encodings follow X.690 DER', () => {
    // Authenticator seq-number 0xFFFFFFFF needs a leading 00 octet (X.690 §8.3.2).
    const a = m.encodeAuthenticator({ ...s.authenticator, seqNumber: 0xffffffff });
    assert.ok(toHex(a).includes('a707020500ffffffff'));
    // KerberosFlags: 32 bits, 0 unused bits; mutual-required is bit 2 (RFC 4120 §5.5.1).
    assert.ok(toHex(m.encodeApReq(s.apReq)).includes('a20703050020000000'));
    // KerberosTime: GeneralizedTime 'YYYYMMDDHHMMSSZ', no fraction (RFC 4120 §5.2.3).
    const ts = m.encodePaEncTsEnc({ patimestamp: Date.UTC(2025, 4, 6, 7, 8, 9, 999) });
    assert.equal(toHex(ts), `3013a011180f${toHex(new TextEncoder().encode('20250506070809Z'))}`);
    assert.equal(m.kerberosTimeText(Date.UTC(2037, 8, 13, 2, 48, 5)), '20370913024805Z');
    // KerberosString: GeneralString (tag 27) with UTF-8 octets.
    const pn = m.encodePrincipalName({ nameType: 1, nameString: ['é'] });
    assert.equal(toHex(pn), '300da003020101a1063004' + '1b02c3a9');
  });

  it('a negative seq-number / nonce (old signed encoders) is read as UInt32', () => {
    const der = m.encodeEncApRepPart({ ctime: 0, cusec: 0, seqNumber: 1 });
    // Replace the 1-octet INTEGER 01 by FF (-1), as an old signed encoder would for 0xFFFFFFFF.
    const hex = toHex(der).replace('a303020101', 'a3030201ff');
    assert.equal(m.decodeEncApRepPart(fromHex(hex)).seqNumber, 0xffffffff);
  });
});
