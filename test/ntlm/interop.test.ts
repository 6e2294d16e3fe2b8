/**
 * gssock's NTLM against gss-ntlmssp through MIT's gss-sample programs, both ways, over
 * loopback, on whichever runtime runs this file (the CLI runs in-process):
 * 1. `gssock client --mech ntlm -nomutual` -> MIT `gss-server`: gss-ntlmssp must accept
 *    the logon and unseal our wrap token; we must verify its MIC ("Signature verified.").
 * 2. MIT `gss-client -mech {NTLMSSP}` -> `gssock server --mech ntlm`: we accept the logon,
 *    unseal its wrap tokens and send MICs it verifies (gss-client exits 0 only then).
 * 3. Refusals: mutual required with NTLM, wrong passwords in both directions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as clientMain } from '../../src/cli/client.ts';
import { captureIo, startServerOnFreePort } from '../cli/cli-support.ts';
import {
  NTLM_MECH_BRACES,
  type NtlmPeerEnv,
  ntlmInteropOnly,
  ntlmPeerEnv,
  randomPort,
  startProgram,
} from './mit-ntlm.ts';

const OPT = ntlmInteropOnly();
/** How each runtime reports a port nobody listens on yet (Node: ECONNREFUSED; Bun/Deno: connect failed). */
const NOT_LISTENING = /ECONNREFUSED|connect failed|refused/i;
let peer: NtlmPeerEnv;

before(() => {
  if (!OPT.skip) peer = ntlmPeerEnv(['CORP:alice:Passw0rd', ':bob:b0b:with:colons']);
});
after(() => peer?.remove());

/** gssock client against a fresh MIT gss-server (-once); retries while it is not listening. */
async function gssockVsMitServer(args: string[], message = 'hello MIT') {
  for (let attempt = 0; ; attempt++) {
    const port = randomPort();
    const server = startProgram(
      'stdbuf',
      ['-oL', 'gss-server', '-port', String(port), '-once', 'host@localhost'],
      peer.env,
    );
    let io = captureIo(peer.env);
    let code = 1;
    for (let i = 0; i < 40; i++) {
      io = captureIo(peer.env);
      code = await clientMain(
        ['-port', String(port), '--mech', 'ntlm', ...args, '127.0.0.1', 'host@localhost', message],
        io,
      );
      if (!NOT_LISTENING.test(io.stdoutText + io.stderrText)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const refused = NOT_LISTENING.test(io.stdoutText + io.stderrText);
    if (refused && attempt < 2) {
      server.kill();
      continue;
    }
    const serverCode = await Promise.race([
      server.done(),
      new Promise<number>((r) => setTimeout(() => r(-1), 5000)),
    ]);
    server.kill();
    return { code, out: io.stdoutText + io.stderrText, server: server.output, serverCode };
  }
}

/** MIT gss-client against the in-process gssock server (-once). */
async function mitClientVsGssock(args: string[], message = 'hello gssock') {
  const io = captureIo(peer.env);
  const { port, serving } = await startServerOnFreePort(['-once', '--mech', 'ntlm', 'host@localhost'], io);
  const client = startProgram(
    'gss-client',
    ['-port', String(port), '-mech', NTLM_MECH_BRACES, '-q', ...args, '127.0.0.1', 'host@localhost', message],
    peer.env,
  );
  const code = await client.done();
  const serverCode = await serving;
  return { code, out: client.output, server: io.stdoutText + io.stderrText, serverCode };
}

describe('NTLM interop with gss-ntlmssp (MIT gss-sample)', () => {
  it('gssock client -> MIT gss-server: logon, sealed message, MIC verified', OPT, async () => {
    const r = await gssockVsMitServer(['-nomutual', '-user', 'CORP\\alice', '-pass', 'Passw0rd']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Signature verified\./);
    assert.match(r.server, /Accepted connection: "CORP\\alice"/);
    assert.match(r.server, /Received message: "hello MIT"/);
  });

  it('gssock client -> MIT gss-server: -seq, three messages, user@domain form', OPT, async () => {
    const r = await gssockVsMitServer([
      '-nomutual',
      '-seq',
      '-mcount',
      '3',
      '-user',
      'alice@CORP',
      '-pass',
      'Passw0rd',
    ]);
    assert.equal(r.code, 0, r.out);
    assert.equal((r.out.match(/Signature verified\./g) ?? []).length, 3);
    assert.equal((r.server.match(/Received message: "hello MIT"/g) ?? []).length, 3);
  });

  it('gssock client -> MIT gss-server: mutual required (the default) fails closed, typed', OPT, async () => {
    const r = await gssockVsMitServer(['-user', 'CORP\\alice', '-pass', 'Passw0rd']);
    assert.equal(r.code, 1);
    assert.match(r.out, /MUTUAL_AUTH_REQUIRED/);
    assert.doesNotMatch(r.server, /Accepted connection/);
  });

  it('gssock client -> MIT gss-server: a wrong password is refused by gss-ntlmssp', OPT, async () => {
    const r = await gssockVsMitServer(['-nomutual', '-user', 'CORP\\alice', '-pass', 'wrong']);
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.server, /Accepted connection/);
  });

  it('MIT gss-client -> gssock server: logon, unsealed message, our MIC verified', OPT, async () => {
    const r = await mitClientVsGssock(['-user', 'CORP\\alice', '-pass', 'Passw0rd']);
    assert.equal(r.code, 0, r.out + r.server);
    assert.match(r.server, /Accepted connection: "CORP\\alice"/);
    assert.match(r.server, /Received message: "hello gssock"/);
  });

  it('MIT gss-client -> gssock server: -seq -mcount 3 -nx, a domain-less user file entry', OPT, async () => {
    const r = await mitClientVsGssock([
      '-seq',
      '-mcount',
      '3',
      '-nx',
      '-user',
      'bob',
      '-pass',
      'b0b:with:colons',
    ]);
    assert.equal(r.code, 0, r.out + r.server);
    assert.equal((r.server.match(/Received message: "hello gssock"/g) ?? []).length, 3);
  });

  it('MIT gss-client -> gssock server: a wrong password is LOGON_DENIED', OPT, async () => {
    const r = await mitClientVsGssock(['-user', 'CORP\\alice', '-pass', 'wrong']);
    assert.notEqual(r.code, 0);
    assert.match(r.server, /LOGON_DENIED/);
    assert.doesNotMatch(r.server, /Accepted connection/);
  });
});
