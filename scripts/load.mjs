#!/usr/bin/env node
// Load: N concurrent clients against one serve() server on 127.0.0.1, per mechanism and
// runtime; the server and the clients run in two processes of that runtime.
// Reports handshakes per second, p50/p99 connect-to-established latency, failures and the
// server's peak RSS. Bounded: each run is killed after --limit seconds (default 300).
// Usage: node scripts/load.mjs [--clients 1000] [--mech kerberos|mock|ntlm]... [--runtime node|deno|bun]...
//        [--concurrency 256] [--queue N (default: clients)] [--json]
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const mechs = [];
const runtimes = [];
let clients = 1000;
let concurrency = 256;
let queue;
let limitSeconds = 300;
let json = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--clients') clients = Number(args[++i]);
  else if (a === '--mech') mechs.push(args[++i]);
  else if (a === '--runtime') runtimes.push(args[++i]);
  else if (a === '--concurrency') concurrency = Number(args[++i]);
  else if (a === '--queue') queue = Number(args[++i]);
  else if (a === '--limit') limitSeconds = Number(args[++i]);
  else if (a === '--json') json = true;
  else throw new Error(`unknown argument ${a}`);
}
if (!mechs.length) mechs.push('kerberos');
if (!runtimes.length) runtimes.push('node');
queue ??= clients;

const entry = join(root, 'test', 'load', 'load-main.ts');
const command = (runtime, rest) =>
  ({
    node: [process.execPath, ['--import', 'tsx', entry, ...rest]],
    deno: [bin('deno'), ['run', '-A', '--no-check', entry, ...rest]],
    bun: [bin('bun'), [entry, ...rest]],
  })[runtime] ??
  (() => {
    throw new Error(`unknown runtime ${runtime}`);
  })();

function start(runtime, rest, env = {}) {
  const [cmd, cmdArgs] = command(runtime, rest);
  const child = spawn(cmd, cmdArgs, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const queued = [];
  const waiting = [];
  lines.on('line', (line) => {
    if (!line.startsWith('{')) return void console.log(`  [${runtime}] ${line}`);
    const value = JSON.parse(line);
    const w = waiting.shift();
    if (w) w(value);
    else queued.push(value);
  });
  const next = () =>
    new Promise((resolve, reject) => {
      if (queued.length) return resolve(queued.shift());
      waiting.push(resolve);
      child.once('close', (code) => reject(new Error(`${runtime} exited (${code}) before answering`)));
    });
  return { child, next };
}

const mib = (b) => Math.round(b / 1048576);
const rows = [];
for (const runtime of runtimes) {
  for (const mech of mechs) {
    const server = start(runtime, [
      'server',
      '--mech',
      mech,
      '--concurrency',
      String(concurrency),
      '--queue',
      String(queue),
    ]);
    const killer = setTimeout(() => server.child.kill('SIGKILL'), limitSeconds * 1000);
    try {
      const { ready, limits } = await server.next();
      const client = start(runtime, ['client', '--clients', String(clients)], {
        LOAD_INFO: JSON.stringify(ready),
      });
      const clientKiller = setTimeout(() => client.child.kill('SIGKILL'), limitSeconds * 1000);
      const result = await client.next();
      clearTimeout(clientKiller);
      server.child.stdin.write('stop\n');
      const { stats, peakRss, baselineRss } = await server.next();
      const row = {
        runtime,
        mech,
        limits,
        ...result,
        serverPeakRssMiB: mib(peakRss),
        serverBaselineRssMiB: mib(baselineRss),
        stats,
      };
      rows.push(row);
      console.log(
        `${runtime.padEnd(5)} ${mech.padEnd(9)} ${result.established}/${clients} established, ${result.failures} failures` +
          `${result.failures ? ` ${JSON.stringify(result.errors)}` : ''}, ${result.rate} handshakes/s, ` +
          `p50 ${result.p50} ms, p99 ${result.p99} ms, server peak RSS ${mib(peakRss)} MiB (baseline ${mib(baselineRss)} MiB), ` +
          `peak ${stats.peakHandshaking} handshaking / ${stats.peakQueued} queued, ${stats.refused} refused`,
      );
    } finally {
      clearTimeout(killer);
      server.child.kill();
    }
  }
}
console.log(
  `\nmachine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  '| runtime | mechanism | clients | failures | handshakes/s | p50 ms | p99 ms | server peak RSS |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.runtime} | ${r.mech} | ${r.clients} | ${r.failures} | ${r.rate} | ${r.p50} | ${r.p99} | ${r.serverPeakRssMiB} MiB |`,
  );
if (json) console.log(JSON.stringify(rows));
process.exit(rows.every((r) => r.failures === 0) && rows.length === runtimes.length * mechs.length ? 0 : 1);
