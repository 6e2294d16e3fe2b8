/**
 * Decoders on bad input: typed MALFORMED errors with origin 'peer' and a field path, never
 * another exception, never a hang. Property tests (fast-check) feed random bytes, truncated
 * and bit-flipped valid encodings to every decoder.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../../src/core/bytes.ts';
import { isGssockError } from '../../../src/core/errors.ts';
import * as m from '../../../src/providers/kerberos/messages/index.ts';
import * as s from './samples.ts';

const decoders: Array<[string, (b: Uint8Array) => unknown, Uint8Array]> = [
  ['Ticket', m.decodeTicket, m.encodeTicket(s.ticket)],
  ['EncTicketPart', m.decodeEncTicketPart, m.encodeEncTicketPart(s.encTicketPart)],
  ['Authenticator', m.decodeAuthenticator, m.encodeAuthenticator(s.authenticator)],
  ['AP-REQ', m.decodeApReq, m.encodeApReq(s.apReq)],
  ['AP-REP', m.decodeApRep, m.encodeApRep(s.apRep)],
  ['EncAPRepPart', m.decodeEncApRepPart, m.encodeEncApRepPart(s.encApRepPart)],
  ['KDC-REQ', m.decodeKdcReq, m.encodeKdcReq(s.tgsReq)],
  ['KDC-REQ-BODY', m.decodeKdcReqBody, m.encodeKdcReqBody(s.kdcReqBody)],
  ['KDC-REP', m.decodeKdcRep, m.encodeKdcRep(s.kdcRep)],
  ['EncKDCRepPart', m.decodeEncKdcRepPart, m.encodeEncAsRepPart(s.encKdcRepPart)],
  ['KRB-ERROR', m.decodeKrbError, m.encodeKrbError(s.krbError)],
  ['KRB-CRED', m.decodeKrbCred, m.encodeKrbCred(s.krbCred)],
  ['EncKrbCredPart', m.decodeEncKrbCredPart, m.encodeEncKrbCredPart(s.encKrbCredPart)],
  ['METHOD-DATA', m.decodeMethodData, m.encodeMethodData(s.asReq.padata!)],
  ['TYPED-DATA', m.decodeTypedData, m.encodeTypedData([{ dataType: 1 }])],
  ['ETYPE-INFO2', m.decodeEtypeInfo2, m.encodeEtypeInfo2([{ etype: 18, salt: 'x' }])],
  ['ETYPE-INFO', m.decodeEtypeInfo, m.encodeEtypeInfo([{ etype: 18 }])],
  ['PA-ENC-TS-ENC', m.decodePaEncTsEnc, m.encodePaEncTsEnc({ patimestamp: 0 })],
  ['KERB-PA-PAC-REQUEST', m.decodePaPacRequest, m.encodePaPacRequest(true)],
  ['PrincipalName', m.decodePrincipalName, m.encodePrincipalName(s.principal)],
  ['EncryptedData', m.decodeEncryptedData, m.encodeEncryptedData(s.ticket.encPart)],
  [
    'AuthorizationData',
    m.decodeAuthorizationData,
    m.encodeAuthorizationData([{ adType: 1, adData: new Uint8Array(3) }]),
  ],
  ['GSS token', m.decodeKrb5ContextToken, m.encodeKrb5ContextToken('AP-REQ', m.encodeApReq(s.apReq))],
  ['PAC', m.parsePac, new Uint8Array(8)],
  ['PAC_SIGNATURE_DATA', m.parsePacSignature, new Uint8Array([16, 0, 0, 0, ...new Uint8Array(12)])],
  ['PAC_CLIENT_INFO', m.parsePacClientInfo, new Uint8Array(12)],
];

/** Runs `fn`; passes if it returns or throws a GssockError. */
function onlyTypedErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (!isGssockError(e)) throw e;
    return ['MALFORMED', 'BAD_MECH'].includes(e.code);
  }
}

function expectMalformed(fn: () => unknown, path: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isGssockError(e, 'MALFORMED'), String(e));
    assert.equal(e.origin, 'peer');
    assert.match(e.message, path);
    return true;
  });
}

describe('malformed input', () => {
  it('names the field that is wrong', () => {
    const apReq = m.encodeApReq(s.apReq);
    // Authenticator cipher turned from OCTET STRING (04) into an INTEGER (02).
    const hex = toHex(apReq);
    const at = hex.lastIndexOf('a2660464');
    assert.ok(at > 0);
    const broken = fromHex(hex.slice(0, at) + 'a2660264' + hex.slice(at + 8));
    expectMalformed(() => m.decodeApReq(broken), /^AP-REQ\.authenticator\.cipher: expected UNIVERSAL 4/);
    expectMalformed(() => m.decodeApReq(apReq.subarray(0, apReq.length - 1)), /^AP-REQ: bad DER/);
    expectMalformed(() => m.decodeApReq(new Uint8Array([...apReq, 0])), /1 trailing bytes/);
    expectMalformed(() => m.decodeApRep(apReq), /^AP-REP: expected APPLICATION 15/);
  });

  it('checks pvno, msg-type, missing fields, ranges and times', () => {
    // EncAPRepPart without cusec [1].
    expectMalformed(
      () => m.decodeEncApRepPart(fromHex('7b153013a011180f32303235303530363037303830395a')),
      /cusec: required field \[1\]/,
    );
    // Microseconds out of range (1000000 = 0F 42 40). (This vector once had [1] 04 over a
    // 5-octet INTEGER; asn1js let the child overrun its parent, the DER reader does not.)
    const usec = fromHex('7b1c301aa011180f32303235303530363037303830395aa10502030f4240');
    expectMalformed(() => m.decodeEncApRepPart(usec), /EncAPRepPart\.cusec: 1000000 is not Microseconds/);
    // A fractional KerberosTime is refused.
    const frac = m.encodePaEncTsEnc({ patimestamp: 0 });
    const fracHex = toHex(frac).replace('3013a011180f', '3015a0131811').replace(/5a$/, '2e305a');
    expectMalformed(
      () => m.decodePaEncTsEnc(fromHex(fracHex)),
      /patimestamp: KerberosTime must be YYYYMMDDHHMMSSZ/,
    );
    // 13th month.
    const bad = toHex(frac).replace(
      toHex(new TextEncoder().encode('19700101')),
      toHex(new TextEncoder().encode('19701301')),
    );
    expectMalformed(() => m.decodePaEncTsEnc(fromHex(bad)), /invalid date/);
    // AP-REP with pvno 4.
    const rep = toHex(m.encodeApRep(s.apRep)).replace('a003020105', 'a003020104');
    expectMalformed(() => m.decodeApRep(fromHex(rep)), /AP-REP\.pvno: expected 5, got 4/);
    // Int32 overflow in etype (5-byte INTEGER 00 80 00 00 00 = 2^31).
    expectMalformed(
      () => m.decodeEncryptionKey(fromHex('300ea0070205008000000 0a1030401aa'.replace(' ', ''))),
      /keytype: 2147483648 is not an Int32/,
    );
  });

  it('refuses indefinite lengths, out-of-order fields and oversize input', () => {
    expectMalformed(
      () => m.decodeEncryptionKey(fromHex('3080a003020112a1030401aa0000')),
      /indefinite|bad DER/,
    );
    expectMalformed(() => m.decodeEncryptionKey(fromHex('300aa1030401aaa003020112')), /out of order/);
    const big = m.encodeTicket(s.ticket);
    expectMalformed(() => m.decodeTicket(big, { maxSize: big.length - 1 }), /exceed the limit/);
    expectMalformed(
      () => m.decodePrincipalName(fromHex('300ba003020101a10430021b00'.slice(0, 20))),
      /PrincipalName/,
    );
    // Non-UTF-8 KerberosString.
    expectMalformed(() => m.decodePrincipalName(fromHex('300ca003020101a10530031b01ff')), /not valid UTF-8/);
  });

  for (const [name, decode, valid] of decoders) {
    it(`${name}: random bytes, truncations and bit flips give typed errors only`, () => {
      assert.doesNotThrow(() => decode(valid));
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyTypedErrors(() => decode(b))),
        { numRuns: 300 },
      );
      for (let n = 0; n < valid.length; n++) assert.ok(onlyTypedErrors(() => decode(valid.subarray(0, n))));
      fc.assert(
        fc.property(fc.nat(valid.length * 8 - 1), fc.nat(255), (bit, byte) => {
          const copy = valid.slice();
          copy[bit >> 3]! ^= 1 << (bit & 7);
          const b = copy.slice();
          b[bit % b.length] = byte;
          return onlyTypedErrors(() => decode(copy)) && onlyTypedErrors(() => decode(b));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('deep nesting is refused, not a stack overflow', () => {
    const deep = new Uint8Array(4000);
    for (let i = 0; i < 2000; i++) deep.set([0x30, 0x80], i * 2);
    expectMalformed(() => m.decodeTicket(deep), /Ticket/);
    let nested = new Uint8Array([0x05, 0x00]);
    for (let i = 0; i < 200; i++) {
      const len = nested.length;
      const head =
        len < 128 ? [0x30, len] : len < 256 ? [0x30, 0x81, len] : [0x30, 0x82, len >> 8, len & 0xff];
      nested = new Uint8Array([...head, ...nested]);
    }
    expectMalformed(() => m.decodeTicket(nested), /Ticket/);
  });
});
