// The network KDC transport over node:dgram / node:net against local loopback servers.
import assert from 'node:assert/strict';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isGssockError } from '../../../src/core/errors.ts';
import { createNetTransport } from '../../../src/providers/kerberos/kdc/net-transport.ts';
import { encodeKdcTcpRecord } from '../../../src/providers/kerberos/kdc/tcp-record.ts';
import type { KdcAddress } from '../../../src/providers/kerberos/kdc/transport.ts';

const reversed = (m: Uint8Array) => Uint8Array.from(m).reverse();

function listenTcp(onData: (socket: import('node:net').Socket, data: Uint8Array) => void): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((s) => s.on('data', (d) => onData(s, d)));
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
function bindUdp(onMessage?: (s: UdpSocket, m: Uint8Array, port: number) => void): Promise<UdpSocket> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    if (onMessage) s.on('message', (m, r) => onMessage(s, m, r.port));
    s.bind(0, '127.0.0.1', () => resolve(s));
  });
}
const portOf = (s: Server | UdpSocket) => (s.address() as { port: number }).port;

describe('net transport (node:net / node:dgram)', () => {
  let tcp: Server;
  let udpEcho: UdpSocket;
  let udpSilent: UdpSocket;
  let badTcp: Server;
  let closedPort: number;

  before(async () => {
    // A TCP "KDC" that answers the reversed request, in two writes to exercise reassembly.
    tcp = await listenTcp((s, d) => {
      const rec = encodeKdcTcpRecord(reversed(d.subarray(4)));
      s.write(rec.subarray(0, 3));
      setTimeout(() => s.write(rec.subarray(3)), 5);
    });
    badTcp = await listenTcp((s) => s.write(new Uint8Array([0x80, 0, 0, 1, 0])));
    udpEcho = await bindUdp((s, m, port) => s.send(reversed(m), port, '127.0.0.1'));
    udpSilent = await bindUdp(); // reads nothing, answers nothing
    const probe = await listenTcp(() => {});
    closedPort = portOf(probe);
    await new Promise<void>((r) => probe.close(() => r()));
  });
  after(async () => {
    await new Promise<void>((r) => tcp.close(() => r()));
    await new Promise<void>((r) => badTcp.close(() => r()));
    udpEcho.close();
    udpSilent.close();
  });

  const msg = new Uint8Array([1, 2, 3, 4, 5]);
  const at = (port: number, protocol: KdcAddress['protocol'] = 'any'): KdcAddress => ({
    host: '127.0.0.1',
    port,
    protocol,
  });

  it('sends a small message over UDP', async () => {
    const reply = await createNetTransport().send({
      realm: 'R',
      message: msg,
      kdcs: [at(portOf(udpEcho), 'udp')],
      timeoutMs: 2000,
    });
    assert.deepEqual(reply, reversed(msg));
  });

  it('sends over TCP with the 4-byte length prefix and reassembles the reply', async () => {
    const reply = await createNetTransport().send({
      realm: 'R',
      message: msg,
      kdcs: [at(portOf(tcp), 'tcp')],
      timeoutMs: 2000,
    });
    assert.deepEqual(reply, reversed(msg));
  });

  it('uses TCP first for messages above udp_preference_limit', async () => {
    const big = new Uint8Array(2000).map((_, i) => i & 0xff);
    // Only a TCP listener on this port: UDP would time out.
    const reply = await createNetTransport({ attemptTimeoutMs: 300 }).send({
      realm: 'R',
      message: big,
      kdcs: [at(portOf(tcp))],
      timeoutMs: 2000,
    });
    assert.deepEqual(reply, reversed(big));
  });

  it('fails over from a dead KDC to a live one', async () => {
    const reply = await createNetTransport({ attemptTimeoutMs: 200 }).send({
      realm: 'R',
      message: msg,
      kdcs: [at(closedPort, 'tcp'), at(portOf(udpSilent), 'udp'), at(portOf(tcp), 'tcp')],
      timeoutMs: 3000,
    });
    assert.deepEqual(reply, reversed(msg));
  });

  it('an unreachable realm gives a TIMEOUT naming every KDC tried', async () => {
    const started = Date.now();
    await assert.rejects(
      createNetTransport({ attemptTimeoutMs: 250 }).send({
        realm: 'DEAD.TEST',
        message: msg,
        kdcs: [at(closedPort), at(portOf(udpSilent), 'udp')],
        timeoutMs: 2000,
      }),
      (e) => {
        assert.ok(isGssockError(e, 'TIMEOUT'), String(e));
        const kdcs = e.details.kdcs as string[];
        assert.ok(kdcs.includes(`udp/127.0.0.1:${closedPort}`), kdcs.join());
        assert.ok(kdcs.includes(`tcp/127.0.0.1:${closedPort}`), kdcs.join());
        assert.ok(kdcs.includes(`udp/127.0.0.1:${portOf(udpSilent)}`), kdcs.join());
        assert.match(e.message, /DEAD\.TEST/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 1900);
  });

  it('a refused connection alone is an IO_ERROR', async () => {
    await assert.rejects(
      createNetTransport().send({ realm: 'R', message: msg, kdcs: [at(closedPort, 'tcp')], timeoutMs: 2000 }),
      (e) =>
        isGssockError(e, 'IO_ERROR') && (e.details.kdcs as string[])[0] === `tcp/127.0.0.1:${closedPort}`,
    );
  });

  it('the overall timeout bounds the whole request', async () => {
    const started = Date.now();
    await assert.rejects(
      createNetTransport({ attemptTimeoutMs: 5000 }).send({
        realm: 'R',
        message: msg,
        kdcs: [at(portOf(udpSilent), 'udp'), at(portOf(udpSilent), 'udp')],
        timeoutMs: 300,
      }),
      (e) => isGssockError(e, 'TIMEOUT'),
    );
    assert.ok(Date.now() - started < 1500);
  });

  it('a KDC breaking TCP framing is a typed error', async () => {
    await assert.rejects(
      createNetTransport().send({
        realm: 'R',
        message: msg,
        kdcs: [at(portOf(badTcp), 'tcp')],
        timeoutMs: 2000,
      }),
      (e) => isGssockError(e, 'IO_ERROR') && /reserved high bit/.test(e.message),
    );
  });
});
