/** Shared helpers for the NTLM tests: two contexts and the step loop between them. */
import { fixedClock, seededRandom } from '../../src/testing/index.ts';
import type { SecurityContext } from '../../src/core/mechanism.ts';
import { MemoryCredentialStore, ntlm, type NtlmOptions } from '../../src/providers/ntlm/index.ts';

export const USERS = new MemoryCredentialStore([
  { user: 'alice', domain: 'CORP', password: 'Passw0rd' },
  { user: 'bob', password: 'bobs secret' },
]);

export const T0 = Date.UTC(2024, 0, 2, 3, 4, 5);

export function client(o: NtlmOptions = {}) {
  return ntlm({
    user: 'alice',
    domain: 'CORP',
    password: 'Passw0rd',
    clock: fixedClock(T0),
    random: seededRandom('c'),
    ...o,
  });
}

export function server(o: NtlmOptions = {}) {
  return ntlm({ credentials: USERS, clock: fixedClock(T0), random: seededRandom('s'), warn: () => {}, ...o });
}

export interface Transcript {
  initiator: SecurityContext;
  acceptor: SecurityContext;
  negotiate: Uint8Array;
  challenge: Uint8Array;
  authenticate: Uint8Array;
}

/** Runs the three legs; `tamper` may rewrite a leg (0 NEGOTIATE, 1 CHALLENGE, 2 AUTHENTICATE). */
export async function handshake(
  c = client(),
  s = server(),
  tamper: (leg: number, token: Uint8Array) => Uint8Array = (_, t) => t,
  target = 'host/server.example',
): Promise<Transcript> {
  const initiator = await c.createContext('initiator', { target });
  const acceptor = await s.createContext('acceptor', {});
  const negotiate = tamper(0, (await initiator.step(null)).outputToken!);
  const challenge = tamper(1, (await acceptor.step(negotiate)).outputToken!);
  const authenticate = tamper(2, (await initiator.step(challenge)).outputToken!);
  const done = await acceptor.step(authenticate);
  if (!done.done || done.outputToken) throw new Error('acceptor did not finish in one step');
  return { initiator, acceptor, negotiate, challenge, authenticate };
}
