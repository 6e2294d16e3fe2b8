/**
 * The client half of MIT's gss-sample protocol (gss-client.c call_server()), over any
 * FrameChannel: one connection, one context, `count` messages.
 *
 * 1. Unless flagless (v1 / bare length framing): an empty NOOP|CONTEXT_NEXT frame, or just
 *    NOOP when not authenticating (-na).
 * 2. CONTEXT frames until the context is established (the engine sends only non-empty
 *    tokens and reads only while the mechanism expects more).
 * 3. Per message: DATA[|WRAPPED][|ENCRYPTED][|SEND_MIC] carrying the (wrapped) message;
 *    the server answers MIC over the plaintext (verified here) or an empty NOOP.
 * 4. An empty NOOP says goodbye (not in v1).
 *
 * Verbose output copies gss-client's stdout line for line (see mit-text.ts).
 */
import { toGssockError } from '../../core/errors.ts';
import type { ContextFlags } from '../../core/flags.ts';
import type { ContextInfo, SecurityContext } from '../../core/mechanism.ts';
import { establishContext } from '../../engine/establish.ts';
import type { HandshakeEvent } from '../../engine/events.ts';
import type { FrameChannel } from '../../transport/channel.ts';
import { GssSampleFlags as F } from '../../transport/framing/gss-sample.ts';
import { braceOid } from '../oids.ts';
import { displayCtxFlags, inquireLine } from './mit-text.ts';
import { receiveOrClosed, withStage } from './protocol-common.ts';

export interface SampleClientOptions {
  channel: FrameChannel;
  /** The initiator context; null for an unauthenticated session (-na). */
  context: SecurityContext | null;
  /** Flags that must be granted (MUTUAL unless -nomutual); the engine enforces them. */
  requiredFlags: ContextFlags;
  /** No flag bytes: no NOOPs, flags 0 everywhere (gss-client -v1, or a u32be/u32le framing). */
  flagless: boolean;
  wrap: boolean;
  encrypt: boolean;
  mic: boolean;
  message: Uint8Array;
  count: number;
  /** Per-receive deadline and handshake deadline, ms. */
  timeoutMs?: number;
  /** gss-client's stdout when verbose; undefined with -q. */
  out?: (text: string) => void;
  /** Name types to list after establishment (gss_inquire_names_for_mech). */
  nameTypes?: { source: string; supported: readonly string[] };
  onEvent?: (event: HandshakeEvent) => void;
  /** Clock for the lifetime figure; default Date.now. */
  now?: () => number;
}

export interface SampleClientResult {
  info?: ContextInfo;
  messagesSent: number;
}

/** Runs one gss-sample client session; throws a GssockError whose details.stage names the step. */
export async function runSampleClient(options: SampleClientOptions): Promise<SampleClientResult> {
  // The context is ours to dispose whatever happens (dispose is idempotent): a failed
  // handshake, wrap, send or MIC check must not leave its keys alive.
  try {
    return await runSession(options);
  } finally {
    options.context?.dispose();
  }
}

async function runSession(options: SampleClientOptions): Promise<SampleClientResult> {
  const { channel, flagless, out } = options;
  let context = options.context;
  let info: ContextInfo | undefined;

  if (context) {
    if (!flagless)
      await withStage('sending token', () =>
        channel.send({ flags: F.NOOP | F.CONTEXT_NEXT, body: new Uint8Array(0) }),
      );
    let lineOpen = false;
    const established = await withStage('initializing context', () =>
      establishContext({
        context: context as SecurityContext,
        channel,
        requiredFlags: options.requiredFlags,
        frameFlags: flagless ? 0 : F.CONTEXT,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        onEvent: (event: HandshakeEvent) => {
          // gss-client prints "Sending ... (size=N)..." per sent token, "continue needed..."
          // before each read and a newline at the end of every loop pass.
          if (event.type === 'send') out?.(`Sending init_sec_context token (size=${event.size})...`);
          else if (event.type === 'receive') out?.('continue needed...\n');
          else if (event.type === 'established') out?.('\n');
          lineOpen = event.type === 'send';
          options.onEvent?.(event);
        },
      }),
    ).catch((e: unknown) => {
      if (lineOpen) out?.('\n'); // end the "Sending ..." line before the error lines
      throw e;
    });
    context = established.context;
    info = established.info;
    if (out) out(describeContext(info, options));
  } else {
    await withStage('sending token', () => channel.send({ flags: F.NOOP, body: new Uint8Array(0) }));
  }

  const sendFlags = flagless
    ? 0
    : F.DATA |
      (options.wrap ? F.WRAPPED : 0) |
      (options.encrypt ? F.ENCRYPTED : 0) |
      (options.mic ? F.SEND_MIC : 0);
  let sent = 0;
  for (let i = 0; i < options.count; i++) {
    let body = options.message;
    if (options.wrap && context) {
      const ctx = context;
      body = await withStage('wrapping message', async () =>
        ctx.wrap(options.message, { confidential: options.encrypt }),
      );
    }
    await withStage('sending token', () => channel.send({ flags: sendFlags, body }));
    sent++;
    const reply = await withStage('reading token', () => receiveOrClosed(channel));
    if (options.mic && context) {
      const ctx = context;
      await withStage('verifying signature', async () => ctx.verifyMic(options.message, reply.body));
      out?.('Signature verified.\n');
    } else {
      out?.('Response received.\n');
    }
  }

  if (!flagless)
    await withStage('sending token', () => channel.send({ flags: F.NOOP, body: new Uint8Array(0) }));
  return info ? { info, messagesSent: sent } : { messagesSent: sent };
}

/** display_ctx_flags() + the gss_inquire_context() lines gss-client prints after establishing. */
function describeContext(info: ContextInfo, options: SampleClientOptions): string {
  const now = (options.now ?? Date.now)();
  let text = displayCtxFlags(info.flags);
  text += inquireLine({
    source: info.localName,
    target: info.peerName,
    lifetimeSeconds: info.expiresAt === undefined ? undefined : (info.expiresAt - now) / 1000,
    flags: info.flags,
    locallyInitiated: true,
  });
  const types = options.nameTypes;
  if (types) {
    text += `Name type of source name is ${braceOid(types.source)}.\n`;
    text += `Mechanism ${safeBrace(info.mechanismOid)} supports ${types.supported.length} names\n`;
    types.supported.forEach((oid, i) => {
      text += `  ${i}: ${braceOid(oid)}\n`;
    });
  }
  return text;
}

function safeBrace(oid: string): string {
  try {
    return braceOid(oid);
  } catch (e) {
    return toGssockError(e).message;
  }
}
