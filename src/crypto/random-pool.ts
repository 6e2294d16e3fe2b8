/**
 * Random bytes for confounders, served from a pooled buffer refilled by the platform
 * CSPRNG (crypto.getRandomValues). Every encryption needs 8-16 fresh random bytes and a
 * getRandomValues call costs several microseconds on Node, a large share of a small
 * message's cost; one 4 KiB refill serves 256 confounders. Bytes handed out are erased
 * from the pool.
 */
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let offset = POOL_SIZE;

export function randomBytes(length: number): Uint8Array {
  if (length > POOL_SIZE / 4) {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 65536)
      crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
    return out;
  }
  if (offset + length > POOL_SIZE) {
    crypto.getRandomValues(pool);
    offset = 0;
  }
  const out = pool.slice(offset, offset + length);
  pool.fill(0, offset, offset + length);
  offset += length;
  return out;
}
