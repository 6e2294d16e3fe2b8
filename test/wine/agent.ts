/**
 * The Windows side of the Wine path: runs inside Wine under the Windows builds of Node 22
 * (bundled to one .mjs by scripts/wine/run.mjs, koffi external) and Bun (TypeScript as is).
 * One job per process, read from a JSON file; the result goes to a JSON file, because Node
 * under Wine cannot write to a pipe (references §7).
 *
 * Jobs: `probe` (QuerySecurityPackageInfoW for Kerberos, NTLM and Negotiate, credential
 * acquisition with the default identity and an explicit one), `client` (the SSPI initiator
 * runs MIT's gss-sample client protocol against a Linux-side acceptor) and `server` (the
 * SSPI acceptor serves one gss-sample connection). Every job counts SSPI handles and
 * buffers (counting.ts) and reports whether they balance after the job.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runSampleClient } from '../../src/cli/gss-sample/client-session.ts';
import { serveSampleConnection } from '../../src/cli/gss-sample/server-session.ts';
import { toGssockError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import type { SecurityContext } from '../../src/core/mechanism.ts';
import { loadBackend } from '../../src/providers/native/ffi/load.ts';
import { querySspiPackage, loadSspi, type NativeSspi } from '../../src/providers/native/sspi-library.ts';
import { sspi } from '../../src/providers/native/sspi-mechanism.ts';
import type { SspiQuirks } from '../../src/providers/native/sspi-quirks.ts';
import type { SspiIdentity } from '../../src/providers/native/sspi-structs.ts';
import { connect, listen } from '../../src/transport/adapters/auto.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { codecByName } from '../../src/transport/framing/index.ts';
import { countSspi, type SspiCounts, unbalanced } from './counting.ts';

export interface AgentJob {
  mode: 'probe' | 'client' | 'server';
  mech: 'kerberos' | 'ntlm';
  out: string;
  /** Server: written once listening. */
  ready?: string;
  port?: number;
  target?: string;
  message?: string;
  count?: number;
  identity?: SspiIdentity;
  /** Require MUTUAL (Kerberos); NTLM cannot authenticate the server. */
  mutual?: boolean;
  encrypt?: boolean;
  /** Overrides the detected profile (control scenarios: Windows switches under Wine). */
  quirks?: 'windows' | 'wine' | Partial<SspiQuirks>;
}

export interface AgentResult {
  ok: boolean;
  error?: string;
  runtime: string;
  ffi?: string;
  wine?: string;
  quirks?: string;
  counts?: SspiCounts;
  unbalanced?: string;
  packages?: Record<string, { maxToken: number; capabilities: number; comment: string }>;
  credentials?: Record<string, string>;
  log: string[];
  info?: { flags: number; peerName: string; localName: string };
  messages?: number;
}

/** ntdll's wine_get_version (Wine only); undefined on Windows. */
async function wineVersion(lib: NativeSspi): Promise<string | undefined> {
  const backend = await loadBackend();
  let addr: bigint;
  try {
    // Required, not optional: bun:ffi refuses a table without a required symbol.
    const ntdll = backend.open('ntdll.dll', {
      wineGetVersion: { symbol: 'wine_get_version', params: [], result: 'void*' },
    });
    addr = ntdll.wineGetVersion();
  } catch {
    return undefined; // Windows: ntdll has no such export
  }
  if (!addr) return undefined;
  const raw = lib.memory.read(addr, 32);
  return new TextDecoder().decode(raw.subarray(0, raw.indexOf(0) < 0 ? 32 : raw.indexOf(0)));
}

const runtimeName = () =>
  (globalThis as { Bun?: { version: string } }).Bun
    ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
    : `node ${process.version}`;

async function run(job: AgentJob, result: AgentResult): Promise<void> {
  const lib = await loadSspi();
  result.ffi = lib.ffi;
  const counts = countSspi(lib);
  result.counts = counts;
  result.wine = await wineVersion(lib);
  // The Wine switches are chosen explicitly, from the detected platform (sspi-quirks.ts).
  const quirks = job.quirks ?? (result.wine ? 'wine' : 'windows');
  result.quirks = typeof quirks === 'string' ? quirks : JSON.stringify(quirks);
  const log = (t: string) => result.log.push(t);
  const mechanism = sspi({
    mech: job.mech,
    quirks,
    library: async () => lib,
    ...(job.identity ? { identity: job.identity } : {}),
  });
  if (job.mode === 'probe') {
    result.packages = {};
    for (const name of ['Kerberos', 'NTLM', 'Negotiate']) {
      const p = querySspiPackage(lib, name);
      result.packages[p.name] = { maxToken: p.maxToken, capabilities: p.capabilities, comment: p.comment };
    }
    result.credentials = {};
    // AcquireCredentialsHandleW happens in createContext; dispose frees the handle.
    for (const [label, mech] of [
      ['kerberos default', sspi({ quirks, library: async () => lib })],
      ['kerberos acceptor', sspi({ quirks, library: async () => lib })],
      ['ntlm explicit', mechanism],
    ] as const) {
      const role = label.endsWith('acceptor') ? 'acceptor' : 'initiator';
      const ctx = await mech.createContext(
        role,
        role === 'initiator' ? { target: job.target ?? 'host/localhost' } : {},
      );
      result.credentials[label] = 'acquired';
      ctx.dispose();
    }
    return;
  }
  const flags = (job.mutual ? Flags.MUTUAL : 0) | Flags.REPLAY | Flags.SEQUENCE | Flags.CONF | Flags.INTEG;
  const codec = codecByName('gss-sample');
  if (job.mode === 'client') {
    const stream = await connectWithRetry(job.port!);
    const channel = frameChannel(stream, codec);
    let context: SecurityContext | undefined;
    try {
      context = await mechanism.createContext('initiator', { target: job.target!, flags });
      const r = await runSampleClient({
        channel,
        context,
        requiredFlags: job.mutual ? Flags.MUTUAL : 0,
        flagless: false,
        wrap: true,
        encrypt: job.encrypt ?? true,
        mic: true,
        message: new TextEncoder().encode(job.message ?? 'hello from SSPI'),
        count: job.count ?? 1,
        timeoutMs: 20_000,
        out: log,
      });
      result.messages = r.messagesSent;
      if (r.info)
        result.info = { flags: r.info.flags, peerName: r.info.peerName, localName: r.info.localName };
    } finally {
      // The owner disposes (idempotent): the session does not on every failure path.
      context?.dispose();
      await channel.close().catch(() => undefined);
    }
    return;
  }
  // server: one connection, then stop listening.
  const accepted: SecurityContext[] = [];
  let served!: (v: Promise<void>) => void;
  const connection = new Promise<Promise<void>>((r) => (served = r));
  const listener = await listen({ host: '127.0.0.1', port: job.port! }, (stream) => {
    const channel = frameChannel(stream, codec);
    served(
      serveSampleConnection({
        channel,
        createContext: async () => {
          const context = await mechanism.createContext('acceptor', { flags });
          accepted.push(context);
          return context;
        },
        flagless: false,
        verbose: false,
        log,
        stdout: log,
        stderr: log,
        timeoutMs: 20_000,
      })
        .then((r) => {
          result.messages = r.messages;
          if (r.info)
            result.info = { flags: r.info.flags, peerName: r.info.peerName, localName: r.info.localName };
        })
        .finally(() => {
          for (const c of accepted) c.dispose();
          return channel.close().catch(() => undefined);
        }),
    );
  });
  try {
    if (job.ready) writeFileSync(job.ready, String(listener.port));
    await Promise.race([
      (async () => await await connection)(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no connection within 60 s')), 60_000)),
    ]);
  } finally {
    await listener.close();
  }
}

/** The Linux-side peer may still be starting: retry refused connects for 15 s. */
async function connectWithRetry(port: number): Promise<Awaited<ReturnType<typeof connect>>> {
  const until = Date.now() + 15_000;
  for (;;) {
    try {
      return await connect({ host: '127.0.0.1', port });
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[process.argv.length - 1]!, 'utf8')) as AgentJob;
  const result: AgentResult = { ok: false, runtime: runtimeName(), log: [] };
  try {
    await run(job, result);
    result.ok = true;
  } catch (e) {
    const err = toGssockError(e);
    result.error = `${err.code}: ${err.message}`;
  }
  if (result.counts) {
    const u = unbalanced(result.counts);
    if (u) result.unbalanced = u;
  }
  writeFileSync(job.out, JSON.stringify(result, null, 2));
  process.exit(0);
}

await main();
