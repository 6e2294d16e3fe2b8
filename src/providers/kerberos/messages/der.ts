/**
 * DER building blocks for Kerberos encoders (contents per X.690 §8 / §11 for each type,
 * framing in der-element.ts). Everything RFC 4120 sends is SEQUENCEs of explicitly tagged
 * fields; these helpers keep each encoder a plain table.
 * Encoder inputs come from our own code, so a bad value is an INVALID_ARGUMENT (local).
 */
import { gssError } from '../../../core/errors.ts';
import { utf8 } from '../../../core/bytes.ts';
import {
  constructedElement,
  type DerElement,
  encodeElement,
  encodedElement,
  identifierOctets,
  integerElement,
  primitiveElement,
} from './der-element.ts';

export type Asn = DerElement;

/** Throws INVALID_ARGUMENT: a value our own code asked to encode is not encodable. */
export function bad(what: string): never {
  throw gssError('INVALID_ARGUMENT', `cannot encode ${what}`);
}

function checkInt(n: number, lo: number, hi: number, what: string): number {
  if (!Number.isInteger(n) || n < lo || n > hi) bad(`${what} ${n} (range ${lo}..${hi})`);
  return n;
}

const UNIVERSAL = 0;
const APPLICATION = 1;
const CONTEXT = 2;
const ID_BOOLEAN = identifierOctets(UNIVERSAL, false, 1);
const ID_INTEGER = identifierOctets(UNIVERSAL, false, 2);
const ID_BIT_STRING = identifierOctets(UNIVERSAL, false, 3);
const ID_OCTET_STRING = identifierOctets(UNIVERSAL, false, 4);
const ID_ENUMERATED = identifierOctets(UNIVERSAL, false, 10);
const ID_SEQUENCE = identifierOctets(UNIVERSAL, true, 16);
const ID_GENERALIZED_TIME = identifierOctets(UNIVERSAL, false, 24);
const ID_GENERAL_STRING = identifierOctets(UNIVERSAL, false, 27);

/** Identifiers of [n] and [APPLICATION n] for the small tag numbers RFC 4120 uses. */
const EXPLICIT_IDS = Array.from({ length: 31 }, (_, n) => identifierOctets(CONTEXT, true, n));
const APPLICATION_IDS = Array.from({ length: 31 }, (_, n) => identifierOctets(APPLICATION, true, n));

/**
 * INTEGER elements of -128..127 (pvno, msg-type, etype, kvno, name-type, ...: most
 * integers of a message) are made once and shared: an element is never written to after it
 * is made. Others write their octets straight into the message (integerElement), since a
 * small typed array costs ~1 us to allocate on Deno.
 */
const SMALL_INTEGERS: readonly Asn[] = Array.from({ length: 256 }, (_, i) =>
  integerElement(ID_INTEGER, i - 128),
);

const integer = (n: number): Asn =>
  n >= -128 && n < 128 ? SMALL_INTEGERS[n + 128]! : integerElement(ID_INTEGER, n);

export const int32 = (n: number): Asn => integer(checkInt(n, -0x80000000, 0x7fffffff, 'Int32'));
export const uint32 = (n: number): Asn => integer(checkInt(n, 0, 0xffffffff, 'UInt32'));
export const microseconds = (n: number): Asn => integer(checkInt(n, 0, 999999, 'Microseconds'));
/** X.690 §11.1: DER TRUE is 0xff. */
export const boolean = (b: boolean): Asn => primitiveElement(ID_BOOLEAN, Uint8Array.of(b ? 0xff : 0));
/** ENUMERATED (SPNEGO negState): encoded as an INTEGER under its own tag (X.690 §8.4). */
export const enumerated = (n: number): Asn =>
  integerElement(ID_ENUMERATED, checkInt(n, 0, 0x7fffffff, 'ENUMERATED'));

export function octets(bytes: Uint8Array): Asn {
  if (!(bytes instanceof Uint8Array)) bad('OCTET STRING (not a Uint8Array)');
  return primitiveElement(ID_OCTET_STRING, bytes);
}

/** KerberosString as a GeneralString carrying UTF-8 octets (what MIT does). */
export function kerberosString(s: string): Asn {
  if (typeof s !== 'string') bad('KerberosString (not a string)');
  return primitiveElement(ID_GENERAL_STRING, asciiOrUtf8(s));
}

/** UTF-8 octets; names and realms are short ASCII, copied without a TextEncoder call. */
function asciiOrUtf8(s: string): Uint8Array {
  if (s.length > 64) return utf8(s);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return utf8(s);
    out[i] = c;
  }
  return out;
}

/**
 * The 'YYYYMMDDHHMMSSZ' octets of a time in ms (sub-second part dropped, RFC 4120 §5.2.3),
 * written digit by digit: the one place both the DER contents and the text come from.
 */
function kerberosTimeOctets(ms: number): Uint8Array {
  if (!Number.isFinite(ms)) bad(`KerberosTime ${ms}`);
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  if (y < 100 || y > 9999) bad(`KerberosTime year ${y}`);
  const bytes = new Uint8Array(15);
  digits(bytes, 0, y, 4);
  digits(bytes, 4, d.getUTCMonth() + 1, 2);
  digits(bytes, 6, d.getUTCDate(), 2);
  digits(bytes, 8, d.getUTCHours(), 2);
  digits(bytes, 10, d.getUTCMinutes(), 2);
  digits(bytes, 12, d.getUTCSeconds(), 2);
  bytes[14] = 0x5a; // 'Z'
  return bytes;
}

/** The 'YYYYMMDDHHMMSSZ' text of a time in ms (sub-second part dropped, RFC 4120 §5.2.3). */
export function kerberosTimeText(ms: number): string {
  return String.fromCharCode(...kerberosTimeOctets(ms));
}

/** KerberosTime: a primitive GeneralizedTime whose octets we write ourselves (no fraction). */
export function kerberosTime(ms: number): Asn {
  return primitiveElement(ID_GENERALIZED_TIME, kerberosTimeOctets(ms));
}

/** Writes `n` as `width` ASCII decimal digits, zero-padded, at `at`. */
function digits(out: Uint8Array, at: number, n: number, width: number): void {
  for (let i = width - 1; i >= 0; i--, n = Math.floor(n / 10)) out[at + i] = 0x30 + (n % 10);
}

/** KerberosFlags: always 32 bits, no unused bits (what MIT sends and expects). */
export function kerberosFlags(flags: number): Asn {
  checkInt(flags, 0, 0xffffffff, 'KerberosFlags');
  return primitiveElement(
    ID_BIT_STRING,
    Uint8Array.of(0, flags >>> 24, (flags >>> 16) & 0xff, (flags >>> 8) & 0xff, flags & 0xff),
  );
}

/** `[n] EXPLICIT block`. */
export const explicit = (tag: number, block: Asn): Asn =>
  constructedElement(
    EXPLICIT_IDS[tag] ?? identifierOctets(CONTEXT, true, checkInt(tag, 0, 0xfffffff, 'tag')),
    [block],
  );

/** `[APPLICATION n] block`. */
export const application = (tag: number, block: Asn): Asn =>
  constructedElement(
    APPLICATION_IDS[tag] ?? identifierOctets(APPLICATION, true, checkInt(tag, 0, 0xfffffff, 'tag')),
    [block],
  );

/** SEQUENCE of explicitly tagged fields; undefined fields (OPTIONAL, absent) are left out. */
export function fields(list: Array<[number, Asn | undefined]>): Asn {
  const value: Asn[] = [];
  for (const [tag, block] of list) if (block !== undefined) value.push(explicit(tag, block));
  return constructedElement(ID_SEQUENCE, value);
}

/** SEQUENCE OF. */
export const sequenceOf = (items: Asn[]): Asn => constructedElement(ID_SEQUENCE, items);

/** Maps an optional value through an encoder. */
export const maybe = <T>(v: T | undefined, enc: (v: T) => Asn): Asn | undefined =>
  v === undefined || v === null ? undefined : enc(v);

/**
 * An element already DER-encoded by a trusted source (our own encoder, a parsed file, or
 * asn1js for the types Kerberos does not build here, such as OBJECT IDENTIFIER): placed as
 * is, so a Ticket from the credential cache is sent byte for byte as the KDC issued it.
 */
export function rawDer(bytes: Uint8Array): Asn {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) bad('pre-encoded DER (not a DER element)');
  return encodedElement(bytes);
}

/** The DER octets of a block. */
export function toDer(block: Asn): Uint8Array {
  return encodeElement(block);
}
