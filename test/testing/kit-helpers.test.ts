/** The kit's own helpers: injected randomness and clocks, the runner adapter, the report. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fixedClock,
  formatReport,
  RULE_IDS,
  runConformance,
  seededRandom,
  steppingClock,
  type TestRunner,
  defineConformanceSuite,
} from '../../src/testing/index.ts';
import { pskOptions } from './support.ts';

describe('kit helpers', () => {
  it('seededRandom repeats under one seed and differs under another', () => {
    const a = seededRandom('s');
    const b = seededRandom('s');
    const first = a(100);
    assert.deepEqual(first, b(100));
    assert.notDeepEqual(a(100), first, 'a stream does not repeat itself');
    assert.notDeepEqual(seededRandom('t')(100), first);
    assert.equal(a(0).length, 0);
    assert.throws(() => a(-1), RangeError);
  });

  it('clocks are what they say', () => {
    assert.equal(fixedClock(42)(), 42);
    const c = steppingClock(10, 5);
    assert.deepEqual([c(), c(), c()], [10, 15, 20]);
  });

  it('defineConformanceSuite registers one test per selected rule with the runner given', async () => {
    const names: string[] = [];
    const bodies: Array<() => Promise<void>> = [];
    const runner: TestRunner = {
      describe: (_name, body) => body(),
      it: (name, body) => {
        names.push(name);
        bodies.push(body);
      },
    };
    defineConformanceSuite(pskOptions(), runner);
    assert.equal(names.length, RULE_IDS.length);
    assert.ok(names.every((n, i) => n.startsWith(RULE_IDS[i]!)));
    const only: string[] = [];
    defineConformanceSuite(
      { ...pskOptions(), only: ['rule:done-once'] },
      { describe: (_n, b) => b(), it: (n) => only.push(n) },
    );
    assert.equal(only.length, 1);
  });

  it('a report lists every selected rule with its status', async () => {
    const report = await runConformance({
      ...pskOptions(),
      only: ['rule:handshake', 'rule:deterministic'],
      skip: ['rule:deterministic'],
    });
    assert.equal(report.passed, true);
    assert.deepEqual(
      report.results.map((r) => [r.rule, r.status]),
      [
        ['rule:handshake', 'pass'],
        ['rule:deterministic', 'skip'],
      ],
    );
    assert.match(formatReport(report), /^conformance of psk example .*passed\nok {3}rule:handshake/);
  });
});
