import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectBun, listenBun } from '../../src/transport/adapters/bun.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/index.ts';
import { adapterSuite } from './adapter-suite.ts';

const skip = (globalThis as { Bun?: unknown }).Bun ? false : 'bun adapter runs under bun test';

adapterSuite('bun (Bun.connect/Bun.listen)', skip, () => ({ connect: connectBun, listen: listenBun }));

describe('bun adapter specifics', () => {
  it('hands out chunks that stay valid after later reads (Bun does not reuse them)', { skip }, async () => {
    const listener = await listenBun({ host: '127.0.0.1', port: 0 }, async (stream) => {
      const channel = frameChannel(stream, u32be());
      for (let i = 0; i < 200; i++) await channel.send({ flags: 0, body: new Uint8Array(100).fill(i) });
    });
    try {
      const channel = frameChannel(await connectBun({ host: '127.0.0.1', port: listener.port }), u32be());
      const frames = [];
      for (let f = await channel.receive(); f; f = await channel.receive()) frames.push(f);
      assert.equal(frames.length, 200);
      for (const [i, f] of frames.entries()) assert.deepEqual(f.body, new Uint8Array(100).fill(i & 0xff));
      await channel.close();
    } finally {
      await listener.close();
    }
  });

  it('a write larger than the socket takes at once is finished on drain, in order', { skip }, async () => {
    const big = new Uint8Array(8 * 1024 * 1024).map((_, i) => i & 0xff);
    const listener = await listenBun({ host: '127.0.0.1', port: 0 }, async (stream) => {
      await Promise.all([stream.write(big.subarray(0, 5_000_000)), stream.write(big.subarray(5_000_000))]);
    });
    try {
      const stream = await connectBun({ host: '127.0.0.1', port: listener.port });
      const parts: Uint8Array[] = [];
      let n = 0;
      for (let c = await stream.read(); c; c = await stream.read()) {
        parts.push(c);
        n += c.length;
      }
      assert.equal(n, big.length);
      let at = 0;
      for (const p of parts) {
        assert.deepEqual(p, big.subarray(at, at + p.length));
        at += p.length;
      }
      await stream.close();
    } finally {
      await listener.close();
    }
  });
});
