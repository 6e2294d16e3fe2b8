/**
 * The engine: runs a mechanism's SecurityContext over a FrameChannel until established,
 * enforcing the required flags, the deadline and the leg limit, then hands back a Session
 * for wrapped application messages. It knows mechanisms only through core/mechanism.ts
 * and the wire only through transport/channel.ts.
 */
export { Deadline, type DeadlineOptions } from './deadline.ts';
export {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_LEGS,
  type Established,
  type EstablishOptions,
  enforceRequiredFlags,
  establishContext,
} from './establish.ts';
export type { HandshakeEvent, HandshakeListener } from './events.ts';
export { type AcceptOptions, accept, type InitiateOptions, initiate } from './initiate.ts';
export { DEFAULT_MAX_MESSAGE_SIZE, openSession, type Session, type SessionOptions } from './session.ts';
