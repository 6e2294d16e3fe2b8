/**
 * MD4 (RFC 1320). Broken as a hash; still required by RC4-HMAC string-to-key (RFC 4757 §2:
 * key = MD4(UTF-16LE(password))) and by NTLM (the NT one-way function, MS-NLMP §3.3.1).
 * No maintained package ships it (@noble/hashes has none, and OpenSSL 3 disables it by
 * default, so node:crypto cannot be relied on), hence this small implementation.
 */

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

// Round-2 and round-3 additive constants (RFC 1320 §3.4).
const K2 = 0x5a827999;
const K3 = 0x6ed9eba1;

// Word orders and shifts of rounds 2 and 3.
const R2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const R3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
const S1 = [3, 7, 11, 19];
const S2 = [3, 5, 9, 13];
const S3 = [3, 9, 11, 15];

/** MD4 digest (16 bytes) of `data`. */
export function md4(data: Uint8Array): Uint8Array {
  // Padding: 0x80, zeros to 56 mod 64, then the bit length as 64-bit little-endian.
  const total = ((data.length + 8) >>> 6) * 64 + 64;
  const buf = new Uint8Array(total);
  buf.set(data);
  buf[data.length] = 0x80;
  const view = new DataView(buf.buffer);
  const bits = data.length * 8;
  view.setUint32(total - 8, bits >>> 0, true);
  view.setUint32(total - 4, Math.floor(bits / 0x100000000), true);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Array<number>(16);
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getUint32(off + i * 4, true);
    const aa = a;
    const bb = b;
    const cc = c;
    const dd = d;
    // Round 1: F(x,y,z) = (x & y) | (~x & z)
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + ((b & c) | (~b & d)) + x[i]!) | 0, S1[i & 3]!);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    // Round 2: G(x,y,z) = (x & y) | (x & z) | (y & z)
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + ((b & c) | (b & d) | (c & d)) + x[R2_ORDER[i]!]! + K2) | 0, S2[i & 3]!);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    // Round 3: H(x,y,z) = x ^ y ^ z
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + (b ^ c ^ d) + x[R3_ORDER[i]!]! + K3) | 0, S3[i & 3]!);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  ov.setUint32(0, a >>> 0, true);
  ov.setUint32(4, b >>> 0, true);
  ov.setUint32(8, c >>> 0, true);
  ov.setUint32(12, d >>> 0, true);
  return out;
}
