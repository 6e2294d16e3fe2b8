/**
 * Published Kerberos crypto vectors (test/vectors/*.json, each naming its source):
 * RFC 3961 App. A.1 n-fold, RFC 3962 App. B string-to-key and CBC-CTS, RFC 8009 App. A,
 * MIT t_decrypt known ciphertexts, RFC 6113 KRB-FX-CF2 with MIT's t_cf2 inputs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex, utf8 } from '../../src/core/bytes.ts';
import { pbkdf2 } from '../../src/crypto/hash.ts';
import {
  cf2,
  ctsDecrypt,
  ctsEncrypt,
  ctsNextIv,
  getEnctype,
  kdfHmacSha2,
  makeChecksum,
  nfold,
} from '../../src/providers/kerberos/crypto/index.ts';
import tDecrypt from '../vectors/mit-t_decrypt.json' with { type: 'json' };
import nfoldVectors from '../vectors/rfc3961-nfold.json' with { type: 'json' };
import cts from '../vectors/rfc3962-cts.json' with { type: 'json' };
import s2k3962 from '../vectors/rfc3962-string-to-key.json' with { type: 'json' };
import cf2Vectors from '../vectors/rfc6113-cf2.json' with { type: 'json' };
import r8009 from '../vectors/rfc8009.json' with { type: 'json' };

const ALL = { allowRc4: true };
const iterParams = (n: number): Uint8Array => {
  const p = new Uint8Array(4);
  new DataView(p.buffer).setUint32(0, n);
  return p;
};

describe('RFC 3961 App. A.1 n-fold', () => {
  for (const c of nfoldVectors.cases) {
    it(`${c.bits}-fold("${c.input}")`, () => {
      assert.equal(toHex(nfold(utf8(c.input), c.bits / 8)), c.output);
    });
  }
});

describe('RFC 3962 App. B string-to-key', () => {
  for (const c of s2k3962.cases) {
    const password = 'passwordHex' in c && c.passwordHex ? fromHex(c.passwordHex) : utf8(c.password ?? '');
    const salt = 'saltHex' in c && c.saltHex ? fromHex(c.saltHex) : utf8(c.salt ?? '');
    const label = `${c.iterations} iterations, ${password.length}-byte pass phrase`;
    it(`PBKDF2 output, ${label}`, () => {
      assert.equal(toHex(pbkdf2('sha1', password, salt, c.iterations, 16)), c.pbkdf2_128);
      assert.equal(toHex(pbkdf2('sha1', password, salt, c.iterations, 32)), c.pbkdf2_256);
    });
    it(`aes128 and aes256 keys, ${label}`, () => {
      const params = iterParams(c.iterations);
      assert.equal(toHex(getEnctype(17).stringToKey(password, salt, params).value), c.aes128);
      assert.equal(toHex(getEnctype(18).stringToKey(password, salt, params).value), c.aes256);
    });
  }
  it('g-clef pass phrase given as a JS string is UTF-8 encoded', () => {
    const c = s2k3962.cases[6]!;
    const key = getEnctype(17).stringToKey('\u{1D11E}', 'EXAMPLE.COMpianist', iterParams(50));
    assert.equal(toHex(key.value), c.aes128);
  });
});

describe('RFC 3962 App. B AES-128 CBC-CTS', () => {
  const key = fromHex(cts.key);
  const iv = fromHex(cts.iv);
  for (const c of cts.cases) {
    it(`${c.input.length / 2}-byte input: output and next IV`, () => {
      const out = ctsEncrypt(key, iv, fromHex(c.input));
      assert.equal(toHex(out), c.output);
      assert.equal(toHex(ctsNextIv(out)), c.nextIv);
      assert.equal(toHex(ctsDecrypt(key, iv, fromHex(c.output))), c.input);
    });
  }
});

describe('RFC 8009 App. A', () => {
  for (const c of r8009.stringToKey) {
    it(`string-to-key, etype ${c.etype}, 32768 iterations (default s2kparams)`, () => {
      assert.equal(toHex(getEnctype(c.etype).stringToKey(c.password, fromHex(c.saltHex)).value), c.key);
      assert.equal(
        toHex(getEnctype(c.etype).stringToKey(c.password, fromHex(c.saltHex), iterParams(32768)).value),
        c.key,
      );
    });
  }
  for (const c of r8009.keyDerivation) {
    it(`Kc, Ke, Ki for usage ${c.usage}, etype ${c.etype}`, () => {
      const hash = c.etype === 19 ? 'sha256' : 'sha384';
      const base = fromHex(c.baseKey);
      const label = (b: number) => fromHex(`0000000${c.usage}${b.toString(16)}`);
      assert.equal(toHex(kdfHmacSha2(hash, base, label(0x99), undefined, c.kc.length * 4)), c.kc);
      assert.equal(toHex(kdfHmacSha2(hash, base, label(0xaa), undefined, c.ke.length * 4)), c.ke);
      assert.equal(toHex(kdfHmacSha2(hash, base, label(0x55), undefined, c.ki.length * 4)), c.ki);
    });
  }
  const base = Object.fromEntries(r8009.keyDerivation.map((k) => [k.etype, k.baseKey]));
  for (const c of r8009.encryption) {
    it(`encryption of ${c.plaintext.length / 2} bytes, etype ${c.etype}`, () => {
      const e = getEnctype(c.etype);
      const key = { etype: c.etype, value: fromHex(base[c.etype]!) };
      const out = e.encrypt(key, c.usage, fromHex(c.plaintext), { confounder: fromHex(c.confounder) });
      assert.equal(toHex(out), c.ciphertext);
      assert.equal(toHex(e.decrypt(key, c.usage, fromHex(c.ciphertext))), c.plaintext);
      assert.equal(e.encryptedLength(c.plaintext.length / 2), c.ciphertext.length / 2);
    });
  }
  for (const c of r8009.checksum) {
    it(`checksum type ${c.cksumtype}`, () => {
      const key = { etype: c.etype, value: fromHex(base[c.etype]!) };
      assert.equal(toHex(getEnctype(c.etype).checksum(key, c.usage, fromHex(c.data))), c.checksum);
      assert.equal(toHex(makeChecksum(c.cksumtype, key, c.usage, fromHex(c.data))), c.checksum);
      assert.ok(getEnctype(c.etype).verifyChecksum(key, c.usage, fromHex(c.data), fromHex(c.checksum)));
    });
  }
  for (const c of r8009.prf) {
    it(`PRF("test"), etype ${c.etype}`, () => {
      const e = getEnctype(c.etype);
      assert.equal(toHex(e.prf({ etype: c.etype, value: fromHex(c.baseKey) }, fromHex(c.input))), c.output);
      assert.equal(e.prfSize, c.output.length / 2);
    });
  }
});

describe('MIT t_decrypt known ciphertexts', () => {
  for (const c of tDecrypt.cases) {
    it(`etype ${c.etype}, usage ${c.usage}, "${c.plaintext}"`, () => {
      const e = getEnctype(c.etype, ALL);
      const key = { etype: c.etype, value: fromHex(c.key) };
      assert.equal(toHex(e.decrypt(key, c.usage, fromHex(c.ciphertext))), toHex(utf8(c.plaintext)));
    });
  }
});

describe('RFC 6113 KRB-FX-CF2 (MIT t_cf2 inputs)', () => {
  for (const c of cf2Vectors.cases) {
    it(`etype ${c.etype} (${c.origin})`, () => {
      const e = getEnctype(c.etype, ALL);
      const k1 = e.stringToKey('key1', 'key1');
      const k2 = e.stringToKey('key2', 'key2');
      const out = cf2(c.etype, k1, k2, 'a', 'b');
      assert.equal(out.etype, c.etype);
      assert.equal(toHex(out.value), c.output);
    });
  }
});
