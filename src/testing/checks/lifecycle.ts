/**
 * rule:dispose-wipes and rule:deterministic: a context's end (keys gone, every call
 * refused) and its dependence on nothing but the injected clock and randomness.
 */
import { toHex } from '../../core/bytes.ts';
import { Flags } from '../../core/flags.ts';
import type { SecurityContext } from '../../core/mechanism.ts';
import { attempt } from '../call.ts';
import { ConformanceError, describeThrown } from '../conformance-error.ts';
import { fixedClock, seededRandom } from '../inject.ts';
import { disposeAll, type Kit } from '../kit.ts';
import { expectCode } from '../typed-error.ts';
import { infoOf, sameBytes, type CheckNote } from './check.ts';

const D = 'rule:dispose-wipes';

export async function checkDisposeWipes(kit: Kit): Promise<CheckNote> {
  const notes: string[] = [];
  const e = await kit.establish(kit.richFlags, D);
  try {
    const message = Uint8Array.of(9, 8, 7);
    const keys: Array<[SecurityContext, Uint8Array | undefined]> = [];
    const tokens = new Map<SecurityContext, { wrap: Uint8Array; mic: Uint8Array }>();
    for (const [ctx, peer] of [
      [e.initiator, e.acceptor],
      [e.acceptor, e.initiator],
    ] as const) {
      const info = await infoOf(kit, ctx, D);
      keys.push([ctx, info.sessionKey]);
      const wrap = await kit.call(D, `${peer.role}.wrap()`, () => peer.wrap(message));
      const mic =
        info.flags & Flags.INTEG
          ? await kit.call(D, `${peer.role}.getMic()`, () => peer.getMic(message))
          : wrap;
      tokens.set(ctx, { wrap, mic });
    }
    for (const ctx of [e.initiator, e.acceptor]) {
      const t = tokens.get(ctx)!;
      const r = await attempt(kit.callTimeoutMs, D, `${ctx.role}.dispose()`, () => ctx.dispose());
      if (!r.ok)
        throw new ConformanceError(D, `${ctx.role}.dispose() threw ${describeThrown(r.error)}`, r.error);
      await expectRefusedAfterDispose(kit, ctx, message, t.wrap, t.mic);
      const again = await attempt(kit.callTimeoutMs, D, `${ctx.role}.dispose() again`, () => ctx.dispose());
      if (!again.ok)
        throw new ConformanceError(
          D,
          `a second ${ctx.role}.dispose() threw; dispose() must be idempotent`,
          again.error,
        );
    }
    for (const [ctx, key] of keys) {
      if (!key) continue;
      const zeroed = key.every((b) => b === 0);
      notes.push(`${ctx.role} sessionKey ${zeroed ? 'wiped in place' : 'was a copy (the caller wipes it)'}`);
    }
  } finally {
    disposeAll(e.initiator, e.acceptor);
  }
  // Disposed half-way through a handshake, and before any step.
  const pair = await kit.pair(kit.richFlags);
  try {
    const first = await kit.call(D, 'initiator.step(null)', () => pair.initiator.step(null));
    pair.initiator.dispose();
    pair.acceptor.dispose();
    for (const [ctx, input] of [
      [pair.initiator, Uint8Array.of(1, 2, 3)],
      [pair.acceptor, first.outputToken ?? Uint8Array.of(1, 2, 3)],
    ] as const) {
      const what = `${ctx.role}.step() after dispose()`;
      const r = await attempt(kit.callTimeoutMs, D, what, () => ctx.step(input));
      if (r.ok) throw new ConformanceError(D, `${what} returned a result`);
      expectCode(r.error, ['INVALID_STATE'], D, what);
    }
  } finally {
    disposeAll(pair.initiator, pair.acceptor);
  }
  return notes.join('; ') || undefined;
}

async function expectRefusedAfterDispose(
  kit: Kit,
  ctx: SecurityContext,
  message: Uint8Array,
  wrapToken: Uint8Array,
  micToken: Uint8Array,
): Promise<void> {
  const calls: Array<[string, () => unknown]> = [
    ['wrap()', () => ctx.wrap(message)],
    ['unwrap()', () => ctx.unwrap(wrapToken)],
    ['getMic()', () => ctx.getMic(message)],
    ['verifyMic()', () => ctx.verifyMic(message, micToken)],
    ['step()', () => ctx.step(Uint8Array.of(1))],
  ];
  for (const [name, fn] of calls) {
    const what = `${ctx.role}.${name} after dispose()`;
    const r = await attempt(kit.callTimeoutMs, D, what, fn);
    if (r.ok) throw new ConformanceError(D, `${what} still worked: the keys were not released`);
    expectCode(r.error, ['INVALID_STATE'], D, what);
  }
  const info = await attempt(kit.callTimeoutMs, D, `${ctx.role}.info() after dispose()`, () => ctx.info());
  if (info.ok) {
    const key = info.value.sessionKey;
    if (key && !key.every((b) => b === 0))
      throw new ConformanceError(D, `${ctx.role}.info() after dispose() still hands out the session key`);
  } else {
    expectCode(info.error, ['INVALID_STATE'], D, `${ctx.role}.info() after dispose()`);
  }
}

const T = 'rule:deterministic';

/** Every byte a run produces: handshake tokens, then a wrap and a MIC each way. */
async function transcript(kit: Kit, seed: string, now: number): Promise<Uint8Array[]> {
  const side = (role: string) => ({
    clock: fixedClock(now),
    random: seededRandom(`${kit.seed}/deterministic/${seed}/${role}`),
  });
  const e = await kit.establish(kit.richFlags, T, {
    initiator: side('initiator'),
    acceptor: side('acceptor'),
  });
  try {
    const out = e.legs.map((l) => l.token);
    const message = Uint8Array.of(1, 2, 3, 4, 5);
    for (const ctx of [e.initiator, e.acceptor]) {
      const flags = (await infoOf(kit, ctx, T)).flags;
      out.push(
        await kit.call(T, `${ctx.role}.wrap()`, () =>
          ctx.wrap(message, { confidential: (flags & Flags.CONF) !== 0 }),
        ),
      );
      if (flags & Flags.INTEG) out.push(await kit.call(T, `${ctx.role}.getMic()`, () => ctx.getMic(message)));
    }
    return out;
  } finally {
    disposeAll(e.initiator, e.acceptor);
  }
}

export async function checkDeterministic(kit: Kit): Promise<CheckNote> {
  if (!kit.capabilities.deterministic) return { skip: 'capabilities.deterministic is not declared' };
  const now = Date.now();
  const a = await transcript(kit, 'A', now);
  const b = await transcript(kit, 'A', now);
  if (a.length !== b.length)
    throw new ConformanceError(
      T,
      `two runs with the same clock and randomness produced ${a.length} and ${b.length} tokens`,
    );
  for (let i = 0; i < a.length; i++) {
    if (!sameBytes(a[i]!, b[i]!)) {
      throw new ConformanceError(
        T,
        `token ${i} differs between two runs with the same clock and randomness (${toHex(a[i]!.subarray(0, 16))}… versus ${toHex(b[i]!.subarray(0, 16))}…): something else feeds it`,
      );
    }
  }
  const c = await transcript(kit, 'B', now);
  if (c.length === a.length && c.every((t, i) => sameBytes(t, a[i]!))) {
    throw new ConformanceError(
      T,
      'another seed gave the very same tokens: the injected randomness is not used',
    );
  }
  return `${a.length} tokens byte-identical under the same clock and seed`;
}
