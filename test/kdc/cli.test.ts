// `gssock kdc`: the realm file in both forms, and the command serving a realm on loopback
// (krb5.conf lines printed and written, a keytab written, a client served, a clean stop).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main, parseRealmFile } from '../../src/cli/kdc.ts';
import type { CliIo } from '../../src/cli/io.ts';
import type { RunningKdc } from '../../src/kdc/index.ts';
import { getInitialTicket } from '../../src/providers/kerberos/kdc/as-exchange.ts';
import { createNetTransport } from '../../src/providers/kerberos/kdc/net-transport.ts';
import { parsePrincipal } from '../../src/providers/kerberos/kdc/principal-name.ts';
import { parseKeytab } from '../../src/providers/kerberos/keytab.ts';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => '',
    env: {},
    cwd,
  };
  return { cli, out, err };
}

describe('gssock kdc', () => {
  it('reads the line format and the JSON format alike', () => {
    const text = parseRealmFile(`# a realm
realm LINES.TEST
enctypes aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
port 8888
principal alice password=s3cret groups=513,1500
principal host/localhost randkey keytab=host.keytab
`);
    const json = parseRealmFile(
      JSON.stringify({
        realm: 'LINES.TEST',
        enctypes: ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96'],
        port: 8888,
        principals: {
          alice: { password: 's3cret', groups: [513, 1500] },
          'host/localhost': { randkey: true, keytab: 'host.keytab' },
        },
      }),
    );
    assert.deepEqual(text, json);
    assert.throws(
      () => parseRealmFile('realm X\nprincipal bob colour=blue\n'),
      /unknown principal attribute/,
    );
    assert.throws(() => parseRealmFile('principal bob\n'), /realm/);
    assert.throws(() => parseRealmFile('{ "realm": 1 }'), /realm/);
  });

  it('serves the realm on loopback, prints and writes krb5.conf, writes the keytab, stops on abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gssock-kdc-cli-'));
    try {
      writeFileSync(
        join(dir, 'realm.txt'),
        'realm CLI.TEST\nprincipal alice password=pw\nprincipal host/localhost randkey keytab=host.keytab\n',
      );
      const { cli, out, err } = io(dir);
      const stop = new AbortController();
      let running: RunningKdc | undefined;
      let exited: Promise<number> | undefined;
      const listening = new Promise<void>((resolve) => {
        const exit = main(['--realm-file', 'realm.txt', '--krb5-conf', 'krb5.conf'], cli, {
          signal: stop.signal,
          onListening: (kdc) => {
            running = kdc;
            resolve();
          },
        });
        exited = exit;
      });
      await listening;
      const text = out.join('');
      assert.match(text, new RegExp(`kdc = 127\\.0\\.0\\.1:${running!.address!.port}`));
      assert.equal(readFileSync(join(dir, 'krb5.conf'), 'utf8'), running!.krb5Conf());
      const keytab = parseKeytab(new Uint8Array(readFileSync(join(dir, 'host.keytab'))));
      assert.ok(keytab.entries.length >= 4);
      assert.deepEqual(keytab.entries[0]!.principal.name.nameString, ['host', 'localhost']);
      const tgt = await getInitialTicket({
        transport: createNetTransport(),
        kdcs: [{ host: '127.0.0.1', port: running!.address!.port, protocol: 'any' }],
        client: parsePrincipal('alice@CLI.TEST'),
        secret: { password: 'pw' },
      });
      assert.equal(tgt.server.name.nameString.join('/'), 'krbtgt/CLI.TEST');
      stop.abort();
      assert.equal(await exited, 0, err.join(''));
      assert.match(out.join(''), /stopped/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad options and files: usage error (2) or failure (1), nothing left listening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gssock-kdc-cli-'));
    try {
      const a = io(dir);
      assert.equal(await main(['--port', 'x'], a.cli), 2);
      writeFileSync(join(dir, 'bad.txt'), 'realm BAD.TEST\nenctypes des-cbc-crc\n');
      const b = io(dir);
      assert.equal(await main(['--realm-file', 'bad.txt'], b.cli, { signal: AbortSignal.abort() }), 1);
      assert.match(b.err.join(''), /des-cbc-crc|not supported/);
      assert.equal(existsSync(join(dir, 'krb5.conf')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
