/**
 * `gssock server -inetd`: one session on standard input/output, as inetd (or a systemd
 * Accept=yes socket) would run it. The server runs as a child process of this runtime;
 * the test speaks the client half of the protocol over the child's pipes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runSampleClient } from '../../src/cli/gss-sample/client-session.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { Flags } from '../../src/core/flags.ts';
import { mock } from '../../src/providers/mock/index.ts';
import type { ByteStream } from '../../src/transport/channel.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { gssSample } from '../../src/transport/framing/gss-sample.ts';

const g = globalThis as { Deno?: unknown; Bun?: unknown };
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
/** This very runtime, running the CLI from source. */
function selfCommand(): string[] {
  if (g.Deno !== undefined) return [process.execPath, 'run', '-A', '--no-check', 'src/cli/main.ts'];
  if (g.Bun !== undefined) return [process.execPath, 'src/cli/main.ts'];
  return [process.execPath, '--import', 'tsx', 'src/cli/main.ts'];
}

describe('gssock server -inetd', () => {
  it('serves one authenticated session over stdin/stdout and logs to -logfile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gssock-inetd-'));
    const logfile = join(dir, 'server.log');
    try {
      const [cmd, ...args] = selfCommand();
      const child = spawn(
        cmd as string,
        [...args, 'server', '-inetd', '-logfile', logfile, '--mech', 'mock', 'host@localhost'],
        { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
      const chunks = child.stdout[Symbol.asyncIterator]();
      const stream: ByteStream = {
        async read() {
          const next = await chunks.next();
          return next.done ? null : new Uint8Array(next.value as Uint8Array);
        },
        write: (bytes) =>
          new Promise((resolve, reject) => child.stdin.write(bytes, (e) => (e ? reject(e) : resolve()))),
        async close() {
          child.stdin.end();
        },
      };
      const channel = frameChannel(stream, gssSample());
      const context = await mock().createContext('initiator', {
        target: 'host@localhost',
        flags: Flags.MUTUAL | Flags.REPLAY,
      });
      const out: string[] = [];
      const result = await runSampleClient({
        channel,
        context,
        requiredFlags: Flags.MUTUAL,
        flagless: false,
        wrap: true,
        encrypt: true,
        mic: true,
        message: utf8('over inetd'),
        count: 2,
        timeoutMs: 20_000,
        out: (t) => void out.push(t),
      });
      await channel.close();
      assert.equal(result.messagesSent, 2);
      assert.equal(result.info?.peerName, 'host@localhost');
      assert.equal(out.join('').split('Signature verified.\n').length - 1, 2);
      assert.equal(await exited, 0, stderr);
      const log = readFileSync(logfile, 'utf8');
      assert.match(log, /context flag: GSS_C_MUTUAL_FLAG\n/);
      assert.equal(log.split('Received message: "over inetd"\n').length - 1, 2);
      assert.match(log, /NOOP token\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
