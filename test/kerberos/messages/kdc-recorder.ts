/**
 * Test helper: a TCP relay between MIT tools and the test KDC that records every Kerberos
 * message (RFC 4120 §7.2.2 TCP records: 4-byte big-endian length, then the DER message).
 * It gives real MIT-produced AS-REQ / KRB-ERROR / AS-REP / TGS-REQ / TGS-REP bytes.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { MitRealm } from '../../support/mit-realm.ts';

export interface Exchange {
  request: Uint8Array;
  reply: Uint8Array;
}

function splitRecords(stream: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at + 4 <= stream.length) {
    const len = new DataView(stream.buffer, stream.byteOffset + at).getUint32(0);
    if (at + 4 + len > stream.length) break;
    out.push(stream.slice(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}

const concat = (chunks: Uint8Array[]) => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
};

export interface KdcRecorder {
  /** A krb5.conf that sends the MIT tools through the relay over TCP. */
  env: Record<string, string>;
  exchanges: Exchange[];
  close(): Promise<void>;
}

export async function startKdcRecorder(realm: MitRealm): Promise<KdcRecorder> {
  const exchanges: Exchange[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    const req: Uint8Array[] = [];
    const rep: Uint8Array[] = [];
    const upstream = createConnection({ host: '127.0.0.1', port: realm.kdcPort });
    sockets.add(upstream);
    client.on('data', (d) => {
      req.push(new Uint8Array(d));
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      rep.push(new Uint8Array(d));
      client.write(d);
    });
    const done = () => {
      const requests = splitRecords(concat(req));
      const replies = splitRecords(concat(rep));
      requests.forEach((request, i) => {
        const reply = replies[i];
        if (reply) exchanges.push({ request, reply });
      });
      req.length = 0;
      rep.length = 0;
    };
    client.on('close', () => {
      done();
      upstream.destroy();
    });
    upstream.on('close', () => client.end());
    client.on('error', () => {});
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const conf = readFileSync(realm.krb5ConfPath, 'utf8')
    .replace(/kdc = 127\.0\.0\.1:\d+/, `kdc = 127.0.0.1:${port}`)
    .replace(/udp_preference_limit = \d+/, 'udp_preference_limit = 1');
  const confPath = join(realm.dir, 'krb5-recorded.conf');
  writeFileSync(confPath, conf);
  return {
    env: { KRB5_CONFIG: confPath },
    exchanges,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
