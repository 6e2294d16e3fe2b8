/**
 * The fuzz harness shared by the short runs (test/fuzz/*.test.ts, inside npm test) and the
 * long runs (fuzz/run.ts, npm run fuzz).
 *
 * A target is a decoder or a mechanism step the network (or a credential file) can reach.
 * Its contract, the one MIT krb5 and SSPI keep: for ANY input it returns, or throws a
 * GssockError; it never throws anything else, never hangs, and never takes long. So
 * a finding is an input that made it throw a foreign error (a crash: TypeError,
 * RangeError, asn1js's own), or take more than `slowMs` (a hang or an algorithmic DoS).
 *
 * Inputs are fast-check values: mostly real tokens (MIT captures in fuzz/corpus, gssock's
 * own) with a stack of mutations (bit flips, interesting bytes, truncation, insertion,
 * deletion, duplication, splicing, DER lengths rewritten to huge or indefinite), plus
 * plain random bytes. Seeds are fixed in tests, so every failure replays from its seed.
 */
import fc from 'fast-check';
import { GssockError } from '../../src/core/errors.ts';

export interface FuzzTarget {
  name: string;
  /** The source folders this target exercises (for the long run's coverage report). */
  covers: string[];
  /** Real inputs to mutate. */
  seeds: Uint8Array[];
  /** Feeds one input; returns, or throws a GssockError. */
  run(input: Uint8Array): unknown;
}

export interface Finding {
  target: string;
  kind: 'crash' | 'slow' | 'hang';
  /** The error's name and message, or the time taken. */
  detail: string;
  stack?: string;
  input: Uint8Array;
}

/** Longest one input may take (ms). Generous: a cold JIT and a busy CI machine are slow. */
export const SLOW_MS = 2000;
/** An input whose run has not settled after this long is a hang. */
export const HANG_MS = 10_000;

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xff];

type Mutation = (b: Uint8Array, pick: (n: number) => number, other: Uint8Array) => Uint8Array;

const MUTATIONS: Mutation[] = [
  // flip a bit
  (b, pick) => {
    if (!b.length) return b;
    const o = b.slice();
    o[pick(o.length)]! ^= 1 << pick(8);
    return o;
  },
  // an interesting byte
  (b, pick) => {
    if (!b.length) return b;
    const o = b.slice();
    o[pick(o.length)] = INTERESTING[pick(INTERESTING.length)]!;
    return o;
  },
  // truncate
  (b, pick) => b.slice(0, pick(b.length + 1)),
  // insert random bytes
  (b, pick) => {
    const at = pick(b.length + 1);
    const extra = new Uint8Array(1 + pick(16)).map(() => pick(256));
    return concat([b.subarray(0, at), extra, b.subarray(at)]);
  },
  // delete a range
  (b, pick) => {
    const at = pick(b.length + 1);
    return concat([b.subarray(0, at), b.subarray(at + 1 + pick(32))]);
  },
  // duplicate a range
  (b, pick) => {
    const at = pick(b.length + 1);
    const end = at + pick(64);
    return concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
  },
  // splice with another seed
  (b, pick, other) => concat([b.subarray(0, pick(b.length + 1)), other.subarray(pick(other.length + 1))]),
  // a DER length byte made long-form huge (0x84 ff ff ff ff) or indefinite (0x80)
  (b, pick) => {
    if (b.length < 2) return b;
    const at = 1 + pick(b.length - 1);
    const huge = pick(2) === 0 ? [0x84, 0xff, 0xff, 0xff, 0xff] : [0x80];
    return concat([b.subarray(0, at), new Uint8Array(huge), b.subarray(at + 1)]);
  },
  // a 32-bit field set to a large value (lengths and offsets of NTLM / keytab / ccache)
  (b, pick) => {
    if (b.length < 4) return b;
    const o = b.slice();
    const at = pick(o.length - 3);
    o.set([0xff, 0xff, 0xff, 0x7f], at);
    return o;
  },
];

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Applies `rounds` mutations to `base`; `picks` are the random choices (positions, bytes,
 * which mutation), `other` the input spliced in. Shared by fast-check and the long run.
 */
export function mutate(
  base: Uint8Array,
  other: Uint8Array,
  picks: readonly number[],
  rounds: number,
): Uint8Array {
  let i = 0;
  const pick = (n: number) => (n <= 0 ? 0 : picks[i++ % picks.length]! % n);
  let b = base;
  for (let r = 0; r < rounds; r++) b = MUTATIONS[pick(MUTATIONS.length)]!(b, pick, other);
  // Bounded: a mutation stack can grow an input, a decoder must see sizes it could get.
  return b.length > 1 << 16 ? b.subarray(0, 1 << 16) : b;
}

/** Inputs for a target: mutated seeds (most), raw random bytes, and the seeds as they are. */
export function inputs(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ maxLength: 512 });
  if (seeds.length === 0) return random;
  const seed = fc.constantFrom(...seeds);
  const mutated = fc
    .tuple(seed, seed, fc.array(fc.nat(), { minLength: 2, maxLength: 40 }), fc.integer({ min: 1, max: 6 }))
    .map(([base, other, picks, rounds]) => mutate(base, other, picks, rounds));
  return fc.oneof(
    { weight: 8, arbitrary: mutated },
    { weight: 1, arbitrary: random },
    { weight: 1, arbitrary: seed },
  );
}

/** Runs one input; returns the finding if the target broke its contract. */
export async function check(target: FuzzTarget, input: Uint8Array): Promise<Finding | undefined> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const HANG = Symbol('hang');
  try {
    // A step that never settles is a hang: give up on it after HANG_MS (and say so).
    const hung = new Promise<typeof HANG>((resolve) => (timer = setTimeout(() => resolve(HANG), HANG_MS)));
    const outcome = await Promise.race([Promise.resolve().then(() => target.run(input)), hung]);
    if (outcome === HANG)
      return { target: target.name, kind: 'hang', detail: `no result in ${HANG_MS} ms`, input };
  } catch (e) {
    if (!(e instanceof GssockError)) {
      const err = e as Error;
      return {
        target: target.name,
        kind: 'crash',
        detail: `${err?.name ?? typeof e}: ${err?.message ?? String(e)}`,
        ...(err?.stack ? { stack: err.stack } : {}),
        input,
      };
    }
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - started;
  if (ms > SLOW_MS) return { target: target.name, kind: 'slow', detail: `${ms.toFixed(0)} ms`, input };
  return undefined;
}

/** A fixed fast-check seed per target, from its name. */
export const seedOf = (name: string) => [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * The short run for npm test: `numRuns` inputs (or until `timeMs`), a fixed seed, and the
 * first finding fails the test with its input in hex (fast-check shrinks it first).
 */
export async function shortRun(
  target: FuzzTarget,
  o: { seed: number; numRuns: number; timeMs: number },
): Promise<number> {
  let tried = 0;
  await fc.assert(
    fc.asyncProperty(inputs(target.seeds), async (input) => {
      tried++;
      const finding = await check(target, input);
      if (finding) {
        throw new Error(
          `${finding.kind} in ${target.name}: ${finding.detail}\ninput: ${toHex(input)}\n${finding.stack ?? ''}`,
        );
      }
    }),
    { seed: o.seed, numRuns: o.numRuns, interruptAfterTimeLimit: o.timeMs, markInterruptAsFailure: false },
  );
  return tried;
}
