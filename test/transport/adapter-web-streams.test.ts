import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TruncatedStreamError } from '../../src/core/errors.ts';
import type { ByteStream } from '../../src/transport/channel.ts';
import { fromWebStreams } from '../../src/transport/adapters/web-streams.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/index.ts';

// In-memory Web Streams on every runtime; over real TCP the same adapter runs under Deno
// (Deno.Conn readable/writable) in adapter-deno.test.ts.
function webPair(): [ByteStream, ByteStream] {
  const ab = new TransformStream<Uint8Array, Uint8Array>();
  const ba = new TransformStream<Uint8Array, Uint8Array>();
  return [
    fromWebStreams({ readable: ba.readable, writable: ab.writable }, { remoteAddress: 'b' }),
    fromWebStreams({ readable: ab.readable, writable: ba.writable }, { remoteAddress: 'a' }),
  ];
}

describe('web-streams adapter (in-memory TransformStreams)', () => {
  it('carries frames both ways and ends with null after close', async () => {
    const [a, b] = webPair();
    const left = frameChannel(a, u32be());
    const right = frameChannel(b, u32be());
    const sending = left.send({ flags: 0, body: new Uint8Array([1, 2, 3]) });
    assert.deepEqual([...(await right.receive())!.body], [1, 2, 3]);
    await sending;
    const back = right.send({ flags: 0, body: new Uint8Array([4]) });
    assert.deepEqual([...(await left.receive())!.body], [4]);
    await back;
    await left.close();
    assert.equal(await right.receive(), null);
    assert.equal(right.remoteAddress, 'a');
    await right.close();
    await right.close();
  });

  it('skips empty chunks and views ArrayBuffer chunks as bytes', async () => {
    const readable = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(0));
        c.enqueue(new Uint8Array([7, 8]).buffer as unknown as Uint8Array);
        c.close();
      },
    });
    const stream = fromWebStreams({ readable, writable: new WritableStream() });
    assert.deepEqual([...(await stream.read())!], [7, 8]);
    assert.equal(await stream.read(), null);
  });

  it('a peer ending inside a frame gives TruncatedStreamError', async () => {
    const [a, b] = webPair();
    const w = a.write(
      u32be()
        .encode({ flags: 0, body: new Uint8Array(50) })
        .subarray(0, 20),
    );
    const right = frameChannel(b, u32be());
    const got = right.receive();
    await w;
    await a.close();
    await assert.rejects(got, TruncatedStreamError);
  });

  it('a failing readable rejects with a typed error', async () => {
    const readable = new ReadableStream<Uint8Array>({
      pull(c) {
        c.error(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
      },
    });
    const stream = fromWebStreams({ readable, writable: new WritableStream() });
    await assert.rejects(stream.read(), { code: 'CONNECTION_CLOSED', origin: 'peer' });
  });

  it('write awaits the sink: a slow sink holds the writer back', async () => {
    let accepted = 0;
    const writable = new WritableStream<Uint8Array>(
      {
        async write(chunk) {
          await new Promise((r) => setTimeout(r, 5));
          accepted += chunk.length;
        },
      },
      { highWaterMark: 1 },
    );
    const stream = fromWebStreams({ readable: new ReadableStream(), writable });
    for (let i = 0; i < 5; i++) {
      await stream.write(new Uint8Array(10));
      assert.equal(accepted, (i + 1) * 10, 'write resolved before the sink took the chunk');
    }
  });
});
