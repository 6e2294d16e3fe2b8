/**
 * Per-message tokens and the pieces of the context tokens, without a KDC: RFC 4121 (CFX)
 * Wrap/MIC for 17-20 with any RRC and EC, RFC 4757 tokens for 23, every single flipped bit
 * refused, the 0x8003 checksum layout, the channel-binding hash, the replay/sequence window
 * and the replay cache. (Byte-for-byte agreement with MIT is proven in interop.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { concatBytes } from '../../../src/core/bytes.ts';
import { isGssockError } from '../../../src/core/errors.ts';
import { getEnctype } from '../../../src/providers/kerberos/crypto/registry.ts';
import {
  channelBindingsHash,
  checkChannelBindings,
} from '../../../src/providers/kerberos/gss/channel-bindings.ts';
import { decodeGssChecksum, encodeGssChecksum } from '../../../src/providers/kerberos/gss/checksum-8003.ts';
import { Protection } from '../../../src/providers/kerberos/gss/protection.ts';
import { memoryReplayCache } from '../../../src/providers/kerberos/gss/replay-cache.ts';
import { SequenceWindow } from '../../../src/providers/kerberos/gss/sequence-window.ts';
import type { EncryptionKey } from '../../../src/providers/kerberos/types.ts';

const enc = new TextEncoder();
const randomKey = (etype: number): EncryptionKey => {
  const e = getEnctype(etype, { allowRc4: true });
  return e.randomToKey(crypto.getRandomValues(new Uint8Array(e.keyBytes)));
};

/** A matching pair of protections, as after a mutual handshake. */
function pair(etype: number, opts: { acceptorSubkey?: boolean; replay?: boolean; sequence?: boolean } = {}) {
  const initiatorKey = randomKey(etype);
  const acceptorSubkey = opts.acceptorSubkey && etype !== 23 ? randomKey(etype) : undefined;
  const base = {
    initiatorKey,
    ...(acceptorSubkey ? { acceptorSubkey } : {}),
    replay: opts.replay ?? true,
    sequence: opts.sequence ?? false,
    allowRc4: true,
  };
  const copy = (k: EncryptionKey) => ({ etype: k.etype, value: k.value.slice() });
  const initiator = new Protection({ ...base, acceptor: false, sendSeq: 100, recvSeq: 5000 });
  const acceptor = new Protection({
    ...base,
    initiatorKey: copy(initiatorKey),
    ...(acceptorSubkey ? { acceptorSubkey: copy(acceptorSubkey) } : {}),
    acceptor: true,
    sendSeq: 5000,
    recvSeq: 100,
  });
  return { initiator, acceptor };
}

function refused(fn: () => unknown, what: string): void {
  assert.throws(fn, (e: unknown) => isGssockError(e) && e.origin === 'peer', what);
}

for (const etype of [17, 18, 19, 20, 23]) {
  describe(`per-message tokens, enctype ${etype}`, () => {
    it('wrap/unwrap (sealed and not) and MIC both ways; reflection refused', () => {
      const { initiator, acceptor } = pair(etype, { acceptorSubkey: true });
      for (const confidential of [true, false]) {
        for (const size of [0, 1, 15, 16, 17, 1000]) {
          const m = crypto.getRandomValues(new Uint8Array(size));
          const u = acceptor.unwrap(initiator.wrap(m, { confidential }));
          assert.deepEqual(u.message, m);
          assert.equal(u.confidential, confidential);
          assert.deepEqual(initiator.unwrap(acceptor.wrap(m, { confidential })).message, m);
        }
      }
      acceptor.verifyMic(enc.encode('abc'), initiator.getMic(enc.encode('abc')));
      initiator.verifyMic(enc.encode('abc'), acceptor.getMic(enc.encode('abc')));
      refused(() => initiator.verifyMic(enc.encode('x'), initiator.getMic(enc.encode('x'))), 'reflected MIC');
      refused(() => initiator.unwrap(initiator.wrap(enc.encode('x'))), 'reflected wrap');
      refused(
        () => acceptor.verifyMic(enc.encode('abd'), initiator.getMic(enc.encode('abc'))),
        'other message',
      );
    });

    it('every single flipped bit of a Wrap and a MIC token is refused', () => {
      // RFC 1964/4757 tokens do not cover SND_SEQ with their checksum (it is only RC4
      // encrypted, so a flipped bit flips the number): only sequence detection catches it.
      // RFC 4121 tokens sign the whole header.
      const { initiator, acceptor } = pair(etype, { acceptorSubkey: true, sequence: etype === 23 });
      const message = enc.encode('flip me!');
      for (const confidential of [true, false]) {
        const token = initiator.wrap(message, { confidential });
        for (let bit = 0; bit < token.length * 8; bit++) {
          const bad = token.slice();
          bad[bit >> 3]! ^= 1 << (bit & 7);
          refused(() => acceptor.unwrap(bad), `wrap conf=${confidential} bit ${bit}`);
        }
        assert.deepEqual(acceptor.unwrap(token).message, message);
      }
      const mic = initiator.getMic(message);
      for (let bit = 0; bit < mic.length * 8; bit++) {
        const bad = mic.slice();
        bad[bit >> 3]! ^= 1 << (bit & 7);
        refused(() => acceptor.verifyMic(message, bad), `MIC bit ${bit}`);
      }
      acceptor.verifyMic(message, mic);
    });

    it('replayed tokens are refused with DUPLICATE_TOKEN; without replay detection accepted', () => {
      const { initiator, acceptor } = pair(etype);
      const t = initiator.wrap(enc.encode('once'));
      acceptor.unwrap(t);
      assert.throws(
        () => acceptor.unwrap(t),
        (e: unknown) => isGssockError(e, 'DUPLICATE_TOKEN'),
      );
      const loose = pair(etype, { replay: false });
      const u = loose.initiator.wrap(enc.encode('twice'));
      loose.acceptor.unwrap(u);
      loose.acceptor.unwrap(u);
    });

    it('with sequence detection, an out-of-order token is refused (GAP then UNSEQ)', () => {
      const { initiator, acceptor } = pair(etype, { sequence: true });
      const t1 = initiator.getMic(enc.encode('1'));
      const t2 = initiator.getMic(enc.encode('2'));
      assert.throws(
        () => acceptor.verifyMic(enc.encode('2'), t2),
        (e: unknown) => isGssockError(e, 'GAP_TOKEN'),
      );
      acceptor.verifyMic(enc.encode('1'), t1);
      acceptor.verifyMic(enc.encode('2'), t2);
    });

    it('property: random messages round-trip, random tokens never crash', () => {
      const { initiator, acceptor } = pair(etype, { acceptorSubkey: true, replay: false });
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (m, confidential) => {
          assert.deepEqual(acceptor.unwrap(initiator.wrap(m, { confidential })).message, m);
        }),
        { numRuns: 50 },
      );
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
          refused(() => acceptor.unwrap(junk), 'junk');
          refused(() => acceptor.verifyMic(junk, junk), 'junk MIC');
        }),
        { numRuns: 200 },
      );
    });
  });
}

describe('RFC 4121 receivers accept any RRC and EC (AD sends non-zero ones)', () => {
  const HEADER = 16;
  const rotateRight = (d: Uint8Array, n: number) => {
    const r = n % d.length;
    return r === 0 ? d : concatBytes(d.subarray(d.length - r), d.subarray(0, d.length - r));
  };
  for (const etype of [17, 18, 19, 20]) {
    it(`enctype ${etype}: rotated sealed and unsealed tokens, sealed with EC filler`, () => {
      const { initiator, acceptor } = pair(etype, { replay: false });
      const m = enc.encode('rotated message');
      for (const confidential of [true, false]) {
        for (const rrc of [1, 12, 16, 26]) {
          const t = initiator.wrap(m, { confidential });
          const out = concatBytes(t.subarray(0, HEADER), rotateRight(t.subarray(HEADER), rrc));
          new DataView(out.buffer).setUint16(6, rrc);
          assert.deepEqual(acceptor.unwrap(out).message, m, `conf=${confidential} rrc=${rrc}`);
        }
        // An RRC as long as the data (a no-op rotation no sender makes) is refused.
        const t = initiator.wrap(m, { confidential });
        new DataView(t.buffer).setUint16(6, t.length - HEADER);
        refused(() => acceptor.unwrap(t), 'RRC = data length');
      }
      // A sealed token with EC = 5 filler bytes, as a sender padding to a block would make
      // it (RFC 4121 §4.2.4): E(plaintext | filler | header with RRC 0).
      const key = (acceptor as unknown as { sessionKey: EncryptionKey }).sessionKey;
      const header = new Uint8Array([0x05, 0x04, 0x02, 0xff, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100]);
      const plain = concatBytes(m, new Uint8Array(5).fill(0xee), header);
      const cipher = getEnctype(etype).encrypt(key, 24, plain);
      assert.deepEqual(acceptor.unwrap(concatBytes(header, cipher)).message, m);
    });
  }
});

describe('0x8003 authenticator checksum (RFC 4121 §4.1.1)', () => {
  it('is little-endian Lgth=16, Bnd, Flags, then DlgOpt/Dlgth/Deleg', () => {
    const bnd = new Uint8Array(16).fill(0xab);
    const c = encodeGssChecksum({ bindingsHash: bnd, flags: 0x3e });
    assert.deepEqual([...c.subarray(0, 4)], [16, 0, 0, 0]);
    assert.deepEqual([...c.subarray(20, 24)], [0x3e, 0, 0, 0]);
    assert.equal(c.length, 24);
    const d = encodeGssChecksum({ bindingsHash: bnd, flags: 0x3e, delegation: new Uint8Array([1, 2, 3]) });
    assert.deepEqual([...d.subarray(20, 31)], [0x3f, 0, 0, 0, 1, 0, 3, 0, 1, 2, 3]);
    assert.deepEqual([...d.subarray(24, 28)], [1, 0, 3, 0]);
    const back = decodeGssChecksum(d);
    assert.equal(back.flags, 0x3f);
    assert.deepEqual(back.delegation, new Uint8Array([1, 2, 3]));
  });
  it('reads trailing big-endian extensions and refuses malformed checksums', () => {
    const base = encodeGssChecksum({ bindingsHash: new Uint8Array(16), flags: 2 });
    const ext = new Uint8Array([0, 0, 0, 9, 0, 0, 0, 2, 0xaa, 0xbb]);
    const withExt = decodeGssChecksum(concatBytes(base, ext));
    assert.deepEqual(withExt.extensions, [{ type: 9, data: new Uint8Array([0xaa, 0xbb]) }]);
    for (const bad of [
      base.subarray(0, 23),
      concatBytes(base, new Uint8Array(3)),
      concatBytes(base, ext.subarray(0, 9)),
    ])
      assert.throws(
        () => decodeGssChecksum(bad),
        (e: unknown) => isGssockError(e, 'DEFECTIVE_TOKEN'),
      );
    const wrongLgth = base.slice();
    wrongLgth[0] = 15;
    assert.throws(() => decodeGssChecksum(wrongLgth));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (junk) => {
        try {
          decodeGssChecksum(junk);
        } catch (e) {
          assert.ok(isGssockError(e));
        }
      }),
    );
  });
});

describe('channel bindings (RFC 2744 §3.11 layout, MD5)', () => {
  it('hashes the little-endian layout; zeros without bindings; MIT acceptance rule', () => {
    assert.deepEqual(channelBindingsHash(undefined), new Uint8Array(16));
    const cb = { application: enc.encode('x') };
    const h = channelBindingsHash(cb);
    assert.equal(h.length, 16);
    assert.notDeepEqual(h, channelBindingsHash({ application: enc.encode('y') }));
    assert.equal(checkChannelBindings(h, cb), 'bound');
    assert.equal(checkChannelBindings(h, { application: enc.encode('y') }), 'mismatch');
    assert.equal(checkChannelBindings(new Uint8Array(16), cb), 'unbound');
    assert.equal(checkChannelBindings(new Uint8Array(16), cb, true), 'mismatch');
    assert.equal(checkChannelBindings(h, undefined), 'unbound');
  });
});

describe('sequence window and replay cache', () => {
  it('window: duplicates, too old, gaps and reordering as the flags ask; wraps at the modulus', () => {
    const w = new SequenceWindow({ initial: 0xfffffffen, replay: true, sequence: false, modulus: 1n << 32n });
    w.check(0xfffffffen);
    w.check(1n); // skipped 0xffffffff and 0 (allowed without sequence detection)
    w.check(0n); // late but new
    assert.throws(
      () => w.check(0n),
      (e: unknown) => isGssockError(e, 'DUPLICATE_TOKEN'),
    );
    for (let i = 2n; i < 200n; i++) w.check(i);
    assert.throws(
      () => w.check(5n),
      (e: unknown) => isGssockError(e, 'OLD_TOKEN'),
    );
    const s = new SequenceWindow({ initial: 10n, replay: true, sequence: true });
    s.check(10n);
    assert.throws(
      () => s.check(12n),
      (e: unknown) => isGssockError(e, 'GAP_TOKEN'),
    );
    s.check(11n);
    const none = new SequenceWindow({ initial: 0n, replay: false, sequence: false });
    none.check(5n);
    none.check(5n);
  });
  it('replay cache: second sight refused, expiry, bounded size', () => {
    let now = 1000;
    const c = memoryReplayCache({ maxEntries: 3, clock: () => now });
    const e = (n: number) => ({ client: 'a@R', server: 'h/x@R', ctime: n, cusec: 0, tag: 't' });
    assert.equal(c.checkAndStore(e(1), 2000), true);
    assert.equal(c.checkAndStore(e(1), 2000), false);
    now = 3000;
    assert.equal(c.checkAndStore(e(1), 4000), true, 'expired entries may be seen again');
    assert.equal(c.checkAndStore(e(2), 9000), true);
    assert.equal(c.checkAndStore(e(3), 9000), true);
    // Full of live entries: refused (fail closed), never one of them dropped early.
    assert.throws(
      () => c.checkAndStore(e(4), 9000),
      (x: unknown) => isGssockError(x, 'LIMIT_EXCEEDED'),
    );
    assert.equal(c.checkAndStore(e(1), 4000), false, 'the stored ones are all still refused');
    assert.equal(c.size(), 3);
  });
});
