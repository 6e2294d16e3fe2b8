/**
 * CHALLENGE_MESSAGE (MS-NLMP §2.2.1.2), server to client. Layout:
 *   0 Signature  8 MessageType=2  12 TargetNameFields  20 NegotiateFlags  24 ServerChallenge(8)
 *   32 Reserved(8)  40 TargetInfoFields  48 Version  56 Payload
 */
import { type AvPair, decodeAvPairs, encodeAvPairs } from '../av-pairs.ts';
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
  u32,
  utf16le,
} from '../wire.ts';

export const CHALLENGE_MESSAGE = 2;
const HEADER = 56;

export interface ChallengeMessage {
  flags: number;
  targetName: string;
  serverChallenge: Uint8Array;
  /** Decoded TargetInfo (absent when NTLMSSP_NEGOTIATE_TARGET_INFO is not set). */
  targetInfo?: AvPair[];
  /** TargetInfo bytes exactly as received (they go into the NTLMv2 response). */
  targetInfoBytes?: Uint8Array;
  version?: NtlmVersion;
}

export function encodeChallenge(m: ChallengeMessage): Uint8Array {
  if (m.serverChallenge.length !== 8) throw malformed('server challenge (not 8 bytes)');
  let flags = m.flags >>> 0;
  const info = m.targetInfoBytes ?? (m.targetInfo ? encodeAvPairs(m.targetInfo) : undefined);
  if (info) flags |= F.NTLMSSP_NEGOTIATE_TARGET_INFO;
  if (m.version) flags |= F.NTLMSSP_NEGOTIATE_VERSION;
  const w = new MessageWriter(CHALLENGE_MESSAGE, HEADER);
  const unicode = has(flags, F.NTLMSSP_NEGOTIATE_UNICODE);
  w.field(12, unicode ? utf16le(m.targetName) : oem(m.targetName));
  putU32(w.header, 20, flags >>> 0);
  w.header.set(m.serverChallenge, 24);
  w.field(40, info ?? new Uint8Array(0));
  if (m.version) w.header.set(encodeVersion(m.version), 48);
  return w.finish();
}

export function decodeChallenge(msg: Uint8Array): ChallengeMessage {
  checkHeader(msg, CHALLENGE_MESSAGE, 32, 'CHALLENGE_MESSAGE');
  const flags = u32(msg, 20);
  const hasInfo = msg.length >= 48;
  const minOffset = Math.min(
    msg.length,
    hasInfo ? (has(flags, F.NTLMSSP_NEGOTIATE_VERSION) ? HEADER : 48) : 32,
  );
  const nameBytes = readField(msg, 12, minOffset, 'CHALLENGE TargetName');
  const unicode = has(flags, F.NTLMSSP_NEGOTIATE_UNICODE);
  const out: ChallengeMessage = {
    flags,
    targetName: unicode ? fromUtf16le(nameBytes, 'CHALLENGE TargetName') : fromOem(nameBytes),
    serverChallenge: msg.slice(24, 32),
  };
  if (hasInfo) {
    const info = readField(msg, 40, minOffset, 'CHALLENGE TargetInfo');
    if (info.length > 0) {
      out.targetInfo = decodeAvPairs(info, 'CHALLENGE TargetInfo');
      out.targetInfoBytes = info.slice();
    }
  }
  if (has(flags, F.NTLMSSP_NEGOTIATE_VERSION) && msg.length >= HEADER) out.version = decodeVersion(msg, 48);
  return out;
}
