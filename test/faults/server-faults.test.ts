/**
 * Misbehaving peers against serve(): each ends ONE connection with a typed error within the
 * configured deadline, never calls onSession, and leaves no socket, timer or context
 * behind (support.ts says how that is checked on each runtime).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type GssockError, isGssockError } from '../../src/core/errors.ts';
import { initiate } from '../../src/engine/initiate.ts';
import { mock } from '../../src/providers/mock/index.ts';
import { fromNodeSocket } from '../../src/transport/adapters/node.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/u32be.ts';
import { type ConnectionInfo, type Server, type ServeOptions, serve } from '../../src/server/index.ts';
import type { ServerLimits } from '../../src/server/limits.ts';
import {
  assertNoNewHandles,
  clientChannel,
  frame,
  handleCounts,
  rawPeer,
  sleep,
  trackedMechanism,
  waitFor,
} from './support.ts';

const SECRET = 'fault-test-secret';

interface Harness {
  server: Server;
  errors: { error: GssockError; connection: ConnectionInfo }[];
  sessions: number;
  mech: ReturnType<typeof trackedMechanism>;
}

let current: Harness | undefined;
let before: Record<string, number> | null = null;

async function start(
  limits: Partial<ServerLimits>,
  onSession: ServeOptions['onSession'] = async (s) => {
    for await (const m of s) await s.send(m);
  },
): Promise<Harness> {
  before = handleCounts();
  const mech = trackedMechanism(mock({ secret: SECRET }));
  const h: Harness = { errors: [], sessions: 0, mech, server: undefined as unknown as Server };
  h.server = await serve({
    mechanism: mech,
    listen: { port: 0 },
    limits,
    onSession: (s, c) => {
      h.sessions++;
      return onSession(s, c);
    },
    onError: (error, connection) => h.errors.push({ error, connection: { ...connection } }),
  });
  current = h;
  return h;
}

afterEach(async () => {
  const h = current;
  current = undefined;
  if (!h) return;
  await h.server.close();
  const s = h.server.stats();
  assert.equal(s.open, 0, 'connections left open');
  assert.equal(s.handshaking + s.queued + s.sessions, 0, 'handshakes, queue or sessions left');
  assert.equal(h.mech.live(), 0, 'security contexts not disposed');
  await assertNoNewHandles(before);
});

/** A real mock INIT token, as a well-behaved initiator sends it. */
async function initToken(): Promise<Uint8Array> {
  const ctx = await mock({ secret: SECRET }).createContext('initiator', { target: 'host/server@MOCK' });
  const r = await ctx.step(null);
  ctx.dispose();
  return r.outputToken!;
}

async function onlyError(h: Harness): Promise<GssockError> {
  // The peer may see its socket closed a moment before onError runs.
  await waitFor(() => h.errors.length > 0, 'the connection error');
  await sleep(20);
  assert.equal(h.errors.length, 1, `expected one error, got ${h.errors.map((e) => e.error.code).join(', ')}`);
  return h.errors[0]!.error;
}

describe('serve(): misbehaving peers', () => {
  it('a peer closing mid-frame ends its handshake with TRUNCATED (origin peer)', async () => {
    const h = await start({ handshakeTimeoutMs: 2000 });
    const peer = await rawPeer(h.server.port);
    await peer.write(frame(new Uint8Array(100)).subarray(0, 20));
    peer.socket.end();
    await waitFor(() => h.errors.length === 1, 'the handshake error');
    const e = await onlyError(h);
    assert.equal(e.code, 'TRUNCATED');
    assert.equal(e.origin, 'peer');
    assert.equal(h.sessions, 0);
  });

  it('a peer closing mid-handshake (after INIT) ends it with CONNECTION_CLOSED (origin peer)', async () => {
    const h = await start({ handshakeTimeoutMs: 2000 });
    const peer = await rawPeer(h.server.port);
    await peer.write(frame(await initToken()));
    await waitFor(() => peer.received().length > 4, 'the CHALLENGE');
    peer.socket.end();
    await waitFor(() => h.errors.length === 1, 'the handshake error');
    const e = await onlyError(h);
    assert.equal(e.code, 'CONNECTION_CLOSED');
    assert.equal(e.origin, 'peer');
    assert.equal(h.errors[0]!.connection.phase, 'handshake');
    assert.equal(h.sessions, 0);
  });

  it('a peer closing mid-message ends the session with TRUNCATED; the server goes on', async () => {
    let seen: unknown;
    const h = await start({ handshakeTimeoutMs: 2000 }, async (s) => {
      try {
        for await (const m of s) await s.send(m);
      } catch (e) {
        seen = e;
        throw e;
      }
    });
    const peer = await rawPeer(h.server.port);
    const channel = frameChannel(fromNodeSocket(peer.socket), u32be());
    const session = await initiate({
      mechanism: mock({ secret: SECRET }),
      channel,
      target: 'host/server@MOCK',
    });
    await session.send(new TextEncoder().encode('hello'));
    assert.deepEqual(await session.receive(), new TextEncoder().encode('hello'));
    // A frame header announcing 64 bytes, 10 of them, then FIN: what a crashed client leaves.
    await peer.write(frame(new Uint8Array(64)).subarray(0, 14));
    peer.socket.end();
    await waitFor(() => h.server.stats().sessionErrors === 1, 'the session error');
    assert.ok(isGssockError(seen, 'TRUNCATED'), String(seen));
    assert.equal((seen as GssockError).origin, 'peer');
    await session.close();
    // The server goes on: a new client is served.
    const next = await initiate({
      mechanism: mock({ secret: SECRET }),
      channel: await clientChannel(h.server.port),
      target: 'host/server@MOCK',
    });
    await next.send(new Uint8Array([7]));
    assert.deepEqual(await next.receive(), new Uint8Array([7]));
    await next.close();
  });

  it('a slowloris peer (one byte per 100 ms) is cut at handshakeTimeoutMs with a TimeoutError', async () => {
    const h = await start({ handshakeTimeoutMs: 600 });
    const peer = await rawPeer(h.server.port);
    const bytes = frame(await initToken());
    let stop = false;
    const drip = (async () => {
      for (let i = 0; i < bytes.length && !stop; i++) {
        await peer.write(bytes.subarray(i, i + 1)).catch(() => (stop = true));
        await sleep(100);
      }
    })();
    const closedAfter = await peer.closed;
    stop = true;
    await drip;
    const e = await onlyError(h);
    assert.equal(e.code, 'TIMEOUT');
    assert.equal(e.name, 'TimeoutError');
    assert.ok(closedAfter >= 550 && closedAfter < 2500, `closed after ${closedAfter} ms`);
    assert.equal(h.sessions, 0);
  });

  it('a silent peer is cut at handshakeTimeoutMs', async () => {
    const h = await start({ handshakeTimeoutMs: 300 });
    const peer = await rawPeer(h.server.port);
    const closedAfter = await peer.closed;
    assert.equal((await onlyError(h)).code, 'TIMEOUT');
    assert.ok(closedAfter >= 250 && closedAfter < 2000, `closed after ${closedAfter} ms`);
  });

  it('a valid first token then garbage fails with a typed error from the peer', async () => {
    const h = await start({ handshakeTimeoutMs: 2000 });
    const peer = await rawPeer(h.server.port);
    await peer.write(frame(await initToken()));
    await waitFor(() => peer.received().length > 4, 'the CHALLENGE');
    await peer.write(frame(crypto.getRandomValues(new Uint8Array(37))));
    await peer.closed;
    const e = await onlyError(h);
    assert.ok(['DEFECTIVE_TOKEN', 'MALFORMED', 'LOGON_DENIED', 'BAD_SIGNATURE'].includes(e.code), e.code);
    assert.equal(e.origin, 'peer');
    assert.equal(h.sessions, 0);
  });

  it('garbage as the first token fails with a typed peer error', async () => {
    const h = await start({});
    const peer = await rawPeer(h.server.port);
    await peer.write(frame(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')));
    await peer.closed;
    const e = await onlyError(h);
    assert.equal(e.origin, 'peer');
    assert.ok(isGssockError(e), String(e));
  });

  it('an HTTP request (a 1.2 GB "frame") fails at once with FRAME_TOO_LARGE, nothing allocated', async () => {
    const h = await start({ maxFrameSize: 64 * 1024 });
    const peer = await rawPeer(h.server.port);
    await peer.write(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    const closedAfter = await peer.closed;
    const e = await onlyError(h);
    assert.equal(e.code, 'FRAME_TOO_LARGE');
    assert.ok(closedAfter < 1000);
  });

  it('an empty token fails with DEFECTIVE_TOKEN', async () => {
    const h = await start({});
    const peer = await rawPeer(h.server.port);
    await peer.write(frame(new Uint8Array(0)));
    await peer.closed;
    assert.equal((await onlyError(h)).code, 'DEFECTIVE_TOKEN');
  });

  it('maxLegs below what the mechanism needs fails with LIMIT_EXCEEDED', async () => {
    const h = await start({ maxLegs: 2 });
    const channel = await clientChannel(h.server.port);
    // The mock initiator is done once it sent PROOF; the acceptor refuses to read it.
    const session = await initiate({
      mechanism: mock({ secret: SECRET }),
      channel,
      target: 'host/server@MOCK',
    });
    assert.equal((await onlyError(h)).code, 'LIMIT_EXCEEDED');
    assert.equal(await session.receive().catch(() => null), null);
    await session.close();
    assert.equal(h.sessions, 0);
  });

  it('a wrong secret never reaches onSession', async () => {
    const h = await start({});
    const channel = await clientChannel(h.server.port);
    await assert.rejects(
      initiate({
        mechanism: mock({ secret: 'wrong' }),
        channel,
        target: 'host/server@MOCK',
        timeoutMs: 2000,
      }),
      (e: GssockError) => isGssockError(e),
    );
    await waitFor(() => h.errors.length === 1, 'the server error');
    assert.equal(h.sessions, 0);
    assert.equal(h.server.stats().established, 0);
  });
});

describe('serve(): limits on connections and sessions', () => {
  it('past maxConcurrentHandshakes connections queue; past the queue they are refused at once', async () => {
    const h = await start({ maxConcurrentHandshakes: 2, maxQueuedHandshakes: 1, handshakeTimeoutMs: 800 });
    const peers = [];
    for (let i = 0; i < 5; i++) peers.push(await rawPeer(h.server.port));
    await waitFor(() => h.server.stats().refused === 2, 'two refusals');
    const s = h.server.stats();
    assert.equal(s.handshaking, 2);
    assert.equal(s.queued, 1);
    assert.equal(s.peakHandshaking, 2);
    const closings = await Promise.all(peers.map((p) => p.closed));
    await waitFor(() => h.errors.length === 5, 'five errors');
    // Every connection, queued ones too, is gone within handshakeTimeoutMs of its accept.
    for (const ms of closings) assert.ok(ms < 2500, `closed after ${ms} ms`);
    const codes = h.errors.map((e) => e.error.code).sort();
    assert.deepEqual(codes, ['LIMIT_EXCEEDED', 'LIMIT_EXCEEDED', 'TIMEOUT', 'TIMEOUT', 'TIMEOUT']);
  });

  it('a queued connection is served once a slot frees', async () => {
    const h = await start({ maxConcurrentHandshakes: 1, maxQueuedHandshakes: 4, handshakeTimeoutMs: 5000 });
    const silent = await rawPeer(h.server.port);
    await waitFor(() => h.server.stats().handshaking === 1, 'the first handshake');
    const channel = await clientChannel(h.server.port);
    const pending = initiate({ mechanism: mock({ secret: SECRET }), channel, target: 'host/server@MOCK' });
    await waitFor(() => h.server.stats().queued === 1, 'the queued connection');
    silent.destroy();
    const session = await pending;
    await session.send(new Uint8Array([1, 2, 3]));
    assert.deepEqual(await session.receive(), new Uint8Array([1, 2, 3]));
    await session.close();
  });

  it('past maxConnections (sessions included) a connection is refused at once', async () => {
    const h = await start({ maxConnections: 1 }, async (s) => {
      await s.receive();
    });
    const channel = await clientChannel(h.server.port);
    const session = await initiate({
      mechanism: mock({ secret: SECRET }),
      channel,
      target: 'host/server@MOCK',
    });
    const peer = await rawPeer(h.server.port);
    const closedAfter = await peer.closed;
    assert.ok(closedAfter < 1000);
    assert.equal(h.server.stats().refused, 1);
    assert.equal((await onlyError(h)).code, 'LIMIT_EXCEEDED');
    await session.close();
  });

  it('a session without traffic is cut at idleTimeoutMs with a TimeoutError', async () => {
    let seen: unknown;
    const h = await start({ idleTimeoutMs: 300 }, async (s) => {
      try {
        await s.receive();
      } catch (e) {
        seen = e;
        throw e;
      }
    });
    const channel = await clientChannel(h.server.port);
    const session = await initiate({
      mechanism: mock({ secret: SECRET }),
      channel,
      target: 'host/server@MOCK',
    });
    const started = Date.now();
    assert.equal(await session.receive().catch(() => null), null);
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 2000, `cut after ${took} ms`);
    assert.ok(isGssockError(seen, 'TIMEOUT'), String(seen));
    assert.equal(h.server.stats().idleTimeouts, 1);
    await session.close();
  });

  it('a session whose peer stops reading is cut at idleTimeoutMs even with a send blocked', async () => {
    const h = await start({ idleTimeoutMs: 400 }, async (s) => {
      const big = new Uint8Array(512 * 1024);
      for (;;) await s.send(big); // the peer never reads: TCP's window fills, send blocks
    });
    const channel = await clientChannel(h.server.port);
    const session = await initiate({
      mechanism: mock({ secret: SECRET }),
      channel,
      target: 'host/server@MOCK',
    });
    await waitFor(() => h.server.stats().sessionErrors === 1, 'the session to be cut', 6000);
    assert.equal(h.errors.at(-1)!.error.code, 'TIMEOUT');
    await session.close();
  });

  it('many handshakes at once add no listeners to a shared signal (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    globalThis.process.on('warning', onWarning);
    try {
      const h = await start({ handshakeTimeoutMs: 300 });
      const peers = [];
      for (let i = 0; i < 24; i++) peers.push(await rawPeer(h.server.port));
      await waitFor(() => h.server.stats().handshaking === 24, '24 handshakes');
      await Promise.all(peers.map((p) => p.closed));
      await sleep(20);
    } finally {
      globalThis.process.off('warning', onWarning);
    }
    assert.deepEqual(
      warnings.filter((w) => w === 'MaxListenersExceededWarning'),
      [],
    );
  });

  it('close() with handshakes and queued connections in flight ends them all', async () => {
    const h = await start({ maxConcurrentHandshakes: 2, maxQueuedHandshakes: 8, handshakeTimeoutMs: 60_000 });
    const peers = [];
    for (let i = 0; i < 6; i++) peers.push(await rawPeer(h.server.port));
    await waitFor(() => h.server.stats().queued === 4, 'the queue');
    const started = Date.now();
    await h.server.close();
    assert.ok(Date.now() - started < 3000);
    await Promise.all(peers.map((p) => p.closed));
    for (const { error } of h.errors) assert.equal(error.code, 'ABORTED');
    assert.equal(h.errors.length, 6);
  });
});
