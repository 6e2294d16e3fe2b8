/**
 * PRF+ and KRB-FX-CF2 (RFC 6113 §5.1), used by FAST armor and the PKINIT/SPAKE reply keys:
 *   PRF+(K, info) = PRF(K, 1 | info) | PRF(K, 2 | info) | ...   (counter: one byte)
 *   KRB-FX-CF2(K1, K2, pepper1, pepper2) =
 *     random-to-key(PRF+(K1, pepper1) XOR PRF+(K2, pepper2)), each cut to keyBytes,
 * with the result of K1's (or the given) enctype.
 */
import { gssError } from '../../../core/errors.ts';
import type { EncryptionKey } from '../types.ts';
import { toBytes } from './enctype.ts';
import { type EnctypeOptions, getEnctype } from './registry.ts';

/** PRF+ of `key` over `info`, `length` bytes. */
export function prfPlus(
  key: EncryptionKey,
  info: Uint8Array,
  length: number,
  options: EnctypeOptions = { allowRc4: true },
): Uint8Array {
  const e = getEnctype(key.etype, options);
  const rounds = Math.ceil(length / e.prfSize);
  if (rounds > 255) throw gssError('INVALID_ARGUMENT', `PRF+ cannot produce ${length} bytes`);
  const out = new Uint8Array(rounds * e.prfSize);
  const input = new Uint8Array(1 + info.length);
  input.set(info, 1);
  for (let i = 1; i <= rounds; i++) {
    input[0] = i;
    out.set(e.prf(key, input), (i - 1) * e.prfSize);
  }
  return out.subarray(0, length);
}

/** KRB-FX-CF2 (RFC 6113 §5.1). The result has enctype `etype` (normally k1's). */
export function cf2(
  etype: number,
  k1: EncryptionKey,
  k2: EncryptionKey,
  pepper1: string | Uint8Array,
  pepper2: string | Uint8Array,
  options: EnctypeOptions = { allowRc4: true },
): EncryptionKey {
  const e = getEnctype(etype, options);
  const a = prfPlus(k1, toBytes(pepper1), e.keyBytes, options);
  const b = prfPlus(k2, toBytes(pepper2), e.keyBytes, options);
  for (let i = 0; i < a.length; i++) a[i]! ^= b[i]!;
  const key = e.randomToKey(a);
  a.fill(0);
  b.fill(0);
  return key;
}
