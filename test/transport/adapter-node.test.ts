import assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { connectNode, fromNodeSocket, listenNode } from '../../src/transport/adapters/node.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/index.ts';
import { adapterSuite } from './adapter-suite.ts';

// node:net exists on Node, Deno and Bun: this adapter is tested on all three.
adapterSuite('node (node:net)', false, () => ({ connect: connectNode, listen: listenNode }));

describe('node adapter specifics', () => {
  const canReset =
    typeof (net.Socket.prototype as { resetAndDestroy?: unknown }).resetAndDestroy === 'function';
  it('a peer reset while a read waits gives CONNECTION_CLOSED (origin peer)', {
    skip: canReset ? false : 'this runtime has no socket.resetAndDestroy() to send a RST',
  }, async () => {
    const server = net.createServer((socket) => {
      socket.write(new Uint8Array([0, 0, 0, 9, 1]), () => setTimeout(() => socket.resetAndDestroy(), 50));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const channel = frameChannel(await connectNode({ host: '127.0.0.1', port }), u32be());
      await assert.rejects(channel.receive(), (e: { code?: string; origin?: string }) => {
        // A RST is a peer that went away; some runtimes report it as a plain close.
        assert.ok(e.code === 'CONNECTION_CLOSED' || e.code === 'TRUNCATED', String(e.code));
        assert.equal(e.origin, 'peer');
        return true;
      });
      await channel.close();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('fromNodeSocket hands out plain Uint8Array chunks and sets no-delay', async () => {
    const server = net.createServer((socket) => socket.end(new Uint8Array([1, 2, 3])));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      let noDelay: boolean | undefined;
      const original = socket.setNoDelay.bind(socket);
      socket.setNoDelay = (v?: boolean) => {
        noDelay = v;
        return original(v);
      };
      const stream = fromNodeSocket(socket);
      assert.equal(noDelay, true);
      const chunk = await stream.read();
      assert.equal(Object.getPrototypeOf(chunk), Uint8Array.prototype);
      assert.deepEqual([...chunk!], [1, 2, 3]);
      assert.equal(await stream.read(), null);
      await stream.close();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
