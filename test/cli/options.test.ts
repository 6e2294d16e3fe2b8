/** Command-line parsing (MIT's order-sensitive options) and the mechanism registry. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/cli/args.ts';
import { parseClientArgs } from '../../src/cli/client.ts';
import { MECHANISMS, findMechanism, loadMechanism, parseMockMisbehave } from '../../src/cli/mechanisms.ts';
import { MechOids, braceOid, parseOid } from '../../src/cli/oids.ts';
import { parseServerArgs } from '../../src/cli/server.ts';
import { isGssockError } from '../../src/core/errors.ts';
import { DEFAULT_FLAGS, Flags } from '../../src/core/flags.ts';
import { MOCK_OID } from '../../src/providers/mock/index.ts';

describe('gss-client options', () => {
  it('MIT defaults: port 4444, MUTUAL|REPLAY, wrap+encrypt+MIC, verbose, one of each', () => {
    const s = parseClientArgs(['srv', 'host@srv', 'hi']);
    assert.deepEqual(
      [s.port, s.flags, s.auth, s.wrap, s.encrypt, s.mic, s.verbose, s.ccount, s.mcount, s.v1, s.mech],
      [4444, DEFAULT_FLAGS, true, true, true, true, true, 1, 1, false, 'kerberos'],
    );
    assert.deepEqual([s.host, s.service, s.msg], ['srv', 'host@srv', 'hi']);
  });

  it('flag switches: -d -seq -noreplay -nomutual', () => {
    const s = parseClientArgs(['-d', '-seq', '-noreplay', '-nomutual', 'h', 's', 'm']);
    assert.equal(s.flags, Flags.DELEGATE | Flags.SEQUENCE);
  });

  it('options apply in order, as in gss-client.c (later ones win)', () => {
    const a = parseClientArgs(['-na', 'h', 's', 'm']);
    assert.deepEqual([a.auth, a.wrap, a.encrypt, a.mic], [false, false, false, false]);
    const b = parseClientArgs(['-nx', '-nm', 'h', 's', 'm']);
    assert.deepEqual([b.auth, b.wrap, b.encrypt, b.mic], [true, true, false, false]);
    const c = parseClientArgs(['-mech', '1.2.840.113554.1.2.2', '-iakerb', 'h', 's', 'm']);
    assert.equal(c.mech, MechOids.IAKERB);
    const d = parseClientArgs(['-mech', 'mock', '-spnego', 'h', 's', 'm']);
    assert.equal(d.mech, 'negotiate');
  });

  it('gssock extras, with a space or "="', () => {
    const s = parseClientArgs([
      '--mech=mock',
      '--framing',
      'u32le',
      '--timeout=250',
      '--mock-secret',
      'x',
      'h',
      's',
      'm',
    ]);
    assert.deepEqual([s.mech, s.framing, s.timeoutMs, s.mockSecret], ['mock', 'u32le', 250, 'x']);
  });

  it('usage errors are typed and say what is wrong', () => {
    const cases: string[][] = [
      ['h', 's'],
      ['h', 's', 'm', 'extra'],
      ['-ccount', '0', 'h', 's', 'm'],
      ['-mcount', '-1', 'h', 's', 'm'],
      ['-port', 'abc', 'h', 's', 'm'],
      ['-port'],
      ['-bogus', 'h', 's', 'm'],
      ['--framing', 'xml', 'h', 's', 'm'],
      ['-v1', '-na', 'h', 's', 'm'],
      ['--framing', 'u32be', '-nm', 'h', 's', 'm'],
    ];
    for (const args of cases) {
      assert.throws(
        () => parseClientArgs(args),
        (e: unknown) => e instanceof UsageError && isGssockError(e, 'INVALID_ARGUMENT'),
        args.join(' '),
      );
    }
    assert.equal(parseClientArgs(['-mcount', '0', 'h', 's', 'm']).mcount, 0);
  });
});

describe('gss-server options', () => {
  it('defaults and switches', () => {
    const d = parseServerArgs(['host@srv']);
    assert.deepEqual(
      [d.port, d.host, d.verbose, d.once, d.inetd, d.logfile],
      [4444, '0.0.0.0', false, false, false, undefined],
    );
    const s = parseServerArgs([
      '-port',
      '0',
      '-verbose',
      '-once',
      '-logfile',
      '/dev/null',
      '-keytab',
      'k',
      '--host',
      '127.0.0.1',
      'svc',
    ]);
    assert.deepEqual(
      [s.port, s.verbose, s.once, s.logfile, s.keytab, s.host, s.service],
      [0, true, true, null, 'k', '127.0.0.1', 'svc'],
    );
    assert.throws(() => parseServerArgs([]), UsageError);
    assert.throws(() => parseServerArgs(['a', 'b']), UsageError);
  });
});

describe('mechanism registry', () => {
  it('finds by name, alias, dotted OID and MIT brace OID', () => {
    assert.equal(findMechanism('mock').name, 'mock');
    assert.equal(findMechanism('KRB5').name, 'kerberos');
    assert.equal(findMechanism('spnego').name, 'negotiate');
    assert.equal(findMechanism('1.2.840.113554.1.2.2').name, 'kerberos');
    assert.equal(findMechanism('{ 1 2 840 113554 1 2 2 }').name, 'kerberos');
    assert.equal(findMechanism('{ 1 3 6 1 4 1 311 2 2 10 }').name, 'ntlm');
    assert.equal(findMechanism(MechOids.KERBEROS_OLD).name, 'kerberos');
    assert.equal(findMechanism('1.3.6.1.5.5.2').name, 'negotiate');
  });

  it("the mock row's OID is the provider's", () => {
    assert.equal(findMechanism('mock').oids[0], MOCK_OID);
  });

  it('unknown names and OIDs: BAD_MECH', () => {
    assert.throws(
      () => findMechanism('rot13'),
      (e: unknown) => isGssockError(e, 'BAD_MECH'),
    );
    assert.throws(
      () => findMechanism('1.2.3.4'),
      (e: unknown) => isGssockError(e, 'BAD_MECH'),
    );
  });

  it('every shipped mechanism loads with its own OID; IAKERB, not shipped, fails with NOT_SUPPORTED', async () => {
    await assert.rejects(
      loadMechanism('iakerb', { role: 'initiator', env: {}, cwd: '.' }),
      (e: unknown) => isGssockError(e, 'NOT_SUPPORTED') && /not available yet/.test((e as Error).message),
    );
    for (const entry of MECHANISMS.filter((m) => m.name !== 'iakerb')) {
      // An initiator with no credentials in reach: it must still load (credentials are looked
      // up when a context starts), or refuse with a typed error that is not "not available".
      try {
        const m = await loadMechanism(entry.name, { role: 'initiator', env: {}, cwd: '.' });
        assert.equal(typeof m.createContext, 'function', entry.name);
        if (entry.oids.length > 0) assert.ok(entry.oids.includes(m.oid), `${entry.name}: ${m.oid}`);
      } catch (e) {
        assert.ok(isGssockError(e), `${entry.name}: ${String(e)}`);
        assert.doesNotMatch((e as Error).message, /not available yet/, entry.name);
      }
    }
    const mock = await loadMechanism('mock', { role: 'initiator', env: {}, cwd: '.' });
    assert.equal(mock.oid, MOCK_OID);
  });

  it('--mock-misbehave lists', () => {
    assert.deepEqual(parseMockMisbehave('skip-mutual,corrupt=mic,stall=20'), {
      skipMutualProof: true,
      corruptToken: 'mic',
      stallMs: 20,
    });
    assert.throws(
      () => parseMockMisbehave('explode'),
      (e: unknown) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
    assert.throws(
      () => parseMockMisbehave('corrupt=everything'),
      (e: unknown) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });

  it('OID syntax both ways', () => {
    assert.equal(parseOid('{ 1 3 6 1 5 2 5 }'), '1.3.6.1.5.2.5');
    assert.equal(parseOid(' 1.3.6.1.5.5.2 '), '1.3.6.1.5.5.2');
    assert.equal(parseOid('{1 2}'), '1.2');
    assert.equal(parseOid('kerberos'), undefined);
    assert.equal(parseOid('{ 1 x }'), undefined);
    assert.equal(braceOid('1.2.840.113554.1.2.2'), '{ 1 2 840 113554 1 2 2 }');
    assert.throws(
      () => braceOid('nope'),
      (e: unknown) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });
});
