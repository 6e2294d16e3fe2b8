/**
 * `ntlm(options)`: the MS-NLMP mechanism, name 'ntlm', OID 1.3.6.1.4.1.311.2.2.10.
 *
 *   const client = ntlm({ user: 'alice', domain: 'CORP', password: 's3cret' });
 *   const server = ntlm({ credentials: credentialStoreFromUserFile(text) });
 *
 * NTLMv2 only by default; `allowLegacy` lets an acceptor take NTLMv1/LM responses (with a
 * warning) and an initiator send them (`ntlmv1: true`). Never grants MUTUAL: see context.ts.
 */
import { gssError } from '../../core/errors.ts';
import { Flags } from '../../core/flags.ts';
import type {
  Clock,
  ContextOptions,
  Mechanism,
  RandomSource,
  Role,
  SecurityContext,
} from '../../core/mechanism.ts';
import { defaultClock, defaultRandom } from '../../core/random.ts';
import { NtlmAcceptor } from './acceptor.ts';
import { NTLM_NAME, NTLM_OID } from './context.ts';
import type { CredentialStore } from './credential-store.ts';
import { NtlmInitiator } from './initiator.ts';
import { ntowfv1 } from './keys.ts';

export interface NtlmOptions {
  /** Initiator: user name (no domain part). */
  user?: string;
  /** Initiator: the user's domain ('' for a local / workgroup account). */
  domain?: string;
  /** Initiator: the password ... */
  password?: string;
  /** ... or its NT hash (NTOWFv1, 16 bytes). */
  ntHash?: Uint8Array;
  /** Initiator: workstation name sent in AUTHENTICATE (default none). */
  workstation?: string;
  /** Acceptor: where users' NT hashes come from. */
  credentials?: CredentialStore;
  /** Acceptor: NetBIOS computer name in TargetInfo (default 'GSSOCK'). */
  computerName?: string;
  /** Acceptor: NetBIOS domain name in TargetInfo (default 'WORKGROUP'). */
  domainName?: string;
  /** Acceptor: DNS computer name in TargetInfo (default: computerName in lower case). */
  dnsComputerName?: string;
  /** Acceptor: accept anonymous logons (default false). */
  allowAnonymous?: boolean;
  /** Accept (acceptor) NTLMv1 and LM responses; default false, and a warning each time. */
  allowLegacy?: boolean;
  /** Initiator: send NTLMv1 responses (needs allowLegacy). */
  ntlmv1?: boolean;
  /** Acceptor: refuse NTLMv2 logons without a MIC (default true). */
  requireMic?: boolean;
  /** Acceptor: largest distance between the response timestamp and our clock (default 36 h). */
  maxClockSkewMs?: number;
  /** Where legacy warnings go (default console.warn). */
  warn?: (message: string) => void;
  clock?: Clock;
  random?: RandomSource;
}

/** gss-ntlmssp's and Windows' challenge-response lifetime (MS-NLMP MaxLifetime, 36 hours). */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 36 * 60 * 60 * 1000;

class NtlmMechanism implements Mechanism {
  readonly name = NTLM_NAME;
  readonly oid = NTLM_OID;
  readonly #o: NtlmOptions;

  constructor(o: NtlmOptions) {
    this.#o = o;
    if (o.ntlmv1 && !o.allowLegacy)
      throw gssError('INVALID_ARGUMENT', 'ntlm: ntlmv1 needs allowLegacy: true');
    if (o.ntHash !== undefined && o.ntHash.length !== 16)
      throw gssError('INVALID_ARGUMENT', 'ntlm: ntHash must be 16 bytes');
  }

  createContext(role: Role, options: ContextOptions = {}): SecurityContext {
    const o = this.#o;
    const clock = options.clock ?? o.clock ?? defaultClock;
    const random = options.random ?? o.random ?? defaultRandom;
    if (role === 'initiator') {
      if (!o.user) throw gssError('NO_CREDENTIALS', 'ntlm: the initiator needs a user name');
      const ntHash = o.ntHash?.slice() ?? (o.password !== undefined ? ntowfv1(o.password) : undefined);
      if (!ntHash) throw gssError('NO_CREDENTIALS', `ntlm: no password or NT hash for ${o.user}`);
      return new NtlmInitiator({
        credentials: {
          user: o.user,
          domain: o.domain ?? '',
          ntHash,
          ...(o.password !== undefined ? { password: o.password } : {}),
          workstation: o.workstation ?? '',
        },
        ...(options.target !== undefined ? { target: options.target } : {}),
        ...(options.channelBindings ? { channelBindings: options.channelBindings } : {}),
        clock,
        random,
        identify: ((options.flags ?? 0) & Flags.IDENTIFY) !== 0,
        ntlmv1: o.ntlmv1 === true,
      });
    }
    if (role !== 'acceptor') throw gssError('INVALID_ARGUMENT', `ntlm: unknown role ${String(role)}`);
    if (!o.credentials) throw gssError('NO_CREDENTIALS', 'ntlm: the acceptor needs a credential store');
    return new NtlmAcceptor({
      credentials: o.credentials,
      computerName: o.computerName ?? 'GSSOCK',
      domainName: o.domainName ?? 'WORKGROUP',
      ...(o.dnsComputerName !== undefined ? { dnsComputerName: o.dnsComputerName } : {}),
      ...(options.acceptorName !== undefined ? { acceptorName: options.acceptorName } : {}),
      ...(options.channelBindings ? { channelBindings: options.channelBindings } : {}),
      clock,
      random,
      allowAnonymous: o.allowAnonymous === true,
      allowLegacy: o.allowLegacy === true,
      requireMic: o.requireMic ?? true,
      maxClockSkewMs: o.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS,
      warn: o.warn ?? ((m) => console.warn(m)),
    });
  }
}

export function ntlm(options: NtlmOptions = {}): Mechanism {
  return new NtlmMechanism(options);
}
