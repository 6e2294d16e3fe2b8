/**
 * Mechanism OIDs as the MIT tools spell them. gss-client's `-mech` takes either the
 * dotted form ("1.2.840.113554.1.2.2", which parse_oid() rewrites into braces) or the
 * brace form gss_str_to_oid() reads ("{ 1 2 840 113554 1 2 2 }"); gss_oid_to_str()
 * prints the brace form, so MIT's output ("Mechanism { 1 2 840 113554 1 2 2 } supports
 * 9 names") does too.
 */
import { gssError } from '../core/errors.ts';

/** Well-known mechanism OIDs (dotted). */
export const MechOids = {
  /** RFC 1964 / RFC 4121 Kerberos V5. */
  KERBEROS: '1.2.840.113554.1.2.2',
  /** The pre-RFC 1964 Kerberos OID that gss-client's hidden `-krb5` switch names. */
  KERBEROS_OLD: '1.3.5.1.5.2',
  /** Microsoft's mistyped Kerberos OID (MS-KILE §3.1.5.11): Windows' SPNEGO sends it. */
  KERBEROS_MS: '1.2.840.48018.1.2.2',
  /** IAKERB (RFC draft-ietf-kitten-iakerb), gss-client/gss-server `-iakerb`. */
  IAKERB: '1.3.6.1.5.2.5',
  /** SPNEGO, RFC 4178. */
  SPNEGO: '1.3.6.1.5.5.2',
  /** NTLMSSP (MS-NLMP), the OID gss-ntlmssp registers. */
  NTLM: '1.3.6.1.4.1.311.2.2.10',
} as const;

/** Name-type OIDs (RFC 2744 §4, RFC 1964 §2.1), for the client's inquiry output. */
export const NameTypeOids = {
  USER_NAME: '1.2.840.113554.1.2.1.1',
  MACHINE_UID_NAME: '1.2.840.113554.1.2.1.2',
  STRING_UID_NAME: '1.2.840.113554.1.2.1.3',
  HOSTBASED_SERVICE: '1.2.840.113554.1.2.1.4',
  HOSTBASED_SERVICE_X: '1.3.6.1.5.6.2',
  EXPORT_NAME: '1.3.6.1.5.6.4',
  KRB5_PRINCIPAL: '1.2.840.113554.1.2.2.1',
  COMPOSITE_EXPORT: '1.3.6.1.5.6.6',
  KRB5_ENTERPRISE: '1.2.840.113554.1.2.2.2',
} as const;

const DOTTED = /^\d+(\.\d+)+$/;
const BRACED = /^\{\s*(\d+(?:\s+\d+)+)\s*\}$/;

/** Dotted form of an OID given dotted or in braces; undefined when it is neither. */
export function parseOid(text: string): string | undefined {
  const trimmed = text.trim();
  if (DOTTED.test(trimmed)) return trimmed;
  const braced = BRACED.exec(trimmed);
  if (braced?.[1]) return braced[1].split(/\s+/).join('.');
  return undefined;
}

/** The brace form gss_oid_to_str() prints: "{ 1 2 840 113554 1 2 2 }". */
export function braceOid(dotted: string): string {
  if (!DOTTED.test(dotted)) throw gssError('INVALID_ARGUMENT', `not a dotted OID: ${dotted}`);
  return `{ ${dotted.split('.').join(' ')} }`;
}
