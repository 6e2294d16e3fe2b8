/**
 * How the kit reports a broken rule: a ConformanceError names the rule (`rule`) and says
 * what was seen. It is a GssockError (code FAILURE, origin local) like everything gssock
 * throws, with its own brand so the kit never mistakes it for the mechanism's own error.
 */
import { GssockError } from '../core/errors.ts';
import type { RuleId } from './rules.ts';

const BRAND = Symbol.for('gssock.ConformanceError');

export class ConformanceError extends GssockError {
  /** The rule the mechanism broke. */
  readonly rule: RuleId;
  /** What was seen, without the rule's name in front. */
  readonly detail: string;

  constructor(rule: RuleId, message: string, cause?: unknown) {
    super('FAILURE', `${rule}: ${message}`, { origin: 'local', cause, details: { rule } });
    this.name = 'ConformanceError';
    this.rule = rule;
    this.detail = message;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** Throws a ConformanceError for `rule` unless `condition` holds. */
export function expectRule(condition: unknown, rule: RuleId, message: string): asserts condition {
  if (!condition) throw new ConformanceError(rule, message);
}

/** A short printable description of any thrown value, for failure messages. */
export function describeThrown(e: unknown): string {
  if (e instanceof GssockError) return `GssockError ${e.code} (origin ${e.origin}): ${e.message}`;
  if (e instanceof Error) return `${e.name} (not a GssockError): ${e.message}`;
  return `a thrown ${typeof e} (not a GssockError): ${String(e)}`;
}
