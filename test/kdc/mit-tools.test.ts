// MIT's tools accept the gssock KDC (listening on loopback) for each enctype: kinit with a
// password and with an exported keytab, kvno (also checked against the keytab), and MIT
// gss-client against MIT gss-server with tickets this KDC issued; gss-server reports the
// PAC attributes as "Authenticated" only when the PAC's server signature and client info
// verify (MIT's mspac plugin). Skipped loudly without MIT outside CI; fails in CI.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startKdc } from '../../src/kdc/index.ts';
import { findMitTool, MIT_ENCTYPE_NAMES, mitSkip } from '../support/mit-realm.ts';
import { runTool, startTool } from './support.ts';

const ENCTYPES = MIT_ENCTYPE_NAMES;

function skipReason(): string | false {
  const base = mitSkip();
  if (base) return base;
  const missing = ['gss-server', 'gss-client', 'stdbuf'].filter((t) => !findMitTool(t));
  if (missing.length === 0) return false;
  const reason = `missing ${missing.join(', ')} (apt-get install krb5-gss-samples)`;
  if (process.env.CI) throw new Error(`CI requires the MIT GSS samples: ${reason}`);
  return `SKIPPED LOUDLY: ${reason}`;
}

describe('MIT tools against the gssock KDC', () => {
  const skip = skipReason();
  for (const [etype, name] of ENCTYPES) {
    it(`${name} (${etype}): kinit (password, keytab), kvno, gss-client -> gss-server`, { skip }, async () => {
      const kdc = await startKdc({
        realm: 'MIT.TEST',
        enctypes: [etype],
        allowRc4: etype === 23,
        principals: { alice: { password: 'alice pw' }, 'host/localhost': {} },
        listen: true,
      });
      const dir = mkdtempSync(join(tmpdir(), 'gssock-kdc-mit-'));
      try {
        const keytab = join(dir, 'host.keytab');
        writeFileSync(join(dir, 'krb5.conf'), kdc.krb5Conf());
        writeFileSync(keytab, kdc.exportKeytab('host/localhost'));
        const env = {
          KRB5_CONFIG: join(dir, 'krb5.conf'),
          KRB5CCNAME: `FILE:${join(dir, 'ccache')}`,
          KRB5RCACHETYPE: 'none',
        };
        const ok = async (cmd: string, args: string[], input = '') => {
          const r = await runTool(cmd, args, env, input);
          assert.equal(r.code, 0, `${cmd} ${args.join(' ')}: ${r.output}`);
          return r.output;
        };
        await ok('kinit', ['alice@MIT.TEST'], 'alice pw\n');
        const tgt = await ok('klist', ['-e', '-f']);
        assert.match(tgt, /krbtgt\/MIT\.TEST@MIT\.TEST/);
        assert.ok(tgt.includes(name), tgt);
        const wrong = await runTool('kinit', ['alice@MIT.TEST'], env, 'not the password\n');
        assert.notEqual(wrong.code, 0);
        assert.match(wrong.output, /[Pp]assword incorrect|[Pp]reauthentication failed/);
        await ok('kinit', ['-r', '2d', 'alice@MIT.TEST'], 'alice pw\n');
        await ok('kinit', ['-R']); // a TGS-REQ with RENEW for the TGT itself
        assert.match(await ok('klist', ['-f']), /Flags: FR/);
        assert.match(await ok('kvno', ['host/localhost']), /kvno = 1/);
        assert.match(await ok('kvno', ['-k', keytab, 'host/localhost']), /keytab entry valid/);

        const port = 10000 + Math.floor(Math.random() * 22000);
        const server = await startTool(
          findMitTool('stdbuf')!,
          [
            '-oL',
            '-eL',
            findMitTool('gss-server')!,
            '-port',
            String(port),
            '-once',
            '-keytab',
            keytab,
            'host@localhost',
          ],
          env,
          'starting',
        );
        try {
          const client = await runTool(
            'gss-client',
            ['-port', String(port), 'localhost', 'host@localhost', 'hello gssock kdc'],
            env,
          );
          assert.equal(client.code, 0, client.output);
          assert.match(client.output, /Signature verified/);
          await server.exited;
          const out = server.output();
          assert.match(out, /Accepted connection: "alice@MIT\.TEST"/);
          assert.match(out, /hello gssock kdc/);
          assert.match(out, /urn:mspac:logon-info Authenticated/, out);
        } finally {
          server.child.kill('SIGKILL');
        }

        await ok('kinit', ['-k', '-t', keytab, 'host/localhost@MIT.TEST']);
        assert.match(await ok('klist', []), /Default principal: host\/localhost@MIT\.TEST/);
      } finally {
        await kdc.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
