/**
 * The long fuzz run's entry (scripts/fuzz.mjs starts it on the chosen runtime):
 *   run.ts [--seconds N] [--seed S] [--target substring]... [--json]
 * Targets, harness and runner live in test/fuzz/ (type-checked and linted with the tests).
 */
import { resolve } from 'node:path';
import { longRun } from '../test/fuzz/long-run.ts';
import { decoderTargets } from '../test/fuzz/targets/decoders.ts';
import { mechanismTargets } from '../test/fuzz/targets/mechanisms.ts';

const args = process.argv.slice(2);
let seconds = 10;
let seed = (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
let json = false;
const filters: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--seconds') seconds = Number(args[++i]);
  else if (args[i] === '--seed') seed = Number(args[++i]);
  else if (args[i] === '--target') filters.push(String(args[++i]));
  else if (args[i] === '--json') json = true;
}
const root = resolve(import.meta.dirname, '..');
const all = [...(await decoderTargets()), ...(await mechanismTargets())];
const targets = filters.length ? all.filter((t) => filters.some((f) => t.name.includes(f))) : all;
const results = await longRun({
  targets,
  seconds,
  seed,
  root,
  findingsDir: resolve(root, '.tmp', 'fuzz-findings'),
  log: (line) => console.log(line),
});
const inputs = results.reduce((n, r) => n + r.inputs, 0);
const findings = results.reduce((n, r) => n + r.findings.length, 0);
console.log(`fuzz: ${inputs} inputs over ${results.length} targets, ${findings} findings (seed ${seed})`);
if (json) console.log(JSON.stringify({ seed, seconds, results }));
process.exit(findings ? 1 : 0);
