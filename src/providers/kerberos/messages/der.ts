/**
 * DER building blocks for Kerberos encoders, on asn1js. Everything RFC 4120 sends is
 * SEQUENCEs of explicitly tagged fields; these helpers keep each encoder a plain table.
 * Encoder inputs come from our own code, so a bad value is an INVALID_ARGUMENT (local).
 */
import * as asn1js from 'asn1js';
import { gssError } from '../../../core/errors.ts';
import { utf8 } from '../../../core/bytes.ts';

export type Asn = asn1js.BaseBlock;

/** Throws INVALID_ARGUMENT: a value our own code asked to encode is not encodable. */
export function bad(what: string): never {
  throw gssError('INVALID_ARGUMENT', `cannot encode ${what}`);
}

function checkInt(n: number, lo: number, hi: number, what: string): number {
  if (!Number.isInteger(n) || n < lo || n > hi) bad(`${what} ${n} (range ${lo}..${hi})`);
  return n;
}

export const int32 = (n: number): Asn =>
  new asn1js.Integer({ value: checkInt(n, -0x80000000, 0x7fffffff, 'Int32') });
export const uint32 = (n: number): Asn => new asn1js.Integer({ value: checkInt(n, 0, 0xffffffff, 'UInt32') });
export const microseconds = (n: number): Asn =>
  new asn1js.Integer({ value: checkInt(n, 0, 999999, 'Microseconds') });
export const boolean = (b: boolean): Asn => new asn1js.Boolean({ value: b });

export function octets(bytes: Uint8Array): Asn {
  if (!(bytes instanceof Uint8Array)) bad('OCTET STRING (not a Uint8Array)');
  return new asn1js.OctetString({ valueHex: bytes });
}

/** KerberosString as a GeneralString carrying UTF-8 octets (what MIT does). */
export function kerberosString(s: string): Asn {
  if (typeof s !== 'string') bad('KerberosString (not a string)');
  return new asn1js.GeneralString({ valueHex: utf8(s) });
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The 'YYYYMMDDHHMMSSZ' text of a time in ms (sub-second part dropped, RFC 4120 §5.2.3). */
export function kerberosTimeText(ms: number): string {
  if (!Number.isFinite(ms)) bad(`KerberosTime ${ms}`);
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  if (y < 100 || y > 9999) bad(`KerberosTime year ${y}`);
  return (
    pad(y, 4) +
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    pad(d.getUTCHours(), 2) +
    pad(d.getUTCMinutes(), 2) +
    pad(d.getUTCSeconds(), 2) +
    'Z'
  );
}

/** KerberosTime: a primitive GeneralizedTime whose octets we write ourselves (no fraction). */
export function kerberosTime(ms: number): Asn {
  const text = kerberosTimeText(ms);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new asn1js.Primitive({ idBlock: { tagClass: 1, tagNumber: 24 }, valueHex: bytes });
}

/** KerberosFlags: always 32 bits, no unused bits (what MIT sends and expects). */
export function kerberosFlags(flags: number): Asn {
  checkInt(flags, 0, 0xffffffff, 'KerberosFlags');
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, flags >>> 0);
  return new asn1js.BitString({ valueHex: b, unusedBits: 0 });
}

/** `[n] EXPLICIT block`. */
export const explicit = (tag: number, block: Asn): Asn =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: tag }, value: [block] });

/** `[APPLICATION n] block`. */
export const application = (tag: number, block: Asn): Asn =>
  new asn1js.Constructed({ idBlock: { tagClass: 2, tagNumber: tag }, value: [block] });

/** SEQUENCE of explicitly tagged fields; undefined fields (OPTIONAL, absent) are left out. */
export function fields(list: Array<[number, Asn | undefined]>): Asn {
  const value: Asn[] = [];
  for (const [tag, block] of list) if (block !== undefined) value.push(explicit(tag, block));
  return new asn1js.Sequence({ value });
}

/** SEQUENCE OF. */
export const sequenceOf = (items: Asn[]): Asn => new asn1js.Sequence({ value: items });

/** Maps an optional value through an encoder. */
export const maybe = <T>(v: T | undefined, enc: (v: T) => Asn): Asn | undefined =>
  v === undefined || v === null ? undefined : enc(v);

/**
 * asn1js's RawData (pre-encoded DER placed as is) writes itself only when encoded alone;
 * inside a constructed value asn1js hands each child a writer, which RawData ignores. This
 * passes its bytes to that writer, so an already-encoded element (a Ticket from the
 * credential cache) is embedded without being decoded and re-encoded.
 */
class EmbeddedDer extends asn1js.RawData {
  override toBER(sizeOnly?: boolean, writer?: { write(buf: ArrayBuffer): void }): ArrayBuffer {
    const bytes = super.toBER(sizeOnly);
    if (!writer) return bytes;
    writer.write(bytes);
    return new ArrayBuffer(0);
  }
}

/** An element already DER-encoded by a trusted source (our own encoder or a parsed file). */
export function rawDer(bytes: Uint8Array): Asn {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) bad('pre-encoded DER (not a DER element)');
  return new EmbeddedDer({ data: bytes }) as unknown as Asn;
}

/** The DER octets of a block. */
export function toDer(block: Asn): Uint8Array {
  const out = block.toBER(false);
  if (out.byteLength === 0) bad('an ASN.1 value (asn1js refused it)');
  return new Uint8Array(out);
}
