/**
 * Helpers of the SPNEGO tests: mock mechanisms under other OIDs (so negotiate() has
 * several to choose from), and a step loop that can tamper with tokens in transit.
 */
import type { Mechanism, Role, SecurityContext } from '../../src/core/mechanism.ts';
import { type MockOptions, mock } from '../../src/providers/mock/index.ts';

/** The mock mechanism presented under another name and OID (e.g. the NTLM OID). */
export function mockAs(name: string, oid: string, options: MockOptions = {}): Mechanism {
  const inner = mock(options);
  return { name, oid, createContext: (role, o) => inner.createContext(role, o) };
}

/** A mechanism whose every createContext fails with NO_CREDENTIALS (no keys, no ticket). */
export function withoutCredentials(name: string, oid: string): Mechanism {
  return {
    name,
    oid,
    createContext: async () => {
      const { gssError } = await import('../../src/core/errors.ts');
      throw gssError('NO_CREDENTIALS', `${name}: no credentials`);
    },
  };
}

export interface Exchange {
  legs: Array<{ from: Role; token: Uint8Array }>;
  initiator: SecurityContext;
  acceptor: SecurityContext;
}

/**
 * Runs initiator and acceptor to completion in memory. `tamper(leg, from, token)` may
 * replace a token in transit. Throws whatever a side throws.
 */
export async function exchange(
  initiator: SecurityContext,
  acceptor: SecurityContext,
  tamper?: (leg: number, from: Role, token: Uint8Array) => Uint8Array,
): Promise<Exchange> {
  const legs: Exchange['legs'] = [];
  let input: Uint8Array | null = null;
  let side: Role = 'initiator';
  const done: Record<Role, boolean> = { initiator: false, acceptor: false };
  for (let i = 0; i < 20; i++) {
    const ctx = side === 'initiator' ? initiator : acceptor;
    const r = await ctx.step(input);
    done[side] = r.done;
    if (!r.outputToken) {
      if (!r.done) throw new Error(`${side} not done and sent nothing`);
      const peer = side === 'initiator' ? 'acceptor' : 'initiator';
      if (!done[peer]) throw new Error(`${side} finished silently while ${peer} waits`);
      return { legs, initiator, acceptor };
    }
    const token = tamper ? tamper(legs.length, side, r.outputToken) : r.outputToken;
    legs.push({ from: side, token });
    side = side === 'initiator' ? 'acceptor' : 'initiator';
    if (done[side]) throw new Error(`a token was sent to the ${side}, which is already done`);
    input = token;
  }
  throw new Error('too many legs');
}
