import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GssockError, isGssockError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import type { SecurityContext } from '../../src/core/mechanism.ts';
import { type HandshakeEvent, establishContext } from '../../src/engine/index.ts';
import { mock } from '../../src/providers/mock/index.ts';
import { GssSampleFlags, gssSample } from '../../src/transport/framing/index.ts';
import { bytes, channelPair, ScriptedContext, SpyChannel } from './support.ts';

async function mockPair(flags = Flags.MUTUAL | Flags.REPLAY) {
  const m = mock({ secret: 'establish-test' });
  const initiator = await m.createContext('initiator', { target: 'host/server@MOCK', flags });
  const acceptor = await m.createContext('acceptor', {});
  return { initiator, acceptor };
}

function errorOf(p: Promise<unknown>): Promise<GssockError> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (e) => {
      assert.ok(e instanceof GssockError, `not a GssockError: ${e}`);
      return e;
    },
  );
}

describe('establishContext: happy path with the mock', () => {
  it('establishes both sides, reports legs in order and reads nothing extra', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const b = new SpyChannel(cb);
    const { initiator, acceptor } = await mockPair();
    const ie: HandshakeEvent[] = [];
    const ae: HandshakeEvent[] = [];
    const [i, r] = await Promise.all([
      establishContext({
        context: initiator,
        channel: a,
        onEvent: (e) => ie.push(e),
        requiredFlags: Flags.MUTUAL,
      }),
      establishContext({ context: acceptor, channel: b, onEvent: (e) => ae.push(e) }),
    ]);
    assert.equal(i.info.peerName, 'host/server@MOCK');
    assert.equal(r.info.peerName, 'alice@MOCK');
    assert.ok(i.info.flags & Flags.MUTUAL);
    assert.deepEqual(
      ie.map((e) => `${e.type}${'leg' in e ? e.leg : ''}`),
      ['send1', 'receive2', 'send3', 'established'],
    );
    assert.deepEqual(
      ae.map((e) => `${e.type}${'leg' in e ? e.leg : ''}`),
      ['receive1', 'send2', 'receive3', 'established'],
    );
    // Sizes in events are the tokens' sizes on both ends.
    assert.equal((ie[0] as { size: number }).size, (ae[0] as { size: number }).size);
    // Initiator: one read (CHALLENGE); acceptor: two (INIT, PROOF). Nothing more.
    assert.equal(a.receives, 1);
    assert.equal(b.receives, 2);
    assert.equal(a.closes + b.closes, 0);
    // The next frame on the channel is still there for the application.
    await a.send({ flags: 0, body: bytes(7, 7) });
    assert.deepEqual((await b.receive())?.body, bytes(7, 7));
  });

  it('puts frameFlags on every handshake frame (gss-sample CONTEXT)', async () => {
    const [a, b] = channelPair(gssSample());
    const { initiator, acceptor } = await mockPair();
    const seen: HandshakeEvent[] = [];
    await Promise.all([
      establishContext({ context: initiator, channel: a, frameFlags: GssSampleFlags.CONTEXT }),
      establishContext({
        context: acceptor,
        channel: b,
        frameFlags: GssSampleFlags.CONTEXT,
        onEvent: (e) => seen.push(e),
      }),
    ]);
    const flags = seen.filter((e) => e.type !== 'established').map((e) => (e as { flags: number }).flags);
    assert.deepEqual(flags, [0x02, 0x02, 0x02]);
  });
});

describe('establishContext: handshake shapes', () => {
  it('sends the token returned with done (acceptor AP-REP) and lets the initiator finish without output', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const b = new SpyChannel(cb);
    const apReq = bytes(0x6e, 1, 2, 3);
    const apRep = bytes(0x6f, 4, 5);
    const initiator = new ScriptedContext(
      'initiator',
      [{ output: apReq, done: false }, { done: true }],
      Flags.MUTUAL,
    );
    const acceptor = new ScriptedContext('acceptor', [{ output: apRep, done: true }], Flags.MUTUAL);
    await Promise.all([
      establishContext({ context: initiator, channel: a, requiredFlags: Flags.MUTUAL }),
      establishContext({ context: acceptor, channel: b }),
    ]);
    assert.deepEqual(initiator.inputs, [null, apRep]);
    assert.deepEqual(acceptor.inputs, [apReq]);
    assert.deepEqual(
      b.sent.map((f) => f.body),
      [apRep],
    );
    assert.equal(a.sends, 1);
    assert.equal(b.receives, 1, 'acceptor read only the AP-REQ');
  });

  it('initiator done at once (no mutual): one token, no read on either side after done', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const b = new SpyChannel(cb);
    const initiator = new ScriptedContext('initiator', [{ output: bytes(1), done: true }]);
    const acceptor = new ScriptedContext('acceptor', [{ done: true }]);
    await Promise.all([
      establishContext({ context: initiator, channel: a }),
      establishContext({ context: acceptor, channel: b }),
    ]);
    assert.equal(a.receives, 0);
    assert.equal(b.receives, 1);
    assert.equal(b.sends, 0);
  });

  it('never sends an empty output token', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const b = new SpyChannel(cb);
    const initiator = new ScriptedContext('initiator', [
      { output: bytes(1), done: false },
      { output: new Uint8Array(0), done: true },
    ]);
    const acceptor = new ScriptedContext('acceptor', [{ output: bytes(2), done: true }]);
    await Promise.all([
      establishContext({ context: initiator, channel: a }),
      establishContext({ context: acceptor, channel: b }),
    ]);
    assert.equal(a.sends, 1);
  });

  it('a step without output and not done just reads the next token', async () => {
    const [ca, cb] = channelPair();
    const b = new SpyChannel(cb);
    const acceptor = new ScriptedContext('acceptor', [{ done: false }, { output: bytes(9), done: true }]);
    const done = establishContext({ context: acceptor, channel: b });
    await ca.send({ flags: 0, body: bytes(1) });
    await ca.send({ flags: 0, body: bytes(2) });
    await done;
    assert.deepEqual(acceptor.inputs, [bytes(1), bytes(2)]);
    assert.deepEqual((await ca.receive())?.body, bytes(9));
  });
});

describe('establishContext: failures', () => {
  it('peer closing mid-handshake -> CONNECTION_CLOSED (peer), context disposed, channel closed', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const { initiator } = await mockPair();
    const pending = establishContext({ context: initiator, channel: a });
    assert.ok((await cb.receive())?.body.length, 'INIT arrived');
    await cb.close();
    const e = await errorOf(pending);
    assert.equal(e.code, 'CONNECTION_CLOSED');
    assert.equal(e.origin, 'peer');
    assert.equal(a.closes, 1);
    assert.throws(
      () => initiator.info(),
      (x) => isGssockError(x, 'INVALID_STATE'),
    );
  });

  it('acceptor whose peer closes before the first token -> CONNECTION_CLOSED', async () => {
    const [ca, cb] = channelPair();
    const { acceptor } = await mockPair();
    const pending = establishContext({ context: acceptor, channel: cb });
    await ca.close();
    const e = await errorOf(pending);
    assert.equal(e.code, 'CONNECTION_CLOSED');
    assert.equal(e.origin, 'peer');
  });

  it('an empty token from the peer -> DEFECTIVE_TOKEN (peer)', async () => {
    const [ca, cb] = channelPair();
    const { acceptor } = await mockPair();
    const pending = establishContext({ context: acceptor, channel: cb });
    await ca.send({ flags: 0, body: new Uint8Array(0) });
    const e = await errorOf(pending);
    assert.equal(e.code, 'DEFECTIVE_TOKEN');
    assert.equal(e.origin, 'peer');
  });

  it('a context already established -> INVALID_STATE', async () => {
    const [a] = channelPair();
    const ctx = new ScriptedContext('initiator', [{ done: true }]);
    ctx.step(null);
    const e = await errorOf(establishContext({ context: ctx, channel: a }));
    assert.equal(e.code, 'INVALID_STATE');
    assert.ok(ctx.disposed);
  });

  it('a malformed step result -> INVALID_STATE', async () => {
    const [a] = channelPair();
    const ctx = new ScriptedContext('initiator', [() => ({ outputToken: 'AAAA', done: false })]);
    const e = await errorOf(establishContext({ context: ctx, channel: a }));
    assert.equal(e.code, 'INVALID_STATE');
  });

  it('a foreign error from step is wrapped (FAILURE, cause kept); channel closed', async () => {
    const [ca] = channelPair();
    const a = new SpyChannel(ca);
    const boom = new TypeError('mechanism bug');
    const ctx = new ScriptedContext('initiator', [{ done: false, throws: boom }]);
    const e = await errorOf(establishContext({ context: ctx, channel: a }));
    assert.equal(e.code, 'FAILURE');
    assert.equal(e.cause, boom);
    assert.equal(a.closes, 1);
    assert.ok(ctx.disposed);
  });

  it('a GssockError from step passes through unchanged (wrong secret)', async () => {
    const [x, y] = channelPair();
    const { initiator } = await mockPair();
    const acceptor = await mock({ secret: 'another secret' }).createContext('acceptor', {});
    const results = await Promise.allSettled([
      establishContext({ context: initiator, channel: x }),
      establishContext({ context: acceptor, channel: y }),
    ]);
    const ie = (results[0] as PromiseRejectedResult).reason as GssockError;
    assert.equal(ie.code, 'BAD_SIGNATURE', 'the acceptor proof fails');
    assert.equal(ie.origin, 'peer');
    const ae = (results[1] as PromiseRejectedResult).reason as GssockError;
    assert.equal(ae.code, 'CONNECTION_CLOSED');
  });

  it('closeOnFailure: false leaves the channel usable', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const ctx = new ScriptedContext('initiator', [{ done: false, throws: new Error('x') }]);
    await errorOf(establishContext({ context: ctx, channel: a, closeOnFailure: false }));
    assert.equal(a.closes, 0);
    await a.send({ flags: 0, body: bytes(1) });
    assert.deepEqual((await cb.receive())?.body, bytes(1));
  });

  it('maxLegs: a 3-leg handshake with maxLegs 2 -> LIMIT_EXCEEDED before the 3rd token', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const { initiator, acceptor } = await mockPair();
    const results = await Promise.allSettled([
      establishContext({ context: initiator, channel: a, maxLegs: 2 }),
      establishContext({ context: acceptor, channel: cb }),
    ]);
    assert.equal(((results[0] as PromiseRejectedResult).reason as GssockError).code, 'LIMIT_EXCEEDED');
    assert.equal(a.sends, 1, 'the PROOF was not sent');
    assert.equal(((results[1] as PromiseRejectedResult).reason as GssockError).code, 'CONNECTION_CLOSED');
  });

  it('maxLegs default 16 stops an endless ping-pong', async () => {
    const [a, b] = channelPair();
    const endless = (role: 'initiator' | 'acceptor'): SecurityContext =>
      new ScriptedContext(
        role,
        Array.from({ length: 100 }, () => ({ output: bytes(1), done: false })),
      );
    const results = await Promise.allSettled([
      establishContext({ context: endless('initiator'), channel: a }),
      establishContext({ context: endless('acceptor'), channel: b }),
    ]);
    // Both count the same legs: the initiator would send the 17th, the acceptor read it.
    const codes = results.map((r) => ((r as PromiseRejectedResult).reason as GssockError).code);
    assert.deepEqual(codes, ['LIMIT_EXCEEDED', 'LIMIT_EXCEEDED']);
  });

  it('refuses a bad maxLegs with INVALID_ARGUMENT', async () => {
    const [a] = channelPair();
    const e = await errorOf(
      establishContext({ context: new ScriptedContext('initiator', []), channel: a, maxLegs: 0 }),
    );
    assert.equal(e.code, 'INVALID_ARGUMENT');
  });

  it('an exception from onEvent fails the handshake as a GssockError', async () => {
    const [a, b] = channelPair();
    const { initiator, acceptor } = await mockPair();
    const results = await Promise.allSettled([
      establishContext({
        context: initiator,
        channel: a,
        onEvent: () => {
          throw new Error('listener bug');
        },
      }),
      establishContext({ context: acceptor, channel: b }),
    ]);
    const e = (results[0] as PromiseRejectedResult).reason;
    assert.ok(isGssockError(e, 'FAILURE'));
  });
});
