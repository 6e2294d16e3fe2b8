#!/usr/bin/env node
// Runs the whole suite: typecheck, lint, then every test file on Node, Deno and Bun.
// Usage: node scripts/test.mjs [--runtime node|deno|bun]... [--no-static] [paths...]
// Ends with one plain summary line, "N passed, N failed, N skipped".
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const runtimes = [];
const paths = [];
let runStatic = true;
// --node PATH: run the Node suite with another Node binary (e.g. Node 24 for an LTS pass).
let nodeBinary = process.execPath;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runtime') runtimes.push(args[++i]);
  else if (args[i] === '--no-static') runStatic = false;
  else if (args[i] === '--node') nodeBinary = args[++i];
  else paths.push(args[i]);
}
if (runtimes.length === 0) runtimes.push('node', 'deno', 'bun');

function listTests(p) {
  const full = resolve(root, p);
  if (statSync(full).isFile()) return [full];
  const out = [];
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const child = join(full, entry.name);
    if (entry.isDirectory()) out.push(...listTests(child));
    else if (entry.name.endsWith('.test.ts')) out.push(child);
  }
  return out.sort();
}
const files = (paths.length ? paths : ['test']).flatMap(listTests);

function run(label, cmd, cmdArgs, env = {}) {
  return new Promise((done) => {
    const started = Date.now();
    console.log(
      `\n=== ${label}: ${cmd.split('/').pop()} ${cmdArgs.length > 8 ? cmdArgs.slice(0, 6).join(' ') + ' …' : cmdArgs.join(' ')}`,
    );
    const child = spawn(cmd, cmdArgs, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      text += d;
    });
    child.stderr.on('data', (d) => {
      process.stderr.write(d);
      text += d;
    });
    child.on('close', (code) => done({ label, code, text, seconds: (Date.now() - started) / 1000 }));
  });
}

// Strip ANSI colours before reading a runner's counts.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const plain = (s) => s.replace(ANSI, '');
function counts(runtime, text) {
  const t = plain(text);
  const num = (re) => {
    let m,
      last = 0;
    const g = new RegExp(re, 'gm');
    while ((m = g.exec(t))) last = Number(m[1]);
    return last;
  };
  if (runtime === 'node')
    return {
      pass: num('^(?:#|ℹ) pass (\\d+)'),
      fail: num('^(?:#|ℹ) fail (\\d+)') + num('^(?:#|ℹ) cancelled (\\d+)'),
      skip: num('^(?:#|ℹ) skipped (\\d+)'),
    };
  if (runtime === 'deno') {
    // Deno's summary: "ok | 2 passed (5 steps) | 0 failed | 3 ignored (8 steps)". It counts
    // describe() blocks as tests and it() cases as steps: report the cases where given.
    const line = t.split('\n').find((l) => /^(ok|FAILED) \| \d+ passed/.test(l.trim())) ?? '';
    const part = (word) => {
      const m = new RegExp(`(\\d+) ${word}(?: \\((\\d+) steps?\\))?`).exec(line);
      return m ? Number(m[2] ?? m[1]) : 0;
    };
    return { pass: part('passed'), fail: part('failed'), skip: part('ignored') };
  }
  return { pass: num('^\\s*(\\d+) pass$'), fail: num('^\\s*(\\d+) fail$'), skip: num('^\\s*(\\d+) skip$') };
}

// What failed, repeated after the summary: CI keeps only the end of a long log.
function failureLines(runtime, text) {
  const lines = plain(text).split('\n');
  if (runtime === 'node') {
    // The spec reporter repeats every failure, with its error, under "failing tests:".
    const at = lines.findIndex((l) => /^\S*\s*failing tests:/.test(l));
    if (at >= 0) return lines.slice(at, at + 80);
  }
  const marker =
    runtime === 'bun'
      ? /^\(fail\)|^error:|^\s+at /
      : runtime === 'deno'
        ? /=> |FAILED|^error:/
        : /✖|^not ok|Error/;
  return lines.filter((l) => marker.test(l)).slice(0, 80);
}

const results = [];
let failedStatic = false;
if (runStatic) {
  for (const [label, cmd, a] of [
    ['typecheck', bin('tsc'), ['-p', 'tsconfig.json']],
    ['typecheck core (no runtime globals)', bin('tsc'), ['-p', 'tsconfig.core.json']],
    ['lint', bin('biome'), ['check', 'src', 'test', 'bench', 'scripts', 'examples']],
  ]) {
    const r = await run(label, cmd, a);
    if (r.code !== 0) failedStatic = true;
    console.log(`--- ${label}: ${r.code === 0 ? 'ok' : 'FAILED'} (${r.seconds.toFixed(1)} s)`);
  }
}

const env = { GSSOCK_TEST: '1' };
for (const runtime of runtimes) {
  let r;
  if (runtime === 'node')
    r = await run(
      nodeBinary === process.execPath ? 'node' : `node (${nodeBinary})`,
      nodeBinary,
      ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
      env,
    );
  else if (runtime === 'deno')
    r = await run('deno', bin('deno'), ['test', '-A', '--no-check', '--quiet', ...files], {
      ...env,
      NO_COLOR: '1',
    });
  else if (runtime === 'bun')
    r = await run('bun', bin('bun'), ['test', '--timeout', '120000', ...files], env);
  else throw new Error(`unknown runtime ${runtime}`);
  const c = counts(runtime, r.text);
  // A runner that exited non-zero with no failing test counted still failed.
  if (r.code !== 0 && c.fail === 0) c.fail = 1;
  results.push({ runtime, ...c, code: r.code, seconds: r.seconds, failures: failureLines(runtime, r.text) });
}

console.log('\n=== summary');
for (const r of results)
  console.log(
    `${r.runtime.padEnd(5)} ${r.pass} passed, ${r.fail} failed, ${r.skip} skipped (${r.seconds.toFixed(1)} s, ${files.length} files)`,
  );
if (runStatic) console.log(`static checks: ${failedStatic ? 'FAILED' : 'ok'}`);
for (const r of results)
  if (r.fail > 0 || r.code !== 0)
    console.log(
      `\n=== ${r.runtime} failures (exit ${r.code})\n${r.failures.join('\n') || '(no failing test named)'}`,
    );
const total = results.reduce(
  (a, r) => ({ pass: a.pass + r.pass, fail: a.fail + r.fail, skip: a.skip + r.skip }),
  { pass: 0, fail: 0, skip: 0 },
);
const fail = total.fail + (failedStatic ? 1 : 0);
console.log(`${total.pass} passed, ${fail} failed, ${total.skip} skipped`);
process.exit(fail === 0 && results.every((r) => r.code === 0) ? 0 : 1);
