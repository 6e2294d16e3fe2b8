/**
 * `gssock demo`: an acceptor and an initiator in this one process, talking over real
 * loopback TCP (the runtime's own sockets through the auto adapter), with mutual
 * authentication and sealed messages both ways, told as a transcript.
 *
 * By default the mechanism is Kerberos with the gssock KDC running in this process (no
 * KDC to install): the transcript shows alice's AS exchange (KDC_ERR_PREAUTH_REQUIRED,
 * then PA-ENC-TIMESTAMP and the AS-REP), the TGS exchange for host/localhost, the
 * AP-REQ / AP-REP on the socket, and the sealed messages. `--mech mock` runs the mock
 * instead. The steps are the library's public ones (createContext, establishContext with
 * requiredFlags MUTUAL, openSession), so the same code runs any mechanism.
 */
import { fromUtf8, toHex, utf8 } from '../core/bytes.ts';
import { gssError, toGssockError } from '../core/errors.ts';
import { Flags, flagNames } from '../core/flags.ts';
import type { Mechanism } from '../core/mechanism.ts';
import { defaultRandom } from '../core/random.ts';
import { type KdcEvent, startKdc } from '../kdc/index.ts';
import { serializeCcache } from '../providers/kerberos/ccache.ts';
import { addCredential } from '../providers/kerberos/ccache-helpers.ts';
import { enctypeName } from '../providers/kerberos/crypto/numbers.ts';
import { kerberos } from '../providers/kerberos/gss/mechanism.ts';
import { getInitialTicket } from '../providers/kerberos/kdc/as-exchange.ts';
import { credentialToCcache, newCcache } from '../providers/kerberos/kdc/ccache-workflow.ts';
import { getServiceTicket } from '../providers/kerberos/kdc/tgs-exchange.ts';
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

export const DEMO_USAGE = `Usage: gssock demo [--mech kerberos|mock] [--port port] [--message text]
  Runs an acceptor and an initiator in this process over loopback TCP: mutual
  authentication and sealed messages both ways, with a transcript. Kerberos (the
  default) starts the gssock KDC in this process and shows the AS and TGS exchanges,
  the AP-REQ / AP-REP and the sealed messages; --mech mock needs no KDC at all.
`;

export interface DemoOptions {
  port?: number;
  message?: string;
  /** 'kerberos' (default: with the in-process gssock KDC) or 'mock'. */
  mech?: 'kerberos' | 'mock';
  /** A ready mechanism for both sides (then `mech` is ignored and no KDC is started). */
  mechanism?: Mechanism;
  target?: string;
  /** Where transcript lines go as they are made. */
  sink?: (line: string) => void;
}

const REQUESTED = Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE | Flags.CONF | Flags.INTEG;
const HOST = '127.0.0.1';

interface DemoSides {
  initiator: Mechanism;
  acceptor: Mechanism;
  target: string;
  stop(): Promise<void>;
}

const REALM = 'GSSOCK.TEST';
const etypeText = (etype: number | undefined) => (etype === undefined ? '' : enctypeName(etype));

/**
 * The Kerberos sides: the gssock KDC in this process, alice's AS exchange with a password
 * and the TGS exchange for host/localhost (both shown as they happen), a ccache holding
 * the two tickets for the initiator, and the service keytab exported for the acceptor.
 */
async function kerberosSides(t: Transcript): Promise<DemoSides> {
  const password = toHex(defaultRandom(12));
  const kdc = await startKdc({
    realm: REALM,
    principals: { alice: { password }, 'host/localhost': {} },
    onEvent: (e: KdcEvent) => {
      const sent =
        e.request === 'AS-REQ'
          ? e.reply === 'KRB-ERROR' && e.errorCode === 25
            ? 'no pre-authentication'
            : 'with PA-ENC-TIMESTAMP'
          : 'PA-TGS-REQ: TGT + authenticator';
      t.exchange('initiator', 'KDC', e.request, e.requestSize, sent);
      const got =
        e.reply === 'KRB-ERROR'
          ? `${e.errorName} (${e.errorCode})${e.errorCode === 25 ? ': ETYPE-INFO2 says etype and salt' : ''}`
          : `${e.reply === 'AS-REP' ? 'TGT' : 'ticket'} for ${e.server}, session key ${etypeText(e.sessionEtype)}`;
      t.exchange('KDC', 'initiator', e.reply, e.replySize, got);
    },
  });
  try {
    t.section('Kerberos: the gssock KDC, running in this process');
    t.fact('realm', `${REALM} (enctypes ${kdc.state.db.enctypes.map(enctypeName).join(', ')})`);
    t.fact('client', `alice@${REALM} (password)`);
    t.fact('service', `host/localhost@${REALM} (keytab exported from the KDC)`);
    t.section('AS exchange: alice logs on (initial ticket for krbtgt)');
    const tgt = await getInitialTicket({
      ...kdc.clientOptions(),
      client: kdc.principal('alice'),
      secret: { password },
      options: { forwardable: true },
    });
    t.section('TGS exchange: a service ticket for host/localhost');
    const ticket = await getServiceTicket({
      ...kdc.clientOptions(),
      tgt,
      server: kdc.principal('host/localhost'),
    });
    const ccache = serializeCcache(addCredential(newCcache(tgt), credentialToCcache(ticket)));
    return {
      initiator: kerberos({ ccache, kdc: kdc.clientOptions() }),
      acceptor: kerberos({ keytab: kdc.exportKeytab('host/localhost') }),
      target: 'host@localhost',
      stop: () => kdc.stop(),
    };
  } catch (e) {
    await kdc.stop();
    throw e;
  }
}

async function chooseSides(options: DemoOptions, t: Transcript): Promise<DemoSides> {
  const stop = async () => {};
  if (options.mechanism)
    return {
      initiator: options.mechanism,
      acceptor: options.mechanism,
      target: options.target ?? 'host/localhost@MOCK',
      stop,
    };
  if (options.mech === 'mock') {
    const mock = await loadMechanism('mock', { role: 'initiator', env: {}, cwd: '.' });
    return { initiator: mock, acceptor: mock, target: options.target ?? 'host/localhost@MOCK', stop };
  }
  const sides = await kerberosSides(t);
  if (options.target) sides.target = options.target;
  return sides;
}

/** Runs the demo; resolves with the transcript, rejects with a GssockError. */
export async function runDemo(options: DemoOptions = {}): Promise<Transcript> {
  const question = options.message ?? 'Hello from the initiator';
  const t = new Transcript(options.sink ? { sink: options.sink } : {});
  const codec = u32be();

  t.section('gssock demo: mutual authentication over loopback TCP');
  const sides = await chooseSides(options, t);
  try {
    return await converse(t, sides, question, codec, options.port);
  } finally {
    await sides.stop();
  }
}

async function converse(
  t: Transcript,
  sides: DemoSides,
  question: string,
  codec: ReturnType<typeof u32be>,
  port: number | undefined,
): Promise<Transcript> {
  const { target } = sides;
  const mechanism = sides.initiator;
  if (mechanism.name === 'kerberos') t.section('the service and the client meet over loopback TCP');
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
  // Kerberos tokens have names: the AP-REQ (ticket + authenticator) and the AP-REP.
  const kerberosLabels: Record<number, string> = { 1: 'AP-REQ', 2: 'AP-REP' };
  const onToken =
    (side: 'initiator' | 'acceptor', peer: string) => (e: { type: string; leg?: number; size?: number }) => {
      if (e.type !== 'send') return;
      const label = mechanism.name === 'kerberos' ? kerberosLabels[e.leg ?? 0] : undefined;
      t.token(side, peer, e.leg ?? 0, e.size ?? 0, label);
    };

  const serverWork: Promise<void>[] = [];
  const listener = await listen({ host: HOST, port: port ?? 0 }, async (stream: ByteStream) => {
    const work = (async () => {
      const channel = tapped(stream, 'acceptor');
      const context = await sides.acceptor.createContext('acceptor', { acceptorName: target });
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
    '--mech': valued((v) => {
      if (v !== 'kerberos' && v !== 'mock')
        throw new UsageError(`--mech must be kerberos or mock, got "${v}"`);
      options.mech = v;
    }),
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
