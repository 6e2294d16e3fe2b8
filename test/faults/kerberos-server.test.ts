/**
 * Kerberos through serve(): a replayed AP-REQ, a tampered or cut one, and an initiator
 * whose KDC stalls. Each fails one handshake with a typed error and never yields a session.
 */
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type GssockError, isGssockError } from '../../src/core/errors.ts';
import { initiate } from '../../src/engine/initiate.ts';
import { kerberos } from '../../src/providers/kerberos/gss/mechanism.ts';
import { createNetTransport } from '../../src/providers/kerberos/kdc/net-transport.ts';
import { type Server, serve } from '../../src/server/index.ts';
import { createTestRealm, type TestRealm } from '../../src/testing/kerberos.ts';
import { clientChannel, frame, rawPeer, trackedMechanism, waitFor } from './support.ts';

let realm: TestRealm;
let server: Server;
let acceptor: ReturnType<typeof trackedMechanism>;
const errors: GssockError[] = [];
let sessions = 0;

before(async () => {
  realm = await createTestRealm();
  acceptor = trackedMechanism(kerberos({ keytab: realm.service.keytab }));
  server = await serve({
    mechanism: acceptor,
    listen: { port: 0 },
    limits: { handshakeTimeoutMs: 3000 },
    onSession: async (s) => {
      sessions++;
      for await (const m of s) await s.send(m);
    },
    onError: (e, c) => {
      if (c.phase !== 'session') errors.push(e);
    },
  });
});

after(async () => {
  await server.close();
  await realm.stop();
  assert.equal(acceptor.live(), 0, 'acceptor contexts not disposed');
  assert.equal(server.stats().open, 0);
});

const client = () => kerberos({ ccache: realm.user.ccache, kdc: realm.clientOptions() });

/** A fresh AP-REQ from a real initiator. */
async function apReq(): Promise<Uint8Array> {
  const ctx = await client().createContext('initiator', { target: realm.service.target });
  const r = await ctx.step(null);
  ctx.dispose();
  return r.outputToken!;
}

async function sendRaw(token: Uint8Array): Promise<GssockError | undefined> {
  const n = errors.length;
  const established = server.stats().established;
  const peer = await rawPeer(server.port);
  await peer.write(frame(token));
  await waitFor(() => errors.length > n || server.stats().established > established, 'an outcome');
  peer.destroy();
  await peer.closed;
  return errors[n];
}

describe('Kerberos acceptor behind serve()', () => {
  it('a good initiator gets a session', async () => {
    const session = await initiate({
      mechanism: client(),
      channel: await clientChannel(server.port),
      target: realm.service.target,
    });
    await session.send(new Uint8Array([1, 2]));
    assert.deepEqual(await session.receive(), new Uint8Array([1, 2]));
    await session.close();
  });

  it('a replayed AP-REQ is refused on its second connection (DUPLICATE_TOKEN, origin peer)', async () => {
    const token = await apReq();
    const before = sessions;
    assert.equal(await sendRaw(token), undefined);
    await waitFor(() => sessions === before + 1, 'the first session');
    const e = await sendRaw(token);
    assert.ok(isGssockError(e, 'DUPLICATE_TOKEN'), String(e));
    assert.equal(e!.origin, 'peer');
    assert.equal(sessions, before + 1);
  });

  it('an AP-REQ with a flipped bit in every position class fails typed, never a session', async () => {
    const token = await apReq();
    const before = sessions;
    // RFC 4120 §5.5.1: ap-options are not covered by any checksum, so a flipped option bit
    // may still authenticate (MIT too); the initiator stays safe because its MUTUAL request
    // travels in the authenticated 0x8003 checksum. Every other byte must fail. ap-options
    // is the [2] field: a2 07 03 05 00 <4 bytes>. The AP-REQ's size (and so where byte 20
    // lands) varies with the ticket, so skip exactly that field.
    const apOptions = findBytes(token, [0xa2, 0x07, 0x03, 0x05, 0x00]);
    assert.ok(apOptions > 0, 'the AP-REQ has its ap-options field');
    const unauthenticated = (i: number) => i >= apOptions && i < apOptions + 9;
    const positions = [0, 1, 5, 20, 21, Math.floor(token.length / 2), token.length - 20, token.length - 1];
    for (const at of positions.filter((i) => !unauthenticated(i))) {
      const bad = token.slice();
      bad[at]! ^= 0x01;
      const e = await sendRaw(bad);
      assert.ok(isGssockError(e), `byte ${at}: ${String(e)}`);
      assert.equal(e!.origin, 'peer', `byte ${at}: ${e!.code} ${e!.message}`);
    }
    assert.equal(sessions, before);
  });

  it('a cut AP-REQ fails typed', async () => {
    const token = await apReq();
    for (const keep of [1, 10, token.length >> 1, token.length - 1]) {
      const e = await sendRaw(token.subarray(0, keep));
      assert.ok(isGssockError(e), String(e));
      assert.equal(e!.origin, 'peer');
    }
  });
});

describe('Kerberos initiator whose KDC stalls', () => {
  it('fails with TIMEOUT within the KDC timeout and leaves the server untouched', async () => {
    const stalled = new Set<Socket>();
    const kdc = createServer((s) => {
      stalled.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => kdc.listen(0, '127.0.0.1', r));
    const port = (kdc.address() as { port: number }).port;
    const mechanism = kerberos({
      principal: realm.user.name,
      password: realm.user.password,
      kdc: {
        transport: createNetTransport({ attemptTimeoutMs: 200 }),
        kdcs: [{ host: '127.0.0.1', port, protocol: 'tcp' }],
        timeoutMs: 400,
      },
    });
    const started = Date.now();
    const accepted = server.stats().accepted;
    await assert.rejects(
      initiate({ mechanism, channel: await clientChannel(server.port), target: realm.service.target }),
      (e: GssockError) => isGssockError(e, 'TIMEOUT'),
    );
    assert.ok(Date.now() - started < 1500);
    for (const s of stalled) s.destroy();
    await new Promise<void>((r) => kdc.close(() => r()));
    await waitFor(() => server.stats().open === 0, 'the aborted connection to close');
    assert.equal(server.stats().accepted, accepted + 1);
  });
});

function findBytes(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
