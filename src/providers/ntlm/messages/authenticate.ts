/**
 * AUTHENTICATE_MESSAGE (MS-NLMP §2.2.1.3), client to server. Layout:
 *   0 Signature  8 MessageType=3  12 LmChallengeResponseFields  20 NtChallengeResponseFields
 *   28 DomainNameFields  36 UserNameFields  44 WorkstationFields  52 EncryptedRandomSessionKeyFields
 *   60 NegotiateFlags  64 Version(8)  72 MIC(16)  88 Payload
 * The MIC is present when the NTLMv2 response's MsvAvFlags carries 0x2; it sits at 72 after
 * the Version field, so such a message's payload starts at 88 or later.
 */
import { has, NegotiateFlags as F } from '../flags.ts';
import { decodeVersion, encodeVersion, type NtlmVersion } from '../version.ts';
import {
  checkHeader,
  fromOem,
  fromUtf16le,
  MessageWriter,
  malformed,
  oem,
  putU32,
  readField,
  u16,
  u32,
  utf16le,
} from '../wire.ts';

export const AUTHENTICATE_MESSAGE = 3;
/** Offset of the MIC field (MS-NLMP §2.2.1.3). */
export const MIC_OFFSET = 72;
const HEADER = 88;

export interface AuthenticateMessage {
  flags: number;
  lmChallengeResponse: Uint8Array;
  ntChallengeResponse: Uint8Array;
  domain: string;
  user: string;
  workstation: string;
  encryptedRandomSessionKey: Uint8Array;
  version?: NtlmVersion;
  /** The MIC field's bytes when the message has room for one (zeros until computed). */
  mic?: Uint8Array;
}

/** Encodes with a 16-byte MIC field of zeros when `withMic` (fill it with setMic). */
export function encodeAuthenticate(m: AuthenticateMessage, withMic: boolean): Uint8Array {
  const flags = (m.version ? m.flags | F.NTLMSSP_NEGOTIATE_VERSION : m.flags) >>> 0;
  const w = new MessageWriter(AUTHENTICATE_MESSAGE, withMic || m.version ? HEADER : 64);
  const text = has(flags, F.NTLMSSP_NEGOTIATE_UNICODE) ? utf16le : oem;
  w.field(12, m.lmChallengeResponse);
  w.field(20, m.ntChallengeResponse);
  w.field(28, text(m.domain));
  w.field(36, text(m.user));
  w.field(44, text(m.workstation));
  w.field(52, m.encryptedRandomSessionKey);
  putU32(w.header, 60, flags);
  if (m.version) w.header.set(encodeVersion(m.version), 64);
  if (m.mic) w.header.set(m.mic, MIC_OFFSET);
  return w.finish();
}

export function decodeAuthenticate(msg: Uint8Array): AuthenticateMessage {
  checkHeader(msg, AUTHENTICATE_MESSAGE, 64, 'AUTHENTICATE_MESSAGE');
  const flags = u32(msg, 60);
  // The payload starts at the lowest non-empty field offset; the fixed part ends there.
  let payloadStart = msg.length;
  for (let at = 12; at <= 52; at += 8)
    if (u16(msg, at) > 0) payloadStart = Math.min(payloadStart, u32(msg, at + 4));
  if (payloadStart < 64) throw malformed('AUTHENTICATE_MESSAGE (payload overlaps the header)');
  const field = (at: number, what: string) => readField(msg, at, 64, `AUTHENTICATE ${what}`);
  const text = (b: Uint8Array, what: string) =>
    has(flags, F.NTLMSSP_NEGOTIATE_UNICODE) ? fromUtf16le(b, what) : fromOem(b);
  const out: AuthenticateMessage = {
    flags,
    lmChallengeResponse: field(12, 'LmChallengeResponse').slice(),
    ntChallengeResponse: field(20, 'NtChallengeResponse').slice(),
    domain: text(field(28, 'DomainName'), 'DomainName'),
    user: text(field(36, 'UserName'), 'UserName'),
    workstation: text(field(44, 'Workstation'), 'Workstation'),
    encryptedRandomSessionKey: field(52, 'EncryptedRandomSessionKey').slice(),
  };
  if (payloadStart >= 72) out.version = decodeVersion(msg, 64);
  if (payloadStart >= HEADER) out.mic = msg.slice(MIC_OFFSET, MIC_OFFSET + 16);
  return out;
}

/** A copy of `msg` with the MIC field zeroed (the MIC is computed over that, §3.1.5.1.2). */
export function withZeroMic(msg: Uint8Array): Uint8Array {
  const copy = msg.slice();
  copy.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
  return copy;
}
