/**
 * gssock's Kerberos against MIT krb5's own gss-sample programs (references.md §6), both
 * ways, over loopback, in every mode the samples have:
 * 1. `gssock client --mech kerberos` (in-process) -> MIT `gss-server`: default flags, -seq,
 *    -noreplay, -nomutual, -d, -mcount 3. MIT must decrypt the wrapped message and its MIC
 *    must verify ("Signature verified.").
 * 2. MIT `gss-client` -> `gssock server --mech kerberos` (in-process): the same modes plus
 *    -nx, -nw, -nm, -ccount 3; the server must print alice@EXAMPLE.TEST.
 * 3. Each enctype MIT issues (17, 18, 19, 20, 23) both ways, through a service whose only
 *    key is of that enctype.
 * 4. One subprocess run of the CLI on the runtime running this file.
 * Delegation from MIT is checked in handshake.test.ts (the ccache it yields, read by klist).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main as clientMain } from '../../../src/cli/client.ts';
import { kerberosFactory } from '../../../src/cli/kerberos-factory.ts';
import { parseServerArgs, startServer } from '../../../src/cli/server.ts';
import { captureIo, eventually, startServerOnFreePort } from '../../cli/cli-support.ts';
import { mitOnly } from '../../support/mit-realm.ts';
import { randomPort, runProgram, startMitGssServer } from '../../support/processes.ts';
import { ENCTYPE_NAMES, ENCTYPES, type KerberosRealm, startKerberosRealm } from './fixture.ts';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', '..');

let k: KerberosRealm;
const OPT = mitOnly();

/** gssock client against a fresh MIT gss-server; retries while the server is not listening yet. */
async function gssockClientVsMit(clientArgs: string[], service = 'host', keytab?: string) {
  for (let attempt = 0; ; attempt++) {
    const port = randomPort();
    const server = startMitGssServer(
      port,
      ['-keytab', keytab ?? k.hostKeytab, `${service}@localhost`],
      k.env,
    );
    let code = 1;
    let io = captureIo(k.env);
    for (let i = 0; i < 40; i++) {
      io = captureIo(k.env);
      code = await clientMain(
        [
          '-port',
          String(port),
          '--mech',
          'kerberos',
          ...clientArgs,
          'localhost',
          `${service}@localhost`,
          'hello MIT',
        ],
        io,
      );
      if (!/connect failed/.test(io.stdoutText + io.stderrText)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (/connect failed/.test(io.stdoutText + io.stderrText) && attempt < 2) {
      server.kill();
      continue;
    }
    const serverCode = await server.done(5000);
    server.kill();
    return { code, out: io.stdoutText + io.stderrText, server: server.output, serverCode };
  }
}

/** MIT gss-client against the in-process gssock server (-once). */
async function mitClientVsGssock(clientArgs: string[], service = 'host', keytab?: string) {
  const io = captureIo(k.env);
  const { port, serving } = await startServerOnFreePort(
    ['-once', '--mech', 'kerberos', '-keytab', keytab ?? k.hostKeytab, `${service}@localhost`],
    io,
  );
  const client = await runProgram(
    'gss-client',
    ['-port', String(port), ...clientArgs, 'localhost', `${service}@localhost`, 'hello gssock'],
    k.env,
  );
  const serverCode = await serving;
  return { client, server: io.stdoutText, serverErr: io.stderrText, serverCode };
}

describe('Kerberos interop with MIT gss-sample', { timeout: 120_000 }, () => {
  before(async () => {
    if (!OPT.skip) k = await startKerberosRealm();
  });
  after(async () => {
    await k?.realm.stop();
  });

  const clientModes: Array<[string, string[]]> = [
    ['default flags', []],
    ['-seq', ['-seq']],
    ['-noreplay', ['-noreplay']],
    ['-nomutual', ['-nomutual']],
    ['-d (delegation)', ['-d']],
    ['-mcount 3', ['-mcount', '3']],
  ];
  for (const [name, args] of clientModes) {
    it(`gssock client -> MIT gss-server: ${name}`, OPT, async () => {
      const r = await gssockClientVsMit(args);
      assert.equal(r.code, 0, `client failed:\n${r.out}\nMIT server:\n${r.server}`);
      const count = args[0] === '-mcount' ? 3 : 1;
      assert.equal((r.server.match(/Received message: "hello MIT"/g) ?? []).length, count, r.server);
      assert.match(r.server, /Accepted connection: "alice@EXAMPLE\.TEST"/);
      assert.equal((r.out.match(/Signature verified\./g) ?? []).length, count, r.out);
      if (args.includes('-d')) assert.match(r.out, /context flag: GSS_C_DELEG_FLAG/);
      if (args.includes('-nomutual')) assert.doesNotMatch(r.out, /GSS_C_MUTUAL_FLAG/);
      else assert.match(r.out, /context flag: GSS_C_MUTUAL_FLAG/);
      if (args.includes('-seq')) assert.match(r.out, /GSS_C_SEQUENCE_FLAG/);
      if (args.includes('-noreplay')) assert.doesNotMatch(r.out, /GSS_C_REPLAY_FLAG/);
    });
  }

  const serverModes: Array<[string, string[]]> = [
    ...clientModes,
    ['-nx (wrap without confidentiality)', ['-nx']],
    ['-nw (no wrap)', ['-nw']],
    ['-nm (no MIC back)', ['-nm']],
  ];
  for (const [name, args] of serverModes) {
    it(`MIT gss-client -> gssock server: ${name}`, OPT, async () => {
      const r = await mitClientVsGssock(args);
      assert.equal(
        r.client.code,
        0,
        `MIT client failed:\n${r.client.stdout}${r.client.stderr}\nserver:\n${r.server}${r.serverErr}`,
      );
      assert.match(r.server, /Accepted connection: "alice@EXAMPLE\.TEST"/);
      const count = args[0] === '-mcount' ? 3 : 1;
      assert.equal((r.server.match(/Received message: "hello gssock"/g) ?? []).length, count, r.server);
      if (args.includes('-nm')) assert.doesNotMatch(r.client.stdout, /Signature verified/);
      else
        assert.equal((r.client.stdout.match(/Signature verified\./g) ?? []).length, count, r.client.stdout);
      if (args.includes('-d')) assert.match(r.server, /context flag: GSS_C_DELEG_FLAG/);
      if (args.includes('-nx')) assert.match(r.server, /Received message/);
    });
  }

  it('MIT gss-client -> gssock server: -ccount 3', OPT, async () => {
    const io = captureIo(k.env);
    const settings = parseServerArgs(['-port', '0', '-keytab', k.hostKeytab, 'host@localhost']);
    const mechanism = await kerberosFactory({
      role: 'acceptor',
      keytab: k.hostKeytab,
      serviceName: 'host@localhost',
      env: k.env,
      cwd: root,
    });
    const server = await startServer(settings, io, mechanism);
    try {
      const client = await runProgram(
        'gss-client',
        ['-port', String(server.port), '-ccount', '3', 'localhost', 'host@localhost', 'hello gssock'],
        k.env,
      );
      assert.equal(client.code, 0, `${client.stdout}${client.stderr}\n${io.stdoutText}${io.stderrText}`);
      await eventually(
        () => (io.stdoutText.match(/Accepted connection: "alice@EXAMPLE\.TEST"/g) ?? []).length === 3,
        'three connections accepted',
      );
      assert.equal((client.stdout.match(/Signature verified\./g) ?? []).length, 3);
    } finally {
      await server.close();
    }
  });

  for (const e of ENCTYPES) {
    it(`enctype ${e}: gssock client -> MIT gss-server and MIT gss-client -> gssock server`, OPT, async () => {
      const a = await gssockClientVsMit([], `svc${e}`, k.allKeytab);
      assert.equal(a.code, 0, `${a.out}\n${a.server}`);
      assert.match(a.server, /Received message: "hello MIT"/);
      assert.match(a.out, /Signature verified\./);
      const b = await mitClientVsGssock([], `svc${e}`, k.allKeytab);
      assert.equal(b.client.code, 0, `${b.client.stdout}${b.client.stderr}\n${b.server}${b.serverErr}`);
      assert.match(b.server, /Received message: "hello gssock"/);
      // The KDC issued a session key of that enctype (klist -e: "Etype (skey, tkt): ...").
      const klist = await runProgram('klist', ['-e'], k.env);
      const lines = klist.stdout.split('\n');
      const at = lines.findIndex((l) => l.includes(`svc${e}/localhost`));
      assert.ok(at >= 0, klist.stdout);
      assert.match(
        lines.slice(at, at + 3).join('\n'),
        new RegExp(`Etype \\(skey, tkt\\): (DEPRECATED:)?${ENCTYPE_NAMES[e]}, `),
      );
    });
  }

  it('the CLI as a subprocess on this runtime -> MIT gss-server', OPT, async () => {
    const g = globalThis as { Deno?: unknown; Bun?: unknown };
    const bin = (n: string) => join(root, 'node_modules', '.bin', n);
    const cli =
      g.Deno !== undefined
        ? [bin('deno'), 'run', '-A', '--no-check', join(root, 'src/cli/main.ts')]
        : g.Bun !== undefined
          ? [bin('bun'), join(root, 'src/cli/main.ts')]
          : [process.execPath, '--import', 'tsx', join(root, 'src/cli/main.ts')];
    const port = randomPort();
    const server = startMitGssServer(port, ['-keytab', k.hostKeytab, 'host@localhost'], k.env);
    assert.ok(await server.listening(), `MIT gss-server did not listen on ${port}:\n${server.output}`);
    const r = await runProgram(
      cli[0]!,
      [
        ...cli.slice(1),
        'client',
        '-port',
        String(port),
        '--mech',
        'kerberos',
        '-seq',
        'localhost',
        'host@localhost',
        'hi',
      ],
      { ...k.env },
      30_000,
    );
    await server.done();
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}\n${server.output}`);
    assert.match(server.output, /Received message: "hi"/);
    assert.match(r.stdout, /Signature verified\./);
  });
});
