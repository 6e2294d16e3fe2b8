/**
 * negotiate() over mock inner mechanisms (the mock under several OIDs, one of them NTLM's):
 * mechanism choice, the mechListMIC rules (RFC 4178 §5) and their attacks, fail-closed
 * mutual authentication through the engine, the NegTokenInit2 hint, the Windows quirks,
 * and the conformance kit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual } from '../../src/core/bytes.ts';
import { GssockError, isGssockError, MutualAuthRequiredError } from '../../src/core/errors.ts';
import { DEFAULT_FLAGS, Flags } from '../../src/core/flags.ts';
import type { Mechanism, SecurityContext } from '../../src/core/mechanism.ts';
import { accept, initiate } from '../../src/engine/index.ts';
import {
  decodeNegotiationToken,
  encodeNegTokenInit,
  encodeNegTokenResp,
  NTLM_OID,
  negotiate,
  SPNEGO_OID,
} from '../../src/providers/spnego/index.ts';
import { defineConformanceSuite } from '../../src/testing/index.ts';
import { channelPair } from '../engine/support.ts';
import { exchange, mockAs, withoutCredentials } from './support.ts';

const ALPHA = '1.3.6.1.4.1.32473.1.1';
const BETA = '1.3.6.1.4.1.32473.1.2';
const alpha = () => mockAs('alpha', ALPHA);
const beta = () => mockAs('beta', BETA);
const fakeNtlm = () => mockAs('ntlm', NTLM_OID);

async function pair(initiator: Mechanism[], acceptor: Mechanism[], flags = DEFAULT_FLAGS) {
  const i = await negotiate({ mechanisms: initiator }).createContext('initiator', {
    target: 'host@server',
    flags,
  });
  const a = await negotiate({ mechanisms: acceptor }).createContext('acceptor', {});
  return { i, a };
}

async function rejects(p: Promise<unknown>, code: string, origin?: 'peer' | 'local'): Promise<GssockError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GssockError, `not a GssockError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (origin) assert.equal(e.origin, origin);
    return e;
  }
  assert.fail(`expected ${code}`);
}

const resp = (t: Uint8Array) => {
  const d = decodeNegotiationToken(t);
  assert.equal(d.kind, 'resp');
  return d as Extract<ReturnType<typeof decodeNegotiationToken>, { kind: 'resp' }>;
};

describe('negotiate: choosing a mechanism', () => {
  it('both sides prefer alpha: optimistic token used, no mechListMIC, alpha negotiated', async () => {
    const { i, a } = await pair([alpha(), beta()], [alpha(), beta()]);
    const ex = await exchange(i, a);
    const first = decodeNegotiationToken(ex.legs[0]!.token);
    assert.ok(first.kind === 'init' && first.mechToken && first.mechTypes.join() === [ALPHA, BETA].join());
    assert.equal(resp(ex.legs[1]!.token).supportedMech, ALPHA);
    for (const leg of ex.legs.slice(1)) assert.equal(resp(leg.token).mechListMIC, undefined);
    // The mock takes three tokens; SPNEGO adds the acceptor's accept-completed: four.
    assert.equal(ex.legs.length, 4);
    assert.equal(resp(ex.legs[3]!.token).negState, 'accept-completed');
    for (const c of [i, a]) {
      assert.equal(c.info().mechanism, 'negotiate');
      assert.equal(c.info().mechanismOid, ALPHA);
      assert.equal(c.info().extra?.negotiatedMechanism, 'alpha');
      assert.equal(c.info().extra?.mechListMic, false);
    }
    assert.ok(i.info().flags & Flags.MUTUAL);
  });

  it('the acceptor has only beta: request-mic, restart with beta, a MIC each way', async () => {
    const { i, a } = await pair([alpha(), beta()], [beta()]);
    const ex = await exchange(i, a);
    const r1 = resp(ex.legs[1]!.token);
    assert.deepEqual([r1.negState, r1.supportedMech, r1.responseToken], ['request-mic', BETA, undefined]);
    assert.ok(ex.legs.slice(1).some((l) => l.from === 'initiator' && resp(l.token).mechListMIC));
    assert.ok(ex.legs.some((l) => l.from === 'acceptor' && resp(l.token).mechListMIC));
    for (const c of [i, a]) {
      assert.equal(c.info().mechanismOid, BETA);
      assert.equal(c.info().extra?.mechListMic, true);
    }
    // Per-message protection works through the negotiated context.
    const w = await i.wrap(new TextEncoder().encode('hi'));
    assert.equal(new TextDecoder().decode((await a.unwrap(w)).message), 'hi');
    await a.verifyMic(new Uint8Array([1, 2]), await i.getMic(new Uint8Array([1, 2])));
  });

  it('the acceptor skips a mechanism it has no credentials for (choice among what it can accept)', async () => {
    const { i, a } = await pair([alpha(), beta()], [withoutCredentials('alpha', ALPHA), beta()]);
    await exchange(i, a);
    assert.equal(a.info().mechanismOid, BETA);
    assert.equal(a.info().extra?.mechListMic, true);
  });

  it('the initiator leaves out mechanisms without credentials, and falls back when the first cannot start', async () => {
    const failing: Mechanism = {
      name: 'alpha',
      oid: ALPHA,
      createContext: async (role, o) => {
        const ctx = await alpha().createContext(role, o);
        return Object.assign(Object.create(ctx), {
          step: () => Promise.reject(new GssockError('KERBEROS_ERROR', 'KDC: server not found')),
          dispose: () => ctx.dispose(),
        }) as SecurityContext;
      },
    };
    const { i, a } = await pair([withoutCredentials('gamma', '1.2.3.4'), failing, beta()], [alpha(), beta()]);
    const ex = await exchange(i, a);
    const init = decodeNegotiationToken(ex.legs[0]!.token);
    assert.ok(init.kind === 'init');
    assert.deepEqual(init.mechTypes, [BETA]);
    assert.equal(i.info().mechanismOid, BETA);
    assert.equal(i.info().extra?.mechListMic, false, 'beta was first in the list actually sent');
  });

  it('no mechanism in common: BAD_MECH from the peer', async () => {
    const { i, a } = await pair([alpha()], [beta()]);
    await rejects(exchange(i, a), 'BAD_MECH', 'peer');
  });

  it('NTLM forbidden and no Kerberos credentials: a typed NO_CREDENTIALS naming each reason', async () => {
    const mech = negotiate({
      mechanisms: [withoutCredentials('kerberos', '1.2.840.113554.1.2.2'), fakeNtlm()],
      allowNtlm: false,
    });
    const e = await rejects(
      Promise.resolve(mech.createContext('initiator', { target: 'host@x' })),
      'NO_CREDENTIALS',
    );
    assert.match(e.message, /kerberos: kerberos: no credentials/);
    assert.match(e.message, /NTLM is forbidden/);
    const attempts = e.details.attempts as Array<{ mechanism: string; code: string }>;
    assert.deepEqual(attempts.map((x) => [x.mechanism, x.code]).sort(), [
      ['kerberos', 'NO_CREDENTIALS'],
      ['ntlm', 'NOT_SUPPORTED'],
    ]);
  });

  it('allowNtlm: false on the acceptor refuses NTLM even as the only offer', async () => {
    const i = await negotiate({ mechanisms: [fakeNtlm()] }).createContext('initiator', { target: 'host@x' });
    const a = await negotiate({ mechanisms: [fakeNtlm(), beta()], allowNtlm: false }).createContext(
      'acceptor',
      {},
    );
    await rejects(exchange(i, a), 'BAD_MECH', 'peer');
  });
});

describe('negotiate: the mechListMIC stops a downgrade', () => {
  it('a reordered mechanism list (first choice removed from the front) fails the MIC check', async () => {
    const { i, a } = await pair([alpha(), beta()], [alpha(), beta()]);
    const err = await rejects(
      exchange(i, a, (leg, _from, token) => {
        if (leg !== 0) return token;
        // A man in the middle puts beta first and drops alpha's optimistic token.
        return encodeNegTokenInit({ mechTypes: [BETA, ALPHA] });
      }),
      'BAD_SIGNATURE',
      'peer',
    );
    assert.match(err.message, /mechanism list was changed in transit/);
  });

  it('a mechanism removed from the list is detected as well', async () => {
    const { i, a } = await pair([alpha(), beta()], [beta()]);
    await rejects(
      exchange(i, a, (leg, _from, token) => {
        if (leg !== 0) return token;
        return encodeNegTokenInit({ mechTypes: [BETA] });
      }),
      'BAD_SIGNATURE',
      'peer',
    );
  });

  it('a damaged mechListMIC is BAD_SIGNATURE', async () => {
    const { i, a } = await pair([alpha(), beta()], [beta()]);
    await rejects(
      exchange(i, a, (_leg, from, token) => {
        if (from !== 'initiator') return token;
        const d = decodeNegotiationToken(token);
        if (d.kind !== 'resp' || !d.mechListMIC) return token;
        const mic = d.mechListMIC.slice();
        mic[mic.length - 1]! ^= 1;
        return encodeNegTokenResp({ ...d, mechListMIC: mic });
      }),
      'BAD_SIGNATURE',
      'peer',
    );
  });

  it('a stripped mechListMIC (required after a counter-proposal) is DEFECTIVE_TOKEN', async () => {
    const { i, a } = await pair([alpha(), beta()], [beta()]);
    await rejects(
      exchange(i, a, (_leg, from, token) => {
        if (from !== 'acceptor') return token;
        const d = decodeNegotiationToken(token);
        if (d.kind !== 'resp' || !d.mechListMIC) return token;
        const { mechListMIC: _drop, ...rest } = d;
        return encodeNegTokenResp(rest);
      }),
      'DEFECTIVE_TOKEN',
      'peer',
    );
  });

  it('a counter-proposal without request-mic is refused (except the Windows 2003 NTLM case)', async () => {
    const i = await negotiate({ mechanisms: [alpha(), beta()] }).createContext('initiator', { target: 't' });
    await i.step(null);
    await rejects(
      Promise.resolve(i.step(encodeNegTokenResp({ negState: 'accept-incomplete', supportedMech: BETA }))),
      'DEFECTIVE_TOKEN',
      'peer',
    );
    const j = await negotiate({ mechanisms: [alpha(), fakeNtlm()] }).createContext('initiator', {
      target: 't',
    });
    await j.step(null);
    const r = await j.step(encodeNegTokenResp({ negState: 'accept-incomplete', supportedMech: NTLM_OID }));
    assert.equal(r.done, false);
    assert.ok(r.outputToken && resp(r.outputToken).responseToken, 'restarted with NTLM');
  });

  it('Windows 2000: a mechListMIC that copies the responseToken is ignored when no MIC is due', async () => {
    const i = await negotiate({ mechanisms: [alpha()] }).createContext('initiator', { target: 't' });
    const a = await negotiate({ mechanisms: [alpha()] }).createContext('acceptor', {});
    const t1 = (await i.step(null)).outputToken!;
    const t2 = resp((await a.step(t1)).outputToken!);
    const odd = encodeNegTokenResp({ ...t2, mechListMIC: t2.responseToken });
    const r = await i.step(odd);
    assert.equal(r.done, false);
    assert.equal(resp(r.outputToken!).mechListMIC, undefined);
  });
});

describe('negotiate: fail closed, state, hints, raw tokens', () => {
  it('an NTLM outcome never grants MUTUAL; through the engine, required mutual fails closed', async () => {
    const { i, a } = await pair([fakeNtlm()], [fakeNtlm()]);
    await exchange(i, a);
    assert.equal(i.info().flags & Flags.MUTUAL, 0);
    assert.equal(i.info().mechanismOid, NTLM_OID);

    const [ci, ca] = channelPair();
    const server = accept({ mechanism: negotiate({ mechanisms: [fakeNtlm()] }), channel: ca }).catch(
      (e) => e,
    );
    await assert.rejects(
      initiate({ mechanism: negotiate({ mechanisms: [fakeNtlm()] }), channel: ci, target: 'host@server' }),
      (e: unknown) => e instanceof MutualAuthRequiredError,
    );
    await server;
  });

  it('through the engine with a MIC round: sessions exchange wrapped messages', async () => {
    const [ci, ca] = channelPair();
    const server = accept({ mechanism: negotiate({ mechanisms: [beta()] }), channel: ca });
    const client = await initiate({
      mechanism: negotiate({ mechanisms: [alpha(), beta()] }),
      channel: ci,
      target: 't',
    });
    const s = await server;
    assert.equal(client.info.mechanismOid, BETA);
    await client.send(new TextEncoder().encode('ping'));
    assert.equal(new TextDecoder().decode((await s.receive())!), 'ping');
    await client.close();
    await s.close();
  });

  it('no per-message protection before established (prot_ready stays false)', async () => {
    const { i } = await pair([alpha()], [alpha()]);
    await i.step(null);
    for (const call of [
      (): unknown => i.info(),
      (): unknown => i.wrap(new Uint8Array(1)),
      (): unknown => i.getMic(new Uint8Array(1)),
    ])
      await rejects(Promise.resolve().then(call), 'INVALID_STATE');
  });

  it('a server hint first (NegTokenInit2): the initiator narrows its list to the hinted mechanisms', async () => {
    const a = await negotiate({ mechanisms: [beta()], sendHints: true }).createContext('acceptor', {});
    const hint = await a.step(null);
    const h = decodeNegotiationToken(hint.outputToken!);
    assert.ok(h.kind === 'init' && h.negHints?.hintName === 'not_defined_in_RFC4178@please_ignore');
    const i = await negotiate({ mechanisms: [alpha(), beta()] }).createContext('initiator', { target: 't' });
    const first = await i.step(hint.outputToken!);
    const init = decodeNegotiationToken(first.outputToken!);
    assert.ok(init.kind === 'init');
    assert.deepEqual(init.mechTypes, [BETA]);
    let input = first.outputToken!;
    for (let n = 0; n < 4 && !(a.established && i.established); n++) {
      const ra = await a.step(input);
      if (!ra.outputToken) break;
      const ri = await i.step(ra.outputToken);
      if (!ri.outputToken) break;
      input = ri.outputToken;
    }
    assert.ok(a.established && i.established);
    assert.equal(i.info().mechanismOid, BETA);
  });

  it('a raw mechanism token in place of a NegTokenInit is passed through (as Windows does)', async () => {
    // The mock framed as an RFC 2743 token under its own OID plays the raw Kerberos case.
    const { encodeGssInitialToken, decodeGssInitialToken } = await import(
      '../../src/providers/kerberos/messages/gss-token.ts'
    );
    const inner = alpha();
    const framed: Mechanism = {
      name: 'alpha',
      oid: ALPHA,
      async createContext(role, o) {
        const ctx = await inner.createContext(role, o);
        const wrapped: SecurityContext = {
          role,
          mechanism: 'alpha',
          get established() {
            return ctx.established;
          },
          step: async (t) => {
            const unframed =
              t !== null && role === 'acceptor' && t[0] === 0x60 ? decodeGssInitialToken(t).inner : t;
            const r = await ctx.step(unframed);
            if (role === 'initiator' && t === null && r.outputToken)
              return { ...r, outputToken: encodeGssInitialToken(ALPHA, r.outputToken) };
            return r;
          },
          info: () => ctx.info(),
          wrap: (m, w) => ctx.wrap(m, w),
          unwrap: (m) => ctx.unwrap(m),
          getMic: (m) => ctx.getMic(m),
          verifyMic: (m, mic) => ctx.verifyMic(m, mic),
          dispose: () => ctx.dispose(),
        };
        return wrapped;
      },
    };
    const i = await framed.createContext('initiator', { target: 't' });
    const a = await negotiate({ mechanisms: [framed] }).createContext('acceptor', {});
    const ex = await exchange(i, a);
    assert.equal(ex.legs.length, 3, 'no SPNEGO leg added');
    assert.ok(
      !bytesEqual(ex.legs[1]!.token.subarray(0, 1), new Uint8Array([0xa1])),
      'the reply is not a NegTokenResp',
    );
    assert.equal(a.info().extra?.rawToken, true);
    assert.equal(a.info().mechanismOid, ALPHA);
  });

  it('a step after failure or dispose is INVALID_STATE; tokens in the wrong place are DEFECTIVE', async () => {
    const { i, a } = await pair([alpha()], [alpha()]);
    const t1 = (await i.step(null)).outputToken!;
    await rejects(
      Promise.resolve(a.step(encodeNegTokenResp({ negState: 'accept-incomplete' }))),
      'DEFECTIVE_TOKEN',
      'peer',
    );
    await rejects(Promise.resolve(a.step(t1)), 'INVALID_STATE');
    await rejects(Promise.resolve(i.step(t1)), 'DEFECTIVE_TOKEN', 'peer');
    i.dispose();
    await rejects(Promise.resolve(i.step(t1)), 'INVALID_STATE');
    assert.ok(isGssockError(new GssockError('FAILURE', 'x')));
    assert.equal(SPNEGO_OID, negotiate({ mechanisms: [alpha()] }).oid);
  });
});

defineConformanceSuite(
  {
    name: 'negotiate over mock',
    initiator: () =>
      negotiate({
        mechanisms: [
          mockAs('alpha', ALPHA, { secret: 's', name: 'alice@MOCK' }),
          mockAs('beta', BETA, { secret: 's' }),
        ],
      }),
    acceptor: () =>
      negotiate({ mechanisms: [mockAs('beta', BETA, { secret: 's', name: 'host/server@MOCK' })] }),
    impostor: () =>
      negotiate({ mechanisms: [mockAs('beta', BETA, { secret: 'other', name: 'host/server@MOCK' })] }),
    target: 'host/server@MOCK',
    capabilities: { sequenceDetection: true, deterministic: true },
  },
  { describe, it },
);
