/**
 * rule:engine-handshake, rule:mutual-enforced, rule:socket-handshake: the mechanism run by
 * gssock's own engine, in memory and over real loopback sockets of whatever runtime runs
 * the kit (Node, Deno, Bun), as an application would.
 */
import { bytesEqual, utf8 } from '../../core/bytes.ts';
import { isGssockError } from '../../core/errors.ts';
import { type ContextFlags, Flags } from '../../core/flags.ts';
import type { Mechanism, SecurityContext } from '../../core/mechanism.ts';
import { establishContext } from '../../engine/establish.ts';
import { accept, initiate } from '../../engine/initiate.ts';
import type { Session } from '../../engine/session.ts';
import { connect, listen } from '../../transport/adapters/auto.ts';
import { memoryPair } from '../../transport/adapters/memory.ts';
import type { ByteStream, FrameChannel } from '../../transport/channel.ts';
import { frameChannel } from '../../transport/frame-channel.ts';
import { u32be } from '../../transport/framing/u32be.ts';
import { ConformanceError, describeThrown } from '../conformance-error.ts';
import { disposeAll, type Kit } from '../kit.ts';
import type { RuleId } from '../rules.ts';
import { runStepLoop } from '../step-loop.ts';
import { expectCode, expectTypedError } from '../typed-error.ts';
import { infoOf, type CheckNote } from './check.ts';

function channels(chunkSize?: number): [FrameChannel, FrameChannel] {
  const [a, b] = memoryPair(chunkSize ? { chunkSize } : {});
  return [frameChannel(a, u32be()), frameChannel(b, u32be())];
}

function sessionOptions(
  kit: Kit,
  role: 'initiator' | 'acceptor',
  mechanism: Mechanism,
  channel: FrameChannel,
) {
  const flags = kit.richFlags;
  const common = {
    mechanism,
    channel,
    flags,
    random: kit.nextRandom(`engine-${role}`),
    timeoutMs: kit.callTimeoutMs,
  };
  if (role === 'initiator') {
    const requiredFlags = kit.capabilities.mutual ? flags & Flags.MUTUAL : 0;
    return {
      ...common,
      requiredFlags,
      ...(kit.options.target !== undefined ? { target: kit.options.target } : {}),
    };
  }
  return {
    ...common,
    ...(kit.options.acceptorName !== undefined ? { acceptorName: kit.options.acceptorName } : {}),
  };
}

/** Both engine sides at once; a failure on either is reported with the side's error. */
async function sessions(
  kit: Kit,
  rule: RuleId,
  c: [FrameChannel, FrameChannel],
  acceptorMechanism?: Mechanism,
): Promise<[Session, Session]> {
  const im = await kit.mechanism('initiator');
  const am = acceptorMechanism ?? (await kit.mechanism('acceptor'));
  const [i, a] = await Promise.allSettled([
    kit.call(rule, 'initiate()', () => initiate(sessionOptions(kit, 'initiator', im, c[0]))),
    kit.call(rule, 'accept()', () => accept(sessionOptions(kit, 'acceptor', am, c[1]))),
  ]);
  if (i.status === 'fulfilled' && a.status === 'fulfilled') return [i.value, a.value];
  if (i.status === 'fulfilled') await i.value.close();
  if (a.status === 'fulfilled') await a.value.close();
  const [side, reason] =
    i.status === 'rejected' ? ['initiator', i.reason] : ['acceptor', (a as PromiseRejectedResult).reason];
  if (reason instanceof ConformanceError) throw reason;
  throw new ConformanceError(rule, `the engine's ${side} failed: ${describeThrown(reason)}`, reason);
}

/** A message each way through two sessions. */
async function exchange(
  kit: Kit,
  rule: RuleId,
  client: Session,
  server: Session,
  label: string,
): Promise<void> {
  const confidential = (client.info.flags & Flags.CONF) !== 0;
  const request = utf8(`request ${label}`);
  await kit.call(rule, 'session.send()', () => client.send(request, { confidential }));
  const got = await kit.call(rule, 'session.receive()', () => server.receive());
  if (!got || !bytesEqual(got, request))
    throw new ConformanceError(rule, `the acceptor's session did not receive the request (${label})`);
  const reply = utf8(`reply ${label}`);
  await kit.call(rule, 'session.send()', () =>
    server.send(reply, { confidential: (server.info.flags & Flags.CONF) !== 0 }),
  );
  const back = await kit.call(rule, 'session.receive()', () => client.receive());
  if (!back || !bytesEqual(back, reply))
    throw new ConformanceError(rule, `the initiator's session did not receive the reply (${label})`);
}

export async function checkEngineHandshake(kit: Kit): Promise<CheckNote> {
  const R = 'rule:engine-handshake';
  // Frames cut into 7-byte chunks, so tokens cross chunk boundaries.
  const [client, server] = await sessions(kit, R, channels(7));
  try {
    await exchange(kit, R, client, server, 'in memory');
    await client.close();
    const end = await kit.call(R, 'session.receive() after the peer closed', () => server.receive());
    if (end !== null)
      throw new ConformanceError(R, 'the acceptor received a message after the initiator closed');
  } finally {
    await Promise.allSettled([client.close(), server.close()]);
  }
  return undefined;
}

/** The initiator's context as the engine sees it, but with MUTUAL taken out of info(). */
function withoutMutual(ctx: SecurityContext): SecurityContext {
  return {
    role: ctx.role,
    mechanism: ctx.mechanism,
    get established() {
      return ctx.established;
    },
    step: (input) => ctx.step(input),
    info: () => {
      const info = ctx.info();
      return { ...info, flags: info.flags & ~Flags.MUTUAL };
    },
    wrap: (m, o) => ctx.wrap(m, o),
    unwrap: (t) => ctx.unwrap(t),
    getMic: (m, q) => ctx.getMic(m, q),
    verifyMic: (m, t) => ctx.verifyMic(m, t),
    dispose: () => ctx.dispose(),
  };
}

export async function checkMutualEnforced(kit: Kit): Promise<CheckNote> {
  const R = 'rule:mutual-enforced';
  const notes: string[] = [];
  const flags: ContextFlags = kit.richFlags | Flags.MUTUAL;
  // 1. The engine refuses a context that did not grant MUTUAL.
  const pair = await kit.pair(flags);
  const [ci, ca] = channels();
  const [ri, ra] = await Promise.allSettled([
    kit.call(R, 'establishContext(initiator)', () =>
      establishContext({
        context: kit.capabilities.mutual ? withoutMutual(pair.initiator) : pair.initiator,
        channel: ci,
        requiredFlags: Flags.MUTUAL,
        timeoutMs: kit.callTimeoutMs,
      }),
    ),
    kit.call(R, 'establishContext(acceptor)', () =>
      establishContext({ context: pair.acceptor, channel: ca, timeoutMs: kit.callTimeoutMs }),
    ),
  ]);
  void ra;
  disposeAll(pair.initiator, pair.acceptor);
  await Promise.allSettled([ci.close(), ca.close()]);
  if (ri.status === 'fulfilled')
    throw new ConformanceError(
      R,
      'the engine established a context without MUTUAL although MUTUAL was required',
    );
  if (ri.reason instanceof ConformanceError) throw ri.reason;
  expectCode(ri.reason, ['MUTUAL_AUTH_REQUIRED'], R, 'the engine, given a context without MUTUAL');
  notes.push('the engine refuses a context without MUTUAL');
  // 2. A mechanism that claims mutual authentication gets it through the engine.
  if (kit.capabilities.mutual) {
    const [client, server] = await sessions(kit, R, channels());
    const granted = client.info.flags;
    await Promise.allSettled([client.close(), server.close()]);
    if (!(granted & Flags.MUTUAL))
      throw new ConformanceError(R, 'capabilities.mutual is true but the engine session has no MUTUAL');
  }
  // 3. An impostor acceptor: the initiator must not end up believing in it.
  if (kit.options.impostor) notes.push(await impostor(kit, flags));
  else notes.push('no impostor given: the initiator was not tried against wrong credentials');
  return notes.join('; ');
}

async function impostor(kit: Kit, flags: ContextFlags): Promise<string> {
  const R = 'rule:mutual-enforced';
  const im = await kit.mechanism('initiator');
  const bad = await kit.mechanism('impostor');
  const initiator = await kit.context(im, 'initiator', flags);
  const acceptor = await kit.context(bad, 'acceptor', flags);
  let outcome: string;
  try {
    const r = await runStepLoop(initiator, acceptor, { ...kit.loopOptions(R), stallIsOutcome: true });
    if (r.ok || ('stalled' in r && r.established.initiator)) {
      const granted = (await infoOf(kit, initiator, R)).flags;
      if (granted & Flags.MUTUAL)
        throw new ConformanceError(R, 'the initiator granted MUTUAL to an impostor acceptor');
      outcome = 'the initiator established with the impostor but without MUTUAL';
    } else if ('stalled' in r) {
      outcome = 'the handshake with the impostor never completed';
    } else {
      const e = expectTypedError(r.error, R, `${r.side}.step() against an impostor`);
      outcome = `the ${r.side} refused the impostor with ${e.code}`;
    }
  } finally {
    disposeAll(initiator, acceptor);
  }
  // Through the engine: initiate() requires MUTUAL by default and must fail.
  const [ci, ca] = channels();
  const [ri] = await Promise.allSettled([
    kit.call(R, 'initiate() against an impostor', () => initiate(sessionOptions(kit, 'initiator', im, ci))),
    kit
      .call(R, 'accept() as an impostor', () => accept(sessionOptions(kit, 'acceptor', bad, ca)))
      .then((s) => s.close()),
  ]);
  await Promise.allSettled([ci.close(), ca.close()]);
  if (ri.status === 'fulfilled') {
    await ri.value.close();
    throw new ConformanceError(R, 'initiate() opened a session with an impostor acceptor');
  }
  if (ri.reason instanceof ConformanceError) throw ri.reason;
  const e = expectTypedError(ri.reason, R, 'initiate() against an impostor');
  return `${outcome}; initiate() failed with ${e.code}`;
}

export async function checkSocketHandshake(kit: Kit): Promise<CheckNote> {
  const R = 'rule:socket-handshake';
  if (kit.options.socket === false) return { skip: 'socket: false in the options' };
  const count = kit.options.connections ?? 3;
  const im = await kit.mechanism('initiator');
  // One acceptor Mechanism serves every connection, as a server's credentials would.
  const am = await kit.mechanism('acceptor');
  const serverErrors: unknown[] = [];
  const served: Array<Promise<void>> = [];
  const listener = await kit.call(R, 'listen()', () =>
    listen({ host: '127.0.0.1', port: 0, onError: (e) => serverErrors.push(e) }, (stream: ByteStream) => {
      const done = (async () => {
        const session = await accept(sessionOptions(kit, 'acceptor', am, frameChannel(stream, u32be())));
        try {
          for await (const message of session) {
            await session.send(utf8(`echo ${new TextDecoder().decode(message)}`), {
              confidential: (session.info.flags & Flags.CONF) !== 0,
            });
          }
        } finally {
          await session.close();
        }
      })();
      served.push(done.catch((e) => void serverErrors.push(e)));
      return done;
    }),
  );
  try {
    const clients = Array.from({ length: count }, async (_, n) => {
      const stream = await connect({ host: '127.0.0.1', port: listener.port });
      const session = await initiate(sessionOptions(kit, 'initiator', im, frameChannel(stream, u32be())));
      try {
        for (let k = 0; k < 2; k++) {
          const text = `client ${n} message ${k}`;
          await session.send(utf8(text), { confidential: (session.info.flags & Flags.CONF) !== 0 });
          const back = await session.receive();
          if (!back || new TextDecoder().decode(back) !== `echo ${text}`) {
            throw new ConformanceError(
              R,
              `connection ${n} got ${back ? 'another reply' : 'no reply'} to its message ${k}`,
            );
          }
        }
      } finally {
        await session.close();
      }
    });
    const results = await kit.call(R, `${count} concurrent connections`, () => Promise.allSettled(clients));
    await kit.call(R, 'the server sessions', () => Promise.allSettled(served));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      if (failed.reason instanceof ConformanceError) throw failed.reason;
      const server = serverErrors.find((e) => isGssockError(e));
      throw new ConformanceError(
        R,
        `a client failed: ${describeThrown(failed.reason)}${server ? `; server: ${describeThrown(server)}` : ''}`,
        failed.reason,
      );
    }
    const serverFailure = serverErrors[0];
    if (serverFailure !== undefined)
      throw new ConformanceError(
        R,
        `the server side failed: ${describeThrown(serverFailure)}`,
        serverFailure,
      );
  } finally {
    await listener.close();
  }
  return `${count} concurrent sessions over 127.0.0.1:${listener.port}`;
}
