/**
 * Key derivations of MS-NLMP §3.3 and §3.4.5: the one-way functions over the password,
 * KXKEY, SIGNKEY and SEALKEY. Strings are UTF-16LE (RPC_UNICODE_STRING) unless noted.
 */
import { concatBytes } from '../../core/bytes.ts';
import { md4 } from '../../crypto/md4.ts';
import { digest, hmac } from '../../crypto/hash.ts';
import { des7 } from './des.ts';
import { has, NegotiateFlags as F } from './flags.ts';
import { utf16le } from './wire.ts';

/** NTOWFv1(Passwd) = MD4(UNICODE(Passwd)) (§3.3.1): the NT hash. */
export function ntowfv1(password: string): Uint8Array {
  return md4(utf16le(password));
}

const LM_MAGIC = Uint8Array.of(0x4b, 0x47, 0x53, 0x21, 0x40, 0x23, 0x24, 0x25); // "KGS!@#$%"

/** LMOWFv1(Passwd) (§3.3.1, legacy): DES of "KGS!@#$%" under the upper-cased, 14-byte password. */
export function lmowfv1(password: string): Uint8Array {
  const p = new Uint8Array(14);
  const upper = password.toUpperCase();
  for (let i = 0; i < Math.min(14, upper.length); i++) p[i] = upper.charCodeAt(i) & 0xff;
  return concatBytes(des7(p.subarray(0, 7), LM_MAGIC), des7(p.subarray(7, 14), LM_MAGIC));
}

/** NTOWFv2 = HMAC_MD5(NT hash, UNICODE(Uppercase(User) || UserDom)) (§3.3.2); LMOWFv2 is the same. */
export function ntowfv2(ntHash: Uint8Array, user: string, domain: string): Uint8Array {
  return hmac('md5', ntHash, utf16le(user.toUpperCase() + domain));
}

export const lmowfv2 = ntowfv2;

/**
 * KXKEY (§3.4.5.1). NTLMv2: the session base key. NTLMv1 with extended session security:
 * HMAC_MD5(SessionBaseKey, ServerChallenge || LmChallengeResponse[0..7]). NTLMv1 without:
 * the LM_KEY / NON_NT_SESSION_KEY variants built from LMOWF.
 */
export function kxkey(o: {
  flags: number;
  ntlmv2: boolean;
  sessionBaseKey: Uint8Array;
  lmChallengeResponse: Uint8Array;
  serverChallenge: Uint8Array;
  lmowf?: Uint8Array;
}): Uint8Array {
  if (o.ntlmv2) return o.sessionBaseKey;
  if (has(o.flags, F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
    return hmac('md5', o.sessionBaseKey, o.serverChallenge, o.lmChallengeResponse.subarray(0, 8));
  }
  const lm = o.lmowf ?? new Uint8Array(16);
  if (has(o.flags, F.NTLMSSP_NEGOTIATE_LM_KEY)) {
    const second = Uint8Array.of(lm[7]!, 0xbd, 0xbd, 0xbd, 0xbd, 0xbd, 0xbd);
    const data = o.lmChallengeResponse.subarray(0, 8);
    return concatBytes(des7(lm.subarray(0, 7), data), des7(second, data));
  }
  if (has(o.flags, F.NTLMSSP_REQUEST_NON_NT_SESSION_KEY))
    return concatBytes(lm.subarray(0, 8), new Uint8Array(8));
  return o.sessionBaseKey;
}

export type KeyMode = 'client' | 'server';

const magic = (s: string) => {
  const out = new Uint8Array(s.length + 1); // the constants are NUL-terminated
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};
const SIGN_MAGIC = {
  client: magic('session key to client-to-server signing key magic constant'),
  server: magic('session key to server-to-client signing key magic constant'),
};
const SEAL_MAGIC = {
  client: magic('session key to client-to-server sealing key magic constant'),
  server: magic('session key to server-to-client sealing key magic constant'),
};

/** SIGNKEY (§3.4.5.2): only with extended session security; undefined otherwise. */
export function signkey(
  flags: number,
  exportedSessionKey: Uint8Array,
  mode: KeyMode,
): Uint8Array | undefined {
  if (!has(flags, F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) return undefined;
  return digest('md5', concatBytes(exportedSessionKey, SIGN_MAGIC[mode]));
}

/** SEALKEY (§3.4.5.3). */
export function sealkey(flags: number, exportedSessionKey: Uint8Array, mode: KeyMode): Uint8Array {
  if (has(flags, F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
    const key = has(flags, F.NTLMSSP_NEGOTIATE_128)
      ? exportedSessionKey
      : has(flags, F.NTLMSSP_NEGOTIATE_56)
        ? exportedSessionKey.subarray(0, 7)
        : exportedSessionKey.subarray(0, 5);
    return digest('md5', concatBytes(key, SEAL_MAGIC[mode]));
  }
  if (has(flags, F.NTLMSSP_NEGOTIATE_LM_KEY)) {
    if (has(flags, F.NTLMSSP_NEGOTIATE_56))
      return concatBytes(exportedSessionKey.subarray(0, 7), Uint8Array.of(0xa0));
    return concatBytes(exportedSessionKey.subarray(0, 5), Uint8Array.of(0xe5, 0x38, 0xb0));
  }
  return exportedSessionKey.slice();
}
