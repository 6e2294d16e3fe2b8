/**
 * How a KDC request reaches a KDC. The exchanges (AS, TGS) are written against
 * `KdcTransport` only, so tests plug in an in-memory KDC and the library never loads
 * `node:net` unless the caller asks for the network transport (net-transport.ts).
 */

/** One KDC endpoint. `protocol` is fixed by an SRV record (_udp/_tcp) or `tcp/host` in
 *  krb5.conf; 'any' lets the transport pick (UDP for small messages, then TCP). */
export interface KdcAddress {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp' | 'any';
}

export interface KdcRequest {
  realm: string;
  /** The DER of an AS-REQ or TGS-REQ. */
  message: Uint8Array;
  /** KDCs in preference order. */
  kdcs: KdcAddress[];
  /** Overall deadline for this request, across every KDC tried. */
  timeoutMs: number;
  /** Try TCP first even for small messages. */
  preferTcp?: boolean;
}

export interface KdcTransport {
  /** Resolves with the reply bytes (an AS-REP, TGS-REP or KRB-ERROR, undecoded).
   *  Rejects with a GssockError: TIMEOUT or IO_ERROR with `details.kdcs` naming every KDC tried. */
  send(request: KdcRequest): Promise<Uint8Array>;
}

/** One raw attempt on one endpoint over one protocol: what a socket layer provides. */
export interface KdcDialer {
  /** Sends one datagram and resolves with the first datagram back. */
  udp(address: KdcAddress, message: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  /** Sends one length-prefixed record (RFC 4120 §7.2.2) and resolves with the reply record's body. */
  tcp(address: KdcAddress, message: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
}

/** MIT's default udp_preference_limit: messages larger than this go over TCP first. */
export const DEFAULT_UDP_PREFERENCE_LIMIT = 1465;
/** Default ceiling for a KDC reply (TCP record or datagram). AD tickets with big PACs
 *  reach tens of kilobytes; 1 MiB leaves room without letting a peer exhaust memory. */
export const DEFAULT_MAX_KDC_REPLY = 1 << 20;
export const KERBEROS_PORT = 88;

/** 'udp/127.0.0.1:88', '[::1]:88' style label for errors and logs. */
export function formatKdcAddress(address: KdcAddress, protocol = address.protocol): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${protocol === 'any' ? '' : `${protocol}/`}${host}:${address.port}`;
}
