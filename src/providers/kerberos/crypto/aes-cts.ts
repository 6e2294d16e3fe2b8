/**
 * AES in CBC mode with ciphertext stealing, as RFC 3962 §5 defines it (RFC 2040 RC5-CTS
 * with the errata of RFC 3962 App. A): the last two cipher blocks are swapped and the final
 * one truncated to the length of the last plaintext block, so the output is exactly as
 * long as the input. Inputs must be at least one block (Kerberos always prefixes a
 * 16-byte confounder). An input of exactly one block is plain CBC.
 *
 * Built from whole-block CBC calls on the AES backend (native where available): encrypt is
 * one CBC pass over the zero-padded input plus a swap; decrypt is one ECB block (to recover
 * the stolen tail) plus one CBC pass.
 *
 * The "next IV" (cipher state after the call, RFC 3962 §5) is the second-last output block
 * (the last full CBC block before stealing): see ctsNextIv.
 */
import { gssError } from '../../../core/errors.ts';
import {
  AES_BLOCK,
  type CbcKey,
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesDecryptBlock,
} from '../../../crypto/aes.ts';
import { randomInto } from '../../../crypto/random-pool.ts';

function checkLength(n: number): void {
  if (n < AES_BLOCK) throw gssError('INVALID_ARGUMENT', `CBC-CTS needs at least one block, got ${n} bytes`);
}

/** CBC-CTS encryption of `data` (>= 16 bytes) under `key`, starting from `iv`. */
export function ctsEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const n = data.length;
  checkLength(n);
  if (n === AES_BLOCK) return aesCbcEncrypt(key, iv, data);
  const blocks = Math.ceil(n / AES_BLOCK);
  const padded = new Uint8Array(blocks * AES_BLOCK);
  padded.set(data);
  const c = aesCbcEncrypt(key, iv, padded);
  const last = (blocks - 1) * AES_BLOCK; // start of the last (partial) block
  const prev = last - AES_BLOCK; // start of the second-last block
  const tail = n - last; // 1..16 bytes in the last block
  // C_1..C_{n-2} unchanged, then C_n (last CBC block), then C_{n-1} truncated.
  const out = c.length >= n ? c.subarray(0, n) : new Uint8Array(n);
  const cn = c.slice(last, last + AES_BLOCK);
  out.copyWithin(last, prev, prev + tail);
  out.set(cn, prev);
  return out;
}

/** CBC-CTS decryption of `data` (>= 16 bytes) under `key`, starting from `iv`. */
export function ctsDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const n = data.length;
  checkLength(n);
  if (n === AES_BLOCK) return aesCbcDecrypt(key, iv, data);
  const blocks = Math.ceil(n / AES_BLOCK);
  const last = (blocks - 1) * AES_BLOCK;
  const prev = last - AES_BLOCK;
  const tail = n - last;
  // The block at `prev` is C_n, the last CBC block; the `tail` bytes after it are the head
  // of C_{n-1}. Decrypting C_n alone gives (P_n | zeros) XOR C_{n-1}, whose bytes past
  // `tail` are therefore the stolen rest of C_{n-1}.
  const cn = data.subarray(prev, last);
  const d = aesDecryptBlock(key, cn);
  const rebuilt = new Uint8Array(blocks * AES_BLOCK);
  rebuilt.set(data.subarray(0, prev));
  rebuilt.set(data.subarray(last, n), prev);
  rebuilt.set(d.subarray(tail), prev + tail);
  rebuilt.set(cn, last);
  // Plain CBC over C_1..C_{n-1}, C_n: the final block decrypts to P_n padded with zeros.
  return aesCbcDecrypt(key, iv, rebuilt).subarray(0, n);
}

/** The cipher state after a CTS call over `ciphertext`: RFC 3962's "next IV". */
export function ctsNextIv(ciphertext: Uint8Array): Uint8Array {
  checkLength(ciphertext.length);
  if (ciphertext.length === AES_BLOCK) return ciphertext.slice(0, AES_BLOCK);
  const blocks = Math.ceil(ciphertext.length / AES_BLOCK);
  const prev = (blocks - 2) * AES_BLOCK;
  return ciphertext.slice(prev, prev + AES_BLOCK);
}

/**
 * Reused working buffers for short messages (handshake messages, small wraps). Allocating a
 * typed array above 64 bytes costs 1-2.5 us on Node and Deno (an off-heap backing store,
 * freed by the GC later), more than the AES of such a message. Every caller is synchronous
 * and none nests, so one buffer per purpose suffices; what is handed out is zeroed first
 * and `releaseScratch` zeroes it again, since it held plaintext.
 */
const SCRATCH_MAX = 2048;
const encryptScratch = new Uint8Array(SCRATCH_MAX);
const decryptScratch = new Uint8Array(SCRATCH_MAX);

/** A zeroed working buffer of `size` bytes: reused up to SCRATCH_MAX, else fresh. */
function paddedScratch(size: number): Uint8Array {
  if (size > SCRATCH_MAX) return new Uint8Array(size);
  const view = encryptScratch.subarray(0, size);
  view.fill(0);
  return view;
}

/**
 * confounder | parts, zero-padded to whole blocks for the CBC pass of RFC 3962 / RFC 8009
 * encryption, in a `paddedScratch` buffer (the caller releases it). `n` is the unpadded
 * length: the confounder (random unless given, for known-answer tests) plus the parts.
 */
export function confoundedPlaintext(
  parts: readonly Uint8Array[],
  n: number,
  confounder: Uint8Array | undefined,
): Uint8Array {
  const plain = paddedScratch(ctsPaddedLength(n));
  if (confounder) {
    if (confounder.length !== AES_BLOCK) throw gssError('INVALID_ARGUMENT', 'confounder must be 16 bytes');
    plain.set(confounder);
  } else randomInto(plain, 0, AES_BLOCK);
  let at = AES_BLOCK;
  for (const p of parts) {
    plain.set(p, at);
    at += p.length;
  }
  return plain;
}

/** Wipes a buffer from `paddedScratch` (it held confounder and plaintext). */
export function releaseScratch(view: Uint8Array): void {
  view.fill(0);
}

/** Bytes of the zero-padded buffer `ctsEncryptPadded` takes for an `n`-byte input. */
export const ctsPaddedLength = (n: number): number => Math.ceil(n / AES_BLOCK) * AES_BLOCK;

/**
 * CBC-CTS encryption from a zero IV with a prepared key, for the per-message path. `padded`
 * holds the n-byte input followed by zeros up to a whole block (ctsPaddedLength(n)); it
 * is left as it was. The n-byte result is written at out[offset..]: one CBC pass plus the
 * swap of the last two blocks, no other copy.
 */
export function ctsEncryptPadded(
  k: CbcKey,
  padded: Uint8Array,
  n: number,
  out: Uint8Array,
  offset: number,
): void {
  checkLength(n);
  const c = k.encrypt(padded);
  if (n === AES_BLOCK) {
    out.set(c, offset);
    return;
  }
  const last = c.length - AES_BLOCK; // the last CBC block C_n
  const prev = last - AES_BLOCK;
  // C_1..C_{n-2}, then C_n, then C_{n-1} truncated to the tail length.
  out.set(c.subarray(0, prev), offset);
  out.set(c.subarray(last), offset + prev);
  out.set(c.subarray(prev, prev + n - last), offset + last);
}

/**
 * CBC-CTS decryption from a zero IV with a prepared key: one single-block decryption (the
 * stolen tail) and one CBC pass, on the same native cipher when there is one.
 */
export function ctsDecryptPrepared(k: CbcKey, data: Uint8Array): Uint8Array {
  const n = data.length;
  checkLength(n);
  if (n === AES_BLOCK) return k.decrypt(data);
  const padded = ctsPaddedLength(n);
  const last = padded - AES_BLOCK;
  const prev = last - AES_BLOCK;
  const tail = n - last;
  const cn = data.subarray(prev, last);
  // One block through zero-IV CBC is ECB: (P_n | zeros) XOR C_{n-1}; past `tail` the rest
  // of C_{n-1}.
  const d = k.decrypt(cn);
  // Only ciphertext goes in here (C_1..C_{n-2}, C_{n-1} rebuilt, C_n), so the reused
  // buffer is not wiped after.
  const rebuilt = padded <= SCRATCH_MAX ? decryptScratch.subarray(0, padded) : new Uint8Array(padded);
  rebuilt.set(data.subarray(0, prev));
  rebuilt.set(data.subarray(last, n), prev);
  rebuilt.set(d.subarray(tail), prev + tail);
  rebuilt.set(cn, last);
  return k.decrypt(rebuilt).subarray(0, n);
}
