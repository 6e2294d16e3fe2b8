/**
 * A parser of untrusted bytes (a credential file, a token) may fail only with a typed
 * GssockError, never with a RangeError or TypeError from deep inside: checked on every
 * truncation of a valid input, on random bodies after a valid header, and on every kind of
 * one-byte change of the valid input (fast-check).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isGssockError } from '../../src/core/errors.ts';

/** True when `fn` returns or throws a GssockError; false when it throws anything else. */
export function onlyTypedErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    return isGssockError(e);
  }
}

export interface TypedFailureOptions {
  /** Bytes every random input starts with (magic and version), so the body gets parsed. */
  header: number[];
  /** Longest random body after the header. */
  maxLength: number;
  /** fast-check runs for random bodies and for one-byte changes; default 500. */
  numRuns?: number;
}

export function assertTypedFailures(
  parse: (bytes: Uint8Array) => unknown,
  good: Uint8Array,
  options: TypedFailureOptions,
): void {
  const typed = (b: Uint8Array) => onlyTypedErrors(() => parse(b));
  const numRuns = options.numRuns ?? 500;
  for (let n = 0; n < good.length; n++) assert.ok(typed(good.subarray(0, n)), `truncated to ${n} bytes`);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: options.maxLength }), (b) =>
      typed(new Uint8Array([...options.header, ...b])),
    ),
    { numRuns },
  );
  fc.assert(
    fc.property(fc.nat(good.length - 1), fc.nat(255), (i, v) => {
      const c = good.slice();
      c[i] = v;
      return typed(c);
    }),
    { numRuns },
  );
}
