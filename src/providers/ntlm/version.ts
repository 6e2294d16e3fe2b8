/**
 * The VERSION structure (MS-NLMP §2.2.2.10): 8 bytes sent when NTLMSSP_NEGOTIATE_VERSION
 * is set, for debugging only. Its content is never trusted.
 */
import { putU16, u16 } from './wire.ts';

export interface NtlmVersion {
  major: number;
  minor: number;
  build: number;
  /** NTLMSSP_REVISION_W2K3 = 0x0F, the only value in use. */
  revision: number;
}

export const NTLMSSP_REVISION_W2K3 = 0x0f;

/** What gssock sends: 10.0 build 0 (Windows 10 shaped), revision 15. */
export const GSSOCK_VERSION: NtlmVersion = { major: 10, minor: 0, build: 0, revision: NTLMSSP_REVISION_W2K3 };

export function encodeVersion(v: NtlmVersion): Uint8Array {
  const out = new Uint8Array(8);
  out[0] = v.major & 0xff;
  out[1] = v.minor & 0xff;
  putU16(out, 2, v.build);
  out[7] = v.revision & 0xff;
  return out;
}

/** Reads 8 bytes at `at`; callers check the length first. */
export function decodeVersion(b: Uint8Array, at: number): NtlmVersion {
  return { major: b[at]!, minor: b[at + 1]!, build: u16(b, at + 2), revision: b[at + 7]! };
}
