/**
 * HMAC-SHA1 (RFC 2104 over FIPS 180-4 SHA-1) for a key used on many short messages: the
 * RFC 3962 Ki/Kc of a Kerberos session (aes*-cts-hmac-sha1-96). The inner and outer
 * chaining values after the padded key block are computed once; each MAC then costs only
 * the message's compressions plus one outer compression, over preallocated scratch (no
 * hash objects, no allocation but the 20-byte result). @noble/hashes' HMAC clones two
 * hash objects per call and allocated ~5 us per 100-byte MAC on Node; this takes ~1.5 us.
 * SHA-1's collision weakness does not touch HMAC-SHA1 (RFC 6194 §3.2), which the
 * enctypes mandate. Scratch holding message words is zeroed after each call.
 */

const BLOCK = 64;
export const SHA1_SIZE = 20;

const IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0] as const;

/** Message schedule and the pending partial block, shared (calls never interleave). */
const W = new Int32Array(80);
const buf = new Uint8Array(BLOCK);
const st = new Int32Array(5);

/** One SHA-1 compression of b[off..off+64] into `h`. */
function compress(h: Int32Array, b: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++, off += 4)
    W[i] = (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
  for (let i = 16; i < 80; i++) {
    const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = h[0]!;
  let bb = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  // The four rounds of 20 steps, one loop each (no per-step branch on the round).
  let t: number;
  for (let i = 0; i < 20; i++) {
    t = (((a << 5) | (a >>> 27)) + ((bb & c) | (~bb & d)) + e + 0x5a827999 + W[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  for (let i = 20; i < 40; i++) {
    t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  for (let i = 40; i < 60; i++) {
    t = (((a << 5) | (a >>> 27)) + ((bb & c) | (bb & d) | (c & d)) + e + 0x8f1bbcdc + W[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  for (let i = 60; i < 80; i++) {
    t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + 0xca62c1d6 + W[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + bb) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
}

/** Pads and finishes `h` after `total` bytes of which the last `pending` are in `buf`. */
function finish(h: Int32Array, pending: number, total: number): void {
  buf[pending++] = 0x80;
  if (pending > BLOCK - 8) {
    buf.fill(0, pending);
    compress(h, buf, 0);
    pending = 0;
  }
  buf.fill(0, pending, BLOCK - 8);
  // The length in bits, 64-bit big-endian (messages here stay far below 2^53 bits).
  const bits = total * 8;
  const hi = Math.floor(bits / 0x100000000);
  const lo = bits >>> 0;
  buf[56] = hi >>> 24;
  buf[57] = hi >>> 16;
  buf[58] = hi >>> 8;
  buf[59] = hi;
  buf[60] = lo >>> 24;
  buf[61] = lo >>> 16;
  buf[62] = lo >>> 8;
  buf[63] = lo;
  compress(h, buf, 0);
}

function writeDigest(h: Int32Array, out: Uint8Array): void {
  for (let i = 0; i < 5; i++) {
    const v = h[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = v >>> 16;
    out[i * 4 + 2] = v >>> 8;
    out[i * 4 + 3] = v;
  }
}

/** SHA-1 of `data` (the HMAC key when longer than a block; tests). */
export function sha1(data: Uint8Array): Uint8Array {
  const h = Int32Array.from(IV);
  let off = 0;
  for (; off + BLOCK <= data.length; off += BLOCK) compress(h, data, off);
  buf.set(data.subarray(off));
  finish(h, data.length - off, data.length);
  const out = new Uint8Array(SHA1_SIZE);
  writeDigest(h, out);
  wipeScratch();
  return out;
}

function wipeScratch(): void {
  W.fill(0);
  buf.fill(0);
  st.fill(0);
}

/** An HMAC-SHA1 key with its inner and outer states prepared. */
export class HmacSha1 {
  readonly #inner = new Int32Array(5);
  readonly #outer = new Int32Array(5);

  constructor(key: Uint8Array) {
    const k = key.length > BLOCK ? sha1(key) : key;
    const pad = new Uint8Array(BLOCK);
    for (const [state, byte] of [
      [this.#inner, 0x36],
      [this.#outer, 0x5c],
    ] as const) {
      pad.fill(byte);
      for (let i = 0; i < k.length; i++) pad[i]! ^= k[i]!;
      state.set(IV);
      compress(state, pad, 0);
    }
    pad.fill(0);
    wipeScratch();
  }

  /** HMAC-SHA1 of the concatenation of `parts` (20 bytes). */
  mac(...parts: Uint8Array[]): Uint8Array {
    st.set(this.#inner);
    let pending = 0;
    let total = BLOCK;
    for (const p of parts) {
      let i = 0;
      const n = p.length;
      total += n;
      if (pending > 0) {
        const take = Math.min(BLOCK - pending, n);
        buf.set(p.subarray(0, take), pending);
        pending += take;
        i = take;
        if (pending < BLOCK) continue;
        compress(st, buf, 0);
        pending = 0;
      }
      for (; i + BLOCK <= n; i += BLOCK) compress(st, p, i);
      if (i < n) {
        buf.set(p.subarray(i), 0);
        pending = n - i;
      }
    }
    finish(st, pending, total);
    // Outer: the inner digest (20 bytes) after the opad block.
    writeDigest(st, buf);
    st.set(this.#outer);
    finish(st, SHA1_SIZE, BLOCK + SHA1_SIZE);
    const out = new Uint8Array(SHA1_SIZE);
    writeDigest(st, out);
    wipeScratch();
    return out;
  }

  /** Zeroes the prepared states (they are as secret as the key). */
  dispose(): void {
    this.#inner.fill(0);
    this.#outer.fill(0);
  }
}
