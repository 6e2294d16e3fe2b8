/**
 * The TLV layer of DER writing (X.690 §8.1, §10.1): an element is an identifier, a definite
 * minimal length and contents; constructed contents are the children's encodings in order.
 * Builders in der.ts give each element its type's contents; this file only frames them.
 *
 * Sizes are known when an element is made, so `encodeElement` allocates the message once
 * and writes every element in place (no concatenation per nesting level). Why asn1js is not
 * used on this path, and how it still checks the output: see der-reader.ts and
 * docs/ARCHITECTURE.md, "DER on the handshake path".
 */

/** An element ready to encode. Made by der.ts's builders, never by hand. */
export interface DerElement {
  /** Identifier octets (one for tag numbers below 31). */
  readonly identifier: Uint8Array;
  /** Primitive contents; undefined when `children` or `integer` stands for them. */
  readonly content: Uint8Array | undefined;
  readonly children: readonly DerElement[] | undefined;
  /** An INTEGER's value, written as its contents (no contents array is made for it). */
  readonly integer: number | undefined;
  /** Contents length in octets. */
  readonly contentLength: number;
  /** Whole encoding length: identifier + length octets + contents. */
  readonly size: number;
}

/** Identifier octets for a tag class (0-3), constructed bit and tag number (X.690 §8.1.2). */
export function identifierOctets(tagClass: number, constructed: boolean, tag: number): Uint8Array {
  const lead = (tagClass << 6) | (constructed ? 0x20 : 0);
  if (tag < 31) return Uint8Array.of(lead | tag);
  const digits: number[] = [];
  for (let t = tag; t > 0; t = Math.floor(t / 128)) digits.unshift(t % 128);
  return Uint8Array.from([lead | 0x1f, ...digits.map((d, i) => (i < digits.length - 1 ? d | 0x80 : d))]);
}

/** Octets the minimal definite length of `n` takes (X.690 §10.1). */
function lengthSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5;
}

export function primitiveElement(identifier: Uint8Array, content: Uint8Array): DerElement {
  const contentLength = content.length;
  return {
    identifier,
    content,
    children: undefined,
    integer: undefined,
    contentLength,
    size: identifier.length + lengthSize(contentLength) + contentLength,
  };
}

/** Octets of the shortest two's complement of a 32-bit-range integer (X.690 §8.3.2). */
function integerLength(n: number): number {
  return n >= -0x80 && n < 0x80
    ? 1
    : n >= -0x8000 && n < 0x8000
      ? 2
      : n >= -0x800000 && n < 0x800000
        ? 3
        : n >= -0x80000000 && n < 0x80000000
          ? 4
          : 5;
}

/** An INTEGER (any value from -2^31 to 2^32-1) under `identifier`, written in place. */
export function integerElement(identifier: Uint8Array, n: number): DerElement {
  const contentLength = integerLength(n);
  return {
    identifier,
    content: undefined,
    children: undefined,
    integer: n,
    contentLength,
    size: identifier.length + 1 + contentLength,
  };
}

export function constructedElement(identifier: Uint8Array, children: readonly DerElement[]): DerElement {
  let contentLength = 0;
  for (const child of children) contentLength += child.size;
  return {
    identifier,
    content: undefined,
    children,
    integer: undefined,
    contentLength,
    size: identifier.length + lengthSize(contentLength) + contentLength,
  };
}

/**
 * An element whose whole encoding already exists (a Ticket from the credential cache):
 * written as is, never decoded and re-encoded. `identifier` is empty and `content` holds
 * the whole encoding, which `writeElement` recognises.
 */
export function encodedElement(encoding: Uint8Array): DerElement {
  return {
    identifier: EMPTY,
    content: encoding,
    children: undefined,
    integer: undefined,
    contentLength: encoding.length,
    size: encoding.length,
  };
}

const EMPTY = new Uint8Array(0);

/** Copies `bytes` to `out` at `at`; a loop beats TypedArray#set for a few octets. */
function put(out: Uint8Array, at: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (n > 24) out.set(bytes, at);
  else for (let i = 0; i < n; i++) out[at + i] = bytes[i]!;
  return at + n;
}

function writeElement(out: Uint8Array, at: number, element: DerElement): number {
  if (element.identifier.length === 0) return put(out, at, element.content!);
  at = put(out, at, element.identifier);
  const n = element.contentLength;
  if (n < 0x80) out[at++] = n;
  else {
    const count = lengthSize(n) - 1;
    out[at++] = 0x80 | count;
    for (let i = count - 1; i >= 0; i--) out[at++] = Math.floor(n / 2 ** (8 * i)) & 0xff;
  }
  if (element.integer !== undefined) {
    // Five octets only for 2^31..2^32-1: a 00 then the 32 bits, which `>>>` reads as unsigned.
    const bits = element.integer | 0;
    for (let i = n - 1, shift = 0; i >= 0; i--, shift += 8)
      out[at + i] = shift < 32 ? (bits >>> shift) & 0xff : 0;
    return at + n;
  }
  if (element.children === undefined) return put(out, at, element.content!);
  for (const child of element.children) at = writeElement(out, at, child);
  return at;
}

/** The DER octets of an element. */
export function encodeElement(element: DerElement): Uint8Array {
  const out = new Uint8Array(element.size);
  const end = writeElement(out, 0, element);
  if (end !== out.length) throw new RangeError(`DER writer produced ${end} of ${out.length} octets`);
  return out;
}
