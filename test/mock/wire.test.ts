import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GssockError, isGssockError } from '../../src/core/errors.ts';
import {
  decodeChallenge,
  decodeInit,
  decodeProof,
  encodeChallenge,
  encodeInit,
  encodeProof,
  MAX_NAME_BYTES,
} from '../../src/providers/mock/wire.ts';

const nonce = fc.uint8Array({ minLength: 32, maxLength: 32 });
const name = fc.string({ maxLength: 40 });

describe('mock wire format', () => {
  it('INIT round-trips', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), nonce, name, name, nonce, (flags, cb, me, target, n) => {
        const t = { flags, channelBindingsHash: cb, initiatorName: me, target, clientNonce: n };
        const back = decodeInit(encodeInit(t));
        assert.deepEqual(
          { ...back, channelBindingsHash: [...back.channelBindingsHash], clientNonce: [...back.clientNonce] },
          {
            ...t,
            initiatorName: new TextDecoder().decode(new TextEncoder().encode(me)),
            target: new TextDecoder().decode(new TextEncoder().encode(target)),
            channelBindingsHash: [...cb],
            clientNonce: [...n],
          },
        );
      }),
    );
  });

  it('CHALLENGE round-trips with and without the proof', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        name,
        nonce,
        fc.option(nonce, { nil: undefined }),
        (flags, n, sn, proof) => {
          const t = proof
            ? { flags, acceptorName: n, serverNonce: sn, acceptorProof: proof }
            : { flags, acceptorName: n, serverNonce: sn };
          const back = decodeChallenge(encodeChallenge(t));
          assert.equal(back.flags, flags);
          assert.deepEqual([...back.serverNonce], [...sn]);
          assert.deepEqual(
            back.acceptorProof ? [...back.acceptorProof] : undefined,
            proof ? [...proof] : undefined,
          );
        },
      ),
    );
  });

  it('the layout matches the documented offsets', () => {
    const t = encodeInit({
      flags: 0x0102_0304,
      channelBindingsHash: new Uint8Array(32).fill(0xcb),
      initiatorName: 'ab',
      target: 'xyz',
      clientNonce: new Uint8Array(32).fill(0x11),
    });
    assert.deepEqual([...t.subarray(0, 8)], [0x4d, 1, 1, 0, 1, 2, 3, 4]);
    assert.equal(t[8], 0xcb);
    assert.deepEqual([...t.subarray(40, 44)], [0, 2, 0x61, 0x62]);
    assert.deepEqual([...t.subarray(44, 49)], [0, 3, 0x78, 0x79, 0x7a]);
    assert.equal(t.length, 49 + 32);
    assert.deepEqual([...encodeProof(new Uint8Array(32)).subarray(0, 4)], [0x4d, 1, 3, 0]);
  });

  it('decoders turn any input into a result or a DEFECTIVE_TOKEN from the peer, never a crash', () => {
    const valid = [
      encodeInit({
        flags: 2,
        channelBindingsHash: new Uint8Array(32),
        initiatorName: 'a',
        target: 't',
        clientNonce: new Uint8Array(32),
      }),
      encodeChallenge({
        flags: 2,
        acceptorName: 's',
        serverNonce: new Uint8Array(32),
        acceptorProof: new Uint8Array(32),
      }),
      encodeProof(new Uint8Array(32)),
    ];
    // Arbitrary bytes, and valid tokens cut short or with a byte changed.
    const mutated = fc
      .tuple(fc.constantFrom(...valid), fc.nat(), fc.nat({ max: 255 }), fc.boolean())
      .map(([t, at, v, cut]) => {
        const c = t.slice();
        if (cut) return c.subarray(0, at % c.length);
        c[at % c.length] = v;
        return c;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 120 }), mutated), (bytes) => {
        for (const decode of [decodeInit, decodeChallenge, decodeProof]) {
          try {
            decode(bytes);
          } catch (e) {
            if (!(e instanceof GssockError && e.code === 'DEFECTIVE_TOKEN' && e.origin === 'peer'))
              return false;
          }
        }
        return true;
      }),
    );
  });

  it('refuses names over the limit, on both ends', () => {
    const long = 'x'.repeat(MAX_NAME_BYTES + 1);
    assert.throws(
      () =>
        encodeInit({
          flags: 0,
          channelBindingsHash: new Uint8Array(32),
          initiatorName: long,
          target: '',
          clientNonce: new Uint8Array(32),
        }),
      (e) => isGssockError(e, 'BAD_NAME'),
    );
    const ok = encodeInit({
      flags: 0,
      channelBindingsHash: new Uint8Array(32),
      initiatorName: 'a',
      target: '',
      clientNonce: new Uint8Array(32),
    });
    const forged = ok.slice();
    new DataView(forged.buffer).setUint16(40, MAX_NAME_BYTES + 1);
    assert.throws(
      () => decodeInit(forged),
      (e) => isGssockError(e, 'DEFECTIVE_TOKEN'),
    );
  });

  it('refuses trailing bytes and unknown header flags', () => {
    const p = encodeProof(new Uint8Array(32));
    const longer = new Uint8Array(p.length + 1);
    longer.set(p);
    assert.throws(
      () => decodeProof(longer),
      (e) => isGssockError(e, 'DEFECTIVE_TOKEN'),
    );
    const c = encodeChallenge({ flags: 0, acceptorName: 's', serverNonce: new Uint8Array(32) });
    c[3] = 0x80;
    assert.throws(
      () => decodeChallenge(c),
      (e) => isGssockError(e, 'DEFECTIVE_TOKEN'),
    );
  });
});
