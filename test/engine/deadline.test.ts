import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError, type GssockError, TimeoutError } from '../../src/core/errors.ts';
import { accept, Deadline, establishContext, initiate } from '../../src/engine/index.ts';
import { mock } from '../../src/providers/mock/index.ts';
import { channelPair, SpyChannel, sleep, trackTimers } from './support.ts';

const reason = (r: PromiseSettledResult<unknown>) => (r as PromiseRejectedResult).reason as GssockError;

describe('handshake deadline', () => {
  it('a stalling acceptor -> TimeoutError on both sides, no timer left behind', async () => {
    const timers = trackTimers();
    try {
      const [ca, cb] = channelPair();
      const a = new SpyChannel(ca);
      const b = new SpyChannel(cb);
      const started = Date.now();
      const results = await Promise.allSettled([
        initiate({ mechanism: mock(), channel: a, timeoutMs: 150 }),
        accept({ mechanism: mock({ misbehave: { stallMs: 60_000 } }), channel: b, timeoutMs: 100 }),
      ]);
      assert.ok(Date.now() - started < 5_000, 'did not wait for the stall');
      const acceptorError = reason(results[1]!);
      assert.ok(acceptorError instanceof TimeoutError);
      assert.equal(acceptorError.code, 'TIMEOUT');
      // The initiator times out or sees the acceptor's close, whichever comes first.
      assert.ok(['TIMEOUT', 'CONNECTION_CLOSED'].includes(reason(results[0]!).code));
      assert.ok(b.closes >= 1 && a.closes >= 1);
      await sleep(0);
      assert.equal(timers.live(), 0, 'the deadline and the stall timers are gone');
    } finally {
      timers.restore();
    }
  });

  it('interrupts a receive waiting on a silent peer and closes the channel', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const context = await mock().createContext('initiator', {});
    const pending = establishContext({ context, channel: a, timeoutMs: 50, closeOnFailure: false });
    const e = await pending.then(
      () => assert.fail('should time out'),
      (x) => x,
    );
    assert.ok(e instanceof TimeoutError);
    assert.equal(a.closes, 1, 'closed even with closeOnFailure: false');
    assert.ok((await cb.receive())?.body.length, 'INIT had been sent');
    assert.equal(await cb.receive(), null, 'the silent peer sees the end of the stream');
  });

  it('a handshake that completes clears its timer', async () => {
    const timers = trackTimers();
    try {
      const [a, b] = channelPair();
      const [c, s] = await Promise.all([
        initiate({ mechanism: mock(), channel: a, timeoutMs: 60_000 }),
        accept({ mechanism: mock(), channel: b, timeoutMs: 60_000 }),
      ]);
      assert.equal(timers.live(), 0);
      await Promise.all([c.close(), s.close()]);
    } finally {
      timers.restore();
    }
  });

  it('rejects a non-positive timeout with INVALID_ARGUMENT and closes the channel', async () => {
    const [ca] = channelPair();
    const a = new SpyChannel(ca);
    const context = await mock().createContext('initiator', {});
    const e = await establishContext({ context, channel: a, timeoutMs: 0 }).catch((x) => x);
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.equal(a.closes, 1);
  });
});

describe('abort', () => {
  it('aborting mid-handshake -> AbortedError carrying the reason', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const controller = new AbortController();
    const context = await mock().createContext('initiator', {});
    const pending = establishContext({ context, channel: a, signal: controller.signal });
    await cb.receive();
    const why = new Error('user pressed ^C');
    controller.abort(why);
    const e = await pending.catch((x) => x);
    assert.ok(e instanceof AbortedError);
    assert.equal(e.code, 'ABORTED');
    assert.equal(e.cause, why);
    assert.equal(a.closes, 1);
  });

  it('an already-aborted signal fails before anything is sent', async () => {
    const [ca] = channelPair();
    const a = new SpyChannel(ca);
    const context = await mock().createContext('initiator', {});
    const e = await establishContext({ context, channel: a, signal: AbortSignal.abort() }).catch((x) => x);
    assert.ok(e instanceof AbortedError);
    assert.equal(a.sends, 0);
  });
});

describe('Deadline', () => {
  it('race passes values through and dispose removes the abort listener', async () => {
    const controller = new AbortController();
    let expired = 0;
    const d = new Deadline({
      timeoutMs: 1000,
      signal: controller.signal,
      what: 'x',
      onExpire: () => expired++,
    });
    assert.equal(await d.race(Promise.resolve(5)), 5);
    assert.equal(await d.race(6), 6);
    d.dispose();
    controller.abort();
    assert.equal(expired, 0);
    assert.equal(d.error, undefined);
  });

  it('fires once; later races reject at once with the same error', async () => {
    let expired = 0;
    const d = new Deadline({ timeoutMs: 10, what: 'thing', onExpire: () => expired++ });
    const e = await d.race(new Promise(() => {})).catch((x) => x);
    assert.ok(e instanceof TimeoutError);
    assert.match(e.message, /thing did not complete within 10 ms/);
    assert.equal(await d.race(1).catch((x) => x), e);
    assert.equal(expired, 1);
  });
});
