/**
 * The in-process KDC transport: a `KdcTransport` (providers/kerberos/kdc/transport.ts)
 * that hands each request straight to the sans-IO KDC, so the gssock KDC client and the
 * Kerberos mechanism reach the in-process KDC without a socket, on every runtime.
 * A dropped request (null reply) rejects with TIMEOUT, as a silent network KDC would.
 * Nothing is recorded, so a long-lived in-process KDC holds no per-request memory.
 */
import { gssError } from '../core/errors.ts';
import type { KdcAddress, KdcRequest, KdcTransport } from '../providers/kerberos/kdc/transport.ts';

/** Answers one request's bytes; null means the KDC sends nothing. */
export type KdcRequestHandler = (request: Uint8Array) => Uint8Array | null;

/** The KDC list an in-process realm hands to KDC clients (the transport ignores it). */
export const IN_PROCESS_KDCS: KdcAddress[] = [{ host: 'in-process', port: 0, protocol: 'tcp' }];

export function createInProcessTransport(handle: KdcRequestHandler): KdcTransport {
  return {
    async send(request: KdcRequest): Promise<Uint8Array> {
      // A copy: the KDC must not see later changes the caller makes to its buffer.
      const reply = handle(request.message.slice());
      if (reply === null) throw gssError('TIMEOUT', 'the in-process KDC dropped the request (no reply)');
      return reply;
    },
  };
}
