/**
 * Injected clock and randomness for reproducible tests. A mechanism that takes all its
 * time from `ContextOptions.clock` and all its randomness from `ContextOptions.random`
 * produces byte-identical tokens when these are fixed (rule:deterministic).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../core/bytes.ts';
import type { Clock, RandomSource } from '../core/mechanism.ts';

/**
 * A deterministic RandomSource: HMAC-SHA-256(seed, counter) blocks. NOT for production:
 * anyone who knows the seed knows every byte.
 */
export function seededRandom(seed: string | number | Uint8Array): RandomSource {
  const key =
    typeof seed === 'number'
      ? utf8(`gssock-seed:${seed}`)
      : typeof seed === 'string'
        ? utf8(seed)
        : seed.slice();
  let counter = 0;
  return (length) => {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bad random length ${length}`);
    const out = new Uint8Array(length);
    const block = new Uint8Array(8);
    const view = new DataView(block.buffer);
    for (let offset = 0; offset < length; offset += 32) {
      view.setUint32(0, Math.floor(counter / 2 ** 32));
      view.setUint32(4, counter >>> 0);
      counter++;
      const chunk = hmac(sha256, key, block);
      out.set(chunk.subarray(0, Math.min(32, length - offset)), offset);
    }
    return out;
  };
}

/** A clock stuck at `ms` (milliseconds since the epoch). */
export function fixedClock(ms: number): Clock {
  return () => ms;
}

/** A clock that starts at `start` and advances `stepMs` on every reading. */
export function steppingClock(start: number, stepMs = 1): Clock {
  let now = start;
  return () => {
    const t = now;
    now += stepMs;
    return t;
  };
}

/** Small deterministic integer source for the kit's own choices (positions, lengths). */
export function seededInts(seed: string): (below: number) => number {
  const random = seededRandom(`ints:${seed}`);
  return (below) => {
    const b = random(4);
    const n = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    return below <= 0 ? 0 : n % below;
  };
}
