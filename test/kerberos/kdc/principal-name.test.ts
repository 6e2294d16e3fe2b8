// Principal text form as MIT krb5_parse_name/krb5_unparse_name read it; RFC 4120 §4 default salt.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGssockError } from '../../../src/core/errors.ts';
import {
  defaultSalt,
  formatPrincipal,
  parsePrincipal,
  samePrincipal,
} from '../../../src/providers/kerberos/kdc/principal-name.ts';

describe('principal names', () => {
  it('parses components, realm and the MIT name-type inference', () => {
    const p = parsePrincipal('host/db.example.test@EXAMPLE.TEST');
    assert.deepEqual(p, {
      realm: 'EXAMPLE.TEST',
      name: { nameType: 1, nameString: ['host', 'db.example.test'] },
    });
    assert.equal(parsePrincipal('krbtgt/A.TEST', 'A.TEST').name.nameType, 2);
    assert.equal(parsePrincipal('alice', 'R').realm, 'R');
  });

  it('honours backslash escapes', () => {
    const p = parsePrincipal('a\\/b/c\\@d@R\\@S');
    assert.deepEqual(p.name.nameString, ['a/b', 'c@d']);
    assert.equal(p.realm, 'R@S');
    assert.equal(formatPrincipal(p), 'a\\/b/c\\@d@R\\@S');
  });

  it('escapes what MIT krb5_unparse_name escapes, in the realm as in components', () => {
    // Expected text from MIT krb5 1.20.1: krb5_build_principal + krb5_unparse_name.
    const p = {
      realm: 'R/S@T\\U\tV\nW\bX',
      name: { nameType: 1, nameString: ['a/b', 'c@d\\e\bf\tg\nh\0i'] },
    };
    assert.equal(formatPrincipal(p), 'a\\/b/c\\@d\\\\e\\bf\\tg\\nh\\0i@R\\/S\\@T\\\\U\\tV\\nW\\bX');
    assert.ok(samePrincipal(parsePrincipal(formatPrincipal(p)), p));
  });

  it('rejects empty names, empty components, a missing realm and dangling escapes', () => {
    for (const bad of ['', 'a//b@R', '/a@R', 'a@', 'a\\']) {
      assert.throws(
        () => parsePrincipal(bad, 'R'),
        (e) => isGssockError(e, 'BAD_NAME'),
        bad,
      );
    }
    assert.throws(
      () => parsePrincipal('alice'),
      (e) => isGssockError(e, 'BAD_NAME'),
    );
    assert.throws(
      () => parsePrincipal('a@R/x'),
      (e) => isGssockError(e, 'BAD_NAME'),
    );
  });

  it('format then parse is the identity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }),
        fc.string({ minLength: 1, maxLength: 8 }),
        (comps, realm) => {
          const p = { realm, name: { nameType: 1, nameString: comps } };
          assert.ok(samePrincipal(parsePrincipal(formatPrincipal(p)), p));
        },
      ),
    );
  });

  it('default salt is realm + components (RFC 4120 §4)', () => {
    assert.equal(
      defaultSalt(parsePrincipal('host/web.example.test@EXAMPLE.TEST')),
      'EXAMPLE.TESThostweb.example.test',
    );
  });
});
