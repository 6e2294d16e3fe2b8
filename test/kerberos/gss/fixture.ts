/**
 * One throwaway MIT realm per test file (test/support/mit-realm.ts), set up the way the
 * Kerberos GSS tests need it: alice (password, +requires_preauth, forwardable TGT via MIT
 * kinit), host/localhost with every enctype, one service per enctype (svc17 ... svc23,
 * keys of that enctype only, so the KDC issues that session key), and keytabs.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MitRealm, mitSkip, startMitRealm } from '../../support/mit-realm.ts';

export const ENCTYPE_NAMES: Record<number, string> = {
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'arcfour-hmac',
};
export const ENCTYPES = [17, 18, 19, 20, 23];

export interface KerberosRealm {
  realm: MitRealm;
  /** host/localhost keys (every enctype). */
  hostKeytab: string;
  /** Every service's keys (host, svcNN, other). */
  allKeytab: string;
  /** other/localhost only. */
  otherKeytab: string;
  /** Environment for MIT tools and the CLI (KRB5_CONFIG, KRB5CCNAME, KRB5_KTNAME, ...). */
  env: Record<string, string>;
  ccacheBytes(): Uint8Array;
  read(path: string): Uint8Array;
}

export async function startKerberosRealm(): Promise<KerberosRealm> {
  const principals: Record<string, { password?: string; randkey?: boolean; enctypes?: string[] }> = {
    alice: { password: 'alice-password' },
    'host/localhost': { randkey: true },
    'other/localhost': { randkey: true },
    // Never in MIT's ccache: tests fetch it with our own TGS client.
    'fresh/localhost': { randkey: true },
  };
  for (const e of ENCTYPES)
    principals[`svc${e}/localhost`] = { randkey: true, enctypes: [ENCTYPE_NAMES[e]!] };
  const realm = await startMitRealm({ allowRc4: true, principals });
  const hostKeytab = join(realm.dir, 'host.keytab');
  const allKeytab = join(realm.dir, 'all.keytab');
  const otherKeytab = join(realm.dir, 'other.keytab');
  await realm.ktadd('host/localhost', hostKeytab);
  await realm.ktadd('other/localhost', otherKeytab);
  for (const p of [
    'host/localhost',
    'other/localhost',
    'fresh/localhost',
    ...ENCTYPES.map((e) => `svc${e}/localhost`),
  ])
    await realm.ktadd(p, allKeytab);
  // MIT 1.20 picks service session keys from the principal's session_enctypes attribute
  // (default aes256-cts-hmac-sha1-96), not from the key it has: pin it per service.
  for (const e of ENCTYPES) {
    const r = await realm.runOk('kadmin.local', [
      '-r',
      realm.realm,
      '-q',
      `setstr svc${e}/localhost session_enctypes ${ENCTYPE_NAMES[e]}`,
    ]);
    if (/error|fail/i.test(r.stderr)) throw new Error(`setstr svc${e}: ${r.stderr}`);
  }
  await realm.runOk('kinit', ['-f', 'alice'], { input: 'alice-password\n' });
  await realm.runOk('kvno', [
    'host/localhost',
    'other/localhost',
    ...ENCTYPES.map((e) => `svc${e}/localhost`),
  ]);
  const env = { ...realm.env, KRB5_KTNAME: `FILE:${hostKeytab}` };
  const read = (p: string) => new Uint8Array(readFileSync(p));
  return { realm, hostKeytab, allKeytab, otherKeytab, env, ccacheBytes: () => read(realm.ccachePath), read };
}

/** `it` options: run, or skip loudly outside CI (mitSkip throws in CI when MIT is missing). */
export function mitOnly(): { skip?: string } {
  const reason = mitSkip();
  return reason ? { skip: reason } : {};
}

/** Below Linux's ephemeral range (32768-60999), so a listener never meets a client's local port. */
export function randomPort(): number {
  return 10000 + Math.floor(Math.random() * 22000);
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (killed after `timeoutMs`). */
export function runProgram(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** The process environment without the caller's own Kerberos settings. */
export function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^KRB5/.test(k)) out[k] = v;
  return out;
}

/** A background MIT gss-server (`-once`), its output collected. */
export function startMitGssServer(port: number, args: string[], env: Record<string, string>) {
  const child = spawn('stdbuf', ['-oL', 'gss-server', '-port', String(port), '-once', ...args], {
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return {
    get output() {
      return output;
    },
    async done(): Promise<number> {
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}
