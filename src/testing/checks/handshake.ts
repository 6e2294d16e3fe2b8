/**
 * rule:handshake, rule:send-every-token, rule:done-once, rule:typed-errors: the context
 * establishment contract of mechanism.ts, checked by driving both roles with the step loop.
 */
import type { SecurityContext } from '../../core/mechanism.ts';
import { attempt } from '../call.ts';
import { ConformanceError } from '../conformance-error.ts';
import { disposeAll, type Kit } from '../kit.ts';
import { expectCode, expectTypedError } from '../typed-error.ts';
import { infoOf, names, type CheckNote } from './check.ts';

const OID = /^[0-2](\.(0|[1-9][0-9]*))+$/;

export async function checkHandshake(kit: Kit): Promise<CheckNote> {
  const notes: string[] = [];
  for (const flags of kit.flagSets) {
    const e = await kit.establish(flags, 'rule:handshake');
    try {
      const ii = await infoOf(kit, e.initiator, 'rule:handshake');
      const ai = await infoOf(kit, e.acceptor, 'rule:handshake');
      for (const [role, info] of [
        ['initiator', ii],
        ['acceptor', ai],
      ] as const) {
        if (typeof info.mechanism !== 'string' || info.mechanism === '') {
          throw new ConformanceError('rule:handshake', `${role}.info().mechanism is not a non-empty string`);
        }
        if (typeof info.mechanismOid !== 'string' || !OID.test(info.mechanismOid)) {
          throw new ConformanceError(
            'rule:handshake',
            `${role}.info().mechanismOid ${String(info.mechanismOid)} is not a dotted OID`,
          );
        }
        if (!Number.isInteger(info.flags) || info.flags < 0) {
          throw new ConformanceError('rule:handshake', `${role}.info().flags is not a flag bitmask`);
        }
        if (typeof info.peerName !== 'string' || typeof info.localName !== 'string') {
          throw new ConformanceError('rule:handshake', `${role}.info() peerName/localName are not strings`);
        }
        if (info.sessionKey !== undefined && !(info.sessionKey instanceof Uint8Array)) {
          throw new ConformanceError('rule:handshake', `${role}.info().sessionKey is not a Uint8Array`);
        }
      }
      if (ii.mechanismOid !== ai.mechanismOid) {
        throw new ConformanceError(
          'rule:handshake',
          `the sides disagree on the mechanism: ${ii.mechanismOid} versus ${ai.mechanismOid}`,
        );
      }
      notes.push(
        `${names(flags)}: ${e.legs.length} legs, initiator ${names(ii.flags)}, acceptor ${names(ai.flags)}`,
      );
    } finally {
      disposeAll(e.initiator, e.acceptor);
    }
  }
  return notes.join('; ');
}

export async function checkSendEveryToken(kit: Kit): Promise<CheckNote> {
  // The loop itself enforces the token rules; here each flag set gets its own run.
  const notes: string[] = [];
  for (const flags of kit.flagSets) {
    const e = await kit.establish(flags, 'rule:send-every-token');
    notes.push(
      `${names(flags)}: ${e.legs.map((l) => `${l.from === 'initiator' ? 'I' : 'A'}${l.token.length}`).join(' ')}`,
    );
    disposeAll(e.initiator, e.acceptor);
  }
  return notes.join('; ');
}

export async function checkDoneOnce(kit: Kit): Promise<CheckNote> {
  const e = await kit.establish(kit.richFlags, 'rule:done-once');
  try {
    const junk = kit.nextRandom('done-once')(32);
    for (const ctx of [e.initiator, e.acceptor]) {
      for (const input of [junk, null]) {
        const what = `${ctx.role}.step(${input ? 'a token' : 'null'}) after done`;
        const r = await attempt(kit.callTimeoutMs, 'rule:done-once', what, () => ctx.step(input));
        if (r.ok)
          throw new ConformanceError(
            'rule:done-once',
            `${what} returned a result; it must throw INVALID_STATE`,
          );
        expectCode(r.error, ['INVALID_STATE'], 'rule:done-once', what);
        if (!ctx.established)
          throw new ConformanceError('rule:done-once', `${what} made the context forget it was established`);
      }
    }
  } finally {
    disposeAll(e.initiator, e.acceptor);
  }
  return undefined;
}

/** Per-message calls before establishment, and step(null) where a token is due. */
export async function checkTypedErrors(kit: Kit): Promise<CheckNote> {
  const pair = await kit.pair(kit.richFlags);
  const message = Uint8Array.of(1, 2, 3);
  const token = kit.nextRandom('typed-errors')(64);
  try {
    for (const ctx of [pair.initiator, pair.acceptor]) await expectNotReady(kit, ctx, message, token);
    // The acceptor always needs a token first.
    const acc = pair.acceptor;
    const r = await attempt(kit.callTimeoutMs, 'rule:typed-errors', 'acceptor.step(null)', () =>
      acc.step(null),
    );
    if (r.ok)
      throw new ConformanceError(
        'rule:typed-errors',
        'acceptor.step(null) returned a result; an acceptor needs a token',
      );
    expectTypedError(r.error, 'rule:typed-errors', 'acceptor.step(null)');
    // An initiator waiting for the acceptor's token, given null again.
    const third = await kit.pair(kit.richFlags);
    try {
      const first = await kit.call('rule:typed-errors', 'initiator.step(null)', () =>
        third.initiator.step(null),
      );
      if (!first.done) {
        const again = await attempt(
          kit.callTimeoutMs,
          'rule:typed-errors',
          'initiator.step(null) twice',
          () => third.initiator.step(null),
        );
        if (again.ok) {
          throw new ConformanceError(
            'rule:typed-errors',
            'initiator.step(null) while a token is due returned a result',
          );
        }
        expectTypedError(again.error, 'rule:typed-errors', 'initiator.step(null) while a token is due');
      }
    } finally {
      disposeAll(third.initiator, third.acceptor);
    }
  } finally {
    disposeAll(pair.initiator, pair.acceptor);
  }
  return undefined;
}

async function expectNotReady(
  kit: Kit,
  ctx: SecurityContext,
  message: Uint8Array,
  token: Uint8Array,
): Promise<void> {
  const calls: Array<[string, () => unknown]> = [
    ['info()', () => ctx.info()],
    ['wrap()', () => ctx.wrap(message)],
    ['unwrap()', () => ctx.unwrap(token)],
    ['getMic()', () => ctx.getMic(message)],
    ['verifyMic()', () => ctx.verifyMic(message, token)],
  ];
  for (const [name, fn] of calls) {
    const what = `${ctx.role}.${name} before establishment`;
    const r = await attempt(kit.callTimeoutMs, 'rule:typed-errors', what, fn);
    if (r.ok)
      throw new ConformanceError(
        'rule:typed-errors',
        `${what} returned a result; it must throw INVALID_STATE`,
      );
    const err = expectCode(r.error, ['INVALID_STATE'], 'rule:typed-errors', what);
    if (err.origin !== 'local') {
      throw new ConformanceError(
        'rule:typed-errors',
        `${what} threw INVALID_STATE with origin '${err.origin}'; misuse is 'local'`,
      );
    }
  }
}
