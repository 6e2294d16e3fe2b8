/**
 * arcfour-hmac (23), RFC 4757. Weak (RC4, MD4-derived keys, no salt); Windows domains
 * still issue it, so it is here, but the registry hands it out only when the caller opts
 * in (getEnctype(23, { allowRc4: true })). Implemented as MIT krb5 does:
 * - string-to-key: MD4(UTF-16LE(password)); the salt is ignored (§2).
 * - encrypt: K1 = HMAC-MD5(key, T) with T the translated usage as 32-bit little-endian;
 *   checksum = HMAC-MD5(K1, conf(8) | plaintext); K3 = HMAC-MD5(K1, checksum);
 *   output = checksum | RC4(K3, conf | plaintext) (§3).
 * - checksum -138 (§4): HMAC-MD5(HMAC-MD5(key, "signaturekey\0"), MD5(T | data)).
 * - PRF: HMAC-SHA1(key, input) (RFC 4757 has none; MIT and Heimdal use this, and the
 *   RFC 6113 KRB-FX-CF2 vectors depend on it).
 * The GSS per-message tokens of RFC 4757 §7 (Kseq, sealing keys) are the mechanism's
 * business; it gets HMAC-MD5 and RC4 from here and src/crypto.
 */
import { constantTimeEqual } from '../../../core/bytes.ts';
import { gssError } from '../../../core/errors.ts';
import { randomBytes } from '../../../crypto/random-pool.ts';
import { md4 } from '../../../crypto/md4.ts';
import { Rc4 } from '../../../crypto/rc4.ts';
import { digest, hmac } from '../../../crypto/hash.ts';
import type { EncryptionKey } from '../types.ts';
import {
  checkKey,
  checkOutput,
  checkUsage,
  type EncryptOptions,
  type Enctype,
  joinParts,
  partsLength,
} from './enctype.ts';
import { CHECKSUM, ENCTYPE } from './numbers.ts';

const ETYPE = ENCTYPE.ARCFOUR_HMAC;
const KEY_SIZE = 16;
const CONFOUNDER = 8;
const MAC = 16;
const SIGNATURE_KEY = new TextEncoder().encode('signaturekey\0');

/**
 * RFC 4757 §3 usage translation: Kerberos key usage to the Microsoft "message type".
 * Only AS-REP's encrypted part (3 -> 8) and the GSS wrap-token signature (23 -> 13)
 * differ; everything else is used as is.
 */
export function rc4HmacUsage(usage: number): number {
  if (usage === 3) return 8;
  if (usage === 23) return 13;
  return usage;
}

function usageLe(usage: number): Uint8Array {
  const t = new Uint8Array(4);
  new DataView(t.buffer).setUint32(0, rc4HmacUsage(usage) >>> 0, true);
  return t;
}

/** HMAC-MD5 (RFC 2104), exposed for the RFC 4757 GSS tokens and NTLM. */
export function hmacMd5(key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  return hmac('md5', key, ...data);
}

/** Checksum type -138 keyed with any key value (PA-FOR-USER uses it whatever the etype). */
export function hmacMd5Checksum(key: Uint8Array, usage: number, data: Uint8Array): Uint8Array {
  checkUsage(usage);
  const ksign = hmacMd5(key, SIGNATURE_KEY);
  const tmp = digest('md5', concat(usageLe(usage), data));
  return hmacMd5(ksign, tmp);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** UTF-16LE of a password (RFC 4757 §2 "UNICODE"); byte passwords are read as UTF-8. */
function utf16le(password: string | Uint8Array): Uint8Array {
  const s = typeof password === 'string' ? password : new TextDecoder().decode(password);
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >>> 8;
  }
  return out;
}

const key = (k: EncryptionKey): Uint8Array => checkKey(k, ETYPE, KEY_SIZE);

export const arcfourHmac: Enctype = {
  etype: ETYPE,
  name: 'arcfour-hmac',
  keySize: KEY_SIZE,
  keyBytes: KEY_SIZE,
  checksumType: CHECKSUM.HMAC_MD5_ARCFOUR,
  checksumSize: MAC,
  blockSize: 1,
  confounderSize: CONFOUNDER,
  prfSize: 20,

  stringToKey(password) {
    const unicode = utf16le(password);
    const value = md4(unicode);
    unicode.fill(0);
    return { etype: ETYPE, value };
  },

  randomToKey(bytes) {
    if (bytes.length !== KEY_SIZE)
      throw gssError('INVALID_ARGUMENT', 'arcfour-hmac random-to-key needs 16 bytes');
    return { etype: ETYPE, value: bytes.slice() };
  },

  encryptedLength: (n) => MAC + CONFOUNDER + n,

  encrypt(k, usage, plaintext, options?: EncryptOptions) {
    checkUsage(usage);
    const k1 = hmacMd5(key(k), usageLe(usage));
    const conf = options?.confounder ?? randomBytes(CONFOUNDER);
    if (conf.length !== CONFOUNDER) throw gssError('INVALID_ARGUMENT', 'confounder must be 8 bytes');
    const out = new Uint8Array(MAC + CONFOUNDER + plaintext.length);
    const body = out.subarray(MAC);
    body.set(conf);
    body.set(plaintext, CONFOUNDER);
    const checksum = hmacMd5(k1, body);
    const k3 = hmacMd5(k1, checksum);
    const rc4 = new Rc4(k3);
    rc4.process(body, body);
    rc4.wipe();
    out.set(checksum);
    return out;
  },

  encryptInto(k, usage, parts, out, offset, options?: EncryptOptions) {
    // RFC 4757 contexts use their own token code (rfc4757-tokens.ts); this keeps the
    // Enctype contract with one concatenation.
    const n = partsLength(parts);
    checkOutput(out, offset, MAC + CONFOUNDER + n);
    const plain = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      plain.set(p, at);
      at += p.length;
    }
    out.set(this.encrypt(k, usage, plain, options), offset);
  },

  decrypt(k, usage, ciphertext) {
    checkUsage(usage);
    const k1 = hmacMd5(key(k), usageLe(usage));
    if (ciphertext.length < MAC + CONFOUNDER)
      throw gssError('MALFORMED', `arcfour-hmac ciphertext of ${ciphertext.length} bytes is too short`, {
        origin: 'peer',
      });
    const checksum = ciphertext.subarray(0, MAC);
    const k3 = hmacMd5(k1, checksum);
    const rc4 = new Rc4(k3);
    const body = rc4.process(ciphertext.subarray(MAC));
    rc4.wipe();
    if (!constantTimeEqual(hmacMd5(k1, body), checksum))
      throw gssError('BAD_SIGNATURE', `arcfour-hmac integrity check failed (key usage ${usage})`, {
        origin: 'peer',
      });
    return body.subarray(CONFOUNDER);
  },

  checksum(k, usage, data) {
    return hmacMd5Checksum(key(k), usage, joinParts(data));
  },

  verifyChecksum(k, usage, data, expected) {
    return constantTimeEqual(hmacMd5Checksum(key(k), usage, joinParts(data)), expected);
  },

  prf(k, input) {
    return hmac('sha1', key(k), input);
  },
};
