/**
 * A throwaway MIT Kerberos realm on loopback, for interop tests.
 *
 * Theory of operation (references.md §6):
 * 1. A temp folder gets its own krb5.conf and kdc.conf; every MIT tool we start is
 *    pointed at them through KRB5_CONFIG / KRB5_KDC_PROFILE, so /etc/krb5.conf is never read.
 * 2. `kdb5_util create -s` makes the database, `kadmin.local` adds principals
 *    (users get +requires_preauth, like Active Directory).
 * 3. `krb5kdc -n` runs in the foreground as our child on 127.0.0.1 at a random high port
 *    (UDP and TCP); on a port clash it exits and we retry with another port.
 * 4. `stop()` kills the KDC and removes the folder; an exit hook kills it too if a test
 *    forgets, so no krb5kdc outlives the test process.
 *
 * Only node:child_process, node:fs, node:net, node:os and node:path: works on Node,
 * Deno and Bun.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface MitPrincipalOptions {
  /** Password key(s); omit with `randkey: true` for services. */
  password?: string;
  randkey?: boolean;
  /** Default true for password principals (AD-like), false for randkey ones. */
  requiresPreauth?: boolean;
  /** Restrict the principal's keys, e.g. ['aes256-cts-hmac-sha1-96']; default: the realm's. */
  enctypes?: string[];
}

export interface MitRealmOptions {
  realm?: string;
  /** supported_enctypes of the realm (names without ':normal'). Default: see DEFAULT_ENCTYPES. */
  enctypes?: string[];
  /** Sets allow_rc4 and lets arcfour-hmac be used by the MIT tools (Debian refuses it otherwise). */
  allowRc4?: boolean;
  /** Principals to create before the KDC starts. */
  principals?: Record<string, MitPrincipalOptions>;
  /** Extra [libdefaults] lines for krb5.conf. */
  libdefaults?: Record<string, string>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export interface MitRealm {
  realm: string;
  dir: string;
  /** KRB5_CONFIG, KRB5_KDC_PROFILE, KRB5CCNAME, KRB5RCACHEDIR, KRB5RCACHETYPE. */
  env: Record<string, string>;
  kdcPort: number;
  /** Process id of the running krb5kdc. */
  kdcPid: number;
  krb5ConfPath: string;
  kdcConfPath: string;
  ccachePath: string;
  addPrincipal(name: string, options?: MitPrincipalOptions): Promise<void>;
  /** Exports keys to a keytab. Without enctypes the keys are kept (-norandkey); with
   *  enctypes the principal is re-keyed to exactly those (ktadd -e), bumping its kvno. */
  ktadd(principal: string, keytabFile: string, enctypes?: string[]): Promise<void>;
  /** Runs an MIT tool (or anything) with the realm's environment. Throws only on spawn failure. */
  run(cmd: string, args: string[], options?: RunOptions): Promise<RunResult>;
  /** Like run, but throws with stderr when the exit code is not 0. */
  runOk(cmd: string, args: string[], options?: RunOptions): Promise<RunResult>;
  stop(): Promise<void>;
}

/** MIT's names (krb5.conf(5) "Encryption types") of the enctypes gssock implements, by number. */
export const MIT_ENCTYPE_NAMES: ReadonlyArray<readonly [etype: number, name: string]> = [
  [17, 'aes128-cts-hmac-sha1-96'],
  [18, 'aes256-cts-hmac-sha1-96'],
  [19, 'aes128-cts-hmac-sha256-128'],
  [20, 'aes256-cts-hmac-sha384-192'],
  [23, 'arcfour-hmac'],
];

export const DEFAULT_ENCTYPES = [
  'aes256-cts-hmac-sha1-96',
  'aes128-cts-hmac-sha1-96',
  'aes256-cts-hmac-sha384-192',
  'aes128-cts-hmac-sha256-128',
  'arcfour-hmac',
];

const MIT_TOOLS = ['krb5kdc', 'kdb5_util', 'kadmin.local', 'kinit', 'klist', 'kvno'] as const;
const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin'];

/** Full path of an MIT tool, searching PATH and the sbin folders (often not on PATH). */
export function findMitTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN_DIRS];
  for (const d of dirs) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** The MIT tools that are missing (empty when the realm can run). */
export function missingMitTools(): string[] {
  return MIT_TOOLS.filter((t) => findMitTool(t) === undefined);
}

/**
 * For `it(name, { skip: mitSkip() }, fn)`: false when MIT is installed; otherwise a loud
 * skip reason, or (with CI set) a thrown error so CI fails instead of silently skipping.
 */
export function mitSkip(): string | false {
  const missing = missingMitTools();
  if (missing.length === 0) return false;
  const reason = `MIT krb5 not installed (missing ${missing.join(', ')}): apt-get install krb5-kdc krb5-admin-server krb5-user`;
  if (process.env.CI) throw new Error(`CI requires MIT krb5: ${reason}`);
  return `SKIPPED LOUDLY: ${reason}`;
}

/** `it`/`describe` options: run, or skip loudly outside CI (mitSkip throws in CI when MIT is missing). */
export function mitOnly(): { skip?: string } {
  const reason = mitSkip();
  return reason ? { skip: reason } : {};
}
/** Test-context style: `if (!requireMit(t)) return;` skips the test (or fails in CI). */
export function requireMit(t?: { skip?: (reason?: string) => void }): boolean {
  const reason = mitSkip();
  if (reason === false) return true;
  t?.skip?.(reason);
  return false;
}

const toolEnvKeys = /^(KRB5|KPROP|KDC_)/;

function runProcess(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const base: Record<string, string> = {};
    // Never let the caller's Kerberos environment leak into the realm's tools.
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !toolEnvKeys.test(k)) base[k] = v;
    for (const [k, v] of Object.entries({ ...env, ...options.env })) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    const resolved = cmd.includes('/') ? cmd : (findMitTool(cmd) ?? cmd);
    const child = spawn(resolved, args, { env: base, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => (stdout += d));
    child.stderr!.on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.input ?? '');
  });
}

function krb5Conf(realm: string, port: number, opts: MitRealmOptions, enctypes: string[]): string {
  const permitted = enctypes.join(' ');
  const extra = Object.entries(opts.libdefaults ?? {})
    .map(([k, v]) => `  ${k} = ${v}\n`)
    .join('');
  return `[libdefaults]
  default_realm = ${realm}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  qualify_shortname = ""
  forwardable = true
  udp_preference_limit = 1465
  permitted_enctypes = ${permitted}
  default_tgs_enctypes = ${permitted}
  default_tkt_enctypes = ${permitted}
${opts.allowRc4 ? '  allow_rc4 = true\n' : ''}${extra}
[realms]
  ${realm} = {
    kdc = 127.0.0.1:${port}
    admin_server = 127.0.0.1:${port + 1}
  }

[domain_realm]
  localhost = ${realm}
  .localhost = ${realm}
`;
}

function kdcConf(realm: string, dir: string, port: number, enctypes: string[]): string {
  return `[kdcdefaults]
  kdc_listen = 127.0.0.1:${port}
  kdc_tcp_listen = 127.0.0.1:${port}

[realms]
  ${realm} = {
    database_name = ${join(dir, 'principal')}
    key_stash_file = ${join(dir, 'stash')}
    acl_file = ${join(dir, 'kadm5.acl')}
    kdc_listen = 127.0.0.1:${port}
    kdc_tcp_listen = 127.0.0.1:${port}
    max_life = 10h 0m 0s
    max_renewable_life = 7d 0h 0m 0s
    supported_enctypes = ${enctypes.map((e) => `${e}:normal`).join(' ')}
  }

[logging]
  kdc = FILE:${join(dir, 'kdc.log')}
  admin_server = FILE:${join(dir, 'kadmin.log')}
  default = FILE:${join(dir, 'krb5lib.log')}
`;
}

/** kadmin.local quoting: one -q argument, principal names contain no spaces or quotes. */
function checkName(name: string): string {
  if (!/^[A-Za-z0-9._\-/@$]+$/.test(name)) throw new Error(`unsafe principal name for kadmin: ${name}`);
  return name;
}

const liveKdcs = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;
/** Best effort for tests that never call stop(): runs on a normal exit, not on SIGKILL. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of liveKdcs) c.kill('SIGKILL');
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  });
}

function probeTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(500, () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startMitRealm(options: MitRealmOptions = {}): Promise<MitRealm> {
  const skip = mitSkip();
  if (skip) throw new Error(skip);
  const realm = options.realm ?? 'EXAMPLE.TEST';
  const enctypes = options.enctypes ?? DEFAULT_ENCTYPES;
  const dir = mkdtempSync(join(tmpdir(), 'gssock-mit-'));
  liveDirs.add(dir);
  installExitHook();
  const krb5ConfPath = join(dir, 'krb5.conf');
  const kdcConfPath = join(dir, 'kdc.conf');
  const ccachePath = join(dir, 'ccache');
  const env: Record<string, string> = {
    KRB5_CONFIG: krb5ConfPath,
    KRB5_KDC_PROFILE: kdcConfPath,
    KRB5CCNAME: `FILE:${ccachePath}`,
    KRB5RCACHEDIR: dir,
    KRB5RCACHETYPE: 'none',
    KRB5_KTNAME: `FILE:${join(dir, 'default.keytab')}`,
  };
  const run = (cmd: string, args: string[], o?: RunOptions) => runProcess(cmd, args, env, o);
  const runOk = async (cmd: string, args: string[], o?: RunOptions) => {
    const r = await run(cmd, args, o);
    if (r.code !== 0)
      throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
    return r;
  };
  const kadmin = (query: string) => runOk('kadmin.local', ['-r', realm, '-q', query]);
  const writeConfs = (port: number) => {
    writeFileSync(krb5ConfPath, krb5Conf(realm, port, options, enctypes));
    writeFileSync(kdcConfPath, kdcConf(realm, dir, port, enctypes));
  };

  let kdc: ChildProcess | undefined;
  let kdcPort = 0;
  try {
    writeFileSync(join(dir, 'kadm5.acl'), '');
    writeConfs(0);
    await runOk('kdb5_util', ['create', '-s', '-r', realm, '-P', 'master-password-not-secret']);

    const addPrincipal = async (name: string, p: MitPrincipalOptions = {}) => {
      const parts = ['addprinc'];
      if (p.randkey || p.password === undefined) parts.push('-randkey');
      else parts.push('-pw', JSON.stringify(p.password));
      if (p.requiresPreauth ?? p.password !== undefined) parts.push('+requires_preauth');
      if (p.enctypes?.length) parts.push('-e', `"${p.enctypes.map((e) => `${e}:normal`).join(',')}"`);
      parts.push(checkName(name));
      const r = await kadmin(parts.join(' '));
      // kadmin.local exits 0 even when the query fails; it says so on stderr.
      if (/add_principal: |error|failed/i.test(r.stderr))
        throw new Error(`addprinc ${name}: ${r.stderr.trim()}`);
    };
    for (const [name, p] of Object.entries(options.principals ?? {})) await addPrincipal(name, p);

    // Start the KDC on a random high port; retry when the port is taken.
    for (let attempt = 0; attempt < 8 && !kdc; attempt++) {
      const port = 10000 + Math.floor(Math.random() * 22000);
      writeConfs(port);
      const child = spawn(findMitTool('krb5kdc')!, ['-r', realm, '-n', '-P', join(dir, 'krb5kdc.pid')], {
        env: {
          ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !toolEnvKeys.test(k))),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let exited = false;
      let output = '';
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      child.on('exit', () => {
        exited = true;
        liveKdcs.delete(child);
      });
      liveKdcs.add(child);
      installExitHook();
      const deadline = Date.now() + 5000;
      let ready = false;
      while (!exited && Date.now() < deadline) {
        if (await probeTcp(port)) {
          ready = true;
          break;
        }
        await sleep(20);
      }
      if (ready && !exited) {
        kdc = child;
        kdcPort = port;
      } else {
        child.kill('SIGKILL');
        if (attempt === 7) {
          const log = existsSync(join(dir, 'kdc.log')) ? readFileSync(join(dir, 'kdc.log'), 'utf8') : '';
          throw new Error(`krb5kdc did not start: ${output}${log}`);
        }
      }
    }

    const ktadd = async (principal: string, keytabFile: string, ktEnctypes?: string[]) => {
      const q = ktEnctypes?.length
        ? `ktadd -k ${keytabFile} -e "${ktEnctypes.map((e) => `${e}:normal`).join(',')}" ${checkName(principal)}`
        : `ktadd -k ${keytabFile} -norandkey ${checkName(principal)}`;
      if (/\s/.test(keytabFile)) throw new Error('keytab path must not contain spaces');
      const r = await kadmin(q);
      if (/ktadd: |error|failed/i.test(r.stderr)) throw new Error(`ktadd ${principal}: ${r.stderr.trim()}`);
    };

    const running = kdc!;
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      if (running.exitCode === null && running.signalCode === null) {
        const gone = new Promise<void>((r) => running.once('exit', () => r()));
        running.kill('SIGTERM');
        const timer = setTimeout(() => running.kill('SIGKILL'), 2000);
        await gone;
        clearTimeout(timer);
      }
      liveKdcs.delete(running);
      rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    };

    return {
      realm,
      dir,
      env,
      kdcPort,
      kdcPid: running.pid!,
      krb5ConfPath,
      kdcConfPath,
      ccachePath,
      addPrincipal,
      ktadd,
      run,
      runOk,
      stop,
    };
  } catch (e) {
    if (kdc) kdc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
    throw e;
  }
}
