/**
 * The enctypes gssock implements, by IANA number. RC4-HMAC (23) is weak and handed out
 * only on request (`allowRc4`), the way MIT 1.20 needs `allow_rc4 = true`.
 */
import { gssError } from '../../../core/errors.ts';
import { aes128CtsHmacSha196, aes256CtsHmacSha196 } from './aes-sha1.ts';
import { aes128CtsHmacSha256128, aes256CtsHmacSha384192 } from './aes-sha2.ts';
import type { Enctype } from './enctype.ts';
import { enctypeName, ENCTYPE } from './numbers.ts';
import { arcfourHmac } from './rc4-hmac.ts';

export interface EnctypeOptions {
  /** Permit arcfour-hmac (23). Off by default. */
  allowRc4?: boolean;
}

const STRONG: ReadonlyMap<number, Enctype> = new Map([
  [ENCTYPE.AES256_CTS_HMAC_SHA1_96, aes256CtsHmacSha196],
  [ENCTYPE.AES128_CTS_HMAC_SHA1_96, aes128CtsHmacSha196],
  [ENCTYPE.AES256_CTS_HMAC_SHA384_192, aes256CtsHmacSha384192],
  [ENCTYPE.AES128_CTS_HMAC_SHA256_128, aes128CtsHmacSha256128],
]);

/** Our default preference order (strongest first), as MIT 1.20 orders its defaults. */
export const DEFAULT_ENCTYPES: readonly number[] = [
  ENCTYPE.AES256_CTS_HMAC_SHA384_192,
  ENCTYPE.AES128_CTS_HMAC_SHA256_128,
  ENCTYPE.AES256_CTS_HMAC_SHA1_96,
  ENCTYPE.AES128_CTS_HMAC_SHA1_96,
];

/** The enctype for `etype`; throws ETYPE_NOT_SUPPORTED for unknown or not-permitted ones. */
export function getEnctype(etype: number, options: EnctypeOptions = {}): Enctype {
  const e = STRONG.get(etype);
  if (e) return e;
  if (etype === ENCTYPE.ARCFOUR_HMAC) {
    if (options.allowRc4) return arcfourHmac;
    throw gssError('ETYPE_NOT_SUPPORTED', 'arcfour-hmac (23) is disabled; enable it explicitly (allowRc4)', {
      details: { etype },
    });
  }
  throw gssError('ETYPE_NOT_SUPPORTED', `encryption type ${enctypeName(etype)} (${etype}) is not supported`, {
    details: { etype },
  });
}

/** True when getEnctype(etype, options) would succeed. */
export function isEnctypeSupported(etype: number, options: EnctypeOptions = {}): boolean {
  return STRONG.has(etype) || (etype === ENCTYPE.ARCFOUR_HMAC && options.allowRc4 === true);
}

/** Ciphertext length for a plaintext of `plaintextLength` bytes (GSS wrap EC/RRC math). */
export function encryptedLength(etype: number, plaintextLength: number): number {
  return getEnctype(etype, { allowRc4: true }).encryptedLength(plaintextLength);
}
