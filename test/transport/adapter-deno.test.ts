import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectDeno, listenDeno } from '../../src/transport/adapters/deno.ts';
import { socketError } from '../../src/transport/adapters/socket-errors.ts';
import { fromWebStreams } from '../../src/transport/adapters/web-streams.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/index.ts';
import { adapterSuite } from './adapter-suite.ts';

interface DenoConnLike {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  close(): void;
}
const Deno = (
  globalThis as { Deno?: { connect(o: { hostname: string; port: number }): Promise<DenoConnLike> } }
).Deno;
const skip = Deno ? false : 'deno adapter runs under deno test';

adapterSuite('deno (Deno.connect/Deno.listen)', skip, () => ({ connect: connectDeno, listen: listenDeno }));

// The Web Streams adapter over a real socket: Deno.Conn's readable/writable pair.
adapterSuite('web-streams (Deno.Conn readable/writable)', skip, () => ({
  connect: async ({ host, port, signal }) => {
    if (signal?.aborted) return connectDeno({ host, port, signal }); // same AbortedError path
    const conn = await Deno!.connect({ hostname: host, port }).catch((e: unknown) => {
      throw socketError(e, 'connect'); // the mapping every adapter uses
    });
    return fromWebStreams(conn, { remoteAddress: `${host}:${port}` });
  },
  listen: listenDeno,
}));

describe('deno adapter specifics', () => {
  it('hands out chunks that stay valid after later reads (no reused read buffer)', { skip }, async () => {
    const listener = await listenDeno({ host: '127.0.0.1', port: 0 }, async (stream) => {
      const channel = frameChannel(stream, u32be());
      for (let i = 0; i < 20; i++) await channel.send({ flags: 0, body: new Uint8Array(10).fill(i) });
    });
    try {
      const channel = frameChannel(await connectDeno({ host: '127.0.0.1', port: listener.port }), u32be());
      const frames = [];
      for (let f = await channel.receive(); f; f = await channel.receive()) frames.push(f);
      assert.equal(frames.length, 20);
      for (const [i, f] of frames.entries()) assert.deepEqual(f.body, new Uint8Array(10).fill(i));
      await channel.close();
    } finally {
      await listener.close();
    }
  });
});
