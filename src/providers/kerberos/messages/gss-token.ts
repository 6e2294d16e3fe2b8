/**
 * GSS-API framing of Kerberos context tokens.
 *
 * RFC 2743 §3.1 InitialContextToken:
 *   [APPLICATION 0] IMPLICIT SEQUENCE { thisMech MechType, innerContextToken ANY }
 *   = 0x60, DER length, 06 <len> <mech OID>, inner token (raw, mechanism-defined).
 * RFC 1964 §1.1 / RFC 4121 §4.1: the Kerberos inner token is a 2-octet TOK_ID followed by
 * the DER message: 01 00 AP-REQ, 02 00 AP-REP, 03 00 KRB-ERROR.
 *
 * The inner token is not DER, so the outer header is read here (bounded, exact length);
 * asn1js encodes the length and the OID. Decoding accepts the krb5 OID and the OID
 * Windows 2000 mis-encoded (1.2.840.48018.1.2.2), which Windows still sends in SPNEGO.
 */
import * as asn1js from 'asn1js';
import { gssError } from '../../../core/errors.ts';
import { type DecodeOptions, DEFAULT_MAX_DER_SIZE, decodeGuard, malformed } from './asn1.ts';
import { bad } from './der.ts';

export const KRB5_MECH_OID = '1.2.840.113554.1.2.2';
export const MS_KRB5_MECH_OID = '1.2.840.48018.1.2.2';

/** RFC 4121 §4.1 TOK_ID values of context-establishment tokens. */
export const Krb5TokenId = { AP_REQ: 0x0100, AP_REP: 0x0200, KRB_ERROR: 0x0300 } as const;
export type Krb5TokenKind = 'AP-REQ' | 'AP-REP' | 'KRB-ERROR';

const KIND_BY_ID = new Map<number, Krb5TokenKind>([
  [Krb5TokenId.AP_REQ, 'AP-REQ'],
  [Krb5TokenId.AP_REP, 'AP-REP'],
  [Krb5TokenId.KRB_ERROR, 'KRB-ERROR'],
]);
const ID_BY_KIND = new Map<Krb5TokenKind, number>([...KIND_BY_ID].map(([id, kind]) => [kind, id]));

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

/** Frames `inner` as an RFC 2743 §3.1 InitialContextToken for `mechOid`. */
export function encodeGssInitialToken(mechOid: string, inner: Uint8Array): Uint8Array {
  const oid = new Uint8Array(new asn1js.ObjectIdentifier({ value: mechOid }).toBER(false));
  if (oid.length < 3 || !/^\d+(\.\d+)+$/.test(mechOid)) bad(`mechanism OID '${mechOid}'`);
  const body = new Uint8Array(oid.length + inner.length);
  body.set(oid);
  body.set(inner, oid.length);
  // asn1js writes the DER tag+length of an OCTET STRING of this body; we swap the tag for 0x60.
  const framed = new Uint8Array(new asn1js.OctetString({ valueHex: body }).toBER(false));
  framed[0] = 0x60;
  return framed;
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
    const parsed = asn1js.fromBER(token.subarray(at, at + 2 + oidLen), { maxDepth: 2, parseEmbedded: false });
    if (parsed.offset !== 2 + oidLen || !(parsed.result instanceof asn1js.ObjectIdentifier))
      throw malformed(`${path}.thisMech`, 'bad OID');
    const mechOid = parsed.result.getValue();
    return { mechOid, inner: token.subarray(at + 2 + oidLen) };
  });
}

/** Frames a Kerberos AP-REQ / AP-REP / KRB-ERROR as a GSS context token (RFC 4121 §4.1). */
export function encodeKrb5ContextToken(
  kind: Krb5TokenKind,
  messageDer: Uint8Array,
  mechOid = KRB5_MECH_OID,
): Uint8Array {
  const id = ID_BY_KIND.get(kind);
  if (id === undefined) bad(`token kind '${kind}'`);
  const inner = new Uint8Array(2 + messageDer.length);
  inner[0] = id >> 8;
  inner[1] = id & 0xff;
  inner.set(messageDer, 2);
  return encodeGssInitialToken(mechOid, inner);
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
