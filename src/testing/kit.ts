/**
 * The kit's working state for one run: resolved options, fresh mechanisms and contexts
 * per scenario (each with its own injected randomness, derived from the run's seed so a
 * failure can be reproduced), and an established pair on demand.
 */
import { DEFAULT_FLAGS, Flags, type ContextFlags } from '../core/flags.ts';
import type {
  Clock,
  ContextOptions,
  Mechanism,
  RandomSource,
  Role,
  SecurityContext,
} from '../core/mechanism.ts';
import { defaultClock } from '../core/random.ts';
import { callWithin } from './call.ts';
import { ConformanceError, describeThrown } from './conformance-error.ts';
import { seededRandom } from './inject.ts';
import type { RuleId } from './rules.ts';
import { type Leg, runStepLoop, type StepLoopOptions } from './step-loop.ts';
import type { ConformanceCapabilities, ConformanceOptions, MechanismFactory } from './types.ts';

export const FULL_FLAGS: ContextFlags =
  Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE | Flags.CONF | Flags.INTEG;

export interface Injection {
  clock?: Clock;
  random?: RandomSource;
}

export interface Pair {
  initiator: SecurityContext;
  acceptor: SecurityContext;
  /** The acceptor's Mechanism (replay caches live there). */
  acceptorMechanism: Mechanism;
  requested: ContextFlags;
}

export interface Established extends Pair {
  legs: Leg[];
  /** Tokens each side received during the handshake. */
  received: Record<Role, number>;
}

export class Kit {
  readonly options: ConformanceOptions;
  readonly capabilities: Required<ConformanceCapabilities>;
  readonly seed: string;
  readonly callTimeoutMs: number;
  readonly maxLegs: number;
  readonly mutations: number;
  readonly flagSets: ContextFlags[];
  #streams = 0;

  constructor(options: ConformanceOptions) {
    if (!options.mechanism && !(options.initiator && options.acceptor)) {
      throw new ConformanceError(
        'rule:handshake',
        'options need `mechanism`, or both `initiator` and `acceptor`',
      );
    }
    this.options = options;
    const c = options.capabilities ?? {};
    this.capabilities = {
      mutual: c.mutual ?? true,
      confidentiality: c.confidentiality ?? true,
      integrity: c.integrity ?? true,
      replayDetection: c.replayDetection ?? true,
      sequenceDetection: c.sequenceDetection ?? false,
      refusesHandshakeReplay: c.refusesHandshakeReplay ?? true,
      deterministic: c.deterministic ?? false,
    };
    this.seed = options.seed ?? 'gssock-conformance';
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.maxLegs = options.maxLegs ?? 16;
    this.mutations = options.mutations ?? 12;
    this.flagSets = options.flags ?? [DEFAULT_FLAGS, FULL_FLAGS];
  }

  /** The flag set used for per-message checks: the richest one tried. */
  get richFlags(): ContextFlags {
    let best = this.flagSets[0] ?? DEFAULT_FLAGS;
    for (const f of this.flagSets) if (popcount(f) > popcount(best)) best = f;
    return best;
  }

  /** A fresh, reproducible random stream for one context. */
  nextRandom(label: string): RandomSource {
    return seededRandom(`${this.seed}/${label}/${this.#streams++}`);
  }

  factory(role: Role | 'impostor'): MechanismFactory {
    const o = this.options;
    const f =
      role === 'impostor'
        ? o.impostor
        : role === 'initiator'
          ? (o.initiator ?? o.mechanism)
          : (o.acceptor ?? o.mechanism);
    if (!f) throw new ConformanceError('rule:mutual-enforced', `no ${role} factory`);
    return f;
  }

  async mechanism(role: Role | 'impostor', inject: Injection = {}): Promise<Mechanism> {
    const contextRole: Role = role === 'impostor' ? 'acceptor' : role;
    const clock = inject.clock ?? defaultClock;
    const random = inject.random ?? this.nextRandom(`mechanism-${role}`);
    const make = this.factory(role);
    const m = await callWithin(this.callTimeoutMs, 'rule:handshake', `the ${role} factory`, () =>
      make({ role: contextRole, clock, random }),
    );
    if (
      !m ||
      typeof m.createContext !== 'function' ||
      typeof m.name !== 'string' ||
      typeof m.oid !== 'string'
    ) {
      throw new ConformanceError('rule:handshake', `the ${role} factory did not return a Mechanism`);
    }
    return m;
  }

  async context(
    mechanism: Mechanism,
    role: Role,
    flags: ContextFlags,
    inject: Injection = {},
  ): Promise<SecurityContext> {
    const options: ContextOptions = {
      flags,
      clock: inject.clock ?? defaultClock,
      random: inject.random ?? this.nextRandom(`context-${role}`),
    };
    if (role === 'initiator' && this.options.target !== undefined) options.target = this.options.target;
    if (role === 'acceptor' && this.options.acceptorName !== undefined)
      options.acceptorName = this.options.acceptorName;
    let ctx: SecurityContext;
    try {
      ctx = await callWithin(
        this.callTimeoutMs,
        'rule:handshake',
        `${mechanism.name}.createContext('${role}')`,
        () => mechanism.createContext(role, options),
      );
    } catch (e) {
      if (e instanceof ConformanceError) throw e;
      throw new ConformanceError('rule:handshake', `createContext('${role}') threw ${describeThrown(e)}`, e);
    }
    if (ctx.role !== role)
      throw new ConformanceError(
        'rule:handshake',
        `createContext('${role}') made a context whose role is ${ctx.role}`,
      );
    return ctx;
  }

  /** Fresh mechanisms and a fresh context for each role. */
  async pair(
    flags: ContextFlags,
    inject: { initiator?: Injection; acceptor?: Injection } = {},
  ): Promise<Pair> {
    const im = await this.mechanism('initiator', inject.initiator);
    const am = await this.mechanism('acceptor', inject.acceptor);
    return {
      initiator: await this.context(im, 'initiator', flags, inject.initiator),
      acceptor: await this.context(am, 'acceptor', flags, inject.acceptor),
      acceptorMechanism: am,
      requested: flags,
    };
  }

  loopOptions(rule: RuleId, mutate?: StepLoopOptions['mutate']): StepLoopOptions {
    const o: StepLoopOptions = { maxLegs: this.maxLegs, callTimeoutMs: this.callTimeoutMs, rule };
    if (mutate) o.mutate = mutate;
    return o;
  }

  /** A pair driven to completion; any throw from the mechanism fails `rule`. */
  async establish(
    flags: ContextFlags,
    rule: RuleId = 'rule:handshake',
    inject?: Parameters<Kit['pair']>[1],
  ): Promise<Established> {
    const pair = await this.pair(flags, inject);
    const r = await runStepLoop(pair.initiator, pair.acceptor, this.loopOptions(rule));
    if (!r.ok) {
      if ('stalled' in r) throw new ConformanceError(rule, 'the handshake stalled');
      throw new ConformanceError(
        rule,
        `the handshake failed: the ${r.side} threw ${describeThrown(r.error)}`,
        r.error,
      );
    }
    return { ...pair, legs: r.legs, received: r.received };
  }

  call<T>(rule: RuleId, what: string, fn: () => T | Promise<T>): Promise<T> {
    return callWithin(this.callTimeoutMs, rule, what, fn);
  }
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v &= v - 1) c++;
  return c;
}

/** Disposes contexts, ignoring errors (cleanup after a check). */
export function disposeAll(...contexts: Array<SecurityContext | undefined>): void {
  for (const c of contexts) {
    try {
      c?.dispose();
    } catch {
      // The check already reported what mattered.
    }
  }
}
