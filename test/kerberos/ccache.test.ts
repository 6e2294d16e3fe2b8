/**
 * MIT FILE ccache (krb5 doc/formats/ccache_file_format.rst): caches written by MIT kinit /
 * kvno are parsed (tickets decode as RFC 4120 Tickets); ours are read by MIT klist and used
 * by MIT kvno to fetch new tickets.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytesEqual, utf8 } from '../../src/core/bytes.ts';
import {
  addCredential,
  type Ccache,
  type CcacheCredential,
  ccacheTickets,
  findCredential,
  getCcacheConfig,
  isConfigEntry,
  parseCcache,
  principalToString,
  serializeCcache,
  setCcacheConfig,
} from '../../src/providers/kerberos/ccache.ts';
import { TicketFlags } from '../../src/providers/kerberos/constants.ts';
import { formatPrincipal } from '../../src/providers/kerberos/kdc/principal-name.ts';
import { decodeTicket, encodeTicket } from '../../src/providers/kerberos/messages/index.ts';
import { type MitRealm, mitSkip, startMitRealm } from '../support/mit-realm.ts';
import { assertTypedFailures } from '../support/typed-failures.ts';

const P = (nameString: string[], realm = 'EXAMPLE.TEST', nameType = 1) => ({
  realm,
  name: { nameType, nameString },
});
const t0 = 1_800_000_000_000;

function cred(server: string[], endOffset: number, fill: number): CcacheCredential {
  return {
    client: P(['alice']),
    server: P(server, 'EXAMPLE.TEST', 2),
    key: { etype: 18, value: new Uint8Array(32).fill(fill) },
    authtime: t0,
    starttime: t0,
    endtime: t0 + endOffset,
    renewTill: 0,
    isSkey: false,
    ticketFlags: TicketFlags.FORWARDABLE | TicketFlags.PRE_AUTHENT,
    addresses: [{ addrType: 2, address: new Uint8Array([127, 0, 0, 1]) }],
    authdata: [{ adType: 1, adData: new Uint8Array([1, 2]) }],
    ticket: new Uint8Array([0x61, 0x00]),
    secondTicket: new Uint8Array(0),
  };
}

const sample: Ccache = {
  version: 4,
  kdcOffset: { seconds: -3, microseconds: 250 },
  defaultPrincipal: P(['alice']),
  credentials: [cred(['krbtgt', 'EXAMPLE.TEST'], 36_000_000, 1), cred(['host', 'h'], 3_600_000, 2)],
};

describe('ccache format', () => {
  it('round-trips version 4 with the KDC offset header', () => {
    const bytes = serializeCcache(sample);
    assert.deepEqual([bytes[0], bytes[1]], [5, 4]);
    assert.deepEqual(parseCcache(bytes), sample);
  });

  it('reads version 3 (no header, enctype written twice)', () => {
    const v4 = serializeCcache({ ...sample, kdcOffset: undefined, credentials: [sample.credentials[0]!] });
    // v4: 05 04 | 00 00 (empty header) | principal ...; v3 drops the header and repeats the enctype.
    const rest = v4.subarray(4);
    const princ =
      serializeCcache({ version: 4, defaultPrincipal: sample.defaultPrincipal, credentials: [] }).length - 4;
    const client = princ;
    const server =
      serializeCcache({ version: 4, defaultPrincipal: sample.credentials[0]!.server, credentials: [] })
        .length - 4;
    const keyAt = princ + client + server;
    const v3 = new Uint8Array([5, 3, ...rest.subarray(0, keyAt + 2), 0, 18, ...rest.subarray(keyAt + 2)]);
    const cc = parseCcache(v3);
    assert.equal(cc.version, 3);
    assert.deepEqual(cc.credentials[0], sample.credentials[0]);
  });

  it('config entries, add/replace and find', () => {
    let cc = setCcacheConfig(sample, 'pa_type', utf8('2'), P(['krbtgt', 'EXAMPLE.TEST'], 'EXAMPLE.TEST', 2));
    cc = setCcacheConfig(cc, 'pa_type', utf8('138'), P(['krbtgt', 'EXAMPLE.TEST']));
    assert.equal(cc.credentials.filter(isConfigEntry).length, 1);
    assert.deepEqual(getCcacheConfig(cc, 'pa_type', P(['krbtgt', 'EXAMPLE.TEST'])), utf8('138'));
    assert.equal(getCcacheConfig(cc, 'fast_avail'), undefined);
    assert.equal(ccacheTickets(cc).length, 2);
    const renewed = { ...cred(['host', 'h'], 7_200_000, 3) };
    cc = addCredential(cc, renewed);
    assert.equal(ccacheTickets(cc).length, 2);
    assert.equal(findCredential(cc, P(['host', 'h']))!.key.value[0], 3);
    assert.equal(findCredential(cc, P(['host', 'h']), { now: t0 + 8_000_000 }), undefined);
    assert.equal(findCredential(cc, P(['host', 'x'])), undefined);
    assert.deepEqual(parseCcache(serializeCcache(cc)), cc);
    assert.equal(principalToString, formatPrincipal, 'the public name of the one MIT unparse');
    // MIT names a config entry after krb5_unparse_name of the principal: '/' in the realm escaped.
    const named = setCcacheConfig(sample, 'pa_type', utf8('2'), P(['krbtgt', 'A/B'], 'A/B'));
    assert.deepEqual(named.credentials.filter(isConfigEntry)[0]!.server.name.nameString, [
      'krb5_ccache_conf_data',
      'pa_type',
      'krbtgt/A\\/B@A\\/B',
    ]);
  });

  it('typed errors; fuzz and truncation never throw anything else', () => {
    const good = serializeCcache(sample);
    assert.throws(() => parseCcache(new Uint8Array([5, 2, 0])), /unsupported version/);
    assert.throws(() => parseCcache(good, { maxCredentials: 1 }), { code: 'LIMIT_EXCEEDED' });
    assertTypedFailures((b) => parseCcache(b), good, { header: [5, 4], maxLength: 300 });
  });
});

describe('ccache interop with MIT krb5', { skip: mitSkip() }, () => {
  let realm: MitRealm;
  before(async () => {
    realm = await startMitRealm({
      principals: {
        alice: { password: 'alice-pw' },
        'host/localhost': { randkey: true },
        'HTTP/localhost': { randkey: true },
      },
    });
    await realm.runOk('kinit', ['alice'], { input: 'alice-pw\n' });
    await realm.runOk('kvno', ['host/localhost']);
  });
  after(async () => realm?.stop());

  it('parses the cache kinit and kvno wrote; tickets decode; rewrite is byte-identical', () => {
    const bytes = new Uint8Array(readFileSync(realm.ccachePath));
    const cc = parseCcache(bytes);
    assert.equal(cc.version, 4);
    assert.equal(formatPrincipal(cc.defaultPrincipal), 'alice@EXAMPLE.TEST');
    const tickets = ccacheTickets(cc);
    assert.deepEqual(
      tickets.map((t) => formatPrincipal(t.server)),
      ['krbtgt/EXAMPLE.TEST@EXAMPLE.TEST', 'host/localhost@EXAMPLE.TEST'],
    );
    for (const t of tickets) {
      const ticket = decodeTicket(t.ticket);
      assert.deepEqual(ticket.sname.nameString, t.server.name.nameString);
      assert.ok(bytesEqual(encodeTicket(ticket), t.ticket));
      assert.ok(t.ticketFlags & TicketFlags.FORWARDABLE, 'forwardable = true in krb5.conf');
      assert.ok(t.endtime > Date.now());
    }
    assert.ok(cc.credentials.some(isConfigEntry), 'kinit stores config entries (pa_type, fast_avail)');
    assert.ok(getCcacheConfig(cc, 'pa_type', P(['krbtgt', 'EXAMPLE.TEST'])));
    assert.ok(bytesEqual(serializeCcache(cc), bytes));
  });

  it('names print as MIT krb5_unparse_name does (klist): escapes in components and realm', async () => {
    // Every character krb5_unparse_name escapes, in a component and in the realm.
    const odd = P(['a/b', 'c@d\\e\bf\tg\nh\0i'], 'R/S@T\\U\tV\nW\bX');
    const path = join(realm.dir, 'odd.cc');
    writeFileSync(path, serializeCcache({ version: 4, defaultPrincipal: odd, credentials: [] }));
    const out = (await realm.runOk('klist', [], { env: { KRB5CCNAME: `FILE:${path}` } })).stdout;
    const mit = /^Default principal: (.*)$/m.exec(out)?.[1];
    assert.equal(mit, 'a\\/b/c\\@d\\\\e\\bf\\tg\\nh\\0i@R\\/S\\@T\\\\U\\tV\\nW\\bX');
    assert.equal(formatPrincipal(odd), mit);
  });

  it('MIT klist reads our cache, and kvno uses the TGT in it to get a new ticket', async () => {
    const cc = parseCcache(new Uint8Array(readFileSync(realm.ccachePath)));
    // Keep only the TGT (and config entries), add a KDC offset header.
    const tgt = findCredential(cc, P(['krbtgt', 'EXAMPLE.TEST']))!;
    const ours: Ccache = {
      version: 4,
      kdcOffset: { seconds: 0, microseconds: 0 },
      defaultPrincipal: cc.defaultPrincipal,
      credentials: cc.credentials.filter(isConfigEntry),
    };
    const written = addCredential(ours, tgt);
    const path = join(realm.dir, 'ours.cc');
    writeFileSync(path, serializeCcache(written));
    const env = { KRB5CCNAME: `FILE:${path}` };
    const before = (await realm.runOk('klist', ['-e'], { env })).stdout;
    assert.match(before, /Default principal: alice@EXAMPLE\.TEST/);
    assert.match(before, /krbtgt\/EXAMPLE\.TEST@EXAMPLE\.TEST/);
    assert.doesNotMatch(before, /HTTP\/localhost/);
    await realm.runOk('kvno', ['HTTP/localhost'], { env });
    const after = parseCcache(new Uint8Array(readFileSync(path)));
    const http = findCredential(after, P(['HTTP', 'localhost']), { now: Date.now() });
    assert.ok(http, 'MIT appended the new ticket to our file');
    assert.deepEqual(decodeTicket(http.ticket).sname.nameString, ['HTTP', 'localhost']);
  });
});
