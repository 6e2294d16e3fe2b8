/**
 * What a "typed error" is, as the kit checks it: a GssockError (brand-checked, so a copy
 * from another package instance counts) whose code is one of ErrorCodes, with the GSS
 * major status and origin that code implies. Refusals of per-message tokens must also
 * say the peer was at fault and carry a token-refusal status.
 */
import { ErrorCodes, type ErrorCode, type GssMajor, GssockError } from '../core/errors.ts';
import { ConformanceError, describeThrown } from './conformance-error.ts';
import type { RuleId } from './rules.ts';

/** GSS major statuses that mean "this token is refused" (RFC 2743 §1.2.1.1). */
const REFUSAL_MAJORS: ReadonlySet<GssMajor> = new Set<GssMajor>([
  'GSS_S_DEFECTIVE_TOKEN',
  'GSS_S_BAD_SIG',
  'GSS_S_BAD_MECH',
  'GSS_S_DUPLICATE_TOKEN',
  'GSS_S_OLD_TOKEN',
  'GSS_S_UNSEQ_TOKEN',
  'GSS_S_GAP_TOKEN',
]);

/** Codes that say a per-message token broke replay or sequence rules. */
export const ORDER_CODES: readonly ErrorCode[] = ['DUPLICATE_TOKEN', 'OLD_TOKEN', 'UNSEQ_TOKEN', 'GAP_TOKEN'];

/** Throws a ConformanceError for `rule` unless `e` is a well-formed GssockError. */
export function expectTypedError(e: unknown, rule: RuleId, what: string): GssockError {
  if (!(e instanceof GssockError)) throw new ConformanceError(rule, `${what} threw ${describeThrown(e)}`, e);
  if (!Object.hasOwn(ErrorCodes, e.code)) {
    throw new ConformanceError(rule, `${what} threw a GssockError with unknown code ${String(e.code)}`, e);
  }
  if (e.gssMajor !== ErrorCodes[e.code].gss) {
    throw new ConformanceError(
      rule,
      `${what} threw ${e.code} with GSS major ${e.gssMajor}, expected ${ErrorCodes[e.code].gss}`,
      e,
    );
  }
  if (e.origin !== 'local' && e.origin !== 'peer') {
    throw new ConformanceError(rule, `${what} threw ${e.code} with origin ${String(e.origin)}`, e);
  }
  return e;
}

/** Like expectTypedError, and the code is one of `codes`. */
export function expectCode(e: unknown, codes: readonly ErrorCode[], rule: RuleId, what: string): GssockError {
  const err = expectTypedError(e, rule, what);
  if (!codes.includes(err.code)) {
    throw new ConformanceError(
      rule,
      `${what} threw ${err.code} (${err.message}), expected ${codes.join(' or ')}`,
      e,
    );
  }
  return err;
}

/** A refused per-message token: typed, origin 'peer', a token-refusal status (or `codes`). */
export function expectRefusal(
  e: unknown,
  rule: RuleId,
  what: string,
  codes?: readonly ErrorCode[],
): GssockError {
  const err = expectTypedError(e, rule, what);
  if (codes ? !codes.includes(err.code) : !REFUSAL_MAJORS.has(err.gssMajor)) {
    const wanted = codes
      ? codes.join(' or ')
      : 'a token-refusal code (BAD_SIGNATURE, DEFECTIVE_TOKEN, MALFORMED, ...)';
    throw new ConformanceError(rule, `${what} threw ${err.code} (${err.message}), expected ${wanted}`, e);
  }
  if (err.origin !== 'peer') {
    throw new ConformanceError(
      rule,
      `${what} threw ${err.code} with origin 'local'; a bad token from the peer is origin 'peer'`,
      e,
    );
  }
  return err;
}
