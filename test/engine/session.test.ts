import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type GssockError, isGssockError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import { accept, initiate, openSession, type Session, type SessionOptions } from '../../src/engine/index.ts';
import { mock } from '../../src/providers/mock/index.ts';
import type { Frame } from '../../src/transport/channel.ts';
import { GssSampleFlags, gssSample } from '../../src/transport/framing/index.ts';
import { seededRandom } from '../../src/testing/inject.ts';
import { channelPair, ScriptedContext, SpyChannel } from './support.ts';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

async function sessions(
  o: {
    flags?: number;
    client?: SessionOptions;
    server?: SessionOptions;
    rewrite?: SpyChannel['rewrite'];
  } = {},
): Promise<{ client: Session; server: Session; wire: SpyChannel }> {
  const [ca, cb] = channelPair();
  const wire = new SpyChannel(ca);
  const [client, server] = await Promise.all([
    initiate({
      mechanism: mock(),
      channel: wire,
      target: 'host/server@MOCK',
      flags: o.flags ?? Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE,
      random: seededRandom('client'),
      session: o.client ?? {},
    }),
    accept({ mechanism: mock(), channel: cb, random: seededRandom('server'), session: o.server ?? {} }),
  ]);
  // From here on, the spy may tamper with what the client sends.
  if (o.rewrite) wire.rewrite = (f, i) => (i < 2 ? [f] : o.rewrite!(f, i - 2));
  return { client, server, wire };
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => assert.fail('expected a rejection'),
    (e: GssockError) => e,
  );

describe('sessions', () => {
  it('carry messages both ways, sealed by default and integrity-only on request', async () => {
    const { client, server, wire } = await sessions();
    await client.send(text('ping'));
    assert.equal(str(await server.receive()), 'ping');
    await server.send(text('pong'), { confidential: false });
    assert.equal(str(await client.receive()), 'pong');
    // Sealed: the plaintext is not on the wire.
    const sealedFrame = wire.sent[2]!.body;
    assert.ok(!new TextDecoder().decode(sealedFrame).includes('ping'));
    await client.send(text('open letter'), { confidential: false });
    assert.ok(new TextDecoder().decode(wire.sent[3]!.body).includes('open letter'));
    assert.equal(str(await server.receive()), 'open letter');
    await Promise.all([client.close(), server.close()]);
  });

  it('put the session frameFlags on message frames', async () => {
    const [a, b] = channelPair(gssSample());
    const spy = new SpyChannel(a);
    const flags = GssSampleFlags.DATA | GssSampleFlags.WRAPPED | GssSampleFlags.ENCRYPTED;
    const [client, server] = await Promise.all([
      initiate({
        mechanism: mock(),
        channel: spy,
        frameFlags: GssSampleFlags.CONTEXT,
        session: { frameFlags: flags },
      }),
      accept({ mechanism: mock(), channel: b, frameFlags: GssSampleFlags.CONTEXT }),
    ]);
    await client.send(text('x'));
    assert.equal(spy.sent.at(-1)!.flags, flags);
    assert.equal(str(await server.receive()), 'x');
    await Promise.all([client.close(), server.close()]);
  });

  it('iterate asynchronously until the peer closes', async () => {
    const { client, server } = await sessions();
    const words = ['one', 'two', 'three', 'four'];
    const sending = (async () => {
      for (const w of words) await client.send(text(w));
      await client.close();
    })();
    const got: string[] = [];
    for await (const m of server) got.push(str(m)!);
    await sending;
    assert.deepEqual(got, words);
    assert.equal(await server.receive(), null);
    await server.close();
  });

  it('serialize concurrent sends so sequence numbers stay in wire order', async () => {
    const { client, server } = await sessions();
    const n = 50;
    await Promise.all(Array.from({ length: n }, (_, i) => client.send(text(`m${i}`))));
    const got: string[] = [];
    for (let i = 0; i < n; i++) got.push(str(await server.receive())!);
    assert.deepEqual(
      got,
      Array.from({ length: n }, (_, i) => `m${i}`),
    );
    await Promise.all([client.close(), server.close()]);
  });

  it('refuse messages over maxMessageSize: local when sending, peer when receiving', async () => {
    const { client, server } = await sessions({
      client: { maxMessageSize: 4 },
      server: { maxMessageSize: 8 },
    });
    const e1 = await rejection(client.send(new Uint8Array(5)));
    assert.equal(e1.code, 'LIMIT_EXCEEDED');
    assert.equal(e1.origin, 'local');
    await server.send(new Uint8Array(6));
    const e2 = await rejection(client.receive());
    assert.equal(e2.code, 'LIMIT_EXCEEDED');
    assert.equal(e2.origin, 'peer');
    await Promise.all([client.close(), server.close()]);
  });

  it('requireConfidential refuses an integrity-only message', async () => {
    const { client, server } = await sessions({ server: { requireConfidential: true } });
    await client.send(text('plain'), { confidential: false });
    const e = await rejection(server.receive());
    assert.equal(e.code, 'PROTOCOL_ERROR');
    await client.send(text('sealed'));
    assert.equal(str(await server.receive()), 'sealed');
    await Promise.all([client.close(), server.close()]);
  });

  it('close() disposes the context and later calls fail with INVALID_STATE', async () => {
    const { client, server } = await sessions();
    await client.close();
    await client.close();
    assert.throws(
      () => client.context.wrap(text('x')),
      (e) => isGssockError(e, 'INVALID_STATE'),
    );
    assert.equal((await rejection(client.send(text('x')))).code, 'INVALID_STATE');
    assert.equal((await rejection(client.receive())).code, 'INVALID_STATE');
    assert.equal(await server.receive(), null);
    await server.close();
  });

  it('a send made just before close() still arrives', async () => {
    const { client, server } = await sessions();
    const sent = client.send(text('last words'));
    await client.close();
    await sent;
    assert.equal(str(await server.receive()), 'last words');
    assert.equal(await server.receive(), null);
    await server.close();
  });

  it('openSession refuses a context that is not established', () => {
    const [a] = channelPair();
    const ctx = new ScriptedContext('initiator', []);
    assert.throws(
      () => openSession({ context: ctx, info: {} as never }, a),
      (e) => isGssockError(e, 'INVALID_STATE'),
    );
  });
});

describe('sessions under attack (a man in the middle on the client side)', () => {
  const flip = (f: Frame): Frame[] => {
    const body = f.body.slice();
    body[body.length - 1]! ^= 0x80;
    return [{ flags: f.flags, body }];
  };

  it('a tampered message -> BAD_SIGNATURE, and the session goes on', async () => {
    const { client, server } = await sessions({ rewrite: (f, i) => (i === 0 ? flip(f) : [f]) });
    await client.send(text('transfer 10'));
    const e = await rejection(server.receive());
    assert.equal(e.code, 'BAD_SIGNATURE');
    assert.equal(e.origin, 'peer');
    await client.send(text('next'));
    // The tampered token was refused before its number was recorded: a gap under SEQUENCE,
    // after which the session is in step again.
    assert.equal((await rejection(server.receive())).code, 'GAP_TOKEN');
    await client.send(text('after'));
    assert.equal(str(await server.receive()), 'after');
    await Promise.all([client.close(), server.close()]);
  });

  it('a replayed message -> DUPLICATE_TOKEN', async () => {
    const { client, server } = await sessions({ rewrite: (f) => [f, f] });
    await client.send(text('pay once'));
    assert.equal(str(await server.receive()), 'pay once');
    assert.equal((await rejection(server.receive())).code, 'DUPLICATE_TOKEN');
    await Promise.all([client.close(), server.close()]);
  });

  it('reordered messages -> GAP_TOKEN then UNSEQ_TOKEN with SEQUENCE, accepted in any order with only REPLAY', async () => {
    for (const [flags, expected] of [
      [Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE, ['GAP_TOKEN', 'UNSEQ_TOKEN']],
      [Flags.MUTUAL | Flags.REPLAY, ['second', 'first']],
    ] as const) {
      let held: Frame | undefined;
      const { client, server } = await sessions({
        flags,
        rewrite: (f, i) => {
          if (i === 0) {
            held = f;
            return [];
          }
          return i === 1 ? [f, held!] : [f];
        },
      });
      await client.send(text('first'));
      await client.send(text('second'));
      const got: string[] = [];
      for (let i = 0; i < 2; i++) {
        got.push((await server.receive().then(str, (e: GssockError) => e.code)) as string);
      }
      assert.deepEqual(got, expected);
      await Promise.all([client.close(), server.close()]);
    }
  });
});
