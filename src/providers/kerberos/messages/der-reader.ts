/**
 * The TLV layer of strict DER reading (X.690 §8.1, §10.1): identifier, definite length and
 * contents, recursively for constructed elements, as views into the input.
 *
 * Why not asn1js here (docs/ARCHITECTURE.md, "DER on the handshake path"): asn1js 4 builds
 * four objects per element, each running @peculiar/utils' buffer checks; measured at about
 * 1.7 ms of a 2.8 ms Kerberos handshake. Kerberos readers need only the tag, the
 * constructed bit and the content octets of each element (asn1.ts checks types and values),
 * so this is the whole of what asn1js did for them. asn1js stays the reference:
 * test/providers/kerberos/messages/der-reader.test.ts parses random and mutated messages
 * with both and requires the same tree or a refusal from both.
 *
 * Hostile input: the caller bounds the size; depth and element count are bounded here; no
 * length is trusted before it is checked against the bytes that remain; nothing is copied.
 */
import { type GssockError, gssError } from '../../../core/errors.ts';

/** One parsed TLV. `content` is the value octets, `raw` the whole encoding (both views). */
export interface DerNode {
  /** Bits 8-7 of the identifier: 0 universal, 1 application, 2 context, 3 private. */
  readonly tagClass: number;
  readonly tag: number;
  readonly constructed: boolean;
  readonly children: readonly DerNode[];
  /** Views made on demand; hot readers use the offsets below instead. */
  readonly content: Uint8Array;
  readonly raw: Uint8Array;
  /** The whole input, and where this element's contents start and end in it. */
  readonly input: Uint8Array;
  readonly contentStart: number;
  readonly end: number;
}

/**
 * A node as offsets into the input; `content` and `raw` are made when asked for, because
 * most nodes are never asked (constructed ones) and a view costs more than the parse.
 */
class ElementView implements DerNode {
  constructor(
    readonly input: Uint8Array,
    readonly tagClass: number,
    readonly tag: number,
    readonly constructed: boolean,
    readonly children: readonly DerNode[],
    private readonly start: number,
    readonly contentStart: number,
    readonly end: number,
  ) {}

  get content(): Uint8Array {
    const input = this.input;
    return new Uint8Array(input.buffer, input.byteOffset + this.contentStart, this.end - this.contentStart);
  }

  get raw(): Uint8Array {
    const input = this.input;
    return new Uint8Array(input.buffer, input.byteOffset + this.start, this.end - this.start);
  }
}

export interface DerTreeLimits {
  /** Deepest nesting accepted (the root is depth 1). */
  maxDepth: number;
  /** Most elements accepted in one tree. */
  maxNodes: number;
}

/** The error every Kerberos decoder throws: MALFORMED, from the peer, with a field path. */
export function malformed(path: string, message: string, cause?: unknown): GssockError {
  return gssError('MALFORMED', `${path}: ${message}`, { origin: 'peer', details: { path }, cause });
}

const NO_CHILDREN: DerNode[] = [];

/** Universal tags DER encodes constructed: EXTERNAL, EMBEDDED PDV, SEQUENCE, SET. */
const CONSTRUCTED_UNIVERSAL = new Set([8, 11, 16, 17]);

/** A TLV-level refusal: 'bad DER: <why>' at the decoder's path. */
function syntax(cursor: Cursor, why: string): GssockError {
  return malformed(cursor.path, `bad DER: ${why}`);
}

interface Cursor {
  nodes: number;
  readonly limits: DerTreeLimits;
  readonly path: string;
}

/** Parses exactly one element filling `input`; anything else is MALFORMED at `path`. */
export function readDerTree(input: Uint8Array, path: string, limits: DerTreeLimits): DerNode {
  const cursor: Cursor = { nodes: 0, limits, path };
  const node = readElement(input, 0, input.length, 1, cursor);
  if (node.end !== input.length) throw malformed(path, `${input.length - node.end} trailing bytes`);
  return node;
}

function readElement(
  input: Uint8Array,
  start: number,
  end: number,
  depth: number,
  cursor: Cursor,
): ElementView {
  if (depth > cursor.limits.maxDepth) throw syntax(cursor, `nested deeper than ${cursor.limits.maxDepth}`);
  if (++cursor.nodes > cursor.limits.maxNodes)
    throw syntax(cursor, `more than ${cursor.limits.maxNodes} elements`);
  if (end - start < 2) throw syntax(cursor, 'truncated element');
  let at = start;
  const first = input[at++]!;
  const tagClass = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    // X.690 §8.1.2.4: base-128 tag number, high bit = more; DER forbids a leading 0x80.
    // Four octets (28 bits) is far beyond any tag an RFC assigns.
    tag = 0;
    for (let n = 0; ; n++) {
      if (at >= end) throw syntax(cursor, 'truncated tag number');
      if (n === 4) throw syntax(cursor, 'tag number too large');
      const b = input[at++]!;
      if (n === 0 && b === 0x80) throw syntax(cursor, 'tag number not minimally encoded');
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  // X.690 §8.1.5: [UNIVERSAL 0] is end-of-contents, which only indefinite lengths use.
  if (tagClass === 0) {
    if (tag === 0) throw syntax(cursor, 'end-of-contents outside an indefinite length');
    // X.690 §10.2 and §8: in DER only SEQUENCE, SET, EXTERNAL and EMBEDDED PDV are
    // constructed; every other universal type (strings included) is primitive.
    if (constructed !== CONSTRUCTED_UNIVERSAL.has(tag))
      throw syntax(cursor, `universal ${tag} must be ${constructed ? 'primitive' : 'constructed'}`);
  }
  if (at >= end) throw syntax(cursor, 'truncated length');
  const lengthOctet = input[at++]!;
  let length = lengthOctet;
  if (lengthOctet === 0x80) throw syntax(cursor, 'indefinite length is not DER');
  if (lengthOctet > 0x80) {
    // X.690 §8.1.3.5: 0xff is reserved; more than 4 octets exceeds any input we accept.
    const count = lengthOctet & 0x7f;
    if (count > 4) throw syntax(cursor, 'length of more than 4 octets');
    if (end - at < count) throw syntax(cursor, 'truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + input[at++]!;
  }
  if (length > end - at) throw syntax(cursor, 'length exceeds the element');
  const contentEnd = at + length;
  let children = NO_CHILDREN;
  if (constructed) {
    children = [];
    let child = at;
    while (child < contentEnd) {
      const node = readElement(input, child, contentEnd, depth + 1, cursor);
      children.push(node);
      child = node.end;
    }
  }
  return new ElementView(input, tagClass, tag, constructed, children, start, at, contentEnd);
}
