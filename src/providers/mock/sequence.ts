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
 * A refused token is not recorded, so the expected number does not move past a gap.
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
      if (seq > this.#next && this.#sequence) {
        throw gssError('GAP_TOKEN', `mock: token ${seq} skips ${seq - this.#next} expected token(s)`, {
          origin: 'peer',
          details: { expected: this.#next, received: seq },
        });
      }
      this.#seen[seq % WINDOW] = seq;
      this.#next = seq + 1;
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
