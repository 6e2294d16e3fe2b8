#!/usr/bin/env node
/**
 * `npm run test:wine`: gssock's SSPI mechanism for real, inside Wine 8.0, under the Windows
 * builds of Node 22 (koffi) and Bun (bun:ffi), against MIT and gssock's pure mechanisms.
 * 1. scripts/wine/setup.sh (packages, prefix, runtimes, shim; quick when already done);
 *    `--no-setup` skips it.
 * 2. Bundles test/wine/agent.ts for the Windows Node (which cannot run TypeScript) into
 *    .tmp/wine/rt/mods/agent.mjs with esbuild, koffi external (resolved beside it).
 * 3. Keeps one wineserver alive for the run (each Wine start is then about 1 s faster).
 * 4. Runs test/wine/host.ts (the scenarios) on the Linux Node; its last line is
 *    `N passed, N failed`. Any failure before that prints `0 passed, 1 failed`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const wineDir = process.env.GSSOCK_WINE_DIR ?? join(root, '.tmp', 'wine');
const prefix = join(wineDir, 'prefix');
const args = process.argv.slice(2);

function fail(message) {
  console.log(`not ok - ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const t0 = Date.now();
if (!args.includes('--no-setup')) {
  const setup = spawnSync('bash', [join(root, 'scripts/wine/setup.sh')], { stdio: 'inherit', cwd: root });
  if (setup.status !== 0) fail(`scripts/wine/setup.sh exited ${setup.status}`);
  console.log(`wine setup: total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const esbuild = join(root, 'node_modules/.bin/esbuild');
if (!existsSync(esbuild)) fail('node_modules/.bin/esbuild is missing (npm ci)');
const bundle = spawnSync(
  esbuild,
  [
    'test/wine/agent.ts',
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node22',
    '--external:koffi',
    `--outfile=${join(wineDir, 'rt/mods/agent.mjs')}`,
    '--log-level=warning',
    // CommonJS dependencies inside an ESM bundle need a require().
    "--banner:js=import { createRequire as __gssockRequire } from 'node:module'; const require = __gssockRequire(import.meta.url);",
  ],
  { stdio: 'inherit', cwd: root },
);
if (bundle.status !== 0) fail('esbuild could not bundle test/wine/agent.ts');

const wineEnv = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all' };
spawnSync('wineserver', ['-p'], { env: wineEnv, stdio: 'ignore' });
let code = 1;
try {
  const host = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/wine/host.ts')], {
    stdio: 'inherit',
    cwd: root,
  });
  code = host.status ?? 1;
  if (host.status === null) fail(`test/wine/host.ts died (${host.signal})`);
} finally {
  spawnSync('wineserver', ['-k'], { env: wineEnv, stdio: 'ignore' });
}
process.exit(code);
