/**
 * NTLM (MS-NLMP): NTLMv2 initiator and acceptor with MIC, channel bindings and session
 * security (RC4 sealing, HMAC-MD5 signatures), pure TypeScript on every runtime.
 * Layout: messages/ (the three handshake messages), av-pairs, flags, version, keys,
 * responses, session-security (+ keystream), credential-store, initiator, acceptor.
 */
export { AvFlags, AvId, type AvPair, decodeAvPairs, encodeAvPairs } from './av-pairs.ts';
export { channelBindingsHash } from './channel-bindings.ts';
export { NTLM_NAME, NTLM_OID } from './context.ts';
export {
  type CredentialStore,
  credentialStoreFromUserFile,
  MemoryCredentialStore,
  type NtlmCredential,
  parseUserFile,
  type UserEntry,
} from './credential-store.ts';
export { NegotiateFlags, negotiateFlagNames } from './flags.ts';
export { kxkey, lmowfv1, lmowfv2, ntowfv1, ntowfv2, sealkey, signkey } from './keys.ts';
export { type AuthenticateMessage, decodeAuthenticate, encodeAuthenticate } from './messages/authenticate.ts';
export { type ChallengeMessage, decodeChallenge, encodeChallenge } from './messages/challenge.ts';
export { decodeNegotiate, encodeNegotiate, type NegotiateMessage } from './messages/negotiate.ts';
export { DEFAULT_MAX_CLOCK_SKEW_MS, ntlm, type NtlmOptions } from './mechanism.ts';
export { lmv2Response, ntlmv1EssResponse, ntlmv1Response, ntlmv2Response } from './responses.ts';
export { SessionSecurity, SIGNATURE_SIZE } from './session-security.ts';
export { MAX_MESSAGE_SIZE } from './wire.ts';
