/** `gssock demo`, the dispatcher, and the npm bin script. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runDemo } from '../../src/cli/demo.ts';
import { COMMANDS, main } from '../../src/cli/main.ts';
import { Transcript } from '../../src/cli/transcript.ts';
import { captureIo } from './cli-support.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('gssock demo', () => {
  it('exits 0 with a transcript naming the target, mechanism, tokens, flags, peers and messages', async () => {
    const io = captureIo();
    const code = await main(['demo', '--mech', 'mock', '--message', 'ping from the test'], io);
    assert.equal(code, 0, io.stderrText);
    const text = io.stdoutText;
    assert.match(text, /target\s+host\/localhost@MOCK\n/);
    assert.match(text, /mechanism\s+mock \(1\.3\.6\.1\.4\.1\.32473\.1\.1\)\n/);
    assert.match(text, /listening on 127\.0\.0\.1:\d+\n/);
    assert.match(text, /initiator -> acceptor\s+token 1\s+\d+ bytes\n/);
    assert.match(text, /acceptor -> initiator\s+token 2\s+\d+ bytes\n/);
    assert.match(text, /initiator established with "host\/localhost@MOCK" \(mock\)\n/);
    assert.match(text, /acceptor established with "alice@MOCK" \(mock\)\n/);
    assert.match(text, /granted flags: MUTUAL REPLAY SEQUENCE CONF INTEG\n/);
    assert.match(
      text,
      /initiator -> acceptor\s+"ping from the test" \(18 bytes, \d+ bytes sealed on the wire\)\n/,
    );
    assert.match(
      text,
      /acceptor -> initiator\s+"Hello alice@MOCK, this is host\/localhost@MOCK; I read: ping from the test"/,
    );
  });

  it('keeps the transcript as data: tokens in wire order, sealed sizes larger than the plaintext', async () => {
    const t = await runDemo({ mech: 'mock', message: 'x' });
    const tokens = t.entries.filter((e) => e.kind === 'token');
    assert.deepEqual(
      tokens.map((e) => (e.kind === 'token' ? [e.from, e.leg] : [])),
      [
        ['initiator', 1],
        ['acceptor', 2],
        ['initiator', 3],
      ],
    );
    const messages = t.entries.filter((e) => e.kind === 'message');
    assert.equal(messages.length, 2);
    for (const m of messages) if (m.kind === 'message') assert.ok((m.protectedSize ?? 0) > m.size);
  });

  it('the transcript builder records KDC exchanges too (for the Kerberos demo)', () => {
    const lines: string[] = [];
    const t = new Transcript({ sink: (l) => lines.push(l) });
    t.exchange('client', 'KDC', 'AS-REQ', 250, 'alice@EXAMPLE.TEST');
    assert.deepEqual(t.lines(), lines);
    assert.match(lines[0] as string, /client -> KDC\s+AS-REQ\s+250 bytes {2}alice@EXAMPLE\.TEST/);
    assert.equal(t.toString(), `${lines[0]}\n`);
  });

  it('usage errors exit 2', async () => {
    const io = captureIo();
    assert.equal(await main(['demo', 'extra'], io), 2);
    assert.match(io.stderrText, /unexpected argument "extra"/);
  });
});

describe('gssock dispatcher', () => {
  it('--version prints package.json version', async () => {
    const io = captureIo();
    assert.equal(await main(['--version'], io), 0);
    assert.equal(io.stdoutText, `gssock ${pkg.version}\n`);
  });

  it('help, no command, unknown command', async () => {
    const help = captureIo();
    assert.equal(await main(['help'], help), 0);
    for (const name of ['demo', 'server', 'client', 'spn', 'kinit', 'klist', 'kvno', 'ktutil']) {
      assert.match(help.stdoutText, new RegExp(`\\n  ${name} `));
    }
    const none = captureIo();
    assert.equal(await main([], none), 2);
    const unknown = captureIo();
    assert.equal(await main(['frobnicate'], unknown), 2);
    assert.match(unknown.stderrText, /unknown command "frobnicate"/);
    const sub = captureIo();
    assert.equal(await main(['help', 'client'], sub), 0);
    assert.match(sub.stdoutText, /^Usage: gss-client \[-port port\]/);
  });

  it('a command whose module fails to load breaks only itself', async () => {
    COMMANDS['broken-for-test'] = () => Promise.reject(new Error('Cannot find module ./half-written.ts'));
    try {
      const io = captureIo();
      assert.equal(await main(['broken-for-test'], io), 1);
      assert.match(io.stderrText, /the "broken-for-test" command is not available/);
      const ok = captureIo();
      assert.equal(await main(['--version'], ok), 0);
      assert.equal(await main(['client', '--help'], ok), 0);
    } finally {
      delete COMMANDS['broken-for-test'];
    }
  });

  it('bin/gssock.mjs runs the CLI from a checkout (tsx) or a build', {
    skip:
      typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined' ||
      typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined'
        ? 'spawns node; the node runner covers it'
        : false,
  }, () => {
    const r = spawnSync(process.execPath, ['bin/gssock.mjs', '--version'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `gssock ${pkg.version}\n`);
  });
});
