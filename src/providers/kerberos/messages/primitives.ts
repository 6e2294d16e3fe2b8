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
  const c = node.content;
  if (c.length === 0) throw malformed(path, 'empty INTEGER');
  // Five octets hold every UInt32 (leading 00); more cannot be a 32-bit value.
  if (c.length > 5) throw malformed(path, 'INTEGER out of 32-bit range');
  let v = (c[0]! & 0x80) !== 0 ? c[0]! - 256 : c[0]!;
  for (let i = 1; i < c.length; i++) v = v * 256 + c[i]!;
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
  if (node.content.length !== 1) throw malformed(path, 'BOOLEAN must be one octet');
  return node.content[0] !== 0;
}

/** OCTET STRING (primitive only); returns a copy so callers may wipe keys. */
export function readOctets(node: DerNode, path: string): Uint8Array {
  expectTag(node, TagClass.UNIVERSAL, Universal.OCTET_STRING, false, path);
  return node.content.slice();
}

/** KerberosString: GeneralString (or IA5String), decoded as strict UTF-8. */
export function readKerberosString(node: DerNode, path: string): string {
  if (node.tagClass !== TagClass.UNIVERSAL || node.constructed)
    throw malformed(path, 'expected a primitive KerberosString');
  if (node.tag !== Universal.GENERAL_STRING && node.tag !== Universal.IA5_STRING)
    throw malformed(path, `expected GeneralString, got universal ${node.tag}`);
  try {
    return utf8Strict.decode(node.content);
  } catch (e) {
    throw malformed(path, 'KerberosString is not valid UTF-8', e);
  }
}

const TIME_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** KerberosTime: exactly 'YYYYMMDDHHMMSSZ' (RFC 4120 §5.2.3); returns ms since epoch. */
export function readKerberosTime(node: DerNode, path: string): number {
  expectTag(node, TagClass.UNIVERSAL, Universal.GENERALIZED_TIME, false, path);
  if (node.content.length !== 15) throw malformed(path, 'KerberosTime must be YYYYMMDDHHMMSSZ');
  let text = '';
  for (const b of node.content) text += String.fromCharCode(b);
  const m = TIME_RE.exec(text);
  if (!m) throw malformed(path, `bad KerberosTime '${text.replace(/[^\x20-\x7e]/g, '?')}'`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(ms);
  // Date.UTC maps years 0..99 to 1900+; and rolls over bad days: compare the fields back.
  if (
    y < 100 ||
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    check.getUTCHours() !== h ||
    check.getUTCMinutes() !== mi ||
    check.getUTCSeconds() !== s
  )
    throw malformed(path, `invalid date '${text}'`);
  return ms;
}

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
