// Malformed, oversized and replayed requests: every one gets a KRB-ERROR with the right
// code or is dropped, and the KDC keeps serving (property tests over the request decoder,
// in-process and over the loopback listener).
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type RunningKdc, startKdc } from '../../src/kdc/index.ts';
import { getInitialTicket } from '../../src/providers/kerberos/kdc/as-exchange.ts';
import { getServiceTicket } from '../../src/providers/kerberos/kdc/tgs-exchange.ts';
import type { KdcRequest, KdcTransport } from '../../src/providers/kerberos/kdc/transport.ts';
import { decodeAsRep, decodeKrbError, decodeTgsRep } from '../../src/providers/kerberos/messages/index.ts';

/** A reply is nothing, a KRB-ERROR, or a KDC-REP that decodes. */
function checkReply(reply: Uint8Array | null): number | 'rep' | 'dropped' {
  if (reply === null) return 'dropped';
  if (reply[0] === 0x7e) return decodeKrbError(reply).errorCode;
  if (reply[0] === 0x6b) decodeAsRep(reply);
  else decodeTgsRep(reply);
  return 'rep';
}

describe('bad requests to the gssock KDC', () => {
  let kdc: RunningKdc;
  let asReq: Uint8Array;
  let tgsReq: Uint8Array;
  const recorded: Uint8Array[] = [];

  before(async () => {
    kdc = await startKdc({
      realm: 'BAD.TEST',
      principals: { alice: { password: 'pw' }, 'host/localhost': {} },
      listen: true,
    });
    // Record real requests through a transport that keeps a copy of each.
    const recording: KdcTransport = {
      send: (r: KdcRequest) => {
        recorded.push(r.message.slice());
        return kdc.transport.send(r);
      },
    };
    const tgt = await getInitialTicket({
      transport: recording,
      kdcs: kdc.kdcs,
      client: kdc.principal('alice'),
      secret: { password: 'pw' },
    });
    await getServiceTicket({
      transport: recording,
      kdcs: kdc.kdcs,
      tgt,
      server: kdc.principal('host/localhost'),
    });
    asReq = recorded[1]!;
    tgsReq = recorded[2]!;
  });
  after(() => kdc.stop());

  const stillServes = async () => {
    const tgt = await getInitialTicket({
      ...kdc.clientOptions(),
      client: kdc.principal('alice'),
      secret: { password: 'pw' },
    });
    assert.equal(tgt.client.name.nameString[0], 'alice');
  };

  it('random bytes: dropped or KRB-ERROR, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = checkReply(kdc.handle(bytes));
        assert.ok(r === 'dropped' || typeof r === 'number');
      }),
      { numRuns: 400 },
    );
  });

  it('random bytes behind a KDC request tag: KRB_ERR_GENERIC (60) or BAD_PVNO (3)', () => {
    fc.assert(
      fc.property(fc.constantFrom(0x6a, 0x6c), fc.uint8Array({ maxLength: 300 }), (tag, rest) => {
        const r = checkReply(kdc.handle(Uint8Array.of(tag, ...rest)));
        assert.ok(r === 60 || r === 3 || r === 'dropped', `got ${r}`);
      }),
      { numRuns: 300 },
    );
  });

  it('truncated and bit-flipped real AS-REQ / TGS-REQ: KRB-ERROR, a valid reply, or dropped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('as', 'tgs'),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        (which, cut, flips) => {
          const base = (which === 'as' ? asReq : tgsReq).slice();
          for (const [at, x] of flips) base[at % base.length]! ^= x;
          const input = cut % 3 === 0 ? base.subarray(0, cut % base.length) : base;
          checkReply(kdc.handle(input));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('oversized request: KRB_ERR_FIELD_TOOLONG (61)', () => {
    const big = new Uint8Array(kdc.state.policy.maxRequestSize + 1);
    big[0] = 0x6a;
    assert.equal(checkReply(kdc.handle(big)), 61);
  });

  it('replayed TGS-REQ authenticator: KRB_AP_ERR_REPEAT (34); a fresh one still works', async () => {
    assert.equal(checkReply(kdc.handle(tgsReq)), 34, 'the recorded TGS-REQ was already used once');
    assert.equal(checkReply(kdc.handle(tgsReq)), 34);
    await stillServes();
    const tgt = await getInitialTicket({
      ...kdc.clientOptions(),
      client: kdc.principal('alice'),
      secret: { password: 'pw' },
    });
    await getServiceTicket({ ...kdc.clientOptions(), tgt, server: kdc.principal('host/localhost') });
  });

  it('AS-REQ without pre-authentication for a preauth principal: PREAUTH_REQUIRED (25) with ETYPE-INFO2', () => {
    const reply = kdc.handle(recorded[0]!)!;
    const err = decodeKrbError(reply);
    assert.equal(err.errorCode, 25);
    assert.ok(err.eData && err.eData.length > 0);
  });

  it('TCP listener: a length with the high bit set or over the limit gets FIELD_TOOLONG and a close; then it keeps serving', async () => {
    for (const header of [
      [0x80, 0, 0, 10],
      [0x7f, 0xff, 0xff, 0xff],
    ]) {
      const reply = await new Promise<Uint8Array>((resolve, reject) => {
        const s = createConnection({ host: '127.0.0.1', port: kdc.address!.port });
        const chunks: Uint8Array[] = [];
        s.on('data', (d: Uint8Array) => chunks.push(d));
        s.on('error', reject);
        s.on('close', () => {
          const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
          let o = 0;
          for (const c of chunks) {
            all.set(c, o);
            o += c.length;
          }
          resolve(all);
        });
        s.write(Uint8Array.from(header));
      });
      const len = new DataView(reply.buffer, reply.byteOffset).getUint32(0);
      assert.equal(len, reply.length - 4);
      assert.equal(decodeKrbError(reply.subarray(4)).errorCode, 61);
    }
    // Garbage records on one connection are answered or dropped; the listener survives.
    await new Promise<void>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port: kdc.address!.port }, () => {
        s.write(Uint8Array.of(0, 0, 0, 3, 1, 2, 3));
      });
      s.on('error', () => resolve());
      s.on('close', () => resolve());
    });
    const { createNetTransport } = await import('../../src/providers/kerberos/kdc/net-transport.ts');
    const tgt = await getInitialTicket({
      transport: createNetTransport(),
      kdcs: [{ host: '127.0.0.1', port: kdc.address!.port, protocol: 'tcp' }],
      client: kdc.principal('alice'),
      secret: { password: 'pw' },
    });
    assert.equal(tgt.client.name.nameString[0], 'alice');
  });

  it('UDP listener: replies larger than the datagram limit become RESPONSE_TOO_BIG (52); the client retries over TCP', async () => {
    const small = await startKdc({
      realm: 'BAD.TEST',
      principals: { alice: { password: 'pw' } },
      listen: { maxDatagramReply: 300 },
    });
    try {
      // A real pre-authenticated AS-REQ for this realm (AS requests are not replay-checked).
      const mine: Uint8Array[] = [];
      await getInitialTicket({
        transport: {
          send: (r: KdcRequest) => {
            mine.push(r.message.slice());
            return small.transport.send(r);
          },
        },
        kdcs: small.kdcs,
        client: small.principal('alice'),
        secret: { password: 'pw' },
      });
      const { createSocket } = await import('node:dgram');
      const reply = await new Promise<Uint8Array>((resolve) => {
        const s = createSocket('udp4');
        s.on('message', (m: Uint8Array) => {
          s.close();
          resolve(new Uint8Array(m));
        });
        s.send(mine[1]!, small.address!.port, '127.0.0.1');
      });
      assert.equal(checkReply(reply), 52);
      const { createNetTransport } = await import('../../src/providers/kerberos/kdc/net-transport.ts');
      const tgt = await getInitialTicket({
        transport: createNetTransport(),
        kdcs: [{ host: '127.0.0.1', port: small.address!.port, protocol: 'any' }],
        client: small.principal('alice'),
        secret: { password: 'pw' },
      });
      assert.equal(tgt.client.name.nameString[0], 'alice');
    } finally {
      await small.stop();
    }
  });
});
