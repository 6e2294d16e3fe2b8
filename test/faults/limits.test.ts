/**
 * The limits table (src/server/limits.ts): defaults are the engine's and the transport's own,
 * validation refuses nonsense, and the bounded pieces (handshake gate, replay cache) hold
 * their bounds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError } from '../../src/core/errors.ts';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, DEFAULT_MAX_LEGS } from '../../src/engine/establish.ts';
import { DEFAULT_MAX_MESSAGE_SIZE } from '../../src/engine/session.ts';
import { memoryReplayCache } from '../../src/providers/kerberos/gss/replay-cache.ts';
import { HandshakeGate } from '../../src/server/admission.ts';
import { DEFAULT_LIMITS, DEFAULT_REPLAY_CACHE_ENTRIES, resolveLimits } from '../../src/server/limits.ts';
import { DEFAULT_MAX_FRAME_SIZE } from '../../src/transport/framing/length-prefix.ts';
import { sleep } from './support.ts';

describe('server limits', () => {
  it('defaults are the engine and transport defaults', () => {
    assert.equal(DEFAULT_LIMITS.handshakeTimeoutMs, DEFAULT_HANDSHAKE_TIMEOUT_MS);
    assert.equal(DEFAULT_LIMITS.maxLegs, DEFAULT_MAX_LEGS);
    assert.equal(DEFAULT_LIMITS.maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE);
    assert.equal(DEFAULT_LIMITS.maxFrameSize, DEFAULT_MAX_FRAME_SIZE);
    assert.ok(Object.isFrozen(DEFAULT_LIMITS));
  });

  it('the Kerberos replay cache is bounded at DEFAULT_REPLAY_CACHE_ENTRIES and fails closed there', () => {
    assert.equal(memoryReplayCache().maxEntries, DEFAULT_REPLAY_CACHE_ENTRIES);
    // The behaviour at the bound, on a small one (filling a million entries here would cost
    // seconds and ~130 MB per runtime).
    const cache = memoryReplayCache({ maxEntries: 50, clock: () => 0 });
    for (let i = 0; i < 50; i++)
      assert.equal(
        cache.checkAndStore({ client: 'a', server: 's', ctime: i, cusec: 0, tag: 't' }, 1e15),
        true,
      );
    assert.throws(
      () => cache.checkAndStore({ client: 'a', server: 's', ctime: 50, cusec: 0, tag: 't' }, 1e15),
      (e: unknown) => isGssockError(e, 'LIMIT_EXCEEDED'),
    );
    assert.equal(cache.size(), 50);
  });

  it('resolveLimits overrides defaults and refuses unknown names and bad values', () => {
    const l = resolveLimits({ maxLegs: 4, idleTimeoutMs: Number.POSITIVE_INFINITY });
    assert.equal(l.maxLegs, 4);
    assert.equal(l.idleTimeoutMs, Number.POSITIVE_INFINITY);
    assert.equal(l.maxFrameSize, DEFAULT_MAX_FRAME_SIZE);
    for (const bad of [
      { maxLegs: 0 },
      { maxConcurrentHandshakes: 1.5 },
      { maxQueuedHandshakes: -1 },
      { handshakeTimeoutMs: 0 },
      { idleTimeoutMs: Number.NaN },
      { maxFrameSize: 2 ** 32 },
      { maxMessageSize: -1 },
      { nosuch: 1 } as never,
    ]) {
      assert.throws(
        () => resolveLimits(bad),
        (e) => isGssockError(e, 'INVALID_ARGUMENT'),
        JSON.stringify(bad),
      );
    }
  });
});

describe('HandshakeGate', () => {
  it('runs `slots` at once, queues `queueSize` first come first served, refuses the rest', async () => {
    const gate = new HandshakeGate(2, 2);
    const a = await gate.enter(1000);
    const b = await gate.enter(1000);
    const order: string[] = [];
    const c = gate.enter(1000).then((r) => {
      order.push('c');
      return r;
    });
    const d = gate.enter(1000).then((r) => {
      order.push('d');
      return r;
    });
    await assert.rejects(gate.enter(1000), (e) => isGssockError(e, 'LIMIT_EXCEEDED'));
    assert.equal(gate.active, 2);
    assert.equal(gate.queued, 2);
    a();
    a(); // idempotent: releasing twice frees one slot only
    (await c)();
    b();
    (await d)();
    assert.deepEqual(order, ['c', 'd']);
    assert.equal(gate.active, 0);
    assert.equal(gate.peakQueued, 2);
  });

  it('a waiter gives up at its own deadline; shut() rejects the rest', async () => {
    const gate = new HandshakeGate(1, 4);
    const hold = await gate.enter(1000);
    const started = Date.now();
    await assert.rejects(gate.enter(50), (e) => isGssockError(e, 'TIMEOUT'));
    assert.ok(Date.now() - started < 1000);
    assert.equal(gate.queued, 0);
    const waiting = gate.enter(60_000);
    gate.shut();
    await assert.rejects(waiting, (e) => isGssockError(e, 'ABORTED'));
    await assert.rejects(gate.enter(10), (e) => isGssockError(e, 'ABORTED'));
    hold();
    await sleep(1);
  });
});
