/**
 * The in-memory replay cache (src/providers/kerberos/gss/replay-cache.ts): the tag (SHA-256
 * prefix, FIPS 180-2 "abc" vector), refusal of a second sight, expiry, an entry stored
 * again after expiring that survives the purge of its older queue slot, and the bound:
 * full of live entries it refuses new authenticators (fail closed) instead of dropping one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError } from '../../../src/core/errors.ts';
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

  it('full of live entries it fails closed: new authenticators refused, replays still caught', () => {
    let now = 0;
    const c = memoryReplayCache({ maxEntries: 100, clock: () => now });
    for (let i = 0; i < 100; i++) assert.equal(c.checkAndStore(entry(i), 10_000), true);
    // Dropping a live entry early would let its authenticator be replayed: refuse instead.
    assert.throws(
      () => c.checkAndStore(entry(100), 10_000),
      (e: unknown) => isGssockError(e, 'LIMIT_EXCEEDED') && /replay cache full/.test((e as Error).message),
    );
    assert.equal(c.checkAndStore(entry(0), 10_000), false, 'a replay is still a replay');
    assert.equal(c.checkAndStore(entry(99), 10_000), false);
    assert.equal(c.size(), 100);
    now = 10_000;
    assert.equal(c.checkAndStore(entry(100), 20_000), true, 'accepted once the old ones expire');
    assert.equal(c.size(), 1);
  });

  it('stays within maxEntries through many rounds of expiring entries', () => {
    let now = 0;
    const c = memoryReplayCache({ maxEntries: 100, clock: () => now });
    for (let i = 0; i < 5000; i++) {
      now = i * 10;
      assert.equal(c.checkAndStore(entry(i), now + 500), true);
      assert.ok(c.size() <= 100);
    }
    assert.equal(c.checkAndStore(entry(4999), now + 500), false, 'the newest is kept');
    assert.equal(c.checkAndStore(entry(4900), now + 500), true, 'an expired one may come again');
  });

  it('expired entries behind a long-lived one make room before a refusal', () => {
    let now = 0;
    const c = memoryReplayCache({ maxEntries: 10, clock: () => now });
    // A client with a fast clock first: its entry outlives the nine after it.
    assert.equal(c.checkAndStore(entry(0), 100_000), true);
    for (let i = 1; i < 10; i++) assert.equal(c.checkAndStore(entry(i), 1000), true);
    now = 2000;
    assert.equal(c.checkAndStore(entry(10), 3000), true, 'nine expired entries made room');
    assert.equal(c.size(), 2);
    assert.equal(c.checkAndStore(entry(0), 100_000), false);
  });

  it('entries leave when they expire, whatever order they came in', () => {
    let now = 0;
    const c = memoryReplayCache({ maxEntries: 100, clock: () => now });
    // A client whose clock runs ahead: its entry outlives everything stored after it, and
    // must not hold the short-lived ones behind it.
    assert.equal(c.checkAndStore(entry(0), 1_000_000), true);
    for (let i = 1; i <= 5000; i++) {
      now = i * 100;
      assert.equal(c.checkAndStore(entry(i), now + 50), true);
      assert.ok(c.size() <= 3, `${c.size()} entries after ${i}`);
    }
    assert.equal(c.checkAndStore(entry(0), 1_000_000), false, 'the long-lived one is still there');
  });

  it('a clock jump far ahead drops everything expired in one call', () => {
    let now = 0;
    const c = memoryReplayCache({ maxEntries: 1000, clock: () => now });
    for (let i = 0; i < 500; i++) c.checkAndStore(entry(i), 300_000 + i * 1000);
    now = 10 * 86_400_000;
    assert.equal(c.checkAndStore(entry(1), now + 300_000), true, 'long expired: new again');
    assert.equal(c.size(), 1);
  });

  it('keys on tag, ctime and cusec; client and server come with the tag', () => {
    const c = memoryReplayCache({ clock: () => 0 });
    const e = {
      client: 'a@R',
      server: 'h/x@R',
      ctime: 1_764_214_800_123,
      cusec: 999_999,
      tag: 'ab'.repeat(16),
    };
    assert.equal(c.checkAndStore(e, 1e15), true);
    assert.equal(c.checkAndStore({ ...e, client: 'b@R', server: 'h/y@R' }, 1e15), false);
    assert.equal(c.checkAndStore({ ...e, cusec: 999_998 }, 1e15), true);
    assert.equal(c.checkAndStore({ ...e, ctime: e.ctime + 1000 }, 1e15), true);
    assert.equal(c.checkAndStore({ ...e, tag: 'ab'.repeat(15) }, 1e15), true);
    assert.equal(c.checkAndStore({ ...e, tag: `${'ab'.repeat(16)}0` }, 1e15), true);
  });

  it('refuses a bound below one', () => {
    assert.throws(
      () => memoryReplayCache({ maxEntries: 0 }),
      (e: unknown) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });
});
