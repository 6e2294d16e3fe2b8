/**
 * NegotiateFlags (MS-NLMP §2.2.2.5), named as the specification names them. Bit letters
 * in the spec run from W (0x80000000) to A (0x00000001).
 */
export const NegotiateFlags = {
  NTLMSSP_NEGOTIATE_UNICODE: 0x00000001,
  NTLM_NEGOTIATE_OEM: 0x00000002,
  NTLMSSP_REQUEST_TARGET: 0x00000004,
  NTLMSSP_NEGOTIATE_SIGN: 0x00000010,
  NTLMSSP_NEGOTIATE_SEAL: 0x00000020,
  NTLMSSP_NEGOTIATE_DATAGRAM: 0x00000040,
  NTLMSSP_NEGOTIATE_LM_KEY: 0x00000080,
  NTLMSSP_NEGOTIATE_NTLM: 0x00000200,
  NTLMSSP_ANONYMOUS: 0x00000800,
  NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED: 0x00001000,
  NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED: 0x00002000,
  NTLMSSP_NEGOTIATE_ALWAYS_SIGN: 0x00008000,
  NTLMSSP_TARGET_TYPE_DOMAIN: 0x00010000,
  NTLMSSP_TARGET_TYPE_SERVER: 0x00020000,
  NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY: 0x00080000,
  NTLMSSP_NEGOTIATE_IDENTIFY: 0x00100000,
  NTLMSSP_REQUEST_NON_NT_SESSION_KEY: 0x00400000,
  NTLMSSP_NEGOTIATE_TARGET_INFO: 0x00800000,
  NTLMSSP_NEGOTIATE_VERSION: 0x02000000,
  NTLMSSP_NEGOTIATE_128: 0x20000000,
  NTLMSSP_NEGOTIATE_KEY_EXCH: 0x40000000,
  NTLMSSP_NEGOTIATE_56: 0x80000000,
} as const;

export type NegotiateFlagName = keyof typeof NegotiateFlags;

const F = NegotiateFlags;

/** True when every bit of `flag` is set in `flags` (unsigned-safe). */
export function has(flags: number, flag: number): boolean {
  return (flags & flag) >>> 0 === flag >>> 0;
}

/** Names of the bits set in `flags`. */
export function negotiateFlagNames(flags: number): NegotiateFlagName[] {
  return (Object.keys(F) as NegotiateFlagName[]).filter((n) => has(flags, F[n]));
}

/**
 * What a gssock initiator asks for (Windows asks for the same set): NTLMv2 with extended
 * session security, 128-bit keys, key exchange, signing and sealing, version, Unicode.
 */
export const INITIATOR_FLAGS =
  (F.NTLMSSP_NEGOTIATE_UNICODE |
    F.NTLM_NEGOTIATE_OEM |
    F.NTLMSSP_REQUEST_TARGET |
    F.NTLMSSP_NEGOTIATE_NTLM |
    F.NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
    F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
    F.NTLMSSP_NEGOTIATE_VERSION |
    F.NTLMSSP_NEGOTIATE_128 |
    F.NTLMSSP_NEGOTIATE_KEY_EXCH |
    F.NTLMSSP_NEGOTIATE_56) >>>
  0;

/** Flags a gssock acceptor is willing to grant (intersected with what the client asks). */
export const ACCEPTOR_SUPPORTED =
  (INITIATOR_FLAGS |
    F.NTLMSSP_NEGOTIATE_SIGN |
    F.NTLMSSP_NEGOTIATE_SEAL |
    F.NTLMSSP_NEGOTIATE_IDENTIFY |
    F.NTLMSSP_NEGOTIATE_TARGET_INFO) >>>
  0;
