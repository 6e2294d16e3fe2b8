/**
 * The kit fails a deliberately broken mechanism for each rule it checks, and names that
 * rule: each mechanism in broken-mechanisms.ts has one mistake, and its own rule's check
 * must fail with a ConformanceError for that rule (not "blocked by" another one).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConformanceError, RULE_IDS, runCheck, runConformance } from '../../src/testing/index.ts';
import { BROKEN } from './broken-mechanisms.ts';
import { pskOptions } from './support.ts';

describe('the kit names the rule a broken mechanism breaks', () => {
  for (const broken of BROKEN) {
    it(`${broken.rule}: ${broken.mistake}`, async () => {
      const result = await runCheck(broken.options, broken.rule);
      assert.equal(result.status, 'fail', `the kit passed a mechanism whose mistake is: ${broken.mistake}`);
      assert.ok(result.error instanceof ConformanceError);
      assert.equal(result.error.rule, broken.rule);
      assert.doesNotMatch(result.error.detail, /^blocked by|the check itself failed/);
    });
  }

  it('keeps a broken mechanism for every rule', () => {
    const covered = new Set(BROKEN.map((b) => b.rule));
    assert.deepEqual(
      RULE_IDS.filter((r) => !covered.has(r)),
      [],
    );
  });

  it('the same checks pass the unbroken example (the failures come from the mistakes)', async () => {
    const report = await runConformance({ ...pskOptions(), only: [...new Set(BROKEN.map((b) => b.rule))] });
    assert.deepEqual(report.failed, []);
    assert.ok(report.results.every((r) => r.status === 'pass'));
  });
});
