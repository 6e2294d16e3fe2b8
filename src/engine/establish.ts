/**
 * `establishContext()`: drives a SecurityContext over a FrameChannel until established,
 * the loop of the SSPI/GSS samples (references.md §1.6, RFC 2743 §2.2.1):
 *
 *   initiator: step(null), send;   while not done: receive, step, send
 *   acceptor:  do { receive, step, send } while not done
 *
 * Rules, numbered because each one is tested:
 * 1. Every non-empty output token is sent, also the one returned with done (a Kerberos
 *    AP-REP). An empty or missing output token is never sent.
 * 2. A token is read only while not done: no extra read after the last step.
 * 3. When done, the required flags are checked BEFORE the last token goes out, so a side
 *    that refuses the context hands the peer nothing more: MUTUAL missing ->
 *    MutualAuthRequiredError, anything else missing -> FLAGS_NOT_GRANTED. Fail closed.
 * 4. The peer closing before done -> CONNECTION_CLOSED (origin peer); an empty token from
 *    the peer -> DEFECTIVE_TOKEN (origin peer); more than `maxLegs` tokens -> LIMIT_EXCEEDED.
 * 5. A context already established, or a malformed step result -> INVALID_STATE. Mechanisms
 *    themselves refuse a step after done (mechanism.ts rule 3).
 * 6. Every error is a GssockError (foreign ones wrapped: FAILURE from the mechanism,
 *    IO_ERROR from the channel). On any failure the context is disposed and, unless
 *    `closeOnFailure: false`, the channel closed. A timeout or an abort always closes the
 *    channel: that is the only way to interrupt a pending receive.
 * 7. The deadline's timer and the abort listener are removed whatever the outcome.
 */
import {
  type GssockError,
  gssError,
  isGssockError,
  MutualAuthRequiredError,
  toGssockError,
} from '../core/errors.ts';
import { type ContextFlags, Flags, flagNames } from '../core/flags.ts';
import type { ContextInfo, SecurityContext, StepResult } from '../core/mechanism.ts';
import type { FrameChannel } from '../transport/channel.ts';
import { Deadline } from './deadline.ts';
import type { HandshakeEvent } from './events.ts';

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_LEGS = 16;

export interface EstablishOptions {
  /** Already created in the right role. */
  context: SecurityContext;
  channel: FrameChannel;
  /** Checked at completion: MUTUAL missing -> MutualAuthRequiredError, others -> FLAGS_NOT_GRANTED. */
  requiredFlags?: ContextFlags;
  /** Flag byte put on handshake frames (gss-sample uses CONTEXT 0x02); default 0. */
  frameFlags?: number;
  /** Whole-handshake deadline in ms (Infinity for none); default 30000 -> TimeoutError. */
  timeoutMs?: number;
  /** Aborting fails the handshake with AbortedError. */
  signal?: AbortSignal;
  /** Most tokens (both directions) the handshake may take; default 16 -> LIMIT_EXCEEDED. */
  maxLegs?: number;
  /** Close the channel on any failure (default true). Timeouts and aborts always close it. */
  closeOnFailure?: boolean;
  onEvent?: (e: HandshakeEvent) => void;
}

export interface Established {
  context: SecurityContext;
  info: ContextInfo;
}

/** Throws MutualAuthRequiredError / FLAGS_NOT_GRANTED when `granted` lacks a `required` bit. */
export function enforceRequiredFlags(granted: ContextFlags, required: ContextFlags): void {
  const missing = required & ~granted;
  if (missing === 0) return;
  const details = { required: flagNames(required), granted: flagNames(granted), missing: flagNames(missing) };
  if (missing & Flags.MUTUAL) {
    throw new MutualAuthRequiredError(
      'mutual authentication was required but the peer did not prove its identity',
      { details },
    );
  }
  throw gssError('FLAGS_NOT_GRANTED', `required context flags not granted: ${details.missing.join(', ')}`, {
    origin: 'peer',
    details,
  });
}

export async function establishContext(o: EstablishOptions): Promise<Established> {
  const { context, channel } = o;
  if (!context || typeof context.step !== 'function' || !channel || typeof channel.receive !== 'function') {
    throw gssError('INVALID_ARGUMENT', 'establishContext needs a context and a channel');
  }
  const maxLegs = o.maxLegs ?? DEFAULT_MAX_LEGS;
  const frameFlags = o.frameFlags ?? 0;
  const required = o.requiredFlags ?? 0;
  const emit = o.onEvent ?? (() => {});
  let closing: Promise<void> | undefined;
  const closeChannel = () => {
    closing ??= Promise.resolve()
      .then(() => channel.close())
      .catch(() => {});
    return closing;
  };
  const fail = (e: unknown, deadlineError: GssockError | undefined, code: 'FAILURE' | 'IO_ERROR') => {
    safeDispose(context);
    return deadlineError ?? toGssockError(e, code);
  };
  if (!(Number.isInteger(maxLegs) && maxLegs > 0)) {
    throw fail(gssError('INVALID_ARGUMENT', 'maxLegs must be a positive integer'), undefined, 'FAILURE');
  }
  let deadline: Deadline;
  try {
    deadline = new Deadline({
      timeoutMs: o.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      ...(o.signal ? { signal: o.signal } : {}),
      what: 'security context handshake',
      onExpire: () => {
        safeDispose(context);
        void closeChannel();
      },
    });
  } catch (e) {
    if (o.closeOnFailure !== false) await closeChannel();
    throw fail(e, undefined, 'FAILURE');
  }

  let leg = 0;
  let channelError = false;
  const send = async (token: Uint8Array) => {
    if (++leg > maxLegs) throw tooManyLegs(maxLegs);
    deadline.check();
    channelError = true;
    await deadline.race(channel.send({ flags: frameFlags, body: token }));
    channelError = false;
    emit({ type: 'send', leg, size: token.length, flags: frameFlags });
  };
  const receive = async (): Promise<Uint8Array> => {
    if (leg + 1 > maxLegs) throw tooManyLegs(maxLegs);
    deadline.check();
    channelError = true;
    const frame = await deadline.race(channel.receive());
    channelError = false;
    if (frame === null) {
      throw gssError(
        'CONNECTION_CLOSED',
        `the peer closed the connection during the handshake (after ${leg} token${leg === 1 ? '' : 's'})`,
        { origin: 'peer' },
      );
    }
    leg++;
    emit({ type: 'receive', leg, size: frame.body.length, flags: frame.flags });
    if (frame.body.length === 0) {
      throw gssError('DEFECTIVE_TOKEN', `the peer sent an empty handshake token (leg ${leg})`, {
        origin: 'peer',
      });
    }
    return frame.body;
  };

  // RFC 2743 §2.2.2: a failing GSS_Accept_sec_context may still produce an output token
  // (a Kerberos KRB-ERROR, RFC 4121 §4.1) that the peer should see, so it can report why
  // instead of "connection closed". Mechanisms put it in the error's details.outputToken.
  // Best effort: the close that follows tells the peer anyway.
  const sendErrorToken = async (e: unknown) => {
    const token = isGssockError(e) ? e.details.outputToken : undefined;
    if (!(token instanceof Uint8Array) || token.length === 0 || deadline.error) return;
    try {
      await send(token);
    } catch {
      // Nothing more to tell a peer we cannot reach.
    }
    channelError = false;
  };

  try {
    deadline.check();
    if (context.established) throw gssError('INVALID_STATE', 'the security context is already established');
    let input: Uint8Array | null = context.role === 'acceptor' ? await receive() : null;
    for (;;) {
      deadline.check();
      let result: StepResult;
      try {
        result = checkStepResult(await deadline.race(runStep(context, input)));
      } catch (e) {
        await sendErrorToken(e);
        throw e;
      }
      const output = result.outputToken && result.outputToken.length > 0 ? result.outputToken : undefined;
      if (result.done) {
        const info = context.info();
        enforceRequiredFlags(info.flags, required);
        if (output) await send(output);
        deadline.check();
        emit({ type: 'established', info });
        return { context, info };
      }
      if (output) await send(output);
      input = await receive();
    }
  } catch (e) {
    const error = fail(e, deadline.error, channelError ? 'IO_ERROR' : 'FAILURE');
    if (o.closeOnFailure !== false || deadline.error) await closeChannel();
    throw error;
  } finally {
    deadline.dispose();
  }
}

/** Calls step() so that a synchronous throw becomes a rejection, wrapped as a GssockError. */
async function runStep(context: SecurityContext, input: Uint8Array | null): Promise<StepResult> {
  try {
    return await context.step(input);
  } catch (e) {
    throw toGssockError(e, 'FAILURE');
  }
}

function checkStepResult(r: StepResult): StepResult {
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.done !== 'boolean' ||
    (r.outputToken !== undefined && !(r.outputToken instanceof Uint8Array))
  ) {
    throw gssError('INVALID_STATE', 'the mechanism returned a malformed step result');
  }
  return r;
}

function tooManyLegs(maxLegs: number): GssockError {
  return gssError('LIMIT_EXCEEDED', `the handshake needed more than ${maxLegs} tokens`, {
    details: { maxLegs },
  });
}

function safeDispose(context: SecurityContext): void {
  try {
    context.dispose();
  } catch {
    // Disposal must not hide the error that brought us here.
  }
}
