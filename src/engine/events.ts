/**
 * What the handshake driver reports while it runs: one event per token on the wire and one
 * when the context is established. `leg` numbers the tokens of the exchange from 1, counting
 * both directions, so both peers number the same token alike (the initiator's first token
 * is leg 1 on both sides). `flags` is the frame's flag byte (gss-sample; 0 otherwise).
 * Sizes only: token bytes are never handed out, so a listener cannot log secrets by accident.
 */
import type { ContextInfo } from '../core/mechanism.ts';

export type HandshakeEvent =
  | { type: 'send'; leg: number; size: number; flags: number }
  | { type: 'receive'; leg: number; size: number; flags: number }
  | { type: 'established'; info: ContextInfo };

export type HandshakeListener = (event: HandshakeEvent) => void;
