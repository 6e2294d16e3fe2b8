/**
 * The KDC on loopback sockets (RFC 4120 §7.2.1 UDP, §7.2.2 TCP) with node:net and
 * node:dgram, which Node, Deno and Bun all provide. Loaded only when a listener is asked
 * for, so the in-process KDC never imports a socket module.
 *
 * - TCP: each request is a 4-byte big-endian length plus the message; several requests
 *   may share a connection. A length with the reserved high bit, or above the request
 *   limit, is answered with KRB_ERR_FIELD_TOOLONG and the connection closed (§7.2.2),
 *   before anything is allocated. Idle connections are closed; connections are capped.
 * - UDP: one datagram in, one out; a reply larger than `maxDatagramReply` is replaced by
 *   KRB_ERR_RESPONSE_TOO_BIG so the client retries over TCP (§7.2.1).
 * - Both bind the same port number, as a KDC listens on 88/udp and 88/tcp.
 * - A handler failure or a socket error never stops the listener.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { gssError } from '../core/errors.ts';

export interface KdcListenOptions {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port for TCP and UDP (default 0: a free port). */
  port?: number;
  tcp?: boolean;
  udp?: boolean;
  /** Largest UDP reply (default 4096, MIT's kdc_max_dgram_reply_size). */
  maxDatagramReply?: number;
  /** Open TCP connections at most (default 64). */
  maxConnections?: number;
  /** Close a TCP connection idle this long (default 30 s). */
  idleTimeoutMs?: number;
}

export interface KdcListenerHandlers {
  handle(request: Uint8Array): Uint8Array | null;
  responseTooBig(): Uint8Array;
  fieldTooLong(): Uint8Array;
  maxRequestSize: number;
}

export interface KdcListener {
  host: string;
  port: number;
  tcp: boolean;
  udp: boolean;
  close(): Promise<void>;
}

function record(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + message.length);
  new DataView(out.buffer).setUint32(0, message.length, false);
  out.set(message, 4);
  return out;
}

function serveConnection(socket: Socket, h: KdcListenerHandlers, idleTimeoutMs: number): void {
  let pending = new Uint8Array(0);
  socket.setNoDelay(true);
  socket.setTimeout(idleTimeoutMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Uint8Array) => {
    const next = new Uint8Array(pending.length + chunk.length);
    next.set(pending);
    next.set(chunk, pending.length);
    pending = next;
    while (pending.length >= 4) {
      const length = new DataView(pending.buffer, pending.byteOffset, 4).getUint32(0, false);
      if (length & 0x80000000 || length > h.maxRequestSize || length === 0) {
        socket.end(record(h.fieldTooLong()));
        pending = new Uint8Array(0);
        socket.pause();
        return;
      }
      if (pending.length < 4 + length) return;
      const request = pending.slice(4, 4 + length);
      pending = pending.slice(4 + length);
      let reply: Uint8Array | null = null;
      try {
        reply = h.handle(request);
      } catch {
        reply = null;
      }
      if (reply === null) {
        socket.destroy();
        return;
      }
      socket.write(record(reply));
    }
  });
}

/** Open connections per server, destroyed on close (server.close alone waits for them). */
const openSockets = new WeakMap<Server, Set<Socket>>();

function listenTcp(host: string, port: number, h: KdcListenerHandlers, o: KdcListenOptions): Promise<Server> {
  return new Promise((resolve, reject) => {
    const open = new Set<Socket>();
    const server = createServer((socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      serveConnection(socket, h, o.idleTimeoutMs ?? 30_000);
    });
    openSockets.set(server, open);
    server.maxConnections = o.maxConnections ?? 64;
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      server.on('error', () => {});
      resolve(server);
    });
  });
}

function listenUdp(
  host: string,
  port: number,
  h: KdcListenerHandlers,
  o: KdcListenOptions,
): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const max = o.maxDatagramReply ?? 4096;
    socket.once('error', reject);
    socket.on('message', (msg: Uint8Array, rinfo: { address: string; port: number }) => {
      let reply: Uint8Array | null = null;
      try {
        reply = h.handle(new Uint8Array(msg));
        if (reply !== null && reply.length > max) reply = h.responseTooBig();
      } catch {
        reply = null;
      }
      if (reply !== null) socket.send(reply, rinfo.port, rinfo.address, () => {});
    });
    socket.bind({ address: host, port }, () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve(socket);
    });
  });
}

const closeServer = (s: Server) =>
  new Promise<void>((r) => {
    s.close(() => r());
    for (const socket of openSockets.get(s) ?? []) socket.destroy();
  });
const closeUdp = (s: UdpSocket) =>
  new Promise<void>((r) => {
    try {
      s.close(() => r());
    } catch {
      r();
    }
  });

/** Starts the listeners; with port 0, picks a port free for both TCP and UDP. */
export async function listenKdc(h: KdcListenerHandlers, o: KdcListenOptions = {}): Promise<KdcListener> {
  const host = o.host ?? '127.0.0.1';
  const wantTcp = o.tcp ?? true;
  const wantUdp = o.udp ?? true;
  if (!wantTcp && !wantUdp) throw gssError('INVALID_ARGUMENT', 'listen on TCP, UDP or both');
  let lastError: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    let tcp: Server | undefined;
    let udp: UdpSocket | undefined;
    try {
      let port = o.port ?? 0;
      if (wantTcp) {
        tcp = await listenTcp(host, port, h, o);
        port = (tcp.address() as { port: number }).port;
      }
      if (wantUdp) {
        udp = await listenUdp(host, port, h, o);
        port = udp.address().port;
      }
      const sockets = { tcp, udp };
      return {
        host,
        port,
        tcp: wantTcp,
        udp: wantUdp,
        close: async () => {
          await Promise.all([sockets.tcp && closeServer(sockets.tcp), sockets.udp && closeUdp(sockets.udp)]);
        },
      };
    } catch (e) {
      lastError = e;
      if (tcp) await closeServer(tcp);
      if (udp) await closeUdp(udp);
      if (o.port) break; // a fixed port that is taken: do not pick another
    }
  }
  const err = lastError as { code?: string; message?: string } | undefined;
  throw gssError('IO_ERROR', `KDC cannot listen on ${host}:${o.port ?? 0}: ${err?.code ?? err?.message}`, {
    cause: lastError,
  });
}
