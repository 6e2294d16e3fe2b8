/**
 * Shared primitives: MD4 (RFC 1320 A.5), RC4 (RFC 6229 §2), the AES and hash backends
 * (native node:crypto vs @noble agree on random inputs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex, utf8 } from '../../src/core/bytes.ts';
import { isGssockError } from '../../src/core/errors.ts';
import { aesBackend, makeNodeAes, nobleAes, setAesBackend } from '../../src/crypto/aes.ts';
import { digest, hmac, nativeHashesEnabled, pbkdf2, setNativeHashes } from '../../src/crypto/hash.ts';
import { md4 } from '../../src/crypto/md4.ts';
import { nativeCrypto } from '../../src/crypto/native.ts';
import { Rc4, rc4 } from '../../src/crypto/rc4.ts';
import md4Vectors from '../vectors/rfc1320-md4.json' with { type: 'json' };
import rc4Vectors from '../vectors/rfc6229-rc4.json' with { type: 'json' };

describe('MD4 (RFC 1320 A.5)', () => {
  for (const c of md4Vectors.cases) {
    it(`MD4("${c.input.length > 20 ? `${c.input.slice(0, 20)}...` : c.input}")`, () => {
      assert.equal(toHex(md4(utf8(c.input))), c.md4);
    });
  }
  it('block-boundary lengths match the runtime MD4 where it has one (Deno, Bun)', (t) => {
    const nc = nativeCrypto();
    let native: ((d: Uint8Array) => string) | undefined;
    try {
      nc?.createHash('md4');
      native = (d) => toHex(nc!.createHash('md4').update(d).digest());
    } catch {
      native = undefined;
    }
    if (!native) {
      t.skip('this runtime has no native MD4 (OpenSSL 3 legacy provider off); vectors above still ran');
      return;
    }
    for (let n = 0; n < 200; n++) {
      const d = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      assert.equal(toHex(md4(d)), native(d), `length ${n}`);
    }
  });
});

describe('RC4 (RFC 6229 §2)', () => {
  for (const c of rc4Vectors.cases) {
    it(`key ${c.key}: key stream at ${c.offsets.length} offsets`, () => {
      const stream = rc4(fromHex(c.key), new Uint8Array(4096));
      for (const o of c.offsets) assert.equal(toHex(stream.subarray(o.offset, o.offset + 16)), o.stream);
    });
  }
  it('keeps its state across calls (NTLM sealing), equal to one long call', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(50), { maxLength: 8 }),
        (key, data, cuts) => {
          const whole = rc4(key, data);
          const cipher = new Rc4(key);
          const parts: number[] = [];
          let off = 0;
          for (const cut of cuts) {
            const end = Math.min(data.length, off + cut);
            parts.push(...cipher.process(data.subarray(off, end)));
            off = end;
          }
          parts.push(...cipher.process(data.subarray(off)));
          assert.deepEqual(new Uint8Array(parts), whole);
          assert.deepEqual(rc4(key, whole), data); // its own inverse
        },
      ),
    );
  });
  it('skip() discards key stream; in-place processing works', () => {
    const a = new Rc4(fromHex('0102030405'));
    a.skip(16);
    const buf = new Uint8Array(16);
    a.process(buf, buf);
    assert.equal(toHex(buf), rc4Vectors.cases[0]!.offsets[1]!.stream);
  });
  it('refuses empty and over-long keys', () => {
    assert.throws(
      () => new Rc4(new Uint8Array(0)),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
    assert.throws(
      () => new Rc4(new Uint8Array(257)),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });
});

describe('AES backends', () => {
  const native = makeNodeAes();
  it('a backend is chosen (native where the runtime has node:crypto)', () => {
    assert.ok(aesBackend().name.length > 0);
    if (nativeCrypto()) assert.match(aesBackend().name, /node/);
  });
  it('FIPS-197 C.1/C.3 single blocks via every backend', () => {
    const pt = fromHex('00112233445566778899aabbccddeeff');
    const k128 = fromHex('000102030405060708090a0b0c0d0e0f');
    const k256 = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    for (const name of ['auto', 'node', 'noble'] as const) {
      if (name === 'node' && !native) continue;
      const b = setAesBackend(name);
      const iv = new Uint8Array(16);
      assert.equal(toHex(b.encryptCbc(k128, iv, pt)), '69c4e0d86a7b0430d8cdb78070b4c55a', name);
      assert.equal(toHex(b.encryptCbc(k256, iv, pt)), '8ea2b7ca516745bfeafc49904b496089', name);
      assert.equal(
        toHex(b.decryptCbc(k256, iv, fromHex('8ea2b7ca516745bfeafc49904b496089'))),
        toHex(pt),
        name,
      );
    }
    setAesBackend('auto');
  });
  it('native and noble agree on CBC of random whole blocks', {
    skip: native ? false : 'no node:crypto here',
  }, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32),
        fc.integer({ min: 0, max: 40 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (keyLen, blocks, keyBytes, iv) => {
          const key = keyBytes.subarray(0, keyLen);
          const data = new Uint8Array(blocks * 16).map((_, i) => (i * 7 + keyBytes[0]!) & 0xff);
          const a = native!.encryptCbc(key, iv, data);
          assert.deepEqual(a, nobleAes.encryptCbc(key, iv, data));
          assert.deepEqual(native!.decryptCbc(key, iv, a), data);
          assert.deepEqual(nobleAes.decryptCbc(key, iv, a), data);
        },
      ),
      { numRuns: 50 },
    );
  });
  it('refuses partial blocks and bad key sizes', () => {
    assert.throws(() => nobleAes.encryptCbc(new Uint8Array(16), new Uint8Array(16), new Uint8Array(15)));
    if (native)
      assert.throws(() => native.encryptCbc(new Uint8Array(15), new Uint8Array(16), new Uint8Array(16)));
  });
});

describe('hash backends', () => {
  it('native and noble agree for HMAC, digest and PBKDF2 on every size', () => {
    const was = nativeHashesEnabled();
    for (const name of ['md5', 'sha1', 'sha256', 'sha384'] as const) {
      for (const n of [0, 1, 63, 64, 255, 256, 1000, 5000]) {
        const data = new Uint8Array(n).map((_, i) => i & 0xff);
        const key = utf8('key');
        setNativeHashes(false);
        const h1 = toHex(hmac(name, key, data));
        const d1 = toHex(digest(name, data));
        const split = toHex(hmac(name, key, data.subarray(0, n >> 1), data.subarray(n >> 1)));
        setNativeHashes(true);
        assert.equal(toHex(hmac(name, key, data)), h1, `${name} hmac ${n}`);
        assert.equal(toHex(digest(name, data)), d1, `${name} digest ${n}`);
        assert.equal(split, h1, `${name} split hmac ${n}`);
      }
    }
    setNativeHashes(false);
    const p = toHex(pbkdf2('sha256', utf8('pw'), utf8('salt'), 10, 40));
    setNativeHashes(true);
    assert.equal(toHex(pbkdf2('sha256', utf8('pw'), utf8('salt'), 10, 40)), p);
    setNativeHashes(was);
  });
  it('HMAC-MD5 of RFC 2202 test case 2', () => {
    assert.equal(
      toHex(hmac('md5', utf8('Jefe'), utf8('what do ya want for nothing?'))),
      '750c783e6ab0b503eaa86e310a5db738',
    );
  });
});
