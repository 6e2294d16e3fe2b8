/**
 * Starts gssock's agent (agent.ts) inside Wine under the Windows Node 22 or Bun that
 * scripts/wine/setup.sh prepared in .tmp/wine, one job per process, and reads its JSON
 * result. Wine facts (references §7): paths inside Wine are `Z:\...`; Node under Wine
 * cannot write to a pipe, so the agent writes files and its stdio is ignored here.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AgentJob, AgentResult } from './agent.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const WINE_DIR = process.env.GSSOCK_WINE_DIR ?? join(ROOT, '.tmp', 'wine');
export const PREFIX = join(WINE_DIR, 'prefix');
export const NODE_EXE = join(WINE_DIR, 'rt', 'node', 'bin', 'node.exe');
export const BUN_EXE = join(WINE_DIR, 'rt', 'bun', 'bin', 'bun.exe');
/** The esbuild bundle of agent.ts; koffi resolves from rt/mods/node_modules beside it. */
export const AGENT_BUNDLE = join(WINE_DIR, 'rt', 'mods', 'agent.mjs');
export const SHIM = join(PREFIX, 'drive_c', 'windows', 'system32', 'bcryptprimitives.dll');

export type WinRuntime = 'node' | 'bun';

/** A Unix path as Wine's Z: drive sees it. */
export function winPath(p: string): string {
  return `Z:${resolve(p).replaceAll('/', '\\')}`;
}

/** What is missing for the Wine path (empty when it can run). */
export function missingPieces(): string[] {
  const need: Array<[string, string]> = [
    [PREFIX, 'Wine prefix'],
    [NODE_EXE, 'Windows Node 22'],
    [BUN_EXE, 'Windows Bun'],
    [
      join(WINE_DIR, 'rt', 'mods', 'node_modules', '@koromix', 'koffi-win32-x64', 'win32_x64', 'koffi.node'),
      "koffi's Windows binary",
    ],
    [SHIM, 'bcryptprimitives.dll shim'],
    [AGENT_BUNDLE, 'agent bundle'],
  ];
  return need.filter(([p]) => !existsSync(p)).map(([p, what]) => `${what} (${p})`);
}

export function wineEnv(extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(KRB5|NTLM_|WINE)/.test(k)) base[k] = v;
  return { ...base, WINEPREFIX: PREFIX, WINEDEBUG: process.env.GSSOCK_WINEDEBUG ?? '-all', ...extra };
}

export interface AgentRun {
  result: Promise<AgentResult>;
  /** Resolves with the listening port once a server job is ready. */
  ready(): Promise<void>;
}

let seq = 0;

/** Runs one agent job in Wine; the result promise never rejects (failures become ok: false). */
export function runAgent(
  runtime: WinRuntime,
  job: Omit<AgentJob, 'out' | 'ready'>,
  env: Record<string, string>,
  workDir: string,
  timeoutMs = 120_000,
): AgentRun {
  const id = `${runtime}-${job.mode}-${++seq}`;
  const jobFile = join(workDir, `${id}.job.json`);
  const outFile = join(workDir, `${id}.out.json`);
  const readyFile = join(workDir, `${id}.ready`);
  const full: AgentJob = { ...job, out: winPath(outFile), ready: winPath(readyFile) };
  writeFileSync(jobFile, JSON.stringify(full));
  const args =
    runtime === 'node'
      ? [NODE_EXE, AGENT_BUNDLE, winPath(jobFile)]
      : [BUN_EXE, winPath(join(ROOT, 'test', 'wine', 'agent.ts')), winPath(jobFile)];
  // Files, not pipes, for the Windows process's stdio: Node under Wine fails on pipes
  // and on null handles (EBADF, references §7).
  const logFile = join(workDir, `${id}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn('wine', args, { env: wineEnv(env), stdio: ['ignore', fd, fd], cwd: workDir });
  closeSync(fd);
  const tail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '');
  let exited = false;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const result = new Promise<AgentResult>((res) => {
    child.on('close', (code) => {
      exited = true;
      clearTimeout(timer);
      if (existsSync(outFile)) res(JSON.parse(readFileSync(outFile, 'utf8')) as AgentResult);
      else
        res({
          ok: false,
          runtime,
          error: `the agent wrote no result (wine exited ${code}): ${tail()}`,
          log: [],
        });
    });
  });
  const ready = async () => {
    const until = Date.now() + 60_000;
    while (!existsSync(readyFile)) {
      if (exited) throw new Error(`the agent exited before listening: ${tail()}`);
      if (Date.now() > until) throw new Error('the agent did not listen within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { result, ready };
}
