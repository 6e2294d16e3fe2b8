import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual } from '../../src/core/bytes.ts';
import { isGssockError } from '../../src/core/errors.ts';
import { DEFAULT_FLAGS, Flags } from '../../src/core/flags.ts';
import { DEFAULT_LIFETIME_MS, MOCK_OID, mock } from '../../src/providers/mock/index.ts';
import { ALL, pair, stepLoop, text } from './support.ts';

const code = (c: string) => (e: unknown) => isGssockError(e, c as never);

describe('mock handshake', () => {
  it('takes three legs (INIT, CHALLENGE, PROOF) and agrees on everything', async () => {
    const clock = () => 1_700_000_000_000;
    const { initiator, acceptor, tokens } = await pair({ ctx: { clock }, acceptorCtx: { clock } });
    assert.deepEqual(
      tokens.map((t) => [t[0], t[1], t[2]]),
      [
        [0x4d, 1, 1],
        [0x4d, 1, 2],
        [0x4d, 1, 3],
      ],
    );
    const i = initiator.info();
    const a = acceptor.info();
    assert.equal(i.mechanism, 'mock');
    assert.equal(i.mechanismOid, MOCK_OID);
    assert.ok(MOCK_OID.startsWith('1.3.6.1.4.1.32473.'), 'RFC 5612 documentation arc');
    assert.equal(i.flags, ALL | Flags.CONF | Flags.INTEG);
    assert.equal(a.flags, i.flags);
    assert.equal(i.peerName, 'host/server@MOCK');
    assert.equal(i.localName, 'alice@MOCK');
    assert.equal(a.peerName, 'alice@MOCK');
    assert.equal(a.localName, 'host/server@MOCK');
    assert.ok(i.sessionKey && a.sessionKey && bytesEqual(i.sessionKey, a.sessionKey));
    assert.equal(i.expiresAt, clock() + DEFAULT_LIFETIME_MS);
  });

  it('is deterministic under injected randomness, and nonces come only from it', async () => {
    const one = await pair({ seed: 's1' });
    const two = await pair({ seed: 's1' });
    const other = await pair({ seed: 's2' });
    assert.deepEqual(one.tokens, two.tokens);
    assert.ok(!bytesEqual(one.tokens[0]!, other.tokens[0]!));
    const w1 = await one.initiator.wrap(text('same'));
    const w2 = await two.initiator.wrap(text('same'));
    assert.deepEqual(w1, w2);
  });

  it('requests DEFAULT_FLAGS when none are given', async () => {
    const m = mock();
    const i = await m.createContext('initiator', {});
    const { initiator } = await stepLoop(i, await m.createContext('acceptor', {}));
    assert.equal(initiator.info().flags & (Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE), DEFAULT_FLAGS);
  });

  it('uses the configured names; acceptorName overrides and is enforced against the target', async () => {
    const ok = await pair({
      initiator: { name: 'bob@EXAMPLE' },
      acceptor: { name: 'ignored' },
      ctx: { target: 'svc/host' },
      acceptorCtx: { acceptorName: 'svc/host' },
    });
    assert.equal(ok.acceptor.info().peerName, 'bob@EXAMPLE');
    assert.equal(ok.initiator.info().peerName, 'svc/host');
    await assert.rejects(
      pair({ ctx: { target: 'svc/other' }, acceptorCtx: { acceptorName: 'svc/host' } }),
      (e) => isGssockError(e, 'BAD_NAME') && e.origin === 'peer',
    );
    // An empty target is accepted by any acceptor.
    await pair({ ctx: { target: '' }, acceptorCtx: { acceptorName: 'svc/host' } });
  });

  it('checks channel bindings when the acceptor has them', async () => {
    const cb = { application: text('tls-server-end-point:abc') };
    await pair({
      ctx: { channelBindings: cb },
      acceptorCtx: { channelBindings: { application: text('tls-server-end-point:abc') } },
    });
    await pair({ ctx: { channelBindings: cb } });
    await assert.rejects(
      pair({
        ctx: { channelBindings: cb },
        acceptorCtx: { channelBindings: { application: text('other') } },
      }),
      code('BAD_BINDINGS'),
    );
    await assert.rejects(pair({ acceptorCtx: { channelBindings: cb } }), code('BAD_BINDINGS'));
  });

  it('a different secret: the initiator refuses the acceptor proof (mutual) or the acceptor refuses the client', async () => {
    await assert.rejects(
      pair({ acceptor: { secret: 'wrong' } }),
      (e) => isGssockError(e, 'BAD_SIGNATURE') && e.origin === 'peer',
    );
    await assert.rejects(
      pair({ acceptor: { secret: 'wrong' }, flags: Flags.REPLAY }),
      (e) => isGssockError(e, 'LOGON_DENIED') && e.origin === 'peer',
    );
  });

  it('accepts the secret as bytes or string alike, and copies it', async () => {
    const secret = text('s3cret');
    const m = mock({ secret });
    secret.fill(0);
    const { initiator } = await stepLoop(
      await m.createContext('initiator', {}),
      await mock({ secret: 's3cret' }).createContext('acceptor', {}),
    );
    assert.ok(initiator.info().flags & Flags.MUTUAL);
    assert.throws(() => mock({ secret: '' }), code('INVALID_ARGUMENT'));
    assert.throws(() => mock({ lifetimeMs: 0 }), code('INVALID_ARGUMENT'));
  });

  it('enforces its state machine', async () => {
    const m = mock();
    const i = await m.createContext('initiator', {});
    assert.throws(() => i.info(), code('INVALID_STATE'));
    assert.throws(() => i.wrap(text('x')), code('INVALID_STATE'));
    assert.throws(() => i.step(text('unexpected')), code('INVALID_STATE'));
    const a = await m.createContext('acceptor', {});
    assert.throws(() => a.step(null), code('DEFECTIVE_TOKEN'));
    assert.throws(() => a.step(text('x')), code('INVALID_STATE'), 'a failed context stays failed');
    const done = await pair();
    assert.throws(() => done.initiator.step(text('more')), code('INVALID_STATE'));
    assert.throws(() => done.acceptor.step(text('more')), code('INVALID_STATE'));
  });

  it('refuses a token of the wrong type or version as DEFECTIVE_TOKEN from the peer', async () => {
    const m = mock();
    const i = await m.createContext('initiator', {});
    const init = (await i.step(null)).outputToken!;
    assert.throws(
      () => i.step(init),
      (e) => isGssockError(e, 'DEFECTIVE_TOKEN') && e.origin === 'peer',
    );
    const a = await m.createContext('acceptor', {});
    const v2 = init.slice();
    v2[1] = 2;
    assert.throws(() => a.step(v2), code('DEFECTIVE_TOKEN'));
  });

  it('dispose() is idempotent and ends per-message use', async () => {
    const { initiator } = await pair();
    initiator.dispose();
    initiator.dispose();
    assert.equal(initiator.established, false);
    assert.throws(() => initiator.wrap(text('x')), code('INVALID_STATE'));
    assert.throws(() => initiator.info(), code('INVALID_STATE'));
  });

  it('info() hands out a copy of the session key', async () => {
    const { initiator } = await pair();
    const k = initiator.info().sessionKey!;
    k.fill(0);
    assert.ok(initiator.info().sessionKey!.some((b) => b !== 0));
  });

  it('gives each context fresh nonces by default', async () => {
    const m = mock();
    const a = await m.createContext('initiator', {});
    const b = await m.createContext('initiator', {});
    const ta = (await a.step(null)).outputToken!;
    const tb = (await b.step(null)).outputToken!;
    assert.ok(!bytesEqual(ta.subarray(-32), tb.subarray(-32)));
  });
});
