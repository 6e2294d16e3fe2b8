import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGssockError } from '../../src/core/errors.ts';
import {
  dnsDomainToDn,
  dnToDnsDomain,
  escapeDnValue,
  escapeFilterValue,
  formatDn,
  normalizeDn,
  parseDn,
  type Rdn,
  resolveScpSpns,
  rnrServiceDn,
  rnrSpn,
  scpPort,
  scpSpn,
  toDomainDn,
} from '../../src/spn/index.ts';

const badName = (e: unknown) => isGssockError(e, 'BAD_NAME');

describe('RFC 4514 DNs', () => {
  it('parses the RFC 4514 §4 examples', () => {
    assert.deepEqual(parseDn('UID=jsmith,DC=example,DC=net'), [
      [{ type: 'UID', value: 'jsmith' }],
      [{ type: 'DC', value: 'example' }],
      [{ type: 'DC', value: 'net' }],
    ]);
    assert.deepEqual(parseDn('OU=Sales+CN=J.  Smith,DC=example,DC=net')[0], [
      { type: 'OU', value: 'Sales' },
      { type: 'CN', value: 'J.  Smith' },
    ]);
    assert.equal(
      parseDn('CN=James \\"Jim\\" Smith\\, III,DC=example,DC=net')[0]![0]!.value,
      'James "Jim" Smith, III',
    );
    assert.equal(parseDn('CN=Before\\0dAfter,DC=example,DC=net')[0]![0]!.value, 'Before\rAfter');
    assert.deepEqual(parseDn('1.3.6.1.4.1.1466.0=#04024869')[0], [
      { type: '1.3.6.1.4.1.1466.0', value: '#04024869', ber: true },
    ]);
    assert.equal(parseDn('CN=Lu\\C4\\8Di\\C4\\87')[0]![0]!.value, 'Lučić');
  });
  it('escapes what RFC 4514 §2.4 requires', () => {
    assert.equal(escapeDnValue('Smith, John'), 'Smith\\, John');
    assert.equal(escapeDnValue('#1 '), '\\#1\\ ');
    assert.equal(escapeDnValue(' a+b<c>;"d"\\'), '\\ a\\+b\\<c\\>\\;\\"d\\"\\\\');
    assert.equal(escapeDnValue('a\0b'), 'a\\00b');
  });
  it('accepts blanks around separators (AD style) and normalizes them away', () => {
    assert.equal(normalizeDn('CN=a , DC=fabrikam,  DC=com'), 'CN=a,DC=fabrikam,DC=com');
    assert.equal(parseDn('CN=\\ a\\ ')[0]![0]!.value, ' a ');
  });
  it('refuses malformed DNs', () => {
    for (const bad of [
      'CN',
      'CN=a,',
      '=a',
      '1CN=a',
      'CN=a\\',
      'CN=a\\x',
      'CN=a"b',
      'CN=\\C4',
      'CN=#0',
      'CN=a,,DC=b',
    ]) {
      assert.throws(() => parseDn(bad), badName, bad);
    }
  });
  it('format then parse gives the RDNs back (property)', () => {
    const type = fc.constantFrom('CN', 'OU', 'DC', 'cn', 'uid', '2.5.4.3');
    const value = fc.string({ maxLength: 16, unit: 'binary' }).filter((s) => !/[\uD800-\uDFFF]/.test(s));
    // Plain objects (fc.record's may differ in prototype, which deepEqual checks).
    const attr = fc.tuple(type, value).map(([t, v]) => ({ type: t, value: v }));
    const rdn = fc.array(attr, { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(rdn, { minLength: 1, maxLength: 5 }), (rdns: Rdn[]) => {
        assert.deepEqual(parseDn(formatDn(rdns)), rdns);
      }),
    );
  });
});

describe('domain DN and DNS domain', () => {
  it('both ways', () => {
    assert.equal(dnsDomainToDn('fabrikam.com'), 'DC=fabrikam,DC=com');
    assert.equal(dnsDomainToDn('corp.fabrikam.com.'), 'DC=corp,DC=fabrikam,DC=com');
    assert.equal(dnToDnsDomain('DC=fabrikam,DC=com'), 'fabrikam.com');
    assert.equal(
      dnToDnsDomain('CN=SockAuthAD,CN=HOST,OU=Computers,dc=corp,DC=fabrikam,DC=com'),
      'corp.fabrikam.com',
    );
    assert.equal(toDomainDn('dc=fabrikam, dc=com'), 'dc=fabrikam,dc=com');
  });
  it('refuses empty labels, DNs without DC= and non-domain DNs', () => {
    assert.throws(() => dnsDomainToDn('fabrikam..com'), badName);
    assert.throws(() => dnToDnsDomain('CN=x,O=y'), badName);
    assert.throws(() => toDomainDn('CN=SockAuthAD,DC=fabrikam,DC=com'), badName);
  });
});

describe('RnR entry DNs', () => {
  it('escapes the registered name', () => {
    assert.equal(
      rnrServiceDn('Sales, West #2', 'fabrikam.com'),
      'cn=Sales\\, West #2,cn=WinsockServices,cn=System,DC=fabrikam,DC=com',
    );
    assert.equal(rnrServiceDn('#x ', 'DC=fabrikam,DC=com').split(',')[0], 'cn=\\#x\\ ');
  });
  it('refuses a name or domain that would put "/" into the SPN', () => {
    assert.throws(() => rnrServiceDn('a/b', 'fabrikam.com'), badName);
    assert.throws(() => rnrServiceDn('ok', 'fab/rikam.com'), badName);
    assert.throws(() => rnrServiceDn('', 'fabrikam.com'), badName);
  });
  it('rnrSpn is DsMakeSpn over the entry DN and the CSADDR host', () => {
    assert.equal(
      rnrSpn({
        serviceClass: 'ADSockAuth',
        name: 'WinSockRnRSampleService',
        domain: 'fabrikam.com',
        host: 'h.fabrikam.com',
        port: 5150,
      }),
      'ADSockAuth/h.fabrikam.com:5150/cn=WinSockRnRSampleService,cn=WinsockServices,cn=System,DC=fabrikam,DC=com',
    );
  });
});

describe('SCP attributes to the client SPN', () => {
  const scp = {
    distinguishedName: 'CN=SockAuthAD,CN=HOST,OU=Computers,DC=fabrikam,DC=com',
    serviceClassName: 'ADSockAuth',
    serviceDNSName: 'host.fabrikam.com',
    serviceDNSNameType: 'A',
    serviceBindingInformation: ['5150'],
  };
  it('port only on request, strictly parsed', () => {
    assert.equal(
      scpSpn(scp, { includePort: true }),
      `ADSockAuth/host.fabrikam.com:5150/${scp.distinguishedName}`,
    );
    assert.throws(() => scpPort({ serviceBindingInformation: '80x' }), badName);
    assert.throws(
      () => scpPort({}),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });
  it('bad SCPs are refused', () => {
    assert.throws(() => scpSpn({ ...scp, serviceDNSNameType: 'CNAME' }), badName);
    assert.throws(() => scpSpn({ ...scp, serviceClassName: '' }), badName);
    assert.throws(() => scpSpn({ ...scp, distinguishedName: 'not a dn' }), badName);
    assert.throws(
      () => scpSpn({ ...scp, serviceDNSNameType: 'SRV' }),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });
  it('an SRV SCP needs the injected resolver: one SPN per target, priority order', async () => {
    const asked: string[] = [];
    const resolver = {
      resolveSrv: async (name: string) => {
        asked.push(name);
        return [
          { name: 'h2.fabrikam.com.', port: 5151, priority: 20 },
          { name: 'h1.fabrikam.com.', port: 5150, priority: 10 },
        ];
      },
    };
    const srv = { ...scp, serviceDNSName: '_sockauth._tcp.fabrikam.com', serviceDNSNameType: 'srv' };
    assert.deepEqual(await resolveScpSpns(srv, { resolver, includePort: true }), [
      `ADSockAuth/h1.fabrikam.com:5150/${scp.distinguishedName}`,
      `ADSockAuth/h2.fabrikam.com:5151/${scp.distinguishedName}`,
    ]);
    assert.deepEqual(asked, ['_sockauth._tcp.fabrikam.com']);
    assert.deepEqual(await resolveScpSpns(scp, { resolver }), [scpSpn(scp)]);
    await assert.rejects(resolveScpSpns(srv, { resolver: { resolveSrv: async () => [] } }), badName);
  });
  it('LDAP filter values are escaped (RFC 4515 §3)', () => {
    assert.equal(escapeFilterValue('a*(b)\\'), 'a\\2a\\28b\\29\\5c');
  });
});
