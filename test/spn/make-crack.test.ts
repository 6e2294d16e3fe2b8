import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGssockError } from '../../src/core/errors.ts';
import { crackSpn, isIpv6, makeSpn } from '../../src/spn/index.ts';

const isBadName = (e: unknown) => isGssockError(e, 'BAD_NAME');

// Components as DsMakeSpn accepts them: non-empty, no '/', no NUL. Hosts also carry no ':'
// (it introduces the port) and are no bare IPv6 literal.
const component = fc
  .string({ minLength: 1, maxLength: 24 })
  .filter((s) => !s.includes('/') && !s.includes('\0'));
const host = component.filter((s) => !s.includes(':') && !s.startsWith('['));

describe('makeSpn then crackSpn gives the parts back (property)', () => {
  it('host-based: class/host[:port]', () => {
    fc.assert(
      fc.property(component, host, fc.integer({ min: 0, max: 65535 }), (serviceClass, serviceName, port) => {
        const c = crackSpn(makeSpn({ serviceClass, serviceName, instancePort: port }));
        assert.equal(c.serviceClass, serviceClass);
        assert.equal(c.instanceName, serviceName);
        assert.equal(c.serviceName, serviceName); // DsCrackSpn: instance name when no service part
        assert.equal(c.instancePort, port);
        assert.equal(c.hasServiceName, false);
      }),
    );
  });
  it('replicable: class/instance[:port]/service', () => {
    fc.assert(
      fc.property(
        component,
        component,
        host,
        fc.integer({ min: 0, max: 65535 }),
        (serviceClass, serviceName, instanceName, port) => {
          const c = crackSpn(makeSpn({ serviceClass, serviceName, instanceName, instancePort: port }));
          assert.deepEqual(
            [c.serviceClass, c.serviceName, c.instanceName, c.instancePort, c.hasServiceName],
            [serviceClass, serviceName, instanceName, port, true],
          );
        },
      ),
    );
  });
  it('any component holding "/" is refused, never folded into another component', () => {
    fc.assert(
      fc.property(component, component, fc.nat(3), (a, b, where) => {
        const bad = `${a}/${b}`;
        const args = [
          { serviceClass: bad, serviceName: 'h' },
          { serviceClass: 'c', serviceName: bad },
          { serviceClass: 'c', serviceName: 'DC=x', instanceName: bad },
          { serviceClass: 'c', serviceName: '192.0.2.1', referrer: bad },
        ][where]!;
        assert.throws(() => makeSpn(args), isBadName);
      }),
    );
  });
});

describe('makeSpn', () => {
  it('an IPv6 host must be bracketed so the port stays unambiguous', () => {
    assert.throws(
      () => makeSpn({ serviceClass: 'http', serviceName: 'fe80::1', instancePort: 80 }),
      isBadName,
    );
    const spn = makeSpn({ serviceClass: 'http', serviceName: '[fe80::1]', instancePort: 80 });
    assert.equal(spn, 'http/[fe80::1]:80');
    assert.deepEqual([crackSpn(spn).instanceName, crackSpn(spn).instancePort], ['[fe80::1]', 80]);
  });
  it('a referrer follows an IPv6 service name too', () => {
    assert.equal(
      makeSpn({ serviceClass: 'http', serviceName: '[2001:db8::1]', referrer: 'ref.fabrikam.com' }),
      'http/[2001:db8::1]/ref.fabrikam.com',
    );
  });
  it('refuses ":" in a host and a non-integer port', () => {
    assert.throws(() => makeSpn({ serviceClass: 'c', serviceName: 'h:80' }), isBadName);
    assert.throws(
      () => makeSpn({ serviceClass: 'c', serviceName: 'h', instancePort: 1.5 }),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
    assert.throws(() => makeSpn({ serviceClass: 'c', serviceName: 'h\0x' }), isBadName);
  });
});

describe('crackSpn', () => {
  it('refuses extra components and empty parts', () => {
    for (const bad of [
      'a/b/c/d',
      'a/b/',
      'a//c',
      '',
      'a/:80',
      'a/[::1',
      'a/[::1]x',
      'a/fe80::1',
      'a/h:',
      'a/h:-1',
    ]) {
      assert.throws(() => crackSpn(bad), isBadName, bad);
    }
  });
  it('keeps DN escapes in the service name as they are', () => {
    assert.equal(crackSpn('c/h/CN=Smith\\, John,DC=x').serviceName, 'CN=Smith\\, John,DC=x');
  });
  it('an MS-ADTS named instance needs a name after the colon', () => {
    assert.throws(() => crackSpn('MSSQLSvc/h:', { allowNamedInstance: true }), isBadName);
    assert.equal(crackSpn('MSSQLSvc/h:1433', { allowNamedInstance: true }).instancePort, 1433);
  });
});

describe('isIpv6', () => {
  it('accepts RFC 4291 text forms and refuses the rest', () => {
    for (const good of [
      '::',
      '::1',
      'fe80::1%eth0',
      '[::1]',
      '2001:db8:0:0:0:0:2:1',
      '::ffff:192.0.2.1',
      '1:2:3:4:5:6:7::',
    ]) {
      assert.ok(isIpv6(good), good);
    }
    for (const bad of ['host', '1.2.3.4', ':::', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1::2::3', 'a:1']) {
      assert.ok(!isIpv6(bad), bad);
    }
  });
});
