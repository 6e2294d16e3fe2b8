/**
 * Decrypted service tickets, per Mechanism. An initiator presents the same ticket to the
 * same service for its whole lifetime (hours); decrypting it (usage 2) and decoding the
 * EncTicketPart costs more than the rest of the acceptor's work together (the DER decode
 * alone is ~0.2-0.4 ms with asn1js). The result of decrypt-then-decode depends only on the
 * service key and the ciphertext bytes, so a hit is exactly what decrypting again would
 * give (its integrity was checked when it was first decrypted).
 *
 * Keyed by the keytab key's bytes (the array object: a keytab parsed again makes a new
 * cache) and a SHA-256 of the ciphertext; a hit also compares the whole ciphertext. Bounded
 * (oldest out first), and an entry past its ticket's end time is dropped. Every hit hands out
 * a copy with its own session key array, since a context wipes its keys when disposed.
 */
import { digest } from '../../../crypto/hash.ts';
import type { EncTicketPart } from '../messages/index.ts';
import type { EncryptionKey } from '../types.ts';

interface Entry {
  cipher: Uint8Array;
  part: EncTicketPart;
}

/** Most tickets kept per Mechanism (one per active client is the working set). */
export const TICKET_CACHE_SIZE = 1024;

function tag(cipher: Uint8Array): string {
  const h = digest('sha256', cipher);
  let s = '';
  for (let i = 0; i < 16; i++) s += String.fromCharCode(h[i]!);
  return s;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A copy that a context may keep and wipe (the key) without touching the cached one. */
function copy(part: EncTicketPart): EncTicketPart {
  return { ...part, key: { etype: part.key.etype, value: part.key.value.slice() } };
}

export class DecryptedTickets {
  readonly #max: number;
  readonly #byKey = new WeakMap<Uint8Array, Map<string, Entry>>();
  /** Insertion order over every key, for the bound. */
  readonly #order: Array<{ map: Map<string, Entry>; tag: string }> = [];
  #size = 0;

  constructor(max = TICKET_CACHE_SIZE) {
    this.#max = max;
  }

  /** The cached decryption of `cipher` under `key`, if still valid at `now`. */
  get(key: EncryptionKey, cipher: Uint8Array, now: number): EncTicketPart | undefined {
    const map = this.#byKey.get(key.value);
    if (!map) return undefined;
    const t = tag(cipher);
    const hit = map.get(t);
    if (!hit || !sameBytes(hit.cipher, cipher)) return undefined;
    if (hit.part.endtime < now) {
      map.delete(t);
      return undefined;
    }
    return copy(hit.part);
  }

  set(key: EncryptionKey, cipher: Uint8Array, part: EncTicketPart): void {
    let map = this.#byKey.get(key.value);
    if (!map) {
      map = new Map();
      this.#byKey.set(key.value, map);
    }
    const t = tag(cipher);
    if (!map.has(t)) {
      this.#order.push({ map, tag: t });
      this.#size++;
    }
    map.set(t, { cipher: cipher.slice(), part: copy(part) });
    while (this.#size > this.#max) {
      const old = this.#order.shift()!;
      old.map.get(old.tag)?.part.key.value.fill(0);
      old.map.delete(old.tag);
      this.#size--;
    }
  }
}
