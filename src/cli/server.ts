/**
 * `gssock server`: a drop-in for MIT's gss-server (src/appl/gss-sample/gss-server.c).
 * Same options and output; binds the wildcard address on port 4444 by default and serves
 * connections one at a time, in arrival order, as gss-server does on Unix (max_threads
 * is 1 there). A connection that fails (bad first token, malformed or oversized frame,
 * failed handshake, silence past the deadline) is logged and closed; the server then
 * serves the next one. `-once` exits after the first connection.
 *
 * Unlike gss-server, the wait for one's turn is bounded (src/server/limits.ts): a
 * HandshakeGate of one slot whose queue holds at most --max-queue connections, each with
 * its own deadline (--handshake-timeout, counted from accept). A connection past the
 * queue's bound is refused at once and one whose deadline passes while it waits is closed,
 * so N silent peers hold at most 1 + --max-queue sockets and never keep a real client
 * waiting N x --timeout.
 */
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type GssockError, TimeoutError, toGssockError } from '../core/errors.ts';
import type { Mechanism } from '../core/mechanism.ts';
import { listen } from '../transport/adapters/auto.ts';
import type { ByteStream, FrameChannel } from '../transport/channel.ts';
import { HandshakeGate } from '../server/admission.ts';
import { DEFAULT_LIMITS, resolveLimits } from '../server/limits.ts';
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
import { decorateChannel, receiveDeadline } from './gss-sample/channel-tools.ts';
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
  /** MIT's per-receive deadline (gss-misc.c read_all()); 0 for none. */
  timeoutMs: number;
  /** From accept to established, queue wait included; Infinity for none. */
  handshakeTimeoutMs: number;
  /** Longest wait for the client's next frame once established; Infinity for none. */
  idleTimeoutMs: number;
  /** Connections waiting for their turn; more are refused at once. */
  maxQueue: number;
  /** Largest frame body accepted. */
  maxFrameSize: number;
  /** Most handshake tokens, both directions counted. */
  maxLegs: number;
}

const DAY_MS = 86_400_000;
/** A duration option in ms; 0 means none (Infinity), as for --timeout. */
const parseDuration = (v: string, what: string) =>
  parseInteger(v, what, 0, DAY_MS) || Number.POSITIVE_INFINITY;

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
    handshakeTimeoutMs: DEFAULT_LIMITS.handshakeTimeoutMs,
    idleTimeoutMs: DEFAULT_LIMITS.idleTimeoutMs,
    maxQueue: DEFAULT_LIMITS.maxQueuedHandshakes,
    maxFrameSize: DEFAULT_LIMITS.maxFrameSize,
    maxLegs: DEFAULT_LIMITS.maxLegs,
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
    '--timeout': valued((v) => (s.timeoutMs = parseInteger(v, '--timeout', 0, DAY_MS))),
    '--handshake-timeout': valued((v) => (s.handshakeTimeoutMs = parseDuration(v, '--handshake-timeout'))),
    '--idle-timeout': valued((v) => (s.idleTimeoutMs = parseDuration(v, '--idle-timeout'))),
    '--max-queue': valued((v) => (s.maxQueue = parseInteger(v, '--max-queue', 0, 1_000_000))),
    '--max-frame-size': valued((v) => (s.maxFrameSize = parseInteger(v, '--max-frame-size', 0, 0xffff_ffff))),
    '--max-legs': valued((v) => (s.maxLegs = parseInteger(v, '--max-legs', 1, 1_000_000))),
  };
  const rest = parseOptions(args, table);
  if (rest.length !== 1) throw new UsageError(`expected one service_name, got ${rest.length} argument(s)`);
  return { ...s, service: rest[0] as string };
}

/** The settings' limits, checked by resolveLimits (one slot: gss-server serves one at a time). */
function serverLimits(s: ServerSettings) {
  return resolveLimits({
    maxConcurrentHandshakes: 1,
    maxQueuedHandshakes: s.maxQueue,
    handshakeTimeoutMs: s.handshakeTimeoutMs,
    idleTimeoutMs: s.idleTimeoutMs,
    maxFrameSize: s.maxFrameSize,
    maxLegs: s.maxLegs,
  });
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

/** The stderr line for a connection closed by this server. */
function closedLine(stream: ByteStream, how: 'closed' | 'refused', e: unknown): string {
  const error = toGssockError(e);
  return `gssock server: connection from ${stream.remoteAddress ?? 'unknown'} ${how}: ${error.code}: ${error.message}\n`;
}

/**
 * The first receive (gss-sample's NOOP, before the handshake proper) must end by
 * `deadlineAt` too: establishContext is given only what is left of the handshake timeout,
 * so together they bound the whole handshake from accept.
 */
function firstReceiveBy(channel: FrameChannel, deadlineAt: number): FrameChannel {
  let first = Number.isFinite(deadlineAt);
  return decorateChannel(channel, {
    receive() {
      if (!first) return channel.receive();
      first = false;
      return receiveDeadline(channel, Math.max(1, deadlineAt - Date.now())).receive();
    },
  });
}

/**
 * Serves one accepted connection; never throws (a failure ends this connection only).
 * `acceptedAt` starts the handshake deadline. Every receive waits at most --timeout (MIT's
 * per-read deadline) and at most --idle-timeout (the one that still holds with --timeout 0).
 */
async function serveOne(
  stream: ByteStream,
  mechanism: Mechanism,
  settings: ServerSettings,
  sinks: Sinks,
  acceptedAt: number,
): Promise<void> {
  const codec = codecByName(settings.framing, { maxFrameSize: settings.maxFrameSize });
  const framed = frameChannel(stream, codec, { maxFrameSize: settings.maxFrameSize });
  const handshakeDeadline = acceptedAt + settings.handshakeTimeoutMs;
  const channel = firstReceiveBy(
    receiveDeadline(framed, Math.min(settings.timeoutMs || Infinity, settings.idleTimeoutMs)),
    handshakeDeadline,
  );
  try {
    await serveSampleConnection({
      channel,
      handshakeDeadline,
      maxLegs: settings.maxLegs,
      createContext: async () => mechanism.createContext('acceptor', { acceptorName: settings.service }),
      flagless: settings.framing !== 'gss-sample',
      verbose: settings.verbose,
      log: sinks.log,
      stdout: sinks.stdout,
      stderr: sinks.stderr,
    });
  } catch (e) {
    const error: GssockError = toGssockError(e);
    const stage = stageOf(error) ?? 'serving connection';
    sinks.log(
      isTransportError(error) || error.code === 'PROTOCOL_ERROR'
        ? `${error.message}\n`
        : displayStatus(stage, error),
    );
    sinks.stderr(closedLine(stream, 'closed', error));
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
  const limits = serverLimits(settings);
  const sinks = makeSinks(settings, io);
  if (settings.inetd) {
    const done = serveOne(stdioStream(), mechanism, settings, sinks, Date.now());
    return { port: 0, done, close: () => done };
  }
  // One slot, so connections are served one at a time in arrival order (the gate is FIFO),
  // like gss-server; the waiting ones are bounded in number and each has a deadline.
  const gate = new HandshakeGate(limits.maxConcurrentHandshakes, limits.maxQueuedHandshakes);
  const tasks = new Set<Promise<void>>();
  let stopped = false;

  const admit = async (stream: ByteStream, acceptedAt: number): Promise<void> => {
    let release: () => void;
    try {
      release = await gate.enter(limits.handshakeTimeoutMs);
    } catch (e) {
      // Full queue (LIMIT_EXCEEDED) or deadline passed while waiting (TIMEOUT); a server
      // shutting down (ABORTED) closes its waiters without a word, as before.
      const error = toGssockError(e);
      if (error.code !== 'ABORTED')
        sinks.stderr(closedLine(stream, error.code === 'LIMIT_EXCEEDED' ? 'refused' : 'closed', error));
      await stream.close().catch(() => undefined);
      return;
    }
    try {
      if (stopped) await stream.close().catch(() => undefined);
      else if (Date.now() - acceptedAt >= limits.handshakeTimeoutMs) {
        const why = new TimeoutError(`no turn within the ${limits.handshakeTimeoutMs} ms handshake timeout`);
        sinks.stderr(closedLine(stream, 'closed', why));
        await stream.close().catch(() => undefined);
      } else await serveOne(stream, mechanism, settings, sinks, acceptedAt);
    } finally {
      // -once: shut the gate BEFORE giving the slot back, or the next waiter would get it.
      if (settings.once) void stop();
      release();
    }
  };

  const listener = await listen({ host: settings.host, port: settings.port }, (stream: ByteStream) => {
    if (stopped) return void stream.close();
    const task: Promise<void> = admit(stream, Date.now()).finally(() => tasks.delete(task));
    tasks.add(task);
  });
  sinks.stderr(`listening on ${settings.host}:${listener.port}\n`);
  sinks.stderr('starting...\n');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopped = true;
      gate.shut();
      await listener.close();
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
      finish();
    })();
    return stopping;
  };
  // Resolves once stopped, by -once or close(), with every connection closed.
  let finish: () => void = () => undefined;
  const done = new Promise<void>((r) => (finish = r));
  return { port: listener.port, done, close: stop };
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
