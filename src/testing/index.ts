/**
 * gssock/testing: the conformance kit for security mechanisms (docs/PROVIDERS.md).
 *
 *   import { describe, it } from 'node:test';
 *   import { defineConformanceSuite } from 'gssock/testing';
 *   defineConformanceSuite({ initiator: () => mine(alice), acceptor: () => mine(server) }, { describe, it });
 *
 * Or `await runConformance(options)` for a report without a test runner.
 */
export { ConformanceError } from './conformance-error.ts';
export { fixedClock, seededRandom, steppingClock } from './inject.ts';
export { FULL_FLAGS } from './kit.ts';
export { RULE_IDS, RULES, type RuleId } from './rules.ts';
export { formatReport, runCheck, runConformance } from './run.ts';
export { defineConformanceSuite, type SuiteOptions, type TestRunner } from './suite.ts';
export type {
  CheckResult,
  CheckStatus,
  ConformanceCapabilities,
  ConformanceEnvironment,
  ConformanceOptions,
  ConformanceReport,
  MechanismFactory,
} from './types.ts';
