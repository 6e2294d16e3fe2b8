/** NTLM_USER_FILE parsing (gss-ntlmssp's DOMAIN:USER:PASSWORD), the store, and the CLI's -user forms. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../src/core/bytes.ts';
import { isGssockError } from '../../src/core/errors.ts';
import { parseNtlmUser } from '../../src/cli/ntlm-factory.ts';
import {
  credentialStoreFromUserFile,
  MemoryCredentialStore,
  ntowfv1,
  parseUserFile,
} from '../../src/providers/ntlm/index.ts';

describe('NTLM credentials', () => {
  it('parses DOMAIN:USER:PASSWORD lines; an empty domain; colons in the password; comments', () => {
    const entries = parseUserFile('# users\nCORP:alice:Passw0rd\n\n:bob:a:b:c\r\nCORP:carol:\n');
    assert.deepEqual(entries, [
      { domain: 'CORP', user: 'alice', password: 'Passw0rd' },
      { domain: '', user: 'bob', password: 'a:b:c' },
      { domain: 'CORP', user: 'carol', password: '' },
    ]);
  });

  it('a line without two colons or with an empty user is MALFORMED, naming the line', () => {
    assert.throws(
      () => parseUserFile('CORP:alice:x\nnonsense\n'),
      (e) => isGssockError(e, 'MALFORMED') && /line 2/.test(e.message),
    );
    assert.throws(
      () => parseUserFile('CORP::x'),
      (e) => isGssockError(e, 'MALFORMED'),
    );
  });

  it('lookups are case-insensitive, prefer an exact domain, and hold the NT hash', () => {
    const store = credentialStoreFromUserFile(':alice:any\nCORP:alice:corp\n');
    assert.equal(toHex(store.lookup('ALICE', 'corp')!.ntHash), toHex(ntowfv1('corp')));
    assert.equal(toHex(store.lookup('alice', 'OTHER')!.ntHash), toHex(ntowfv1('any')));
    assert.equal(store.lookup('mallory', 'CORP'), undefined);
    // MS-NLMP §4.2.2.1.2: NTOWFv1("Password").
    assert.equal(
      toHex(new MemoryCredentialStore([{ user: 'u', password: 'Password' }]).lookup('u', '')!.ntHash),
      'a4f49c406510bdcab6824ee7c30fd852',
    );
    assert.throws(
      () => new MemoryCredentialStore([{ user: 'u' }]),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
    assert.throws(
      () => new MemoryCredentialStore([{ user: 'u', ntHash: new Uint8Array(3) }]),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });

  it('the CLI reads -user as DOMAIN\\user, user@domain or user', () => {
    assert.deepEqual(parseNtlmUser('CORP\\alice'), { user: 'alice', domain: 'CORP' });
    assert.deepEqual(parseNtlmUser('alice@corp.example'), { user: 'alice', domain: 'corp.example' });
    assert.deepEqual(parseNtlmUser('alice'), { user: 'alice', domain: '' });
  });
});
