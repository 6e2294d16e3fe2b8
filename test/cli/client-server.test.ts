/**
 * `gssock server` and `gssock client` over real loopback TCP in this process (the
 * runtime's own sockets): one server, started once, serves every test's connections in
 * turn, as gss-server does; a misbehaving server and raw-byte pokes check that a bad
 * connection ends alone and the server goes on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as clientMain } from '../../src/cli/client.ts';
import { loadMechanism } from '../../src/cli/mechanisms.ts';
import { type RunningServer, parseServerArgs, startServer } from '../../src/cli/server.ts';
import { type CapturedIo, captureIo, eventually, poke } from './cli-support.ts';

async function start(args: string[]): Promise<{ server: RunningServer; io: CapturedIo }> {
  const io = captureIo();
  const settings = parseServerArgs(['-port', '0', '--host', '127.0.0.1', '--mech', 'mock', ...args]);
  const mechanism = await loadMechanism('mock', {
    role: 'acceptor',
    serviceName: settings.service,
    ...(settings.mockMisbehave ? { mockMisbehave: settings.mockMisbehave } : {}),
    env: {},
    cwd: '.',
  });
  return { server: await startServer(settings, io, mechanism), io };
}

async function client(port: number, args: string[]): Promise<{ code: number; io: CapturedIo }> {
  const io = captureIo();
  const code = await clientMain(['-port', String(port), '--mech', 'mock', ...args], io);
  return { code, io };
}

const count = (text: string, re: RegExp) => (text.match(new RegExp(re, 'g')) ?? []).length;

describe('gssock client <-> gssock server over loopback TCP', () => {
  let gss: { server: RunningServer; io: CapturedIo };
  let v1: { server: RunningServer; io: CapturedIo };
  let skipping: { server: RunningServer; io: CapturedIo };
  before(async () => {
    gss = await start(['host@localhost']);
    v1 = await start(['--framing', 'u32be', 'host@localhost']);
    skipping = await start(['--mock-misbehave', 'skip-mutual', 'host@localhost']);
  });
  after(async () => {
    await Promise.all([gss.server.close(), v1.server.close(), skipping.server.close()]);
  });

  it('several messages (-mcount 3): three MICs verified, three messages received', async () => {
    const before = gss.io.stdoutText.length;
    const r = await client(gss.server.port, ['-mcount', '3', '127.0.0.1', 'host@localhost', 'hello there']);
    assert.equal(r.code, 0, r.io.stdoutText + r.io.stderrText);
    assert.equal(count(r.io.stdoutText, /Signature verified\.\n/), 3);
    assert.match(
      r.io.stdoutText,
      /"alice@MOCK" to "host@localhost", lifetime \d+, flags [0-9a-f]+, locally initiated, open\n/,
    );
    assert.match(r.io.stdoutText, /context flag: GSS_C_MUTUAL_FLAG\n/);
    await eventually(() => gss.io.stdoutText.endsWith('NOOP token\n'), 'the server to finish');
    const served = gss.io.stdoutText.slice(before);
    assert.match(served, /Accepted connection: "alice@MOCK"\n/);
    assert.equal(count(served, /Received message: "hello there"\n/), 3);
  });

  it('-ccount 3: three connections, each its own context, one after another', async () => {
    const before = gss.io.stdoutText.length;
    const r = await client(gss.server.port, [
      '-ccount',
      '3',
      '-mcount',
      '2',
      '-q',
      '127.0.0.1',
      'host@localhost',
      'm',
    ]);
    assert.equal(r.code, 0, r.io.stdoutText);
    assert.equal(r.io.stdoutText, '', '-q prints nothing');
    await eventually(() => count(gss.io.stdoutText.slice(before), /NOOP token\n/) === 3, 'three goodbyes');
    const served = gss.io.stdoutText.slice(before);
    assert.equal(count(served, /Accepted connection: "alice@MOCK"\n/), 3);
    assert.equal(count(served, /NOOP token\n/), 3);
    assert.equal(count(served, /Received message: "m"\n/), 6);
  });

  it('-nw, -nx, -nm and -na each complete', async () => {
    for (const [flag, line] of [
      ['-nw', 'Signature verified.'],
      ['-nx', 'Signature verified.'],
      ['-nm', 'Response received.'],
      ['-na', 'Response received.'],
    ] as const) {
      const r = await client(gss.server.port, [flag, '127.0.0.1', 'host@localhost', `msg ${flag}`]);
      assert.equal(r.code, 0, `${flag}: ${r.io.stdoutText}`);
      assert.ok(r.io.stdoutText.includes(line), `${flag}: ${r.io.stdoutText}`);
      assert.ok(gss.io.stdoutText.includes(`Received message: "msg ${flag}"`), flag);
    }
    assert.match(gss.io.stdoutText, /Accepted unauthenticated connection\.\n/);
  });

  it('--framing u32be and u32le (no flag bytes, v1 sequence)', async () => {
    const r = await client(v1.server.port, [
      '--framing',
      'u32be',
      '-mcount',
      '2',
      '127.0.0.1',
      'host@localhost',
      'v1 msg',
    ]);
    assert.equal(r.code, 0, r.io.stdoutText);
    assert.equal(count(r.io.stdoutText, /Signature verified\.\n/), 2);
    await eventually(() => count(v1.io.stdoutText, /Received message: "v1 msg"\n/) === 2, 'two messages');
    assert.equal(count(v1.io.stdoutText, /Received message: "v1 msg"\n/), 2);
    const le = await start(['--framing', 'u32le', 'host@localhost']);
    try {
      const r2 = await client(le.server.port, [
        '--framing',
        'u32le',
        '-mcount',
        '2',
        '127.0.0.1',
        'host@localhost',
        'le msg',
      ]);
      assert.equal(r2.code, 0, r2.io.stdoutText);
      assert.equal(count(le.io.stdoutText, /Received message: "le msg"\n/), 2);
    } finally {
      await le.server.close();
    }
  });

  it('mutual required against a server that skips its proof: exit 1, the engine says why', async () => {
    const r = await client(skipping.server.port, ['127.0.0.1', 'host@localhost', 'secret']);
    assert.equal(r.code, 1);
    assert.match(
      r.io.stdoutText,
      /GSS-API error initializing context: mutual authentication was required but the peer did not prove its identity \(MUTUAL_AUTH_REQUIRED\)\n/,
    );
    assert.ok(!skipping.io.stdoutText.includes('Received message'), 'nothing was sent to an unproven server');
    // -nomutual accepts the unproven server, as MIT does.
    const r2 = await client(skipping.server.port, ['-nomutual', '127.0.0.1', 'host@localhost', 'ok']);
    assert.equal(r2.code, 0, r2.io.stdoutText);
    assert.ok(!r2.io.stdoutText.includes('GSS_C_MUTUAL_FLAG'));
  });

  it('a 4 GiB frame header, garbage and a stray v1 client end their own connections; the next client is served', async () => {
    const port = gss.server.port;
    const fourGiB = new Uint8Array([0x11, 0xff, 0xff, 0xff, 0xff]);
    const afterNoop = new Uint8Array([0x11, 0, 0, 0, 0, 0x02, 0xff, 0xff, 0xff, 0xff]);
    const http = new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n');
    const v1Style = new Uint8Array([0, 0, 0, 3, 1, 2, 3]);
    for (const bytes of [fourGiB, afterNoop, http, v1Style]) assert.equal(await poke(port, bytes), 'closed');
    const errors = gss.io.stderrText;
    assert.match(errors, /FRAME_TOO_LARGE: frame of 4294967295 bytes announced/);
    assert.match(errors, /PROTOCOL_ERROR: Expected NOOP token, got 0 token instead/);
    assert.match(gss.io.stdoutText, /Expected NOOP token, got 0 token instead\n/);
    const r = await client(port, ['-q', '127.0.0.1', 'host@localhost', 'still here']);
    assert.equal(r.code, 0, r.io.stdoutText);
    await eventually(
      () => gss.io.stdoutText.endsWith('Received message: "still here"\nNOOP token\n'),
      'the next client',
    );
  });

  it('a silent client is dropped after --timeout and the server goes on', async () => {
    const quick = await start(['--timeout', '200', 'host@localhost']);
    try {
      assert.equal(await poke(quick.server.port, new Uint8Array(0), 3000), 'closed');
      assert.match(quick.io.stderrText, /TIMEOUT/);
      const r = await client(quick.server.port, ['-q', '127.0.0.1', 'host@localhost', 'next']);
      assert.equal(r.code, 0, r.io.stdoutText);
    } finally {
      await quick.server.close();
    }
  });

  it('-once: the server stops after one connection', async () => {
    const once = await start(['-once', 'host@localhost']);
    const r = await client(once.server.port, ['-q', '127.0.0.1', 'host@localhost', 'only']);
    assert.equal(r.code, 0);
    await once.server.done;
    const again = await client(once.server.port, ['-q', '127.0.0.1', 'host@localhost', 'late']);
    assert.equal(again.code, 1);
    assert.match(again.io.stderrText, /^connecting to server: /);
  });

  it('a client with nobody listening: exit 1, perror-style message', async () => {
    const r = await client(1, ['-q', '127.0.0.1', 'host@localhost', 'x']);
    assert.equal(r.code, 1);
    assert.match(r.io.stderrText, /connecting to server: /);
  });

  it('-f sends a file; a missing file is reported as MIT does', async () => {
    const missing = await client(gss.server.port, ['-f', '127.0.0.1', 'host@localhost', 'no/such/file']);
    assert.equal(missing.code, 1);
    assert.match(missing.io.stderrText, /Couldn't open file no\/such\/file\n/);
    const r = await client(gss.server.port, ['-f', '-q', '127.0.0.1', 'host@localhost', 'package.json']);
    assert.equal(r.code, 0);
    await eventually(() => gss.io.stdoutText.includes('"name": "gssock"'), 'the file');
    assert.match(gss.io.stdoutText, /Received message: "\{\n {2}"name": "gssock"/);
  });
});
