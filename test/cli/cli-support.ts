/**
 * Shared helpers of the CLI tests: an in-memory CliIo that records what a command
 * writes, and raw TCP pokes for feeding a server bytes no well-behaved client sends.
 */
import { createConnection } from 'node:net';
import type { CliIo } from '../../src/cli/io.ts';
import { main as serverMain } from '../../src/cli/server.ts';

export interface CapturedIo extends CliIo {
  out: string[];
  err: string[];
  readonly stdoutText: string;
  readonly stderrText: string;
}

export function captureIo(env: Record<string, string | undefined> = {}, stdin = ''): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => stdin,
    env,
    cwd: process.cwd(),
    get stdoutText() {
      return out.join('');
    },
    get stderrText() {
      return err.join('');
    },
  };
}

/** Connects, writes `bytes`, and resolves when the server closes the connection (or after `ms`). */
export function poke(port: number, bytes: Uint8Array, ms = 5000): Promise<'closed' | 'timeout'> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, ms);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', () => undefined);
    socket.on('error', (e) => {
      clearTimeout(timer);
      if ((e as NodeJS.ErrnoException).code === 'ECONNRESET') resolve('closed');
      else reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

/**
 * Polls `check` until it returns true (the server logs a connection's end after the client is
 * gone). The deadline is generous on purpose: it only costs time when something is slow (a
 * loaded 2-core CI machine), and a test that fails on load proves nothing.
 */
export async function eventually(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Runs `gssock server` in process on a port the system picks (`-port 0`; a random port can
 * collide with another test's) and resolves once it listens, with that port. If the server
 * ends before listening, rejects at once with what it printed instead of waiting out a
 * deadline.
 */
export async function startServerOnFreePort(
  args: string[],
  io: CapturedIo,
  ms = 30_000,
): Promise<{ port: number; serving: Promise<number> }> {
  let ended: number | undefined;
  const serving = serverMain(['-port', '0', ...args], io);
  serving.then(
    (code) => void (ended = code),
    () => void (ended = -1),
  );
  const until = Date.now() + ms;
  for (;;) {
    const m = /listening on \S+:(\d+)/.exec(io.stderrText);
    if (m) return { port: Number(m[1]), serving };
    if (ended !== undefined)
      throw new Error(`gssock server exited ${ended} before listening:\n${io.stderrText}${io.stdoutText}`);
    if (Date.now() > until) throw new Error('timed out waiting for: gssock server listening');
    await new Promise((r) => setTimeout(r, 5));
  }
}
