/**
 * native() against MIT's own gss-sample programs over loopback TCP, through the gssock CLI
 * (`--mech native`): the gssock client with MIT's libgssapi_krb5 against MIT gss-server
 * (-port, -keytab), and MIT gss-client against the gssock server. Each side checks the
 * other's wrapped message and MIC (gss-sample protocol, references §3.2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as clientMain } from '../../src/cli/client.ts';
import { captureIo, startServerOnFreePort } from '../cli/cli-support.ts';
import { randomPort, runProgram, startMitGssServer } from '../support/processes.ts';
import { type NativeRealm, nativeOnly, startNativeRealm } from './support.ts';

const OPT = await nativeOnly();
/** How each runtime words a refused connect (the server may not be listening yet). */
const REFUSED = /ECONNREFUSED|Connection refused|Failed to connect/;

describe('native() with MIT gss-server and gss-client', { timeout: 120_000 }, () => {
  let r: NativeRealm;
  let env: Record<string, string>;
  before(async () => {
    if (OPT.skip) return;
    r = await startNativeRealm();
    env = { ...r.realm.env, KRB5_KTNAME: `FILE:${r.keytabPath}` };
  });
  after(async () => {
    await r?.stop();
  });

  for (const [name, args] of [
    ['default flags', []],
    ['-seq', ['-seq']],
    ['-mcount 3', ['-mcount', '3']],
  ] as Array<[string, string[]]>) {
    it(`gssock --mech native client -> MIT gss-server: ${name}`, OPT, async () => {
      let out = '';
      let serverOut = '';
      for (let attempt = 0; attempt < 3; attempt++) {
        const port = randomPort();
        const server = startMitGssServer(port, ['-keytab', r.keytabPath, 'host@localhost'], env);
        let code = 1;
        for (let i = 0; i < 40; i++) {
          const io = captureIo(env);
          code = await clientMain(
            ['-port', String(port), '--mech', 'native', ...args, 'localhost', 'host@localhost', 'hello MIT'],
            io,
          );
          out = io.stdoutText + io.stderrText;
          if (!REFUSED.test(out)) break;
          await new Promise((res) => setTimeout(res, 50));
        }
        const done = await server.done(5000);
        server.kill();
        serverOut = server.output;
        if (REFUSED.test(out)) continue;
        assert.equal(code, 0, `client failed:\n${out}\nMIT server:\n${serverOut}`);
        assert.equal(done, 0, serverOut);
        break;
      }
      const count = args[0] === '-mcount' ? 3 : 1;
      assert.match(serverOut, /Accepted connection: "alice@EXAMPLE\.TEST"/);
      assert.equal((serverOut.match(/Received message: "hello MIT"/g) ?? []).length, count, serverOut);
      assert.equal((out.match(/Signature verified\./g) ?? []).length, count, out);
      assert.match(out, /context flag: GSS_C_MUTUAL_FLAG/);
      if (args.includes('-seq')) assert.match(out, /GSS_C_SEQUENCE_FLAG/);
    });
  }

  for (const [name, args] of [
    ['default flags', []],
    ['-nx (wrap without confidentiality)', ['-nx']],
    ['-seq -mcount 2', ['-seq', '-mcount', '2']],
  ] as Array<[string, string[]]>) {
    it(`MIT gss-client -> gssock --mech native server: ${name}`, OPT, async () => {
      const io = captureIo(env);
      const { port, serving } = await startServerOnFreePort(
        ['-once', '--mech', 'native', '-keytab', r.keytabPath, 'host@localhost'],
        io,
      );
      const client = await runProgram(
        'gss-client',
        ['-port', String(port), ...args, 'localhost', 'host@localhost', 'hello gssock'],
        env,
      );
      const serverCode = await serving;
      const server = io.stdoutText + io.stderrText;
      assert.equal(
        client.code,
        0,
        `MIT client failed:\n${client.stdout}${client.stderr}\nserver:\n${server}`,
      );
      assert.equal(serverCode, 0, server);
      const count = args.includes('-mcount') ? 2 : 1;
      assert.match(server, /Accepted connection: "alice@EXAMPLE\.TEST"/);
      assert.equal((server.match(/Received message: "hello gssock"/g) ?? []).length, count, server);
      assert.equal((client.stdout.match(/Signature verified\./g) ?? []).length, count, client.stdout);
    });
  }
});
