/**
 * aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18), RFC 3962, on the
 * RFC 3961 §5.3 simplified profile:
 * - string-to-key: tkey = PBKDF2-HMAC-SHA1(password, salt, iterations (default 4096),
 *   key length); key = DK(tkey, "kerberos").
 * - encrypt: C = CTS(Ke, conf | plaintext) | HMAC-SHA1(Ki, conf | plaintext)[0..12], with
 *   Ke = DK(key, usage | 0xAA), Ki = DK(key, usage | 0x55), zero IV.
 * - checksum 15/16: HMAC-SHA1(Kc, data)[0..12], Kc = DK(key, usage | 0x99).
 * - PRF: AES-ECB(DK(key, "prf"), first 16 bytes of SHA-1(input)) (RFC 3962 §6).
 */
import { constantTimeEqual } from '../../../core/bytes.ts';
import { gssError } from '../../../core/errors.ts';
import { AES_BLOCK, aesEncryptBlock } from '../../../crypto/aes.ts';
import { digest, pbkdf2 } from '../../../crypto/hash.ts';
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
import { deriveKeyAes } from './simplified-profile.ts';

const MAC_SIZE = 12;
const KERBEROS = new TextEncoder().encode('kerberos');
const PRF_CONSTANT = new TextEncoder().encode('prf');

function makeAesSha1(etype: number, name: string, keySize: number, checksumType: number): Enctype {
  const key = (k: EncryptionKey, usage: number, purpose: number): Uint8Array => {
    checkUsage(usage);
    const base = checkKey(k, etype, keySize);
    return derivedKey(base, etype, usage, purpose, () => deriveKeyAes(base, usageConstant(usage, purpose)));
  };
  const checksum = (k: EncryptionKey, usage: number, data: ChecksumInput): Uint8Array =>
    macKey(key(k, usage, KC), 'sha1')
      .mac(...partsOf(data))
      .subarray(0, MAC_SIZE);

  const encryptInto = (
    k: EncryptionKey,
    usage: number,
    parts: readonly Uint8Array[],
    out: Uint8Array,
    offset: number,
    options?: EncryptOptions,
  ): void => {
    const ke = key(k, usage, KE);
    const ki = key(k, usage, KI);
    const n = AES_BLOCK + partsLength(parts);
    checkOutput(out, offset, n + MAC_SIZE);
    const plain = confoundedPlaintext(parts, n, options?.confounder);
    try {
      const mac = macKey(ki, 'sha1').mac(plain.subarray(0, n));
      ctsEncryptPadded(cbcKey(ke), plain, n, out, offset);
      out.set(mac.subarray(0, MAC_SIZE), offset + n);
    } finally {
      releaseScratch(plain);
    }
  };

  return {
    etype,
    name,
    keySize,
    keyBytes: keySize,
    checksumType,
    checksumSize: MAC_SIZE,
    blockSize: AES_BLOCK,
    confounderSize: AES_BLOCK,
    defaultS2kParams: iterationParams(4096),
    prfSize: AES_BLOCK,

    stringToKey(password, salt, s2kParams) {
      const iterations = iterationCount(s2kParams, 4096);
      const tkey = pbkdf2('sha1', toBytes(password), toBytes(salt), iterations, keySize);
      const value = deriveKeyAes(tkey, KERBEROS);
      tkey.fill(0);
      return { etype, value };
    },

    randomToKey(bytes) {
      if (bytes.length !== keySize)
        throw gssError('INVALID_ARGUMENT', `${name} random-to-key needs ${keySize} bytes`);
      return { etype, value: bytes.slice() };
    },

    encryptedLength: (n) => AES_BLOCK + n + MAC_SIZE,

    encrypt(k, usage, plaintext, options?: EncryptOptions) {
      const out = new Uint8Array(AES_BLOCK + plaintext.length + MAC_SIZE);
      encryptInto(k, usage, [plaintext], out, 0, options);
      return out;
    },

    encryptInto,

    decrypt(k, usage, ciphertext) {
      const ke = key(k, usage, KE);
      const ki = key(k, usage, KI);
      if (ciphertext.length < AES_BLOCK + MAC_SIZE)
        throw gssError('MALFORMED', `${name} ciphertext of ${ciphertext.length} bytes is too short`, {
          origin: 'peer',
        });
      const n = ciphertext.length - MAC_SIZE;
      const plain = ctsDecryptPrepared(cbcKey(ke), ciphertext.subarray(0, n));
      const mac = macKey(ki, 'sha1').mac(plain).subarray(0, MAC_SIZE);
      if (!constantTimeEqual(mac, ciphertext.subarray(n)))
        throw gssError('BAD_SIGNATURE', `${name} integrity check failed (key usage ${usage})`, {
          origin: 'peer',
        });
      return plain.subarray(AES_BLOCK);
    },

    checksum,

    verifyChecksum(k, usage, data, expected) {
      return constantTimeEqual(checksum(k, usage, data), expected);
    },

    prf(k, input) {
      const base = checkKey(k, etype, keySize);
      const prfKey = derivedKey(base, etype, 0, 0, () => deriveKeyAes(base, PRF_CONSTANT));
      return aesEncryptBlock(prfKey, digest('sha1', input).subarray(0, AES_BLOCK));
    },
  };
}

export const aes128CtsHmacSha196: Enctype = makeAesSha1(
  ENCTYPE.AES128_CTS_HMAC_SHA1_96,
  'aes128-cts-hmac-sha1-96',
  16,
  CHECKSUM.HMAC_SHA1_96_AES128,
);

export const aes256CtsHmacSha196: Enctype = makeAesSha1(
  ENCTYPE.AES256_CTS_HMAC_SHA1_96,
  'aes256-cts-hmac-sha1-96',
  32,
  CHECKSUM.HMAC_SHA1_96_AES256,
);
