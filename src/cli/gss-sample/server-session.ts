/**
 * The server half of MIT's gss-sample protocol (gss-server.c sign_server() and
 * server_establish_context()), for one connection.
 *
 * 1. The first frame must carry NOOP (current MIT refuses anything else, so v1 clients,
 *    whose first byte is a length byte, are turned away). NOOP|CONTEXT_NEXT starts a
 *    handshake; a bare NOOP is an unauthenticated session.
 * 2. Handshake frames until the acceptor is established; then the granted flags and
 *    `Accepted connection: "<client>"`.
 * 3. Messages until a NOOP: WRAPPED ones are unwrapped; SEND_MIC gets a MIC over the
 *    plaintext back, anything else an empty NOOP. An unauthenticated client asking for
 *    WRAPPED/ENCRYPTED/SEND_MIC is refused.
 *
 * Flagless mode (gssock's u32be/u32le framings) is the old v1 protocol: the first frame
 * is already a context token, every message is wrapped and answered with a MIC, and the
 * client ends by closing the connection.
 *
 * Output goes to `log` (gss-server's logfile / display_file, stdout by default) and
 * `stdout` (the lines gss-server prints with printf whatever -logfile says).
 */
import { gssError, TimeoutError } from '../../core/errors.ts';
import type { ContextInfo, SecurityContext } from '../../core/mechanism.ts';
import { establishContext } from '../../engine/establish.ts';
import type { HandshakeEvent } from '../../engine/events.ts';
import type { Frame, FrameChannel } from '../../transport/channel.ts';
import { GssSampleFlags as F } from '../../transport/framing/gss-sample.ts';
import { braceOid } from '../oids.ts';
import { tapChannel } from './channel-tools.ts';
import { displayCtxFlags, printToken, receivedMessage } from './mit-text.ts';
import { receiveOrClosed, withStage } from './protocol-common.ts';

export interface SampleServerOptions {
  channel: FrameChannel;
  /** Makes the acceptor context for this connection. */
  createContext: () => Promise<SecurityContext>;
  flagless: boolean;
  /** gss-server -verbose: hex dumps of tokens and messages. */
  verbose: boolean;
  log: (text: string) => void;
  stdout: (text: string) => void;
  /** Warnings gss-server writes to stderr. */
  stderr: (text: string) => void;
  /** Whole-handshake deadline in ms, from when the handshake starts. */
  timeoutMs?: number;
  /**
   * Date.now() by which the context must be established (the server's handshake timeout,
   * counted from accept); the handshake gets whichever of this and `timeoutMs` ends first.
   */
  handshakeDeadline?: number;
  /** Most handshake tokens, both directions counted (establishContext's default: 16). */
  maxLegs?: number;
  onEvent?: (event: HandshakeEvent) => void;
}

export interface SampleServerResult {
  /** Undefined for an unauthenticated session. */
  info?: ContextInfo;
  messages: number;
}

const EMPTY = new Uint8Array(0);

/** Serves one connection; throws a GssockError (details.stage says where) when it fails. */
export async function serveSampleConnection(options: SampleServerOptions): Promise<SampleServerResult> {
  const { channel, log, flagless } = options;
  let first: Frame | null = null;
  if (!flagless) {
    first = await withStage('reading token', () => receiveOrClosed(channel));
    if (!(first.flags & F.NOOP))
      throw gssError('PROTOCOL_ERROR', `Expected NOOP token, got ${first.flags} token instead`, {
        origin: 'peer',
        details: { stage: 'reading token' },
      });
  }

  let context: SecurityContext | null = null;
  let info: ContextInfo | undefined;
  if (flagless || (first && first.flags & F.CONTEXT_NEXT)) {
    const established = await acceptContext(options);
    context = established.context;
    info = established.info;
    options.stdout(`Accepted connection: "${info.peerName}"\n`);
  } else {
    log('Accepted unauthenticated connection.\n');
    options.stdout('Accepted unauthenticated connection.\n');
  }

  let messages = 0;
  try {
    for (;;) {
      const frame = flagless
        ? await channel.receive()
        : await withStage('reading token', () => receiveOrClosed(channel));
      if (frame === null) break; // flagless: the client hung up, the v1 way of saying goodbye
      const flags = flagless ? F.DATA | F.WRAPPED | F.SEND_MIC : frame.flags;
      if (flags & F.NOOP) {
        log('NOOP token\n');
        break;
      }
      if (options.verbose) log(`Message token (flags=${frame.flags}):\n${printToken(frame.body)}`);
      if (!context && flags & (F.WRAPPED | F.ENCRYPTED | F.SEND_MIC)) {
        log('Unauthenticated client requested authenticated services!\n');
        throw gssError('UNAUTHORIZED', 'unauthenticated client requested authenticated services', {
          origin: 'peer',
          details: { stage: 'reading token' },
        });
      }
      let message = frame.body;
      if (context && flags & F.WRAPPED) {
        const ctx = context;
        const unwrapped = await withStage('unsealing message', async () => ctx.unwrap(frame.body));
        if (!unwrapped.confidential && flags & F.ENCRYPTED)
          options.stderr('Warning!  Message not encrypted.\n');
        message = unwrapped.message;
      }
      log(receivedMessage(message));
      messages++;
      if (context && flags & F.SEND_MIC) {
        const ctx = context;
        const mic = await withStage('signing message', async () => ctx.getMic(message));
        await withStage('sending token', () => channel.send({ flags: flagless ? 0 : F.MIC, body: mic }));
      } else {
        await withStage('sending token', () => channel.send({ flags: F.NOOP, body: EMPTY }));
      }
    }
  } finally {
    context?.dispose();
  }
  return info ? { info, messages } : { messages };
}

/** server_establish_context()'s loop, with -verbose's token dumps taken from a channel tap. */
async function acceptContext(
  options: SampleServerOptions,
): Promise<{ context: SecurityContext; info: ContextInfo }> {
  const { log, verbose } = options;
  let receivedBefore = false;
  const channel = verbose
    ? tapChannel(options.channel, {
        onReceive(frame) {
          // A second read means the previous accept_sec_context call said CONTINUE_NEEDED.
          if (receivedBefore) log('continue needed...\n');
          receivedBefore = true;
          log(`Received token (size=${frame.body.length}): \n${printToken(frame.body)}`);
        },
        onSend(frame) {
          log(`Sending accept_sec_context token (size=${frame.body.length}):\n${printToken(frame.body)}`);
        },
      })
    : options.channel;
  const timeoutMs = handshakeTimeLeft(options);
  const context = await withStage('accepting context', options.createContext);
  const established = await withStage('accepting context', () =>
    establishContext({
      context,
      channel,
      frameFlags: options.flagless ? 0 : F.CONTEXT,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(options.maxLegs !== undefined ? { maxLegs: options.maxLegs } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    }),
  ).catch((e: unknown) => {
    context.dispose();
    throw e;
  });
  if (verbose) log('\n');
  log(displayCtxFlags(established.info.flags));
  if (verbose) log(`Accepted connection using mechanism OID ${safeBrace(established.info.mechanismOid)}.\n`);
  return established;
}

/** The handshake's own deadline: `timeoutMs` or what is left before `handshakeDeadline`. */
function handshakeTimeLeft(options: SampleServerOptions): number | undefined {
  if (options.handshakeDeadline === undefined) return options.timeoutMs;
  const left = options.handshakeDeadline - Date.now();
  if (left <= 0)
    throw new TimeoutError('the handshake timeout passed before the handshake started', {
      origin: 'peer',
      details: { stage: 'accepting context' },
    });
  return Math.min(left, options.timeoutMs ?? Number.POSITIVE_INFINITY);
}

function safeBrace(oid: string): string {
  return /^\d+(\.\d+)+$/.test(oid) ? braceOid(oid) : oid;
}
