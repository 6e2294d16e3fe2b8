/**
 * The per-message fast paths against the plain ones they replace: prepared CBC keys (a
 * long-lived native cipher per key, chaining cancelled per call) against one-shot noble
 * CBC; the CTS variants on prepared keys against RFC 3962 App. B; encryptInto against
 * encrypt; checksums over parts against checksums over the concatenation; the prepared
 * HMAC (native KeyObject or reused noble state) against one-shot noble HMAC.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/core/bytes.ts';
import { aesBackend, makeNodeAes, nobleAes, prepareCbc, setAesBackend } from '../../src/crypto/aes.ts';
import { HmacKey, hmac, setNativeHashes } from '../../src/crypto/hash.ts';
import { nativeCrypto } from '../../src/crypto/native.ts';
import {
  ctsDecryptPrepared,
  ctsEncryptPadded,
  ctsPaddedLength,
} from '../../src/providers/kerberos/crypto/aes-cts.ts';
import { getEnctype } from '../../src/providers/kerberos/crypto/index.ts';
import cts from '../vectors/rfc3962-cts.json' with { type: 'json' };

const ZERO_IV = new Uint8Array(16);
const native = nativeCrypto() ? makeNodeAes() : undefined;

describe('prepared CBC keys', () => {
  it('the default backend prepares native keys where node:crypto exists', () => {
    const k = prepareCbc(new Uint8Array(32));
    assert.equal(typeof k.encrypt, 'function');
    if (native) assert.match(aesBackend().name, /node/);
  });

  for (const size of [16, 24, 32]) {
    it(`AES-${size * 8}: every call equals one-shot CBC from a zero IV, in any order and size`, () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: size, maxLength: size }),
          fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 12 }),
          (key, calls) => {
            const k = prepareCbc(key);
            let i = 0;
            for (const [decrypt, blocks] of calls) {
              const data = new Uint8Array(blocks * 16).map((_, j) => (j * 31 + i++) & 0xff);
              const before = data.slice();
              const got = decrypt ? k.decrypt(data) : k.encrypt(data);
              const want = decrypt
                ? nobleAes.decryptCbc(key, ZERO_IV, data)
                : nobleAes.encryptCbc(key, ZERO_IV, data);
              assert.equal(toHex(got), toHex(want));
              assert.deepEqual(data, before, 'input restored');
            }
            k.dispose();
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('both backends prepare keys that agree', { skip: native ? false : 'no node:crypto here' }, () => {
    const key = new Uint8Array(32).map((_, i) => i);
    const data = new Uint8Array(160).map((_, i) => i * 3);
    const a = native!.prepare(key);
    const b = nobleAes.prepare(key);
    for (let r = 0; r < 3; r++) {
      assert.deepEqual(a.encrypt(data), b.encrypt(data));
      assert.deepEqual(a.decrypt(data), b.decrypt(data));
    }
  });

  it('refuses partial blocks', () => {
    assert.throws(() => prepareCbc(new Uint8Array(16)).encrypt(new Uint8Array(15)));
  });
});

describe('RFC 3962 App. B CBC-CTS on prepared keys', () => {
  const key = fromHex(cts.key);
  for (const c of cts.cases) {
    it(`${c.input.length / 2}-byte input`, () => {
      const input = fromHex(c.input);
      const padded = new Uint8Array(ctsPaddedLength(input.length));
      padded.set(input);
      const out = new Uint8Array(input.length + 5);
      ctsEncryptPadded(prepareCbc(key), padded, input.length, out, 3);
      assert.equal(toHex(out.subarray(3, 3 + input.length)), c.output);
      assert.equal(toHex(ctsDecryptPrepared(prepareCbc(key), fromHex(c.output))), c.input);
    });
  }
});

describe('encryptInto and checksums over parts', () => {
  for (const etype of [17, 18, 19, 20, 23]) {
    const e = getEnctype(etype, { allowRc4: true });
    const key = e.randomToKey(new Uint8Array(e.keyBytes).map((_, i) => i * 7));
    it(`${e.name}: encryptInto at an offset equals encrypt, and decrypts`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.nat(8), (pt, cut, offset) => {
          const at = Math.min(cut, pt.length);
          const confounder = new Uint8Array(e.confounderSize).fill(0x5a);
          const whole = e.encrypt(key, 24, pt, { confounder });
          const out = new Uint8Array(offset + e.encryptedLength(pt.length) + 2);
          e.encryptInto(key, 24, [pt.subarray(0, at), pt.subarray(at)], out, offset, { confounder });
          assert.equal(toHex(out.subarray(offset, offset + whole.length)), toHex(whole));
          assert.deepEqual(e.decrypt(key, 24, out.subarray(offset, offset + whole.length)), pt);
        }),
        { numRuns: 40 },
      );
    });
    it(`${e.name}: encryptInto refuses an output too small`, () => {
      assert.throws(() => e.encryptInto(key, 24, [new Uint8Array(10)], new Uint8Array(20), 0));
    });
    it(`${e.name}: checksum of parts equals checksum of the concatenation`, () => {
      const data = new Uint8Array(100).map((_, i) => i);
      const c = e.checksum(key, 25, data);
      assert.deepEqual(e.checksum(key, 25, [data.subarray(0, 37), data.subarray(37)]), c);
      assert.ok(e.verifyChecksum(key, 25, [data.subarray(0, 1), data.subarray(1)], c));
    });
  }
  it('the pure backend gives the same ciphertexts (fixed confounder)', () => {
    const e = getEnctype(18);
    const key = e.randomToKey(new Uint8Array(32).fill(1));
    const confounder = new Uint8Array(16).fill(2);
    const pt = new Uint8Array(1000).map((_, i) => i);
    const fast = e.encrypt(key, 22, pt, { confounder });
    setAesBackend('noble');
    try {
      assert.deepEqual(e.encrypt(key, 22, pt, { confounder }), fast);
      assert.deepEqual(e.decrypt(key, 22, fast), pt);
    } finally {
      setAesBackend('auto');
    }
  });
});

describe('prepared HMAC keys', () => {
  for (const name of ['sha1', 'sha256', 'sha384', 'md5'] as const) {
    it(`${name}: native and pure prepared keys equal one-shot HMAC at every size, call after call`, () => {
      const key = new Uint8Array(24).map((_, i) => i + 1);
      for (const on of [true, false]) {
        setNativeHashes(on);
        try {
          const k = new HmacKey(name, key);
          for (const n of [0, 1, 64, 255, 256, 1000, 2048, 5000]) {
            const data = new Uint8Array(n).map((_, i) => i * 5);
            setNativeHashes(false);
            const want = hmac(name, key, data);
            setNativeHashes(on);
            assert.equal(toHex(k.mac(data)), toHex(want), `${name} ${n} native=${on}`);
            assert.equal(toHex(k.mac(data.subarray(0, n >> 1), data.subarray(n >> 1))), toHex(want));
          }
        } finally {
          setNativeHashes(true);
        }
      }
    });
  }
});
