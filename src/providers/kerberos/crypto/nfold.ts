/**
 * n-fold (RFC 3961 §5.1): stretches or shrinks a byte string to `outBytes` by replicating
 * it to the least common multiple of both lengths, each copy rotated right by 13 bits
 * more than the previous one, then adding the `outBytes` chunks with end-around carry
 * (ones'-complement addition). Used to turn key-derivation constants into one cipher block.
 */

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export function nfold(input: Uint8Array, outBytes: number): Uint8Array {
  const inBytes = input.length;
  const out = new Uint8Array(outBytes);
  if (inBytes === 0 || outBytes === 0) return out;
  const lcm = (inBytes * outBytes) / gcd(inBytes, outBytes);
  const inBits = inBytes * 8;
  let carry = 0;
  // Walk the lcm-long replicated string from its last byte to its first, adding each byte
  // into the output position it lands on. Byte i of the replicated string is taken from
  // copy floor(i / inBytes), rotated right by 13 bits per copy: `msbit` is the bit of the
  // input where that byte's most significant bit comes from.
  for (let i = lcm - 1; i >= 0; i--) {
    const copy = Math.floor(i / inBytes);
    const msbit = (inBits - 1 + (inBits + 13) * copy + (inBytes - (i % inBytes)) * 8) % inBits;
    const hi = input[(inBytes - 1 - (msbit >>> 3)) % inBytes]!;
    const lo = input[(inBytes - (msbit >>> 3)) % inBytes]!;
    const byte = (((hi << 8) | lo) >>> ((msbit & 7) + 1)) & 0xff;
    const sum = byte + carry + out[i % outBytes]!;
    out[i % outBytes] = sum & 0xff;
    carry = sum >>> 8;
  }
  // End-around carry.
  for (let i = outBytes - 1; i >= 0 && carry !== 0; i--) {
    const sum = out[i]! + carry;
    out[i] = sum & 0xff;
    carry = sum >>> 8;
  }
  return out;
}
