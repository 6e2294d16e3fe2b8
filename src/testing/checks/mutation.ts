/**
 * rule:tamper-refused, rule:truncated-refused, rule:random-tokens: what a mechanism does
 * with tokens an attacker or a broken peer made. Per-message tokens must be refused with a
 * typed peer error and leave the context usable. A mutated handshake token must end in a
 * typed error, or leave a side waiting (a real peer would time out), or, if both sides
 * still establish, do no harm: same flags as without the mutation, and the two contexts
 * still understand each other.
 */
import { Flags, type ContextFlags } from '../../core/flags.ts';
import type { SecurityContext } from '../../core/mechanism.ts';
import { attempt } from '../call.ts';
import { ConformanceError, describeThrown } from '../conformance-error.ts';
import { seededInts } from '../inject.ts';
import { disposeAll, type Kit } from '../kit.ts';
import type { RuleId } from '../rules.ts';
import { runStepLoop } from '../step-loop.ts';
import { expectRefusal, expectTypedError } from '../typed-error.ts';
import { infoOf, names, type CheckNote } from './check.ts';

type Mutator = (token: Uint8Array) => Uint8Array[];

/** One bit flipped at each sampled position: all of a short token, the ends and a sample of a long one. */
function flips(kit: Kit, label: string, limit: number): Mutator {
  const pick = seededInts(`${kit.seed}/${label}`);
  return (token) => {
    const positions = new Set<number>();
    if (token.length <= limit) for (let i = 0; i < token.length; i++) positions.add(i);
    else {
      const edge = Math.min(8, Math.floor(limit / 4));
      for (let i = 0; i < edge; i++) positions.add(i).add(token.length - 1 - i);
      while (positions.size < limit) positions.add(pick(token.length));
    }
    return [...positions].map((p) => {
      const t = token.slice();
      t[p]! ^= 1 << pick(8);
      return t;
    });
  };
}

const truncations: Mutator = (token) =>
  [...new Set([0, 1, token.length >> 1, token.length - 1])]
    .filter((n) => n < token.length)
    .map((n) => token.slice(0, n));

function randoms(kit: Kit, label: string): Mutator {
  const random = kit.nextRandom(label);
  return (token) => {
    const n = token.length;
    const lengths = [0, 1, 16, n - 1, n, n + 1, Math.min(4 * n, 65536)].filter((l) => l >= 0);
    const out = [...new Set(lengths)].map((l) => random(l));
    // Random bodies behind the token's real first bytes get past magic numbers and headers.
    for (const keep of [4, 16])
      if (n > keep) out.push(Uint8Array.from([...token.subarray(0, keep), ...random(n - keep)]));
    return out;
  };
}

/** Mutates each handshake leg in turn, one fresh handshake per variant, and judges the outcome. */
async function mutateHandshake(kit: Kit, rule: RuleId, mutator: Mutator): Promise<string> {
  const flags = kit.richFlags;
  const base = await kit.establish(flags, rule);
  const baseFlags = (await infoOf(kit, base.initiator, rule)).flags;
  const legCount = base.legs.length;
  disposeAll(base.initiator, base.acceptor);
  const tally = { refused: 0, stalled: 0, harmless: 0 };
  for (let index = 0; index < legCount; index++) {
    // The variants are made from each run's own live token (nonces differ run to run).
    for (let variant = 0; ; variant++) {
      const pair = await kit.pair(flags);
      let applied = false;
      try {
        const r = await runStepLoop(pair.initiator, pair.acceptor, {
          ...kit.loopOptions(rule, (leg) => {
            if (leg.index !== index) return undefined;
            const all = mutator(leg.token);
            if (variant >= all.length) return undefined;
            applied = true;
            return all[variant];
          }),
          stallIsOutcome: true,
        });
        if (!applied) break;
        const what = `after leg ${index} (${base.legs[index]!.from}) was mutated (variant ${variant})`;
        if (r.ok) {
          await expectHarmless(kit, rule, pair.initiator, pair.acceptor, baseFlags, what);
          tally.harmless++;
        } else if ('stalled' in r) {
          tally.stalled++;
        } else {
          expectTypedError(r.error, rule, `${r.side}.step() ${what}`);
          tally.refused++;
        }
      } finally {
        disposeAll(pair.initiator, pair.acceptor);
      }
    }
  }
  return `handshake (${legCount} legs): ${tally.refused} refused, ${tally.stalled} left waiting, ${tally.harmless} harmless`;
}

async function expectHarmless(
  kit: Kit,
  rule: RuleId,
  initiator: SecurityContext,
  acceptor: SecurityContext,
  baseFlags: ContextFlags,
  what: string,
): Promise<void> {
  const granted = (await infoOf(kit, initiator, rule)).flags;
  if (granted !== baseFlags) {
    throw new ConformanceError(
      rule,
      `both sides established ${what}, with flags ${names(granted)} instead of ${names(baseFlags)}: an undetected downgrade`,
    );
  }
  const message = Uint8Array.of(1, 2, 3, 4);
  for (const [from, to] of [
    [initiator, acceptor],
    [acceptor, initiator],
  ] as const) {
    const r = await attempt(kit.callTimeoutMs, rule, 'wrap/unwrap', async () =>
      to.unwrap(await from.wrap(message, { confidential: false })),
    );
    if (!r.ok) {
      throw new ConformanceError(
        rule,
        `both sides established ${what}, but they no longer understand each other (${describeThrown(r.error)}): the mutation went undetected`,
        r.error,
      );
    }
  }
}

/** Per-message tokens of each kind, mutated, must all be refused; the original still works after. */
async function mutatePerMessage(kit: Kit, rule: RuleId, mutator: Mutator): Promise<string> {
  const e = await kit.establish(kit.richFlags, rule);
  let refused = 0;
  try {
    const gi = (await infoOf(kit, e.initiator, rule)).flags;
    const ga = (await infoOf(kit, e.acceptor, rule)).flags;
    const random = kit.nextRandom(`${rule}/messages`);
    for (const [from, to, granted] of [
      [e.initiator, e.acceptor, gi],
      [e.acceptor, e.initiator, ga],
    ] as const) {
      const kinds: Array<'seal' | 'wrap' | 'mic'> = ['wrap'];
      if (granted & Flags.CONF) kinds.push('seal');
      if (granted & Flags.INTEG) kinds.push('mic');
      for (const kind of kinds) {
        const message = random(48);
        const token = await kit.call(rule, `${from.role}.${kind === 'mic' ? 'getMic' : 'wrap'}()`, () =>
          kind === 'mic' ? from.getMic(message) : from.wrap(message, { confidential: kind === 'seal' }),
        );
        const take = (t: Uint8Array) => (kind === 'mic' ? to.verifyMic(message, t) : to.unwrap(t));
        for (const bad of mutator(token)) {
          const what = `${to.role} taking a mutated ${kind} token (${bad.length} of ${token.length} bytes)`;
          const r = await attempt(kit.callTimeoutMs, rule, what, () => take(bad));
          if (r.ok) throw new ConformanceError(rule, `${what} accepted it`);
          expectRefusal(r.error, rule, what);
          refused++;
        }
        if (kind === 'mic' && rule === 'rule:tamper-refused') {
          for (const other of flips(kit, 'mic-message', 8)(message)) {
            const what = `${to.role}.verifyMic() of a tampered message`;
            const r = await attempt(kit.callTimeoutMs, rule, what, () => to.verifyMic(other, token));
            if (r.ok) throw new ConformanceError(rule, `${what} accepted it`);
            expectRefusal(r.error, rule, what);
            refused++;
          }
        }
        const r = await attempt(kit.callTimeoutMs, rule, 'the original token', () => take(token));
        if (!r.ok) {
          throw new ConformanceError(
            rule,
            `after refusing mutated ${kind} tokens, the ${to.role} refused the genuine one (${describeThrown(r.error)}): a forged token changed its state`,
            r.error,
          );
        }
      }
    }
  } finally {
    disposeAll(e.initiator, e.acceptor);
  }
  return `${refused} mutated per-message tokens refused`;
}

export async function checkTamperRefused(kit: Kit): Promise<CheckNote> {
  const R = 'rule:tamper-refused';
  const perMessage = await mutatePerMessage(kit, R, flips(kit, 'tamper-message', 96));
  const handshake = await mutateHandshake(kit, R, flips(kit, 'tamper-handshake', kit.mutations));
  return `${perMessage}; ${handshake}`;
}

export async function checkTruncatedRefused(kit: Kit): Promise<CheckNote> {
  const R = 'rule:truncated-refused';
  const perMessage = await mutatePerMessage(kit, R, truncations);
  const handshake = await mutateHandshake(kit, R, truncations);
  return `${perMessage}; ${handshake}`;
}

export async function checkRandomTokens(kit: Kit): Promise<CheckNote> {
  const R = 'rule:random-tokens';
  const perMessage = await mutatePerMessage(kit, R, randoms(kit, 'random-message'));
  const handshake = await mutateHandshake(kit, R, randoms(kit, 'random-handshake'));
  return `${perMessage}; ${handshake}`;
}
