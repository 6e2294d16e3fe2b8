/**
 * Random bytes for confounders: every encryption needs 8-16 fresh random bytes, and a
 * getRandomValues call costs several microseconds on Node, a large share of a small
 * message's cost. Both functions draw from the pooled CSPRNG buffer of src/core/random.ts
 * (refilled by crypto.getRandomValues, bytes erased from the pool as they leave).
 */
import { gssError } from '../core/errors.ts';
import { fillRandom } from '../core/random.ts';

/** Writes `length` random bytes into `out` at `offset` (a confounder in place, no copy). */
export function randomInto(out: Uint8Array, offset: number, length: number): void {
  if (offset < 0 || length < 0 || offset + length > out.length)
    throw gssError('INVALID_ARGUMENT', 'randomInto: the range is outside the array');
  fillRandom(out.subarray(offset, offset + length));
}

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  fillRandom(out);
  return out;
}
