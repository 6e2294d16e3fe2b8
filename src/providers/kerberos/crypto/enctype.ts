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
  /**
   * `encrypt` of the concatenation of `parts`, written at out[offset..offset +
   * encryptedLength(total)]: the per-message path builds its token around the ciphertext
   * without concatenating or copying the result (RFC 4121 Wrap tokens).
   */
  encryptInto(
    key: EncryptionKey,
    usage: number,
    parts: readonly Uint8Array[],
    out: Uint8Array,
    offset: number,
    options?: EncryptOptions,
  ): void;
  /** Throws BAD_SIGNATURE (origin peer) when the integrity check fails, MALFORMED when too short. */
  decrypt(key: EncryptionKey, usage: number, ciphertext: Uint8Array): Uint8Array;
  /** The keyed checksum of this etype's checksum type, over `data` or the concatenation of
   *  its parts (MIC tokens checksum message | header without concatenating them). */
  checksum(key: EncryptionKey, usage: number, data: ChecksumInput): Uint8Array;
  /** Constant-time comparison against a freshly computed checksum. */
  verifyChecksum(key: EncryptionKey, usage: number, data: ChecksumInput, checksum: Uint8Array): boolean;
  /** RFC 3961 §3 pseudo-random function. */
  prf(key: EncryptionKey, input: Uint8Array): Uint8Array;
  /** Output length of `prf` in bytes. */
  readonly prfSize: number;
}

/** Checksummed bytes: one array, or parts checksummed as if concatenated. */
export type ChecksumInput = Uint8Array | readonly Uint8Array[];

/** The parts of a ChecksumInput. */
export const partsOf = (data: ChecksumInput): readonly Uint8Array[] =>
  data instanceof Uint8Array ? [data] : data;

/** One array holding a ChecksumInput (no copy when it is one already). */
export function joinParts(data: ChecksumInput): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data.length === 1) return data[0]!;
  const out = new Uint8Array(partsLength(data));
  let at = 0;
  for (const p of data) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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

/** Total length of `parts`. */
export function partsLength(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** Refuses an output range that cannot hold `length` bytes at `offset` (local misuse). */
export function checkOutput(out: Uint8Array, offset: number, length: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + length > out.length)
    throw gssError('INVALID_ARGUMENT', `output of ${out.length} bytes cannot hold ${length} at ${offset}`);
}
