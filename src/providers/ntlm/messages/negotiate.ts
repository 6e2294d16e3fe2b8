/**
 * NEGOTIATE_MESSAGE (MS-NLMP §2.2.1.1), client to server. Layout:
 *   0 Signature(8)  8 MessageType=1  12 NegotiateFlags  16 DomainNameFields  24 WorkstationFields
 *   32 Version (when NTLMSSP_NEGOTIATE_VERSION)  40 Payload
 * Domain and workstation are OEM strings, present only with the *_SUPPLIED flags.
 */
import { has, NegotiateFlags as F } from '../flags.ts';
import { decodeVersion, encodeVersion, type NtlmVersion } from '../version.ts';
import { checkHeader, fromOem, MessageWriter, oem, putU32, readField, u32 } from '../wire.ts';

export const NEGOTIATE_MESSAGE = 1;
const HEADER = 40;

export interface NegotiateMessage {
  flags: number;
  domain?: string;
  workstation?: string;
  version?: NtlmVersion;
}

export function encodeNegotiate(m: NegotiateMessage): Uint8Array {
  let flags = m.flags >>> 0;
  if (m.domain) flags |= F.NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED;
  if (m.workstation) flags |= F.NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED;
  if (m.version) flags |= F.NTLMSSP_NEGOTIATE_VERSION;
  const w = new MessageWriter(NEGOTIATE_MESSAGE, HEADER);
  putU32(w.header, 12, flags >>> 0);
  w.field(16, m.domain ? oem(m.domain) : new Uint8Array(0));
  w.field(24, m.workstation ? oem(m.workstation) : new Uint8Array(0));
  if (m.version) w.header.set(encodeVersion(m.version), 32);
  return w.finish();
}

export function decodeNegotiate(msg: Uint8Array): NegotiateMessage {
  // Old clients send only the first 16 (flags) or 32 bytes; both are accepted.
  checkHeader(msg, NEGOTIATE_MESSAGE, 16, 'NEGOTIATE_MESSAGE');
  const flags = u32(msg, 12);
  const out: NegotiateMessage = { flags };
  if (msg.length >= 32) {
    const minOffset = Math.min(msg.length, has(flags, F.NTLMSSP_NEGOTIATE_VERSION) ? HEADER : 32);
    const domain = readField(msg, 16, minOffset, 'NEGOTIATE DomainName');
    const workstation = readField(msg, 24, minOffset, 'NEGOTIATE Workstation');
    if (has(flags, F.NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED) && domain.length) out.domain = fromOem(domain);
    if (has(flags, F.NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED) && workstation.length)
      out.workstation = fromOem(workstation);
  }
  if (has(flags, F.NTLMSSP_NEGOTIATE_VERSION) && msg.length >= HEADER) out.version = decodeVersion(msg, 32);
  return out;
}
