/**
 * `connect` / `listen` on whatever runtime this is: Bun (Bun.connect/Bun.listen), Deno
 * (Deno.connect/Deno.listen), else Node's `node:net`. Detection is by feature (the `Bun`
 * and `Deno` globals), and the chosen adapter is loaded by dynamic import, so importing
 * this module loads no runtime-specific code by itself. Used by the CLI.
 */
import type { ByteStream, ConnectOptions, Listener, ListenOptions, StreamHandler } from '../channel.ts';

export type RuntimeName = 'node' | 'deno' | 'bun';

/** The runtime this code runs on. Bun is checked first (it also has `process`). */
export function detectRuntime(): RuntimeName {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return 'bun';
  if (g.Deno !== undefined) return 'deno';
  return 'node';
}

/** Connects over TCP with the running runtime's own socket API. */
export async function connect(options: ConnectOptions): Promise<ByteStream> {
  switch (detectRuntime()) {
    case 'bun':
      return (await import('./bun.ts')).connectBun(options);
    case 'deno':
      return (await import('./deno.ts')).connectDeno(options);
    default:
      return (await import('./node.ts')).connectNode(options);
  }
}

/** Listens on TCP with the running runtime's own socket API. */
export async function listen(options: ListenOptions, onStream: StreamHandler): Promise<Listener> {
  switch (detectRuntime()) {
    case 'bun':
      return (await import('./bun.ts')).listenBun(options, onStream);
    case 'deno':
      return (await import('./deno.ts')).listenDeno(options, onStream);
    default:
      return (await import('./node.ts')).listenNode(options, onStream);
  }
}
