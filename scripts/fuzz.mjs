#!/usr/bin/env node
// The long fuzz run: every target in test/fuzz/targets for N seconds each, on each runtime
// asked for (default node), printing inputs tried, rate, corpus growth, coverage (Node:
// V8 block coverage, coverage-guided) and findings (written to .tmp/fuzz-findings/).
// Usage: node scripts/fuzz.mjs [seconds] [--runtime node|deno|bun]... [--target name]...
//        [--seed N] [--json]          (npm run fuzz -- 60 --runtime node --runtime bun)
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const runtimes = [];
const pass = [];
let seconds = 10;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runtime') runtimes.push(args[++i]);
  else if (args[i] === '--seconds') seconds = Number(args[++i]);
  else if (/^\d+(\.\d+)?$/.test(args[i])) seconds = Number(args[i]);
  else if (['--target', '--seed'].includes(args[i])) pass.push(args[i], args[++i]);
  else pass.push(args[i]);
}
if (runtimes.length === 0) runtimes.push('node');
const entry = join(root, 'fuzz', 'run.ts');
const runArgs = [entry, '--seconds', String(seconds), ...pass];
const commands = {
  node: [process.execPath, ['--import', 'tsx', ...runArgs]],
  deno: [bin('deno'), ['run', '-A', '--no-check', ...runArgs]],
  bun: [bin('bun'), runArgs],
};

let failed = false;
for (const runtime of runtimes) {
  const command = commands[runtime];
  if (!command) throw new Error(`unknown runtime ${runtime}`);
  console.log(`\n=== fuzz on ${runtime}: ${seconds} s per target`);
  const code = await new Promise((done) => {
    const child = spawn(command[0], command[1], { cwd: root, stdio: 'inherit' });
    // Bounded: 40 targets at most, plus set-up; a hang inside one input is killed here.
    const limit = setTimeout(() => child.kill('SIGKILL'), (seconds + 15) * 40 * 1000);
    child.on('close', (c, signal) => {
      clearTimeout(limit);
      done(signal ? `killed (${signal}): a hang` : c);
    });
  });
  if (code !== 0) {
    failed = true;
    console.log(`fuzz on ${runtime}: ${typeof code === 'string' ? code : 'findings (see above)'}`);
  }
}
process.exit(failed ? 1 : 0);
