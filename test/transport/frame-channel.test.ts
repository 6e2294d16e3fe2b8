import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameTooLargeError, TruncatedStreamError } from '../../src/core/errors.ts';
import { bytesEqual } from '../../src/core/bytes.ts';
import type { ByteStream } from '../../src/transport/channel.ts';
import { memoryPair } from '../../src/transport/adapters/memory.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { GssSampleFlags, gssSample, u32be, u32le } from '../../src/transport/framing/index.ts';

/** Records every write a stream gets. */
function recording(stream: ByteStream): { stream: ByteStream; writes: Uint8Array[] } {
  const writes: Uint8Array[] = [];
  return {
    writes,
    stream: {
      read: () => stream.read(),
      write: (b) => {
        writes.push(b.slice());
        return stream.write(b);
      },
      close: () => stream.close(),
    },
  };
}

describe('frameChannel over memoryPair', () => {
  it('sends and receives frames both ways, each frame in ONE write', async () => {
    const [a, b] = memoryPair({ chunkSize: 3 });
    const rec = recording(a);
    const left = frameChannel(rec.stream, gssSample());
    const right = frameChannel(b, gssSample());
    await left.send({ flags: GssSampleFlags.CONTEXT, body: new Uint8Array([1, 2, 3, 4, 5]) });
    await left.send({ flags: GssSampleFlags.NOOP, body: new Uint8Array(0) });
    assert.equal(rec.writes.length, 2);
    assert.equal(rec.writes[0]!.length, 10);
    const f1 = await right.receive();
    assert.equal(f1?.flags, GssSampleFlags.CONTEXT);
    assert.deepEqual([...f1!.body], [1, 2, 3, 4, 5]);
    const f2 = await right.receive();
    assert.equal(f2?.flags, GssSampleFlags.NOOP);
    assert.equal(f2?.body.length, 0);
    await right.send({ flags: GssSampleFlags.MIC, body: new Uint8Array([9]) });
    assert.deepEqual([...(await left.receive())!.body], [9]);
    assert.equal(right.remoteAddress, 'memory');
  });

  it('returns null at a clean end of stream, and keeps returning null', async () => {
    const [a, b] = memoryPair();
    const left = frameChannel(a, u32be());
    const right = frameChannel(b, u32be());
    await left.send({ flags: 0, body: new Uint8Array([1]) });
    await left.close();
    assert.ok(await right.receive());
    assert.equal(await right.receive(), null);
    assert.equal(await right.receive(), null);
  });

  it('rejects with TruncatedStreamError when the peer closes inside a frame', async () => {
    const [a, b] = memoryPair();
    const right = frameChannel(b, u32be());
    await a.write(
      u32be()
        .encode({ flags: 0, body: new Uint8Array(10) })
        .subarray(0, 7),
    );
    await a.close();
    await assert.rejects(right.receive(), TruncatedStreamError);
    await assert.rejects(right.receive(), TruncatedStreamError, 'errors are sticky');
  });

  it('rejects with FrameTooLargeError for an over-long header, and stays failed', async () => {
    const [a, b] = memoryPair();
    const right = frameChannel(b, u32be(), { maxFrameSize: 100 });
    await a.write(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    await assert.rejects(right.receive(), FrameTooLargeError);
    await a.write(u32be().encode({ flags: 0, body: new Uint8Array(1) }));
    await assert.rejects(right.receive(), FrameTooLargeError);
  });

  it('u32le: an empty body is not sent at all (SendMsg), the next frame arrives', async () => {
    const [a, b] = memoryPair();
    const rec = recording(a);
    const left = frameChannel(rec.stream, u32le());
    const right = frameChannel(b, u32le());
    await left.send({ flags: 0, body: new Uint8Array(0) });
    assert.equal(rec.writes.length, 0);
    await left.send({ flags: 0, body: new Uint8Array([0x60, 0x82]) });
    assert.deepEqual([...rec.writes[0]!], [2, 0, 0, 0, 0x60, 0x82]);
    assert.deepEqual([...(await right.receive())!.body], [0x60, 0x82]);
  });

  it('u32be: an empty body IS sent (a zero length)', async () => {
    const [a, b] = memoryPair();
    await frameChannel(a, u32be()).send({ flags: 0, body: new Uint8Array(0) });
    const f = await frameChannel(b, u32be()).receive();
    assert.equal(f?.body.length, 0);
  });

  it('serializes concurrent receive() calls: frames come out in order, one per call', async () => {
    const [a, b] = memoryPair({ chunkSize: 1 });
    const left = frameChannel(a, u32be());
    const right = frameChannel(b, u32be());
    const pending = [right.receive(), right.receive(), right.receive()];
    for (let i = 0; i < 3; i++) await left.send({ flags: 0, body: new Uint8Array([i, i]) });
    const frames = await Promise.all(pending);
    assert.deepEqual(
      frames.map((f) => [...f!.body]),
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
    );
  });

  it('close() is idempotent; later send/receive reject with CONNECTION_CLOSED', async () => {
    const [a] = memoryPair();
    const channel = frameChannel(a, u32be());
    const pending = channel.receive();
    await Promise.all([channel.close(), channel.close()]);
    await channel.close();
    await assert.rejects(pending, { code: 'CONNECTION_CLOSED', origin: 'local' });
    await assert.rejects(channel.send({ flags: 0, body: new Uint8Array(1) }), { code: 'CONNECTION_CLOSED' });
    await assert.rejects(channel.receive(), { code: 'CONNECTION_CLOSED' });
  });

  it('sending to a peer that closed rejects with CONNECTION_CLOSED (origin peer)', async () => {
    const [a, b] = memoryPair();
    await b.close();
    await assert.rejects(frameChannel(a, u32be()).send({ flags: 0, body: new Uint8Array(1) }), {
      code: 'CONNECTION_CLOSED',
      origin: 'peer',
    });
  });

  it('back-pressure: writes block while the reader is behind, and all bytes arrive in order', async () => {
    const [a, b] = memoryPair({ highWaterMark: 4096, chunkSize: 1000 });
    const left = frameChannel(a, u32be());
    const right = frameChannel(b, u32be());
    let sent = 0;
    const sender = (async () => {
      for (let i = 0; i < 50; i++) {
        await left.send({ flags: 0, body: new Uint8Array(1000).fill(i) });
        sent++;
      }
      await left.close();
    })();
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(sent < 10, `sender ran ahead of a stalled reader: ${sent} frames`);
    for (let i = 0; i < 50; i++) {
      const f = await right.receive();
      assert.ok(f && bytesEqual(f.body, new Uint8Array(1000).fill(i)));
    }
    assert.equal(await right.receive(), null);
    await sender;
  });
});
