/**
 * Fuzz targets over each mechanism's step() and per-message calls, fed mutated real tokens:
 * the Kerberos acceptor with MIT gss-client's AP-REQs (their keytabs and capture clock from
 * the corpus), the Kerberos initiator with AP-REPs, unwrap/verifyMic with wrap and MIC
 * tokens, NTLM, SPNEGO and the mock at each leg, and the KDC on both ends (the in-process
 * KDC answering AS/TGS requests, the KDC client reading replies).
 *
 * A fresh context per input (seeded, so a leg before the fuzzed one is replayed exactly):
 * state left by one input must not decide the next one's outcome.
 */
import { GssockError } from '../../../src/core/errors.ts';
import type { Mechanism, SecurityContext } from '../../../src/core/mechanism.ts';
import { kerberos } from '../../../src/providers/kerberos/gss/mechanism.ts';
import { getInitialTicket } from '../../../src/providers/kerberos/kdc/as-exchange.ts';
import { parseKeytab } from '../../../src/providers/kerberos/keytab.ts';
import { mock } from '../../../src/providers/mock/index.ts';
import { negotiate } from '../../../src/providers/spnego/mechanism.ts';
import { MIT_KDC_REQUESTS, MIT_SESSIONS, SPNEGO_TOKENS } from '../corpus.ts';
import type { FuzzTarget } from '../harness.ts';
import { seededRandom } from '../../../src/testing/inject.ts';
import { clock, exchange, ownTokens } from './own-tokens.ts';

const MESSAGE = new TextEncoder().encode('fuzz corpus message');

/** Steps a fresh context through `before` (real tokens), then feeds the input. */
async function stepAfter(
  mech: Mechanism,
  role: 'initiator' | 'acceptor',
  seed: string,
  before: readonly Uint8Array[],
  input: Uint8Array,
  target?: string,
): Promise<void> {
  const ctx = await mech.createContext(role, {
    random: seededRandom(seed),
    ...(target ? { target } : {}),
  });
  try {
    if (role === 'initiator') await ctx.step(null);
    for (const t of before) await ctx.step(t);
    await ctx.step(input);
    if (ctx.established) await ctx.wrap(MESSAGE);
  } finally {
    ctx.dispose();
  }
}

/** unwrap and verifyMic of an established context; every outcome but a crash is fine. */
async function perMessage(ctx: SecurityContext, input: Uint8Array): Promise<void> {
  let foreign: unknown;
  for (const call of [() => ctx.unwrap(input), () => ctx.verifyMic(MESSAGE, input)]) {
    try {
      await call();
    } catch (e) {
      if (!(e instanceof GssockError)) foreign ??= e;
    }
  }
  if (foreign !== undefined) throw foreign;
}

export async function mechanismTargets(): Promise<FuzzTarget[]> {
  const own = await ownTokens();
  const [apReq, apRep] = own.krbTokens as [Uint8Array, Uint8Array];
  const [ntlmNeg, ntlmChal, ntlmAuth] = own.ntlm as [Uint8Array, Uint8Array, Uint8Array];

  // The MIT sessions' service keys in one keytab, their capture time as the clock.
  const mitKeytab = {
    version: 2 as const,
    entries: MIT_SESSIONS.flatMap((s) => parseKeytab(s.keytab).entries),
  };
  const mitAcceptor = kerberos({
    keytab: mitKeytab,
    clock: () => MIT_SESSIONS[0]!.capturedAt,
    replayCache: false,
  });

  const krbClient = own.krbClient();
  const krbServer = own.krbServer();
  const krbAcceptor = await krbServer.createContext('acceptor', { random: seededRandom('ka') });
  await krbAcceptor.step(apReq);

  const ntlmClient = own.ntlmClient();
  const ntlmServer = own.ntlmServer();
  const ni = await ntlmClient.createContext('initiator', {
    target: 'host@server',
    random: seededRandom('ni'),
  });
  const na = await ntlmServer.createContext('acceptor', { random: seededRandom('na') });
  await exchange(ni, na);

  const mi = await mock().createContext('initiator', {
    target: 'host/server@MOCK',
    random: seededRandom('mi'),
    clock,
  });
  const ma = await mock().createContext('acceptor', { random: seededRandom('ma'), clock });
  await exchange(mi, ma);

  const spnegoServer = negotiate({ mechanisms: [ntlmServer] });
  const spnegoClient = negotiate({ mechanisms: [ntlmClient] });

  // Recorded AS exchange of the own realm: the client's requests and the KDC's replies.
  const asRequests: Uint8Array[] = [];
  const asReplies: Uint8Array[] = [];
  await getInitialTicket({
    transport: {
      send: async (r) => {
        asRequests.push(r.message);
        const reply = own.realm.kdc.handle(r.message)!;
        asReplies.push(reply);
        return reply;
      },
    },
    kdcs: own.realm.kdc.kdcs,
    client: own.realm.user.principal,
    secret: { keys: own.realm.kdc.keys('alice') },
    clock,
    random: seededRandom('as'),
  });

  const krbCovers = [
    'src/providers/kerberos/gss/',
    'src/providers/kerberos/messages/',
    'src/providers/kerberos/crypto/',
  ];
  return [
    {
      name: 'krb-acceptor-step-mit',
      covers: krbCovers,
      seeds: MIT_SESSIONS.map((s) => s.apReq),
      run: (input) => stepAfter(mitAcceptor, 'acceptor', 'mit-a', [], input),
    },
    {
      name: 'krb-acceptor-step',
      covers: krbCovers,
      seeds: [apReq],
      run: (input) => stepAfter(krbServer, 'acceptor', 'ka', [], input),
    },
    {
      name: 'krb-initiator-step',
      covers: krbCovers,
      seeds: [apRep, ...MIT_SESSIONS.map((s) => s.apRep)],
      run: (input) => stepAfter(krbClient, 'initiator', 'ki', [], input, own.realm.service.target),
    },
    {
      name: 'krb-unwrap',
      covers: ['src/providers/kerberos/gss/', 'src/providers/kerberos/crypto/'],
      seeds: [...own.krbWrap, ...MIT_SESSIONS.flatMap((s) => [...s.wrap, ...s.mic])],
      run: (input) => perMessage(krbAcceptor, input),
    },
    {
      name: 'ntlm-acceptor-step',
      covers: ['src/providers/ntlm/'],
      seeds: [ntlmNeg, ntlmAuth],
      async run(input) {
        // As the first token (NEGOTIATE position), then as AUTHENTICATE after a real NEGOTIATE.
        let foreign: unknown;
        for (const before of [[], [ntlmNeg]]) {
          try {
            await stepAfter(ntlmServer, 'acceptor', 'na', before, input);
          } catch (e) {
            if (!(e instanceof GssockError)) foreign ??= e;
          }
        }
        if (foreign !== undefined) throw foreign;
      },
    },
    {
      name: 'ntlm-initiator-step',
      covers: ['src/providers/ntlm/'],
      seeds: [ntlmChal],
      run: (input) => stepAfter(ntlmClient, 'initiator', 'ni', [], input, 'host@server'),
    },
    {
      name: 'ntlm-unwrap',
      covers: ['src/providers/ntlm/'],
      seeds: own.ntlmWrap,
      run: (input) => perMessage(na, input),
    },
    {
      name: 'spnego-acceptor-step',
      covers: ['src/providers/spnego/'],
      seeds: [...own.spnego, ...SPNEGO_TOKENS, ntlmNeg],
      async run(input) {
        let foreign: unknown;
        for (const before of [[], [own.spnego[0]!]]) {
          try {
            await stepAfter(spnegoServer, 'acceptor', 'sa', before, input);
          } catch (e) {
            if (!(e instanceof GssockError)) foreign ??= e;
          }
        }
        if (foreign !== undefined) throw foreign;
      },
    },
    {
      name: 'spnego-initiator-step',
      covers: ['src/providers/spnego/'],
      seeds: [own.spnego[1]!, own.spnego[3]!, ...SPNEGO_TOKENS],
      run: (input) => stepAfter(spnegoClient, 'initiator', 'si', [], input, 'host@server'),
    },
    {
      name: 'mock-steps',
      covers: ['src/providers/mock/'],
      seeds: [...own.mock, ...own.mockWrap],
      async run(input) {
        let foreign: unknown;
        const tries: (() => Promise<void>)[] = [
          () => stepAfter(mock(), 'acceptor', 'ma', [], input),
          () => stepAfter(mock(), 'initiator', 'mi', [], input, 'host/server@MOCK'),
          () => stepAfter(mock(), 'acceptor', 'ma', [own.mock[0]!], input),
          () => perMessage(ma, input),
        ];
        for (const t of tries) {
          try {
            await t();
          } catch (e) {
            if (!(e instanceof GssockError)) foreign ??= e;
          }
        }
        if (foreign !== undefined) throw foreign;
      },
    },
    {
      name: 'kdc-server',
      covers: ['src/kdc/', 'src/providers/kerberos/messages/'],
      seeds: [...asRequests, ...MIT_KDC_REQUESTS],
      run: (input) => {
        // The KDC answers everything itself (KRB-ERROR) or drops it: it must never throw.
        own.realm.kdc.handle(input);
      },
    },
    {
      name: 'kdc-client-reply',
      covers: ['src/providers/kerberos/kdc/', 'src/providers/kerberos/messages/'],
      seeds: asReplies,
      run: (input) =>
        getInitialTicket({
          transport: { send: async () => input },
          kdcs: own.realm.kdc.kdcs,
          client: own.realm.user.principal,
          // The keys, not the password: PBKDF2 per input would make this target 100x slower.
          secret: { keys: own.realm.kdc.keys('alice') },
          clock,
          random: seededRandom('as'),
        }),
    },
  ];
}
