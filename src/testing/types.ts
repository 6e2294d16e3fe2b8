/** Options and results of the conformance kit. */
import type { ContextFlags } from '../core/flags.ts';
import type { Awaitable, Clock, Mechanism, RandomSource, Role } from '../core/mechanism.ts';
import type { ConformanceError } from './conformance-error.ts';
import type { RuleId } from './rules.ts';

/** What the kit hands a factory each time it needs a fresh mechanism. */
export interface ConformanceEnvironment {
  /** The role the mechanism's contexts will play. */
  role: Role;
  /** The clock the kit injects (also passed as ContextOptions.clock). */
  clock: Clock;
  /** The randomness the kit injects (also passed as ContextOptions.random). */
  random: RandomSource;
}

/**
 * Makes a Mechanism holding the credentials for one side. Called once per scenario, so
 * each scenario starts with fresh state (replay caches, counters). Mechanisms that take
 * clock/randomness at construction rather than per context should use `env`'s.
 */
export type MechanismFactory = (env: ConformanceEnvironment) => Awaitable<Mechanism>;

/** What the mechanism claims to support; the kit holds it to each claim. */
export interface ConformanceCapabilities {
  /** Grants MUTUAL when asked and the acceptor proves itself. Default true. */
  mutual?: boolean;
  /** Grants CONF when asked (wrap can encrypt). Default true. */
  confidentiality?: boolean;
  /** Grants INTEG when asked (getMic/verifyMic work). Default true. */
  integrity?: boolean;
  /** Grants REPLAY when asked. Default true. */
  replayDetection?: boolean;
  /** Grants SEQUENCE when asked. Default false. */
  sequenceDetection?: boolean;
  /** An acceptor refuses a recorded handshake replayed to it. Default true. */
  refusesHandshakeReplay?: boolean;
  /** Tokens depend only on the injected clock and randomness. Default false. */
  deterministic?: boolean;
}

export interface ConformanceOptions {
  /** Name in reports and test titles; default the mechanism's `name`. */
  name?: string;
  /** One factory for both roles (the same credentials object serves both). */
  mechanism?: MechanismFactory;
  /** Factory for the initiator's side (its credentials); overrides `mechanism`. */
  initiator?: MechanismFactory;
  /** Factory for the acceptor's side (its credentials); overrides `mechanism`. */
  acceptor?: MechanismFactory;
  /**
   * An acceptor with credentials the initiator must NOT accept (another key, another
   * name). When given, rule:mutual-enforced checks that the initiator refuses it.
   */
  impostor?: MechanismFactory;
  /** ContextOptions.target for the initiator. */
  target?: string;
  /** ContextOptions.acceptorName for the acceptor. */
  acceptorName?: string;
  /** Flag sets to try; default `[DEFAULT_FLAGS, MUTUAL|REPLAY|SEQUENCE|CONF|INTEG]`. */
  flags?: ContextFlags[];
  capabilities?: ConformanceCapabilities;
  /** Run rule:engine-handshake. Default true. */
  engine?: boolean;
  /** Run rule:socket-handshake over real loopback sockets. Default true. */
  socket?: boolean;
  /** Concurrent connections in rule:socket-handshake. Default 3. */
  connections?: number;
  /** Seed of the kit's randomness (reproduce a failure by reusing the seed it reports). */
  seed?: string;
  /** Mutated or random tokens tried per position. Default 12. */
  mutations?: number;
  /** Limit for any single mechanism call, in ms. Default 10000. */
  callTimeoutMs?: number;
  /** Largest number of handshake legs before the kit gives up. Default 16. */
  maxLegs?: number;
  /** Run only these rules. */
  only?: RuleId[];
  /** Skip these rules (each shows as skipped with the reason "skipped by options"). */
  skip?: RuleId[];
}

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  rule: RuleId;
  /** The rule in words. */
  title: string;
  status: CheckStatus;
  /** Why it failed or was skipped; for passes, notes (e.g. the flags granted). */
  message?: string;
  error?: ConformanceError;
  durationMs: number;
}

export interface ConformanceReport {
  mechanism: string;
  seed: string;
  passed: boolean;
  results: CheckResult[];
  /** The rules that failed, in check order. */
  failed: RuleId[];
}
