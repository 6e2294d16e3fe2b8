/**
 * The in-memory replay cache (src/providers/kerberos/gss/replay-cache.ts): the tag (SHA-256
 * prefix, FIPS 180-2 "abc" vector), refusal of a second sight, expiry, an entry stored
 * again after expiring that survives the purge of its older queue slot, and the bound with
 * oldest-first eviction.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryReplayCache, replayKey, replayTag } from '../../../src/providers/kerberos/gss/replay-cache.ts';

const entry = (n: number, cusec = 0) => ({
  client: 'a@R',
  server: 'h/x@R',
  ctime: n * 1000,
  cusec,
  tag: 't',
});

describe('memoryReplayCache', () => {
  it('the tag is the first 16 bytes of SHA-256, in hex', () => {
    assert.equal(replayTag(new TextEncoder().encode('abc')), 'ba7816bf8f01cfea414140de5dae2223');
  });

  it('the key tells every field apart', () => {
    const base = entry(1);
    const keys = new Set(
      [
        base,
        { ...base, client: 'b@R' },
        { ...base, server: 'h/y@R' },
        { ...base, ctime: 2000 },
        { ...base, cusec: 1 },
        { ...base, tag: 'u' },
      ].map(replayKey),
    );
    assert.equal(keys.size, 6);
  });

  it('refuses a second sight until the entry expires', () => {
    let now = 1000;
    const c = memoryReplayCache({ clock: () => now });
    assert.equal(c.checkAndStore(entry(1), 2000), true);
    assert.equal(c.checkAndStore(entry(1), 2000), false);
    assert.equal(c.checkAndStore(entry(1, 1), 2000), true, 'another cusec is another authenticator');
    now = 2000;
    assert.equal(c.checkAndStore(entry(1), 5000), true, 'expired entries may be seen again');
    assert.equal(c.checkAndStore(entry(1), 5000), false);
  });

  it('an entry stored again survives the purge of its first, expired, queue slot', () => {
    let now = 1000;
    const c = memoryReplayCache({ maxEntries: 10, clock: () => now });
    c.checkAndStore(entry(9), 9000); // ahead in the queue, holds the purge back
    c.checkAndStore(entry(1), 2000);
    now = 3000;
    // Entry 1 expired; its first slot is still queued behind entry 9's.
    assert.equal(c.checkAndStore(entry(1), 9500), true);
    now = 9200;
    // This call purges entry 9's slot and entry 1's first slot, not entry 1's live one.
    assert.equal(c.checkAndStore(entry(2), 20_000), true);
    assert.equal(c.checkAndStore(entry(1), 9500), false, 'still refused: its later slot is live');
    assert.equal(c.size(), 2);
  });

  it('keeps at most maxEntries, evicting the oldest, through many rounds', () => {
    const c = memoryReplayCache({ maxEntries: 100, clock: () => 0 });
    for (let i = 0; i < 5000; i++) {
      assert.equal(c.checkAndStore(entry(i), 1e15), true);
      assert.ok(c.size() <= 100);
    }
    assert.equal(c.size(), 100);
    assert.equal(c.checkAndStore(entry(4999), 1e15), false, 'the newest is kept');
    assert.equal(c.checkAndStore(entry(4899), 1e15), true, 'the 101st newest was evicted');
  });
});
