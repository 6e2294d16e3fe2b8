/**
 * aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20), RFC 8009:
 * - KDF-HMAC-SHA2(key, label, k) = first k bits of HMAC(key, 0x00000001 | label | 0x00 |
 *   k as 32-bit big-endian) (RFC 8009 §3, an SP 800-108 counter-mode KDF).
 * - string-to-key: tkey = PBKDF2-HMAC-SHA2(password, enctype-name | 0x00 | salt,
 *   iterations (default 32768), key length); key = KDF(tkey, "kerberos", key bits) (§4).
 * - encrypt: C = CTS(Ke, conf | plaintext), H = HMAC(Ki, IV | C) truncated, output C | H:
 *   encrypt-then-MAC, so decrypt checks H before decrypting (§5).
 * - checksum 19/20: HMAC(Kc, data) truncated to 16/24 bytes.
 * - PRF: KDF(key, "prf", input, 256/384 bits) (§5).
 */
import { constantTimeEqual } from '../../../core/bytes.ts';
import { gssError } from '../../../core/errors.ts';
import { AES_BLOCK } from '../../../crypto/aes.ts';
import { type HashName, hmac, pbkdf2 } from '../../../crypto/hash.ts';
import type { EncryptionKey } from '../types.ts';
import { confoundedPlaintext, ctsDecryptPrepared, ctsEncryptPadded, releaseScratch } from './aes-cts.ts';
import { cbcKey, derivedKey, KC, KE, KI, macKey, usageConstant } from './derived-keys.ts';
import {
  checkKey,
  checkOutput,
  type ChecksumInput,
  checkUsage,
  type EncryptOptions,
  type Enctype,
  partsLength,
  partsOf,
  toBytes,
} from './enctype.ts';
import { CHECKSUM, ENCTYPE } from './numbers.ts';
import { iterationCount, iterationParams } from './s2k-params.ts';

const ZERO_IV = new Uint8Array(AES_BLOCK);
const encoder = new TextEncoder();
const KERBEROS = encoder.encode('kerberos');
const PRF_LABEL = encoder.encode('prf');
const DEFAULT_ITERATIONS = 32768;

/** KDF-HMAC-SHA2 (RFC 8009 §3) for outputs of at most one hash length. */
export function kdfHmacSha2(
  hash: HashName,
  key: Uint8Array,
  label: Uint8Array,
  context: Uint8Array | undefined,
  bits: number,
): Uint8Array {
  const head = new Uint8Array(4 + label.length + 1);
  head[3] = 1; // i = 1: one HMAC block is always enough (k <= hash length)
  head.set(label, 4);
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, bits);
  const out = context ? hmac(hash, key, head, context, tail) : hmac(hash, key, head, tail);
  return out.subarray(0, bits / 8);
}

interface Params {
  etype: number;
  name: string;
  hash: HashName;
  keySize: number;
  /** Kc/Ki and MAC length in bytes (RFC 8009 §5: 16 for SHA-256, 24 for SHA-384). */
  macSize: number;
  checksumType: number;
  prfSize: number;
}

function makeAesSha2(p: Params): Enctype {
  const { etype, name, hash, keySize, macSize } = p;
  const derive = (k: EncryptionKey, usage: number, purpose: number): Uint8Array => {
    checkUsage(usage);
    const base = checkKey(k, etype, keySize);
    // Ke is as long as the AES key; Kc and Ki as long as the MAC (RFC 8009 §5).
    const bits = (purpose === KE ? keySize : macSize) * 8;
    return derivedKey(base, etype, usage, purpose, () =>
      kdfHmacSha2(hash, base, usageConstant(usage, purpose), undefined, bits),
    );
  };
  const checksum = (k: EncryptionKey, usage: number, data: ChecksumInput): Uint8Array =>
    macKey(derive(k, usage, KC), hash)
      .mac(...partsOf(data))
      .subarray(0, macSize);
  const saltPrefix = encoder.encode(`${name}\0`);
  const encryptInto = (
    k: EncryptionKey,
    usage: number,
    parts: readonly Uint8Array[],
    out: Uint8Array,
    offset: number,
    options?: EncryptOptions,
  ): void => {
    const ke = derive(k, usage, KE);
    const ki = derive(k, usage, KI);
    const n = AES_BLOCK + partsLength(parts);
    checkOutput(out, offset, n + macSize);
    const plain = confoundedPlaintext(parts, n, options?.confounder);
    try {
      ctsEncryptPadded(cbcKey(ke), plain, n, out, offset);
    } finally {
      releaseScratch(plain);
    }
    // Encrypt-then-MAC over IV | C (RFC 8009 §5).
    const mac = macKey(ki, hash).mac(ZERO_IV, out.subarray(offset, offset + n));
    out.set(mac.subarray(0, macSize), offset + n);
  };

  return {
    etype,
    name,
    keySize,
    keyBytes: keySize,
    checksumType: p.checksumType,
    checksumSize: macSize,
    blockSize: AES_BLOCK,
    confounderSize: AES_BLOCK,
    defaultS2kParams: iterationParams(DEFAULT_ITERATIONS),
    prfSize: p.prfSize,

    stringToKey(password, salt, s2kParams) {
      const iterations = iterationCount(s2kParams, DEFAULT_ITERATIONS);
      const s = toBytes(salt);
      const saltp = new Uint8Array(saltPrefix.length + s.length);
      saltp.set(saltPrefix);
      saltp.set(s, saltPrefix.length);
      const tkey = pbkdf2(hash, toBytes(password), saltp, iterations, keySize);
      const value = kdfHmacSha2(hash, tkey, KERBEROS, undefined, keySize * 8).slice();
      tkey.fill(0);
      return { etype, value };
    },

    randomToKey(bytes) {
      if (bytes.length !== keySize)
        throw gssError('INVALID_ARGUMENT', `${name} random-to-key needs ${keySize} bytes`);
      return { etype, value: bytes.slice() };
    },

    encryptedLength: (n) => AES_BLOCK + n + macSize,

    encrypt(k, usage, plaintext, options?: EncryptOptions) {
      const out = new Uint8Array(AES_BLOCK + plaintext.length + macSize);
      encryptInto(k, usage, [plaintext], out, 0, options);
      return out;
    },

    encryptInto,

    decrypt(k, usage, ciphertext) {
      const ke = derive(k, usage, KE);
      const ki = derive(k, usage, KI);
      if (ciphertext.length < AES_BLOCK + macSize)
        throw gssError('MALFORMED', `${name} ciphertext of ${ciphertext.length} bytes is too short`, {
          origin: 'peer',
        });
      const n = ciphertext.length - macSize;
      const c = ciphertext.subarray(0, n);
      const mac = macKey(ki, hash).mac(ZERO_IV, c).subarray(0, macSize);
      if (!constantTimeEqual(mac, ciphertext.subarray(n)))
        throw gssError('BAD_SIGNATURE', `${name} integrity check failed (key usage ${usage})`, {
          origin: 'peer',
        });
      return ctsDecryptPrepared(cbcKey(ke), c).subarray(AES_BLOCK);
    },

    checksum,

    verifyChecksum(k, usage, data, expected) {
      return constantTimeEqual(checksum(k, usage, data), expected);
    },

    prf(k, input) {
      const base = checkKey(k, etype, keySize);
      return kdfHmacSha2(hash, base, PRF_LABEL, input, p.prfSize * 8).slice();
    },
  };
}

export const aes128CtsHmacSha256128: Enctype = makeAesSha2({
  etype: ENCTYPE.AES128_CTS_HMAC_SHA256_128,
  name: 'aes128-cts-hmac-sha256-128',
  hash: 'sha256',
  keySize: 16,
  macSize: 16,
  checksumType: CHECKSUM.HMAC_SHA256_128_AES128,
  prfSize: 32,
});

export const aes256CtsHmacSha384192: Enctype = makeAesSha2({
  etype: ENCTYPE.AES256_CTS_HMAC_SHA384_192,
  name: 'aes256-cts-hmac-sha384-192',
  hash: 'sha384',
  keySize: 32,
  macSize: 24,
  checksumType: CHECKSUM.HMAC_SHA384_192_AES256,
  prfSize: 48,
});
