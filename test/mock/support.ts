/** Helpers for the mock tests: a direct step loop (no engine, no channel). */
import { Flags } from '../../src/core/flags.ts';
import type { ContextOptions, SecurityContext } from '../../src/core/mechanism.ts';
import { type MockOptions, mock } from '../../src/providers/mock/index.ts';
import { seededRandom } from '../../src/testing/inject.ts';

export { seededRandom };

export interface Loop {
  initiator: SecurityContext;
  acceptor: SecurityContext;
  /** Tokens in wire order: INIT, CHALLENGE, PROOF. */
  tokens: Uint8Array[];
}

/** Drives two contexts against each other until both are done. Throws what a step throws. */
export async function stepLoop(initiator: SecurityContext, acceptor: SecurityContext): Promise<Loop> {
  const tokens: Uint8Array[] = [];
  let r = await initiator.step(null);
  let receiver = acceptor;
  for (;;) {
    const token = r.outputToken;
    if (!token) {
      if (initiator.established && acceptor.established) return { initiator, acceptor, tokens };
      throw new Error('step loop: a side waits for a token that was not sent');
    }
    tokens.push(token);
    if (receiver.established) throw new Error('step loop: a token was sent to a side that is done');
    r = await receiver.step(token);
    receiver = receiver === acceptor ? initiator : acceptor;
  }
}

export const ALL = Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE;

export async function pair(
  o: {
    initiator?: MockOptions;
    acceptor?: MockOptions;
    flags?: number;
    ctx?: ContextOptions;
    acceptorCtx?: ContextOptions;
    seed?: string;
  } = {},
): Promise<Loop> {
  const seed = o.seed ?? 'mock-test';
  const i = await mock(o.initiator).createContext('initiator', {
    target: 'host/server@MOCK',
    flags: o.flags ?? ALL,
    random: seededRandom(`${seed}/i`),
    ...o.ctx,
  });
  const a = await mock(o.acceptor).createContext('acceptor', {
    random: seededRandom(`${seed}/a`),
    ...o.acceptorCtx,
  });
  return stepLoop(i, a);
}

export const text = (s: string) => new TextEncoder().encode(s);
