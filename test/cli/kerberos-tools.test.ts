// gssock kinit/klist/kvno/ktutil against MIT: the files each writes, the other reads;
// the text gssock prints is the text MIT prints.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { after, before, describe, it } from 'node:test';
import { kinit, klist, ktutil, kvno } from '../../src/cli/kerberos-tools.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { type MitRealm, mitSkip, startMitRealm } from '../support/mit-realm.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function fakeIo(realm: MitRealm, input = '', env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    readStdin: async () => input,
    env: { ...realm.env, ...env },
    cwd: realm.dir,
  };
  return { io, out };
}

/** This runtime running src/cli/main.ts (the real dispatcher) as a subprocess. */
function runtimeCommand(): [string, string[]] {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  const main = join(ROOT, 'src/cli/main.ts');
  if (g.Deno) return [process.execPath, ['run', '-A', '--no-check', main]];
  if (g.Bun) return [process.execPath, [main]];
  return [process.execPath, ['--import', 'tsx', main]];
}

describe('gssock Kerberos tools with MIT', { skip: mitSkip() }, () => {
  let realm: MitRealm;
  before(async () => {
    realm = await startMitRealm({
      allowRc4: true,
      principals: {
        alice: { password: 'alice-pw-1' },
        ktuser: { password: 'kt-pw-2' },
        'host/localhost': { randkey: true },
        'HTTP/localhost': { randkey: true },
      },
    });
  });
  after(async () => {
    await realm?.stop();
  });

  it('gssock kinit writes a ccache MIT klist lists and MIT kvno uses', async () => {
    const { io, out } = fakeIo(realm, 'alice-pw-1\n');
    assert.equal(await kinit(['alice'], io), 0, out.stderr);
    const list = await realm.runOk('klist', ['-f']);
    assert.match(list.stdout, /Default principal: alice@EXAMPLE\.TEST/);
    assert.match(list.stdout, /krbtgt\/EXAMPLE\.TEST@EXAMPLE\.TEST\n\tFlags: FIA/);
    const kv = await realm.runOk('kvno', ['host/localhost']);
    assert.match(kv.stdout, /^host\/localhost@EXAMPLE\.TEST: kvno = \d+\n$/);
  });

  it('gssock klist prints what MIT klist prints for the same cache', async () => {
    for (const flags of [[], ['-e', '-f'], ['-ef']]) {
      const mit = await realm.runOk('klist', flags);
      const { io, out } = fakeIo(realm);
      assert.equal(await klist(flags, io), 0, out.stderr);
      assert.equal(out.stdout, mit.stdout, `klist ${flags.join(' ')}`);
    }
  });

  it('gssock kvno adds a service ticket MIT klist sees, and prints what MIT kvno prints', async () => {
    const { io, out } = fakeIo(realm);
    assert.equal(await kvno(['HTTP/localhost'], io), 0, out.stderr);
    const mit = await realm.runOk('kvno', ['HTTP/localhost']);
    assert.equal(out.stdout, mit.stdout);
    const list = await realm.runOk('klist', []);
    assert.match(list.stdout, /HTTP\/localhost@EXAMPLE\.TEST/);
    const again = fakeIo(realm);
    assert.equal(await klist(['-e', '-f'], again.io), 0);
    assert.equal(again.out.stdout, (await realm.runOk('klist', ['-e', '-f'])).stdout);
  });

  it('a keytab written by gssock ktutil lets MIT kinit -k -t succeed', async () => {
    const { io, out } = fakeIo(realm, 'kt-pw-2\n');
    const args = [
      'add',
      '--keytab',
      'ktuser.keytab',
      '--principal',
      'ktuser',
      '--password-stdin',
      '--kvno',
      '1',
    ];
    assert.equal(
      await ktutil(
        [
          ...args,
          '--enctypes',
          'aes256-cts-hmac-sha1-96,aes128-cts-hmac-sha1-96,aes256-sha2,aes128-sha2,arcfour-hmac',
        ],
        io,
      ),
      0,
      out.stderr,
    );
    const cc = `FILE:${join(realm.dir, 'ktuser.cc')}`;
    const keytab = join(realm.dir, 'ktuser.keytab');
    for (const e of [
      'aes256-cts-hmac-sha1-96',
      'aes128-cts-hmac-sha1-96',
      'aes256-cts-hmac-sha384-192',
      'aes128-cts-hmac-sha256-128',
      'arcfour-hmac',
    ]) {
      // Force each enctype in turn so every key gssock derived is proven against the KDC.
      const conf = join(realm.dir, `krb5-${e}.conf`);
      writeFileSync(
        conf,
        readFileSync(realm.krb5ConfPath, 'utf8').replace(
          /default_tkt_enctypes = .*/,
          `default_tkt_enctypes = ${e}`,
        ),
      );
      await realm.runOk('kinit', ['-k', '-t', keytab, 'ktuser'], {
        env: { KRB5CCNAME: cc, KRB5_CONFIG: conf },
      });
      // The AS-REP was encrypted in the ktuser key of that enctype, and the session key follows it.
      const list = await realm.runOk('klist', ['-e', '-c', cc]);
      assert.match(list.stdout, new RegExp(`Etype \\(skey, tkt\\): (DEPRECATED:)?${e}, `));
    }
    const listed = fakeIo(realm);
    assert.equal(await ktutil(['list', '--keytab', 'ktuser.keytab'], listed.io), 0);
    assert.equal(listed.out.stdout.split('\n').filter((l) => l.includes('ktuser@EXAMPLE.TEST')).length, 5);
  });

  it('a keytab written by MIT ktadd is listed by gssock klist -k as MIT lists it, and kinit -k uses it', async () => {
    const keytab = join(realm.dir, 'host.keytab');
    await realm.ktadd('host/localhost', keytab);
    for (const flags of [['-k'], ['-k', '-e', '-t'], ['-k', '-e', '-t', '-K']]) {
      const mit = await realm.runOk('klist', [...flags, keytab]);
      const { io, out } = fakeIo(realm);
      assert.equal(await klist([...flags, keytab], io), 0, out.stderr);
      assert.equal(out.stdout, mit.stdout, `klist ${flags.join(' ')}`);
    }
    const cc = join(realm.dir, 'host.cc');
    const { io, out } = fakeIo(realm);
    assert.equal(await kinit(['-k', '-t', keytab, '-c', cc, 'host/localhost'], io), 0, out.stderr);
    const list = await realm.runOk('klist', ['-c', cc]);
    assert.match(list.stdout, /Default principal: host\/localhost@EXAMPLE\.TEST/);
  });

  it('a wrong password fails with KDC_ERR_PREAUTH_FAILED and exit code 1', async () => {
    const { io, out } = fakeIo(realm, 'nope\n', { KRB5CCNAME: `FILE:${join(realm.dir, 'bad.cc')}` });
    assert.equal(await kinit(['alice'], io), 1);
    assert.match(out.stderr, /^kinit: .*KDC_ERR_PREAUTH_FAILED \(24\)/);
  });

  it('an unknown principal fails with KDC_ERR_C_PRINCIPAL_UNKNOWN', async () => {
    const { io, out } = fakeIo(realm, 'x\n', { KRB5CCNAME: `FILE:${join(realm.dir, 'bad.cc')}` });
    assert.equal(await kinit(['nobody'], io), 1);
    assert.match(out.stderr, /KDC_ERR_C_PRINCIPAL_UNKNOWN \(6\)/);
  });

  it('kvno of an unknown service reports it and exits 1; bad options exit 2', async () => {
    const { io, out } = fakeIo(realm);
    assert.equal(await kvno(['nosuch/localhost'], io), 1);
    assert.match(out.stderr, /KDC_ERR_S_PRINCIPAL_UNKNOWN/);
    const bad = fakeIo(realm);
    assert.equal(await klist(['--bogus'], bad.io), 2);
    assert.match(bad.out.stderr, /usage/);
  });

  it('klist of a missing cache fails like MIT', async () => {
    const { io, out } = fakeIo(realm, '', { KRB5CCNAME: `FILE:${join(realm.dir, 'none.cc')}` });
    assert.equal(await klist([], io), 1);
    assert.match(out.stderr, /No credentials cache found/);
  });

  it('runs as a real subprocess through the gssock dispatcher on this runtime', async () => {
    const [cmd, pre] = runtimeCommand();
    const cc = join(realm.dir, 'sub.cc');
    const run = (args: string[], input = '') =>
      new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        const child = spawn(cmd, [...pre, ...args], {
          cwd: ROOT,
          env: { ...process.env, ...realm.env, KRB5CCNAME: `FILE:${cc}` },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
        child.stdin.end(input);
      });
    const k = await run(['kinit', 'alice'], 'alice-pw-1\n');
    assert.equal(k.code, 0, k.stderr);
    const l = await run(['klist']);
    assert.equal(l.code, 0, l.stderr);
    assert.equal(l.stdout, (await realm.runOk('klist', [], { env: { KRB5CCNAME: `FILE:${cc}` } })).stdout);
  });
});
