/**
 * Shared benchmark helpers. A bench file is `bench/<area>.bench.ts`, runnable directly on
 * any runtime. It calls `report()` per figure; with `--json` (or BENCH_JSON=1) each figure
 * is one JSON line `{ bench, runtime, size, value, unit, ...extra }`, else a table row.
 * Figures are ratios against a baseline measured in the same run wherever one exists.
 */

export type Runtime = 'node' | 'deno' | 'bun';

export function runtimeName(): Runtime {
  const g = globalThis as Record<string, unknown>;
  if (g.Bun !== undefined) return 'bun';
  if (g.Deno !== undefined) return 'deno';
  return 'node';
}

function argv(): string[] {
  const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
  return g.Deno ? g.Deno.args : (g.process?.argv.slice(2) ?? []);
}

function env(name: string): string | undefined {
  const g = globalThis as {
    Deno?: { env: { get(n: string): string | undefined } };
    process?: { env: Record<string, string | undefined> };
  };
  return g.Deno ? g.Deno.env.get(name) : g.process?.env[name];
}

export const jsonOutput = argv().includes('--json') || env('BENCH_JSON') === '1';
/** `--quick` (or BENCH_QUICK=1) shortens every measurement, for smoke runs. */
export const quick = argv().includes('--quick') || env('BENCH_QUICK') === '1';

export interface Figure {
  bench: string;
  size?: number | string;
  value: number;
  unit: string;
  [extra: string]: unknown;
}

export function report(figure: Figure): void {
  const { bench, ...rest } = figure;
  const row = { bench, runtime: runtimeName(), ...rest };
  if (jsonOutput) {
    console.log(JSON.stringify(row));
    return;
  }
  const extras = Object.entries(figure)
    .filter(([k]) => !['bench', 'size', 'value', 'unit'].includes(k))
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`)
    .join(' ');
  console.log(
    `${row.runtime.padEnd(5)} ${figure.bench.padEnd(40)} ${String(figure.size ?? '').padStart(9)} ${formatNumber(figure.value).padStart(12)} ${figure.unit.padEnd(10)} ${extras}`,
  );
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3);
}

/**
 * Runs `fn` repeatedly for about `ms` milliseconds (after a short warm-up) and returns
 * operations per second. `fn` returns the number of operations it did (default 1).
 */
export async function measure(
  fn: () => number | void | Promise<number | void>,
  ms = quick ? 150 : 1000,
): Promise<number> {
  const warmUntil = performance.now() + ms / 5;
  while (performance.now() < warmUntil) await fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    const r = await fn();
    ops += typeof r === 'number' ? r : 1;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Synchronous variant of `measure`, for hot paths where awaiting would dominate. */
export function measureSync(fn: () => number | void, ms = quick ? 150 : 1000): number {
  const warmUntil = performance.now() + ms / 5;
  while (performance.now() < warmUntil) fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    const r = fn();
    ops += typeof r === 'number' ? r : 1;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}
