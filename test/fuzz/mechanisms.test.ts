/**
 * The short fuzz run of each mechanism's step() and per-message calls, and of the KDC on
 * both ends (targets in targets/mechanisms.ts), fed mutated real tokens (MIT captures and
 * gssock's own). Also proves the targets are not vacuous: an unmutated seed goes all the
 * way (the context establishes, the token unwraps, the KDC answers).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedOf, shortRun } from './harness.ts';
import { mechanismTargets } from './targets/mechanisms.ts';

const RUNS = 150;
const TIME_MS = 300;

const targets = await mechanismTargets();
const byName = (name: string) => {
  const t = targets.find((x) => x.name === name);
  assert.ok(t, name);
  return t;
};

describe('fuzz (short): mechanism steps', () => {
  it('the seeds reach the happy path: real tokens establish, unwrap and get answers', async () => {
    for (const name of [
      'krb-acceptor-step-mit',
      'krb-acceptor-step',
      'krb-initiator-step',
      'ntlm-initiator-step',
    ]) {
      const t = byName(name);
      await t.run(t.seeds[0]!); // throws if the real token is refused
    }
    const unwrap = byName('krb-unwrap');
    await unwrap.run(unwrap.seeds[0]!);
    await byName('spnego-acceptor-step').run(byName('spnego-acceptor-step').seeds[0]!);
  });

  for (const target of targets) {
    it(`${target.name}: mutated tokens fail only with GssockErrors`, async () => {
      const tried = await shortRun(target, { seed: seedOf(target.name), numRuns: RUNS, timeMs: TIME_MS });
      assert.ok(tried > 0);
    });
  }
});
