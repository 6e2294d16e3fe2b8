import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GssockError,
  MutualAuthRequiredError,
  gssError,
  isGssockError,
  toGssockError,
} from '../../src/core/errors.ts';
import { Flags, flagNames, fromSspiFlags, parseFlags, toSspiFlags } from '../../src/core/flags.ts';

describe('errors', () => {
  it('carry code, GSS major, SSPI status and origin', () => {
    const e = gssError('BAD_SIGNATURE', 'MIC did not verify', { origin: 'peer' });
    assert.equal(e.code, 'BAD_SIGNATURE');
    assert.equal(e.gssMajor, 'GSS_S_BAD_SIG');
    assert.equal(e.sspiStatus, 'SEC_E_MESSAGE_ALTERED');
    assert.equal(e.origin, 'peer');
    assert.ok(e instanceof GssockError);
    assert.ok(e instanceof Error);
  });
  it('subclasses keep their code and are recognised by brand', () => {
    const e = new MutualAuthRequiredError();
    assert.equal(e.code, 'MUTUAL_AUTH_REQUIRED');
    assert.ok(isGssockError(e, 'MUTUAL_AUTH_REQUIRED'));
    assert.ok(!isGssockError(new Error('x')));
    // A look-alike from "another copy of the package" (same Symbol.for brand) still matches.
    const foreign = Object.defineProperty(new Error('y'), Symbol.for('gssock.GssockError'), { value: true });
    assert.ok(foreign instanceof GssockError);
  });
  it('a subclass matches only its own kind, not every GssockError', () => {
    const plain = gssError('TIMEOUT', 't');
    assert.ok(!(plain instanceof MutualAuthRequiredError));
    assert.ok(new MutualAuthRequiredError() instanceof MutualAuthRequiredError);
    assert.ok(new MutualAuthRequiredError() instanceof GssockError);
  });
  it('toGssockError wraps foreign errors and keeps ours', () => {
    const ours = gssError('TIMEOUT', 't');
    assert.equal(toGssockError(ours), ours);
    const wrapped = toGssockError(new TypeError('boom'), 'MALFORMED', 'peer');
    assert.equal(wrapped.code, 'MALFORMED');
    assert.equal(wrapped.message, 'boom');
  });
});

describe('flags', () => {
  it('names and parses GSS flags', () => {
    assert.deepEqual(flagNames(Flags.MUTUAL | Flags.REPLAY), ['MUTUAL', 'REPLAY']);
    assert.equal(
      parseFlags('mutual, GSS_C_REPLAY_FLAG,integrity'),
      Flags.MUTUAL | Flags.REPLAY | Flags.INTEG,
    );
    assert.throws(() => parseFlags('bogus'), RangeError);
  });
  it('maps integrity to the different SSPI bits for each role', () => {
    assert.equal(toSspiFlags(Flags.INTEG | Flags.MUTUAL, 'initiator'), 0x10000 | 0x2);
    assert.equal(toSspiFlags(Flags.INTEG | Flags.MUTUAL, 'acceptor'), 0x20000 | 0x2);
    assert.equal(fromSspiFlags(0x20000 | 0x10, 'acceptor'), Flags.INTEG | Flags.CONF);
  });
});
