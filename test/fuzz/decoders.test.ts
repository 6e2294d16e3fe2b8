/**
 * The short fuzz run of every decoder the network or a credential file reaches (targets in
 * targets/decoders.ts): a fixed fast-check seed per target, at most RUNS inputs or
 * TIME_MS each. Any input that makes a decoder throw something other than a GssockError,
 * or take longer than SLOW_MS, fails with its hex. The long run: npm run fuzz.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, seedOf, shortRun } from './harness.ts';
import { decoderTargets } from './targets/decoders.ts';

const RUNS = 200;
const TIME_MS = 250;

const targets = await decoderTargets();

describe('fuzz (short): decoders', () => {
  for (const target of targets) {
    it(`${target.name}: real seeds decode, mutations fail only with GssockErrors`, async () => {
      for (const seed of target.seeds) assert.equal(await check(target, seed), undefined);
      const tried = await shortRun(target, { seed: seedOf(target.name), numRuns: RUNS, timeMs: TIME_MS });
      assert.ok(tried > 0);
    });
  }
});
