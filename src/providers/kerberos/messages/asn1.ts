/**
 * Strict, bounded DER reading for Kerberos messages (RFC 4120 §5: DER, explicit context
 * tags everywhere). asn1js does the BER parsing; this layer turns its tree into `DerNode`s
 * and checks every tag, range and shape. Every failure is a GssockError MALFORMED with
 * origin 'peer' and a path such as 'AP-REQ.authenticator.cipher'; nothing else escapes.
 *
 * Choices (and why):
 * - Input size is checked before parsing; asn1js runs with depth/node limits.
 * - Indefinite lengths are refused (DER only, RFC 4120 §5.1); non-minimal definite lengths
 *   are tolerated, so decode-then-encode is byte-identical only for DER input.
 * - Unknown context tags after the known ones are ignored (later RFCs append fields, e.g.
 *   RFC 6806 encrypted-pa-data [12] in EncKDCRepPart); tags must be strictly ascending.
 */
import * as asn1js from 'asn1js';
import { GssockError, gssError } from '../../../core/errors.ts';

/** Largest DER message accepted by default (a KDC reply with a large PAC fits easily). */
export const DEFAULT_MAX_DER_SIZE = 1 << 20;

export interface DecodeOptions {
  /** Refuse input larger than this many bytes (default DEFAULT_MAX_DER_SIZE). */
  maxSize?: number;
}

/** ASN.1 tag classes as in the identifier octet (bits 8-7). */
export const TagClass = { UNIVERSAL: 0, APPLICATION: 1, CONTEXT: 2, PRIVATE: 3 } as const;

/** Universal tag numbers used by Kerberos. */
export const Universal = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  OBJECT_IDENTIFIER: 6,
  SEQUENCE: 16,
  IA5_STRING: 22,
  GENERALIZED_TIME: 24,
  GENERAL_STRING: 27,
} as const;

/** One parsed TLV. `content` is the value octets, `raw` the whole encoding. */
export interface DerNode {
  tagClass: number;
  tag: number;
  constructed: boolean;
  children: DerNode[];
  content: Uint8Array;
  raw: Uint8Array;
}

export function malformed(path: string, message: string, cause?: unknown): GssockError {
  return gssError('MALFORMED', `${path}: ${message}`, { origin: 'peer', details: { path }, cause });
}

type AsnBlock = asn1js.BaseBlock & { valueBlock: { value?: asn1js.BaseBlock[] } };

function convert(block: AsnBlock, path: string): DerNode {
  const id = block.idBlock;
  const len = block.lenBlock;
  if (block.error) throw malformed(path, `bad DER: ${block.error}`);
  if (id.isHexOnly) throw malformed(path, 'tag number too large');
  if (len.isIndefiniteForm) throw malformed(path, 'indefinite length is not DER');
  // A view into the input, not a copy per node (copying made decoding O(size x depth));
  // readers copy what they keep (readOctets slices).
  const v = block.valueBeforeDecodeView;
  const raw = v instanceof Uint8Array ? v : new Uint8Array(v);
  if (len.length > raw.length) throw malformed(path, 'length exceeds the element');
  const constructed = id.isConstructed;
  const children: DerNode[] = [];
  if (constructed) {
    const value = block.valueBlock.value ?? [];
    for (const child of value) children.push(convert(child as AsnBlock, path));
  }
  return {
    tagClass: id.tagClass - 1,
    tag: id.tagNumber,
    constructed,
    children,
    content: raw.subarray(raw.length - len.length),
    raw,
  };
}

/** Parses exactly one DER element filling `input`. */
export function parseDer(input: Uint8Array, path: string, options: DecodeOptions = {}): DerNode {
  const maxSize = options.maxSize ?? DEFAULT_MAX_DER_SIZE;
  if (!(input instanceof Uint8Array)) throw malformed(path, 'input is not a Uint8Array');
  if (input.length > maxSize) throw malformed(path, `${input.length} bytes exceed the limit of ${maxSize}`);
  if (input.length < 2) throw malformed(path, 'too short');
  let parsed: asn1js.FromBerResult;
  try {
    parsed = asn1js.fromBER(input, { maxDepth: 48, maxNodes: 200_000, parseEmbedded: false });
  } catch (e) {
    throw malformed(path, 'unparseable DER', e);
  }
  if (parsed.offset === -1) throw malformed(path, `bad DER: ${parsed.result.error || 'truncated'}`);
  if (parsed.offset !== input.length) throw malformed(path, `${input.length - parsed.offset} trailing bytes`);
  return convert(parsed.result as AsnBlock, path);
}

/** Runs a decoder; converts any non-GssockError (a bug, a stack overflow) into MALFORMED. */
export function decodeGuard<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GssockError) throw e;
    throw malformed(path, e instanceof Error ? e.message : 'decoder failure', e);
  }
}

/** Parses `input` and hands the root to `decode`, with the guard. */
export function decodeDer<T>(
  input: Uint8Array,
  path: string,
  options: DecodeOptions | undefined,
  decode: (root: DerNode) => T,
): T {
  return decodeGuard(path, () => decode(parseDer(input, path, options)));
}

function expectTag(node: DerNode, tagClass: number, tag: number, constructed: boolean, path: string): void {
  if (node.tagClass !== tagClass || node.tag !== tag || node.constructed !== constructed) {
    const names = ['UNIVERSAL', 'APPLICATION', 'CONTEXT', 'PRIVATE'];
    throw malformed(
      path,
      `expected ${names[tagClass]} ${tag}${constructed ? ' (constructed)' : ''}, got ${names[node.tagClass]} ${node.tag}${node.constructed ? ' (constructed)' : ''}`,
    );
  }
}

/** Unwraps `[APPLICATION n] inner` and returns the inner element. */
export function expectApplication(node: DerNode, tag: number, path: string): DerNode {
  expectTag(node, TagClass.APPLICATION, tag, true, path);
  if (node.children.length !== 1) throw malformed(path, 'application tag must wrap one element');
  return node.children[0]!;
}

/** The application tag number of a node (used to tell messages apart). */
export function applicationTagOf(node: DerNode): number | undefined {
  return node.tagClass === TagClass.APPLICATION ? node.tag : undefined;
}

/**
 * A SEQUENCE of explicitly tagged fields `[n] value`: returns tag -> inner element.
 * Tags must be strictly ascending (DER orders SEQUENCE fields by definition order).
 */
export function readFields(node: DerNode, path: string): Map<number, DerNode> {
  expectTag(node, TagClass.UNIVERSAL, Universal.SEQUENCE, true, path);
  const map = new Map<number, DerNode>();
  let last = -1;
  for (const child of node.children) {
    if (child.tagClass !== TagClass.CONTEXT || !child.constructed)
      throw malformed(path, 'SEQUENCE field without an explicit context tag');
    if (child.tag <= last) throw malformed(path, `field [${child.tag}] out of order or repeated`);
    if (child.children.length !== 1)
      throw malformed(`${path}[${child.tag}]`, 'explicit tag must wrap one element');
    last = child.tag;
    map.set(child.tag, child.children[0]!);
  }
  return map;
}

/** A required field; `name` is the ASN.1 field name used in the error path. */
export function req(fields: Map<number, DerNode>, tag: number, path: string, name: string): DerNode {
  const node = fields.get(tag);
  if (!node) throw malformed(`${path}.${name}`, `required field [${tag}] is missing`);
  return node;
}

/** Reads an optional field with `read`, or returns undefined. */
export function opt<T>(
  fields: Map<number, DerNode>,
  tag: number,
  path: string,
  name: string,
  read: (node: DerNode, path: string) => T,
): T | undefined {
  const node = fields.get(tag);
  return node === undefined ? undefined : read(node, `${path}.${name}`);
}

/** Reads a required field with `read`. */
export function field<T>(
  fields: Map<number, DerNode>,
  tag: number,
  path: string,
  name: string,
  read: (node: DerNode, path: string) => T,
): T {
  return read(req(fields, tag, path, name), `${path}.${name}`);
}

/** SEQUENCE OF item. */
export function readSequenceOf<T>(node: DerNode, path: string, read: (n: DerNode, p: string) => T): T[] {
  expectTag(node, TagClass.UNIVERSAL, Universal.SEQUENCE, true, path);
  return node.children.map((child, i) => read(child, `${path}[${i}]`));
}

/** Adds only the defined optional properties, so decoded objects have no `undefined` keys. */
export function withOptional<T extends object>(base: T, extra: Record<string, unknown>): T {
  const out = base as Record<string, unknown>;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return base;
}

export { expectTag };
