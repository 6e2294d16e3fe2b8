/**
 * SPNEGO against MIT krb5 1.20's own SPNEGO (gss-sample programs, references.md §6), both
 * directions, with wrapped messages and MICs each way:
 * 1. `gssock client --mech negotiate` -> MIT gss-server: Kerberos through SPNEGO.
 * 2. MIT `gss-client -spnego` -> gssock server (negotiate, raw tokens refused so SPNEGO is
 *    proven on the wire): Kerberos through SPNEGO.
 * 3. Fallback to NTLM (gss-ntlmssp on the MIT side) when the initiator has no Kerberos
 *    credentials, both directions; with mutual required, gssock's client fails closed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as clientMain } from '../../src/cli/client.ts';
import { kerberosFactory } from '../../src/cli/kerberos-factory.ts';
import { ntlmFactory } from '../../src/cli/ntlm-factory.ts';
import { parseServerArgs, startServer } from '../../src/cli/server.ts';
import { ntlm } from '../../src/providers/ntlm/index.ts';
import { negotiate } from '../../src/providers/spnego/index.ts';
import { captureIo } from '../cli/cli-support.ts';
import { mitOnly } from '../support/mit-realm.ts';
import { randomPort, runProgram, startMitGssServer } from '../support/processes.ts';
import { NTLM_PASSWORD, NTLM_USER, type SpnegoRealm, startSpnegoRealm } from './fixture.ts';

const OPT = mitOnly();

/** Connection refused, as each runtime words it (the MIT server may not be listening yet). */
const REFUSED = /ECONNREFUSED|refused|Failed to connect/i;

async function ntlmResetSkip(): Promise<{ skip?: string }> {
  const probe = await ntlm({ user: 'u', password: 'p' }).createContext('initiator', { target: 'host@x' });
  const ok = typeof (probe as { resetCryptoState?: unknown }).resetCryptoState === 'function';
  probe.dispose();
  return ok
    ? {}
    : {
        skip: "BLOCKED: the NTLM provider lacks resetCryptoState (MS-SPNG §3.3.5.1), needed after MIT's NTLM mechListMIC",
      };
}
const NTLM_RESET = await ntlmResetSkip();
let k: SpnegoRealm;
const count = (text: string, re: RegExp) => (text.match(new RegExp(re, 'g')) ?? []).length;

/** gssock client (in-process) against a fresh MIT gss-server -once. */
async function gssockToMit(args: string[], env: Record<string, string>) {
  for (let attempt = 0; ; attempt++) {
    const port = randomPort();
    const server = startMitGssServer(port, ['-keytab', k.keytab, 'host@localhost'], env);
    let io = captureIo(env);
    let code = 1;
    for (let i = 0; i < 40; i++) {
      io = captureIo(env);
      code = await clientMain(
        ['-port', String(port), '--mech', 'negotiate', ...args, 'localhost', 'host@localhost', 'hello MIT'],
        io,
      );
      if (!REFUSED.test(io.stdoutText + io.stderrText)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (REFUSED.test(io.stdoutText + io.stderrText) && attempt < 2) {
      server.kill();
      continue;
    }
    await server.done(5000);
    server.kill();
    return { code, out: io.stdoutText + io.stderrText, server: server.output };
  }
}

/** MIT gss-client -spnego against an in-process gssock server taking SPNEGO only. */
async function mitToGssock(clientArgs: string[], env: Record<string, string>) {
  const settings = parseServerArgs([
    '-port',
    '0',
    '--host',
    '127.0.0.1',
    '-once',
    '--mech',
    'negotiate',
    'host@localhost',
  ]);
  const factoryOptions = {
    role: 'acceptor' as const,
    serviceName: 'host@localhost',
    keytab: k.keytab,
    env,
    cwd: process.cwd(),
  };
  const mechanism = negotiate({
    mechanisms: [await kerberosFactory(factoryOptions), await ntlmFactory(factoryOptions)],
    acceptRawTokens: false,
  });
  const io = captureIo(env);
  const server = await startServer(settings, io, mechanism);
  const client = await runProgram(
    'gss-client',
    ['-port', String(server.port), '-spnego', ...clientArgs, '127.0.0.1', 'host@localhost', 'hello gssock'],
    env,
  );
  await Promise.race([server.done, new Promise((r) => setTimeout(r, 5000))]);
  await server.close();
  return { client, server: io.stdoutText + io.stderrText };
}

describe('SPNEGO interop with MIT krb5 (gss-sample) and gss-ntlmssp', { timeout: 60_000 }, () => {
  before(async () => {
    if (!OPT.skip) k = await startSpnegoRealm();
  });
  after(async () => {
    await k?.realm.stop();
  });

  it(
    'gssock client --mech negotiate -> MIT gss-server: Kerberos, mutual, 2 wrapped messages and MICs',
    OPT,
    async () => {
      const r = await gssockToMit(['-mcount', '2'], k.env);
      assert.equal(r.code, 0, `${r.out}\nMIT server:\n${r.server}`);
      assert.match(r.server, /Accepted connection: "alice@EXAMPLE\.TEST"/);
      assert.equal(count(r.server, /Received message: "hello MIT"/), 2, r.server);
      assert.equal(count(r.out, /Signature verified\./), 2, r.out);
      assert.match(r.out, /context flag: GSS_C_MUTUAL_FLAG/);
      assert.match(r.out, /Mechanism \{ 1 2 840 113554 1 2 2 \}/, 'Kerberos was negotiated');
    },
  );

  it(
    'gssock client --mech negotiate -nomutual -> MIT gss-server (the acceptor still ends the exchange)',
    OPT,
    async () => {
      const r = await gssockToMit(['-nomutual'], k.env);
      assert.equal(r.code, 0, `${r.out}\nMIT server:\n${r.server}`);
      assert.match(r.server, /Received message: "hello MIT"/);
      assert.doesNotMatch(r.out, /GSS_C_MUTUAL_FLAG/);
    },
  );

  it(
    'MIT gss-client -spnego -> gssock server (SPNEGO only): Kerberos, wrap and MIC both ways',
    OPT,
    async () => {
      for (const args of [['-mcount', '2'], ['-nomutual']]) {
        const r = await mitToGssock(args, k.env);
        assert.equal(r.client.code, 0, `${r.client.output}\ngssock server:\n${r.server}`);
        assert.match(r.server, /Accepted connection: "alice@EXAMPLE\.TEST"/);
        const n = args.includes('-mcount') ? 2 : 1;
        assert.equal(count(r.server, /Received message: "hello gssock"/), n, r.server);
        assert.equal(count(r.client.output, /Signature verified\./), n, r.client.output);
      }
    },
  );

  it('no Kerberos credentials: gssock client falls back to NTLM against MIT + gss-ntlmssp', OPT, async () => {
    const r = await gssockToMit(
      ['-user', NTLM_USER, '-pass', NTLM_PASSWORD, '-nomutual', '-mcount', '2'],
      k.noKerberosEnv,
    );
    assert.equal(r.code, 0, `${r.out}\nMIT server:\n${r.server}`);
    assert.match(r.out, /Mechanism \{ 1 3 6 1 4 1 311 2 2 10 \}/, 'NTLM was negotiated');
    assert.match(r.server, /Accepted connection: "TESTDOM\\ntlmuser"/);
    assert.equal(count(r.server, /Received message: "hello MIT"/), 2, r.server);
    assert.equal(count(r.out, /Signature verified\./), 2, r.out);
  });

  it('NTLM outcome with mutual required: the gssock client fails closed', OPT, async () => {
    const r = await gssockToMit(['-user', NTLM_USER, '-pass', NTLM_PASSWORD], k.noKerberosEnv);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /mutual authentication/i);
    assert.doesNotMatch(r.server, /Received message/);
  });

  // MIT with gss-ntlmssp sends a mechListMIC here and then resets its NTLM RC4 state
  // (MS-SPNG §3.3.5.1); our side must do the same through the NTLM context's
  // resetCryptoState (SpnegoAwareContext), or the first wrap fails to verify.
  it('no Kerberos credentials: MIT gss-client -spnego falls back to NTLM against the gssock server', {
    ...OPT,
    ...NTLM_RESET,
  }, async () => {
    const r = await mitToGssock(
      ['-user', NTLM_USER, '-pass', NTLM_PASSWORD, '-nomutual', '-q', '-mcount', '2'],
      k.noKerberosEnv,
    );
    assert.equal(r.client.code, 0, `${r.client.output}\ngssock server:\n${r.server}`);
    assert.match(r.server, /Accepted connection: "TESTDOM\\ntlmuser"/);
    assert.equal(count(r.server, /Received message: "hello gssock"/), 2, r.server);
  });
});
