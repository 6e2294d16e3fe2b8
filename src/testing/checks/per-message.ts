/**
 * rule:wrap-roundtrip, rule:mic-roundtrip, rule:replay-refused, rule:reorder-refused:
 * the per-message operations of an established pair (RFC 2743 §2.3), both directions.
 */
import { Flags, type ContextFlags } from '../../core/flags.ts';
import type { SecurityContext } from '../../core/mechanism.ts';
import { attempt } from '../call.ts';
import { ConformanceError, describeThrown } from '../conformance-error.ts';
import { disposeAll, type Established, type Kit } from '../kit.ts';
import type { RuleId } from '../rules.ts';
import { expectRefusal, expectTypedError, ORDER_CODES } from '../typed-error.ts';
import { directions, infoOf, sameBytes, sampleMessages, type CheckNote } from './check.ts';

async function withPair(
  kit: Kit,
  rule: RuleId,
  body: (e: Established, gi: ContextFlags, ga: ContextFlags) => Promise<CheckNote>,
): Promise<CheckNote> {
  const e = await kit.establish(kit.richFlags, rule);
  try {
    const gi = (await infoOf(kit, e.initiator, rule)).flags;
    const ga = (await infoOf(kit, e.acceptor, rule)).flags;
    return await body(e, gi, ga);
  } finally {
    disposeAll(e.initiator, e.acceptor);
  }
}

/** wrap on `from`, unwrap on `to`, and check everything GSS_Unwrap reports. */
export async function wrapAcross(
  kit: Kit,
  rule: RuleId,
  from: SecurityContext,
  to: SecurityContext,
  message: Uint8Array,
  confidential: boolean,
): Promise<Uint8Array> {
  const before = message.slice();
  const what = `${from.role}.wrap(${message.length} bytes, confidential: ${confidential})`;
  const token = await kit.call(rule, what, () => from.wrap(message, { confidential }));
  if (!(token instanceof Uint8Array) || token.length === 0)
    throw new ConformanceError(rule, `${what} returned no token`);
  if (!sameBytes(before, message))
    throw new ConformanceError(rule, `${what} changed the caller's message buffer`);
  const out = await attempt(kit.callTimeoutMs, rule, `${to.role}.unwrap()`, () => to.unwrap(token.slice()));
  if (!out.ok)
    throw new ConformanceError(
      rule,
      `${to.role}.unwrap() of ${what} threw ${describeThrown(out.error)}`,
      out.error,
    );
  if (!sameBytes(out.value.message, message))
    throw new ConformanceError(rule, `${to.role}.unwrap() of ${what} gave another message`);
  if (out.value.confidential !== confidential) {
    throw new ConformanceError(
      rule,
      `${to.role}.unwrap() of ${what} says confidential: ${out.value.confidential}`,
    );
  }
  if (out.value.qop !== 0)
    throw new ConformanceError(rule, `${to.role}.unwrap() of ${what} says qop ${out.value.qop}, expected 0`);
  return token;
}

export function checkWrapRoundTrip(kit: Kit): Promise<CheckNote> {
  const R = 'rule:wrap-roundtrip';
  return withPair(kit, R, async (e, gi, ga) => {
    const messages = sampleMessages(kit);
    for (const [from, to] of directions(e.initiator, e.acceptor)) {
      const conf = ((from === e.initiator ? gi : ga) & Flags.CONF) !== 0;
      for (const message of messages) {
        await wrapAcross(kit, R, from, to, message, false);
        if (conf) await wrapAcross(kit, R, from, to, message, true);
      }
      if (!conf) {
        // Asked to seal without CONF: either a typed refusal or an honest confidential: false.
        const r = await attempt(kit.callTimeoutMs, R, 'wrap(confidential) without CONF', () =>
          from.wrap(messages[2]!, { confidential: true }),
        );
        if (r.ok) {
          const out = await kit.call(R, `${to.role}.unwrap()`, () => to.unwrap(r.value));
          if (out.confidential)
            throw new ConformanceError(
              R,
              'a context without CONF sealed a message anyway and did not grant CONF',
            );
        } else {
          expectTypedError(r.error, R, `${from.role}.wrap(confidential) without CONF`);
        }
      }
    }
    return `${messages.length} sizes both ways, confidentiality ${(gi & Flags.CONF) !== 0 ? 'on and off' : 'off'}`;
  });
}

export function checkMicRoundTrip(kit: Kit): Promise<CheckNote> {
  const R = 'rule:mic-roundtrip';
  return withPair(kit, R, async (e, gi) => {
    if (!(gi & Flags.INTEG)) return { skip: 'INTEG not granted' };
    for (const [from, to] of directions(e.initiator, e.acceptor)) {
      for (const message of sampleMessages(kit)) {
        const before = message.slice();
        const mic = await kit.call(R, `${from.role}.getMic()`, () => from.getMic(message));
        if (!(mic instanceof Uint8Array) || mic.length === 0)
          throw new ConformanceError(R, `${from.role}.getMic() returned no token`);
        if (!sameBytes(before, message))
          throw new ConformanceError(R, `${from.role}.getMic() changed the caller's message`);
        const r = await attempt(kit.callTimeoutMs, R, `${to.role}.verifyMic()`, () =>
          to.verifyMic(message, mic.slice()),
        );
        if (!r.ok)
          throw new ConformanceError(
            R,
            `${to.role}.verifyMic() of a fresh ${message.length}-byte MIC threw ${describeThrown(r.error)}`,
            r.error,
          );
        if (r.value !== undefined)
          throw new ConformanceError(R, `${to.role}.verifyMic() returned a value; it resolves or throws`);
      }
    }
    return undefined;
  });
}

export function checkReplayRefused(kit: Kit): Promise<CheckNote> {
  const R = 'rule:replay-refused';
  return withPair(kit, R, async (e, gi, ga) => {
    const notes: string[] = [];
    const granted = (ctx: SecurityContext) => (ctx === e.initiator ? gi : ga);
    const random = kit.nextRandom('replay');
    let tried = 0;
    for (const [from, to] of directions(e.initiator, e.acceptor)) {
      if (!(granted(to) & Flags.REPLAY)) {
        if (kit.capabilities.replayDetection && kit.richFlags & Flags.REPLAY) {
          throw new ConformanceError(
            R,
            `REPLAY asked and capabilities.replayDetection is true, but the ${to.role} did not grant it`,
          );
        }
        continue;
      }
      tried++;
      const token = await wrapAcross(kit, R, from, to, random(24), false);
      const again = await attempt(kit.callTimeoutMs, R, 'unwrap(replayed)', () => to.unwrap(token.slice()));
      if (again.ok)
        throw new ConformanceError(R, `a wrap token (${from.role} to ${to.role}) unwrapped twice`);
      expectRefusal(again.error, R, `${to.role}.unwrap(a replayed token)`, ORDER_CODES);
      if (granted(from) & Flags.INTEG) {
        const message = random(24);
        const mic = await kit.call(R, `${from.role}.getMic()`, () => from.getMic(message));
        await kit.call(R, `${to.role}.verifyMic()`, () => to.verifyMic(message, mic));
        const twice = await attempt(kit.callTimeoutMs, R, 'verifyMic(replayed)', () =>
          to.verifyMic(message, mic.slice()),
        );
        if (twice.ok) throw new ConformanceError(R, `a MIC (${from.role} to ${to.role}) verified twice`);
        expectRefusal(twice.error, R, `${to.role}.verifyMic(a replayed MIC)`, ORDER_CODES);
      }
      // The context still works after refusing.
      await wrapAcross(kit, R, from, to, random(24), false);
    }
    notes.push(tried ? `per-message replays refused in ${tried} direction(s)` : 'REPLAY not granted');
    notes.push(await handshakeReplay(kit, e));
    return notes.join('; ');
  });
}

/** A recorded handshake's initiator tokens, replayed to a fresh acceptor of the same credentials. */
async function handshakeReplay(kit: Kit, e: Established): Promise<string> {
  const R = 'rule:replay-refused';
  if (!kit.capabilities.refusesHandshakeReplay)
    return 'handshake replay not checked (capabilities.refusesHandshakeReplay is false)';
  const replayed = await kit.context(e.acceptorMechanism, 'acceptor', e.requested);
  try {
    for (const leg of e.legs) {
      if (leg.from !== 'initiator') continue;
      const r = await attempt(kit.callTimeoutMs, R, 'acceptor.step(replayed token)', () =>
        replayed.step(leg.token.slice()),
      );
      if (!r.ok) {
        const err = expectTypedError(r.error, R, `acceptor.step(replayed leg ${leg.index})`);
        return `replayed handshake refused at leg ${leg.index} with ${err.code}`;
      }
      if (r.value.done) {
        throw new ConformanceError(
          R,
          `a fresh acceptor established a context from a replayed handshake (leg ${leg.index})`,
        );
      }
    }
    return 'replayed handshake never completed';
  } finally {
    disposeAll(replayed);
  }
}

export function checkReorderRefused(kit: Kit): Promise<CheckNote> {
  const R = 'rule:reorder-refused';
  return withPair(kit, R, async (e, gi, ga) => {
    const granted = (ctx: SecurityContext) => (ctx === e.initiator ? gi : ga);
    const random = kit.nextRandom('reorder');
    let tried = 0;
    for (const [from, to] of directions(e.initiator, e.acceptor)) {
      if (!(granted(to) & Flags.SEQUENCE)) {
        if (kit.capabilities.sequenceDetection && kit.richFlags & Flags.SEQUENCE) {
          throw new ConformanceError(
            R,
            `SEQUENCE asked and capabilities.sequenceDetection is true, but the ${to.role} did not grant it`,
          );
        }
        continue;
      }
      tried++;
      const kinds: Array<'wrap' | 'mic'> = granted(from) & Flags.INTEG ? ['wrap', 'mic'] : ['wrap'];
      for (const kind of kinds) {
        const m1 = random(16);
        const m2 = random(16);
        const make = (m: Uint8Array) =>
          kit.call(R, `${from.role}.${kind}()`, () =>
            kind === 'wrap' ? from.wrap(m, { confidential: false }) : from.getMic(m),
          );
        const take = (m: Uint8Array, t: Uint8Array) => (kind === 'wrap' ? to.unwrap(t) : to.verifyMic(m, t));
        const t1 = await make(m1);
        const t2 = await make(m2);
        const early = await attempt(kit.callTimeoutMs, R, `${kind} 2 before 1`, () => take(m2, t2));
        if (early.ok) {
          const late = await attempt(kit.callTimeoutMs, R, `${kind} 1 after 2`, () => take(m1, t1));
          if (late.ok)
            throw new ConformanceError(
              R,
              `SEQUENCE granted but two ${kind} tokens (${from.role} to ${to.role}) were accepted out of order`,
            );
          expectRefusal(late.error, R, `${to.role} taking ${kind} token 1 after token 2`, ORDER_CODES);
        } else {
          expectRefusal(early.error, R, `${to.role} taking ${kind} token 2 before token 1`, ORDER_CODES);
          // A refused gap may or may not be recorded: then tokens 1 and 2 are either accepted
          // or refused as out of order / duplicate. Both fail closed.
          for (const [m, t, n] of [
            [m1, t1, 1],
            [m2, t2, 2],
          ] as const) {
            const r = await attempt(kit.callTimeoutMs, R, `${kind} ${n}`, () => take(m, t));
            if (!r.ok)
              expectRefusal(
                r.error,
                R,
                `${to.role} taking ${kind} token ${n} after a refused gap`,
                ORDER_CODES,
              );
          }
        }
        // Either way the context recovers: the next token is in order.
        const m3 = random(16);
        const t3 = await make(m3);
        const r3 = await attempt(kit.callTimeoutMs, R, `${kind} 3`, () => take(m3, t3));
        if (!r3.ok) {
          throw new ConformanceError(
            R,
            `after the reordering, the ${to.role} refused the next ${kind} token: ${describeThrown(r3.error)}`,
            r3.error,
          );
        }
      }
    }
    if (tried === 0) return { skip: 'SEQUENCE not granted (capabilities.sequenceDetection is false)' };
    return `out-of-order tokens refused in ${tried} direction(s)`;
  });
}
