/**
 * krb5.conf (MIT krb5.conf(5)): syntax, includes, final markers, typed values and defaults,
 * [domain_realm] lookup, and the MIT environment variables (kerberos(7)).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGssockError } from '../../src/core/errors.ts';
import {
  loadKrb5Conf,
  parseDuration,
  parseKrb5Conf,
  realmForHost,
  requireFilePath,
  resolveKrb5Env,
} from '../../src/providers/kerberos/config/index.ts';
import { parseKdcAddress } from '../../src/providers/kerberos/kdc/locator.ts';

const CONF = `# a comment
; another comment
[libdefaults]
    default_realm = EXAMPLE.COM
    dns_lookup_kdc = No
    dns_lookup_realm = TRUE
    udp_preference_limit = 1
    allow_weak_crypto = off
    allow_rc4 = yes
    rdns = false
    dns_canonicalize_hostname = fallback
    qualify_shortname = ""
    forwardable = y
    default_tkt_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
    default_tgs_enctypes = aes256-cts-hmac-sha1-96, rc4-hmac
    permitted_enctypes = DEFAULT -des
    clockskew = 120
    ticket_lifetime = 10h 30m
    renew_lifetime = 7d
    default_ccache_name = FILE:/tmp/cc_%{uid}
    default_keytab_name = /srv/krb5.keytab

[realms]
    EXAMPLE.COM = {
        kdc = kdc1.example.com
        kdc = kdc2.example.com:8888
        admin_server = kdc1.example.com
        default_domain = example.com
        auth_to_local = RULE:[1:$1]
    }
    OTHER.ORG = {
        kdc = "[2001:db8::1]:750"
    }

[domain_realm]
    .example.com = EXAMPLE.COM
    example.com = EXAMPLE.COM
    .Other.Org = OTHER.ORG
    special.example.com = OTHER.ORG
`;

describe('krb5.conf parsing', () => {
  const conf = parseKrb5Conf(CONF);

  it('types [libdefaults] as MIT reads it', () => {
    const l = conf.libdefaults;
    assert.equal(l.defaultRealm, 'EXAMPLE.COM');
    assert.equal(l.dnsLookupKdc, false);
    assert.equal(l.dnsLookupRealm, true);
    assert.equal(l.udpPreferenceLimit, 1);
    assert.equal(l.allowWeakCrypto, false);
    assert.equal(l.allowRc4, true);
    assert.equal(l.rdns, false);
    assert.equal(l.dnsCanonicalizeHostname, 'fallback');
    assert.equal(l.qualifyShortname, '');
    assert.equal(l.forwardable, true);
    assert.deepEqual(l.defaultTktEnctypes, ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96']);
    assert.deepEqual(l.defaultTgsEnctypes, ['aes256-cts-hmac-sha1-96', 'rc4-hmac']);
    assert.deepEqual(l.permittedEnctypes, ['DEFAULT', '-des']);
    assert.equal(l.clockskew, 120_000);
    assert.equal(l.ticketLifetime, 37_800_000);
    assert.equal(l.renewLifetime, 7 * 86_400_000);
    assert.equal(l.defaultKeytabName, '/srv/krb5.keytab');
  });

  it('applies MIT defaults when unset', () => {
    const l = parseKrb5Conf('[libdefaults]\n').libdefaults;
    assert.equal(l.defaultRealm, undefined);
    assert.equal(l.dnsLookupKdc, true);
    assert.equal(l.dnsLookupRealm, false);
    assert.equal(l.udpPreferenceLimit, 1465);
    assert.equal(l.rdns, true);
    assert.equal(l.dnsCanonicalizeHostname, true);
    assert.equal(l.forwardable, false);
    assert.equal(l.clockskew, 300_000);
    assert.equal(l.ticketLifetime, 86_400_000);
  });

  it('reads [realms] (several kdc values, quoted IPv6) and kdc addresses', () => {
    assert.deepEqual(conf.realms['EXAMPLE.COM'], {
      kdc: ['kdc1.example.com', 'kdc2.example.com:8888'],
      adminServer: ['kdc1.example.com'],
      defaultDomain: 'example.com',
    });
    assert.deepEqual(conf.realms['OTHER.ORG']!.kdc, ['[2001:db8::1]:750']);
    // The values are kept as written; the KDC locator's parser reads them.
    assert.deepEqual(conf.realms['EXAMPLE.COM']!.kdc.map(parseKdcAddress), [
      { host: 'kdc1.example.com', port: 88, protocol: 'any' },
      { host: 'kdc2.example.com', port: 8888, protocol: 'any' },
    ]);
    assert.deepEqual(conf.realms['OTHER.ORG']!.kdc.map(parseKdcAddress), [
      { host: '2001:db8::1', port: 750, protocol: 'any' },
    ]);
    assert.deepEqual(parseKdcAddress('tcp/kdc'), { host: 'kdc', port: 88, protocol: 'tcp' });
    assert.throws(
      () => parseKdcAddress('a:99999'),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });

  it('maps hosts to realms: exact entry, most specific .domain, then default_realm', () => {
    assert.equal(realmForHost(conf, 'special.example.com'), 'OTHER.ORG');
    assert.equal(realmForHost(conf, 'WWW.Example.COM'), 'EXAMPLE.COM');
    assert.equal(realmForHost(conf, 'example.com'), 'EXAMPLE.COM');
    assert.equal(realmForHost(conf, 'a.b.other.org.'), 'OTHER.ORG');
    assert.equal(realmForHost(conf, 'unrelated.net'), 'EXAMPLE.COM');
  });

  it('include, includedir (name rules) and the final marker', () => {
    const files: Record<string, string> = {
      '/etc/krb5.conf':
        'include /etc/base.conf\nincludedir /etc/krb5.conf.d/\n[libdefaults]\n  ticket_lifetime = 1h\n',
      '/etc/base.conf': '[libdefaults]\n  default_realm* = FIRST.REALM\n  clockskew = 60\n',
      '/etc/krb5.conf.d/10-realm':
        '[libdefaults]\n default_realm = IGNORED.BY.FINAL\n[realms]\n FIRST.REALM = {\n  kdc = k1\n }\n',
      '/etc/krb5.conf.d/20.conf': '[realms]\n FIRST.REALM = {\n  kdc = k2\n }\n',
      '/etc/krb5.conf.d/skip.bak': '[libdefaults]\n clockskew = 1\n',
      '/etc/krb5.conf.d/.hidden.conf': '[libdefaults]\n clockskew = 2\n',
    };
    const readFile = (p: string) => files[p];
    const listDir = (d: string) =>
      Object.keys(files)
        .filter((f) => f.startsWith(d.endsWith('/') ? d : `${d}/`))
        .map((f) => f.slice(f.lastIndexOf('/') + 1));
    const c = loadKrb5Conf(['/missing.conf', '/etc/krb5.conf'], { readFile, listDir });
    assert.equal(c.libdefaults.defaultRealm, 'FIRST.REALM');
    assert.equal(c.libdefaults.clockskew, 60_000);
    assert.equal(c.libdefaults.ticketLifetime, 3_600_000);
    assert.deepEqual(c.realms['FIRST.REALM']!.kdc, ['k1', 'k2']);
  });

  it('a final section takes no values from later files; earlier files win single values', () => {
    const files: Record<string, string> = {
      a: '[libdefaults]*\n forwardable = true\n',
      b: '[libdefaults]\n forwardable = false\n default_realm = B\n',
    };
    const c = loadKrb5Conf(['a', 'b'], { readFile: (p) => files[p] });
    assert.equal(c.libdefaults.forwardable, true);
    assert.equal(c.libdefaults.defaultRealm, undefined);
  });

  it('syntax errors are typed, with file and line', () => {
    for (const [text, re] of [
      ['kdc = x\n', /:1: relation outside of a section/],
      ['[realms]\n R = {\n kdc = a\n', /missing closing brace/],
      ['[realms]\n }\n', /:2: unmatched closing brace/],
      ['[libdefaults]\n novalue\n', /:2: expected 'tag = value'/],
      ['[libdefaults]\n a = "open\n', /unterminated quoted string/],
      ['include /nope\n', /cannot read included file/],
    ] as const) {
      assert.throws(
        () => parseKrb5Conf(text, { readFile: () => undefined, listDir: () => undefined }),
        (e) => {
          return isGssockError(e, 'MALFORMED') && re.test(e.message);
        },
      );
    }
    const loop = { readFile: () => 'include /self\n' };
    assert.throws(() => parseKrb5Conf('include /self\n', loop), /nested too deeply/);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (t) => {
        try {
          parseKrb5Conf(t);
          return true;
        } catch (e) {
          return isGssockError(e, 'MALFORMED');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('durations in the forms krb5_string_to_deltat accepts', () => {
    assert.equal(parseDuration('300'), 300_000);
    assert.equal(parseDuration('1d2h3m4s'), (86400 + 7200 + 180 + 4) * 1000);
    assert.equal(parseDuration('10:30'), 37_800_000);
    assert.equal(parseDuration('1:00:05'), 3_605_000);
    assert.equal(parseDuration('soon'), undefined);
  });
});

describe('MIT environment variables', () => {
  it('defaults: /etc/krb5.conf, FILE:/tmp/krb5cc_<uid>, /etc/krb5.keytab', () => {
    const e = resolveKrb5Env({}, { uid: 1000 });
    assert.deepEqual(e.configPaths, ['/etc/krb5.conf']);
    assert.deepEqual(e.ccache, { kind: 'file', path: '/tmp/krb5cc_1000', name: 'FILE:/tmp/krb5cc_1000' });
    assert.equal(requireFilePath(e.keytab), '/etc/krb5.keytab');
    assert.equal(requireFilePath(e.clientKeytab), '/var/lib/krb5/user/1000/client.keytab');
  });

  it('KRB5_CONFIG list, KRB5CCNAME plain path and FILE:, KRB5_KTNAME WRFILE:, KRB5_CLIENT_KTNAME', () => {
    const e = resolveKrb5Env(
      {
        KRB5_CONFIG: '/a/krb5.conf:/b/krb5.conf',
        KRB5CCNAME: '/tmp/my cache',
        KRB5_KTNAME: 'WRFILE:/k/t',
        KRB5_CLIENT_KTNAME: 'FILE:/c/kt',
      },
      { uid: 5 },
    );
    assert.deepEqual(e.configPaths, ['/a/krb5.conf', '/b/krb5.conf']);
    assert.equal(requireFilePath(e.ccache), '/tmp/my cache');
    assert.equal(requireFilePath(e.keytab), '/k/t');
    assert.equal(requireFilePath(e.clientKeytab), '/c/kt');
  });

  it('config defaults and %{uid} expansion; unsupported types are NOT_SUPPORTED', () => {
    const config = parseKrb5Conf(CONF);
    assert.equal(requireFilePath(resolveKrb5Env({}, { uid: 42, config }).ccache), '/tmp/cc_42');
    assert.equal(requireFilePath(resolveKrb5Env({}, { uid: 42, config }).keytab), '/srv/krb5.keytab');
    for (const name of ['KEYRING:persistent:1000', 'KCM:', 'MEMORY:x', 'DIR:/run/user/1/krb5cc', 'API:']) {
      const loc = resolveKrb5Env({ KRB5CCNAME: name }, { uid: 1 }).ccache;
      assert.equal(loc.kind, 'unsupported');
      assert.throws(
        () => requireFilePath(loc),
        (e) => isGssockError(e, 'NOT_SUPPORTED'),
      );
    }
    assert.equal(resolveKrb5Env({ KRB5_KTNAME: 'MEMORY:kt' }).keytab.kind, 'unsupported');
  });
});
