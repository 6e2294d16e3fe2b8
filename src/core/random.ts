import type { Clock, RandomSource } from './mechanism.ts';

/** Default randomness: WebCrypto's getRandomValues, present on Node 20+, Deno and Bun. */
export const defaultRandom: RandomSource = (length) => {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < length; i += 65536)
    crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  return out;
};

export const defaultClock: Clock = () => Date.now();
