/**
 * `initiate()` / `accept()`: the one-call forms. Create the context in its role, run the
 * handshake (establish.ts), and open a Session on the same channel.
 *
 * Fail closed on mutual authentication: an initiator that asks for MUTUAL (the default,
 * DEFAULT_FLAGS) also requires it unless `requiredFlags` says otherwise, because the MS
 * samples' habit of only printing a warning (references.md §1.6) is how impostors get in.
 */
import { toGssockError } from '../core/errors.ts';
import { type ContextFlags, DEFAULT_FLAGS, Flags } from '../core/flags.ts';
import type {
  ChannelBindings,
  Clock,
  ContextOptions,
  Mechanism,
  RandomSource,
  Role,
  SecurityContext,
} from '../core/mechanism.ts';
import type { FrameChannel } from '../transport/channel.ts';
import { type EstablishOptions, establishContext } from './establish.ts';
import type { HandshakeEvent } from './events.ts';
import { openSession, type Session, type SessionOptions } from './session.ts';

interface CommonOptions {
  mechanism: Mechanism;
  channel: FrameChannel;
  /** Requested flags; default DEFAULT_FLAGS (mutual + replay) for an initiator, 0 for an acceptor. */
  flags?: ContextFlags;
  /** Flags that must be granted (see EstablishOptions.requiredFlags). */
  requiredFlags?: ContextFlags;
  channelBindings?: ChannelBindings;
  clock?: Clock;
  random?: RandomSource;
  timeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: HandshakeEvent) => void;
  /** Flag byte on handshake frames (gss-sample: 0x02 CONTEXT). */
  frameFlags?: number;
  maxLegs?: number;
  closeOnFailure?: boolean;
  session?: SessionOptions;
}

export interface InitiateOptions extends CommonOptions {
  /** The target's name: an SPN (`service/host[:port][/name]`) or `service@host`. */
  target?: string;
}

export interface AcceptOptions extends CommonOptions {
  /** The name to accept as; undefined accepts any the mechanism has keys for. */
  acceptorName?: string;
}

/** Runs the initiator side and returns a Session. requiredFlags defaults to (flags & MUTUAL). */
export function initiate(o: InitiateOptions): Promise<Session> {
  const flags = o.flags ?? DEFAULT_FLAGS;
  return run(o, 'initiator', { flags, target: o.target }, o.requiredFlags ?? flags & Flags.MUTUAL);
}

/** Runs the acceptor side and returns a Session. requiredFlags defaults to none. */
export function accept(o: AcceptOptions): Promise<Session> {
  return run(o, 'acceptor', { flags: o.flags, acceptorName: o.acceptorName }, o.requiredFlags ?? 0);
}

async function run(
  o: CommonOptions,
  role: Role,
  roleOptions: ContextOptions,
  requiredFlags: ContextFlags,
): Promise<Session> {
  const contextOptions: ContextOptions = {};
  for (const [k, v] of Object.entries({
    ...roleOptions,
    channelBindings: o.channelBindings,
    clock: o.clock,
    random: o.random,
  })) {
    if (v !== undefined) (contextOptions as Record<string, unknown>)[k] = v;
  }
  let context: SecurityContext;
  try {
    context = await o.mechanism.createContext(role, contextOptions);
  } catch (e) {
    if (o.closeOnFailure !== false) await o.channel.close().catch(() => {});
    throw toGssockError(e, 'FAILURE');
  }
  const establish: EstablishOptions = { context, channel: o.channel, requiredFlags };
  if (o.frameFlags !== undefined) establish.frameFlags = o.frameFlags;
  if (o.timeoutMs !== undefined) establish.timeoutMs = o.timeoutMs;
  if (o.signal !== undefined) establish.signal = o.signal;
  if (o.maxLegs !== undefined) establish.maxLegs = o.maxLegs;
  if (o.closeOnFailure !== undefined) establish.closeOnFailure = o.closeOnFailure;
  if (o.onEvent !== undefined) establish.onEvent = o.onEvent;
  const est = await establishContext(establish);
  return openSession(est, o.channel, o.session);
}
