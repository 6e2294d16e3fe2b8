/**
 * KDC traffic over real sockets with node:dgram and node:net (present on Node, Deno and
 * Bun). Runtime-specific on purpose: nothing in the pure core imports this file; callers
 * reach it through `loadNetTransport()` (a dynamic import) or import it directly.
 */
import { createSocket } from 'node:dgram';
import { resolveSrv } from 'node:dns/promises';
import { createConnection, isIPv6 } from 'node:net';
import { type GssockError, gssError, TimeoutError, toGssockError } from '../../../core/errors.ts';
import { createFailoverTransport, type FailoverOptions } from './failover-transport.ts';
import type { SrvResolver } from './locator.ts';
import { encodeKdcTcpRecord, KdcTcpRecordReader } from './tcp-record.ts';
import {
  DEFAULT_MAX_KDC_REPLY,
  formatKdcAddress,
  type KdcAddress,
  type KdcDialer,
  type KdcTransport,
} from './transport.ts';

export interface NetTransportOptions extends FailoverOptions {
  /** Largest reply accepted (TCP record length or datagram). Default 1 MiB. */
  maxReplySize?: number;
}

function ioError(address: KdcAddress, protocol: string, e: unknown): GssockError {
  const err = e as { code?: string; message?: string };
  return gssError('IO_ERROR', `${formatKdcAddress(address, protocol as 'udp')}: ${err.code ?? err.message}`, {
    cause: e,
    details: { kdc: formatKdcAddress(address, protocol as 'udp'), errno: err.code },
  });
}

function udpExchange(address: KdcAddress, message: Uint8Array, timeoutMs: number, max: number) {
  return new Promise<Uint8Array>((resolve, reject) => {
    const socket = createSocket(isIPv6(address.host) ? 'udp6' : 'udp4');
    let settled = false;
    const finish = (error: unknown, reply?: Uint8Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        socket.close();
      } catch {
        // already closed
      }
      if (error) reject(error);
      else resolve(reply!);
    };
    const timer = setTimeout(
      () => finish(new TimeoutError(`${formatKdcAddress(address, 'udp')}: no reply in ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('error', (e) => finish(ioError(address, 'udp', e)));
    socket.on('message', (data: Uint8Array) => {
      if (data.length > max)
        return finish(gssError('FRAME_TOO_LARGE', 'KDC datagram too large', { origin: 'peer' }));
      // Copy out of the runtime's Buffer into a plain Uint8Array.
      finish(undefined, new Uint8Array(data));
    });
    // connect() makes the kernel deliver ICMP port-unreachable as ECONNREFUSED and
    // filters datagrams from anyone but the KDC.
    socket.connect(address.port, address.host, () => {
      socket.send(message, (e) => {
        if (e) finish(ioError(address, 'udp', e));
      });
    });
  });
}

function tcpExchange(address: KdcAddress, message: Uint8Array, timeoutMs: number, max: number) {
  return new Promise<Uint8Array>((resolve, reject) => {
    const socket = createConnection({ host: address.host, port: address.port });
    const reader = new KdcTcpRecordReader(max);
    let settled = false;
    const finish = (error: unknown, reply?: Uint8Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    const timer = setTimeout(
      () => finish(new TimeoutError(`${formatKdcAddress(address, 'tcp')}: no reply in ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(encodeKdcTcpRecord(message)));
    socket.on('data', (chunk: Uint8Array) => {
      try {
        const body = reader.push(chunk);
        if (body) finish(undefined, body);
      } catch (e) {
        finish(toGssockError(e, 'PROTOCOL_ERROR', 'peer'));
      }
    });
    socket.on('error', (e) => finish(ioError(address, 'tcp', e)));
    socket.on('end', () =>
      finish(
        gssError(
          'CONNECTION_CLOSED',
          `${formatKdcAddress(address, 'tcp')}: closed after ${reader.received} bytes`,
          {
            origin: 'peer',
          },
        ),
      ),
    );
  });
}

/** The raw per-endpoint exchanges over node:dgram / node:net. */
export function createNetDialer(options: { maxReplySize?: number } = {}): KdcDialer {
  const max = options.maxReplySize ?? DEFAULT_MAX_KDC_REPLY;
  return {
    udp: (address, message, timeoutMs) => udpExchange(address, message, timeoutMs, max),
    tcp: (address, message, timeoutMs) => tcpExchange(address, message, timeoutMs, max),
  };
}

/** The network KDC transport: failover policy (failover-transport.ts) over real sockets. */
export function createNetTransport(options: NetTransportOptions = {}): KdcTransport {
  return createFailoverTransport(createNetDialer(options), options);
}

/** SRV lookups through node:dns, for `locateKdcs({ resolveSrv })`. */
export const netSrvResolver: SrvResolver = async (name) => {
  const records = await resolveSrv(name);
  return records.map((r) => ({ name: r.name, port: r.port, priority: r.priority, weight: r.weight }));
};
