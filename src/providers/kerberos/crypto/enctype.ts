/**
 * The shape of one Kerberos encryption type (RFC 3961 §3): string-to-key, random-to-key,
 * encrypt/decrypt with a key usage, the etype's keyed checksum, and the PRF. Every
 * implementation (aes-sha1.ts, aes-sha2.ts, rc4-hmac.ts) returns one of these from the
 * registry (registry.ts); the GSS mechanism and the KDC client use nothing else.
 */
import { gssError } from '../../../core/errors.ts';
import type { EncryptionKey } from '../types.ts';

export interface EncryptOptions {
  /** A fixed confounder (test vectors only; random otherwise). */
  confounder?: Uint8Array;
}

export interface Enctype {
  /** IANA number (RFC 3961 §8 registry). */
  readonly etype: number;
  /** The name MIT prints (klist -e, kdc.conf). */
  readonly name: string;
  /** Key length in bytes. */
  readonly keySize: number;
  /** Input length of random-to-key in bytes. */
  readonly keyBytes: number;
  /** The etype's keyed checksum type and its length in bytes. */
  readonly checksumType: number;
  readonly checksumSize: number;
  /** Cipher block size (1 for the RC4 stream cipher). */
  readonly blockSize: number;
  readonly confounderSize: number;
  /** Default s2kparams (32-bit big-endian iteration count for the AES types). */
  readonly defaultS2kParams?: Uint8Array;

  stringToKey(
    password: string | Uint8Array,
    salt: string | Uint8Array,
    s2kParams?: Uint8Array,
  ): EncryptionKey;
  randomToKey(bytes: Uint8Array): EncryptionKey;
  /** Output length of `encrypt` for a plaintext of `plaintextLength` bytes. */
  encryptedLength(plaintextLength: number): number;
  encrypt(key: EncryptionKey, usage: number, plaintext: Uint8Array, options?: EncryptOptions): Uint8Array;
  /** Throws BAD_SIGNATURE (origin peer) when the integrity check fails, MALFORMED when too short. */
  decrypt(key: EncryptionKey, usage: number, ciphertext: Uint8Array): Uint8Array;
  /** The keyed checksum of this etype's checksum type. */
  checksum(key: EncryptionKey, usage: number, data: Uint8Array): Uint8Array;
  /** Constant-time comparison against a freshly computed checksum. */
  verifyChecksum(key: EncryptionKey, usage: number, data: Uint8Array, checksum: Uint8Array): boolean;
  /** RFC 3961 §3 pseudo-random function. */
  prf(key: EncryptionKey, input: Uint8Array): Uint8Array;
  /** Output length of `prf` in bytes. */
  readonly prfSize: number;
}

const encoder = new TextEncoder();

/** Passwords and salts as bytes: strings are UTF-8 (RFC 3961 §3, RFC 4120 §4). */
export function toBytes(v: string | Uint8Array): Uint8Array {
  return typeof v === 'string' ? encoder.encode(v) : v;
}

/** Refuses a key of the wrong etype or length (local misuse, never a peer's fault). */
export function checkKey(key: EncryptionKey, etype: number, size: number): Uint8Array {
  if (key.etype !== etype)
    throw gssError('ETYPE_NOT_SUPPORTED', `key of etype ${key.etype} used with enctype ${etype}`);
  if (key.value.length !== size)
    throw gssError('INVALID_ARGUMENT', `enctype ${etype} key must be ${size} bytes, got ${key.value.length}`);
  return key.value;
}

/** Key usages are unsigned 32-bit numbers (RFC 3961 §3). */
export function checkUsage(usage: number): void {
  if (!Number.isInteger(usage) || usage < 0 || usage > 0xffffffff)
    throw gssError('INVALID_ARGUMENT', `key usage must be a 32-bit unsigned integer, got ${usage}`);
}
