/**
 * Cache of keys derived per (base key, etype, usage, purpose). The GSS wrap/unwrap path
 * (RFC 4121 §2, key usages 22-25) encrypts and checksums every message with the same
 * session key: deriving Ke/Ki/Kc costs several AES or HMAC calls, so each is computed
 * once. Entries hang off the key's `value` array in a WeakMap, so they go away with it;
 * `forgetDerivedKeys` wipes them earlier (call it when wiping a key in place).
 */

import { aesBackend, type CbcKey, prepareCbc } from '../../../crypto/aes.ts';
import { type HashName, HmacKey } from '../../../crypto/hash.ts';

/** The RFC 3961 §5.3 constant byte: Kc (checksum), Ke (encryption), Ki (integrity). */
export const KC = 0x99;
export const KE = 0xaa;
export const KI = 0x55;

const cache = new WeakMap<Uint8Array, Map<number, Uint8Array>>();

/** Bound on entries per base key (usages are small numbers; this stops runaway growth). */
const MAX_PER_KEY = 256;

/** The 5-byte derivation constant: usage (32-bit big-endian) | purpose byte. */
export function usageConstant(usage: number, purpose: number): Uint8Array {
  const c = new Uint8Array(5);
  new DataView(c.buffer).setUint32(0, usage >>> 0);
  c[4] = purpose;
  return c;
}

/** Looks up or computes (and caches) a derived key. */
export function derivedKey(
  base: Uint8Array,
  etype: number,
  usage: number,
  purpose: number,
  derive: () => Uint8Array,
): Uint8Array {
  // etype < 2^8 and purpose < 2^8 in the high bits, usage (32 bits) below: < 2^48, exact.
  const id = ((etype & 0xff) * 256 + purpose) * 0x100000000 + (usage >>> 0);
  let perKey = cache.get(base);
  const hit = perKey?.get(id);
  if (hit) return hit;
  const key = derive();
  if (!perKey) {
    perKey = new Map();
    cache.set(base, perKey);
  }
  if (perKey.size >= MAX_PER_KEY) perKey.clear();
  perKey.set(id, key);
  return key;
}

/** Wipes and drops every key derived from `base`. */
export function forgetDerivedKeys(base: Uint8Array): void {
  const perKey = cache.get(base);
  if (!perKey) return;
  for (const k of perKey.values()) {
    cbcKeys.get(k)?.key.dispose();
    cbcKeys.delete(k);
    macKeys.get(k)?.dispose();
    macKeys.delete(k);
    k.fill(0);
  }
  cache.delete(base);
}

const macKeys = new WeakMap<Uint8Array, HmacKey>();

/** A prepared HMAC key for a derived key (which never changes while cached). */
export function macKey(derived: Uint8Array, hash: HashName): HmacKey {
  let k = macKeys.get(derived);
  if (!k) {
    k = new HmacKey(hash, derived);
    macKeys.set(derived, k);
  }
  return k;
}

const cbcKeys = new WeakMap<Uint8Array, { key: CbcKey; backend: object }>();

/**
 * A prepared zero-IV CBC key for a derived Ke (native state kept for the session, see
 * src/crypto/aes.ts NativeCbcStream); remade when the AES backend was switched.
 */
export function cbcKey(derived: Uint8Array): CbcKey {
  const backend = aesBackend();
  const hit = cbcKeys.get(derived);
  if (hit && hit.backend === backend) return hit.key;
  hit?.key.dispose();
  const key = prepareCbc(derived);
  cbcKeys.set(derived, { key, backend });
  return key;
}
