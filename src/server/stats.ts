/**
 * The server's counters, read through `server.stats()` as a plain snapshot. Counts only
 * (no addresses, no names): safe to log and to export as metrics.
 */
import type { HandshakeGate } from './admission.ts';

export interface ServerStats {
  /** Connections the listener handed over. */
  accepted: number;
  /** Closed at once: maxConnections or the handshake queue was full, or the server was closing. */
  refused: number;
  /** Connections open now (queued + handshaking + in a session). */
  open: number;
  peakOpen: number;
  /** Waiting for a handshake slot now. */
  queued: number;
  peakQueued: number;
  /** Handshakes running now. */
  handshaking: number;
  peakHandshaking: number;
  /** Handshakes that completed. */
  established: number;
  /** Handshakes that failed (bad token, peer gone, limit, timeout, abort). */
  handshakeFailures: number;
  /** Connections that ran out of handshakeTimeoutMs (in the queue or in the handshake). */
  handshakeTimeouts: number;
  /** Sessions open now (onSession running). */
  sessions: number;
  /** Sessions cut by idleTimeoutMs. */
  idleTimeouts: number;
  /** onSession calls that threw or rejected. */
  sessionErrors: number;
}

export class ServerCounters {
  accepted = 0;
  refused = 0;
  open = 0;
  peakOpen = 0;
  established = 0;
  handshakeFailures = 0;
  handshakeTimeouts = 0;
  sessions = 0;
  idleTimeouts = 0;
  sessionErrors = 0;

  constructor(private readonly gate: HandshakeGate) {}

  snapshot(): ServerStats {
    return {
      accepted: this.accepted,
      refused: this.refused,
      open: this.open,
      peakOpen: this.peakOpen,
      queued: this.gate.queued,
      peakQueued: this.gate.peakQueued,
      handshaking: this.gate.active,
      peakHandshaking: this.gate.peakActive,
      established: this.established,
      handshakeFailures: this.handshakeFailures,
      handshakeTimeouts: this.handshakeTimeouts,
      sessions: this.sessions,
      idleTimeouts: this.idleTimeouts,
      sessionErrors: this.sessionErrors,
    };
  }
}
