import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GssockError, isGssockError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import { aead } from '../../src/providers/mock/aead.ts';
import { DEFAULT_LIFETIME_MS } from '../../src/providers/mock/index.ts';
import { deriveKeys } from '../../src/providers/mock/keys.ts';
import { MockProtection } from '../../src/providers/mock/protection.ts';
import { pair, text } from './support.ts';

const is = (c: string) => (e: unknown) => isGssockError(e, c as never);
const nativeAvailable = (() => {
  try {
    aead('node:crypto');
    return true;
  } catch {
    return false;
  }
})();

describe('mock wrap/unwrap', () => {
  it('round-trips both ways, sealed and integrity-only, empty and large', async () => {
    const { initiator, acceptor } = await pair();
    const big = new Uint8Array(100_000).map((_, i) => i * 7);
    for (const [from, to] of [
      [initiator, acceptor],
      [acceptor, initiator],
    ] as const) {
      for (const confidential of [true, false]) {
        for (const m of [new Uint8Array(0), text('hello'), big]) {
          const r = await to.unwrap(await from.wrap(m, { confidential }));
          assert.deepEqual(r.message, m);
          assert.equal(r.confidential, confidential);
          assert.equal(r.qop, 0);
        }
      }
    }
  });

  it('hides the plaintext when sealed', async () => {
    const { initiator } = await pair();
    const secret = text('attack at dawn, attack at dawn');
    const sealed = await initiator.wrap(secret);
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    assert.ok(!hex(sealed).includes(hex(secret.subarray(0, 8))));
  });

  it('refuses a token reflected back to its sender', async () => {
    const { initiator } = await pair();
    assert.throws(() => initiator.unwrap(initiator.wrap(text('x')) as Uint8Array), is('BAD_SIGNATURE'));
    assert.throws(
      () => initiator.verifyMic(text('x'), initiator.getMic(text('x')) as Uint8Array),
      is('BAD_SIGNATURE'),
    );
  });

  it('any single-bit change anywhere in a token is refused with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 64 }),
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (message, confidential, at, bit) => {
          const { initiator, acceptor } = await pair({ flags: 0 });
          const token = (await initiator.wrap(message, { confidential })).slice();
          token[at % token.length]! ^= 1 << bit;
          try {
            await acceptor.unwrap(token);
            return false;
          } catch (e) {
            return e instanceof GssockError && e.origin === 'peer';
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('unwrap of arbitrary bytes never crashes', async () => {
    const { acceptor } = await pair({ flags: 0 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (junk) => {
        try {
          acceptor.unwrap(junk);
          return false;
        } catch (e) {
          return e instanceof GssockError;
        }
      }),
    );
  });

  it('only QOP 0 is supported', async () => {
    const { initiator } = await pair();
    assert.throws(() => initiator.wrap(text('x'), { qop: 1 }), is('NOT_SUPPORTED'));
    assert.throws(() => initiator.getMic(text('x'), 2), is('NOT_SUPPORTED'));
  });

  it('expires with the injected clock: CONTEXT_EXPIRED', async () => {
    let now = 1000;
    const clock = () => now;
    const { initiator, acceptor } = await pair({ ctx: { clock }, acceptorCtx: { clock } });
    const token = await initiator.wrap(text('x'));
    now += DEFAULT_LIFETIME_MS;
    assert.throws(() => initiator.wrap(text('x')), is('CONTEXT_EXPIRED'));
    assert.throws(() => acceptor.unwrap(token), is('CONTEXT_EXPIRED'));
  });

  it('both AES-GCM backends speak the same tokens', {
    skip: nativeAvailable
      ? false
      : 'node:crypto is not reachable on this runtime: only the pure backend is in use',
  }, async () => {
    const { initiator, acceptor } = await pair({
      initiator: { aeadBackend: 'node:crypto' },
      acceptor: { aeadBackend: '@noble/ciphers' },
    });
    assert.equal(initiator.info().extra?.aead, 'node:crypto');
    assert.equal(acceptor.info().extra?.aead, '@noble/ciphers');
    for (const n of [0, 1, 15, 16, 17, 1000]) {
      const m = new Uint8Array(n).fill(n & 0xff);
      assert.deepEqual((await acceptor.unwrap(await initiator.wrap(m))).message, m);
      assert.deepEqual((await initiator.unwrap(await acceptor.wrap(m))).message, m);
    }
    const bad = (await initiator.wrap(text('x'))).slice();
    bad[bad.length - 1]! ^= 1;
    assert.throws(() => acceptor.unwrap(bad), is('BAD_SIGNATURE'));
    const bad2 = (await acceptor.wrap(text('x'))).slice();
    bad2[bad2.length - 1]! ^= 1;
    assert.throws(() => initiator.unwrap(bad2), is('BAD_SIGNATURE'));
  });
});

describe('mock getMic/verifyMic', () => {
  it('verifies, refuses another message, and shares the sequence counter with wrap', async () => {
    const { initiator, acceptor } = await pair();
    const w = await initiator.wrap(text('first'));
    const mic = await initiator.getMic(text('second'));
    assert.throws(() => acceptor.verifyMic(text('Second'), mic), is('BAD_SIGNATURE'));
    // The MIC carries number 1, the WRAP 0: taken in that order under SEQUENCE, a gap then late.
    assert.throws(() => acceptor.verifyMic(text('second'), mic), is('GAP_TOKEN'));
    assert.throws(() => acceptor.verifyMic(text('second'), mic), is('DUPLICATE_TOKEN'));
    assert.throws(() => acceptor.unwrap(w), is('UNSEQ_TOKEN'));
    assert.throws(() => acceptor.verifyMic(text('second'), mic), is('DUPLICATE_TOKEN'));
    assert.throws(() => acceptor.verifyMic(text('second'), mic.subarray(0, 20)), is('DEFECTIVE_TOKEN'));
  });
});

describe('mock replay and sequence detection', () => {
  async function deliver(flags: number, order: number[], count = Math.max(...order) + 1): Promise<string[]> {
    const { initiator, acceptor } = await pair({ flags: Flags.MUTUAL | flags });
    const tokens: Uint8Array[] = [];
    for (let i = 0; i < count; i++) tokens.push(await initiator.wrap(text(String(i))));
    const out: string[] = [];
    for (const i of order) {
      try {
        out.push(new TextDecoder().decode((await acceptor.unwrap(tokens[i]!)).message));
      } catch (e) {
        out.push((e as GssockError).code);
      }
    }
    return out;
  }

  it('without REPLAY or SEQUENCE accepts duplicates and any order', async () => {
    assert.deepEqual(await deliver(0, [1, 0, 0, 2]), ['1', '0', '0', '2']);
  });
  it('REPLAY: duplicates refused, order free, gaps fine', async () => {
    assert.deepEqual(await deliver(Flags.REPLAY, [1, 0, 0, 3, 1]), [
      '1',
      '0',
      'DUPLICATE_TOKEN',
      '3',
      'DUPLICATE_TOKEN',
    ]);
  });
  it('SEQUENCE: gaps and late tokens refused; the window moves on past a gap', async () => {
    assert.deepEqual(await deliver(Flags.SEQUENCE, [0, 2, 1, 3, 2]), [
      '0',
      'GAP_TOKEN',
      'UNSEQ_TOKEN',
      '3',
      'DUPLICATE_TOKEN',
    ]);
    assert.deepEqual(await deliver(Flags.SEQUENCE | Flags.REPLAY, [0, 1, 0]), ['0', '1', 'DUPLICATE_TOKEN']);
  });
  it('OLD_TOKEN beyond the 64-token window', async () => {
    const order = [...Array.from({ length: 69 }, (_, i) => i + 1), 0];
    const out = await deliver(Flags.REPLAY, order, 70);
    assert.equal(out.at(-1), 'OLD_TOKEN');
    assert.equal(out.filter((x) => x.endsWith('_TOKEN')).length, 1);
  });
});

describe('MockProtection.dispose', () => {
  it('wipes the direction keys it holds', () => {
    const keys = deriveKeys(text('k'), new Uint8Array(32), new Uint8Array(32).fill(1));
    const p = new MockProtection({ role: 'initiator', keys, replay: true, sequence: false });
    p.dispose();
    for (const k of [keys.initiatorToAcceptor, keys.acceptorToInitiator]) {
      assert.ok(k.enc.every((b) => b === 0) && k.mac.every((b) => b === 0));
    }
  });
});
