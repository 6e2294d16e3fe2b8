/**
 * MIT keytab format (krb5 doc/formats/keytab_file_format.rst): keytabs written by MIT's
 * kadmin ktadd are parsed; ours are read by MIT klist and used by kinit -k -t.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytesEqual } from '../../src/core/bytes.ts';
import {
  findKeys,
  type KeytabEntry,
  parseKeytab,
  serializeKeytab,
} from '../../src/providers/kerberos/keytab.ts';
import { type MitRealm, mitSkip, startMitRealm } from '../support/mit-realm.ts';
import { assertTypedFailures } from '../support/typed-failures.ts';

const P = (nameString: string[], realm = 'EXAMPLE.TEST') => ({ realm, name: { nameType: 1, nameString } });
const entry = (
  kvno: number,
  etype: number,
  fill: number,
  name = ['host', 'a.example.test'],
): KeytabEntry => ({
  principal: P(name),
  timestamp: 1_700_000_000_000,
  kvno,
  key: { etype, value: new Uint8Array(etype === 17 ? 16 : 32).fill(fill) },
});

describe('keytab format', () => {
  const entries = [
    entry(1, 18, 1),
    entry(1, 17, 2),
    entry(2, 18, 3),
    entry(300, 18, 4),
    entry(5, 18, 5, ['alice']),
  ];

  it('round-trips entries, kvno > 255 through the 32-bit extension', () => {
    const bytes = serializeKeytab(entries);
    assert.deepEqual([bytes[0], bytes[1]], [5, 2]);
    const kt = parseKeytab(bytes);
    assert.equal(kt.version, 2);
    assert.deepEqual(kt.entries, entries);
    assert.ok(bytesEqual(serializeKeytab(kt), bytes));
  });

  it('findKeys: highest kvno by default, or a given kvno / etype', () => {
    const kt = parseKeytab(serializeKeytab(entries));
    assert.deepEqual(
      findKeys(kt, P(['host', 'a.example.test'])).map((e) => e.kvno),
      [300],
    );
    assert.deepEqual(
      findKeys(kt, P(['host', 'a.example.test']), { kvno: 1 }).map((e) => e.key.etype),
      [18, 17],
    );
    assert.deepEqual(findKeys(kt, P(['host', 'a.example.test']), { kvno: 1, etype: 17 }).length, 1);
    assert.deepEqual(
      findKeys(kt).map((e) => e.kvno),
      [300, 5],
    );
    assert.equal(findKeys(kt, P(['nobody'])).length, 0);
  });

  it('skips holes (deleted entries, negative length) and stops at a zero length', () => {
    const one = serializeKeytab([entries[0]!]);
    const two = serializeKeytab([entries[1]!]).subarray(2);
    const hole = new Uint8Array(4 + 20);
    new DataView(hole.buffer).setInt32(0, -20);
    const file = new Uint8Array([...one, ...hole, ...two, 0, 0, 0, 0, 9, 9, 9]);
    assert.deepEqual(parseKeytab(file).entries, [entries[0], entries[1]]);
  });

  it('reads version 0x0501 (native = little-endian order, count includes the realm, no name type)', () => {
    const realm = new TextEncoder().encode('R');
    const comp = new TextEncoder().encode('u');
    const body: number[] = [
      2,
      0,
      1,
      0,
      ...realm,
      1,
      0,
      ...comp,
      0x10,
      0,
      0,
      0,
      7,
      17,
      0,
      16,
      0,
      ...new Array(16).fill(6),
    ];
    const file = new Uint8Array([5, 1, body.length, 0, 0, 0, ...body]);
    const kt = parseKeytab(file);
    assert.equal(kt.version, 1);
    assert.deepEqual(kt.entries[0]!.principal, { realm: 'R', name: { nameType: 1, nameString: ['u'] } });
    assert.equal(kt.entries[0]!.kvno, 7);
    assert.equal(kt.entries[0]!.timestamp, 16_000);
    assert.equal(kt.entries[0]!.key.etype, 17);
  });

  it('typed errors: bad magic/version, truncation, limits; fuzz never throws anything else', () => {
    assert.throws(() => parseKeytab(new Uint8Array([4, 2])), { code: 'MALFORMED' });
    assert.throws(() => parseKeytab(new Uint8Array([5, 3])), /unsupported version/);
    const good = serializeKeytab(entries);
    assert.throws(() => parseKeytab(good, { maxEntries: 2 }), { code: 'LIMIT_EXCEEDED' });
    assert.throws(() => parseKeytab(good, { maxSize: 10 }), { code: 'LIMIT_EXCEEDED' });
    assertTypedFailures((b) => parseKeytab(b), good, { header: [5, 2], maxLength: 200 });
  });
});

describe('keytab interop with MIT krb5', { skip: mitSkip() }, () => {
  let realm: MitRealm;
  before(async () => {
    realm = await startMitRealm({
      principals: { 'host/localhost': { randkey: true }, bob: { randkey: true } },
    });
  });
  after(async () => realm?.stop());

  it('parses a ktadd keytab with two kvnos and several enctypes', async () => {
    const kt = join(realm.dir, 'svc.keytab');
    await realm.ktadd('host/localhost', kt); // kvno 1, every realm enctype
    await realm.ktadd('host/localhost', kt, ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96']); // re-keyed: kvno 2
    const bytes = new Uint8Array(readFileSync(kt));
    const parsed = parseKeytab(bytes);
    const listing = (await realm.runOk('klist', ['-e', '-k', '-t', kt])).stdout;
    const mitLines = listing.split('\n').filter((l) => /host\/localhost@EXAMPLE.TEST/.test(l));
    assert.equal(parsed.entries.length, mitLines.length);
    assert.deepEqual(
      findKeys(parsed, P(['host', 'localhost']))
        .map((e) => e.key.etype)
        .sort(),
      [17, 18],
    );
    assert.equal(findKeys(parsed, P(['host', 'localhost']))[0]!.kvno, 2);
    assert.ok(parsed.entries.some((e) => e.kvno === 1 && e.key.etype === 23));
    assert.ok(bytesEqual(serializeKeytab(parsed), bytes), 'byte-identical rewrite');
  });

  it('MIT klist reads our keytab and kinit -k -t authenticates with it', async () => {
    const mitKt = join(realm.dir, 'bob-mit.keytab');
    await realm.ktadd('bob', mitKt, ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha256-128']);
    const parsed = parseKeytab(new Uint8Array(readFileSync(mitKt)));
    // Our own file: MIT's entries plus an unrelated one with a large kvno, in another order.
    const ours = [entry(1000, 18, 9, ['other']), ...parsed.entries.reverse()];
    const oursPath = join(realm.dir, 'bob-ours.keytab');
    writeFileSync(oursPath, serializeKeytab(ours));
    const listing = (await realm.runOk('klist', ['-e', '-k', oursPath])).stdout;
    assert.match(listing, /bob@EXAMPLE\.TEST \(aes256-cts-hmac-sha1-96\)/);
    assert.match(listing, /1000 other@EXAMPLE\.TEST/);
    const cc = `FILE:${join(realm.dir, 'bob.cc')}`;
    await realm.runOk('kinit', ['-k', '-t', oursPath, 'bob'], { env: { KRB5CCNAME: cc } });
    assert.match((await realm.runOk('klist', ['-c', cc])).stdout, /Default principal: bob@EXAMPLE\.TEST/);
  });
});
