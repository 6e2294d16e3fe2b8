/**
 * The default randomness (src/core/random.ts) and the confounder helpers over the same
 * pool (src/crypto/random-pool.ts): lengths, no byte handed out twice across refills, the
 * refills and large requests come from crypto.getRandomValues, and a loose uniformity
 * check (a pool that repeated or zeroed bytes would fail it).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError } from '../../src/core/errors.ts';
import { defaultRandom, fillRandom } from '../../src/core/random.ts';
import { randomBytes, randomInto } from '../../src/crypto/random-pool.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Runs `fn` with crypto.getRandomValues counted (restored afterwards). */
function counting(fn: () => void): number {
  const original = crypto.getRandomValues;
  let calls = 0;
  const counted = <T extends ArrayBufferView | null>(a: T): T => {
    calls++;
    return original.call(crypto, a as never) as T;
  };
  Object.defineProperty(crypto, 'getRandomValues', { value: counted, configurable: true, writable: true });
  try {
    fn();
  } finally {
    Object.defineProperty(crypto, 'getRandomValues', { value: original, configurable: true, writable: true });
  }
  return calls;
}

describe('defaultRandom and the pool', () => {
  it('returns exactly the length asked for, also above the pool and above 64 KiB', () => {
    for (const n of [0, 1, 4, 16, 32, 1024, 1025, 4096, 70_000]) {
      const b = defaultRandom(n);
      assert.ok(b instanceof Uint8Array);
      assert.equal(b.length, n);
      if (n >= 16)
        assert.ok(
          b.some((x) => x !== 0),
          `${n} bytes all zero`,
        );
    }
    // The tail of a request larger than one getRandomValues call is filled too.
    assert.ok(
      defaultRandom(70_000)
        .subarray(65_536)
        .some((x) => x !== 0),
    );
  });

  it('never hands out the same bytes twice, across many refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const h = hex(i % 2 ? defaultRandom(16) : randomBytes(16));
      assert.ok(!seen.has(h), 'a 16-byte draw repeated');
      seen.add(h);
    }
  });

  it('refills from crypto.getRandomValues, a few calls for many draws', () => {
    const calls = counting(() => {
      for (let i = 0; i < 1000; i++) defaultRandom(32);
    });
    // 32 000 bytes through a 4 KiB pool: 7 to 9 refills, never one per draw.
    assert.ok(calls >= 7 && calls <= 9, `${calls} calls`);
    assert.equal(
      counting(() => defaultRandom(2000)),
      1,
    );
  });

  it('is roughly uniform (each byte value within 6 sigma of its mean)', () => {
    const counts = new Array<number>(256).fill(0);
    const buf = new Uint8Array(16);
    for (let i = 0; i < 4096; i++) {
      fillRandom(buf);
      for (const x of buf) counts[x]!++;
    }
    // 65 536 bytes: mean 256 per value, sd ~16.
    for (let v = 0; v < 256; v++) assert.ok(counts[v]! > 160 && counts[v]! < 352, `value ${v}: ${counts[v]}`);
  });

  it('randomInto writes only its range and checks it', () => {
    const out = new Uint8Array(64);
    randomInto(out, 16, 32);
    assert.ok(out.subarray(0, 16).every((x) => x === 0));
    assert.ok(out.subarray(48).every((x) => x === 0));
    assert.ok(out.subarray(16, 48).some((x) => x !== 0));
    for (const [off, n] of [
      [-1, 4],
      [60, 8],
      [0, -1],
    ] as const)
      assert.throws(
        () => randomInto(out, off, n),
        (e: unknown) => isGssockError(e, 'INVALID_ARGUMENT'),
      );
  });
});
