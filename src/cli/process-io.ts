/**
 * The real process behind `CliIo`, the same on Node, Deno and Bun. `node:process` exists
 * on all three; on Deno the synchronous `Deno.stdout.writeSync` is preferred (found by
 * feature detection) so nothing written just before exit is lost.
 */
import process from 'node:process';
import { concatBytes } from '../core/bytes.ts';
import type { CliIo } from './io.ts';

interface DenoStdio {
  stdout: { writeSync(p: Uint8Array): number };
  stderr: { writeSync(p: Uint8Array): number };
}

const encoder = new TextEncoder();

function denoStdio(): DenoStdio | undefined {
  const deno = (globalThis as { Deno?: Partial<DenoStdio> }).Deno;
  return deno?.stdout && deno.stderr ? (deno as DenoStdio) : undefined;
}

function writeAllSync(target: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(target.writeSync(bytes));
}

/** Reads standard input to its end; '' when it is a terminal (nothing was piped in). */
async function readAllStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  }
  return new TextDecoder().decode(concatBytes(...chunks));
}

/** A CliIo bound to this process's stdio, environment and working directory. */
export function processIo(): CliIo {
  const deno = denoStdio();
  return {
    stdout: deno ? (text) => writeAllSync(deno.stdout, text) : (text) => void process.stdout.write(text),
    stderr: deno ? (text) => writeAllSync(deno.stderr, text) : (text) => void process.stderr.write(text),
    readStdin: readAllStdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Waits until what was written to stdout/stderr has been handed to the OS, then exits. */
export async function exitAfterFlush(code: number): Promise<never> {
  const flush = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (!stream.writableLength) return resolve();
      stream.write('', () => resolve());
    });
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
}
