// KDC client settings from krb5.conf (MIT krb5.conf(5) [libdefaults] / [realms]).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError } from '../../../src/core/errors.ts';
import { parseKrb5Conf } from '../../../src/providers/kerberos/config/krb5-conf.ts';
import { getInitialTicket } from '../../../src/providers/kerberos/kdc/as-exchange.ts';
import { kdcOptionsFromConfig, parseEnctypeList } from '../../../src/providers/kerberos/kdc/from-config.ts';
import { kdcsForRealm } from '../../../src/providers/kerberos/kdc/kdc-client.ts';
import { createMemoryKdcTransport } from '../../../src/providers/kerberos/kdc/memory-transport.ts';
import { parsePrincipal } from '../../../src/providers/kerberos/kdc/principal-name.ts';
import { encodeKrbError } from '../../../src/providers/kerberos/messages/index.ts';

describe('enctype lists', () => {
  it('reads names, aliases, families, removals and skips unknown names', () => {
    assert.deepEqual(parseEnctypeList(['aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96']), [18, 17]);
    assert.deepEqual(parseEnctypeList(['aes', '-aes128-sha1']), [18, 20, 19]);
    assert.deepEqual(parseEnctypeList(['aes256-sha2,rc4,no-such-type']), [20, 23]);
    assert.equal(parseEnctypeList(undefined), undefined);
  });
});

describe('kdcOptionsFromConfig', () => {
  const conf = parseKrb5Conf(`
[libdefaults]
  default_realm = A.TEST
  allow_rc4 = true
  dns_lookup_kdc = false
  default_tkt_enctypes = aes256-cts-hmac-sha1-96 arcfour-hmac aes128-cts-hmac-sha1-96
  permitted_enctypes = aes256-cts-hmac-sha1-96 arcfour-hmac
[realms]
  A.TEST = {
    kdc = 127.0.0.1:7088
    kdc = tcp/kdc2.a.test
  }
`);
  const transport = createMemoryKdcTransport(() => new Uint8Array(0));

  it('takes KDCs per realm, allow_rc4, dns_lookup_kdc and filters by permitted_enctypes', async () => {
    const o = kdcOptionsFromConfig(conf, transport);
    assert.equal(o.allowRc4, true);
    assert.equal(o.dnsLookupKdc, false);
    assert.deepEqual(o.enctypes, [18, 23]);
    assert.deepEqual(await kdcsForRealm(o, 'A.TEST'), [
      { host: '127.0.0.1', port: 7088, protocol: 'any' },
      { host: 'kdc2.a.test', port: 88, protocol: 'tcp' },
    ]);
    await assert.rejects(kdcsForRealm(o, 'B.TEST'), (e) => isGssockError(e, 'IO_ERROR'));
  });

  it('KDC_ERR_WRONG_REALM is a typed error naming the realm the KDC points to', async () => {
    const wrongRealm = createMemoryKdcTransport(() =>
      encodeKrbError({
        stime: Date.now(),
        susec: 0,
        errorCode: 68,
        crealm: 'B.TEST',
        realm: 'A.TEST',
        sname: { nameType: 2, nameString: ['krbtgt', 'A.TEST'] },
      }),
    );
    await assert.rejects(
      getInitialTicket({
        ...kdcOptionsFromConfig(conf, wrongRealm),
        client: parsePrincipal('alice@A.TEST'),
        secret: { password: 'x' },
      }),
      (e) =>
        isGssockError(e, 'KERBEROS_ERROR') &&
        e.details.krbErrorName === 'KDC_ERR_WRONG_REALM' &&
        e.details.realm === 'B.TEST',
    );
  });
});
