/**
 * RC4 stream cipher. Broken; needed only for RC4-HMAC (RFC 4757, enctype 23) and NTLM
 * sealing (MS-NLMP §3.4.3), which keeps one RC4 state running across all messages of a
 * session: hence the stateful class next to the one-shot function.
 */
import { gssError } from '../core/errors.ts';

export class Rc4 {
  readonly #s = new Uint8Array(256);
  #i = 0;
  #j = 0;

  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > 256)
      throw gssError('INVALID_ARGUMENT', `RC4 key must be 1..256 bytes, got ${key.length}`);
    const s = this.#s;
    for (let i = 0; i < 256; i++) s[i] = i;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      const si = s[i]!;
      j = (j + si + key[i % key.length]!) & 0xff;
      s[i] = s[j]!;
      s[j] = si;
    }
  }

  /**
   * XORs the next `input.length` key-stream bytes into `input`, writing to `output`
   * (a new array unless given; `output` may be `input` itself for in-place use).
   */
  process(input: Uint8Array, output: Uint8Array = new Uint8Array(input.length)): Uint8Array {
    if (output.length < input.length) throw gssError('INVALID_ARGUMENT', 'RC4 output buffer too small');
    const s = this.#s;
    let i = this.#i;
    let j = this.#j;
    for (let k = 0; k < input.length; k++) {
      i = (i + 1) & 0xff;
      const si = s[i]!;
      j = (j + si) & 0xff;
      const sj = s[j]!;
      s[i] = sj;
      s[j] = si;
      output[k] = input[k]! ^ s[(si + sj) & 0xff]!;
    }
    this.#i = i;
    this.#j = j;
    return output;
  }

  /** Discards `n` key-stream bytes (RFC 6229 vectors read the stream at offsets). */
  skip(n: number): void {
    this.process(new Uint8Array(n));
  }

  /** Overwrites the state; the object is unusable afterwards. */
  wipe(): void {
    this.#s.fill(0);
    this.#i = 0;
    this.#j = 0;
  }
}

/** One-shot RC4: encrypts (or decrypts) `data` under `key` from a fresh state. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const cipher = new Rc4(key);
  const out = cipher.process(data);
  cipher.wipe();
  return out;
}
