/**
 * The RC4 key stream of one direction, with look-ahead. NTLM connection-oriented sealing
 * keeps a single RC4 state running across messages (MS-NLMP §3.4.3), so a receiver that
 * decrypted a forged message would be out of step with the sender for ever after. Instead
 * of decrypting in place, the receiver `peek`s the key-stream bytes it needs, verifies,
 * and only `advance`s past them when the message is genuine: a refused token leaves the
 * context exactly as it was (GSS_Unwrap semantics), and trying two readings of one token
 * (sealed / signed only) costs no state. Unconsumed key stream stays buffered, at most the
 * largest message a peer sent ahead of the real stream.
 */
import { Rc4 } from '../../crypto/rc4.ts';

export class KeyStream {
  #rc4: Rc4;
  #buffer = new Uint8Array(0);
  #position = 0;

  constructor(key: Uint8Array) {
    this.#rc4 = new Rc4(key);
  }

  /** The next `n` key-stream bytes, not consumed. The view is valid until the next call. */
  peek(n: number): Uint8Array {
    const available = this.#buffer.length - this.#position;
    if (available < n) {
      const more = this.#rc4.process(new Uint8Array(Math.max(n - available, 64)));
      const next = new Uint8Array(available + more.length);
      next.set(this.#buffer.subarray(this.#position));
      next.set(more, available);
      this.#buffer.fill(0);
      this.#buffer = next;
      this.#position = 0;
    }
    return this.#buffer.subarray(this.#position, this.#position + n);
  }

  advance(n: number): void {
    this.#position += n;
  }

  /** Consumes `n` bytes and returns a copy of them. */
  take(n: number): Uint8Array {
    const out = this.peek(n).slice();
    this.advance(n);
    return out;
  }

  wipe(): void {
    this.#rc4.wipe();
    this.#buffer.fill(0);
    this.#buffer = new Uint8Array(0);
    this.#position = 0;
  }
}

/** XOR of `a` and the first a.length bytes of `b` into a new array. */
export function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zlib), used by NTLMv1 signatures without extended session security. */
export function crc32(data: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of data) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
