/**
 * The kit's in-memory handshake driver: two contexts and a loop, no engine, no socket.
 * It delivers every token to the other side and watches the token rules as it goes
 * (rule:send-every-token, rule:done-once). A mechanism's own throw ends the loop and is
 * returned (who threw, at which leg), so callers decide whether that throw was right.
 */
import type { Role, SecurityContext, StepResult } from '../core/mechanism.ts';
import { callWithin } from './call.ts';
import { ConformanceError, describeThrown } from './conformance-error.ts';
import type { RuleId } from './rules.ts';

/** One token sent during the handshake. */
export interface Leg {
  index: number;
  from: Role;
  /** A copy of the token as the sender returned it. */
  token: Uint8Array;
}

export interface StepLoopOptions {
  maxLegs: number;
  callTimeoutMs: number;
  /** Rule a hang is reported under. */
  rule: RuleId;
  /** Replaces the token of a leg before delivery (tamper, truncate, random); undefined keeps it. */
  mutate?: (leg: Leg) => Uint8Array | undefined;
  /**
   * A side left waiting (or a token sent to a side already done) is an outcome, not a rule
   * break: after a mutation or against an impostor, a real peer would time out or close.
   */
  stallIsOutcome?: boolean;
}

export type StepLoopResult =
  | { ok: true; legs: Leg[]; received: Record<Role, number> }
  | { ok: false; legs: Leg[]; received: Record<Role, number>; side: Role; error: unknown; mutated: boolean }
  | {
      ok: false;
      stalled: true;
      legs: Leg[];
      received: Record<Role, number>;
      established: Record<Role, boolean>;
    };

const other = (role: Role): Role => (role === 'initiator' ? 'acceptor' : 'initiator');

export async function runStepLoop(
  initiator: SecurityContext,
  acceptor: SecurityContext,
  options: StepLoopOptions,
): Promise<StepLoopResult> {
  const contexts: Record<Role, SecurityContext> = { initiator, acceptor };
  const done: Record<Role, boolean> = { initiator: false, acceptor: false };
  const received: Record<Role, number> = { initiator: 0, acceptor: 0 };
  const legs: Leg[] = [];
  // The arrays step() returned, with a snapshot, to catch a buffer reused after return.
  const issued: Array<{ original: Uint8Array; copy: Uint8Array; leg: number }> = [];
  let mutated = false;

  for (const role of ['initiator', 'acceptor'] as const) {
    if (contexts[role].established) {
      throw new ConformanceError('rule:done-once', `the ${role} says established before its first step`);
    }
  }

  let side: Role = 'initiator';
  let input: Uint8Array | null = null;
  for (;;) {
    let result: StepResult;
    try {
      const ctx = contexts[side];
      const token = input;
      result = await callWithin(options.callTimeoutMs, options.rule, `${side}.step()`, () => ctx.step(token));
    } catch (error) {
      if (error instanceof ConformanceError) throw error;
      return { ok: false, legs, received, side, error, mutated };
    }
    checkIssued(issued);
    checkResult(result, side, contexts[side]);
    if (result.done) done[side] = true;
    const peer = other(side);
    if (result.outputToken !== undefined) {
      const leg: Leg = { index: legs.length, from: side, token: result.outputToken.slice() };
      legs.push(leg);
      issued.push({ original: result.outputToken, copy: leg.token, leg: leg.index });
      if (legs.length > options.maxLegs) {
        throw new ConformanceError(
          'rule:handshake',
          `the handshake did not finish within ${options.maxLegs} legs`,
        );
      }
      if (done[peer]) {
        if (options.stallIsOutcome)
          return { ok: false, stalled: true, legs, received, established: { ...done } };
        throw new ConformanceError(
          'rule:send-every-token',
          `the ${side} sent a token (leg ${leg.index}) after the ${peer} had returned done; nobody would read it`,
        );
      }
      const replacement = options.mutate?.(leg);
      if (replacement !== undefined) mutated = true;
      // Deliver a fresh copy: the two sides must never share a buffer.
      input = replacement ?? leg.token.slice();
      received[peer]++;
      side = peer;
      continue;
    }
    if (done.initiator && done.acceptor) return { ok: true, legs, received };
    if (options.stallIsOutcome) return { ok: false, stalled: true, legs, received, established: { ...done } };
    throw new ConformanceError(
      'rule:send-every-token',
      done[side]
        ? `the ${side} returned done without a token, but the ${peer} is not done and waits for one (after ${legs.length} legs)`
        : `the ${side} returned neither a token nor done, so both sides wait (after ${legs.length} legs)`,
    );
  }
}

function checkResult(result: StepResult, side: Role, ctx: SecurityContext): void {
  if (typeof result !== 'object' || result === null || typeof result.done !== 'boolean') {
    throw new ConformanceError(
      'rule:send-every-token',
      `${side}.step() returned ${describeThrown(result)}, not { outputToken?, done }`,
    );
  }
  const token = result.outputToken;
  if (token !== undefined) {
    if (!(token instanceof Uint8Array)) {
      throw new ConformanceError(
        'rule:send-every-token',
        `${side}.step() returned an outputToken that is not a Uint8Array`,
      );
    }
    if (token.length === 0) {
      throw new ConformanceError(
        'rule:send-every-token',
        `${side}.step() returned an empty outputToken; return undefined when there is nothing to send`,
      );
    }
  }
  if (ctx.established !== result.done) {
    throw new ConformanceError(
      'rule:done-once',
      `${side}.established is ${ctx.established} right after step() returned done: ${result.done}`,
    );
  }
}

function checkIssued(issued: Array<{ original: Uint8Array; copy: Uint8Array; leg: number }>): void {
  for (const { original, copy, leg } of issued) {
    let same = original.length === copy.length;
    for (let i = 0; same && i < copy.length; i++) same = original[i] === copy[i];
    if (!same) {
      throw new ConformanceError(
        'rule:send-every-token',
        `the token of leg ${leg} changed after step() returned it (a reused buffer?); the engine may still be writing it`,
      );
    }
  }
}
