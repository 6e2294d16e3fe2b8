/**
 * gss-ntlmssp under MIT's gss-sample programs (references.md §6): users in NTLM_USER_FILE,
 * the mechanism selected with the brace OID, `-q` on gss-client. Node APIs only, so the
 * helpers run on Node, Deno and Bun.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NTLM_MECH_BRACES = '{ 1 3 6 1 4 1 311 2 2 10 }';

/** Why gss-ntlmssp under MIT cannot run here, or undefined when it can. */
export function gssNtlmsspMissing(): string | undefined {
  const tools = ['gss-client', 'gss-server'].filter(
    (t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0,
  );
  if (tools.length) return `MIT ${tools.join(' and ')} not installed (apt install krb5-gss-samples)`;
  const dir = '/etc/gss/mech.d';
  const registered =
    existsSync(dir) &&
    readdirSync(dir).some((f) => readFileSync(join(dir, f), 'utf8').includes('1.3.6.1.4.1.311.2.2.10'));
  if (!registered) return 'gss-ntlmssp is not registered in /etc/gss/mech.d (apt install gss-ntlmssp)';
  return undefined;
}

/** `it` options: run; skip loudly outside CI; in CI a missing peer throws (the test fails). */
export function ntlmInteropOnly(): { skip?: string } {
  const missing = gssNtlmsspMissing();
  if (!missing) return {};
  if (process.env.CI) throw new Error(`CI is set but the NTLM interop peer is missing: ${missing}`);
  return { skip: `SKIPPED OUTSIDE CI: ${missing}` };
}

export interface NtlmPeerEnv {
  dir: string;
  env: Record<string, string>;
  remove(): void;
}

/** A temp folder with an NTLM_USER_FILE; no Kerberos config is read (KRB5_CONFIG=/dev/null). */
export function ntlmPeerEnv(lines: string[]): NtlmPeerEnv {
  const dir = mkdtempSync(join(tmpdir(), 'gssock-ntlm-'));
  const file = join(dir, 'ntlm-users');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return {
    dir,
    env: { NTLM_USER_FILE: file, KRB5_CONFIG: '/dev/null', KRB5RCACHETYPE: 'none' },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function randomPort(): number {
  return 10000 + Math.floor(Math.random() * 22000);
}

function baseEnv(extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(KRB5|NTLM_)/.test(k)) out[k] = v;
  return { ...out, ...extra };
}

export interface Program {
  readonly output: string;
  done(): Promise<number>;
  kill(): void;
}

/** Starts a program, collecting stdout and stderr; killed after `timeoutMs`. */
export function startProgram(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 15_000,
): Program {
  const child = spawn(cmd, args, { env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number>((r) => {
    child.on('close', (code) => r(code ?? 1));
    child.on('error', () => r(127));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return {
    get output() {
      return output;
    },
    async done() {
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill() {
      clearTimeout(timer);
      child.kill('SIGKILL');
    },
  };
}
