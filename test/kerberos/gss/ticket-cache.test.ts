/**
 * The acceptor's cache of decrypted tickets (src/providers/kerberos/gss/ticket-cache.ts):
 * hits only for the same key and the same ciphertext bytes, copies that a context may wipe,
 * expiry and the size bound; and the AP-REQ with the ticket's DER embedded as is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecryptedTickets } from '../../../src/providers/kerberos/gss/ticket-cache.ts';
import {
  decodeApReq,
  decodeTicket,
  type EncTicketPart,
  encodeApReq,
  encodeTicket,
} from '../../../src/providers/kerberos/messages/index.ts';

const part = (endtime: number): EncTicketPart => ({
  flags: 0,
  key: { etype: 18, value: new Uint8Array(32).fill(9) },
  crealm: 'EXAMPLE.TEST',
  cname: { nameType: 1, nameString: ['alice'] },
  transited: { trType: 1, contents: new Uint8Array(0) },
  authtime: 1000,
  endtime,
});

describe('DecryptedTickets', () => {
  const key = { etype: 18, value: new Uint8Array(32).fill(1) };
  const cipher = new Uint8Array(80).map((_, i) => i);

  it('hits for the same key and bytes, with a copy the caller may wipe', () => {
    const c = new DecryptedTickets();
    c.set(key, cipher, part(10_000));
    const a = c.get(key, cipher.slice(), 5000)!;
    assert.deepEqual(a.key.value, new Uint8Array(32).fill(9));
    a.key.value.fill(0);
    assert.deepEqual(c.get(key, cipher, 5000)!.key.value, new Uint8Array(32).fill(9));
  });

  it('misses for another key object, other bytes, or an expired ticket', () => {
    const c = new DecryptedTickets();
    c.set(key, cipher, part(10_000));
    assert.equal(c.get({ etype: 18, value: key.value.slice() }, cipher, 5000), undefined);
    const other = cipher.slice();
    other[79] = (other[79] ?? 0) ^ 1;
    assert.equal(c.get(key, other, 5000), undefined);
    assert.equal(c.get(key, cipher, 10_001), undefined);
    assert.equal(c.get(key, cipher, 5000), undefined, 'the expired entry was dropped');
  });

  it('keeps at most its bound, oldest out first', () => {
    const c = new DecryptedTickets(2);
    const ciphers = [1, 2, 3].map((n) => new Uint8Array(40).fill(n));
    for (const x of ciphers) c.set(key, x, part(10_000));
    assert.equal(c.get(key, ciphers[0]!, 0), undefined);
    assert.ok(c.get(key, ciphers[1]!, 0));
    assert.ok(c.get(key, ciphers[2]!, 0));
  });
});

describe('AP-REQ with the ticket DER embedded', () => {
  it('encodes the same bytes as with the decoded ticket', () => {
    const der = encodeTicket({
      realm: 'EXAMPLE.TEST',
      sname: { nameType: 3, nameString: ['host', 'localhost'] },
      encPart: { etype: 18, kvno: 2, cipher: new Uint8Array(300).map((_, i) => i) },
    });
    const base = { apOptions: 0x20000000, authenticator: { etype: 18, cipher: new Uint8Array(90).fill(7) } };
    const raw = encodeApReq({ ...base, ticket: der });
    assert.deepEqual(raw, encodeApReq({ ...base, ticket: decodeTicket(der) }));
    assert.deepEqual(decodeApReq(raw).ticket, decodeTicket(der));
  });
});
