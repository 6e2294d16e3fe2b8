/**
 * The acceptor's replay cache (RFC 4120 §3.2.3): an authenticator is accepted once. The
 * key follows MIT's rcache2 (krb5 src/lib/krb5/rcache/rc_file2.c): the authenticator's
 * time (ctime, cusec), client and server, and a hash of the authenticator ciphertext, so
 * two different authenticators from one client within the same microsecond do not collide.
 * An entry is kept until its ctime plus the clock skew: after that the skew check refuses
 * the authenticator anyway.
 *
 * `ReplayCache` is an interface so a service running several processes can plug in a shared
 * store (Redis SET NX PX, a database unique key); `memoryReplayCache()` is the default.
 */
import { gssError } from '../../../core/errors.ts';
import { digest } from '../../../crypto/hash.ts';

export interface ReplayEntry {
  /** Client principal, MIT text form. */
  client: string;
  /** Server principal, MIT text form. */
  server: string;
  /** Authenticator ctime, ms since epoch (whole seconds), and cusec. */
  ctime: number;
  cusec: number;
  /** Hex SHA-256 (first 16 bytes) of the authenticator ciphertext. */
  tag: string;
}

export interface ReplayCache {
  /**
   * Records `entry` unless it is already present. Returns true when it was new (accept),
   * false when it was seen before (a replay). Must be atomic for concurrent callers.
   */
  checkAndStore(entry: ReplayEntry, expiresAt: number): boolean | Promise<boolean>;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The tag of an authenticator ciphertext. */
export function replayTag(authenticatorCipher: Uint8Array): string {
  const h = digest('sha256', authenticatorCipher);
  let s = '';
  for (let i = 0; i < 16; i++) s += HEX[h[i]!];
  return s;
}

/** The string a store can use as its key. */
export function replayKey(e: ReplayEntry): string {
  return `${e.ctime}.${e.cusec}|${e.tag}|${e.client}|${e.server}`;
}

export interface MemoryReplayCacheOptions {
  /**
   * Most live entries kept (default 1 000 000, about 120 MB when full). When every slot
   * holds an unexpired entry, new authenticators are refused (LIMIT_EXCEEDED) rather than
   * an entry dropped early: a dropped entry's authenticator could be replayed.
   */
  maxEntries?: number;
  /** Clock used to drop expired entries (default Date.now). */
  clock?: () => number;
}

/** The default bound: 3 333 authentications a second sustained over a 300-s skew window. */
export const REPLAY_CACHE_MAX_ENTRIES = 1_000_000;

/**
 * The in-memory key of an entry: the tag's characters, then ctime (milliseconds, 6 octets)
 * and cusec (3 octets) as character codes, in ONE String.fromCharCode call. That makes a
 * flat one-byte string of 42 characters for a real tag; a key built by concatenation is a
 * rope V8 keeps as a tree (measured: ~610 B an entry with the replayKey text, ~120 B with
 * this, Map and expiry buckets included).
 * Client and server are left out: the tag is a hash of the authenticator ciphertext,
 * encrypted under the client's own ticket session key, so it already tells clients and
 * services apart (a custom store may key on replayKey and keep them).
 */
function memoryKey(e: ReplayEntry, codes: number[]): string {
  codes.length = 0;
  const tag = e.tag;
  for (let i = 0; i < tag.length; i++) codes.push(tag.charCodeAt(i));
  const ms = Math.floor(e.ctime);
  for (let shift = 5; shift >= 0; shift--) codes.push(Math.floor(ms / 2 ** (8 * shift)) & 0xff);
  codes.push((e.cusec >>> 16) & 0xff, (e.cusec >>> 8) & 0xff, e.cusec & 0xff);
  codes.push(tag.length & 0xff);
  return String.fromCharCode.apply(null, codes);
}

/** Width of an expiry bucket: entries leave at most this long after they expire. */
const BUCKET_MS = 100;

/**
 * An in-memory replay cache, bounded in size, with expiry. Keys are filed by expiry in
 * 100-ms buckets, and every call first drops the buckets that have fully expired, whatever
 * order entries came in: a client whose clock runs a skew ahead stores an entry that lives
 * twice as long as the others, and a first-in first-out queue would hold every later entry
 * behind it. Full of live entries, it fails closed (LIMIT_EXCEEDED).
 */
export function memoryReplayCache(
  options: MemoryReplayCacheOptions = {},
): ReplayCache & { size(): number; readonly maxEntries: number } {
  const max = options.maxEntries ?? REPLAY_CACHE_MAX_ENTRIES;
  if (!(max >= 1)) throw gssError('INVALID_ARGUMENT', 'maxEntries must be at least 1');
  const clock = options.clock ?? Date.now;
  // Times are kept relative to the cache's start, so they stay small integers (V8 keeps
  // those unboxed: 16 B an entry less than a boxed millisecond timestamp).
  const base = clock();
  /** key -> expiry. */
  const entries = new Map<string, number>();
  /** bucket (expiry / BUCKET_MS) -> keys filed there (a key stored again is in two). */
  const buckets = new Map<number, string[]>();
  /** No bucket below this one holds anything. */
  let low = Number.POSITIVE_INFINITY;
  const codes: number[] = [];

  const dropBucket = (b: number, keys: string[]) => {
    for (const k of keys) {
      const e = entries.get(k);
      // Only the slot of the key's current expiry removes it.
      if (e !== undefined && Math.floor(e / BUCKET_MS) === b) entries.delete(k);
    }
    buckets.delete(b);
  };
  /** Drops every bucket wholly in the past: O(expired entries + elapsed buckets). */
  const expire = (now: number) => {
    const current = Math.floor(now / BUCKET_MS);
    if (low >= current) return;
    if (current - low > 4 * buckets.size) {
      // A long gap (an idle service, a clock jump): walk the buckets instead of the time.
      for (const [b, keys] of buckets) if (b < current) dropBucket(b, keys);
    } else
      for (let b = low; b < current; b++) {
        const keys = buckets.get(b);
        if (keys) dropBucket(b, keys);
      }
    low = current;
  };

  return {
    checkAndStore(entry, expiresAt) {
      const key = memoryKey(entry, codes);
      const now = clock() - base;
      const expiry = expiresAt - base;
      expire(now);
      const seen = entries.get(key);
      if (seen !== undefined && seen > now) return false;
      if (seen === undefined && entries.size >= max) {
        // Before refusing, the entries of the current bucket that have just expired.
        const b = Math.floor(now / BUCKET_MS);
        for (const k of buckets.get(b) ?? []) {
          const e = entries.get(k);
          if (e !== undefined && e <= now && Math.floor(e / BUCKET_MS) === b) entries.delete(k);
        }
      }
      if (seen === undefined && entries.size >= max)
        throw gssError(
          'LIMIT_EXCEEDED',
          `replay cache full: ${max} authenticators inside the clock-skew window; refusing new ones until some expire (raise maxEntries or plug in a shared ReplayCache)`,
          { details: { maxEntries: max } },
        );
      entries.set(key, expiry);
      const b = Math.floor(expiry / BUCKET_MS);
      const keys = buckets.get(b);
      if (keys) keys.push(key);
      else buckets.set(b, [key]);
      if (b < low) low = b;
      return true;
    },
    size: () => entries.size,
    maxEntries: max,
  };
}
