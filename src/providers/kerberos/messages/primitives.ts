/**
 * Readers for the RFC 4120 §5.2 primitive types on top of asn1.ts: Int32, UInt32,
 * Microseconds, KerberosString, KerberosTime, KerberosFlags, OCTET STRING, BOOLEAN.
 *
 *   Int32         ::= INTEGER (-2147483648..2147483647)
 *   UInt32        ::= INTEGER (0..4294967295)
 *   Microseconds  ::= INTEGER (0..999999)
 *   KerberosString ::= GeneralString (IA5String)
 *   KerberosTime  ::= GeneralizedTime -- with no fractional seconds
 *   KerberosFlags ::= BIT STRING (SIZE (32..MAX))
 */
import { type DerNode, expectTag, malformed, TagClass, Universal } from './asn1.ts';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function readInteger(node: DerNode, path: string): number {
  expectTag(node, TagClass.UNIVERSAL, Universal.INTEGER, false, path);
  const { input, contentStart: at, end } = node;
  const length = end - at;
  if (length === 0) throw malformed(path, 'empty INTEGER');
  // Five octets hold every UInt32 (leading 00); more cannot be a 32-bit value.
  if (length > 5) throw malformed(path, 'INTEGER out of 32-bit range');
  const first = input[at]!;
  let v = (first & 0x80) !== 0 ? first - 256 : first;
  for (let i = at + 1; i < end; i++) v = v * 256 + input[i]!;
  return v;
}

export function readInt32(node: DerNode, path: string): number {
  const v = readInteger(node, path);
  if (v < -0x80000000 || v > 0x7fffffff) throw malformed(path, `${v} is not an Int32`);
  return v;
}

/**
 * UInt32. Some old implementations encode values >= 2^31 as negative Int32 (RFC 4120 §5.3
 * notes it for seq-number / nonce); with `allowNegative` those are mapped to unsigned.
 */
export function readUInt32(node: DerNode, path: string, allowNegative = false): number {
  const v = readInteger(node, path);
  if (v < 0 && allowNegative && v >= -0x80000000) return v >>> 0;
  if (v < 0 || v > 0xffffffff) throw malformed(path, `${v} is not a UInt32`);
  return v;
}

/** UInt32 that tolerates the negative (signed 32-bit) encoding. */
export const readUInt32Lenient = (node: DerNode, path: string): number => readUInt32(node, path, true);

export function readMicroseconds(node: DerNode, path: string): number {
  const v = readInteger(node, path);
  if (v < 0 || v > 999999) throw malformed(path, `${v} is not Microseconds (0..999999)`);
  return v;
}

export function readBoolean(node: DerNode, path: string): boolean {
  expectTag(node, TagClass.UNIVERSAL, Universal.BOOLEAN, false, path);
  if (node.end - node.contentStart !== 1) throw malformed(path, 'BOOLEAN must be one octet');
  return node.input[node.contentStart] !== 0;
}

/** OCTET STRING (primitive only); returns a copy so callers may wipe keys. */
export function readOctets(node: DerNode, path: string): Uint8Array {
  expectTag(node, TagClass.UNIVERSAL, Universal.OCTET_STRING, false, path);
  return node.input.slice(node.contentStart, node.end);
}

/**
 * OCTET STRING (primitive only) as a view into the decoded input, for ciphertext: it is
 * not secret, is decrypted into fresh arrays, and copying it cost an off-heap allocation
 * per message (1-2.5 us on Node and Deno). Whoever keeps it past the call copies it (the
 * acceptor's ticket cache does).
 */
export function readOctetsView(node: DerNode, path: string): Uint8Array {
  expectTag(node, TagClass.UNIVERSAL, Universal.OCTET_STRING, false, path);
  return node.input.subarray(node.contentStart, node.end);
}

/** KerberosString: GeneralString (or IA5String), decoded as strict UTF-8. */
export function readKerberosString(node: DerNode, path: string): string {
  if (node.tagClass !== TagClass.UNIVERSAL || node.constructed)
    throw malformed(path, 'expected a primitive KerberosString');
  if (node.tag !== Universal.GENERAL_STRING && node.tag !== Universal.IA5_STRING)
    throw malformed(path, `expected GeneralString, got universal ${node.tag}`);
  const { input, contentStart, end } = node;
  // Principal names and realms are short ASCII: read those directly, UTF-8 otherwise.
  if (end - contentStart <= 64) {
    let text = '';
    let i = contentStart;
    for (; i < end && input[i]! < 0x80; i++) text += String.fromCharCode(input[i]!);
    if (i === end) return text;
  }
  try {
    return utf8Strict.decode(node.content);
  } catch (e) {
    throw malformed(path, 'KerberosString is not valid UTF-8', e);
  }
}

/** Days in each month of a non-leap year. */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** KerberosTime: exactly 'YYYYMMDDHHMMSSZ' (RFC 4120 §5.2.3); returns ms since epoch. */
export function readKerberosTime(node: DerNode, path: string): number {
  expectTag(node, TagClass.UNIVERSAL, Universal.GENERALIZED_TIME, false, path);
  const { input, contentStart: at } = node;
  if (node.end - at !== 15 || input[at + 14] !== 0x5a)
    throw malformed(path, 'KerberosTime must be YYYYMMDDHHMMSSZ');
  // Fourteen ASCII digits read in place (several per AP-REQ; no regex, no string, no closure).
  const f = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 14; i++) {
    const d = input[at + i]! - 0x30;
    if (d < 0 || d > 9) throw malformed(path, `bad KerberosTime '${printable(node.content)}'`);
    // Fields: century+year (0-1), month (2), day (3), hour (4), minute (5), second (6).
    const k = i >> 1;
    f[k] = f[k]! * 10 + d;
  }
  const y = f[0]! * 100 + f[1]!;
  const mo = f[2]!;
  const d = f[3]!;
  const h = f[4]!;
  const mi = f[5]!;
  const s = f[6]!;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1];
  // Years below 100 would be read by Date.UTC as 1900+; leap seconds (60) are not KerberosTime.
  if (y < 100 || days === undefined || d < 1 || d > days || h > 23 || mi > 59 || s > 59)
    throw malformed(path, `invalid date '${printable(node.content)}'`);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

const printable = (c: Uint8Array): string => String.fromCharCode(...c).replace(/[^\x20-\x7e]/g, '?');

/**
 * KerberosFlags as a uint32 (RFC bit 0 = 0x80000000). MIT sends exactly 32 bits; shorter
 * strings are zero-padded and bits past 32 are ignored (RFC 4120 §5.2.8 allows longer).
 */
export function readKerberosFlags(node: DerNode, path: string): number {
  expectTag(node, TagClass.UNIVERSAL, Universal.BIT_STRING, false, path);
  const c = node.content;
  if (c.length === 0) throw malformed(path, 'BIT STRING without the unused-bits octet');
  if (c[0]! > 7 || (c.length === 1 && c[0] !== 0)) throw malformed(path, 'bad unused-bits count');
  let v = 0;
  for (let i = 0; i < 4; i++) v = v * 256 + (c[i + 1] ?? 0);
  return v >>> 0;
}

/** A reader for an INTEGER that must equal `expected` (pvno, msg-type). */
export const readExact =
  (expected: number) =>
  (node: DerNode, path: string): number => {
    const v = readInt32(node, path);
    if (v !== expected) throw malformed(path, `expected ${expected}, got ${v}`);
    return v;
  };
