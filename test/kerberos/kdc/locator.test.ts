// KDC location: krb5.conf `kdc` values (MIT syntax) and DNS SRV (RFC 4120 §7.2.3.2, RFC 2782).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError } from '../../../src/core/errors.ts';
import { locateKdcs, parseKdcAddress, type SrvRecord } from '../../../src/providers/kerberos/kdc/locator.ts';

describe('parseKdcAddress', () => {
  it('reads host, host:port, [v6]:port, bare v6 and udp/ tcp/ prefixes', () => {
    assert.deepEqual(parseKdcAddress('kdc.example.test'), {
      host: 'kdc.example.test',
      port: 88,
      protocol: 'any',
    });
    assert.deepEqual(parseKdcAddress(' 127.0.0.1:8888 '), { host: '127.0.0.1', port: 8888, protocol: 'any' });
    assert.deepEqual(parseKdcAddress('[::1]:750'), { host: '::1', port: 750, protocol: 'any' });
    assert.deepEqual(parseKdcAddress('fe80::1'), { host: 'fe80::1', port: 88, protocol: 'any' });
    assert.deepEqual(parseKdcAddress('tcp/dc1.ad.test:88'), {
      host: 'dc1.ad.test',
      port: 88,
      protocol: 'tcp',
    });
    assert.deepEqual(parseKdcAddress('UDP/dc1'), { host: 'dc1', port: 88, protocol: 'udp' });
  });

  it('rejects bad ports, empty hosts and URLs with typed errors', () => {
    for (const bad of ['host:0', 'host:70000', 'host:x', ':88', '', 'a b']) {
      assert.throws(
        () => parseKdcAddress(bad),
        (e) => isGssockError(e, 'INVALID_ARGUMENT'),
        bad,
      );
    }
    assert.throws(
      () => parseKdcAddress('https://kdcproxy/KdcProxy'),
      (e) => isGssockError(e, 'NOT_SUPPORTED'),
    );
  });
});

describe('locateKdcs', () => {
  const srv: Record<string, SrvRecord[]> = {
    '_kerberos._udp.AD.TEST': [
      { name: 'dc2.ad.test', port: 88, priority: 10, weight: 0 },
      { name: 'dc1.ad.test.', port: 88, priority: 0, weight: 100 },
    ],
    '_kerberos._tcp.AD.TEST': [
      { name: 'dc3.ad.test', port: 88, priority: 0, weight: 5 },
      { name: 'dc1.ad.test', port: 88, priority: 0, weight: 50 },
    ],
    '_kerberos._udp.NONE.TEST': [{ name: '.', port: 0, priority: 0, weight: 0 }],
  };
  const names: string[] = [];
  const resolveSrv = async (name: string) => {
    names.push(name);
    const r = srv[name];
    if (!r) throw Object.assign(new Error('queryNotFound'), { code: 'ENOTFOUND' });
    return r;
  };

  it('prefers configured KDCs and does not touch DNS then', async () => {
    names.length = 0;
    const kdcs = await locateKdcs({ realm: 'AD.TEST', configuredKdcs: ['a:1', 'b'], resolveSrv });
    assert.deepEqual(
      kdcs.map((k) => `${k.host}:${k.port}`),
      ['a:1', 'b:88'],
    );
    assert.deepEqual(names, []);
  });

  it('orders SRV records by priority then weight, UDP records before TCP ones', async () => {
    const kdcs = await locateKdcs({ realm: 'AD.TEST', resolveSrv });
    assert.deepEqual(
      kdcs.map((k) => `${k.protocol}/${k.host}`),
      ['udp/dc1.ad.test', 'udp/dc2.ad.test', 'tcp/dc1.ad.test', 'tcp/dc3.ad.test'],
    );
  });

  it('treats a "." target as no service and reports what it looked up', async () => {
    await assert.rejects(
      locateKdcs({ realm: 'NONE.TEST', resolveSrv }),
      (e) =>
        isGssockError(e, 'IO_ERROR') &&
        JSON.stringify(e.details.srvNamesTried) === '["_kerberos._udp.NONE.TEST","_kerberos._tcp.NONE.TEST"]',
    );
  });

  it('does not use DNS when dns_lookup_kdc is off', async () => {
    names.length = 0;
    await assert.rejects(locateKdcs({ realm: 'AD.TEST', dnsLookupKdc: false, resolveSrv }), (e) =>
      isGssockError(e, 'IO_ERROR'),
    );
    assert.deepEqual(names, []);
  });
});
