/**
 * `runConformance(options)`: runs every check on a mechanism and returns a report naming
 * each rule that passed, failed or did not apply. It never throws for a failed rule, so
 * one broken rule does not hide the others; runners turn results into test failures
 * (suite.ts). Checks run one after another: their order is their dependency order.
 */
import { ConformanceError, describeThrown } from './conformance-error.ts';
import type { CheckNote } from './checks/check.ts';
import { checkEngineHandshake, checkMutualEnforced, checkSocketHandshake } from './checks/engine.ts';
import { checkFlagsProven } from './checks/flags.ts';
import { checkDoneOnce, checkHandshake, checkSendEveryToken, checkTypedErrors } from './checks/handshake.ts';
import { checkDeterministic, checkDisposeWipes } from './checks/lifecycle.ts';
import { checkRandomTokens, checkTamperRefused, checkTruncatedRefused } from './checks/mutation.ts';
import {
  checkMicRoundTrip,
  checkReorderRefused,
  checkReplayRefused,
  checkWrapRoundTrip,
} from './checks/per-message.ts';
import { Kit } from './kit.ts';
import { RULE_IDS, RULES, type RuleId } from './rules.ts';
import type { CheckResult, ConformanceOptions, ConformanceReport } from './types.ts';

const CHECKS: Record<RuleId, (kit: Kit) => Promise<CheckNote>> = {
  'rule:handshake': checkHandshake,
  'rule:send-every-token': checkSendEveryToken,
  'rule:done-once': checkDoneOnce,
  'rule:flags-proven': checkFlagsProven,
  'rule:typed-errors': checkTypedErrors,
  'rule:wrap-roundtrip': checkWrapRoundTrip,
  'rule:mic-roundtrip': checkMicRoundTrip,
  'rule:tamper-refused': checkTamperRefused,
  'rule:truncated-refused': checkTruncatedRefused,
  'rule:replay-refused': checkReplayRefused,
  'rule:reorder-refused': checkReorderRefused,
  'rule:random-tokens': checkRandomTokens,
  'rule:dispose-wipes': checkDisposeWipes,
  'rule:deterministic': checkDeterministic,
  'rule:mutual-enforced': checkMutualEnforced,
  'rule:engine-handshake': checkEngineHandshake,
  'rule:socket-handshake': checkSocketHandshake,
};

/** The rules `options` selects, in run order. */
export function selectedRules(options: ConformanceOptions): RuleId[] {
  return RULE_IDS.filter((r) => !options.only || options.only.includes(r));
}

/** Runs one rule's check; the result says pass, fail (with the rule broken) or skip. */
export async function runCheck(
  options: ConformanceOptions,
  rule: RuleId,
  kit = new Kit(options),
): Promise<CheckResult> {
  const started = Date.now();
  const result = (status: CheckResult['status'], message?: string, error?: ConformanceError): CheckResult => {
    const r: CheckResult = { rule, title: RULES[rule], status, durationMs: Date.now() - started };
    if (message !== undefined) r.message = message;
    if (error !== undefined) r.error = error;
    return r;
  };
  if (options.skip?.includes(rule)) return result('skip', 'skipped by options');
  if (rule === 'rule:engine-handshake' && options.engine === false)
    return result('skip', 'engine: false in the options');
  try {
    const note = await CHECKS[rule](kit);
    if (typeof note === 'object') return result('skip', note.skip);
    return result('pass', note);
  } catch (e) {
    const error =
      e instanceof ConformanceError
        ? e.rule === rule
          ? e
          : new ConformanceError(rule, `blocked by ${e.rule}: ${e.detail}`, e)
        : new ConformanceError(rule, `the check itself failed: ${describeThrown(e)} (seed ${kit.seed})`, e);
    return result('fail', error.detail, error);
  }
}

/** Runs the whole battery (or `options.only`) and reports every rule. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const kit = new Kit(options);
  const results: CheckResult[] = [];
  for (const rule of selectedRules(options)) results.push(await runCheck(options, rule, kit));
  const failed = results.filter((r) => r.status === 'fail').map((r) => r.rule);
  const name =
    options.name ??
    (await kit.mechanism('initiator').then(
      (m) => m.name,
      () => 'mechanism',
    ));
  return { mechanism: name, seed: kit.seed, passed: failed.length === 0, results, failed };
}

/** A report as plain text, one line per rule. */
export function formatReport(report: ConformanceReport): string {
  const mark = { pass: 'ok  ', fail: 'FAIL', skip: 'skip' } as const;
  const lines = report.results.map((r) => `${mark[r.status]} ${r.rule}${r.message ? `: ${r.message}` : ''}`);
  return [
    `conformance of ${report.mechanism} (seed ${report.seed}): ${report.passed ? 'passed' : `FAILED ${report.failed.join(', ')}`}`,
    ...lines,
  ].join('\n');
}
