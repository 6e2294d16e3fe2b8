/** Calls into the mechanism under test with a deadline, so a hang becomes a named failure. */
import type { Awaitable } from '../core/mechanism.ts';
import { ConformanceError } from './conformance-error.ts';
import type { RuleId } from './rules.ts';

/** Runs `fn` (sync throws become rejections); rejects with a ConformanceError after `ms`. */
export function callWithin<T>(ms: number, rule: RuleId, what: string, fn: () => Awaitable<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = new Promise<T>((resolve) => resolve(fn()));
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ConformanceError(rule, `${what} did not finish within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}

/** Outcome of a call that may throw: the value, or what was thrown. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Like callWithin, but a throw from the mechanism is returned, not rethrown (deadlines still throw). */
export async function attempt<T>(
  ms: number,
  rule: RuleId,
  what: string,
  fn: () => Awaitable<T>,
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await callWithin(ms, rule, what, fn) };
  } catch (error) {
    if (error instanceof ConformanceError) throw error;
    return { ok: false, error };
  }
}
