/**
 * Pure AES with kept schedules (src/crypto/aes-pure.ts): FIPS-197 appendix C known
 * answers, zero-IV CBC against @noble/ciphers' own CBC for every key size at many lengths
 * and call orders, the single-block chain of RFC 3961 DR against block-by-block
 * encryption, and prepared keys of both backends.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cbc, ecb } from '@noble/ciphers/aes.js';
import { isGssockError } from '../../src/core/errors.ts';
import { makeNodeAes, nobleAes } from '../../src/crypto/aes.ts';
import { aesEncryptChain, PureCbcKey } from '../../src/crypto/aes-pure.ts';
import { nativeCrypto } from '../../src/crypto/native.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (h: string) => new Uint8Array(h.match(/../g)!.map((x) => Number.parseInt(x, 16)));
const ZERO_IV = new Uint8Array(16);
const counting = (n: number) => new Uint8Array(n).map((_, i) => i);

describe('PureCbcKey', () => {
  it('FIPS-197 appendix C: AES-128, -192, -256 of 00112233...ff', () => {
    const pt = bytes('00112233445566778899aabbccddeeff');
    const cases: Array<[number, string]> = [
      [16, '69c4e0d86a7b0430d8cdb78070b4c55a'],
      [24, 'dda97ca4864cdfe06eaf70a0ec0d7191'],
      [32, '8ea2b7ca516745bfeafc49904b496089'],
    ];
    for (const [n, ct] of cases) {
      const k = new PureCbcKey(counting(n));
      // One block of zero-IV CBC is ECB.
      assert.equal(hex(k.encrypt(pt)), ct, `AES-${n * 8}`);
      assert.equal(hex(k.decrypt(bytes(ct))), hex(pt));
      assert.equal(hex(aesEncryptChain(counting(n), pt, 1)), ct);
    }
  });

  for (const size of [16, 24, 32])
    it(`AES-${size * 8}: CBC from a zero IV equals noble's CBC, call after call`, () => {
      const key = new Uint8Array(size).map((_, i) => i * 13 + size);
      const k = new PureCbcKey(key);
      for (let round = 0; round < 3; round++)
        for (const blocks of [1, 2, 3, 4, 5, 8, 12, 33]) {
          const data = new Uint8Array(blocks * 16).map((_, i) => (i * 29 + blocks + round) & 0xff);
          const before = data.slice();
          const want = cbc(key, ZERO_IV, { disablePadding: true }).encrypt(data);
          assert.equal(hex(k.encrypt(data)), hex(want), `${blocks} blocks`);
          assert.equal(hex(k.decrypt(want)), hex(before));
          assert.deepEqual(data, before, 'input untouched');
        }
    });

  it('refuses partial blocks; dispose forgets the key', () => {
    const k = new PureCbcKey(counting(32));
    assert.throws(
      () => k.encrypt(new Uint8Array(15)),
      (e: unknown) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
    const pt = new Uint8Array(16);
    const before = hex(k.encrypt(pt));
    k.dispose();
    assert.notEqual(hex(k.encrypt(pt)), before);
  });
});

describe('aesEncryptChain', () => {
  it('equals E(b), E(E(b)), ... block by block', () => {
    for (const size of [16, 32]) {
      const key = new Uint8Array(size).map((_, i) => 200 - i);
      const start = counting(16);
      const got = aesEncryptChain(key, start, 3);
      let block = start;
      for (let i = 0; i < 3; i++) {
        block = ecb(key, { disablePadding: true }).encrypt(block);
        assert.equal(hex(got.subarray(i * 16, i * 16 + 16)), hex(block), `block ${i}`);
      }
      assert.deepEqual(start, counting(16), 'input untouched');
    }
  });
});

describe('prepared keys of both backends', () => {
  const backends = [
    ['noble (pure, kept schedules)', nobleAes],
    ...(nativeCrypto() ? [['native stream', makeNodeAes()!] as const] : []),
  ] as const;
  for (const [name, backend] of backends)
    it(`${name}: calls of every size, interleaved, all equal zero-IV CBC`, () => {
      const key = counting(32);
      const k = backend.prepare(key);
      for (const n of [16, 160, 32, 48, 64, 80, 16, 256, 96, 16, 512, 16]) {
        const data = new Uint8Array(n).map((_, i) => (i * 7 + n) & 0xff);
        const want = cbc(key, ZERO_IV, { disablePadding: true }).encrypt(data);
        assert.equal(hex(k.encrypt(data)), hex(want), `encrypt ${n}`);
        assert.equal(hex(k.decrypt(want)), hex(data), `decrypt ${n}`);
      }
      k.dispose();
    });
});
