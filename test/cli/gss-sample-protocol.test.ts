/**
 * The gss-sample protocol halves against each other over an in-memory stream pair, and
 * the server half against hand-made frames: the message sequence of gss-client.c /
 * gss-server.c (references.md §3.2) for every switch combination.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSampleClient } from '../../src/cli/gss-sample/client-session.ts';
import { stageOf } from '../../src/cli/gss-sample/protocol-common.ts';
import { serveSampleConnection } from '../../src/cli/gss-sample/server-session.ts';
import { fromUtf8, utf8 } from '../../src/core/bytes.ts';
import { isGssockError, toGssockError } from '../../src/core/errors.ts';
import { DEFAULT_FLAGS, Flags } from '../../src/core/flags.ts';
import type { Frame, FrameChannel } from '../../src/transport/channel.ts';
import { memoryPair } from '../../src/transport/adapters/memory.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { GssSampleFlags as F, codecByName } from '../../src/transport/framing/index.ts';
import { type MockMisbehaviour, mock } from '../../src/providers/mock/index.ts';

interface RunOptions {
  framing?: string;
  flagless?: boolean;
  auth?: boolean;
  wrap?: boolean;
  encrypt?: boolean;
  mic?: boolean;
  count?: number;
  message?: string;
  requiredFlags?: number;
  serverMisbehave?: MockMisbehaviour;
  clientMisbehave?: MockMisbehaviour;
  verbose?: boolean;
}

/** Records every frame a channel sends. */
function recording(channel: FrameChannel, sent: Frame[]): FrameChannel {
  return {
    codec: channel.codec,
    send: (f) => {
      sent.push({ flags: f.flags, body: f.body.slice() });
      return channel.send(f);
    },
    receive: () => channel.receive(),
    close: () => channel.close(),
  };
}

async function run(o: RunOptions = {}) {
  const [a, b] = memoryPair();
  const codec = codecByName(o.framing ?? 'gss-sample');
  const clientSent: Frame[] = [];
  const serverSent: Frame[] = [];
  const clientChannel = recording(frameChannel(a, codec), clientSent);
  const serverChannel = recording(frameChannel(b, codec), serverSent);
  const log: string[] = [];
  const stdout: string[] = [];
  const out: string[] = [];
  // The server follows the framing; the client may be told flagless on its own (-v1).
  const serverFlagless = o.framing !== undefined && o.framing !== 'gss-sample';
  const flagless = o.flagless ?? serverFlagless;
  const server = serveSampleConnection({
    channel: serverChannel,
    createContext: async () =>
      mock({ ...(o.serverMisbehave ? { misbehave: o.serverMisbehave } : {}) }).createContext('acceptor', {
        acceptorName: 'host@localhost',
      }),
    flagless: serverFlagless,
    verbose: o.verbose ?? false,
    log: (t) => void log.push(t),
    stdout: (t) => void stdout.push(t),
    stderr: () => undefined,
  }).finally(() => serverChannel.close());
  const client = (async () => {
    const context =
      o.auth === false
        ? null
        : await mock({ ...(o.clientMisbehave ? { misbehave: o.clientMisbehave } : {}) }).createContext(
            'initiator',
            {
              target: 'host@localhost',
              flags: DEFAULT_FLAGS,
            },
          );
    return runSampleClient({
      channel: clientChannel,
      context,
      requiredFlags: o.requiredFlags ?? Flags.MUTUAL,
      flagless,
      wrap: o.wrap ?? o.auth !== false,
      encrypt: o.encrypt ?? o.auth !== false,
      mic: o.mic ?? o.auth !== false,
      message: utf8(o.message ?? 'hello there'),
      count: o.count ?? 1,
      out: (t) => void out.push(t),
    }).finally(() => clientChannel.close());
  })();
  const [c, s] = await Promise.allSettled([client, server]);
  return { c, s, clientSent, serverSent, log: log.join(''), stdout: stdout.join(''), out: out.join('') };
}

describe('gss-sample protocol', () => {
  it('default session: NOOP|CONTEXT_NEXT, CONTEXT tokens, wrapped DATA answered by MIC, closing NOOP', async () => {
    const r = await run({ count: 3 });
    assert.equal(r.c.status, 'fulfilled');
    assert.equal(r.s.status, 'fulfilled');
    const flags = r.clientSent.map((f) => f.flags);
    assert.deepEqual(flags, [
      F.NOOP | F.CONTEXT_NEXT,
      F.CONTEXT,
      F.CONTEXT,
      ...Array(3).fill(F.DATA | F.WRAPPED | F.ENCRYPTED | F.SEND_MIC),
      F.NOOP,
    ]);
    assert.equal(r.clientSent[0]?.body.length, 0);
    assert.equal(r.clientSent.at(-1)?.body.length, 0);
    assert.deepEqual(
      r.serverSent.map((f) => f.flags),
      [F.CONTEXT, F.MIC, F.MIC, F.MIC],
    );
    // Sealed: the plaintext is not on the wire.
    assert.ok(!fromUtf8(r.clientSent[3]?.body ?? new Uint8Array()).includes('hello there'));
    assert.equal((r.out.match(/Signature verified\./g) ?? []).length, 3);
    assert.match(r.out, /^Sending init_sec_context token \(size=\d+\)\.\.\.continue needed\.\.\.\n/);
    assert.match(r.out, /context flag: GSS_C_MUTUAL_FLAG\n/);
    assert.equal(r.stdout, 'Accepted connection: "alice@MOCK"\n');
    assert.equal((r.log.match(/Received message: "hello there"\n/g) ?? []).length, 3);
    assert.match(r.log, /NOOP token\n$/);
  });

  it('-nw: plaintext DATA|ENCRYPTED|SEND_MIC, still MIC-verified', async () => {
    const r = await run({ wrap: false });
    assert.equal(r.c.status, 'fulfilled');
    const data = r.clientSent[3] as Frame;
    assert.equal(data.flags, F.DATA | F.ENCRYPTED | F.SEND_MIC);
    assert.equal(fromUtf8(data.body), 'hello there');
    assert.match(r.out, /Signature verified\./);
  });

  it('-nx: wrapped without confidentiality (plaintext visible, integrity kept)', async () => {
    const r = await run({ encrypt: false });
    assert.equal(r.c.status, 'fulfilled');
    const data = r.clientSent[3] as Frame;
    assert.equal(data.flags, F.DATA | F.WRAPPED | F.SEND_MIC);
    assert.ok(fromUtf8(data.body).includes('hello there'));
    assert.match(r.log, /Received message: "hello there"/);
  });

  it('-nm: no MIC asked, the server answers an empty NOOP', async () => {
    const r = await run({ mic: false, count: 2 });
    assert.equal(r.c.status, 'fulfilled');
    assert.deepEqual(
      r.serverSent.map((f) => [f.flags, f.body.length]),
      [
        [F.CONTEXT, r.serverSent[0]?.body.length],
        [F.NOOP, 0],
        [F.NOOP, 0],
      ],
    );
    assert.equal((r.out.match(/Response received\./g) ?? []).length, 2);
  });

  it('-na: NOOP alone, then unprotected DATA; MIT prints the unauthenticated line twice', async () => {
    const r = await run({ auth: false });
    assert.equal(r.c.status, 'fulfilled');
    assert.deepEqual(
      r.clientSent.map((f) => f.flags),
      [F.NOOP, F.DATA, F.NOOP],
    );
    assert.equal(
      r.log,
      'Accepted unauthenticated connection.\nReceived message: "hello there"\nNOOP token\n',
    );
    assert.equal(r.stdout, 'Accepted unauthenticated connection.\n');
    assert.equal(r.out, 'Response received.\n');
  });

  it('-mcount 0: handshake and goodbye only', async () => {
    const r = await run({ count: 0 });
    assert.equal(r.c.status, 'fulfilled');
    assert.deepEqual(r.clientSent.at(-1)?.flags, F.NOOP);
    assert.ok(!r.log.includes('Received message'));
  });

  for (const framing of ['u32be', 'u32le']) {
    it(`--framing ${framing}: the v1 sequence (no flag bytes, no NOOPs, MIC per message)`, async () => {
      const r = await run({ framing, count: 2 });
      assert.equal(r.c.status, 'fulfilled', r.c.status === 'rejected' ? String(r.c.reason) : '');
      assert.equal(r.s.status, 'fulfilled');
      assert.ok(r.clientSent.every((f) => f.flags === 0));
      assert.equal(r.clientSent.length, 2 + 2);
      assert.equal((r.out.match(/Signature verified\./g) ?? []).length, 2);
      assert.equal((r.log.match(/Received message: "hello there"/g) ?? []).length, 2);
    });
  }

  it('-v1 over gss-sample framing: the server refuses it (first token is not NOOP), as MIT does', async () => {
    const r = await run({ flagless: true });
    assert.equal(r.s.status, 'rejected');
    const e = toGssockError(r.s.status === 'rejected' ? r.s.reason : undefined);
    assert.equal(e.code, 'PROTOCOL_ERROR');
    assert.equal(e.message, 'Expected NOOP token, got 0 token instead');
    assert.equal(r.c.status, 'rejected');
  });

  it('mutual required, acceptor skips its proof: the client fails with MUTUAL_AUTH_REQUIRED', async () => {
    const r = await run({ serverMisbehave: { skipMutualProof: true } });
    assert.equal(r.c.status, 'rejected');
    const e = toGssockError(r.c.status === 'rejected' ? r.c.reason : undefined);
    assert.equal(e.code, 'MUTUAL_AUTH_REQUIRED');
    assert.equal(stageOf(e), 'initializing context');
    assert.ok(!r.log.includes('Accepted connection'));
  });

  it('the same without mutual required (-nomutual): works, MUTUAL not granted', async () => {
    const r = await run({ serverMisbehave: { skipMutualProof: true }, requiredFlags: 0 });
    assert.equal(r.c.status, 'fulfilled');
    assert.ok(!r.out.includes('GSS_C_MUTUAL_FLAG'));
  });

  it('a tampered MIC fails "verifying signature" with BAD_SIGNATURE', async () => {
    const r = await run({ serverMisbehave: { corruptToken: 'mic' } });
    assert.equal(r.c.status, 'rejected');
    const e = toGssockError(r.c.status === 'rejected' ? r.c.reason : undefined);
    assert.ok(isGssockError(e, 'BAD_SIGNATURE'), e.code);
    assert.equal(stageOf(e), 'verifying signature');
  });

  it('a tampered wrap token fails "unsealing message" at the server', async () => {
    const r = await run({ clientMisbehave: { corruptToken: 'wrap' } });
    assert.equal(r.s.status, 'rejected');
    const e = toGssockError(r.s.status === 'rejected' ? r.s.reason : undefined);
    assert.equal(stageOf(e), 'unsealing message');
  });

  it('-verbose dumps handshake tokens and message tokens like gss-server', async () => {
    const r = await run({ verbose: true });
    assert.equal(r.s.status, 'fulfilled');
    assert.match(r.log, /^Received token \(size=\d+\): \n([0-9a-f]{2} )+/);
    assert.match(r.log, /\nSending accept_sec_context token \(size=\d+\):\n/);
    assert.match(r.log, /\ncontinue needed\.\.\.\nReceived token/);
    assert.match(r.log, /\nAccepted connection using mechanism OID \{ 1 3 6 1 4 1 32473 1 1 \}\.\n/);
    assert.match(r.log, /\nMessage token \(flags=228\):\n/);
  });
});

describe('gss-sample server against hand-made frames', () => {
  async function serve(frames: Frame[]) {
    const [a, b] = memoryPair();
    const codec = codecByName('gss-sample');
    const peer = frameChannel(a, codec);
    const log: string[] = [];
    const result = serveSampleConnection({
      channel: frameChannel(b, codec),
      createContext: async () => mock().createContext('acceptor'),
      flagless: false,
      verbose: false,
      log: (t) => void log.push(t),
      stdout: () => undefined,
      stderr: () => undefined,
    });
    for (const f of frames) await peer.send(f);
    await peer.close();
    const settled = await Promise.allSettled([result]);
    return { settled: settled[0], log: log.join('') };
  }

  it('an unauthenticated client asking for a MIC is refused', async () => {
    const r = await serve([
      { flags: F.NOOP, body: new Uint8Array(0) },
      { flags: F.DATA | F.SEND_MIC, body: utf8('hi') },
    ]);
    assert.equal(r.settled?.status, 'rejected');
    assert.match(r.log, /Unauthenticated client requested authenticated services!\n/);
  });

  it('a hang-up in the message loop is reported as recv_token does', async () => {
    const r = await serve([{ flags: F.NOOP, body: new Uint8Array(0) }]);
    assert.equal(r.settled?.status, 'rejected');
    const e = toGssockError(r.settled?.status === 'rejected' ? r.settled.reason : undefined);
    assert.equal(e.message, 'reading token flags: 0 bytes read');
  });

  it('a garbage context token fails the handshake with a typed error', async () => {
    const r = await serve([
      { flags: F.NOOP | F.CONTEXT_NEXT, body: new Uint8Array(0) },
      { flags: F.CONTEXT, body: utf8('not a token') },
    ]);
    assert.equal(r.settled?.status, 'rejected');
    const e = toGssockError(r.settled?.status === 'rejected' ? r.settled.reason : undefined);
    assert.equal(stageOf(e), 'accepting context');
    assert.equal(e.origin, 'peer');
  });
});
