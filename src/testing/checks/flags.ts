/**
 * rule:flags-proven: flags asked versus granted, and each granted flag demonstrated.
 * GSS-API (RFC 2743 §1.2.1.2) lets a mechanism grant more than asked, but never a flag it
 * cannot stand behind: MUTUAL only once the acceptor has proven itself (which needs a
 * token from it), CONF only if sealed tokens hide the message, REPLAY/SEQUENCE only if
 * duplicates and gaps are refused.
 */
import { Flags, type ContextFlags } from '../../core/flags.ts';
import type { SecurityContext } from '../../core/mechanism.ts';
import { attempt } from '../call.ts';
import { ConformanceError } from '../conformance-error.ts';
import { disposeAll, type Kit } from '../kit.ts';
import { expectRefusal, ORDER_CODES } from '../typed-error.ts';
import { containsWindow, directions, infoOf, names, sameBytes, type CheckNote } from './check.ts';

const R = 'rule:flags-proven';

export async function checkFlagsProven(kit: Kit): Promise<CheckNote> {
  const caps = kit.capabilities;
  const claims: Array<[number, string, boolean]> = [
    [Flags.MUTUAL, 'mutual', caps.mutual],
    [Flags.CONF, 'confidentiality', caps.confidentiality],
    [Flags.INTEG, 'integrity', caps.integrity],
    [Flags.REPLAY, 'replayDetection', caps.replayDetection],
    [Flags.SEQUENCE, 'sequenceDetection', caps.sequenceDetection],
  ];
  const notes: string[] = [];
  for (const asked of kit.flagSets) {
    const e = await kit.establish(asked, R);
    try {
      const gi = (await infoOf(kit, e.initiator, R)).flags;
      const ga = (await infoOf(kit, e.acceptor, R)).flags;
      const seen = `asked ${names(asked)}, initiator granted ${names(gi)}, acceptor ${names(ga)}`;
      notes.push(seen);
      for (const [flag, claim, supported] of claims) {
        if (supported && asked & flag && !(gi & flag)) {
          throw new ConformanceError(
            R,
            `${seen}: ${names(flag)} was asked and capabilities.${claim} is true, but it was not granted`,
          );
        }
        if (!supported && (gi | ga) & flag) {
          throw new ConformanceError(
            R,
            `${seen}: ${names(flag)} granted though capabilities.${claim} is false`,
          );
        }
      }
      for (const flag of [Flags.DELEGATE, Flags.ANON]) {
        if (!(asked & flag) && (gi | ga) & flag)
          throw new ConformanceError(R, `${seen}: ${names(flag)} granted but never asked`);
      }
      if (gi & Flags.MUTUAL && e.received.initiator === 0) {
        throw new ConformanceError(
          R,
          `${seen}: the initiator granted MUTUAL without receiving any token from the acceptor`,
        );
      }
      if (ga & Flags.MUTUAL && !(gi & Flags.MUTUAL)) {
        throw new ConformanceError(
          R,
          `${seen}: the acceptor reports MUTUAL but the initiator did not get it`,
        );
      }
      await proveGranted(kit, e.initiator, e.acceptor, gi, ga);
    } finally {
      disposeAll(e.initiator, e.acceptor);
    }
  }
  return notes.join('; ');
}

/** Demonstrates CONF, INTEG, REPLAY and SEQUENCE wherever they are granted. */
async function proveGranted(
  kit: Kit,
  initiator: SecurityContext,
  acceptor: SecurityContext,
  gi: ContextFlags,
  ga: ContextFlags,
): Promise<void> {
  const granted = (ctx: SecurityContext) => (ctx === initiator ? gi : ga);
  const random = kit.nextRandom('flags-proven');
  for (const [from, to] of directions(initiator, acceptor)) {
    const dir = `${from.role} to ${to.role}`;
    if (granted(from) & Flags.CONF) {
      const secret = random(64);
      const token = await kit.call(R, `${from.role}.wrap()`, () => from.wrap(secret, { confidential: true }));
      if (containsWindow(token, secret))
        throw new ConformanceError(R, `CONF granted but a sealed token (${dir}) shows its plaintext`);
      const out = await kit.call(R, `${to.role}.unwrap()`, () => to.unwrap(token));
      if (!out.confidential || !sameBytes(out.message, secret)) {
        throw new ConformanceError(
          R,
          `CONF granted but a sealed token (${dir}) did not unwrap as confidential to the same message`,
        );
      }
    }
    if (granted(from) & Flags.INTEG) {
      const message = random(40);
      const mic = await kit.call(R, `${from.role}.getMic()`, () => from.getMic(message));
      await kit.call(R, `${to.role}.verifyMic()`, () => to.verifyMic(message, mic));
      const other = message.slice();
      other[0]! ^= 1;
      const mic2 = await kit.call(R, `${from.role}.getMic()`, () => from.getMic(message));
      const r = await attempt(kit.callTimeoutMs, R, 'verifyMic(another message)', () =>
        to.verifyMic(other, mic2),
      );
      if (r.ok)
        throw new ConformanceError(R, `INTEG granted but a MIC (${dir}) verified for another message`);
      expectRefusal(r.error, R, `${to.role}.verifyMic(another message)`);
      // Deliver it for real, so sequence state stays in step for what follows.
      await kit.call(R, `${to.role}.verifyMic()`, () => to.verifyMic(message, mic2));
    }
    if (granted(to) & Flags.REPLAY) {
      const token = await kit.call(R, `${from.role}.wrap()`, () =>
        from.wrap(random(8), { confidential: false }),
      );
      await kit.call(R, `${to.role}.unwrap()`, () => to.unwrap(token));
      const r = await attempt(kit.callTimeoutMs, R, 'unwrap(the same token again)', () => to.unwrap(token));
      if (r.ok)
        throw new ConformanceError(
          R,
          `REPLAY granted to the ${to.role} but a token (${dir}) unwrapped twice`,
        );
      expectRefusal(r.error, R, `${to.role}.unwrap(the same token again)`, ORDER_CODES);
    }
    if (granted(to) & Flags.SEQUENCE) {
      const t1 = await kit.call(R, `${from.role}.wrap()`, () =>
        from.wrap(random(8), { confidential: false }),
      );
      const t2 = await kit.call(R, `${from.role}.wrap()`, () =>
        from.wrap(random(8), { confidential: false }),
      );
      const second = await attempt(kit.callTimeoutMs, R, 'unwrap(token 2 before token 1)', () =>
        to.unwrap(t2),
      );
      if (second.ok) {
        const first = await attempt(kit.callTimeoutMs, R, 'unwrap(token 1 after token 2)', () =>
          to.unwrap(t1),
        );
        if (first.ok)
          throw new ConformanceError(
            R,
            `SEQUENCE granted to the ${to.role} but two tokens (${dir}) unwrapped out of order`,
          );
        expectRefusal(first.error, R, `${to.role}.unwrap(token 1 after token 2)`, ORDER_CODES);
      } else {
        expectRefusal(second.error, R, `${to.role}.unwrap(token 2 before token 1)`, ORDER_CODES);
        // Token 1 may then be accepted (the gap was not recorded) or refused too (it was):
        // both fail closed (see rule:reorder-refused).
        const r = await attempt(kit.callTimeoutMs, R, 'unwrap(token 1)', () => to.unwrap(t1));
        if (!r.ok) expectRefusal(r.error, R, `${to.role}.unwrap(token 1 after a refused gap)`, ORDER_CODES);
      }
    }
  }
}
