// Helpers for the KDC tests: run an MIT tool asynchronously (the in-process KDC shares
// this event loop, so spawnSync would starve it) and start a long-running one.
import { type ChildProcess, spawn } from 'node:child_process';
import { findMitTool } from '../support/mit-realm.ts';

export interface ToolResult {
  code: number;
  output: string;
}

const kerberosEnv = /^(KRB5|KPROP|KDC_)/;

/** The process environment without the caller's Kerberos settings, plus `env`. */
export function toolEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !kerberosEnv.test(k)) out[k] = v;
  return { ...out, ...env };
}

export function runTool(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  input = '',
  timeoutMs = 20_000,
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(findMitTool(cmd) ?? cmd, args, { env: toolEnv(env) });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** Starts a long-running tool; resolves once `ready` appears in its output (or after `waitMs`). */
export function startTool(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  ready: string,
  waitMs = 3000,
): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: toolEnv(env) });
    let output = '';
    const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
    const done = () => {
      clearTimeout(timer);
      resolve({ child, output: () => output, exited });
    };
    const timer = setTimeout(done, waitMs);
    const onData = (d: unknown) => {
      output += String(d);
      if (output.includes(ready)) done();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
  });
}
