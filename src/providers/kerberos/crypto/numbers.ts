/**
 * IANA Kerberos encryption type and checksum type numbers (RFC 3961 §8, RFC 3962 §7,
 * RFC 4757, RFC 6803, RFC 8009 §6), with the names MIT krb5 prints (klist -e, kdc.conf
 * "supported_enctypes"). Only 17, 18, 19, 20 and 23 are implemented; the rest are listed
 * so names and errors can say what a peer offered.
 */

export const ENCTYPE = {
  DES_CBC_CRC: 1,
  DES_CBC_MD4: 2,
  DES_CBC_MD5: 3,
  DES3_CBC_SHA1: 16,
  AES128_CTS_HMAC_SHA1_96: 17,
  AES256_CTS_HMAC_SHA1_96: 18,
  AES128_CTS_HMAC_SHA256_128: 19,
  AES256_CTS_HMAC_SHA384_192: 20,
  ARCFOUR_HMAC: 23,
  ARCFOUR_HMAC_EXP: 24,
  CAMELLIA128_CTS_CMAC: 25,
  CAMELLIA256_CTS_CMAC: 26,
} as const;

export const CHECKSUM = {
  CRC32: 1,
  RSA_MD4: 2,
  RSA_MD4_DES: 3,
  DES_MAC: 4,
  RSA_MD5: 7,
  RSA_MD5_DES: 8,
  NIST_SHA: 9,
  HMAC_SHA1_DES3_KD: 12,
  SHA1: 14,
  HMAC_SHA1_96_AES128: 15,
  HMAC_SHA1_96_AES256: 16,
  CMAC_CAMELLIA128: 17,
  CMAC_CAMELLIA256: 18,
  HMAC_SHA256_128_AES128: 19,
  HMAC_SHA384_192_AES256: 20,
  /** RFC 4121 §4.1.1 authenticator checksum of the Kerberos GSS mechanism. */
  GSSAPI: 0x8003,
  HMAC_MD5_ARCFOUR: -138,
} as const;

/** Enctype names as MIT prints them. */
export const ENCTYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'des-cbc-crc',
  2: 'des-cbc-md4',
  3: 'des-cbc-md5',
  16: 'des3-cbc-sha1',
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'arcfour-hmac',
  24: 'arcfour-hmac-exp',
  25: 'camellia128-cts-cmac',
  26: 'camellia256-cts-cmac',
};

/** Aliases MIT also accepts in configuration. */
export const ENCTYPE_ALIASES: Readonly<Record<string, number>> = {
  aes128: 17,
  aes256: 18,
  'aes128-sha1': 17,
  'aes256-sha1': 18,
  'aes128-sha2': 19,
  'aes256-sha2': 20,
  'rc4-hmac': 23,
  'arcfour-hmac-md5': 23,
  des3: 16,
  'des3-hmac-sha1': 16,
};

/** Checksum type names as MIT prints them. */
export const CHECKSUM_NAMES: Readonly<Record<number, string>> = {
  1: 'crc32',
  2: 'md4',
  3: 'md4-des',
  4: 'des-cbc',
  7: 'md5',
  8: 'md5-des',
  9: 'sha',
  12: 'hmac-sha1-des3-kd',
  14: 'sha1',
  15: 'hmac-sha1-96-aes128',
  16: 'hmac-sha1-96-aes256',
  17: 'cmac-camellia128',
  18: 'cmac-camellia256',
  19: 'hmac-sha256-128-aes128',
  20: 'hmac-sha384-192-aes256',
  [-138]: 'hmac-md5-arcfour',
};

/** A printable name for any enctype number (`etype-99` when unknown). */
export function enctypeName(etype: number): string {
  return ENCTYPE_NAMES[etype] ?? `etype-${etype}`;
}

/** The number for a name or alias (case-insensitive, MIT's "DEPRECATED:" prefix ignored). */
export function enctypeFromName(name: string): number | undefined {
  const n = name.toLowerCase().replace(/^deprecated:/, '');
  for (const [num, nm] of Object.entries(ENCTYPE_NAMES)) if (nm === n) return Number(num);
  return ENCTYPE_ALIASES[n];
}

export function checksumName(cksumtype: number): string {
  return CHECKSUM_NAMES[cksumtype] ?? `cksumtype-${cksumtype}`;
}
