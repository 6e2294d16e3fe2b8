/**
 * Strict, bounded DER reading for Kerberos messages (RFC 4120 §5: DER, explicit context
 * tags everywhere). der-reader.ts splits the input into `DerNode`s; this layer checks
 * every tag, range and shape. Every failure is a GssockError MALFORMED with
 * origin 'peer' and a path such as 'AP-REQ.authenticator.cipher'; nothing else escapes.
 *
 * Choices (and why):
 * - Input size is checked before parsing; the tree has depth and element-count limits.
 * - Indefinite lengths are refused (DER only, RFC 4120 §5.1); non-minimal definite lengths
 *   are tolerated, so decode-then-encode is byte-identical only for DER input.
 * - Unknown context tags after the known ones are ignored (later RFCs append fields, e.g.
 *   RFC 6806 encrypted-pa-data [12] in EncKDCRepPart); tags must be strictly ascending.
 */
import { GssockError } from '../../../core/errors.ts';
import { type DerNode, malformed, readDerTree } from './der-reader.ts';

export { type DerNode, malformed };

/** Nesting and element-count bounds (Kerberos messages nest about 12 deep). */
const TREE_LIMITS = { maxDepth: 48, maxNodes: 200_000 };

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

/** Parses exactly one DER element filling `input`. */
export function parseDer(input: Uint8Array, path: string, options: DecodeOptions = {}): DerNode {
  const maxSize = options.maxSize ?? DEFAULT_MAX_DER_SIZE;
  if (!(input instanceof Uint8Array)) throw malformed(path, 'input is not a Uint8Array');
  if (input.length > maxSize) throw malformed(path, `${input.length} bytes exceed the limit of ${maxSize}`);
  if (input.length < 2) throw malformed(path, 'too short');
  return readDerTree(input, path, TREE_LIMITS);
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
 * The fields of a SEQUENCE by tag number. Kerberos structures use tags below 32; tags of
 * 64 and up are checked for order and then ignored like any unknown field, so a hostile
 * tag number cannot size this array.
 */
export type Fields = readonly (DerNode | undefined)[];

const MAX_FIELD_TAG = 63;

/**
 * A SEQUENCE of explicitly tagged fields `[n] value`: returns tag -> inner element.
 * Tags must be strictly ascending (DER orders SEQUENCE fields by definition order).
 */
export function readFields(node: DerNode, path: string): Fields {
  expectTag(node, TagClass.UNIVERSAL, Universal.SEQUENCE, true, path);
  const fields: (DerNode | undefined)[] = [];
  let last = -1;
  for (const child of node.children) {
    if (child.tagClass !== TagClass.CONTEXT || !child.constructed)
      throw malformed(path, 'SEQUENCE field without an explicit context tag');
    if (child.tag <= last) throw malformed(path, `field [${child.tag}] out of order or repeated`);
    if (child.children.length !== 1)
      throw malformed(`${path}[${child.tag}]`, 'explicit tag must wrap one element');
    last = child.tag;
    if (child.tag <= MAX_FIELD_TAG) fields[child.tag] = child.children[0]!;
  }
  return fields;
}

/** A required field; `name` is the ASN.1 field name used in the error path. */
export function req(fields: Fields, tag: number, path: string, name: string): DerNode {
  const node = fields[tag];
  if (!node) throw malformed(`${path}.${name}`, `required field [${tag}] is missing`);
  return node;
}

/** Reads an optional field with `read`, or returns undefined. */
export function opt<T>(
  fields: Fields,
  tag: number,
  path: string,
  name: string,
  read: (node: DerNode, path: string) => T,
): T | undefined {
  const node = fields[tag];
  return node === undefined ? undefined : read(node, `${path}.${name}`);
}

/** Reads a required field with `read`. */
export function field<T>(
  fields: Fields,
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
  for (const k in extra) {
    const v = extra[k];
    if (v !== undefined) out[k] = v;
  }
  return base;
}

export { expectTag };
