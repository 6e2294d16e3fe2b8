/**
 * Replay and sequence detection for the mock's per-message tokens (RFC 2743 §1.2.3).
 *
 * Each direction numbers its tokens from 0. The receiver remembers the next number it
 * expects and which of the WINDOW numbers below it were seen. The check runs only after
 * the token's MAC or tag verified, so a forger cannot move the window. Like the rest of
 * gssock it fails closed, as SSPI does (SEC_E_OUT_OF_SEQUENCE), rather than returning the
 * message with a supplementary status:
 *
 *   flags            duplicate        too old (>= WINDOW behind)   gap          out of order
 *   neither          accepted         accepted                     accepted     accepted
 *   REPLAY           DUPLICATE_TOKEN  OLD_TOKEN                    accepted     accepted
 *   SEQUENCE (+any)  DUPLICATE_TOKEN  OLD_TOKEN                    GAP_TOKEN    UNSEQ_TOKEN
 *
 * A token refused with GAP_TOKEN is authentic and newer than anything seen, so it is still
 * recorded: the context resynchronises after a lost message instead of refusing every later
 * one, and a skipped token that turns up late is then UNSEQ_TOKEN. Its message is not
 * returned (failing closed); the caller learns that messages were lost.
 */
import { gssError } from '../../core/errors.ts';

export const WINDOW = 64;

export class ReplayWindow {
  readonly #replay: boolean;
  readonly #sequence: boolean;
  /** Next expected sequence number. */
  #next = 0;
  /** seen[n % WINDOW] === n: number n (within the window) was received. */
  readonly #seen = new Float64Array(WINDOW).fill(-1);

  constructor(options: { replay: boolean; sequence: boolean }) {
    this.#replay = options.replay;
    this.#sequence = options.sequence;
  }

  /** Checks and records `seq`; throws DUPLICATE_TOKEN / OLD_TOKEN / GAP_TOKEN / UNSEQ_TOKEN. */
  check(seq: number): void {
    if (!this.#replay && !this.#sequence) return;
    if (seq >= this.#next) {
      const expected = this.#next;
      this.#seen[seq % WINDOW] = seq;
      this.#next = seq + 1;
      if (seq > expected && this.#sequence) {
        throw gssError('GAP_TOKEN', `mock: token ${seq} skips ${seq - expected} expected token(s)`, {
          origin: 'peer',
          details: { expected, received: seq },
        });
      }
      return;
    }
    if (this.#next - seq > WINDOW) {
      throw gssError('OLD_TOKEN', `mock: token ${seq} is too old to check for replay`, {
        origin: 'peer',
        details: { expected: this.#next, received: seq },
      });
    }
    if (this.#seen[seq % WINDOW] === seq) {
      throw gssError('DUPLICATE_TOKEN', `mock: token ${seq} was already received (replay)`, {
        origin: 'peer',
        details: { received: seq },
      });
    }
    if (this.#sequence) {
      throw gssError('UNSEQ_TOKEN', `mock: token ${seq} arrived out of order`, {
        origin: 'peer',
        details: { expected: this.#next, received: seq },
      });
    }
    this.#seen[seq % WINDOW] = seq;
  }
}
