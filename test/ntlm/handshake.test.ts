/** NTLM initiator <-> acceptor in memory: what is granted, and each refusal's typed error. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8 } from '../../src/core/bytes.ts';
import { isGssockError, MutualAuthRequiredError } from '../../src/core/errors.ts';
import { DEFAULT_FLAGS, Flags } from '../../src/core/flags.ts';
import { accept, initiate } from '../../src/engine/index.ts';
import {
  AvFlags,
  AvId,
  decodeAuthenticate,
  decodeAvPairs,
  decodeChallenge,
  MemoryCredentialStore,
  NegotiateFlags as F,
} from '../../src/providers/ntlm/index.ts';
import { fromUtf16le } from '../../src/providers/ntlm/wire.ts';
import { channelPair } from '../engine/support.ts';
import { client, handshake, server, T0 } from './support.ts';

const rejects = (p: unknown, code: string, origin?: 'peer' | 'local') =>
  assert.rejects(
    async () => await p,
    (e) => isGssockError(e) && e.code === code && (origin === undefined || e.origin === origin),
  );

describe('NTLM handshake', () => {
  it('three legs, NTLMv2 with MIC, ESS, key exchange; both sides agree; MUTUAL never granted', async () => {
    const t = await handshake();
    const gi = t.initiator.info();
    const ga = t.acceptor.info();
    assert.equal(gi.mechanismOid, '1.3.6.1.4.1.311.2.2.10');
    assert.equal(gi.flags, Flags.INTEG | Flags.CONF | Flags.REPLAY | Flags.SEQUENCE);
    assert.equal(ga.flags, gi.flags);
    assert.equal(gi.flags & Flags.MUTUAL, 0);
    assert.equal(ga.peerName, 'CORP\\alice');
    assert.equal(gi.localName, 'CORP\\alice');
    assert.deepEqual(ga.sessionKey, gi.sessionKey);
    const auth = decodeAuthenticate(t.authenticate);
    assert.ok(
      auth.mic?.some((b) => b !== 0),
      'a MIC is sent',
    );
    const pairs = decodeAvPairs(auth.ntChallengeResponse.subarray(16 + 28));
    const avFlags = pairs.find((p) => p.id === AvId.MsvAvFlags)!.value;
    assert.ok(avFlags[0]! & AvFlags.MIC_PRESENT);
    assert.equal(fromUtf16le(pairs.find((p) => p.id === AvId.MsvAvTargetName)!.value), 'host/server.example');
    assert.ok(
      auth.flags & F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY && auth.flags & F.NTLMSSP_NEGOTIATE_KEY_EXCH,
    );
    // §3.1.5.1.2: with a server timestamp the LM response is Z(24).
    assert.deepEqual(auth.lmChallengeResponse, new Uint8Array(24));
    assert.ok(decodeChallenge(t.challenge).targetInfo!.some((p) => p.id === AvId.MsvAvTimestamp));
  });

  it('wrap/unwrap and getMic/verifyMic both ways, sealed and signed-only', async () => {
    const t = await handshake();
    for (const [from, to] of [
      [t.initiator, t.acceptor],
      [t.acceptor, t.initiator],
    ] as const) {
      for (const confidential of [true, false]) {
        const token = await from.wrap(utf8('attack at dawn'), { confidential });
        assert.equal(token.length, 16 + 14);
        assert.equal(Buffer.from(token).includes(Buffer.from('attack')), !confidential);
        assert.deepEqual(await to.unwrap(token), { message: utf8('attack at dawn'), confidential, qop: 0 });
      }
      const mic = await from.getMic(utf8('m'));
      assert.equal(mic.length, 16);
      await to.verifyMic(utf8('m'), mic);
    }
  });

  it('a wrong password: LOGON_DENIED (origin peer), the same error as an unknown user', async () => {
    await rejects(handshake(client({ password: 'wrong' })), 'LOGON_DENIED', 'peer');
    const e1 = await handshake(client({ password: 'wrong' })).catch((e) => e);
    const e2 = await handshake(client({ user: 'mallory' })).catch((e) => e);
    assert.equal(e1.message, e2.message);
  });

  it('a domain-less user entry matches any domain; an NT hash works as well as the password', async () => {
    const t = await handshake(client({ user: 'bob', domain: 'ANY', password: 'bobs secret' }));
    assert.equal(t.acceptor.info().peerName, 'ANY\\bob');
    const { ntowfv1 } = await import('../../src/providers/ntlm/index.ts');
    await handshake(client({ password: undefined, ntHash: ntowfv1('Passw0rd') }));
  });

  it('a tampered CHALLENGE or AUTHENTICATE (flags stripped, bytes flipped): the MIC check refuses it', async () => {
    // Downgrade: strip SEAL from the CHALLENGE's flags in transit.
    const strip = (leg: number, t: Uint8Array) => {
      if (leg !== 1) return t;
      const c = t.slice();
      c[20]! &= ~F.NTLMSSP_NEGOTIATE_SEAL;
      return c;
    };
    await rejects(handshake(client(), server(), strip), 'BAD_SIGNATURE', 'peer');
    const flipWorkstation = (leg: number, t: Uint8Array) => {
      if (leg !== 2) return t;
      const c = t.slice();
      c[60]! ^= F.NTLMSSP_NEGOTIATE_SEAL; // NegotiateFlags of AUTHENTICATE
      return c;
    };
    await rejects(handshake(client(), server(), flipWorkstation), 'BAD_SIGNATURE', 'peer');
  });

  it('a tampered wrap token or MIC: BAD_SIGNATURE, and the genuine one is still accepted after', async () => {
    const t = await handshake();
    const token = await t.initiator.wrap(utf8('hello'));
    const bad = token.slice();
    bad[20]! ^= 0x01;
    await rejects(t.acceptor.unwrap(bad), 'BAD_SIGNATURE', 'peer');
    assert.deepEqual((await t.acceptor.unwrap(token)).message, utf8('hello'));
    const mic = await t.acceptor.getMic(utf8('x'));
    await rejects(t.initiator.verifyMic(utf8('y'), mic), 'BAD_SIGNATURE', 'peer');
    await t.initiator.verifyMic(utf8('x'), mic);
  });

  it('a replayed sealed message: DUPLICATE_TOKEN; reordered: GAP_TOKEN first, then in order again', async () => {
    const t = await handshake();
    const m1 = await t.initiator.wrap(utf8('one'));
    await t.acceptor.unwrap(m1);
    await rejects(t.acceptor.unwrap(m1), 'DUPLICATE_TOKEN', 'peer');
    const m2 = await t.initiator.wrap(utf8('two'));
    const m3 = await t.initiator.wrap(utf8('three'));
    await rejects(t.acceptor.unwrap(m3), 'GAP_TOKEN', 'peer');
    assert.deepEqual((await t.acceptor.unwrap(m2)).message, utf8('two'));
    assert.deepEqual((await t.acceptor.unwrap(m3)).message, utf8('three'));
    await rejects(t.acceptor.unwrap(m2), 'DUPLICATE_TOKEN', 'peer');
  });

  it('a recorded AUTHENTICATE replayed to a fresh acceptor does not establish', async () => {
    const t = await handshake();
    const fresh = await server({ random: (n) => new Uint8Array(n).fill(7) }).createContext('acceptor', {});
    await fresh.step(t.negotiate);
    await assert.rejects(
      async () => fresh.step(t.authenticate),
      (e) => isGssockError(e) && e.origin === 'peer',
    );
  });

  it('mutual authentication required: the engine refuses NTLM with MutualAuthRequiredError', async () => {
    const [a, b] = channelPair();
    const results = await Promise.allSettled([
      initiate({ mechanism: client(), channel: a, target: 'host/server', flags: DEFAULT_FLAGS }),
      accept({ mechanism: server(), channel: b }),
    ]);
    assert.equal(results[0]!.status, 'rejected');
    const e = (results[0] as PromiseRejectedResult).reason;
    assert.ok(e instanceof MutualAuthRequiredError);
    assert.equal(e.code, 'MUTUAL_AUTH_REQUIRED');
  });

  it('without mutual required, the engine carries sealed messages both ways', async () => {
    const [a, b] = channelPair();
    const [ci, sa] = await Promise.all([
      initiate({ mechanism: client(), channel: a, target: 'host/server', flags: Flags.REPLAY | Flags.CONF }),
      accept({ mechanism: server(), channel: b }),
    ]);
    await ci.send(utf8('ping'));
    assert.deepEqual(await sa.receive(), utf8('ping'));
    await sa.send(utf8('pong'));
    assert.deepEqual(await ci.receive(), utf8('pong'));
    await ci.close();
    await sa.close();
  });

  it('anonymous is refused unless allowAnonymous', async () => {
    const { encodeAuthenticate } = await import('../../src/providers/ntlm/index.ts');
    const anon = (leg: number, t: Uint8Array) =>
      leg !== 2
        ? t
        : encodeAuthenticate(
            {
              flags: decodeAuthenticate(t).flags,
              lmChallengeResponse: new Uint8Array(0),
              ntChallengeResponse: new Uint8Array(0),
              domain: '',
              user: '',
              workstation: '',
              encryptedRandomSessionKey: new Uint8Array(0),
            },
            false,
          );
    await rejects(handshake(client(), server(), anon), 'UNAUTHORIZED', 'peer');
    const t = await handshake(client(), server({ allowAnonymous: true }), anon);
    assert.equal(t.acceptor.info().flags, Flags.ANON);
    await rejects(t.acceptor.getMic(utf8('x')), 'NOT_SUPPORTED');
  });

  it('NTLMv1 is refused unless allowLegacy, then accepted with a warning', async () => {
    const v1 = client({ allowLegacy: true, ntlmv1: true });
    await rejects(handshake(v1, server()), 'NOT_SUPPORTED', 'peer');
    const warnings: string[] = [];
    const t = await handshake(v1, server({ allowLegacy: true, warn: (m) => warnings.push(m) }));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /NTLMv1/);
    const token = await t.initiator.wrap(utf8('legacy'));
    assert.deepEqual((await t.acceptor.unwrap(token)).message, utf8('legacy'));
    assert.throws(
      () => client({ ntlmv1: true }),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });

  it('channel bindings: equal ones pass, different ones give BAD_BINDINGS', async () => {
    const cb = { application: utf8('tls-server-end-point:abc') };
    const mk = async (acceptorCb: typeof cb) => {
      const i = await client().createContext('initiator', { target: 'host/x', channelBindings: cb });
      const a = await server().createContext('acceptor', { channelBindings: acceptorCb });
      const challenge = await a.step((await i.step(null)).outputToken!);
      await a.step((await i.step(challenge.outputToken!)).outputToken!);
    };
    await mk(cb);
    await rejects(mk({ application: utf8('tls-server-end-point:xyz') }), 'BAD_BINDINGS', 'peer');
  });

  it('a target name for another service gives BAD_NAME when the acceptor names itself', async () => {
    const i = await client().createContext('initiator', { target: 'host/other.example' });
    const a = await server().createContext('acceptor', { acceptorName: 'host@server.example' });
    const ch = await a.step((await i.step(null)).outputToken!);
    await rejects(a.step((await i.step(ch.outputToken!)).outputToken!), 'BAD_NAME', 'peer');
  });

  it('an AUTHENTICATE answering a challenge older than maxClockSkewMs: CLOCK_SKEW', async () => {
    // The client copies the server's MsvAvTimestamp; 48 h pass before the answer is checked.
    let calls = 0;
    const clock = () => (calls++ === 0 ? T0 : T0 + 48 * 3600_000);
    await rejects(handshake(client(), server({ clock })), 'CLOCK_SKEW', 'peer');
  });

  it('misuse: per-message calls before establishment, step after done, use after dispose: INVALID_STATE', async () => {
    const i = await client().createContext('initiator', {});
    await rejects(i.wrap(utf8('x')), 'INVALID_STATE');
    assert.throws(
      () => i.info(),
      (e) => isGssockError(e, 'INVALID_STATE'),
    );
    const t = await handshake();
    await rejects(t.initiator.step(null), 'INVALID_STATE');
    t.acceptor.dispose();
    t.acceptor.dispose();
    await rejects(t.acceptor.unwrap(new Uint8Array(20)), 'INVALID_STATE');
    assert.equal(t.acceptor.established, false);
  });

  it('missing credentials: NO_CREDENTIALS', async () => {
    const { ntlm } = await import('../../src/providers/ntlm/index.ts');
    assert.throws(
      () => ntlm({}).createContext('initiator', {}),
      (e) => isGssockError(e, 'NO_CREDENTIALS'),
    );
    assert.throws(
      () => ntlm({ user: 'a' }).createContext('initiator', {}),
      (e) => isGssockError(e, 'NO_CREDENTIALS'),
    );
    assert.throws(
      () => ntlm({}).createContext('acceptor', {}),
      (e) => isGssockError(e, 'NO_CREDENTIALS'),
    );
    assert.ok(new MemoryCredentialStore().size === 0);
  });
});
