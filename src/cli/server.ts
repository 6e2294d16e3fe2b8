/**
 * `gssock server`: a drop-in for MIT's gss-server (src/appl/gss-sample/gss-server.c).
 * Same options and output; binds the wildcard address on port 4444 by default and serves
 * connections one at a time, in arrival order, as gss-server does on Unix (max_threads
 * is 1 there). A connection that fails (bad first token, malformed or oversized frame,
 * failed handshake, silence past the deadline) is logged and closed; the server then
 * serves the next one. `-once` exits after the first connection.
 */
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type GssockError, toGssockError } from '../core/errors.ts';
import type { Mechanism } from '../core/mechanism.ts';
import { listen } from '../transport/adapters/auto.ts';
import type { ByteStream } from '../transport/channel.ts';
import { frameChannel } from '../transport/frame-channel.ts';
import { codecByName } from '../transport/framing/index.ts';
import {
  type FramingName,
  type OptionTable,
  UsageError,
  flag,
  parseFraming,
  parseInteger,
  parseOptions,
  valued,
} from './args.ts';
import { receiveDeadline } from './gss-sample/channel-tools.ts';
import { displayStatus } from './gss-sample/mit-text.ts';
import { isTransportError, stageOf } from './gss-sample/protocol-common.ts';
import { serveSampleConnection } from './gss-sample/server-session.ts';
import { EXIT_USAGE } from './io.ts';
import type { CliIo } from './io.ts';
import { type MockMisbehave, findMechanism, parseMockMisbehave } from './mechanisms.ts';
import { MechOids } from './oids.ts';
import { stdioStream } from './stdio-stream.ts';
import { SERVER_USAGE } from './usage.ts';

export interface ServerSettings {
  port: number;
  /** gssock extra: the address to bind; MIT always binds INADDR_ANY. */
  host: string;
  verbose: boolean;
  once: boolean;
  inetd: boolean;
  export: boolean;
  /** undefined: stdout; null: no log (-logfile /dev/null); else a file appended to. */
  logfile?: string | null;
  keytab?: string;
  service: string;
  mech: string;
  framing: FramingName;
  mockSecret?: string;
  mockMisbehave?: MockMisbehave;
  timeoutMs: number;
}

export function parseServerArgs(args: string[]): ServerSettings {
  const s: Omit<ServerSettings, 'service'> = {
    port: 4444,
    host: '0.0.0.0',
    verbose: false,
    once: false,
    inetd: false,
    export: false,
    mech: 'kerberos',
    framing: 'gss-sample',
    timeoutMs: 10_000,
  };
  const table: OptionTable = {
    '-port': valued((v) => (s.port = parseInteger(v, '-port', 0, 65535))),
    '-verbose': flag(() => (s.verbose = true)),
    '-once': flag(() => (s.once = true)),
    '-inetd': flag(() => (s.inetd = true)),
    '-export': flag(() => (s.export = true)),
    '-logfile': valued((v) => (s.logfile = v === '/dev/null' ? null : v)),
    '-keytab': valued((v) => (s.keytab = v)),
    '-iakerb': flag(() => (s.mech = MechOids.IAKERB)),
    '--host': valued((v) => (s.host = v)),
    '--mech': valued((v) => (s.mech = v)),
    '--framing': valued((v) => (s.framing = parseFraming(v))),
    '--mock-secret': valued((v) => (s.mockSecret = v)),
    '--mock-misbehave': valued((v) => (s.mockMisbehave = parseMockMisbehave(v))),
    '--timeout': valued((v) => (s.timeoutMs = parseInteger(v, '--timeout', 0, 86_400_000))),
  };
  const rest = parseOptions(args, table);
  if (rest.length !== 1) throw new UsageError(`expected one service_name, got ${rest.length} argument(s)`);
  return { ...s, service: rest[0] as string };
}

export interface RunningServer {
  /** The bound port (useful with -port 0). */
  port: number;
  /** Resolves when the server stops (after -once, or close()). */
  done: Promise<void>;
  close(): Promise<void>;
}

interface Sinks {
  log: (text: string) => void;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function makeSinks(settings: ServerSettings, io: CliIo): Sinks {
  const stdout = settings.inetd ? () => undefined : (text: string) => io.stdout(text);
  // -inetd closes fds 1 and 2 (they are the socket): only -logfile still shows anything.
  const stderr = settings.inetd ? () => undefined : (text: string) => io.stderr(text);
  let log: (text: string) => void;
  if (settings.logfile === null) log = () => undefined;
  else if (settings.logfile !== undefined) {
    const path = resolve(io.cwd, settings.logfile);
    log = (text) => appendFileSync(path, text);
  } else log = stdout;
  return { log, stdout, stderr };
}

/** Serves one accepted connection; never throws (a failure ends this connection only). */
async function serveOne(
  stream: ByteStream,
  mechanism: Mechanism,
  settings: ServerSettings,
  sinks: Sinks,
): Promise<void> {
  const channel = receiveDeadline(frameChannel(stream, codecByName(settings.framing)), settings.timeoutMs);
  try {
    await serveSampleConnection({
      channel,
      createContext: async () => mechanism.createContext('acceptor', { acceptorName: settings.service }),
      flagless: settings.framing !== 'gss-sample',
      verbose: settings.verbose,
      log: sinks.log,
      stdout: sinks.stdout,
      stderr: sinks.stderr,
      timeoutMs: settings.timeoutMs,
    });
  } catch (e) {
    const error: GssockError = toGssockError(e);
    const stage = stageOf(error) ?? 'serving connection';
    sinks.log(
      isTransportError(error) || error.code === 'PROTOCOL_ERROR'
        ? `${error.message}\n`
        : displayStatus(stage, error),
    );
    sinks.stderr(
      `gssock server: connection from ${stream.remoteAddress ?? 'unknown'} closed: ${error.code}: ${error.message}\n`,
    );
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Starts serving; the returned server runs until -once is satisfied or close() is called. */
export async function startServer(
  settings: ServerSettings,
  io: CliIo,
  mechanism: Mechanism,
): Promise<RunningServer> {
  const sinks = makeSinks(settings, io);
  if (settings.inetd) {
    const done = serveOne(stdioStream(), mechanism, settings, sinks);
    return { port: 0, done, close: () => done };
  }
  // Connections wait in arrival order and are served one at a time, like gss-server.
  const queue: ByteStream[] = [];
  let wake: (() => void) | undefined;
  let stopped = false;
  const listener = await listen({ host: settings.host, port: settings.port }, (stream: ByteStream) => {
    if (stopped) return void stream.close();
    queue.push(stream);
    wake?.();
  });
  sinks.stderr(`listening on ${settings.host}:${listener.port}\n`);
  sinks.stderr('starting...\n');
  const stop = async () => {
    stopped = true;
    wake?.();
    await listener.close();
    for (const stream of queue.splice(0)) await stream.close().catch(() => undefined);
  };
  const done = (async () => {
    while (!stopped) {
      const stream = queue.shift();
      if (!stream) {
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        continue;
      }
      await serveOne(stream, mechanism, settings, sinks);
      if (settings.once) await stop();
    }
  })();
  const close = async () => {
    await stop();
    await done;
  };
  return { port: listener.port, done, close };
}

/** gss-server's main(): returns the exit code once the server stops. */
export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(SERVER_USAGE);
    return 0;
  }
  let settings: ServerSettings;
  try {
    settings = parseServerArgs(args);
    if (settings.service.startsWith('-')) throw new UsageError(`service_name may not start with "-"`);
  } catch (e) {
    io.stderr(`gssock server: ${toGssockError(e).message}\n${SERVER_USAGE}`);
    return EXIT_USAGE;
  }
  if (settings.export)
    io.stderr('gssock server: -export (context export/import test) is not supported; ignored\n');
  let mechanism: Mechanism;
  try {
    mechanism = await findMechanism(settings.mech).factory({
      role: 'acceptor',
      serviceName: settings.service,
      ...(settings.keytab !== undefined ? { keytab: resolve(io.cwd, settings.keytab) } : {}),
      ...(settings.mockSecret !== undefined ? { mockSecret: settings.mockSecret } : {}),
      ...(settings.mockMisbehave ? { mockMisbehave: settings.mockMisbehave } : {}),
      env: io.env,
      cwd: io.cwd,
    });
  } catch (e) {
    io.stdout(displayStatus('acquiring credentials', e));
    return 1;
  }
  try {
    const server = await startServer(settings, io, mechanism);
    await server.done;
    return 0;
  } catch (e) {
    io.stderr(`binding socket: ${toGssockError(e).message}\n`);
    return 1;
  }
}
