/**
 * Checksums by checksum type number (RFC 3961 §4, RFC 3962 §7, RFC 8009 §6, RFC 4757 §4),
 * for callers that meet a Checksum{cksumtype, checksum} on the wire rather than an etype:
 * the authenticator checksum of a TGS-REQ, PA-FOR-USER, PAC signatures.
 */
import { constantTimeEqual } from '../../../core/bytes.ts';
import { gssError } from '../../../core/errors.ts';
import { digest } from '../../../crypto/hash.ts';
import type { EncryptionKey } from '../types.ts';
import { checksumName, CHECKSUM, ENCTYPE } from './numbers.ts';
import { hmacMd5Checksum } from './rc4-hmac.ts';
import { getEnctype } from './registry.ts';

/** The enctype whose keyed checksum each keyed checksum type is. */
const KEYED: ReadonlyMap<number, number> = new Map<number, number>([
  [CHECKSUM.HMAC_SHA1_96_AES128, ENCTYPE.AES128_CTS_HMAC_SHA1_96],
  [CHECKSUM.HMAC_SHA1_96_AES256, ENCTYPE.AES256_CTS_HMAC_SHA1_96],
  [CHECKSUM.HMAC_SHA256_128_AES128, ENCTYPE.AES128_CTS_HMAC_SHA256_128],
  [CHECKSUM.HMAC_SHA384_192_AES256, ENCTYPE.AES256_CTS_HMAC_SHA384_192],
]);

/** Checksum length in bytes of a supported type (throws for others). */
export function checksumSize(cksumtype: number): number {
  if (cksumtype === CHECKSUM.RSA_MD5 || cksumtype === CHECKSUM.HMAC_MD5_ARCFOUR) return 16;
  if (cksumtype === CHECKSUM.SHA1) return 20;
  const etype = KEYED.get(cksumtype);
  if (etype !== undefined) return getEnctype(etype).checksumSize;
  throw unsupported(cksumtype);
}

function unsupported(cksumtype: number) {
  return gssError(
    'ETYPE_NOT_SUPPORTED',
    `checksum type ${checksumName(cksumtype)} (${cksumtype}) is not supported`,
    {
      details: { cksumtype },
    },
  );
}

/**
 * Computes a checksum of type `cksumtype`. Keyed types need `key` of the matching etype,
 * except hmac-md5 (-138), which takes any key (MS-SFU PA-FOR-USER keys it with the TGT
 * session key whatever its etype). Unkeyed: rsa-md5 (7), sha1 (14).
 */
export function makeChecksum(
  cksumtype: number,
  key: EncryptionKey | undefined,
  usage: number,
  data: Uint8Array,
): Uint8Array {
  if (cksumtype === CHECKSUM.RSA_MD5) return digest('md5', data);
  if (cksumtype === CHECKSUM.SHA1) return digest('sha1', data);
  const etype = KEYED.get(cksumtype);
  if (etype === undefined && cksumtype !== CHECKSUM.HMAC_MD5_ARCFOUR) throw unsupported(cksumtype);
  if (!key) throw gssError('INVALID_ARGUMENT', `checksum type ${checksumName(cksumtype)} needs a key`);
  if (etype === undefined) return hmacMd5Checksum(key.value, usage, data);
  if (key.etype !== etype)
    throw gssError(
      'ETYPE_NOT_SUPPORTED',
      `checksum type ${checksumName(cksumtype)} needs a ${etype} key, got ${key.etype}`,
    );
  return getEnctype(etype).checksum(key, usage, data);
}

/** Constant-time verification of a checksum of type `cksumtype`. */
export function verifyChecksum(
  cksumtype: number,
  key: EncryptionKey | undefined,
  usage: number,
  data: Uint8Array,
  checksum: Uint8Array,
): boolean {
  return constantTimeEqual(makeChecksum(cksumtype, key, usage, data), checksum);
}
