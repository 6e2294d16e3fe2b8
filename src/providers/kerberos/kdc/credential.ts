/**
 * What an AS or TGS exchange yields: a ticket and its session key, with the times and
 * flags the KDC put in the encrypted reply part (RFC 4120 §5.4.2). This is the same
 * information an MIT ccache credential holds (ccache.ts converts both ways).
 */
import type { EncryptionKey, HostAddress, Principal } from '../types.ts';

export interface KerberosCredential {
  client: Principal;
  server: Principal;
  /** The session key shared with `server`. */
  key: EncryptionKey;
  /** ms since the epoch, as every time in gssock. */
  authTime: number;
  startTime?: number;
  endTime: number;
  renewTill?: number;
  /** TicketFlags as a uint32 (constants.ts TicketFlags). */
  flags: number;
  /** DER of the Ticket, opaque to the client. */
  ticket: Uint8Array;
  /** Enctype and kvno the ticket is encrypted under (for klist -e, kvno). */
  ticketEtype: number;
  ticketKvno?: number;
  addresses?: HostAddress[];
}

/** A credential is usable from `startTime ?? authTime` until `endTime`, allowing `skewMs`. */
export function isCredentialValid(cred: KerberosCredential, now: number, skewMs = 0): boolean {
  const start = cred.startTime ?? cred.authTime;
  return now + skewMs >= start && now < cred.endTime;
}
