/**
 * Challenge responses (MS-NLMP §3.3). NTLMv2 (§3.3.2) is the default and the only one
 * accepted unless `allowLegacy`: NTLMv1 and LM (§3.3.1) fall to offline cracking and
 * relay in minutes and exist here only for old peers and for the §4.2.2/§4.2.3 vectors.
 */
import { concatBytes } from '../../core/bytes.ts';
import { md4 } from '../../crypto/md4.ts';
import { digest, hmac } from '../../crypto/hash.ts';
import { desl } from './des.ts';

export interface Ntlmv2Input {
  /** NTOWFv2 (also LMOWFv2). */
  responseKeyNT: Uint8Array;
  serverChallenge: Uint8Array;
  clientChallenge: Uint8Array;
  /** FILETIME, 8 bytes. */
  time: Uint8Array;
  /** "ServerName" of §3.3.2: the AV pair list (with MsvAvEOL) as the client sends it. */
  avPairs: Uint8Array;
}

export interface Ntlmv2Output {
  temp: Uint8Array;
  ntProofStr: Uint8Array;
  ntChallengeResponse: Uint8Array;
  lmChallengeResponse: Uint8Array;
  sessionBaseKey: Uint8Array;
}

/** temp = 0x01 0x01 Z(6) Time ClientChallenge Z(4) ServerName Z(4) (§3.3.2). */
export function ntlmv2Temp(time: Uint8Array, clientChallenge: Uint8Array, avPairs: Uint8Array): Uint8Array {
  return concatBytes(
    Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 0),
    time,
    clientChallenge,
    new Uint8Array(4),
    avPairs,
    new Uint8Array(4),
  );
}

export function ntlmv2Response(i: Ntlmv2Input): Ntlmv2Output {
  const temp = ntlmv2Temp(i.time, i.clientChallenge, i.avPairs);
  const ntProofStr = hmac('md5', i.responseKeyNT, i.serverChallenge, temp);
  return {
    temp,
    ntProofStr,
    ntChallengeResponse: concatBytes(ntProofStr, temp),
    lmChallengeResponse: lmv2Response(i.responseKeyNT, i.serverChallenge, i.clientChallenge),
    sessionBaseKey: hmac('md5', i.responseKeyNT, ntProofStr),
  };
}

/** LMv2 = HMAC_MD5(ResponseKeyLM, ServerChallenge || ClientChallenge) || ClientChallenge. */
export function lmv2Response(
  responseKeyLM: Uint8Array,
  serverChallenge: Uint8Array,
  clientChallenge: Uint8Array,
): Uint8Array {
  return concatBytes(hmac('md5', responseKeyLM, serverChallenge, clientChallenge), clientChallenge);
}

/** The NTProofStr a server expects for a received NTLMv2 response (its bytes after the proof). */
export function expectedNtProof(
  responseKeyNT: Uint8Array,
  serverChallenge: Uint8Array,
  temp: Uint8Array,
): Uint8Array {
  return hmac('md5', responseKeyNT, serverChallenge, temp);
}

export function ntlmv2SessionBaseKey(responseKeyNT: Uint8Array, ntProofStr: Uint8Array): Uint8Array {
  return hmac('md5', responseKeyNT, ntProofStr);
}

/** NTLMv1 without extended session security (§3.3.1, legacy): DESL over the server challenge. */
export function ntlmv1Response(ntowf: Uint8Array, lmowf: Uint8Array, serverChallenge: Uint8Array) {
  return {
    ntChallengeResponse: desl(ntowf, serverChallenge),
    lmChallengeResponse: desl(lmowf, serverChallenge),
    sessionBaseKey: md4(ntowf),
  };
}

/** NTLMv1 with extended session security (§3.3.1, legacy): DESL over MD5(server || client challenge)[0..7]. */
export function ntlmv1EssResponse(
  ntowf: Uint8Array,
  serverChallenge: Uint8Array,
  clientChallenge: Uint8Array,
) {
  const hash = digest('md5', concatBytes(serverChallenge, clientChallenge)).subarray(0, 8);
  return {
    ntChallengeResponse: desl(ntowf, hash),
    lmChallengeResponse: concatBytes(clientChallenge, new Uint8Array(16)),
    sessionBaseKey: md4(ntowf),
  };
}
