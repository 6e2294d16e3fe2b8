/**
 * Child processes for the interop tests (MIT gss-sample, klist, curl): a clean
 * environment, a program run to its end, and a background MIT gss-server. Only
 * node:child_process, so the same helpers run on Node, Deno and Bun.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Below Linux's ephemeral range (32768-60999), so a listener never meets a client's local port. */
export function randomPort(): number {
  return 10000 + Math.floor(Math.random() * 22000);
}

/**
 * The process environment without the caller's own Kerberos (KRB5*) and NTLM (NTLM_*)
 * settings, plus `extra`: a test names every credential its programs use.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(KRB5|NTLM_)/.test(k)) out[k] = v;
  return { ...out, ...extra };
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, in the order they arrived. */
  output: string;
}

/** Runs a program to its end (killed after `timeoutMs`). */
export function runProgram(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      output += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      output += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr, output });
    });
  });
}

export interface MitGssServer {
  /** stdout and stderr together so far. */
  readonly output: string;
  /** The exit code; -1 when it has not ended within `ms` (without `ms`, waits for the end). */
  done(ms?: number): Promise<number>;
  /**
   * Resolves true once the port is in LISTEN state (read from /proc/net/tcp{,6}: a probe
   * connection would be the one connection a -once server serves), false if the server
   * ended first or `ms` passed.
   */
  listening(ms?: number): Promise<boolean>;
  kill(): void;
}

/** Whether something listens on TCP `port` (Linux /proc; the MIT peers only run there). */
function portListening(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    // Columns: sl local_address rem_address st ...; st 0A is LISTEN.
    for (const line of text.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hex) && cols[3] === '0A') return true;
    }
  }
  return false;
}

/**
 * MIT gss-server -once in the background (stdout line-buffered through stdbuf), its output
 * collected; killed after `timeoutMs` so a stuck one cannot outlive its test.
 */
export function startMitGssServer(
  port: number,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): MitGssServer {
  const child = spawn('stdbuf', ['-oL', 'gss-server', '-port', String(port), '-once', ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let ended = false;
  const exited = new Promise<number>((r) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      ended = true;
      r(code ?? 1);
    }),
  );
  return {
    get output() {
      return output;
    },
    done: (ms) =>
      ms === undefined
        ? exited
        : Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), ms))]),
    listening: async (ms = 20_000) => {
      const until = Date.now() + ms;
      while (!ended && Date.now() < until) {
        if (portListening(port)) return true;
        await new Promise((r) => setTimeout(r, 10));
      }
      return false;
    },
    kill: () => child.kill('SIGKILL'),
  };
}
