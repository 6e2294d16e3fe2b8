/**
 * `gssock demo`: an acceptor and an initiator in this one process, talking over real
 * loopback TCP (the runtime's own sockets through the auto adapter), with mutual
 * authentication and sealed messages both ways, told as a transcript.
 *
 * The mechanism is the mock for now (no KDC needed); the steps are the library's public
 * ones (createContext, establishContext with requiredFlags MUTUAL, openSession), so the
 * same code runs any mechanism the registry provides.
 */
import { fromUtf8, utf8 } from '../core/bytes.ts';
import { gssError, toGssockError } from '../core/errors.ts';
import { Flags, flagNames } from '../core/flags.ts';
import type { Mechanism } from '../core/mechanism.ts';
import { establishContext } from '../engine/establish.ts';
import { openSession } from '../engine/session.ts';
import { connect, listen } from '../transport/adapters/auto.ts';
import type { ByteStream, FrameChannel } from '../transport/channel.ts';
import { frameChannel } from '../transport/frame-channel.ts';
import { u32be } from '../transport/framing/u32be.ts';
import { type OptionTable, UsageError, parseInteger, parseOptions, valued } from './args.ts';
import { tapChannel } from './gss-sample/channel-tools.ts';
import type { CliIo } from './io.ts';
import { EXIT_USAGE } from './io.ts';
import { loadMechanism } from './mechanisms.ts';
import { Transcript } from './transcript.ts';
import { DEMO_USAGE } from './usage.ts';

export interface DemoOptions {
  port?: number;
  message?: string;
  mechanism?: Mechanism;
  target?: string;
  /** Where transcript lines go as they are made. */
  sink?: (line: string) => void;
}

const REQUESTED = Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE | Flags.CONF | Flags.INTEG;
const HOST = '127.0.0.1';

/** Runs the demo; resolves with the transcript, rejects with a GssockError. */
export async function runDemo(options: DemoOptions = {}): Promise<Transcript> {
  const mechanism =
    options.mechanism ?? (await loadMechanism('mock', { role: 'initiator', env: {}, cwd: '.' }));
  const target = options.target ?? 'host/localhost@MOCK';
  const question = options.message ?? 'Hello from the initiator';
  const t = new Transcript(options.sink ? { sink: options.sink } : {});
  const codec = u32be();

  t.section('gssock demo: mutual authentication over loopback TCP');
  t.fact('mechanism', `${mechanism.name} (${mechanism.oid})`);
  t.fact('target', target);
  t.fact('framing', `${codec.name} (4-byte big-endian length per token)`);

  // Sealed sizes, read off the wire after the handshake by a tap on each side's channel.
  const sealed = { initiator: [] as number[], acceptor: [] as number[] };
  const handshakeDone = { initiator: false, acceptor: false };
  const tapped = (stream: ByteStream, side: 'initiator' | 'acceptor'): FrameChannel =>
    tapChannel(frameChannel(stream, codec), {
      onSend: (frame) => {
        if (handshakeDone[side]) sealed[side].push(frame.body.length);
      },
    });
  const onToken =
    (side: 'initiator' | 'acceptor', peer: string) => (e: { type: string; leg?: number; size?: number }) => {
      if (e.type === 'send') t.token(side, peer, e.leg ?? 0, e.size ?? 0);
    };

  const serverWork: Promise<void>[] = [];
  const listener = await listen({ host: HOST, port: options.port ?? 0 }, async (stream: ByteStream) => {
    const work = (async () => {
      const channel = tapped(stream, 'acceptor');
      const context = await mechanism.createContext('acceptor', { acceptorName: target });
      const est = await establishContext({ context, channel, onEvent: onToken('acceptor', 'initiator') });
      handshakeDone.acceptor = true;
      t.established('acceptor', est.info.peerName, est.info.flags, est.info.mechanism);
      const session = openSession(est, channel, { confidential: true });
      const received = await session.receive();
      if (received === null)
        throw gssError('CONNECTION_CLOSED', 'the initiator hung up before its message', { origin: 'peer' });
      await session.send(
        utf8(`Hello ${est.info.peerName}, this is ${est.info.localName}; I read: ${fromUtf8(received)}`),
      );
      await session.close();
    })();
    serverWork.push(work);
    await work;
  });
  t.fact('acceptor', `listening on ${HOST}:${listener.port}`);

  try {
    const stream = await connect({ host: HOST, port: listener.port });
    t.fact('initiator', `connected to ${HOST}:${listener.port}`);
    t.fact('requested', `flags ${flagList(REQUESTED)} (MUTUAL required)`);
    t.section('handshake (security tokens)');
    const channel = tapped(stream, 'initiator');
    const context = await mechanism.createContext('initiator', { target, flags: REQUESTED });
    const est = await establishContext({
      context,
      channel,
      requiredFlags: Flags.MUTUAL,
      onEvent: onToken('initiator', 'acceptor'),
    });
    handshakeDone.initiator = true;
    // The acceptor finishes when it has read the last token; wait for its line too.
    await waitFor(() => handshakeDone.acceptor, serverWork);
    t.established('initiator', est.info.peerName, est.info.flags, est.info.mechanism);

    t.section('messages (sealed with the established context)');
    const session = openSession(est, channel, { confidential: true });
    await session.send(utf8(question));
    const reply = await session.receive();
    await Promise.all(serverWork);
    t.message('initiator', 'acceptor', question, utf8(question).length, sealed.initiator[0]);
    if (reply === null)
      throw gssError('CONNECTION_CLOSED', 'the acceptor hung up before replying', { origin: 'peer' });
    const answer = fromUtf8(reply);
    t.message('acceptor', 'initiator', answer, reply.length, sealed.acceptor[0]);
    await session.close();

    t.section('result');
    t.note(
      `  both sides authenticated each other (${mechanism.name}); 2 messages sealed, unsealed and verified`,
    );
    return t;
  } finally {
    await listener.close();
  }
}

function flagList(mask: number): string {
  return flagNames(mask).join(' ');
}

/** Polls `ready` until true, failing early if the acceptor's work fails. */
async function waitFor(ready: () => boolean, work: Promise<void>[]): Promise<void> {
  for (let i = 0; !ready() && i < 500; i++) {
    await Promise.race([new Promise((r) => setTimeout(r, 2)), ...work]);
  }
}

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(DEMO_USAGE);
    return 0;
  }
  const options: DemoOptions = { sink: (line) => io.stdout(`${line}\n`) };
  const table: OptionTable = {
    '--port': valued((v) => (options.port = parseInteger(v, '--port', 0, 65535))),
    '--message': valued((v) => (options.message = v)),
  };
  try {
    const rest = parseOptions(args, table);
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  } catch (e) {
    io.stderr(`gssock demo: ${toGssockError(e).message}\n${DEMO_USAGE}`);
    return EXIT_USAGE;
  }
  try {
    await runDemo(options);
    return 0;
  } catch (e) {
    const error = toGssockError(e);
    io.stderr(`gssock demo failed: ${error.code}: ${error.message}\n`);
    return 1;
  }
}
