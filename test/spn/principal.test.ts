import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGssockError } from '../../src/core/errors.ts';
import {
  hostBasedToPrincipal,
  hostBasedToSpn,
  inferRealmFromDn,
  inferRealmFromHost,
  type KrbPrincipal,
  NameType,
  parseHostBasedName,
  parsePrincipal,
  principalToSpn,
  resolveTargetPrincipal,
  spnToPrincipal,
  targetToPrincipal,
  unparsePrincipal,
} from '../../src/spn/index.ts';

const badName = (e: unknown) => isGssockError(e, 'BAD_NAME');

describe('MIT string form (krb5_parse_name / krb5_unparse_name rules)', () => {
  it('parses components, realm, escapes and the krbtgt name type', () => {
    assert.deepEqual(parsePrincipal('host/server.fabrikam.com@FABRIKAM.COM'), {
      components: ['host', 'server.fabrikam.com'],
      realm: 'FABRIKAM.COM',
      nameType: NameType.PRINCIPAL,
    });
    assert.equal(parsePrincipal('krbtgt/FABRIKAM.COM@FABRIKAM.COM').nameType, NameType.SRV_INST);
    assert.deepEqual(parsePrincipal('a\\/b\\@c\\\\d\\n\\t\\b\\0\\x@R\\@S').components, ['a/b@c\\d\n\t\b\0x']);
    assert.equal(parsePrincipal('a@R\\@S').realm, 'R@S');
    assert.deepEqual(parsePrincipal('user', { defaultRealm: 'D' }), {
      components: ['user'],
      realm: 'D',
      nameType: 1,
    });
  });
  it('reports the malformed cases MIT reports', () => {
    for (const bad of ['a\\', 'a@R/x', 'a@R@S', 'a@', 'a/b@'])
      assert.throws(() => parsePrincipal(bad), badName, bad);
    assert.throws(
      () => parsePrincipal('user'),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });
  it('enterprise names keep "/" and the first "@" in the name (NT-ENTERPRISE)', () => {
    assert.deepEqual(parsePrincipal('jeff@fabrikam.com@FABRIKAM.COM', { enterprise: true }), {
      components: ['jeff@fabrikam.com'],
      realm: 'FABRIKAM.COM',
      nameType: NameType.ENTERPRISE,
    });
    const p = parsePrincipal('jeff@fabrikam.com@FABRIKAM.COM', { enterprise: true });
    assert.equal(unparsePrincipal(p), 'jeff\\@fabrikam.com@FABRIKAM.COM');
    assert.deepEqual(parsePrincipal(unparsePrincipal(p), { enterprise: true }), p);
  });
  it('unparse escapes / @ \\ TAB LF BS NUL', () => {
    assert.equal(
      unparsePrincipal({ components: ['a/b', 'c@d\\e', '\t\n\b\0'], realm: 'R/@', nameType: 1 }),
      'a\\/b/c\\@d\\\\e/\\t\\n\\b\\0@R\\/\\@',
    );
    assert.throws(() => unparsePrincipal({ components: [], realm: 'R', nameType: 1 }), badName);
    assert.throws(() => unparsePrincipal({ components: ['a'], realm: '', nameType: 1 }), badName);
  });
  it('parse(unparse(p)) round-trips with every special character (property)', () => {
    const special = fc.constantFrom(
      '/',
      '@',
      '\\',
      '\t',
      '\n',
      '\b',
      '\0',
      'n',
      't',
      '0',
      'a',
      'Z',
      ':',
      'é',
    );
    const part = fc
      .array(fc.oneof(special, fc.string({ maxLength: 3 })), { maxLength: 8 })
      .map((a) => a.join(''));
    const realm = part.filter((s) => s !== '');
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), realm, (components, r) => {
        const p: KrbPrincipal = { components, realm: r, nameType: NameType.PRINCIPAL };
        const text = unparsePrincipal(p);
        const back = parsePrincipal(text);
        assert.deepEqual(back.components, components);
        assert.equal(back.realm, r);
        assert.equal(unparsePrincipal(back), text);
      }),
    );
  });
});

describe('SPN <-> principal', () => {
  it('splits on "/", the port stays in the host component, host lower-cased, NT-SRV-INST by default', () => {
    assert.deepEqual(spnToPrincipal('MSSQLSvc/SQL01.contoso.com:1433'), {
      components: ['MSSQLSvc', 'sql01.contoso.com:1433'],
      realm: 'CONTOSO.COM',
      nameType: NameType.SRV_INST,
    });
    const dn = 'CN=Smith\\, John,CN=HOST,DC=corp,DC=fabrikam,DC=com';
    const p = spnToPrincipal(`ADSockAuth/host.fabrikam.com/${dn}`);
    // DN escapes are kept byte for byte; the realm comes from the DN's DC= components.
    assert.deepEqual(p.components, ['ADSockAuth', 'host.fabrikam.com', dn]);
    assert.equal(p.realm, 'CORP.FABRIKAM.COM');
    assert.equal(
      unparsePrincipal(p),
      'ADSockAuth/host.fabrikam.com/CN=Smith\\\\, John,CN=HOST,DC=corp,DC=fabrikam,DC=com@CORP.FABRIKAM.COM',
    );
    assert.equal(principalToSpn(p), `ADSockAuth/host.fabrikam.com/${dn}`);
    assert.equal(
      principalToSpn(p, { includeRealm: true }),
      `ADSockAuth/host.fabrikam.com/${dn}@CORP.FABRIKAM.COM`,
    );
  });
  it('an @REALM suffix is read, except inside a DN', () => {
    assert.equal(spnToPrincipal('HTTP/web@EXAMPLE.ORG').realm, 'EXAMPLE.ORG');
    const p = spnToPrincipal('c/h.fabrikam.com/CN=a@b,DC=fabrikam,DC=com');
    assert.equal(p.components[2], 'CN=a@b,DC=fabrikam,DC=com');
    assert.equal(p.realm, 'FABRIKAM.COM');
    assert.throws(() => spnToPrincipal('HTTP/web@'), badName);
  });
  it('realm precedence: explicit, suffix, inferred, default; none is an error', () => {
    assert.equal(spnToPrincipal('HTTP/web.fabrikam.com@X', { realm: 'R' }).realm, 'R');
    assert.equal(spnToPrincipal('HTTP/web.fabrikam.com', { defaultRealm: 'D' }).realm, 'FABRIKAM.COM');
    assert.equal(
      spnToPrincipal('HTTP/web.fabrikam.com', { defaultRealm: 'D', inferRealm: false }).realm,
      'D',
    );
    assert.equal(spnToPrincipal('HTTP/web', { defaultRealm: 'D' }).realm, 'D');
    assert.throws(() => spnToPrincipal('HTTP/web'), badName);
    assert.equal(
      spnToPrincipal('HTTP/web.fabrikam.com', { domainRealm: { '.fabrikam.com': 'CORP.EXAMPLE' } }).realm,
      'CORP.EXAMPLE',
    );
  });
  it('an IP host takes its realm from the referrer', () => {
    assert.equal(spnToPrincipal('http/192.0.2.1:8080/gw.fabrikam.com').realm, 'FABRIKAM.COM');
    assert.throws(() => spnToPrincipal('http/192.0.2.1'), badName);
  });
  it('principalToSpn refuses what no SPN can hold', () => {
    assert.throws(() => principalToSpn({ components: ['a'], realm: 'R', nameType: 1 }), badName);
    assert.throws(() => principalToSpn({ components: ['a', 'b/c'], realm: 'R', nameType: 1 }), badName);
    assert.throws(() => principalToSpn({ components: ['a', 'h:x'], realm: 'R', nameType: 1 }), badName);
  });
});

describe('GSS host-based names', () => {
  it('service@host -> service/host, NT-SRV-HST, lower-cased host', () => {
    assert.deepEqual(parseHostBasedName('host@server.fabrikam.com'), {
      service: 'host',
      host: 'server.fabrikam.com',
    });
    assert.deepEqual(hostBasedToPrincipal('host@Server.Fabrikam.COM.'), {
      components: ['host', 'server.fabrikam.com'],
      realm: 'FABRIKAM.COM',
      nameType: NameType.SRV_HST,
    });
    assert.equal(hostBasedToSpn('HTTP@Web.Fabrikam.com'), 'HTTP/web.fabrikam.com');
    assert.deepEqual(hostBasedToPrincipal('nfs', { localHost: 'me.fabrikam.com' }).components, [
      'nfs',
      'me.fabrikam.com',
    ]);
  });
  it('refuses ambiguous or empty names', () => {
    for (const bad of ['', '@h', 's@', 'a@b@c', 'a/b@c'])
      assert.throws(() => parseHostBasedName(bad), badName, bad);
    assert.throws(() => hostBasedToPrincipal('nfs'), badName);
  });
});

describe('targetToPrincipal: the entry point for the Kerberos mechanism', () => {
  it('dispatches on "/" and honours nameType and realm options', () => {
    assert.equal(targetToPrincipal('host@h.fabrikam.com').nameType, NameType.SRV_HST);
    assert.equal(targetToPrincipal('host/h.fabrikam.com').nameType, NameType.SRV_INST);
    assert.equal(
      targetToPrincipal('host/h.fabrikam.com', { nameType: NameType.SRV_HST }).nameType,
      NameType.SRV_HST,
    );
    assert.equal(targetToPrincipal('host@h.fabrikam.com', { realm: 'EXAMPLE.ORG' }).realm, 'EXAMPLE.ORG');
    assert.deepEqual(targetToPrincipal('HTTP/Web.Fabrikam.com', { lowercaseHost: false }).components, [
      'HTTP',
      'Web.Fabrikam.com',
    ]);
  });
  it('DNS only through the injected resolver', async () => {
    const resolver = { canonicalHost: async (h: string) => (h === 'www' ? 'web1.fabrikam.com' : h) };
    assert.deepEqual(await resolveTargetPrincipal('host@www', { resolver }), {
      components: ['host', 'web1.fabrikam.com'],
      realm: 'FABRIKAM.COM',
      nameType: NameType.SRV_HST,
    });
    assert.deepEqual((await resolveTargetPrincipal('MSSQLSvc/www:1433@R', { resolver })).components, [
      'MSSQLSvc',
      'web1.fabrikam.com:1433',
    ]);
    await assert.rejects(
      resolveTargetPrincipal('host@www', { resolver: { canonicalHost: async () => 'a/b' } }),
      badName,
    );
  });
});

describe('realm inference as Windows describes it', () => {
  it('DNS host minus first label; NetBIOS domain\\machine; DN DC= parts; nothing for single labels and IPs', () => {
    assert.equal(inferRealmFromHost('host.fabrikam.com'), 'FABRIKAM.COM');
    assert.equal(inferRealmFromHost('FABRIKAM\\jeffsmith'), 'FABRIKAM');
    assert.equal(inferRealmFromHost('jeffsmith-nec'), undefined);
    assert.equal(inferRealmFromHost('192.0.2.1'), undefined);
    assert.equal(
      inferRealmFromDn('cn=WinSockRnRSampleService,cn=WinsockServices,cn=System,DC=fabrikam,DC=com'),
      'FABRIKAM.COM',
    );
    assert.equal(
      inferRealmFromHost('a.b.fabrikam.com', {
        domainRealm: { 'a.b.fabrikam.com': 'X', '.fabrikam.com': 'Y' },
      }),
      'X',
    );
    assert.equal(
      inferRealmFromHost('c.b.fabrikam.com', {
        domainRealm: { '.b.fabrikam.com': 'X', '.fabrikam.com': 'Y' },
      }),
      'X',
    );
  });
});
