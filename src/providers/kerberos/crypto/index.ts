/** Kerberos encryption and checksum types (RFC 3961, 3962, 4757, 6113, 8009). */
export { ctsDecrypt, ctsEncrypt, ctsNextIv } from './aes-cts.ts';
export { aes128CtsHmacSha196, aes256CtsHmacSha196 } from './aes-sha1.ts';
export { aes128CtsHmacSha256128, aes256CtsHmacSha384192, kdfHmacSha2 } from './aes-sha2.ts';
export { cf2, prfPlus } from './cf2.ts';
export { checksumSize, makeChecksum, verifyChecksum } from './checksum.ts';
export { forgetDerivedKeys } from './derived-keys.ts';
export type { EncryptOptions, Enctype } from './enctype.ts';
export { nfold } from './nfold.ts';
export {
  CHECKSUM,
  CHECKSUM_NAMES,
  checksumName,
  ENCTYPE,
  ENCTYPE_NAMES,
  enctypeFromName,
  enctypeName,
} from './numbers.ts';
export { arcfourHmac, hmacMd5, hmacMd5Checksum, rc4HmacUsage } from './rc4-hmac.ts';
export {
  DEFAULT_ENCTYPES,
  type EnctypeOptions,
  encryptedLength,
  getEnctype,
  isEnctypeSupported,
} from './registry.ts';
export { deriveKeyAes, deriveRandomAes } from './simplified-profile.ts';
