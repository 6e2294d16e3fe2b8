/**
 * Replay and sequence detection for per-message tokens (RFC 2743 §1.2.3, RFC 4121 §4.2.6).
 *
 * Each side keeps the next sequence number it expects from its peer and a sliding window
 * of numbers already seen below it. A token is classified as in order, a gap (numbers
 * skipped), out of order (UNSEQ), a duplicate, or too old to tell (OLD). gssock fails closed:
 * with replay detection, duplicates and tokens too old to check are refused; with sequence
 * detection, gaps and out-of-order tokens are refused too. Without either flag nothing is
 * checked, as GSS-API specifies.
 */
import { gssError } from '../../../core/errors.ts';

/** Width of the window of remembered sequence numbers below the highest seen. */
export const SEQUENCE_WINDOW = 64;

export interface SequenceWindowOptions {
  /** The peer's initial sequence number (from the Authenticator or EncAPRepPart). */
  initial: bigint;
  replay: boolean;
  sequence: boolean;
  /** Sequence numbers wrap at this modulus (2^64 for RFC 4121 tokens, 2^32 for RFC 1964/4757). */
  modulus?: bigint;
}

export class SequenceWindow {
  readonly #replay: boolean;
  readonly #sequence: boolean;
  readonly #modulus: bigint;
  readonly #base: bigint;
  /** Next expected number, relative to the initial one (so wrap-around is plain arithmetic). */
  #next = 0n;
  /** Bit i set: relative number (#next - 1 - i) was seen. */
  #seen = 0n;

  constructor(options: SequenceWindowOptions) {
    this.#replay = options.replay;
    this.#sequence = options.sequence;
    this.#modulus = options.modulus ?? 1n << 64n;
    this.#base = options.initial % this.#modulus;
  }

  /** Checks `seq` and records it; throws DUPLICATE_TOKEN / OLD_TOKEN / GAP_TOKEN / UNSEQ_TOKEN. */
  check(seq: bigint): void {
    if (!this.#replay && !this.#sequence) return;
    const rel = (((seq - this.#base) % this.#modulus) + this.#modulus) % this.#modulus;
    // Distance forward from the expected number; numbers "behind" wrap to huge distances.
    const half = this.#modulus / 2n;
    const ahead = (rel - this.#next + this.#modulus) % this.#modulus;
    if (ahead < half) {
      if (ahead > 0n && this.#sequence) {
        throw gssError('GAP_TOKEN', `per-message token ${seq} skips ${ahead} expected token(s)`, {
          origin: 'peer',
        });
      }
      const shift = ahead + 1n;
      this.#seen = shift >= BigInt(SEQUENCE_WINDOW) ? 1n : ((this.#seen << shift) | 1n) & WINDOW_MASK;
      this.#next = (rel + 1n) % this.#modulus;
      return;
    }
    const behind = (this.#next - 1n - rel + this.#modulus) % this.#modulus;
    if (behind >= BigInt(SEQUENCE_WINDOW)) {
      throw gssError('OLD_TOKEN', `per-message token ${seq} is too old to check for replay`, {
        origin: 'peer',
      });
    }
    const bit = 1n << behind;
    if ((this.#seen & bit) !== 0n) {
      throw gssError('DUPLICATE_TOKEN', `per-message token ${seq} was already received (replay)`, {
        origin: 'peer',
      });
    }
    if (this.#sequence) {
      throw gssError('UNSEQ_TOKEN', `per-message token ${seq} arrived out of order`, { origin: 'peer' });
    }
    this.#seen |= bit;
  }
}

const WINDOW_MASK = (1n << BigInt(SEQUENCE_WINDOW)) - 1n;
