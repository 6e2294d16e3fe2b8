/**
 * One conformance suite for every runtime adapter, run over real loopback TCP by the
 * per-adapter test files (adapter-<name>.test.ts) on the runtime the adapter is for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AbortedError,
  FrameTooLargeError,
  GssockError,
  TruncatedStreamError,
} from '../../src/core/errors.ts';
import type {
  ByteStream,
  Frame,
  Listener,
  ListenOptions,
  StreamHandler,
} from '../../src/transport/channel.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { GssSampleFlags, gssSample, u32be } from '../../src/transport/framing/index.ts';

export interface AdapterUnderTest {
  connect(options: { host: string; port: number; signal?: AbortSignal }): Promise<ByteStream>;
  listen(options: ListenOptions, onStream: StreamHandler): Promise<Listener>;
}

const HOST = '127.0.0.1';

/** A server that echoes every frame until the client ends; collects its errors. */
async function echoServer(adapter: AdapterUnderTest, codec = u32be()) {
  const errors: unknown[] = [];
  const listener = await adapter.listen({ host: HOST, port: 0 }, async (stream) => {
    const channel = frameChannel(stream, codec);
    try {
      for (let f = await channel.receive(); f; f = await channel.receive()) await channel.send(f);
    } catch (e) {
      errors.push(e);
    } finally {
      await channel.close();
    }
  });
  return { listener, errors };
}

function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function adapterSuite(name: string, skip: string | false, make: () => AdapterUnderTest): void {
  describe(`${name} adapter over loopback TCP`, () => {
    it('echoes frames of many sizes, each arriving whole and in order', { skip }, async () => {
      const adapter = make();
      const { listener, errors } = await echoServer(adapter, gssSample());
      try {
        const stream = await adapter.connect({ host: HOST, port: listener.port });
        assert.match(stream.remoteAddress ?? '', /127\.0\.0\.1:\d+/);
        const channel = frameChannel(stream, gssSample(), { maxFrameSize: 2 * 1024 * 1024 });
        const sizes = [0, 1, 5, 1460, 16 * 1024, 70_000, 1024 * 1024];
        const sent: Frame[] = sizes.map((n, i) => ({
          flags: i === 0 ? 0 : GssSampleFlags.DATA,
          body: pattern(n, i),
        }));
        await Promise.all(sent.map((f) => channel.send(f)));
        for (const f of sent) {
          const got = await channel.receive();
          assert.equal(got?.flags, f.flags);
          assert.deepEqual(got.body, f.body);
        }
        await channel.close();
        await channel.close();
        assert.deepEqual(errors, []);
      } finally {
        await listener.close();
      }
    });

    it('respects back-pressure: a stalled reader blocks the writer, then all bytes arrive', {
      skip,
    }, async () => {
      const adapter = make();
      // Loopback kernel buffers hold a few MiB (6-8 MiB seen); 32 MiB cannot all fit.
      const total = 32 * 1024 * 1024;
      const piece = 64 * 1024;
      let written = 0;
      let writerDone = false;
      const listener = await adapter.listen({ host: HOST, port: 0 }, async (stream) => {
        for (let at = 0; at < total; at += piece) {
          await stream.write(new Uint8Array(piece).fill(at / piece));
          written += piece;
        }
        writerDone = true;
      });
      try {
        const stream = await adapter.connect({ host: HOST, port: listener.port });
        await sleep(400); // the reader stalls: kernel buffers and our queue fill, the writer waits
        const inFlight = written;
        if (process.env.GSSOCK_DEBUG) console.log(`${name}: ${inFlight} bytes in flight while stalled`);
        assert.ok(!writerDone && inFlight <= 20 * 1024 * 1024, `writer not held back: ${inFlight} bytes`);
        let received = 0;
        for (let chunk = await stream.read(); chunk; chunk = await stream.read()) {
          // Piece k is filled with k & 0xff; chunks need not align with pieces.
          let i = 0;
          while (i < chunk.length) {
            const at = received + i;
            const expected = Math.floor(at / piece) & 0xff;
            const end = Math.min(chunk.length, i + piece - (at % piece));
            for (; i < end; i++) if (chunk[i] !== expected) assert.fail(`byte ${received + i} is wrong`);
          }
          received += chunk.length;
        }
        assert.equal(received, total);
        assert.ok(writerDone);
        await stream.close();
      } finally {
        await listener.close();
      }
    });

    it('a peer closing inside a frame gives TruncatedStreamError', { skip }, async () => {
      const adapter = make();
      const listener = await adapter.listen({ host: HOST, port: 0 }, async (stream) => {
        const whole = u32be().encode({ flags: 0, body: pattern(1000, 1) });
        await stream.write(whole.subarray(0, 600));
        await stream.close();
      });
      try {
        const channel = frameChannel(await adapter.connect({ host: HOST, port: listener.port }), u32be());
        await assert.rejects(channel.receive(), TruncatedStreamError);
        await channel.close();
      } finally {
        await listener.close();
      }
    });

    it('a client announcing a 4 GiB frame is refused, and the listener serves the next one', {
      skip,
    }, async () => {
      const adapter = make();
      const { listener, errors } = await echoServer(adapter);
      try {
        const bad = await adapter.connect({ host: HOST, port: listener.port });
        await bad.write(new Uint8Array([0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
        // The server drops the connection: we see its end (or a reset), never an echo.
        const after = await bad.read().catch((e: unknown) => e);
        assert.ok(after === null || after instanceof GssockError, String(after));
        await bad.close();
        assert.equal(errors.length, 1);
        assert.ok(errors[0] instanceof FrameTooLargeError);
        assert.equal(errors[0].origin, 'peer');

        const good = frameChannel(await adapter.connect({ host: HOST, port: listener.port }), u32be());
        await good.send({ flags: 0, body: pattern(100, 7) });
        assert.deepEqual((await good.receive())?.body, pattern(100, 7));
        await good.close();
      } finally {
        await listener.close();
      }
    });

    it('listener.close() closes open connections and is idempotent; a refused connect is IO_ERROR', {
      skip,
    }, async () => {
      const adapter = make();
      const { listener } = await echoServer(adapter);
      const stream = await adapter.connect({ host: HOST, port: listener.port });
      await sleep(50);
      await Promise.all([listener.close(), listener.close()]);
      const end = await stream.read().catch((e: unknown) => e);
      assert.ok(
        end === null || (end instanceof GssockError && end.code === 'CONNECTION_CLOSED'),
        String(end),
      );
      await stream.close();
      await assert.rejects(adapter.connect({ host: HOST, port: listener.port }), { code: 'IO_ERROR' });
    });

    it('connect with an aborted signal rejects with AbortedError', { skip }, async () => {
      const adapter = make();
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(adapter.connect({ host: HOST, port: 9, signal: controller.signal }), AbortedError);
    });
  });
}
