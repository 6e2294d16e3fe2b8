/**
 * RFC 2743 §3.1 framing and the RFC 4121 §4.1 TOK_IDs; DER lengths per X.690 §8.1.3
 * (short form below 128, 0x81/0x82 long forms). OIDs from references.md §3.4.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual, fromHex, toHex } from '../../../src/core/bytes.ts';
import { isGssockError } from '../../../src/core/errors.ts';
import * as m from '../../../src/providers/kerberos/messages/index.ts';
import * as s from './samples.ts';

const KRB5_OID_DER = '06092a864886f712010202';
const MS_KRB5_OID_DER = '06092a864882f712010202';

describe('GSS initial context token framing', () => {
  it('short form: 60 len 06 09 <krb5 OID> 01 00 <AP-REQ>', () => {
    const inner = fromHex('0100aabb');
    const token = m.encodeGssInitialToken(m.KRB5_MECH_OID, inner);
    assert.equal(toHex(token), `600f${KRB5_OID_DER}0100aabb`);
    const back = m.decodeGssInitialToken(token);
    assert.equal(back.mechOid, m.KRB5_MECH_OID);
    assert.ok(bytesEqual(back.inner, inner));
  });

  it('long forms 0x81 and 0x82 for the length', () => {
    const t1 = m.encodeGssInitialToken(m.KRB5_MECH_OID, new Uint8Array(200));
    assert.equal(toHex(t1.subarray(0, 3)), '6081d3'); // 11 + 200 = 211
    const t2 = m.encodeGssInitialToken(m.KRB5_MECH_OID, new Uint8Array(700));
    assert.equal(toHex(t2.subarray(0, 4)), '608202c7'); // 711
    assert.equal(m.decodeGssInitialToken(t2).inner.length, 700);
  });

  it('Kerberos context tokens: AP-REQ, AP-REP, KRB-ERROR, and the MS OID', () => {
    const apReq = m.encodeApReq(s.apReq);
    const t = m.encodeKrb5ContextToken('AP-REQ', apReq);
    const d = m.decodeKrb5ContextToken(t);
    assert.equal(d.kind, 'AP-REQ');
    assert.equal(d.tokId, 0x0100);
    assert.deepEqual(m.decodeApReq(d.message), s.apReq);
    assert.equal(
      m.decodeKrb5ContextToken(m.encodeKrb5ContextToken('AP-REP', m.encodeApRep(s.apRep))).kind,
      'AP-REP',
    );
    assert.equal(
      m.decodeKrb5ContextToken(m.encodeKrb5ContextToken('KRB-ERROR', m.encodeKrbError(s.krbError))).tokId,
      0x0300,
    );
    const ms = m.encodeKrb5ContextToken('AP-REP', m.encodeApRep(s.apRep), m.MS_KRB5_MECH_OID);
    assert.ok(toHex(ms).includes(MS_KRB5_OID_DER));
    assert.equal(m.decodeKrb5ContextToken(ms).mechOid, m.MS_KRB5_MECH_OID);
  });

  it('refuses other mechanisms, bad lengths, unknown TOK_IDs', () => {
    const spnego = m.encodeGssInitialToken('1.3.6.1.5.5.2', fromHex('0100'));
    assert.throws(
      () => m.decodeKrb5ContextToken(spnego),
      (e) => isGssockError(e, 'BAD_MECH') && e.origin === 'peer',
    );
    const good = m.encodeKrb5ContextToken('AP-REQ', fromHex('3000'));
    const longer = new Uint8Array([...good, 0]);
    assert.throws(() => m.decodeKrb5ContextToken(longer), { code: 'MALFORMED' });
    const unknown = m.encodeGssInitialToken(m.KRB5_MECH_OID, fromHex('0404aa'));
    assert.throws(() => m.decodeKrb5ContextToken(unknown), /unknown TOK_ID 0x0404/);
    assert.throws(() => m.decodeGssInitialToken(fromHex('a00100')), { code: 'MALFORMED' });
    assert.throws(() => m.decodeGssInitialToken(fromHex('6080')), { code: 'MALFORMED' });
    assert.throws(() => m.decodeGssInitialToken(good, { maxSize: 4 }), /exceed the limit/);
  });
});
