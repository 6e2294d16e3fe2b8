/**
 * `gssock <command>`: the dispatcher. Each command lives in its own module, loaded only
 * when asked for, so a missing or broken command module breaks that command alone.
 * Runs as is on Node (via tsx or the dist build), Deno and Bun:
 *
 *   node --import tsx src/cli/main.ts demo
 *   deno run -A --no-check src/cli/main.ts demo
 *   bun src/cli/main.ts demo
 */
import { readFileSync, realpathSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { toGssockError } from '../core/errors.ts';
import type { CliIo, CommandMain } from './io.ts';
import { EXIT_USAGE } from './io.ts';
import { exitAfterFlush, processIo } from './process-io.ts';
import { MAIN_USAGE } from './usage.ts';

type Loader = () => Promise<CommandMain>;

/** Command name -> lazy loader of its `main(args, io)`. */
export const COMMANDS: Record<string, Loader> = {
  demo: () => import('./demo.ts').then((m) => m.main),
  server: () => import('./server.ts').then((m) => m.main),
  client: () => import('./client.ts').then((m) => m.main),
  spn: () => import('./spn.ts').then((m) => m.main),
  kinit: () => import('./kerberos-tools.ts').then((m) => m.kinit),
  klist: () => import('./kerberos-tools.ts').then((m) => m.klist),
  kvno: () => import('./kerberos-tools.ts').then((m) => m.kvno),
  ktutil: () => import('./kerberos-tools.ts').then((m) => m.ktutil),
  kdc: () => import('./kdc.ts').then((m) => m.main),
};

/** The package version from package.json: two levels up from src/cli, or from a dist chunk. */
export function version(): string {
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'gssock' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next place
    }
  }
  return 'unknown';
}

/** Dispatches `args` (without the program name); returns the exit code. */
export async function main(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    io.stdout(MAIN_USAGE);
    return command === undefined ? EXIT_USAGE : 0;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout(`gssock ${version()}\n`);
    return 0;
  }
  if (command === 'help') {
    const topic = rest[0];
    if (topic !== undefined && COMMANDS[topic]) return main([topic, '--help'], io);
    io.stdout(MAIN_USAGE);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    io.stderr(`gssock: unknown command "${command}"\n${MAIN_USAGE}`);
    return EXIT_USAGE;
  }
  let run: CommandMain;
  try {
    run = await load();
    if (typeof run !== 'function') throw new TypeError(`the module of "${command}" has no main function`);
  } catch (e) {
    io.stderr(`gssock: the "${command}" command is not available: ${toGssockError(e).message}\n`);
    return 1;
  }
  try {
    return await run(rest, io);
  } catch (e) {
    const error = toGssockError(e);
    io.stderr(`gssock ${command}: ${error.code}: ${error.message}\n`);
    return 1;
  }
}

/** Entry point for bin/gssock.mjs and direct runs: real stdio, exit code to the process. */
export async function run(argv: string[] = process.argv.slice(2)): Promise<never> {
  const code = await main(argv, processIo());
  return exitAfterFlush(code);
}

function isEntryModule(): boolean {
  const meta = import.meta as ImportMeta & { main?: boolean };
  if (typeof meta.main === 'boolean') return meta.main;
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryModule()) void run();
