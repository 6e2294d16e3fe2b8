#!/usr/bin/env node
// Runs every bench/*.bench.ts (or the ones named) on Node, Deno and Bun.
// Usage: npm run bench [-- --json] [-- --quick] [-- --runtime node] [-- framing]
// Benchmarks print figures; they never fail a build on a timing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const pass = args.filter((a) => a === '--json' || a === '--quick');
const runtimes = [];
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runtime') runtimes.push(args[++i]);
  else if (!args[i].startsWith('--')) names.push(args[i]);
}
if (runtimes.length === 0) runtimes.push('node', 'deno', 'bun');
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => names.length === 0 || names.some((n) => f.startsWith(n)))
  .sort();

let failed = 0;
for (const file of files) {
  for (const runtime of runtimes) {
    const path = join('bench', file);
    const [cmd, cmdArgs] =
      runtime === 'node'
        ? [process.execPath, ['--import', 'tsx', path, ...pass]]
        : runtime === 'deno'
          ? [bin('deno'), ['run', '-A', '--no-check', path, ...pass]]
          : [bin('bun'), [path, ...pass]];
    if (!pass.includes('--json')) console.log(`\n# ${file} on ${runtime}`);
    const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
}
process.exit(failed ? 1 : 0);
