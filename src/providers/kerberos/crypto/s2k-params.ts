/**
 * s2kparams of the AES enctypes (RFC 3962 §4, RFC 8009 §4): a 32-bit big-endian PBKDF2
 * iteration count. The KDC sends it in ETYPE-INFO2, so it is peer input: a hostile or
 * broken KDC could ask for billions of iterations. Like MIT (which refuses counts of
 * 2^24 and above), we bound it.
 */
import { gssError } from '../../../core/errors.ts';

/** Largest iteration count accepted (MIT's limit is below 0x1000000). */
export const MAX_ITERATIONS = 0xffffff;

export function iterationParams(count: number): Uint8Array {
  const p = new Uint8Array(4);
  new DataView(p.buffer).setUint32(0, count);
  return p;
}

export function iterationCount(params: Uint8Array | undefined, defaultCount: number): number {
  if (params === undefined || params.length === 0) return defaultCount;
  if (params.length !== 4)
    throw gssError('MALFORMED', `s2kparams must be 4 bytes, got ${params.length}`, { origin: 'peer' });
  const count = new DataView(params.buffer, params.byteOffset, 4).getUint32(0);
  if (count === 0 || count > MAX_ITERATIONS)
    throw gssError('LIMIT_EXCEEDED', `s2kparams iteration count ${count} out of range 1..${MAX_ITERATIONS}`, {
      origin: 'peer',
    });
  return count;
}
