/**
 * The CLI's gss-server drop-in (src/cli/server.ts) under a connection flood. It serves one
 * connection at a time, like MIT's gss-server; the connections waiting their turn pass a
 * HandshakeGate of one slot (src/server/admission.ts) whose queue is bounded (--max-queue)
 * and whose entries each have a deadline (--handshake-timeout, from accept), so N silent
 * peers cannot hold N sockets or keep a real client waiting N x --timeout.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseServerArgs, startServer } from '../../src/cli/server.ts';
import { mock } from '../../src/providers/mock/index.ts';
import { rawPeer, sleep } from './support.ts';

const io = {
  stdout: () => undefined,
  stderr: () => undefined,
  readStdin: async () => '',
  env: {},
  cwd: globalThis.process.cwd(),
};

describe('gssock server (CLI) under a connection flood', () => {
  it('excess silent connections are refused or timed out, not queued without bound', async () => {
    const settings = parseServerArgs([
      '-port',
      '0',
      '--host',
      '127.0.0.1',
      '--mech',
      'mock',
      '--timeout',
      '5000',
      'host@server',
    ]);
    const server = await startServer(settings, io, mock());
    try {
      const peers = [];
      for (let i = 0; i < 600; i++) peers.push(await rawPeer(server.port));
      // Past any sane queue bound (serve() defaults: 256 running + 256 waiting), the excess
      // must be closed promptly; a queued one must not outlive handshake-timeout from accept.
      const closedSoon = await Promise.all(
        peers.map((p) => Promise.race([p.closed.then(() => 1), sleep(1500).then(() => 0)])),
      );
      assert.ok(
        closedSoon.reduce((a: number, b) => a + b, 0) > 0,
        'no connection refused: the queue has no bound',
      );
      for (const p of peers) p.destroy();
    } finally {
      await server.close();
    }
  });

  it('--max-queue refuses at once; waiting and silent ones are closed at --handshake-timeout', async () => {
    const lines: string[] = [];
    const settings = parseServerArgs([
      '-port',
      '0',
      '--host',
      '127.0.0.1',
      '--mech',
      'mock',
      '--timeout',
      '5000',
      '--max-queue',
      '2',
      '--handshake-timeout',
      '600',
      'host@server',
    ]);
    const server = await startServer(settings, { ...io, stderr: (t: string) => void lines.push(t) }, mock());
    try {
      const peers = [];
      for (let i = 0; i < 5; i++) peers.push(await rawPeer(server.port));
      const closedAt = await Promise.all(
        peers.map((p) => Promise.race([p.closed, sleep(4000).then(() => Number.POSITIVE_INFINITY)])),
      );
      // One served + two queued; the other two past the bound are refused at once.
      const refused = lines.filter((l) => / refused: LIMIT_EXCEEDED: /.test(l));
      const timedOut = lines.filter((l) => / closed: TIMEOUT: /.test(l));
      assert.equal(refused.length, 2, lines.join(''));
      assert.equal(timedOut.length, 3, lines.join(''));
      assert.ok(closedAt.filter((ms) => ms < 400).length >= 2, `closed at ${closedAt.join(', ')} ms`);
      // Everyone is gone well before --timeout (5 s) would have let them go.
      for (const ms of closedAt) assert.ok(ms < 2500, `closed at ${closedAt.join(', ')} ms`);
      for (const p of peers) p.destroy();
    } finally {
      await server.close();
    }
  });
});
