/**
 * Default clock and randomness. Randomness is the platform CSPRNG (WebCrypto's
 * crypto.getRandomValues, present on Node 20+, Deno and Bun), served through one pooled
 * buffer: a getRandomValues call costs ~5 us on Node whatever its size up to a few KiB,
 * and a Kerberos handshake asks for five small values (subkeys, sequence numbers, cusec
 * digits) plus the confounders, so per-call refills were ~5% of a handshake. One 4 KiB
 * refill serves hundreds of requests. Every byte is handed out once and zeroed in the pool
 * as it leaves, so no two callers ever see the same bytes and the pool holds only bytes
 * nobody has seen. Requests above a quarter of the pool go straight to getRandomValues.
 * src/crypto/random-pool.ts (confounders written in place) draws from the same pool.
 */
import type { Clock, RandomSource } from './mechanism.ts';

const POOL_SIZE = 4096;
/** Larger requests bypass the pool (they would drain it for little gain). */
const POOLED_MAX = POOL_SIZE / 4;
const pool = new Uint8Array(POOL_SIZE);
let pos = POOL_SIZE;

/** getRandomValues fills at most 65536 bytes per call. */
function fillDirect(out: Uint8Array): void {
  for (let i = 0; i < out.length; i += 65536)
    crypto.getRandomValues(out.subarray(i, Math.min(out.length, i + 65536)));
}

/**
 * Writes `out.length` fresh random bytes into `out` (a view into a larger buffer is fine:
 * a confounder is written in place). The bytes come from the pool and are erased there.
 */
export function fillRandom(out: Uint8Array): void {
  const n = out.length;
  if (n > POOLED_MAX) {
    fillDirect(out);
    return;
  }
  if (pos + n > POOL_SIZE) {
    crypto.getRandomValues(pool);
    pos = 0;
  }
  out.set(pool.subarray(pos, pos + n));
  pool.fill(0, pos, pos + n);
  pos += n;
}

/** Default randomness: the CSPRNG through the pool above. */
export const defaultRandom: RandomSource = (length) => {
  const out = new Uint8Array(length);
  fillRandom(out);
  return out;
};

export const defaultClock: Clock = () => Date.now();
