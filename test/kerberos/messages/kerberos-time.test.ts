/**
 * KerberosTime (RFC 4120 §5.2.3) read in place against Date's own calendar: random instants
 * round-trip, and random 14-digit strings are accepted exactly when Date reads back the
 * same fields (the rule the reader implements without Date).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDerTree } from '../../../src/providers/kerberos/messages/der-reader.ts';
import { kerberosTime, kerberosTimeText, toDer } from '../../../src/providers/kerberos/messages/der.ts';
import { readKerberosTime } from '../../../src/providers/kerberos/messages/primitives.ts';

const LIMITS = { maxDepth: 4, maxNodes: 4 };
const node = (text: string) =>
  readDerTree(Uint8Array.from([0x18, text.length, ...[...text].map((ch) => ch.charCodeAt(0))]), 't', LIMITS);

/** What Date says: the instant if the fields survive a round trip through Date.UTC. */
function byDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const t = new Date(ms);
  const same =
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo! - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s;
  return same && y! >= 100 ? ms : undefined;
}

describe('KerberosTime', () => {
  it('round-trips random instants from year 100 to 9999', () => {
    for (let i = 0; i < 5000; i++) {
      const ms =
        Date.UTC(100, 0, 1) + Math.floor(Math.random() * (Date.UTC(9999, 11, 31) - Date.UTC(100, 0, 1)));
      const der = toDer(kerberosTime(ms));
      assert.equal(readKerberosTime(readDerTree(der, 't', LIMITS), 't'), Math.floor(ms / 1000) * 1000);
      // The contents, after the tag and length 15, are the text, which is what the RFC
      // 4120 §5.2.3 fields of the UTC date say.
      assert.equal(String.fromCharCode(...der.subarray(2)), kerberosTimeText(ms));
      assert.equal(
        kerberosTimeText(ms),
        `${new Date(Math.floor(ms / 1000) * 1000)
          .toISOString()
          .replace(/[-:T]|\.000/g, '')
          .padStart(15, '0')}`,
      );
    }
  });

  it('accepts a digit string exactly when the calendar has that date', () => {
    const pick = (n: number) => String(Math.floor(Math.random() * n));
    let accepted = 0;
    for (let i = 0; i < 20000; i++) {
      // Fields drawn past their ranges (month 0-19, day 0-39, hour 0-29...) to hit every edge,
      // including 29 February of leap and common years.
      const text =
        pick(10000).padStart(4, '0') +
        pick(20).padStart(2, '0') +
        pick(40).padStart(2, '0') +
        pick(30).padStart(2, '0') +
        pick(70).padStart(2, '0') +
        pick(70).padStart(2, '0') +
        'Z';
      const expected = byDate(text);
      if (expected === undefined)
        assert.throws(() => readKerberosTime(node(text), 't'), /MALFORMED|invalid|bad/);
      else {
        accepted++;
        assert.equal(readKerberosTime(node(text), 't'), expected, text);
      }
    }
    for (const [text, ok] of [
      ['20240229000000Z', true],
      ['21000229000000Z', false],
      ['20000229000000Z', true],
      ['20230229000000Z', false],
      ['20231231235959Z', true],
      ['20231231235960Z', false],
      ['2023123123595 Z', false],
      ['20231231235959z', false],
    ] as const)
      if (ok) assert.equal(readKerberosTime(node(text), 't'), byDate(text), text);
      else assert.throws(() => readKerberosTime(node(text), 't'), /MALFORMED|invalid|bad|YYYY/, text);
    assert.ok(accepted > 1000, `only ${accepted} valid dates drawn`);
  });
});
