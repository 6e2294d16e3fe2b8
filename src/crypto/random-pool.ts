/**
 * Random bytes for confounders, served from a pooled buffer refilled by the platform
 * CSPRNG (crypto.getRandomValues). Every encryption needs 8-16 fresh random bytes and a
 * getRandomValues call costs several microseconds on Node, a large share of a small
 * message's cost; one 4 KiB refill serves 256 confounders. Bytes handed out are erased
 * from the pool.
 */
import { gssError } from '../core/errors.ts';

const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let pos = POOL_SIZE;

/** Writes `length` random bytes into `out` at `offset` (a confounder in place, no copy). */
export function randomInto(out: Uint8Array, offset: number, length: number): void {
  if (length > POOL_SIZE / 4) {
    out.set(randomBytes(length), offset);
    return;
  }
  if (offset < 0 || offset + length > out.length)
    throw gssError('INVALID_ARGUMENT', 'randomInto: the range is outside the array');
  if (pos + length > POOL_SIZE) {
    crypto.getRandomValues(pool);
    pos = 0;
  }
  out.set(pool.subarray(pos, pos + length), offset);
  pool.fill(0, pos, pos + length);
  pos += length;
}

export function randomBytes(length: number): Uint8Array {
  if (length > POOL_SIZE / 4) {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 65536)
      crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
    return out;
  }
  if (pos + length > POOL_SIZE) {
    crypto.getRandomValues(pool);
    pos = 0;
  }
  const out = pool.slice(pos, pos + length);
  pool.fill(0, pos, pos + length);
  pos += length;
  return out;
}
