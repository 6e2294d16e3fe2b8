/**
 * The long fuzz run (fuzz/run.ts, `npm run fuzz`): every target for a set time, printing
 * inputs tried, rate, corpus growth, coverage and findings.
 *
 * On Node it is coverage-guided (coverage.ts): an input that reaches a V8 block no earlier
 * input reached joins the target's corpus and is mutated further, as libFuzzer does. On Deno
 * and Bun (no inspector Profiler) it mutates the seed corpus unguided. Findings (crash, slow,
 * hang) are deduplicated by kind, message and top gssock stack frame and written as JSON
 * (input in hex) to the findings folder, each to become a regression test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCoverage } from './coverage.ts';
import { check, type Finding, type FuzzTarget, mutate, toHex } from './harness.ts';

export interface LongRunOptions {
  targets: FuzzTarget[];
  seconds: number;
  seed: number;
  root: string;
  findingsDir: string;
  log: (line: string) => void;
}

export interface TargetResult {
  target: string;
  inputs: number;
  perSecond: number;
  corpus: { seeds: number; final: number };
  blocks?: number;
  coverage?: { files: number; percent: number };
  findings: { kind: Finding['kind']; detail: string; where: string; file: string }[];
}

const BATCH = 64;
const MAX_POOL = 4096;

/** xorshift32: a small, seedable generator (the run is reproducible from its seed). */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return n <= 0 ? 0 : x % n;
  };
}

const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

/** The first stack frame inside src/: where a crash happened. */
function whereOf(stack: string | undefined): string {
  const line = stack?.split('\n').find((l) => l.includes('/src/'));
  return line?.trim().replace(/^at /, '') ?? '?';
}

export async function longRun(o: LongRunOptions): Promise<TargetResult[]> {
  const coverage = await startCoverage(o.root);
  o.log(
    `fuzz: ${o.targets.length} targets x ${o.seconds} s, seed ${o.seed}, ${coverage ? 'coverage-guided (V8 block coverage)' : 'unguided (no inspector on this runtime)'}`,
  );
  const results: TargetResult[] = [];
  for (const target of o.targets) {
    const pick = rng(o.seed ^ hash(target.name));
    const pool = target.seeds.length ? target.seeds.slice() : [new Uint8Array(0)];
    const seen = new Map<string, TargetResult['findings'][number]>();
    let inputs = 0;
    let blocks = 0;
    await coverage?.take(); // count only what this target's inputs reach from here
    const started = Date.now();
    const until = started + o.seconds * 1000;
    const record = (f: Finding) => {
      const where = whereOf(f.stack);
      const key = `${f.kind}|${f.detail.split('\n')[0]}|${where}`;
      if (seen.has(key)) return;
      const file = join(o.findingsDir, `${target.name}-${seen.size + 1}.json`);
      mkdirSync(o.findingsDir, { recursive: true });
      writeFileSync(file, `${JSON.stringify({ ...f, input: toHex(f.input) }, null, 1)}\n`);
      seen.set(key, { kind: f.kind, detail: f.detail.split('\n')[0]!, where, file });
      o.log(`  FINDING ${target.name}: ${f.kind} ${f.detail.split('\n')[0]} at ${where} -> ${file}`);
    };
    while (Date.now() < until) {
      const batch: Uint8Array[] = [];
      for (let i = 0; i < BATCH; i++) {
        if (pick(10) === 0) batch.push(new Uint8Array(pick(512)).map(() => pick(256)));
        else {
          const picks = Array.from({ length: 24 }, () => pick(1 << 30));
          batch.push(mutate(pool[pick(pool.length)]!, pool[pick(pool.length)]!, picks, 1 + pick(6)));
        }
      }
      for (const input of batch) {
        const f = await check(target, input);
        inputs++;
        if (f) record(f);
      }
      if (!coverage) continue;
      const fresh = new Set(await coverage.take());
      if (fresh.size === 0) continue;
      blocks += fresh.size;
      // Something in the batch reached new code: find which inputs did, keep them.
      for (const input of batch) {
        if (fresh.size === 0) break;
        await check(target, input);
        let adds = false;
        for (const key of await coverage.peek()) if (fresh.delete(key)) adds = true;
        if (adds && pool.length < MAX_POOL) pool.push(input);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const result: TargetResult = {
      target: target.name,
      inputs,
      perSecond: Math.round(inputs / seconds),
      corpus: { seeds: target.seeds.length, final: pool.length },
      findings: [...seen.values()],
    };
    if (coverage) {
      const c = coverage.report(target.covers);
      result.blocks = blocks;
      result.coverage = { files: c.files, percent: Math.round(c.percent * 10) / 10 };
    }
    results.push(result);
    o.log(
      `${target.name.padEnd(24)} ${String(inputs).padStart(8)} inputs ${String(result.perSecond).padStart(6)}/s` +
        `  corpus ${result.corpus.seeds}->${result.corpus.final}` +
        (result.coverage ? `  coverage ${result.coverage.percent}% of ${result.coverage.files} files` : '') +
        `  findings ${result.findings.length}`,
    );
  }
  await coverage?.stop();
  return results;
}
