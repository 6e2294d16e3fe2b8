/**
 * Replay detection for TGS-REQ authenticators (RFC 4120 §3.3.3.1, §10: "the KDC MUST
 * check for replays of the authenticator").
 *
 * Like MIT's replay cache, an authenticator is identified by a hash of its ciphertext
 * (two requests with the same client, ctime and cusec but different ciphertexts come from
 * different encryptions and are not replays of one another). Entries live as long as the
 * authenticator's ctime could still pass the skew check (ctime + skew, measured on the
 * KDC's clock), so memory stays bounded by the request rate times twice the skew. When
 * `maxEntries` live entries are held the cache refuses new ones (the caller answers
 * KDC_ERR_SVC_UNAVAILABLE) rather than forgetting one still inside the window.
 */
import { toHex } from '../core/bytes.ts';
import { digest } from '../crypto/hash.ts';

export const DEFAULT_REPLAY_CAPACITY = 100_000;

export type ReplayVerdict = 'fresh' | 'replay' | 'full';

export class ReplayCache {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;

  constructor(maxEntries = DEFAULT_REPLAY_CAPACITY) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Records the authenticator `cipher` of `client`, valid until `expiresAt` (ms);
   * says whether it was already seen.
   */
  check(client: string, cipher: Uint8Array, expiresAt: number, now: number): ReplayVerdict {
    const id = `${client}\u0000${toHex(digest('sha256', cipher).subarray(0, 16))}`;
    const seen = this.#entries.get(id);
    if (seen !== undefined && seen > now) return 'replay';
    if (this.#entries.size >= this.#maxEntries) this.prune(now);
    if (this.#entries.size >= this.#maxEntries) return 'full';
    this.#entries.delete(id); // re-insert so Map order stays close to expiry order
    this.#entries.set(id, expiresAt);
    return 'fresh';
  }

  /** Drops expired entries. */
  prune(now: number): void {
    for (const [id, expiresAt] of this.#entries) if (expiresAt <= now) this.#entries.delete(id);
  }
}
