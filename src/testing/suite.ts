/**
 * `defineConformanceSuite(options, runner)`: one test per rule, registered with whatever
 * test runner the caller passes. node:test's `describe`/`it` work on Node, Deno and Bun;
 * bun:test's `describe`/`test` and Deno's BDD `describe`/`it` (jsr:@std/testing/bdd) have
 * the same shape. A failed rule throws its ConformanceError, so the runner shows the rule
 * and what was seen; a rule that does not apply is reported as passing with a note
 * (runners differ in how they skip from inside a test).
 */
import { ConformanceError } from './conformance-error.ts';
import { Kit } from './kit.ts';
import { RULES } from './rules.ts';
import { runCheck, selectedRules } from './run.ts';
import type { ConformanceOptions } from './types.ts';

type TestBody = () => Promise<void>;

/** The part of a BDD-style runner the kit needs. */
export interface TestRunner {
  describe: (name: string, body: () => void) => unknown;
  /** `it` of node:test or Deno BDD, `test` of bun:test. */
  it: (name: string, body: TestBody) => unknown;
}

export interface SuiteOptions {
  /** Title of the describe block; default `conformance: <name>`. */
  title?: string;
  /** Called with each rule's note (passes and skips), e.g. console.log for a verbose run. */
  log?: (line: string) => void;
}

export function defineConformanceSuite(
  options: ConformanceOptions,
  runner: TestRunner,
  suite: SuiteOptions = {},
): void {
  let kit: Kit | undefined;
  runner.describe(suite.title ?? `conformance: ${options.name ?? 'mechanism'}`, () => {
    for (const rule of selectedRules(options)) {
      runner.it(`${rule} — ${RULES[rule]}`, async () => {
        kit ??= new Kit(options);
        const r = await runCheck(options, rule, kit);
        if (r.status === 'fail') throw r.error ?? new ConformanceError(rule, r.message ?? 'failed');
        if (r.message) suite.log?.(`${r.status === 'skip' ? 'skipped' : 'ok'} ${rule}: ${r.message}`);
      });
    }
  });
}
