import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError } from '../../src/core/errors.ts';
import { applySpnWrite, DsSpnNameType, DsSpnWriteOp, getSpns, spnNameType } from '../../src/spn/index.ts';

const invalid = (e: unknown) => isGssockError(e, 'INVALID_ARGUMENT');
const badName = (e: unknown) => isGssockError(e, 'BAD_NAME');
const local = { localFqdn: 'jeffsmith.fabrikam.com', localNetbios: 'JEFFSMITH-NEC' };

describe('getSpns defaults (cInstanceNames = 0): injected local names, never read', () => {
  it('the host and domain types default to the FQDN, the *_NB_* types to the NetBIOS name', () => {
    assert.deepEqual(getSpns({ type: 'dns-host', serviceClass: 'c', ...local }), [
      'c/jeffsmith.fabrikam.com',
    ]);
    // DsGetSpn's page names the FQDN default for DS_SPN_DN_HOST too (only *_NB_* differ).
    assert.deepEqual(getSpns({ type: 'dn-host', serviceClass: 'c', ...local }), ['c/jeffsmith.fabrikam.com']);
    assert.deepEqual(getSpns({ type: 'nb-host', serviceClass: 'c', ...local }), ['c/JEFFSMITH-NEC']);
    assert.deepEqual(getSpns({ type: 'domain', serviceClass: 'c', serviceName: 'fabrikam.com', ...local }), [
      'c/jeffsmith.fabrikam.com/fabrikam.com',
    ]);
    assert.deepEqual(getSpns({ type: 'nb-domain', serviceClass: 'c', serviceName: 'FABRIKAM', ...local }), [
      'c/JEFFSMITH-NEC/FABRIKAM',
    ]);
    assert.deepEqual(getSpns({ type: 'service', serviceClass: 'c', serviceName: 'DC=x', ...local }), [
      'c/jeffsmith.fabrikam.com/DC=x',
    ]);
  });
  it('InstancePort applies to the default instance', () => {
    assert.deepEqual(
      getSpns({ type: DsSpnNameType.DNS_HOST, serviceClass: 'c', instancePort: 8443, ...local }),
      ['c/jeffsmith.fabrikam.com:8443'],
    );
  });
  it('a missing injected default is an INVALID_ARGUMENT error', () => {
    assert.throws(() => getSpns({ type: 'dns-host', serviceClass: 'c' }), invalid);
    assert.throws(() => getSpns({ type: 'nb-host', serviceClass: 'c', localFqdn: 'h.x' }), invalid);
  });
  it('extra instance names replace the default; each has its own port or none', () => {
    assert.deepEqual(
      getSpns({
        type: 'domain',
        serviceClass: 'ldap',
        serviceName: 'fabrikam.com',
        instancePort: 9999, // ignored when instances are given
        instances: [{ name: 'dc1.fabrikam.com', port: 389 }, { name: 'dc2.fabrikam.com' }],
        ...local,
      }),
      ['ldap/dc1.fabrikam.com:389/fabrikam.com', 'ldap/dc2.fabrikam.com/fabrikam.com'],
    );
  });
});

describe('getSpns errors', () => {
  it('ServiceName must be NULL for host types and present for the others', () => {
    for (const type of ['dns-host', 'dn-host', 'nb-host'] as const) {
      assert.throws(() => getSpns({ type, serviceClass: 'c', serviceName: 's', ...local }), invalid);
    }
    for (const type of ['domain', 'nb-domain', 'service'] as const) {
      assert.throws(() => getSpns({ type, serviceClass: 'c', ...local }), invalid);
    }
  });
  it('unknown types, bad ports, "/" and non-DN dn-host instances are refused', () => {
    assert.throws(() => spnNameType('host' as never), invalid);
    assert.throws(() => spnNameType(6), invalid);
    assert.throws(
      () => getSpns({ type: 'dns-host', serviceClass: 'c', instances: [{ name: 'h', port: 70000 }] }),
      invalid,
    );
    assert.throws(
      () => getSpns({ type: 'dns-host', serviceClass: 'c', instances: [{ name: 'a/b' }] }),
      badName,
    );
    assert.throws(
      () => getSpns({ type: 'service', serviceClass: 'c', serviceName: 'x/y', ...local }),
      badName,
    );
    assert.throws(
      () => getSpns({ type: 'dn-host', serviceClass: 'c', instances: [{ name: 'not a dn' }] }),
      badName,
    );
    assert.throws(() => getSpns({ type: 'dns-host', serviceClass: '', ...local }), badName);
  });
});

describe('applySpnWrite (DS_SPN_WRITE_OP on servicePrincipalName)', () => {
  it('ADD is permissive and case-insensitive, DELETE removes, REPLACE with none clears', () => {
    const now = applySpnWrite(['http/web1'], DsSpnWriteOp.ADD, ['HTTP/WEB1', 'http/web1.fabrikam.com']);
    assert.deepEqual(now, ['http/web1', 'http/web1.fabrikam.com']);
    assert.deepEqual(applySpnWrite(now, DsSpnWriteOp.DELETE, ['HTTP/web1']), ['http/web1.fabrikam.com']);
    assert.deepEqual(applySpnWrite(now, DsSpnWriteOp.REPLACE, []), []);
    assert.deepEqual(applySpnWrite(now, DsSpnWriteOp.REPLACE, ['a/b', 'A/B']), ['a/b']);
    assert.throws(() => applySpnWrite(now, 7 as never, []), invalid);
  });
});
