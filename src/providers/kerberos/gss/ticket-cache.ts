/**
 * Decrypted service tickets, per Mechanism (KerberosOptions.ticketCache, on by default).
 *
 * Why it is sound: an initiator presents the same ticket (from its ccache) to the same
 * service on every connection for the ticket's whole lifetime (hours). The ticket's enc-part
 * is authenticated encryption under the service key (RFC 3961 §5.3: HMAC over the
 * plaintext, checked before anything is decoded), so decrypting the exact same ciphertext
 * under the exact same key always gives the same EncTicketPart, or always fails. A hit is
 * therefore exactly what decrypting again would give; only successful decryptions are
 * stored, so a peer cannot put anything into the cache without a ticket the KDC issued
 * under our key. What depends on the connection or the time is not cached: the
 * authenticator (decrypted per AP-REQ), and every check on the ticket (server name, skew,
 * start and end times, INVALID flag, client name match, replay cache) runs per AP-REQ on
 * the cached EncTicketPart exactly as on a fresh one.
 *
 * Lookup: by the keytab key's array object (a keytab parsed again has new arrays, so a
 * reloaded keytab, which means a new Mechanism, never sees old entries), then by a cheap
 * tag of the ciphertext (a hash of its length and first and last 8 bytes: the first
 * AES-CTS block and the MAC, random-looking for any real ticket). A hit also compares the
 * etype and the bytes of the key (a key changed in place misses) and the whole ciphertext,
 * so a colliding tag is only a miss (and the later ticket replaces the earlier one). Bounded (oldest out first); an entry past its ticket's end
 * time is dropped.
 *
 * A hit returns the cached EncTicketPart itself, with the same session-key array, so the
 * keys derived from it (RFC 3961 Ke/Ki for usages 11 and 12) and their prepared ciphers
 * and HMAC states (derived-keys.ts) are reused instead of derived per connection. Callers
 * must treat it as read-only and never wipe its key (the acceptor hands Protection a copy
 * when the ticket session key is also the context key). Entries are dropped, not wiped,
 * when evicted: another context may be between decrypting its authenticator and sending
 * its AP-REP with that same key.
 */
import { bytesEqual } from '../../../core/bytes.ts';
import { gssError } from '../../../core/errors.ts';
import type { EncTicketPart } from '../messages/index.ts';
import type { EncryptionKey } from '../types.ts';

interface Slot {
  map: Map<number, Entry>;
  tag: number;
}

interface Entry {
  /** Its place in the insertion order (an entry replaced under the same tag keeps it). */
  slot: Slot;
  cipher: Uint8Array;
  etype: number;
  keyBytes: Uint8Array;
  part: EncTicketPart;
}

/** Most tickets kept per Mechanism by default (one per active client is the working set). */
export const TICKET_CACHE_SIZE = 1024;

/**
 * A 31-bit tag from the length and the first and last 8 bytes (a small integer is a cheap
 * Map key; building a string key cost more than the rest of a hit). Tickets shorter than
 * 16 bytes never decrypt, so never get here via `set`; `get` still handles them.
 */
function tag(cipher: Uint8Array): number {
  const n = cipher.length;
  let h = n | 0;
  const head = Math.min(8, n);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ cipher[i]!, 0x01000193);
  for (let i = Math.max(head, n - 8); i < n; i++) h = Math.imul(h ^ cipher[i]!, 0x01000193);
  return h & 0x7fffffff;
}

export class DecryptedTickets {
  readonly #max: number;
  readonly #byKey = new WeakMap<Uint8Array, Map<number, Entry>>();
  /** Insertion order over every key, for the bound; slots before #head are consumed. */
  #order: Slot[] = [];
  #head = 0;
  #size = 0;

  constructor(maxEntries = TICKET_CACHE_SIZE) {
    if (!(Number.isInteger(maxEntries) && maxEntries >= 1))
      throw gssError('INVALID_ARGUMENT', 'ticketCache.maxEntries must be a positive integer');
    this.#max = maxEntries;
  }

  /** Entries held now (tests). */
  get size(): number {
    return this.#size;
  }

  /** The cached decryption of `cipher` under `key`, if still valid at `now`. Read-only. */
  get(key: EncryptionKey, cipher: Uint8Array, now: number): EncTicketPart | undefined {
    const map = this.#byKey.get(key.value);
    if (!map) return undefined;
    const t = tag(cipher);
    const hit = map.get(t);
    if (
      !hit ||
      hit.etype !== key.etype ||
      !bytesEqual(hit.keyBytes, key.value) ||
      !bytesEqual(hit.cipher, cipher)
    )
      return undefined;
    if (hit.part.endtime < now) {
      map.delete(t);
      this.#size--;
      return undefined;
    }
    return hit.part;
  }

  /** Stores a successful decryption (the part is kept as is: the caller must not wipe it). */
  set(key: EncryptionKey, cipher: Uint8Array, part: EncTicketPart): void {
    let map = this.#byKey.get(key.value);
    if (!map) {
      map = new Map();
      this.#byKey.set(key.value, map);
    }
    const t = tag(cipher);
    let slot = map.get(t)?.slot;
    if (!slot) {
      slot = { map, tag: t };
      this.#order.push(slot);
      this.#size++;
    }
    map.set(t, { slot, cipher: cipher.slice(), etype: key.etype, keyBytes: key.value.slice(), part });
    while (this.#size > this.#max) this.#evictOldest();
    // Consumed slots, and slots of entries dropped as expired, are garbage: compact the
    // list when they outnumber the live ones.
    if (this.#order.length > 2 * this.#size + 64) {
      this.#order = this.#order.slice(this.#head).filter((s) => s.map.get(s.tag)?.slot === s);
      this.#head = 0;
    }
  }

  #evictOldest(): void {
    while (this.#head < this.#order.length) {
      const old = this.#order[this.#head++]!;
      // A slot whose entry was dropped as expired (or replaced by a later one) is skipped.
      if (old.map.get(old.tag)?.slot === old) {
        old.map.delete(old.tag);
        this.#size--;
        return;
      }
    }
  }
}
