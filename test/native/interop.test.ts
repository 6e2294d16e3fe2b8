/**
 * native() against the pure kerberos() mechanism and against itself, in one process, with
 * MIT's libgssapi_krb5 on this runtime's FFI and a throwaway MIT realm on loopback:
 * handshakes with channel bindings, wrapped messages (sealed and integrity-only) and MICs
 * both ways, tampered and replayed tokens refused, bindings that differ refused, and a
 * session through the engine (the application code is the same for every mechanism).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isGssockError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import type { Mechanism, SecurityContext } from '../../src/core/mechanism.ts';
import { accept, initiate } from '../../src/engine/index.ts';
import { channelPair } from '../engine/support.ts';
import { ALICE, FULL, handshake, type NativeRealm, nativeOnly, startNativeRealm, TARGET } from './support.ts';

const OPT = await nativeOnly();
const enc = new TextEncoder();
const bindings = { application: enc.encode('tls-server-end-point:0123456789abcdef') };

type Side = 'native' | 'pure';
const PAIRS: Array<[Side, Side]> = [
  ['native', 'native'],
  ['native', 'pure'],
  ['pure', 'native'],
];

describe('native() interop with kerberos() and itself', { timeout: 120_000 }, () => {
  let r: NativeRealm;
  before(async () => {
    if (!OPT.skip) r = await startNativeRealm();
  });
  after(async () => {
    await r?.stop();
  });

  const mech = (side: Side, role: 'initiator' | 'acceptor'): Mechanism =>
    role === 'initiator'
      ? side === 'native'
        ? r.nativeInitiator()
        : r.pureInitiator()
      : side === 'native'
        ? r.nativeAcceptor()
        : r.pureAcceptor();

  async function establish(i: Side, a: Side, flags = FULL) {
    const initiator = await mech(i, 'initiator').createContext('initiator', {
      target: TARGET,
      flags,
      channelBindings: bindings,
    });
    const acceptor = await mech(a, 'acceptor').createContext('acceptor', { channelBindings: bindings });
    const legs = await handshake(initiator, acceptor);
    return { initiator, acceptor, legs };
  }

  for (const [i, a] of PAIRS) {
    describe(`${i} initiator -> ${a} acceptor`, () => {
      let ini: SecurityContext;
      let acc: SecurityContext;
      before(async () => {
        if (OPT.skip) return;
        const e = await establish(i, a);
        ini = e.initiator;
        acc = e.acceptor;
        assert.equal(e.legs, 2, 'AP-REQ and AP-REP');
      });
      after(() => {
        ini?.dispose();
        acc?.dispose();
      });

      it('establishes with mutual authentication, channel bindings and the right names', OPT, () => {
        const ii = ini.info();
        const ai = acc.info();
        assert.equal(ii.mechanismOid, '1.2.840.113554.1.2.2');
        assert.equal(ai.mechanismOid, '1.2.840.113554.1.2.2');
        for (const f of [Flags.MUTUAL, Flags.REPLAY, Flags.SEQUENCE, Flags.CONF, Flags.INTEG]) {
          assert.ok(ii.flags & f, `initiator granted 0x${f.toString(16)}`);
          assert.ok(ai.flags & f, `acceptor granted 0x${f.toString(16)}`);
        }
        assert.equal(ai.peerName, ALICE);
        assert.match(ii.peerName, /^host(\/|@)localhost/);
        if (i === 'native') assert.equal(ii.localName, ALICE);
        if (a === 'native') assert.equal(ai.localName, 'host/localhost@EXAMPLE.TEST');
      });

      for (const confidential of [true, false]) {
        it(`wraps and unwraps both ways (confidential: ${confidential})`, OPT, async () => {
          for (const size of [0, 1, 5, 16 * 1024]) {
            const m = new Uint8Array(size).map((_, k) => (k * 7 + size) & 0xff);
            const t1 = await ini.wrap(m, { confidential });
            const u1 = await acc.unwrap(t1);
            assert.deepEqual(u1.message, m);
            assert.equal(u1.confidential, confidential);
            const t2 = await acc.wrap(m, { confidential });
            const u2 = await ini.unwrap(t2);
            assert.deepEqual(u2.message, m);
            assert.equal(u2.confidential, confidential);
            if (confidential && size >= 16) assert.equal(indexOf(t1, m.subarray(0, 16)), -1, 'sealed');
          }
        });
      }

      it('makes and verifies MICs both ways', OPT, async () => {
        for (const size of [0, 9, 16 * 1024]) {
          const m = enc.encode('m'.repeat(size));
          await acc.verifyMic(m, await ini.getMic(m));
          await ini.verifyMic(m, await acc.getMic(m));
        }
      });

      it('refuses a tampered wrap token and a tampered MIC with typed peer errors', OPT, async () => {
        // Without SEQUENCE a refused token leaves no gap behind, so the pair keeps working.
        const e = await establish(i, a, Flags.MUTUAL | Flags.REPLAY | Flags.CONF | Flags.INTEG);
        try {
          const t = await e.initiator.wrap(enc.encode('do not touch'));
          t[t.length - 3]! ^= 0x40;
          await assert.rejects(
            async () => e.acceptor.unwrap(t),
            (x) => isGssockError(x, 'BAD_SIGNATURE') && x.origin === 'peer',
          );
          const m = enc.encode('signed');
          const mic = await e.acceptor.getMic(m);
          await assert.rejects(
            async () => e.initiator.verifyMic(enc.encode('signeD'), mic),
            (x) => isGssockError(x, 'BAD_SIGNATURE') && x.origin === 'peer',
          );
          const ok = await e.initiator.wrap(enc.encode('after'));
          assert.deepEqual((await e.acceptor.unwrap(ok)).message, enc.encode('after'));
        } finally {
          e.initiator.dispose();
          e.acceptor.dispose();
        }
      });

      it(
        'refuses a replayed token (DUPLICATE_TOKEN) and, with SEQUENCE, a gap (GAP_TOKEN)',
        OPT,
        async () => {
          const e = await establish(i, a);
          try {
            const t1 = await e.initiator.wrap(enc.encode('one'));
            await e.initiator.wrap(enc.encode('two (lost)'));
            const t3 = await e.initiator.wrap(enc.encode('three'));
            await e.acceptor.unwrap(t1);
            await assert.rejects(
              async () => e.acceptor.unwrap(t1),
              (x) => isGssockError(x, 'DUPLICATE_TOKEN') && x.origin === 'peer',
            );
            await assert.rejects(
              async () => e.acceptor.unwrap(t3),
              (x) => isGssockError(x, 'GAP_TOKEN') && x.origin === 'peer',
            );
            const m1 = await e.acceptor.getMic(enc.encode('mic'));
            await e.initiator.verifyMic(enc.encode('mic'), m1);
            await assert.rejects(
              async () => e.initiator.verifyMic(enc.encode('mic'), m1),
              (x) => isGssockError(x, 'DUPLICATE_TOKEN'),
            );
          } finally {
            e.initiator.dispose();
            e.acceptor.dispose();
          }
        },
      );
    });
  }

  for (const [i, a] of PAIRS) {
    it(`${i} -> ${a}: different channel bindings are refused (BAD_BINDINGS)`, OPT, async () => {
      const initiator = await mech(i, 'initiator').createContext('initiator', {
        target: TARGET,
        channelBindings: { application: enc.encode('one channel') },
      });
      const acceptor = await mech(a, 'acceptor').createContext('acceptor', {
        channelBindings: { application: enc.encode('another channel') },
      });
      try {
        const first = await initiator.step(null);
        await assert.rejects(
          async () => acceptor.step(first.outputToken!),
          (e) => isGssockError(e, 'BAD_BINDINGS'),
        );
      } finally {
        initiator.dispose();
        acceptor.dispose();
      }
    });
  }

  it('runs a session through the engine: native initiator, pure acceptor, and the reverse', OPT, async () => {
    for (const [i, a] of [
      ['native', 'pure'],
      ['pure', 'native'],
    ] as Array<[Side, Side]>) {
      const [c, s] = channelPair();
      const [client, server] = await Promise.all([
        initiate({ mechanism: mech(i, 'initiator'), channel: c, target: TARGET, channelBindings: bindings }),
        accept({ mechanism: mech(a, 'acceptor'), channel: s, channelBindings: bindings }),
      ]);
      await client.send(enc.encode(`hello from ${i}`));
      assert.deepEqual(await server.receive(), enc.encode(`hello from ${i}`));
      await server.send(enc.encode(`hello from ${a}`));
      assert.deepEqual(await client.receive(), enc.encode(`hello from ${a}`));
      await client.close();
      await server.close();
    }
  });
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
