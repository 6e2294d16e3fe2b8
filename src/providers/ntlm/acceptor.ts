/**
 * The NTLM acceptor (MS-NLMP §3.2.5): two steps.
 *   step(NEGOTIATE)    -> CHALLENGE_MESSAGE (server challenge from the injected random,
 *                         TargetInfo with names and MsvAvTimestamp from the injected clock)
 *   step(AUTHENTICATE) -> done, no output
 * Checks, in order: anonymous (refused unless allowAnonymous), response kind (NTLMv1/LM
 * only with allowLegacy), the user's NT hash from the credential store, NTProofStr, the
 * response timestamp, channel bindings, the target name, then the MIC over all three
 * messages with the exported session key. A wrong password or unknown user is
 * LOGON_DENIED with the same message (no user enumeration).
 */
import { bytesEqual, concatBytes, constantTimeEqual, wipe } from '../../core/bytes.ts';
import { gssError } from '../../core/errors.ts';
import type { ChannelBindings, Clock, RandomSource, StepResult } from '../../core/mechanism.ts';
import { hmac } from '../../crypto/hash.ts';
import { md4 } from '../../crypto/md4.ts';
import { rc4 } from '../../crypto/rc4.ts';
import {
  AvFlags,
  AvId,
  avFlagsValue,
  avString,
  decodeAvPairs,
  fileTime,
  fileTimeToMs,
  findAvPair,
} from './av-pairs.ts';
import { channelBindingsHash } from './channel-bindings.ts';
import { NtlmContextBase } from './context.ts';
import type { CredentialStore, NtlmCredential } from './credential-store.ts';
import { desl } from './des.ts';
import { ACCEPTOR_SUPPORTED, has, NegotiateFlags as F } from './flags.ts';
import { kxkey, lmowfv1, ntowfv2 } from './keys.ts';
import { type AuthenticateMessage, decodeAuthenticate, withZeroMic } from './messages/authenticate.ts';
import { encodeChallenge } from './messages/challenge.ts';
import { decodeNegotiate } from './messages/negotiate.ts';
import { expectedNtProof, ntlmv1EssResponse, ntlmv2SessionBaseKey } from './responses.ts';
import { GSSOCK_VERSION } from './version.ts';
import { fromUtf16le, malformed } from './wire.ts';

export interface AcceptorConfig {
  credentials: CredentialStore;
  /** NetBIOS computer and domain names put in TargetInfo. */
  computerName: string;
  domainName: string;
  dnsComputerName?: string;
  /** When set, a client-sent MsvAvTargetName must name this service. */
  acceptorName?: string;
  channelBindings?: ChannelBindings;
  clock: Clock;
  random: RandomSource;
  allowAnonymous: boolean;
  allowLegacy: boolean;
  requireMic: boolean;
  maxClockSkewMs: number;
  warn: (message: string) => void;
}

const denied = () =>
  gssError('LOGON_DENIED', 'NTLM logon denied: unknown user or wrong password', { origin: 'peer' });

export class NtlmAcceptor extends NtlmContextBase {
  readonly role = 'acceptor' as const;
  readonly #c: AcceptorConfig;
  #negotiate?: Uint8Array;
  #challenge?: Uint8Array;
  #challengeFlags = 0;
  #serverChallenge?: Uint8Array;
  #secrets: Uint8Array[] = [];

  constructor(config: AcceptorConfig) {
    super();
    this.#c = config;
  }

  async step(input: Uint8Array | null): Promise<StepResult> {
    this.assertStepAllowed();
    if (!(input instanceof Uint8Array) || input.length === 0)
      throw gssError('INVALID_STATE', 'the NTLM acceptor waits for a token from the initiator');
    if (!this.#challenge) return { outputToken: this.#makeChallenge(input), done: false };
    await this.#accept(input);
    return { done: true };
  }

  #makeChallenge(negotiateBytes: Uint8Array): Uint8Array {
    const neg = decodeNegotiate(negotiateBytes);
    let flags = (neg.flags & ACCEPTOR_SUPPORTED) >>> 0;
    if (has(flags, F.NTLMSSP_NEGOTIATE_UNICODE)) flags &= ~F.NTLM_NEGOTIATE_OEM;
    else if (!has(flags, F.NTLM_NEGOTIATE_OEM))
      throw gssError('NOT_SUPPORTED', 'the NTLM client offers neither Unicode nor OEM strings', {
        origin: 'peer',
      });
    if (!has(flags, F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) && !this.#c.allowLegacy)
      throw gssError(
        'NOT_SUPPORTED',
        'the NTLM client did not offer extended session security (NTLMv1-era client); set allowLegacy to accept it',
        {
          origin: 'peer',
        },
      );
    flags |= F.NTLMSSP_NEGOTIATE_TARGET_INFO | F.NTLMSSP_NEGOTIATE_VERSION | F.NTLMSSP_TARGET_TYPE_SERVER;
    this.#challengeFlags = flags >>> 0;
    this.#serverChallenge = this.#c.random(8);
    const info = [
      avString(AvId.MsvAvNbDomainName, this.#c.domainName),
      avString(AvId.MsvAvNbComputerName, this.#c.computerName),
      avString(AvId.MsvAvDnsComputerName, this.#c.dnsComputerName ?? this.#c.computerName.toLowerCase()),
      { id: AvId.MsvAvTimestamp, value: fileTime(this.#c.clock()) },
    ];
    this.#negotiate = negotiateBytes.slice();
    this.#challenge = encodeChallenge({
      flags: this.#challengeFlags,
      targetName: this.#c.computerName,
      serverChallenge: this.#serverChallenge,
      targetInfo: info,
      version: GSSOCK_VERSION,
    });
    return this.#challenge.slice();
  }

  async #accept(authBytes: Uint8Array): Promise<void> {
    const c = this.#c;
    const auth = decodeAuthenticate(authBytes);
    const sc = this.#serverChallenge!;
    const nt = auth.ntChallengeResponse;
    const lm = auth.lmChallengeResponse;
    // §3.2.5.1.2: anonymous = empty user, empty NT response, LM response empty or one zero byte.
    if (auth.user === '' && nt.length === 0 && (lm.length === 0 || (lm.length === 1 && lm[0] === 0))) {
      if (!c.allowAnonymous)
        throw gssError('UNAUTHORIZED', 'anonymous NTLM logon refused (allowAnonymous is off)', {
          origin: 'peer',
        });
      this.complete({
        negotiatedFlags: 0,
        peerName: '',
        localName: c.computerName,
        extra: { anonymous: true },
        anonymous: true,
      });
      return;
    }
    const offered = this.#challengeFlags;
    const keyBits =
      F.NTLMSSP_NEGOTIATE_SIGN |
      F.NTLMSSP_NEGOTIATE_SEAL |
      F.NTLMSSP_NEGOTIATE_KEY_EXCH |
      F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
      F.NTLMSSP_NEGOTIATE_128 |
      F.NTLMSSP_NEGOTIATE_56 |
      F.NTLMSSP_NEGOTIATE_LM_KEY;
    if ((auth.flags & keyBits & ~offered) !== 0)
      throw gssError('DEFECTIVE_TOKEN', 'NTLM AUTHENTICATE claims flags the CHALLENGE did not offer', {
        origin: 'peer',
      });
    const flags = auth.flags >>> 0;
    const cred = await c.credentials.lookup(auth.user, auth.domain);
    let sessionBaseKey: Uint8Array;
    let ntlmVersion = 2;
    let lmowf: Uint8Array | undefined;
    let micPresent = false;
    if (nt.length > 24) {
      if (!cred) throw denied();
      const temp = nt.subarray(16);
      if (temp.length < 28 || temp[0] !== 1 || temp[1] !== 1) throw malformed('NTLMv2 response');
      let key: Uint8Array | undefined;
      for (const domain of new Set([auth.domain, auth.domain.toUpperCase(), ''])) {
        const candidate = ntowfv2(cred.ntHash, auth.user, domain);
        if (constantTimeEqual(expectedNtProof(candidate, sc, temp), nt.subarray(0, 16))) {
          key = candidate;
          break;
        }
        wipe(candidate);
      }
      if (!key) throw denied();
      this.#secrets.push(key);
      const pairs = decodeAvPairs(temp.subarray(28), 'NTLMv2 response AV pairs');
      const skew = Math.abs(fileTimeToMs(temp.subarray(8, 16)) - c.clock());
      if (skew > c.maxClockSkewMs)
        throw gssError(
          'CLOCK_SKEW',
          `NTLMv2 response timestamp is ${Math.round(skew / 1000)} s away from our clock`,
          { origin: 'peer' },
        );
      this.#checkBindings(findAvPair(pairs, AvId.MsvAvChannelBindings));
      this.#checkTargetName(findAvPair(pairs, AvId.MsvAvTargetName));
      micPresent = (avFlagsValue(pairs) & AvFlags.MIC_PRESENT) !== 0;
      sessionBaseKey = ntlmv2SessionBaseKey(key, nt.subarray(0, 16));
    } else {
      if (!c.allowLegacy)
        throw gssError(
          'NOT_SUPPORTED',
          `NTLM${nt.length === 0 ? ' LM' : 'v1'} response refused; only NTLMv2 is accepted unless allowLegacy is set`,
          { origin: 'peer' },
        );
      c.warn(
        `gssock ntlm: accepting a legacy ${nt.length === 0 ? 'LM' : 'NTLMv1'} response from ${auth.domain}\\${auth.user} (allowLegacy); these are crackable offline`,
      );
      if (!cred) throw denied();
      ntlmVersion = 1;
      ({ sessionBaseKey, lmowf } = this.#verifyLegacy(auth, cred, flags));
    }
    const kx = kxkey({
      flags,
      ntlmv2: ntlmVersion === 2,
      sessionBaseKey,
      lmChallengeResponse: lm,
      serverChallenge: sc,
      ...(lmowf ? { lmowf } : {}),
    });
    let exported = kx;
    if (has(flags, F.NTLMSSP_NEGOTIATE_KEY_EXCH)) {
      if (auth.encryptedRandomSessionKey.length !== 16)
        throw malformed('EncryptedRandomSessionKey (not 16 bytes)');
      exported = rc4(kx, auth.encryptedRandomSessionKey);
    }
    this.#secrets.push(sessionBaseKey, kx, exported);
    if (micPresent) {
      if (!auth.mic) throw malformed('AUTHENTICATE_MESSAGE (MIC announced but no room for it)');
      const mic = hmac(
        'md5',
        exported,
        concatBytes(this.#negotiate!, this.#challenge!, withZeroMic(authBytes)),
      );
      if (!constantTimeEqual(mic, auth.mic))
        throw gssError('BAD_SIGNATURE', 'NTLM MIC mismatch: a handshake message was altered in transit', {
          origin: 'peer',
        });
    } else if (c.requireMic && ntlmVersion === 2) {
      throw gssError('DEFECTIVE_TOKEN', 'NTLM AUTHENTICATE without a MIC (requireMic is on)', {
        origin: 'peer',
      });
    }
    const peer = auth.domain ? `${auth.domain}\\${auth.user}` : auth.user;
    this.complete({
      negotiatedFlags: flags,
      exportedSessionKey: exported,
      peerName: peer,
      localName: c.acceptorName ?? c.computerName,
      extra: {
        user: auth.user,
        domain: auth.domain,
        workstation: auth.workstation,
        ntlmVersion,
        mic: micPresent,
      },
      micPresent,
    });
  }

  #verifyLegacy(auth: AuthenticateMessage, cred: NtlmCredential, flags: number) {
    const sc = this.#serverChallenge!;
    const nt = auth.ntChallengeResponse;
    const lm = auth.lmChallengeResponse;
    const lmowf = cred.password !== undefined ? lmowfv1(cred.password) : undefined;
    const ess = has(flags, F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY);
    let ok = false;
    if (nt.length === 24 && ess && lm.length === 24) {
      ok = constantTimeEqual(ntlmv1EssResponse(cred.ntHash, sc, lm.subarray(0, 8)).ntChallengeResponse, nt);
    } else if (nt.length === 24) {
      ok = constantTimeEqual(desl(cred.ntHash, sc), nt);
    } else if (lm.length === 24 && lmowf) {
      ok = constantTimeEqual(desl(lmowf, sc), lm);
    }
    if (!ok) throw denied();
    return { sessionBaseKey: md4(cred.ntHash), ...(lmowf ? { lmowf } : {}) };
  }

  #checkBindings(received: Uint8Array | undefined): void {
    const expected = this.#c.channelBindings ? channelBindingsHash(this.#c.channelBindings) : undefined;
    if (!expected) return; // No bindings of our own: nothing to hold the client to.
    if (!received || !bytesEqual(received, expected))
      throw gssError('BAD_BINDINGS', 'NTLM channel bindings do not match this connection', {
        origin: 'peer',
      });
  }

  #checkTargetName(received: Uint8Array | undefined): void {
    const wanted = this.#c.acceptorName;
    if (!wanted || !received || received.length === 0) return;
    const norm = (s: string) => s.replace('@', '/').toLowerCase();
    const got = fromUtf16le(received, 'MsvAvTargetName');
    if (norm(got) !== norm(wanted))
      throw gssError('BAD_NAME', `NTLM client targeted "${got}", this acceptor is "${wanted}"`, {
        origin: 'peer',
      });
  }

  protected wipeHandshake(): void {
    wipe(...this.#secrets, this.#serverChallenge);
    this.#secrets = [];
  }
}
