/**
 * KDCs that stall, reset or answer garbage, against the KDC client over real loopback
 * sockets (net-transport.ts: node:net / node:dgram, on every runtime). Each request ends
 * in a typed error within the configured timeout and leaves no socket or timer behind.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { type GssockError, isGssockError } from '../../src/core/errors.ts';
import { getInitialTicket } from '../../src/providers/kerberos/kdc/as-exchange.ts';
import { createNetTransport } from '../../src/providers/kerberos/kdc/net-transport.ts';
import { parsePrincipal } from '../../src/providers/kerberos/kdc/principal-name.ts';
import type { KdcAddress } from '../../src/providers/kerberos/kdc/transport.ts';
import { assertNoNewHandles, handleCounts, sleep } from './support.ts';

type Behaviour = 'stall' | 'reset' | 'garbage' | 'huge-record' | 'half-then-close' | 'fin';

/** A TCP "KDC" that misbehaves in one way. */
async function tcpKdc(behaviour: Behaviour): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    s.once('data', () => {
      const record = (body: Uint8Array) => {
        const out = new Uint8Array(4 + body.length);
        new DataView(out.buffer).setUint32(0, body.length);
        out.set(body, 4);
        return out;
      };
      switch (behaviour) {
        case 'stall':
          return;
        case 'reset':
          // A TCP RST where the runtime offers it (Node), else a plain close.
          if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
          else s.destroy();
          return;
        case 'fin':
          return void s.end();
        case 'garbage':
          return void s.write(record(crypto.getRandomValues(new Uint8Array(64))));
        case 'huge-record':
          return void s.write(new Uint8Array([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]));
        case 'half-then-close':
          return void s.end(record(new Uint8Array(200)).subarray(0, 50));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A UDP "KDC": swallows requests ('stall') or answers garbage. */
async function udpKdc(behaviour: 'stall' | 'garbage'): Promise<{ port: number; close(): Promise<void> }> {
  const socket: UdpSocket = createSocket('udp4');
  socket.on('message', (_msg, from) => {
    if (behaviour === 'garbage')
      socket.send(crypto.getRandomValues(new Uint8Array(80)), from.port, from.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return { port: socket.address().port, close: () => new Promise<void>((r) => socket.close(() => r())) };
}

/** A free UDP port nobody listens on (bound, read, closed). */
async function deadUdpPort(): Promise<number> {
  const s = await udpKdc('stall');
  await s.close();
  return s.port;
}

const TIMEOUT_MS = 600;

async function asRequest(kdcs: KdcAddress[]): Promise<{ error: GssockError; ms: number }> {
  const started = Date.now();
  try {
    await getInitialTicket({
      transport: createNetTransport({ attemptTimeoutMs: 250 }),
      kdcs,
      timeoutMs: TIMEOUT_MS,
      client: parsePrincipal('alice@FAULT.TEST'),
      secret: { password: 'pw' },
    });
  } catch (e) {
    return { error: e as GssockError, ms: Date.now() - started };
  }
  assert.fail('the AS exchange succeeded against a broken KDC');
}

const before = handleCounts();
after(async () => {
  await sleep(50);
  await assertNoNewHandles(before);
});

describe('KDC faults: each ends in a typed error within the timeout', () => {
  for (const [behaviour, codes] of [
    ['stall', ['TIMEOUT']],
    ['reset', ['IO_ERROR', 'CONNECTION_CLOSED']],
    ['fin', ['IO_ERROR', 'CONNECTION_CLOSED']],
    ['garbage', ['MALFORMED', 'DEFECTIVE_TOKEN', 'KERBEROS_ERROR']],
    ['huge-record', ['IO_ERROR', 'FRAME_TOO_LARGE', 'PROTOCOL_ERROR']],
    ['half-then-close', ['IO_ERROR', 'CONNECTION_CLOSED', 'TRUNCATED']],
  ] as const) {
    it(`TCP KDC that answers with ${behaviour}`, async () => {
      const kdc = await tcpKdc(behaviour);
      try {
        const { error, ms } = await asRequest([{ host: '127.0.0.1', port: kdc.port, protocol: 'tcp' }]);
        assert.ok(isGssockError(error), String(error));
        assert.ok((codes as readonly string[]).includes(error.code), `${error.code}: ${error.message}`);
        assert.ok(ms < TIMEOUT_MS + 500, `took ${ms} ms`);
      } finally {
        await kdc.close();
      }
    });
  }

  it('UDP KDC that never answers: TIMEOUT within the timeout', async () => {
    const kdc = await udpKdc('stall');
    try {
      const { error, ms } = await asRequest([{ host: '127.0.0.1', port: kdc.port, protocol: 'udp' }]);
      assert.equal(error.code, 'TIMEOUT', error.message);
      assert.ok(ms < TIMEOUT_MS + 500, `took ${ms} ms`);
    } finally {
      await kdc.close();
    }
  });

  it('UDP KDC that answers garbage: a typed decode error', async () => {
    const kdc = await udpKdc('garbage');
    try {
      const { error } = await asRequest([{ host: '127.0.0.1', port: kdc.port, protocol: 'udp' }]);
      assert.ok(['MALFORMED', 'DEFECTIVE_TOKEN', 'KERBEROS_ERROR'].includes(error.code), error.code);
    } finally {
      await kdc.close();
    }
  });

  it('UDP port with nobody listening: IO_ERROR or TIMEOUT, within the timeout', async () => {
    const port = await deadUdpPort();
    const { error, ms } = await asRequest([{ host: '127.0.0.1', port, protocol: 'udp' }]);
    assert.ok(['IO_ERROR', 'TIMEOUT'].includes(error.code), error.code);
    assert.ok(ms < TIMEOUT_MS + 500, `took ${ms} ms`);
  });

  it('a stalling KDC then a garbage one: both tried, one typed error naming both', async () => {
    const stall = await tcpKdc('stall');
    const reset = await tcpKdc('reset');
    try {
      const { error, ms } = await asRequest([
        { host: '127.0.0.1', port: stall.port, protocol: 'tcp' },
        { host: '127.0.0.1', port: reset.port, protocol: 'tcp' },
      ]);
      assert.equal(error.code, 'TIMEOUT', error.message);
      assert.equal((error.details.kdcs as string[]).length, 2);
      assert.ok(ms < TIMEOUT_MS + 500, `took ${ms} ms`);
    } finally {
      await stall.close();
      await reset.close();
    }
  });
});
