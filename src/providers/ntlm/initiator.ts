/**
 * The NTLM initiator (MS-NLMP §3.1.5): two steps.
 *   step(null)      -> NEGOTIATE_MESSAGE
 *   step(CHALLENGE) -> AUTHENTICATE_MESSAGE, done
 * NTLMv2 (§3.3.2) with extended session security, key exchange (a random exported
 * session key, sent RC4-encrypted under KXKEY), and the MIC over all three messages
 * (§3.1.5.1.2), announced by MsvAvFlags 0x2. The AV pairs sent back are the server's
 * TargetInfo plus MsvAvFlags, MsvAvChannelBindings and MsvAvTargetName (the SPN).
 */
import { concatBytes, wipe } from '../../core/bytes.ts';
import { gssError } from '../../core/errors.ts';
import type { ChannelBindings, Clock, RandomSource, StepResult } from '../../core/mechanism.ts';
import { hmac } from '../../crypto/hash.ts';
import { rc4 } from '../../crypto/rc4.ts';
import {
  type AvPair,
  AvFlags,
  AvId,
  avFlagsPair,
  avFlagsValue,
  avString,
  encodeAvPairs,
  fileTime,
  findAvPair,
  setAvPair,
} from './av-pairs.ts';
import { channelBindingsHash } from './channel-bindings.ts';
import { NtlmContextBase } from './context.ts';
import { has, INITIATOR_FLAGS, NegotiateFlags as F } from './flags.ts';
import { kxkey, lmowfv1, ntowfv2 } from './keys.ts';
import { decodeChallenge } from './messages/challenge.ts';
import { encodeAuthenticate, MIC_OFFSET, withZeroMic } from './messages/authenticate.ts';
import { encodeNegotiate } from './messages/negotiate.ts';
import { ntlmv1EssResponse, ntlmv1Response, ntlmv2Response } from './responses.ts';
import { GSSOCK_VERSION } from './version.ts';

export interface InitiatorCredentials {
  user: string;
  domain: string;
  /** NTOWFv1 (16 bytes). */
  ntHash: Uint8Array;
  /** Only for legacy LM responses. */
  password?: string;
  workstation: string;
}

export interface InitiatorConfig {
  credentials: InitiatorCredentials;
  target?: string;
  channelBindings?: ChannelBindings;
  clock: Clock;
  random: RandomSource;
  identify: boolean;
  /** Send NTLMv1 (legacy; the mechanism only sets this with allowLegacy). */
  ntlmv1: boolean;
}

export class NtlmInitiator extends NtlmContextBase {
  readonly role = 'initiator' as const;
  readonly #c: InitiatorConfig;
  #negotiate?: Uint8Array;
  #secrets: Uint8Array[] = [];

  constructor(config: InitiatorConfig) {
    super();
    this.#c = config;
  }

  async step(input: Uint8Array | null): Promise<StepResult> {
    this.assertStepAllowed();
    if (!this.#negotiate) {
      if (input !== null && input.length > 0)
        throw gssError('DEFECTIVE_TOKEN', 'the NTLM initiator starts the exchange; it got a token first', {
          origin: 'peer',
        });
      let flags = INITIATOR_FLAGS | F.NTLMSSP_NEGOTIATE_SIGN | F.NTLMSSP_NEGOTIATE_SEAL;
      if (this.#c.identify) flags |= F.NTLMSSP_NEGOTIATE_IDENTIFY;
      if (this.#c.ntlmv1) flags &= ~F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
      this.#negotiate = encodeNegotiate({ flags: flags >>> 0, version: GSSOCK_VERSION });
      return { outputToken: this.#negotiate.slice(), done: false };
    }
    if (!(input instanceof Uint8Array))
      throw gssError('INVALID_ARGUMENT', 'the NTLM initiator needs the CHALLENGE_MESSAGE');
    return { outputToken: this.#authenticate(input), done: true };
  }

  #authenticate(challengeBytes: Uint8Array): Uint8Array {
    const c = this.#c;
    const challenge = decodeChallenge(challengeBytes);
    const requested = new Uint8Array(this.#negotiate!.subarray(12, 16));
    const ours = (requested[0]! | (requested[1]! << 8) | (requested[2]! << 16) | (requested[3]! << 24)) >>> 0;
    // Keep only what both sides want (MS-NLMP §3.1.5.1.2); the version flag is ours to set.
    let flags = (challenge.flags & ours) >>> 0;
    if (has(flags, F.NTLMSSP_NEGOTIATE_UNICODE)) flags &= ~F.NTLM_NEGOTIATE_OEM;
    else if (!has(flags, F.NTLM_NEGOTIATE_OEM))
      throw gssError('NOT_SUPPORTED', 'the NTLM server offers neither Unicode nor OEM strings', {
        origin: 'peer',
      });
    if (!c.ntlmv1 && !has(flags, F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY))
      throw gssError(
        'NOT_SUPPORTED',
        'the NTLM server refused extended session security (NTLMv1-era server)',
        {
          origin: 'peer',
        },
      );
    flags = (flags | F.NTLMSSP_NEGOTIATE_VERSION) >>> 0;

    const clientChallenge = c.random(8);
    let lmResponse: Uint8Array;
    let ntResponse: Uint8Array;
    let sessionBaseKey: Uint8Array;
    let withMic = false;
    let lmowf: Uint8Array | undefined;
    if (c.ntlmv1) {
      const r = has(flags, F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
        ? ntlmv1EssResponse(c.credentials.ntHash, challenge.serverChallenge, clientChallenge)
        : ntlmv1Response(
            c.credentials.ntHash,
            (lmowf =
              c.credentials.password !== undefined ? lmowfv1(c.credentials.password) : c.credentials.ntHash),
            challenge.serverChallenge,
          );
      ({ lmChallengeResponse: lmResponse, ntChallengeResponse: ntResponse, sessionBaseKey } = r);
    } else {
      if (!challenge.targetInfo)
        throw gssError('NOT_SUPPORTED', 'the NTLM CHALLENGE has no TargetInfo, which NTLMv2 needs', {
          origin: 'peer',
        });
      const pairs: AvPair[] = challenge.targetInfo.map((p) => ({ id: p.id, value: p.value.slice() }));
      const serverTime = findAvPair(pairs, AvId.MsvAvTimestamp);
      // §3.1.5.1.2: with a server timestamp, use it, send a MIC, and no LM response.
      withMic = true;
      setAvPair(pairs, AvId.MsvAvFlags, avFlagsPair(avFlagsValue(pairs) | AvFlags.MIC_PRESENT).value);
      setAvPair(pairs, AvId.MsvAvChannelBindings, channelBindingsHash(c.channelBindings));
      if (c.target) setAvPair(pairs, AvId.MsvAvTargetName, avString(AvId.MsvAvTargetName, c.target).value);
      const responseKey = ntowfv2(c.credentials.ntHash, c.credentials.user, c.credentials.domain);
      this.#secrets.push(responseKey);
      const r = ntlmv2Response({
        responseKeyNT: responseKey,
        serverChallenge: challenge.serverChallenge,
        clientChallenge,
        time: serverTime?.length === 8 ? serverTime : fileTime(c.clock()),
        avPairs: encodeAvPairs(pairs),
      });
      ntResponse = r.ntChallengeResponse;
      lmResponse = serverTime ? new Uint8Array(24) : r.lmChallengeResponse;
      sessionBaseKey = r.sessionBaseKey;
    }
    const keyExchangeKey = kxkey({
      flags,
      ntlmv2: !c.ntlmv1,
      sessionBaseKey,
      lmChallengeResponse: lmResponse,
      serverChallenge: challenge.serverChallenge,
      ...(lmowf ? { lmowf } : {}),
    });
    let exported: Uint8Array = keyExchangeKey.slice();
    let encryptedKey: Uint8Array = new Uint8Array(0);
    if (has(flags, F.NTLMSSP_NEGOTIATE_KEY_EXCH)) {
      exported = c.random(16);
      encryptedKey = rc4(keyExchangeKey, exported);
    }
    this.#secrets.push(sessionBaseKey, keyExchangeKey, exported);
    const auth = encodeAuthenticate(
      {
        flags,
        lmChallengeResponse: lmResponse,
        ntChallengeResponse: ntResponse,
        domain: c.credentials.domain,
        user: c.credentials.user,
        workstation: c.credentials.workstation,
        encryptedRandomSessionKey: encryptedKey,
        version: GSSOCK_VERSION,
      },
      withMic,
    );
    if (withMic) {
      const mic = hmac('md5', exported, concatBytes(this.#negotiate!, challengeBytes, withZeroMic(auth)));
      auth.set(mic, MIC_OFFSET);
    }
    this.complete({
      negotiatedFlags: flags,
      exportedSessionKey: exported,
      peerName: c.target ?? challenge.targetName,
      localName: c.credentials.domain ? `${c.credentials.domain}\\${c.credentials.user}` : c.credentials.user,
      extra: { targetName: challenge.targetName, ntlmVersion: c.ntlmv1 ? 1 : 2 },
      micPresent: withMic,
    });
    return auth;
  }

  protected wipeHandshake(): void {
    wipe(...this.#secrets);
    this.#secrets = [];
  }
}
