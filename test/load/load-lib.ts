/**
 * The load harness behind `npm run load` (scripts/load.mjs) and the 200-client tests:
 * a serve() echo server for a mechanism, N concurrent clients that each connect,
 * authenticate (mutual), send one sealed message and read its echo, and the figures:
 * handshakes per second, p50/p99 latency, failures, the server's peak RSS.
 *
 * Kerberos uses the gssock KDC (createTestRealm): the server holds the service keytab and
 * a replay cache (the default memory one: every AP-REQ is checked and stored); the clients
 * share one mechanism holding alice's TGT, warmed by one handshake, so the service ticket
 * comes from ONE TGS exchange and the N clients send N AP-REQs with it.
 */
import type { Mechanism } from '../../src/core/mechanism.ts';
import { initiate } from '../../src/engine/initiate.ts';
import { kerberos } from '../../src/providers/kerberos/gss/mechanism.ts';
import type { KdcClientOptions } from '../../src/providers/kerberos/kdc/kdc-client.ts';
import { mock } from '../../src/providers/mock/index.ts';
import { MemoryCredentialStore } from '../../src/providers/ntlm/credential-store.ts';
import { ntlm } from '../../src/providers/ntlm/mechanism.ts';
import { type Server, serve } from '../../src/server/index.ts';
import type { ServerLimits } from '../../src/server/limits.ts';
import { createTestRealm, type TestRealm } from '../../src/testing/kerberos.ts';
import { connect as autoConnect, detectRuntime } from '../../src/transport/adapters/auto.ts';
import type { ByteStream, ConnectOptions } from '../../src/transport/channel.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/u32be.ts';

export type MechName = 'kerberos' | 'mock' | 'ntlm';
export const MECHS: MechName[] = ['kerberos', 'mock', 'ntlm'];

/** What a client needs to authenticate to the server (JSON: it crosses processes). */
export interface ClientInfo {
  mech: MechName;
  port: number;
  target: string;
  /** Kerberos: alice's ccache (hex) and where the KDC listens. */
  ccache?: string;
  kdc?: { host: string; port: number };
}

const MOCK_SECRET = 'load-test-secret';
const NTLM_USER = { user: 'alice', domain: 'LOAD', password: 'load-password' };
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => new Uint8Array(s.match(/../g)!.map((x) => Number.parseInt(x, 16)));

export interface LoadServer {
  server: Server;
  info: ClientInfo;
  stop(): Promise<void>;
}

/** Starts the echo server for `mech` on loopback (Kerberos: with a realm whose KDC listens). */
export async function startLoadServer(
  mech: MechName,
  limits: Partial<ServerLimits> = {},
): Promise<LoadServer> {
  let realm: TestRealm | undefined;
  let mechanism: Mechanism;
  let target = 'host/server@MOCK';
  const extra: Partial<ClientInfo> = {};
  if (mech === 'kerberos') {
    realm = await createTestRealm({ listen: true });
    mechanism = kerberos({ keytab: realm.service.keytab });
    target = realm.service.target;
    extra.ccache = hex(realm.user.ccache);
    extra.kdc = realm.kdc.address!;
  } else if (mech === 'ntlm') {
    mechanism = ntlm({ credentials: new MemoryCredentialStore([NTLM_USER]), warn: () => undefined });
    target = 'host@server';
  } else mechanism = mock({ secret: MOCK_SECRET });
  const server = await serve({
    mechanism,
    listen: { port: 0 },
    limits,
    onSession: async (session) => {
      for await (const m of session) await session.send(m);
    },
  });
  return {
    server,
    info: { mech, port: server.port, target, ...extra },
    async stop() {
      await server.close();
      await realm?.stop();
    },
  };
}

/** The client mechanism for `info` (Kerberos: over the network KDC transport). */
export async function clientMechanism(info: ClientInfo): Promise<Mechanism> {
  if (info.mech === 'mock') return mock({ secret: MOCK_SECRET });
  if (info.mech === 'ntlm') return ntlm(NTLM_USER);
  const { createNetTransport } = await import('../../src/providers/kerberos/kdc/net-transport.ts');
  const kdc: KdcClientOptions = {
    transport: createNetTransport(),
    kdcs: [{ host: info.kdc!.host, port: info.kdc!.port, protocol: 'tcp' }],
  };
  return kerberos({ ccache: unhex(info.ccache!), kdc });
}

export interface ClientResult {
  clients: number;
  established: number;
  failures: number;
  /** Error codes of the failures, counted. */
  errors: Record<string, number>;
  wallMs: number;
  /** Handshakes completed per second over the wall time. */
  rate: number;
  /** Connect-to-established latency, ms. */
  p50: number;
  p99: number;
  max: number;
}

/**
 * This runtime's connect, loaded once. auto.ts's connect() runs `await import(adapter)` on
 * every call; under tsx on Node each such import is a round trip to the loader's hooks
 * thread (it shows in CPU profiles of 1,000 concurrent connects). Built code (dist) pays
 * much less for it, so the load tool does not measure it.
 */
let connectOnce: Promise<(o: ConnectOptions) => Promise<ByteStream>> | undefined;
function connect(o: ConnectOptions): Promise<ByteStream> {
  connectOnce ??= (async () => {
    switch (detectRuntime()) {
      case 'bun':
        return (await import('../../src/transport/adapters/bun.ts')).connectBun;
      case 'deno':
        return (await import('../../src/transport/adapters/deno.ts')).connectDeno;
      default:
        return (await import('../../src/transport/adapters/node.ts')).connectNode;
    }
  })().catch(() => autoConnect);
  return connectOnce.then((c) => c(o));
}

/** One client: connect, authenticate, one sealed message echoed, close. Returns its latency. */
async function oneClient(info: ClientInfo, mechanism: Mechanism, timeoutMs: number): Promise<number> {
  const started = performance.now();
  const channel = frameChannel(await connect({ host: '127.0.0.1', port: info.port }), u32be());
  // NTLM cannot prove the server (no mutual authentication): do not require it there.
  const session = await initiate({
    mechanism,
    channel,
    target: info.target,
    timeoutMs,
    ...(info.mech === 'ntlm' ? { requiredFlags: 0 } : {}),
  });
  const latency = performance.now() - started;
  try {
    const message = new TextEncoder().encode('load test message');
    await session.send(message);
    const echo = await session.receive();
    if (!echo || echo.length !== message.length) throw new Error('no echo');
  } finally {
    await session.close();
  }
  return latency;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

/** Runs `clients` clients at once against the server; warms the mechanism with one first. */
export async function runClients(
  info: ClientInfo,
  clients: number,
  timeoutMs = 60_000,
): Promise<ClientResult> {
  const mechanism = await clientMechanism(info);
  await oneClient(info, mechanism, timeoutMs); // Kerberos: the one TGS exchange
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, () =>
      oneClient(info, mechanism, timeoutMs).then(
        (ms) => void latencies.push(ms),
        (e: { code?: string; message?: string }) => {
          const key = e?.code ?? e?.message ?? String(e);
          errors[key] = (errors[key] ?? 0) + 1;
        },
      ),
    ),
  );
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    clients,
    established: latencies.length,
    failures: clients - latencies.length,
    errors,
    wallMs: round(wallMs),
    rate: Math.round((latencies.length / wallMs) * 1000),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? 0),
  };
}

/** Samples this process's RSS every `everyMs` ms; `stop()` returns the peak in bytes. */
export function rssSampler(everyMs = 20): { stop(): number } {
  const rss = () => globalThis.process.memoryUsage().rss;
  let peak = rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, rss());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rss());
    },
  };
}
