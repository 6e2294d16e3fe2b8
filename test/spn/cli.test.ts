import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CliIo, EXIT_USAGE } from '../../src/cli/io.ts';
import { main } from '../../src/cli/spn.ts';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => '',
    env: {},
    cwd: '/',
  };
  const code = await main(args, io);
  return { code, out, err };
}

const scpDn = 'CN=SockAuthAD,CN=HOST,OU=Computers,DC=fabrikam,DC=com';

describe('gssock spn (CLI)', () => {
  it('rnr prints the seed DN', async () => {
    const r = await run('rnr', 'WinSockRnRSampleService', '--domain', 'fabrikam.com');
    assert.deepEqual(r, {
      code: 0,
      out: 'cn=WinSockRnRSampleService,cn=WinsockServices,cn=System,DC=fabrikam,DC=com\n',
      err: '',
    });
    assert.equal(
      (await run('rnr', 'WinSockRnRSampleService', '--domain=DC=fabrikam,DC=com')).out,
      'cn=WinSockRnRSampleService,cn=WinsockServices,cn=System,DC=fabrikam,DC=com\n',
    );
  });
  it('make prints ADSockAuth/host.fabrikam.com/<SCP DN>', async () => {
    const r = await run(
      'make',
      '--class',
      'ADSockAuth',
      '--service',
      scpDn,
      '--instance',
      'host.fabrikam.com',
    );
    assert.deepEqual(r, { code: 0, out: `ADSockAuth/host.fabrikam.com/${scpDn}\n`, err: '' });
    assert.equal(
      (await run('make', '--class', 'c', '--service', 'h', '--port', '555', '--referrer', 'r')).out,
      'c/h:555\n',
    );
  });
  it('get prints one SPN per line', async () => {
    const r = await run(
      'get',
      '--type',
      'domain',
      '--class',
      'ldap',
      '--service',
      'fabrikam.com',
      '--instance',
      'dc1.fabrikam.com:389',
      '--instance',
      'dc2.fabrikam.com',
      '--instance',
      '[::1]:636',
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      'ldap/dc1.fabrikam.com:389/fabrikam.com\nldap/dc2.fabrikam.com/fabrikam.com\nldap/[::1]:636/fabrikam.com\n',
    );
    const d = await run(
      'get',
      '--type',
      'nb-host',
      '--class',
      'c',
      '--local-netbios',
      'JEFFSMITH-NEC',
      '--local-fqdn',
      'x.y',
    );
    assert.equal(d.out, 'c/JEFFSMITH-NEC\n');
  });
  it('crack prints one JSON object', async () => {
    const r = await run('crack', 'MSSQLSvc/sql01.contoso.com:1433');
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.out), {
      serviceClass: 'MSSQLSvc',
      serviceName: 'sql01.contoso.com',
      instanceName: 'sql01.contoso.com',
      instancePort: 1433,
    });
    assert.equal(r.out.trim().split('\n').length, 1);
  });
  it('principal prints MIT string form, realm inferred or given', async () => {
    assert.equal(
      (await run('principal', 'host@Server.Fabrikam.com')).out,
      'host/server.fabrikam.com@FABRIKAM.COM\n',
    );
    assert.equal(
      (await run('principal', 'MSSQLSvc/sql01.contoso.com:1433', '--realm', 'X.ORG')).out,
      'MSSQLSvc/sql01.contoso.com:1433@X.ORG\n',
    );
    assert.equal(
      (await run('principal', `ADSockAuth/host.fabrikam.com/${scpDn}`)).out,
      `ADSockAuth/host.fabrikam.com/${scpDn}@FABRIKAM.COM\n`,
    );
  });
  it('exits 2 with one clear message on invalid input', async () => {
    const cases: string[][] = [
      [],
      ['frobnicate'],
      ['make', '--class', 'a/b', '--service', 'h'],
      ['make', '--class', '', '--service', 'h'],
      ['make', '--service', 'h'],
      ['make', '--class', 'c', '--service', 'h', '--port', '70000'],
      ['make', '--class', 'c', '--service', 'h', '--bogus', 'x'],
      ['make', '--class', 'c', '--service'],
      ['get', '--type', 'host', '--class', 'c', '--local-fqdn', 'h'],
      ['get', '--type', 'dns-host', '--class', 'c'],
      ['get', '--type', 'dns-host', '--class', 'c', '--instance', 'h:abc'],
      ['crack', 'no-slash'],
      ['crack', 'a/b:x'],
      ['crack'],
      ['rnr', 'X', '--domain', 'CN=bad,DC=x'],
      ['rnr', 'X'],
      ['principal', 'HTTP/web'],
      ['principal', 'a@b@c'],
    ];
    for (const args of cases) {
      const r = await run(...args);
      assert.equal(r.code, EXIT_USAGE, args.join(' '));
      assert.equal(r.out, '', args.join(' '));
      assert.match(r.err, /^gssock spn: \S/, args.join(' '));
    }
  });
  it('--help prints usage and exits 0', async () => {
    const r = await run('--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /gssock spn make/);
  });
});
