/**
 * A look at a KDC reply before the exchanges read it, for the transport's retry decisions
 * (RESPONSE_TOO_BIG, SVC_UNAVAILABLE). Never throws: anything that is not a well-formed
 * KRB-ERROR ([APPLICATION 30], RFC 4120 §5.9.1) yields undefined and is left to the exchange.
 */
import { decodeKrbError } from '../messages/index.ts';

export function peekKrbErrorCode(reply: Uint8Array): number | undefined {
  if (reply.length < 2 || reply[0] !== 0x7e) return undefined;
  try {
    return decodeKrbError(reply).errorCode;
  } catch {
    return undefined;
  }
}
