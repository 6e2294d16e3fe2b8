/**
 * Hashes, HMAC and PBKDF2 for Kerberos and NTLM, from @noble/hashes, with the native
 * `node:crypto` (reached through process.getBuiltinModule, see native.ts) used where it
 * measured faster: HMAC over inputs of NATIVE_HMAC_MIN_BYTES and more, and PBKDF2 always
 * (string-to-key runs 4096-32768 iterations). Measured HMAC-SHA1, native vs noble
 * (bench/kerberos-crypto.bench.ts): Node 2.4x at 64 B, 3.5x at 1 KiB, 22x at 1 MiB; Bun
 * 10-25x at every size; Deno 0.35x at 64 B, 0.65x at 1 KiB, 6.5x at 1 MiB (its native
 * module has a high per-call cost). 1 KiB is the compromise that never loses much; short
 * messages on the GSS path use a prepared HmacKey (two fewer compressions) instead.
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { asPlain, type NativeKeyObject, nativeCrypto, nativeRuntime } from './native.ts';

export type HashName = 'md5' | 'sha1' | 'sha256' | 'sha384';

const NOBLE = { md5, sha1, sha256, sha384 } as const;

/** Output sizes in bytes. */
export const HASH_SIZE: Readonly<Record<HashName, number>> = { md5: 16, sha1: 20, sha256: 32, sha384: 48 };

/** HMAC inputs at least this long use the native module (when present), unless the
 *  runtime has its own measured threshold (NATIVE_HMAC_MIN_BYTES_BY_RUNTIME). */
export const NATIVE_HMAC_MIN_BYTES = 1024;

/**
 * Measured per runtime (bench/kerberos-crypto.bench.ts "hmac-sha1 prepared", HMAC-SHA1
 * through a KeyObject against a prepared noble key copied into a reused scratch state):
 * Node's native call costs ~5 us whatever the size up to 1 KiB, noble ~3 us at 16 B and
 * ~4 us at 96 B, so native from 256 B; Bun's native call costs ~1 us, below noble at every
 * size; Deno's costs 15-25 us whatever the size up to 4 KiB, where noble takes 6-9 us up
 * to 1 KiB and 32 us at 4 KiB, so native from 2 KiB.
 */
export const NATIVE_HMAC_MIN_BYTES_BY_RUNTIME = { node: 256, bun: 0, deno: 2048 } as const;

function nativeHmacMinBytes(): number {
  const rt = nativeRuntime();
  return rt ? NATIVE_HMAC_MIN_BYTES_BY_RUNTIME[rt] : NATIVE_HMAC_MIN_BYTES;
}

let nativeHmacMin = nativeHmacMinBytes();

let useNative = nativeCrypto() !== undefined;

/** Turns the native paths on or off (tests and benchmarks compare both). */
export function setNativeHashes(on: boolean): boolean {
  useNative = on && nativeCrypto() !== undefined;
  nativeHmacMin = nativeHmacMinBytes();
  return useNative;
}

export function nativeHashesEnabled(): boolean {
  return useNative;
}

/**
 * One-shot SHA-256/384 digests at least this long go native, per runtime. Measured
 * (SHA-256, us per call, noble vs native): Node 2.4 vs 2.9 at 32 B, 4.5 vs 3.0 at 170 B
 * (an authenticator's replay tag), 15 vs 4 at 1 KiB; Deno 3.1 vs 4.1, 5.8 vs 4.2, 15 vs
 * 5.4; Bun 2.1 vs 0.6, 3.2 vs 0.75, 12 vs 1.5. MD5 and SHA-1, cheaper in noble, keep
 * NATIVE_HMAC_MIN_BYTES.
 */
export const NATIVE_SHA2_DIGEST_MIN_BYTES_BY_RUNTIME = { node: 128, bun: 0, deno: 128 } as const;

function sha2DigestMinBytes(): number {
  const rt = nativeRuntime();
  return rt ? NATIVE_SHA2_DIGEST_MIN_BYTES_BY_RUNTIME[rt] : NATIVE_HMAC_MIN_BYTES;
}

const nativeSha2DigestMin = sha2DigestMinBytes();

/** One-shot digest. */
export function digest(name: HashName, data: Uint8Array): Uint8Array {
  const min = name === 'sha256' || name === 'sha384' ? nativeSha2DigestMin : NATIVE_HMAC_MIN_BYTES;
  if (useNative && data.length >= min) {
    return asPlain(nativeCrypto()!.createHash(name).update(data).digest());
  }
  return NOBLE[name](data);
}

/** HMAC of the concatenation of `parts` (no concatenation copy is made). */
export function hmac(name: HashName, key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  if (useNative && length >= nativeHmacMin) {
    const h = nativeCrypto()!.createHmac(name, key);
    for (const p of parts) h.update(p);
    return asPlain(h.digest());
  }
  if (parts.length === 1) return nobleHmac(NOBLE[name], key, parts[0]!);
  const h = nobleHmac.create(NOBLE[name], key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** PBKDF2 with HMAC-`name`. */
export function pbkdf2(
  name: HashName,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Uint8Array {
  if (useNative) return asPlain(nativeCrypto()!.pbkdf2Sync(password, salt, iterations, length, name));
  return noblePbkdf2(NOBLE[name], password, salt, { c: iterations, dkLen: length });
}

/**
 * An HMAC key prepared once (the inner and outer padded-key hash states), for keys used on
 * every message such as the derived Ki/Kc of a GSS session: saves two of the four hash
 * compressions of a short message. The key bytes must not change afterwards.
 */
export class HmacKey {
  readonly #name: HashName;
  readonly #key: Uint8Array;
  #prepared: ReturnType<typeof nobleHmac.create> | undefined;
  /** Reused state the prepared one is copied into per message (no allocation per call). */
  #scratch: ReturnType<typeof nobleHmac.create> | undefined;
  #native: NativeKeyObject | undefined;

  constructor(name: HashName, key: Uint8Array) {
    this.#name = name;
    this.#key = key;
  }

  /** HMAC of the concatenation of `parts`. */
  mac(...parts: Uint8Array[]): Uint8Array {
    let length = 0;
    for (const p of parts) length += p.length;
    if (useNative && length >= nativeHmacMin) {
      // A KeyObject holds the key natively: no key copy per call.
      const nc = nativeCrypto()!;
      const h = nc.createHmac(this.#name, (this.#native ??= nc.createSecretKey(this.#key)));
      for (const p of parts) h.update(p);
      return asPlain(h.digest());
    }
    const prepared = (this.#prepared ??= nobleHmac.create(NOBLE[this.#name], this.#key));
    const h = (this.#scratch = prepared._cloneInto(this.#scratch) as typeof prepared);
    for (const p of parts) h.update(p);
    return h.digest();
  }

  /** Drops the prepared states (noble's destroy() zeroes them: they are as secret as the key). */
  dispose(): void {
    this.#prepared?.destroy();
    this.#scratch?.destroy();
    this.#prepared = this.#scratch = undefined;
    this.#native = undefined;
  }
}
