/**
 * A throwaway MIT realm for the SPNEGO interop tests (test/support/mit-realm.ts): alice
 * (password, kinit'd), host/localhost and HTTP/localhost in a keytab, plus an
 * NTLM_USER_FILE with one NTLM account for gss-ntlmssp and gssock's NTLM (references.md §6).
 * Also the MIT gss-sample runners: a background gss-server and a gss-client to completion.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MitRealm, mitSkip, startMitRealm } from '../support/mit-realm.ts';

export const NTLM_USER = 'TESTDOM\\ntlmuser';
export const NTLM_PASSWORD = 'ntlm-password';

export interface SpnegoRealm {
  realm: MitRealm;
  keytab: string;
  /** KRB5_CONFIG, KRB5CCNAME (alice's TGT), KRB5_KTNAME, NTLM_USER_FILE. */
  env: Record<string, string>;
  /** The same without any Kerberos initiator credentials (KRB5CCNAME names no file). */
  noKerberosEnv: Record<string, string>;
}

export async function startSpnegoRealm(): Promise<SpnegoRealm> {
  const realm = await startMitRealm({
    principals: {
      alice: { password: 'alice-password' },
      'host/localhost': { randkey: true },
      'HTTP/localhost': { randkey: true },
    },
  });
  const keytab = join(realm.dir, 'services.keytab');
  await realm.ktadd('host/localhost', keytab);
  await realm.ktadd('HTTP/localhost', keytab);
  await realm.runOk('kinit', ['alice'], { input: 'alice-password\n' });
  const userFile = join(realm.dir, 'ntlm-users');
  writeFileSync(userFile, `${NTLM_USER.replace('\\', ':')}:${NTLM_PASSWORD}\n`);
  const env = { ...realm.env, KRB5_KTNAME: `FILE:${keytab}`, NTLM_USER_FILE: userFile };
  const noKerberosEnv = { ...env, KRB5CCNAME: `FILE:${join(realm.dir, 'no-such-ccache')}` };
  return { realm, keytab, env, noKerberosEnv };
}

/** `it` options: run, or skip loudly outside CI (mitSkip throws in CI when MIT is missing). */
export function mitOnly(): { skip?: string } {
  const reason = mitSkip();
  return reason ? { skip: reason } : {};
}

export const randomPort = () => 10000 + Math.floor(Math.random() * 22000);

function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(KRB5|NTLM_)/.test(k)) out[k] = v;
  return { ...out, ...extra };
}

export interface Finished {
  code: number;
  output: string;
}

/** Runs a program to its end, stdout and stderr together (killed after `timeoutMs`). */
export function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** MIT gss-server -once in the background (stdout line-buffered through stdbuf). */
export function startMitServer(port: number, args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(
    'stdbuf',
    ['-oL', 'gss-server', '-port', String(port), '-once', ...args],
    {
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
  return {
    get output() {
      return output;
    },
    /** The exit code, or -1 if it has not ended within `ms`. */
    done: (ms = 5000) => Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), ms))]),
    kill: () => child.kill('SIGKILL'),
  };
}
