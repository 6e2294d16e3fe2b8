/**
 * `serve()`: an authenticated TCP server on Node, Deno or Bun, with limits.
 *
 *   const server = await serve({
 *     mechanism: kerberos({ keytab }),
 *     listen: { port: 4444 },
 *     onSession: async (session) => { for await (const m of session) await session.send(m); },
 *   });
 *
 * Theory of operation
 * 1. Each accepted connection is counted against `maxConnections`; past it, or while
 *    closing, it is closed at once (refused).
 * 2. It then asks the HandshakeGate (admission.ts) for a handshake slot: it runs at once,
 *    waits in a bounded FIFO queue, or is refused when the queue is full.
 * 3. The handshake is the engine's `accept()` over `frameChannel(stream, codec)` with the
 *    limits (maxFrameSize, maxLegs, maxMessageSize) and a deadline of handshakeTimeoutMs
 *    counted from accept (queue time included), so every connection is established or
 *    closed within handshakeTimeoutMs. The slot is given back as soon as it ends.
 * 4. The established Session (with an idle timeout, idle-session.ts) goes to `onSession`;
 *    when that settles the session is closed. The connection's errors go to `onError`
 *    with the phase they happened in; none reaches the listener or another connection.
 * 5. `close()` stops accepting, refuses the queue, aborts running handshakes, cuts the
 *    sessions (the listener closes every accepted stream) and resolves when every
 *    connection's task has finished: no socket, timer or context is left behind.
 */
import { type GssockError, gssError, isGssockError, toGssockError } from '../core/errors.ts';
import type { ContextFlags } from '../core/flags.ts';
import type { Mechanism } from '../core/mechanism.ts';
import { accept } from '../engine/initiate.ts';
import type { Session } from '../engine/session.ts';
import { listen } from '../transport/adapters/auto.ts';
import type { ByteStream, FrameCodec } from '../transport/channel.ts';
import { frameChannel } from '../transport/frame-channel.ts';
import { type CodecName, codecByName } from '../transport/framing/index.ts';
import { HandshakeGate } from './admission.ts';
import { IdleSession } from './idle-session.ts';
import { resolveLimits, type ServerLimits } from './limits.ts';
import { ServerCounters, type ServerStats } from './stats.ts';

export type ConnectionPhase = 'accept' | 'queue' | 'handshake' | 'session';

export interface ConnectionInfo {
  /** 1, 2, 3 ... in accept order. */
  id: number;
  remoteAddress?: string;
  phase: ConnectionPhase;
  /** Aborted when the server closes: a long-running onSession should stop on it. */
  signal: AbortSignal;
}

export interface ServeOptions {
  mechanism: Mechanism;
  /** Where to listen; host defaults to 127.0.0.1 (loopback: exposing a service is a choice). */
  listen: { host?: string; port: number };
  /** A codec or its name (u32be, u32le, gss-sample, sasl); default 'u32be'. */
  framing?: FrameCodec | CodecName;
  limits?: Partial<ServerLimits>;
  /** The name to accept as; default any the mechanism has keys for. */
  acceptorName?: string;
  /** Flags the initiator must have been granted (e.g. Flags.REPLAY); default none. */
  requiredFlags?: ContextFlags;
  /** Flag byte on handshake frames (gss-sample: 0x02); default 0. */
  frameFlags?: number;
  /** Session options: sealing, the flag byte of message frames, refusing unsealed messages. */
  session?: { confidential?: boolean; frameFlags?: number; requireConfidential?: boolean };
  /** Called with each established session; the session is closed when this settles. */
  onSession: (session: Session, connection: ConnectionInfo) => void | Promise<void>;
  /** Told about every connection that failed, and in which phase. Must not throw. */
  onError?: (error: GssockError, connection: ConnectionInfo) => void;
}

export interface Server {
  readonly port: number;
  /** Stops accepting, ends every connection, and resolves when all are gone. Idempotent. */
  close(): Promise<void>;
  stats(): ServerStats;
}

export async function serve(options: ServeOptions): Promise<Server> {
  if (!options?.mechanism || typeof options.onSession !== 'function' || !options.listen) {
    throw gssError('INVALID_ARGUMENT', 'serve() needs mechanism, listen and onSession');
  }
  const limits = resolveLimits(options.limits);
  const codec =
    typeof options.framing === 'object'
      ? options.framing
      : codecByName(options.framing ?? 'u32be', { maxFrameSize: limits.maxFrameSize });
  const gate = new HandshakeGate(limits.maxConcurrentHandshakes, limits.maxQueuedHandshakes);
  const counters = new ServerCounters(gate);
  const stopping = new AbortController();
  // One controller per connection, aborted by close(): a single shared signal would carry
  // one abort listener per running handshake (Node warns past 10 on one EventTarget).
  const aborters = new Set<AbortController>();
  const tasks = new Set<Promise<void>>();
  let nextId = 1;

  const report = (error: unknown, connection: ConnectionInfo) => {
    try {
      options.onError?.(toGssockError(error), connection);
    } catch {
      // A throwing error callback must not take the connection's cleanup down with it.
    }
  };

  const serveConnection = async (stream: ByteStream, connection: ConnectionInfo): Promise<void> => {
    const acceptedAt = Date.now();
    let release: (() => void) | undefined;
    try {
      connection.phase = 'queue';
      release = await gate.enter(limits.handshakeTimeoutMs);
      connection.phase = 'handshake';
      const left = limits.handshakeTimeoutMs - (Date.now() - acceptedAt);
      if (left <= 0) throw gssError('TIMEOUT', `no handshake slot within ${limits.handshakeTimeoutMs} ms`);
      const channel = frameChannel(stream, codec, { maxFrameSize: limits.maxFrameSize });
      const inner = await accept({
        mechanism: options.mechanism,
        channel,
        timeoutMs: left,
        maxLegs: limits.maxLegs,
        signal: connection.signal,
        ...(options.acceptorName !== undefined ? { acceptorName: options.acceptorName } : {}),
        ...(options.requiredFlags !== undefined ? { requiredFlags: options.requiredFlags } : {}),
        ...(options.frameFlags !== undefined ? { frameFlags: options.frameFlags } : {}),
        session: { ...options.session, maxMessageSize: limits.maxMessageSize },
      });
      release();
      release = undefined;
      counters.established++;
      connection.phase = 'session';
      const session = new IdleSession(
        inner,
        limits.idleTimeoutMs,
        () => void stream.close(),
        () => counters.idleTimeouts++,
      );
      counters.sessions++;
      try {
        await options.onSession(session, connection);
      } catch (e) {
        counters.sessionErrors++;
        report(session.idleError ?? e, connection);
      } finally {
        counters.sessions--;
        await session.close().catch(() => undefined);
      }
    } catch (e) {
      if (connection.phase === 'queue') {
        if (isGssockError(e, 'LIMIT_EXCEEDED')) counters.refused++;
        else if (isGssockError(e, 'TIMEOUT')) counters.handshakeTimeouts++;
      } else {
        counters.handshakeFailures++;
        if (isGssockError(e, 'TIMEOUT')) counters.handshakeTimeouts++;
      }
      report(e, connection);
    } finally {
      release?.();
      await stream.close().catch(() => undefined);
    }
  };

  const listener = await listen(
    {
      ...(options.listen.host !== undefined ? { host: options.listen.host } : {}),
      port: options.listen.port,
    },
    (stream: ByteStream) => {
      const aborter = new AbortController();
      const connection: ConnectionInfo = { id: nextId++, phase: 'accept', signal: aborter.signal };
      if (stream.remoteAddress !== undefined) connection.remoteAddress = stream.remoteAddress;
      counters.accepted++;
      if (stopping.signal.aborted || counters.open >= limits.maxConnections) {
        counters.refused++;
        const why = stopping.signal.aborted
          ? gssError('ABORTED', 'the server is closing')
          : gssError('LIMIT_EXCEEDED', `too many connections (maxConnections ${limits.maxConnections})`, {
              details: { maxConnections: limits.maxConnections },
            });
        report(why, connection);
        return stream.close();
      }
      counters.open++;
      counters.peakOpen = Math.max(counters.peakOpen, counters.open);
      aborters.add(aborter);
      const task = serveConnection(stream, connection).finally(() => {
        counters.open--;
        aborters.delete(aborter);
        tasks.delete(task);
      });
      tasks.add(task);
      return task;
    },
  );

  let closing: Promise<void> | undefined;
  return {
    port: listener.port,
    stats: () => counters.snapshot(),
    close() {
      closing ??= (async () => {
        const why = gssError('ABORTED', 'the server is closing');
        stopping.abort(why);
        for (const a of aborters) a.abort(why);
        gate.shut();
        await listener.close();
        while (tasks.size > 0) await Promise.allSettled([...tasks]);
      })();
      return closing;
    },
  };
}
