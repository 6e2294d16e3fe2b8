/**
 * Pure-JavaScript AES under a key used many times, where no native AES exists (browsers;
 * the `noble` backend of aes.ts): zero-IV CBC over whole blocks with the round-key
 * schedules of @noble/ciphers expanded once per key instead of per call (expanding costs
 * more than encrypting a block: ~1-2 us against ~0.3 us for AES-256 on Node); and a chain
 * of single-block encryptions (RFC 3961 DR) under one expansion, for key derivation, which
 * was pure already. noble's AES is table-based, so a native backend, where present, keeps
 * the per-message work (aes.ts NativeCbcStream).
 *
 * Blocks are read and written as little-endian 32-bit words, which is how noble's round
 * functions take them (its schedules are normalised to that order on every host).
 */
import { unsafe } from '@noble/ciphers/aes.js';
import { gssError } from '../core/errors.ts';

const BLOCK = 16;

function word(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

function put(b: Uint8Array, i: number, w: number): void {
  b[i] = w;
  b[i + 1] = w >>> 8;
  b[i + 2] = w >>> 16;
  b[i + 3] = w >>> 24;
}

function checkWhole(data: Uint8Array): void {
  if (data.length % BLOCK !== 0)
    throw gssError('INVALID_ARGUMENT', `AES-CBC input must be whole blocks, got ${data.length} bytes`);
}

/** Zero-IV AES-CBC under one key, schedules kept (the same surface as aes.ts CbcKey). */
export class PureCbcKey {
  readonly #key: Uint8Array;
  #enc: Uint32Array | undefined;
  #dec: Uint32Array | undefined;

  constructor(key: Uint8Array) {
    this.#key = key.slice();
  }

  encrypt(data: Uint8Array): Uint8Array {
    checkWhole(data);
    const xk = (this.#enc ??= unsafe.expandKeyLE(this.#key));
    const out = new Uint8Array(data.length);
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    let c3 = 0;
    for (let i = 0; i < data.length; i += BLOCK) {
      const r = unsafe.encrypt(
        xk,
        c0 ^ word(data, i),
        c1 ^ word(data, i + 4),
        c2 ^ word(data, i + 8),
        c3 ^ word(data, i + 12),
      );
      c0 = r.s0;
      c1 = r.s1;
      c2 = r.s2;
      c3 = r.s3;
      put(out, i, c0);
      put(out, i + 4, c1);
      put(out, i + 8, c2);
      put(out, i + 12, c3);
    }
    return out;
  }

  decrypt(data: Uint8Array): Uint8Array {
    checkWhole(data);
    const xk = (this.#dec ??= unsafe.expandKeyDecLE(this.#key));
    const out = new Uint8Array(data.length);
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    for (let i = 0; i < data.length; i += BLOCK) {
      const x0 = word(data, i);
      const x1 = word(data, i + 4);
      const x2 = word(data, i + 8);
      const x3 = word(data, i + 12);
      const r = unsafe.decrypt(xk, x0, x1, x2, x3);
      put(out, i, r.s0 ^ p0);
      put(out, i + 4, r.s1 ^ p1);
      put(out, i + 8, r.s2 ^ p2);
      put(out, i + 12, r.s3 ^ p3);
      p0 = x0;
      p1 = x1;
      p2 = x2;
      p3 = x3;
    }
    return out;
  }

  dispose(): void {
    this.#enc?.fill(0);
    this.#dec?.fill(0);
    this.#enc = this.#dec = undefined;
    this.#key.fill(0);
  }
}

/**
 * `count` blocks: E(block), E(E(block)), ... under `key`, with one schedule expansion
 * (RFC 3961 §5.1 DR, whose output for AES-256 is two chained blocks).
 */
export function aesEncryptChain(key: Uint8Array, block: Uint8Array, count: number): Uint8Array {
  if (block.length !== BLOCK) throw gssError('INVALID_ARGUMENT', 'AES block must be 16 bytes');
  const xk = unsafe.expandKeyLE(key);
  const out = new Uint8Array(count * BLOCK);
  let s0 = word(block, 0);
  let s1 = word(block, 4);
  let s2 = word(block, 8);
  let s3 = word(block, 12);
  for (let i = 0; i < out.length; i += BLOCK) {
    const r = unsafe.encrypt(xk, s0, s1, s2, s3);
    s0 = r.s0;
    s1 = r.s1;
    s2 = r.s2;
    s3 = r.s3;
    put(out, i, s0);
    put(out, i + 4, s1);
    put(out, i + 8, s2);
    put(out, i + 12, s3);
  }
  xk.fill(0);
  return out;
}
