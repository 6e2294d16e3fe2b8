/**
 * The OIDs SPNEGO deals in, and the equivalences implementations rely on.
 *
 * - SPNEGO itself: 1.3.6.1.5.5.2 (RFC 4178 §4.1).
 * - Kerberos V5: 1.2.840.113554.1.2.2 (RFC 1964), and the OID Windows 2000 mis-encoded,
 *   1.2.840.48018.1.2.2, which Windows still lists first in its mechTypes (MS-SPNG §3.1.5.2
 *   via MS-KILE §3.1.5.11) while framing the AP-REQ with the correct OID. Samba servers
 *   answer with the wrong one even when offered the right one. Both name one mechanism.
 * - NTLMSSP: 1.3.6.1.4.1.311.2.2.10 (MS-NLMP §1.9), never framed (MS-NLMP §3.1.4).
 */
export const SPNEGO_OID = '1.3.6.1.5.5.2';
export const KRB5_OID = '1.2.840.113554.1.2.2';
export const MS_KRB5_OID = '1.2.840.48018.1.2.2';
export const NTLM_OID = '1.3.6.1.4.1.311.2.2.10';

/** The raw NTLMSSP signature "NTLMSSP\0" that starts every NTLM message (MS-NLMP §2.2.1). */
export const NTLMSSP_SIGNATURE = new Uint8Array([0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00]);

export function isKerberosOid(oid: string): boolean {
  return oid === KRB5_OID || oid === MS_KRB5_OID;
}

/** True when `a` and `b` name the same mechanism (the two Kerberos OIDs are one). */
export function sameMech(a: string, b: string): boolean {
  return a === b || (isKerberosOid(a) && isKerberosOid(b));
}

/** True when `token` starts with the NTLMSSP signature (a raw NTLM message). */
export function isRawNtlm(token: Uint8Array): boolean {
  if (token.length < NTLMSSP_SIGNATURE.length) return false;
  for (let i = 0; i < NTLMSSP_SIGNATURE.length; i++) if (token[i] !== NTLMSSP_SIGNATURE[i]) return false;
  return true;
}
