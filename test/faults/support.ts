/**
 * Helpers for the fault tests: raw peers on loopback, a mechanism that counts live
 * contexts, and an open-handle check.
 *
 * Open handles, per runtime:
 * - Node: `process.getActiveResourcesInfo()` lists TCPSocketWrap / TCPServerWrap / UDPWrap /
 *   Timeout handles: their counts must come back to where they were.
 * - Deno 2: `Deno.resources()` is gone; its node:process `getActiveResourcesInfo()` lists the
 *   node:net / node:dgram handles and timers (not Deno.listen/Deno.connect resources, which
 *   the Deno adapter uses): we check those, and for the adapter's own sockets rely on the
 *   proxies below.
 * - Bun: `getActiveResourcesInfo()` always returns [] so only the proxies apply.
 * Proxies that hold on every runtime: the raw peer sees the server close its socket (EOF or
 * reset) within the deadline; `server.stats()` shows nothing open, queued or handshaking;
 * every security context created was disposed (`trackedMechanism`).
 */
import assert from 'node:assert/strict';
import { connect as netConnect, type Socket } from 'node:net';
import type { Mechanism, SecurityContext } from '../../src/core/mechanism.ts';
import { connect } from '../../src/transport/adapters/auto.ts';
import type { FrameChannel } from '../../src/transport/channel.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/u32be.ts';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A mechanism whose contexts are counted: `live()` is created minus disposed. */
export function trackedMechanism(inner: Mechanism): Mechanism & { live(): number; created(): number } {
  let created = 0;
  let disposed = 0;
  return {
    name: inner.name,
    oid: inner.oid,
    live: () => created - disposed,
    created: () => created,
    async createContext(role, options) {
      const ctx: SecurityContext = await inner.createContext(role, options);
      created++;
      let gone = false;
      const dispose = ctx.dispose.bind(ctx);
      ctx.dispose = () => {
        if (!gone) disposed++;
        gone = true;
        dispose();
      };
      return ctx;
    },
  };
}

const WATCHED = ['TCPSocketWrap', 'TCPServerWrap', 'UDPWrap', 'Timeout', 'ConnectWrap'];

/** Counts of the watched handle kinds, where the runtime can tell (Node, Deno); else null. */
export function handleCounts(): Record<string, number> | null {
  const info = (globalThis as { Bun?: unknown }).Bun ? undefined : globalThis.process?.getActiveResourcesInfo;
  if (typeof info !== 'function') return null;
  const counts: Record<string, number> = {};
  for (const kind of WATCHED) counts[kind] = 0;
  for (const kind of info.call(globalThis.process)) if (kind in counts) counts[kind]! += 1;
  return counts;
}

/**
 * Deno's adapter close() races pending writes against a 2 s timer it never clears
 * (src/transport/adapters/deno.ts, reported): on Deno a Timeout may outlive a close by 2 s.
 */
const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;
export const DENO_CLOSE_TIMER_MS = 2000;

/** Waits (up to `ms`) until no watched handle kind has more handles than in `before`. */
export async function assertNoNewHandles(
  before: Record<string, number> | null,
  ms = isDeno ? DENO_CLOSE_TIMER_MS + 500 : 1000,
): Promise<void> {
  if (before === null) return;
  const until = Date.now() + ms;
  for (;;) {
    const now: Record<string, number> = handleCounts() ?? {};
    const extra: [string, number][] = Object.entries(now).filter(([k, n]) => n > (before[k] ?? 0));
    if (extra.length === 0) return;
    if (Date.now() > until)
      assert.fail(`handles left behind: ${JSON.stringify(extra)} (before ${JSON.stringify(before)})`);
    await sleep(20);
  }
}

/** A raw TCP peer: writes what it is told, records what it receives and when it is closed. */
export interface RawPeer {
  socket: Socket;
  received(): Uint8Array;
  /** Resolves with ms since connect when the server closed (EOF, reset or close). */
  closed: Promise<number>;
  write(bytes: Uint8Array): Promise<void>;
  destroy(): void;
}

export async function rawPeer(port: number): Promise<RawPeer> {
  const socket = netConnect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  const chunks: Uint8Array[] = [];
  const started = Date.now();
  socket.on('data', (d: Uint8Array) => chunks.push(new Uint8Array(d)));
  const closed = new Promise<number>((resolve) => {
    const done = () => resolve(Date.now() - started);
    socket.once('end', done);
    socket.once('close', done);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    closed,
    received: () => concat(chunks),
    write: (bytes) =>
      new Promise<void>((resolve, reject) => socket.write(bytes, (e) => (e ? reject(e) : resolve()))),
    destroy: () => socket.destroy(),
  };
}

/** A framed client channel to the server (the adapter of this runtime, u32be framing). */
export async function clientChannel(port: number): Promise<FrameChannel> {
  return frameChannel(await connect({ host: '127.0.0.1', port }), u32be());
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A u32be frame: 4-byte big-endian length then the body. */
export function frame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** Polls `predicate` until true or `ms` pass (then fails with `what`). */
export async function waitFor(predicate: () => boolean, what: string, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
