/**
 * GSS-API framing of Kerberos context tokens.
 *
 * RFC 2743 §3.1 InitialContextToken:
 *   [APPLICATION 0] IMPLICIT SEQUENCE { thisMech MechType, innerContextToken ANY }
 *   = 0x60, DER length, 06 <len> <mech OID>, inner token (raw, mechanism-defined).
 * RFC 1964 §1.1 / RFC 4121 §4.1: the Kerberos inner token is a 2-octet TOK_ID followed by
 * the DER message: 01 00 AP-REQ, 02 00 AP-REP, 03 00 KRB-ERROR.
 *
 * The inner token is not DER, so the outer header is read here (bounded, exact length) and
 * written with der-element.ts; asn1js encodes and decodes the OID, once per distinct OID
 * (the cache below: every token of a context carries the same few). Decoding accepts the krb5 OID and the OID
 * Windows 2000 mis-encoded (1.2.840.48018.1.2.2), which Windows still sends in SPNEGO.
 */
import * as asn1js from 'asn1js';
import { bytesEqual } from '../../../core/bytes.ts';
import { gssError } from '../../../core/errors.ts';
import { type DecodeOptions, DEFAULT_MAX_DER_SIZE, decodeGuard, malformed } from './asn1.ts';
import { bad } from './der.ts';
import { constructedElement, type DerElement, encodedElement, encodeElement } from './der-element.ts';

/** OID DER by dotted string and back, filled by asn1js on first use (bounded). */
const oidDer = new Map<string, Uint8Array>();
const oidByDer = new Map<string, string>();
const MAX_CACHED_OIDS = 64;

function encodeOid(mechOid: string): Uint8Array {
  const hit = oidDer.get(mechOid);
  if (hit) return hit;
  if (!/^\d+(\.\d+)+$/.test(mechOid)) bad(`mechanism OID '${mechOid}'`);
  const oid = new Uint8Array(new asn1js.ObjectIdentifier({ value: mechOid }).toBER(false));
  if (oid.length < 3) bad(`mechanism OID '${mechOid}'`);
  if (oidDer.size < MAX_CACHED_OIDS) oidDer.set(mechOid, oid);
  return oid;
}

/** The dotted form of one OID element (`der` is its whole TLV); undefined if malformed. */
function decodeOid(der: Uint8Array): string | undefined {
  // The two Kerberos OIDs arrive on every token: compared in place, no key string built.
  if (bytesEqual(der, KRB5_OID_DER)) return KRB5_MECH_OID;
  if (bytesEqual(der, MS_KRB5_OID_DER)) return MS_KRB5_MECH_OID;
  const key = String.fromCharCode(...der);
  const hit = oidByDer.get(key);
  if (hit !== undefined) return hit;
  const parsed = asn1js.fromBER(der, { maxDepth: 2, parseEmbedded: false });
  if (parsed.offset !== der.length || !(parsed.result instanceof asn1js.ObjectIdentifier)) return undefined;
  const dotted = parsed.result.getValue();
  if (oidByDer.size < MAX_CACHED_OIDS) oidByDer.set(key, dotted);
  return dotted;
}

const ID_APPLICATION_0 = Uint8Array.of(0x60);

export const KRB5_MECH_OID = '1.2.840.113554.1.2.2';
export const MS_KRB5_MECH_OID = '1.2.840.48018.1.2.2';
const KRB5_OID_DER = encodeOid(KRB5_MECH_OID);
const MS_KRB5_OID_DER = encodeOid(MS_KRB5_MECH_OID);

/** RFC 4121 §4.1 TOK_ID values of context-establishment tokens. */
export const Krb5TokenId = { AP_REQ: 0x0100, AP_REP: 0x0200, KRB_ERROR: 0x0300 } as const;
export type Krb5TokenKind = 'AP-REQ' | 'AP-REP' | 'KRB-ERROR';

const KIND_BY_ID = new Map<number, Krb5TokenKind>([
  [Krb5TokenId.AP_REQ, 'AP-REQ'],
  [Krb5TokenId.AP_REP, 'AP-REP'],
  [Krb5TokenId.KRB_ERROR, 'KRB-ERROR'],
]);
/** TOK_ID octets per kind, as elements placed as is between the OID and the message. */
const TOK_ID_ELEMENT = new Map<Krb5TokenKind, DerElement>(
  [...KIND_BY_ID].map(([id, kind]) => [kind, encodedElement(Uint8Array.of(id >> 8, id & 0xff))]),
);

export interface GssInitialToken {
  /** Dotted mechanism OID. */
  mechOid: string;
  /** The inner context token (a view into the input). */
  inner: Uint8Array;
}

export interface Krb5ContextToken {
  mechOid: string;
  kind: Krb5TokenKind;
  tokId: number;
  /** The DER message after TOK_ID (a view into the input). */
  message: Uint8Array;
}

/**
 * Frames `inner` as an RFC 2743 §3.1 InitialContextToken for `mechOid`. The token is one
 * element tree (0x60 over the OID and the inner parts, each placed as is), so it is written
 * into one buffer: the inner token is not copied into an intermediate body first.
 */
export function encodeGssInitialToken(mechOid: string, inner: Uint8Array): Uint8Array {
  return encodeElement(initialTokenElement(mechOid, [encodedElement(inner)]));
}

/** 0x60 with a DER length, over contents that are not themselves DER (the inner token). */
function initialTokenElement(mechOid: string, inner: DerElement[]): DerElement {
  return constructedElement(ID_APPLICATION_0, [encodedElement(encodeOid(mechOid)), ...inner]);
}

/** Reads an RFC 2743 §3.1 InitialContextToken. */
export function decodeGssInitialToken(token: Uint8Array, options: DecodeOptions = {}): GssInitialToken {
  const path = 'InitialContextToken';
  return decodeGuard(path, () => {
    const max = options.maxSize ?? DEFAULT_MAX_DER_SIZE;
    if (!(token instanceof Uint8Array)) throw malformed(path, 'input is not a Uint8Array');
    if (token.length > max) throw malformed(path, `${token.length} bytes exceed the limit of ${max}`);
    if (token.length < 2 || token[0] !== 0x60)
      throw malformed(path, 'does not start with [APPLICATION 0] (0x60)');
    let at = 1;
    const first = token[at++]!;
    let length = first;
    if (first >= 0x80) {
      const n = first & 0x7f;
      if (n === 0 || n > 4) throw malformed(`${path}.length`, 'indefinite or oversized length');
      if (at + n > token.length) throw malformed(`${path}.length`, 'truncated');
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + token[at++]!;
    }
    if (length !== token.length - at)
      throw malformed(`${path}.length`, `announces ${length} bytes, ${token.length - at} present`);
    if (token[at] !== 0x06) throw malformed(`${path}.thisMech`, 'missing mechanism OID');
    const oidLen = token[at + 1];
    if (oidLen === undefined || oidLen >= 0x80 || oidLen === 0 || at + 2 + oidLen > token.length)
      throw malformed(`${path}.thisMech`, 'bad OID length');
    const mechOid = decodeOid(token.subarray(at, at + 2 + oidLen));
    if (mechOid === undefined) throw malformed(`${path}.thisMech`, 'bad OID');
    return { mechOid, inner: token.subarray(at + 2 + oidLen) };
  });
}

/** Frames a Kerberos AP-REQ / AP-REP / KRB-ERROR as a GSS context token (RFC 4121 §4.1). */
export function encodeKrb5ContextToken(
  kind: Krb5TokenKind,
  messageDer: Uint8Array,
  mechOid = KRB5_MECH_OID,
): Uint8Array {
  return encodeKrb5ContextTokenOf(kind, encodedElement(messageDer), mechOid);
}

/**
 * The same from the message's element tree (der.ts builders, e.g. `apReqAsn`): the message
 * is written straight into the token, so a handshake message costs one allocation.
 */
export function encodeKrb5ContextTokenOf(
  kind: Krb5TokenKind,
  message: DerElement,
  mechOid = KRB5_MECH_OID,
): Uint8Array {
  const tokId = TOK_ID_ELEMENT.get(kind);
  if (tokId === undefined) bad(`token kind '${kind}'`);
  return encodeElement(initialTokenElement(mechOid, [tokId, message]));
}

/** Unframes a Kerberos context token; the mechanism must be krb5 (or the MS variant). */
export function decodeKrb5ContextToken(token: Uint8Array, options: DecodeOptions = {}): Krb5ContextToken {
  const { mechOid, inner } = decodeGssInitialToken(token, options);
  if (mechOid !== KRB5_MECH_OID && mechOid !== MS_KRB5_MECH_OID)
    throw gssError('BAD_MECH', `token is for mechanism ${mechOid}, not Kerberos`, {
      origin: 'peer',
      details: { mechOid },
    });
  if (inner.length < 2) throw malformed('InitialContextToken.innerContextToken', 'missing TOK_ID');
  const tokId = (inner[0]! << 8) | inner[1]!;
  const kind = KIND_BY_ID.get(tokId);
  if (kind === undefined)
    throw malformed(
      'InitialContextToken.innerContextToken',
      `unknown TOK_ID 0x${tokId.toString(16).padStart(4, '0')}`,
    );
  return { mechOid, kind, tokId, message: inner.subarray(2) };
}
