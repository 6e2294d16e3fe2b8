/**
 * Behaviour of every enctype beyond the published vectors: round trips for plaintext
 * lengths 0..100 and large, any flipped bit -> BAD_SIGNATURE from the peer, truncation ->
 * MALFORMED, property tests, the registry, checksum types, and the derived-key cache.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toHex, utf8 } from '../../src/core/bytes.ts';
import { isGssockError } from '../../src/core/errors.ts';
import { setAesBackend } from '../../src/crypto/aes.ts';
import {
  CHECKSUM,
  checksumSize,
  encryptedLength,
  enctypeFromName,
  enctypeName,
  forgetDerivedKeys,
  getEnctype,
  isEnctypeSupported,
  makeChecksum,
  prfPlus,
  rc4HmacUsage,
  verifyChecksum,
} from '../../src/providers/kerberos/crypto/index.ts';
import type { EncryptionKey } from '../../src/providers/kerberos/types.ts';

const ETYPES = [17, 18, 19, 20, 23];
const ALL = { allowRc4: true };
const keyOf = (etype: number, seed = 1): EncryptionKey => {
  const e = getEnctype(etype, ALL);
  return e.randomToKey(new Uint8Array(e.keyBytes).map((_, i) => (i * 13 + seed) & 0xff));
};
const isCode = (code: string) => (e: unknown) =>
  isGssockError(e, code as never) && (e as { origin: string }).origin === 'peer';

for (const etype of ETYPES) {
  const e = getEnctype(etype, ALL);
  describe(`${e.name} (${etype})`, () => {
    const key = keyOf(etype);
    it('round-trips every plaintext length 0..100 and 1 MiB + 3, lengths as announced', () => {
      for (let n = 0; n <= 100; n++) {
        const pt = new Uint8Array(n).map((_, i) => (i + n) & 0xff);
        const ct = e.encrypt(key, 22, pt);
        assert.equal(ct.length, e.encryptedLength(n));
        assert.equal(ct.length, encryptedLength(etype, n));
        assert.deepEqual(e.decrypt(key, 22, ct), pt);
      }
      const big = new Uint8Array(1024 * 1024 + 3).map((_, i) => i & 0xff);
      assert.deepEqual(e.decrypt(key, 24, e.encrypt(key, 24, big)), big);
    });
    it('round-trips across the reused working buffer size (2 KiB), results independent of later calls', () => {
      // AES enctypes pad into one reused buffer up to SCRATCH_MAX (aes-cts.ts): results must
      // never alias it, so each stays intact while later, differently sized calls run.
      const kept: Array<[Uint8Array, Uint8Array, Uint8Array]> = [];
      for (const n of [2000, 2015, 2016, 2017, 2032, 2033, 2047, 2048, 2049, 5000, 7, 100]) {
        const pt = new Uint8Array(n).map((_, i) => (i * 7 + n) & 0xff);
        const ct = e.encrypt(key, 22, pt);
        kept.push([pt, ct, e.decrypt(key, 22, ct)]);
      }
      for (const [pt, ct, back] of kept) {
        assert.deepEqual(back, pt);
        assert.deepEqual(e.decrypt(key, 22, ct), pt);
      }
    });
    it('round-trips on the pure (noble) AES backend too, and both backends interoperate', () => {
      const pt = utf8('backend interop '.repeat(7));
      const native = e.encrypt(key, 23, pt);
      setAesBackend('noble');
      try {
        assert.deepEqual(e.decrypt(key, 23, native), pt);
        const pure = e.encrypt(key, 23, pt);
        setAesBackend('auto');
        assert.deepEqual(e.decrypt(key, 23, pure), pt);
      } finally {
        setAesBackend('auto');
      }
    });
    it('any flipped bit gives BAD_SIGNATURE with origin peer', () => {
      const ct = e.encrypt(key, 25, utf8('integrity matters here, 33 bytes'));
      for (let bit = 0; bit < ct.length * 8; bit++) {
        const bad = ct.slice();
        bad[bit >> 3]! ^= 1 << (bit & 7);
        assert.throws(() => e.decrypt(key, 25, bad), isCode('BAD_SIGNATURE'), `bit ${bit}`);
      }
    });
    it('wrong key usage or wrong key gives BAD_SIGNATURE', () => {
      const ct = e.encrypt(key, 22, utf8('hello'));
      assert.throws(() => e.decrypt(key, 24, ct), isCode('BAD_SIGNATURE'));
      assert.throws(() => e.decrypt(keyOf(etype, 2), 22, ct), isCode('BAD_SIGNATURE'));
    });
    it('too-short ciphertexts give MALFORMED; truncated ones never decrypt', () => {
      const min = e.encryptedLength(0);
      for (let n = 0; n < min; n++)
        assert.throws(() => e.decrypt(key, 22, new Uint8Array(n)), isCode('MALFORMED'), `length ${n}`);
      const ct = e.encrypt(key, 22, utf8('some data to cut'));
      for (let n = min; n < ct.length; n++)
        assert.throws(
          () => e.decrypt(key, 22, ct.subarray(0, n)),
          (x) => isGssockError(x),
          `length ${n}`,
        );
    });
    it('property: decrypt(encrypt(p)) = p for random keys, usages and plaintexts', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: e.keyBytes, maxLength: e.keyBytes }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.uint8Array({ maxLength: 200 }),
          (bytes, usage, pt) => {
            const k = e.randomToKey(bytes);
            assert.deepEqual(e.decrypt(k, usage, e.encrypt(k, usage, pt)), pt);
            const ck = e.checksum(k, usage, pt);
            assert.equal(ck.length, e.checksumSize);
            assert.ok(e.verifyChecksum(k, usage, pt, ck));
            assert.ok(!e.verifyChecksum(k, (usage ^ 1) >>> 0, pt, ck));
          },
        ),
        { numRuns: 40 },
      );
    });
    it('property: decrypt of random bytes never crashes, only typed peer errors', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 120 }), (junk) => {
          try {
            e.decrypt(key, 22, junk);
            assert.fail('random bytes decrypted');
          } catch (x) {
            assert.ok(isGssockError(x) && (x as { origin: string }).origin === 'peer', String(x));
          }
        }),
        { numRuns: 200 },
      );
    });
    it('checksums: etype checksum equals makeChecksum of its type; keys of other etypes are refused', () => {
      const data = utf8('checksum me');
      assert.equal(toHex(makeChecksum(e.checksumType, key, 17, data)), toHex(e.checksum(key, 17, data)));
      assert.ok(verifyChecksum(e.checksumType, key, 17, data, e.checksum(key, 17, data)));
      assert.equal(checksumSize(e.checksumType), e.checksumSize);
      const other = keyOf(etype === 17 ? 18 : 17);
      assert.throws(
        () => e.encrypt(other, 1, data),
        (x) => isGssockError(x, 'ETYPE_NOT_SUPPORTED'),
      );
    });
    it('encrypt is randomised (fresh confounder) and the PRF is deterministic', () => {
      const pt = utf8('same');
      assert.notDeepEqual(e.encrypt(key, 1, pt), e.encrypt(key, 1, pt));
      assert.deepEqual(e.prf(key, pt), e.prf(key, pt));
      assert.equal(e.prf(key, pt).length, e.prfSize);
      assert.equal(prfPlus(key, pt, 100).length, 100);
    });
  });
}

describe('registry and numbers', () => {
  it('unknown and disabled etypes throw ETYPE_NOT_SUPPORTED', () => {
    for (const etype of [1, 3, 16, 24, 25, 99, -1])
      assert.throws(
        () => getEnctype(etype),
        (x) => isGssockError(x, 'ETYPE_NOT_SUPPORTED'),
      );
    assert.throws(
      () => getEnctype(23),
      (x) => isGssockError(x, 'ETYPE_NOT_SUPPORTED'),
    );
    assert.equal(getEnctype(23, ALL).name, 'arcfour-hmac');
    assert.ok(!isEnctypeSupported(23) && isEnctypeSupported(23, ALL) && isEnctypeSupported(20));
  });
  it('names as MIT prints them, both ways', () => {
    assert.equal(enctypeName(18), 'aes256-cts-hmac-sha1-96');
    assert.equal(enctypeName(20), 'aes256-cts-hmac-sha384-192');
    assert.equal(enctypeName(23), 'arcfour-hmac');
    assert.equal(enctypeName(77), 'etype-77');
    assert.equal(enctypeFromName('DEPRECATED:arcfour-hmac'), 23);
    assert.equal(enctypeFromName('aes128-cts-hmac-sha256-128'), 19);
    assert.equal(enctypeFromName('aes256-sha2'), 20);
    for (const etype of [17, 18, 19, 20]) assert.equal(getEnctype(etype).name, enctypeName(etype));
  });
  it('RFC 4757 §3 usage translation', () => {
    assert.equal(rc4HmacUsage(3), 8);
    assert.equal(rc4HmacUsage(23), 13);
    assert.equal(rc4HmacUsage(7), 7);
  });
  it('unkeyed checksums and hmac-md5 with a key of any etype (PA-FOR-USER)', () => {
    assert.equal(
      toHex(makeChecksum(CHECKSUM.RSA_MD5, undefined, 0, utf8('abc'))),
      '900150983cd24fb0d6963f7d28e17f72',
    );
    assert.equal(
      toHex(makeChecksum(CHECKSUM.SHA1, undefined, 0, utf8('abc'))),
      'a9993e364706816aba3e25717850c26c9cd0d89d',
    );
    const aesKey = keyOf(18);
    assert.equal(makeChecksum(CHECKSUM.HMAC_MD5_ARCFOUR, aesKey, 17, utf8('x')).length, 16);
    assert.throws(() => makeChecksum(CHECKSUM.HMAC_MD5_ARCFOUR, undefined, 17, utf8('x')));
    assert.throws(
      () => makeChecksum(CHECKSUM.CRC32, undefined, 0, utf8('x')),
      (x) => isGssockError(x, 'ETYPE_NOT_SUPPORTED'),
    );
  });
  it('s2kparams from a peer are bounded', () => {
    const p = (n: number) => {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, n >>> 0);
      return b;
    };
    for (const etype of [17, 20]) {
      assert.throws(
        () => getEnctype(etype).stringToKey('pw', 'salt', p(0)),
        (x) => isGssockError(x, 'LIMIT_EXCEEDED'),
      );
      assert.throws(
        () => getEnctype(etype).stringToKey('pw', 'salt', p(0x1000000)),
        (x) => isGssockError(x, 'LIMIT_EXCEEDED'),
      );
      assert.throws(
        () => getEnctype(etype).stringToKey('pw', 'salt', new Uint8Array(3)),
        (x) => isGssockError(x, 'MALFORMED'),
      );
    }
  });
  it('derived keys are cached per key value; forgetDerivedKeys wipes them', () => {
    const e = getEnctype(18);
    const k = keyOf(18, 9);
    const ct = e.encrypt(k, 22, utf8('cached'));
    // A second key object sharing nothing but equal bytes decrypts the same way.
    assert.deepEqual(e.decrypt({ etype: 18, value: k.value.slice() }, 22, ct), utf8('cached'));
    forgetDerivedKeys(k.value);
    assert.deepEqual(e.decrypt(k, 22, ct), utf8('cached'));
  });
});
