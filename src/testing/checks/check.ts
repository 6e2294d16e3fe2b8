/** The shape of one conformance check, and small helpers the checks share. */
import { constantTimeEqual } from '../../core/bytes.ts';
import { flagNames, type ContextFlags } from '../../core/flags.ts';
import type { ContextInfo, SecurityContext } from '../../core/mechanism.ts';
import { attempt } from '../call.ts';
import { ConformanceError, describeThrown } from '../conformance-error.ts';
import type { Kit } from '../kit.ts';
import type { RuleId } from '../rules.ts';

/** A check returns notes for the report, or `{ skip }` when it does not apply. */
export type CheckNote = string | undefined | { skip: string };
export type Check = (kit: Kit) => Promise<CheckNote>;

export const names = (flags: ContextFlags): string => flagNames(flags).join('|') || 'none';

/** info() of an established context; any throw fails `rule`. */
export async function infoOf(kit: Kit, ctx: SecurityContext, rule: RuleId): Promise<ContextInfo> {
  const r = await attempt(kit.callTimeoutMs, rule, `${ctx.role}.info()`, () => ctx.info());
  if (!r.ok)
    throw new ConformanceError(
      rule,
      `${ctx.role}.info() threw after establishment: ${describeThrown(r.error)}`,
      r.error,
    );
  return r.value;
}

/** Messages of telling sizes: empty, one byte, text, a kilobyte, more than 64 KiB. */
export function sampleMessages(kit: Kit): Uint8Array[] {
  const random = kit.nextRandom('messages');
  return [
    new Uint8Array(0),
    Uint8Array.of(0x42),
    new TextEncoder().encode('hello, gssock'),
    random(1000),
    random(70_000),
  ];
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return constantTimeEqual(a, b);
}

/** Whether `needle` (at least 16 bytes) occurs in `hay`: a sealed token must not show its plaintext. */
export function containsWindow(hay: Uint8Array, needle: Uint8Array, window = 16): boolean {
  if (needle.length < window) return false;
  const probe = needle.subarray(0, window);
  outer: for (let i = 0; i + window <= hay.length; i++) {
    for (let j = 0; j < window; j++) if (hay[i + j] !== probe[j]) continue outer;
    return true;
  }
  return false;
}

/** Sender and receiver of a direction, for messages both ways. */
export function directions(
  a: SecurityContext,
  b: SecurityContext,
): Array<[SecurityContext, SecurityContext]> {
  return [
    [a, b],
    [b, a],
  ];
}
