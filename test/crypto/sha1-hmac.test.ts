/**
 * The prepared HMAC-SHA1 (src/crypto/sha1-hmac.ts): RFC 2202 §3 test cases and FIPS 180-2
 * SHA-1 examples (expected values from those documents), then against @noble/hashes at
 * every length around the block and padding boundaries, with the message split into parts
 * at every offset, and call after call on one key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js';
import { HmacSha1, sha1 } from '../../src/crypto/sha1-hmac.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (h: string) => new Uint8Array(h.match(/../g)!.map((x) => Number.parseInt(x, 16)));
const text = (s: string) => new TextEncoder().encode(s);

describe('SHA-1 (FIPS 180-2 appendix A)', () => {
  it('one block, two blocks, a million a', () => {
    assert.equal(hex(sha1(text('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(
      hex(sha1(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
    assert.equal(hex(sha1(new Uint8Array(1_000_000).fill(0x61))), '34aa973cd4c4daa4f61eeb2bdbad27316534016f');
    assert.equal(hex(sha1(new Uint8Array(0))), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
});

describe('HMAC-SHA1 (RFC 2202 §3)', () => {
  const cases: Array<[Uint8Array, Uint8Array, string]> = [
    [new Uint8Array(20).fill(0x0b), text('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
    [text('Jefe'), text('what do ya want for nothing?'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    [
      new Uint8Array(20).fill(0xaa),
      new Uint8Array(50).fill(0xdd),
      '125d7342b9ac11cd91a39af48aa17b4f63f175d3',
    ],
    [
      bytes('0102030405060708090a0b0c0d0e0f10111213141516171819'),
      new Uint8Array(50).fill(0xcd),
      '4c9007f4026250c6bc8414f9bf50c86c2d7235da',
    ],
    [new Uint8Array(20).fill(0x0c), text('Test With Truncation'), '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04'],
    [
      new Uint8Array(80).fill(0xaa),
      text('Test Using Larger Than Block-Size Key - Hash Key First'),
      'aa4ae5e15272d00e95705637ce8a3b55ed402112',
    ],
    [
      new Uint8Array(80).fill(0xaa),
      text('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
      'e8e99d0f45237d786d6bbaa7965c7808bbff1a91',
    ],
  ];
  for (const [n, [key, data, want]] of cases.entries())
    it(`test case ${n + 1}`, () => {
      const k = new HmacSha1(key);
      assert.equal(hex(k.mac(data)), want);
      assert.equal(hex(k.mac(data)), want, 'again on the same key');
    });
});

describe('HMAC-SHA1 against @noble/hashes', () => {
  it('every length 0..200 and some long ones, split at every offset', () => {
    const key = new Uint8Array(32).map((_, i) => i * 11 + 3);
    const k = new HmacSha1(key);
    const lengths = [...Array.from({ length: 201 }, (_, i) => i), 511, 512, 513, 4096 + 55];
    for (const n of lengths) {
      const data = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
      const want = hex(nobleHmac(nobleSha1, key, data));
      assert.equal(hex(k.mac(data)), want, `length ${n}`);
      if (n <= 140)
        for (let cut = 0; cut <= n; cut++)
          assert.equal(hex(k.mac(data.subarray(0, cut), data.subarray(cut))), want, `length ${n} cut ${cut}`);
      else {
        const third = Math.floor(n / 3);
        assert.equal(
          hex(
            k.mac(
              data.subarray(0, third),
              new Uint8Array(0),
              data.subarray(third, 2 * third),
              data.subarray(2 * third),
            ),
          ),
          want,
        );
      }
    }
  });

  it('keys of 16, 64 and 65 bytes; dispose zeroes the key states', () => {
    for (const len of [16, 64, 65]) {
      const key = new Uint8Array(len).map((_, i) => 255 - i);
      const data = text('kerberos');
      const k = new HmacSha1(key);
      assert.equal(hex(k.mac(data)), hex(nobleHmac(nobleSha1, key, data)), `key ${len}`);
      k.dispose();
      assert.notEqual(
        hex(k.mac(data)),
        hex(nobleHmac(nobleSha1, key, data)),
        'disposed key still MACs right',
      );
    }
  });
});
