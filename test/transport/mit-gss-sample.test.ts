/**
 * Interop: MIT krb5's own gss-client (Debian krb5-gss-samples) talking to our listener,
 * frameChannel and gss-sample codec over loopback. No KDC is needed: with `-na` the client
 * runs the protocol without a context (NOOP, then DATA, waiting for our reply, then NOOP),
 * and without credentials it still sends its first NOOP|CONTEXT_NEXT token before failing.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fromUtf8 } from '../../src/core/bytes.ts';
import type { Frame } from '../../src/transport/channel.ts';
import { listen } from '../../src/transport/adapters/auto.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { GssSampleFlags, gssSample } from '../../src/transport/framing/index.ts';

const hasClient = spawnSync('sh', ['-c', 'command -v gss-client']).status === 0;
const skip = hasClient
  ? false
  : process.env.CI
    ? false // in CI a missing peer must fail, not skip
    : 'MIT gss-client not installed (apt install krb5-gss-samples): interop NOT tested';

function runClient(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('gss-client', args, {
      env: { ...process.env, KRB5_CONFIG: '/dev/null', KRB5CCNAME: 'MEMORY:x' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('MIT gss-client against our gss-sample framing', () => {
  it('-na: NOOP, DATA "hello", our NOOP reply is accepted, closing NOOP', { skip }, async () => {
    const frames: Frame[] = [];
    let ended = false;
    const listener = await listen({ host: '127.0.0.1', port: 0 }, async (stream) => {
      const channel = frameChannel(stream, gssSample());
      for (let f = await channel.receive(); f; f = await channel.receive()) {
        frames.push({ flags: f.flags, body: f.body.slice() });
        // gss-server answers an unauthenticated DATA token with an empty NOOP.
        if (f.flags & GssSampleFlags.DATA)
          await channel.send({ flags: GssSampleFlags.NOOP, body: new Uint8Array(0) });
      }
      ended = true;
    });
    try {
      const { code, out } = await runClient([
        '-na',
        '-port',
        String(listener.port),
        '127.0.0.1',
        'host',
        'hello',
      ]);
      assert.equal(code, 0, out);
      assert.match(out, /Response received/);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(
        frames.map((f) => [f.flags, fromUtf8(f.body)]),
        [
          [GssSampleFlags.NOOP, ''],
          [GssSampleFlags.DATA, 'hello'],
          [GssSampleFlags.NOOP, ''],
        ],
      );
      assert.ok(ended, 'the client closed cleanly between frames');
    } finally {
      await listener.close();
    }
  });

  it('with authentication: the first token is an empty NOOP|CONTEXT_NEXT', { skip }, async () => {
    const frames: Frame[] = [];
    const listener = await listen({ host: '127.0.0.1', port: 0 }, async (stream) => {
      const channel = frameChannel(stream, gssSample());
      for (let f = await channel.receive(); f; f = await channel.receive()) frames.push(f);
    });
    try {
      // No credentials: the client fails in gss_init_sec_context, after its first token.
      const { code } = await runClient(['-port', String(listener.port), '127.0.0.1', 'host', 'hello']);
      assert.notEqual(code, 0);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(frames.length, 1);
      assert.equal(frames[0]!.flags, GssSampleFlags.NOOP | GssSampleFlags.CONTEXT_NEXT);
      assert.equal(frames[0]!.body.length, 0);
    } finally {
      await listener.close();
    }
  });
});
