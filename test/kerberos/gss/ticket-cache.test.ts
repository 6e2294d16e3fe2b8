/**
 * The acceptor's cache of decrypted tickets (src/providers/kerberos/gss/ticket-cache.ts):
 * hits only for the same key (object and bytes) and the same ciphertext bytes, the shared
 * result, expiry and the size bound; through the mechanism, every per-AP-REQ check still
 * refuses on a hit, a keytab changed in place never hits, and contexts never wipe the
 * cached session key. Credentials are made here (no KDC): a random service key and a
 * ticket encrypted under it, as prof-style loops do. Last, the AP-REQ with the ticket's
 * DER embedded as is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError } from '../../../src/core/errors.ts';
import { Flags } from '../../../src/core/flags.ts';
import type { Mechanism, SecurityContext } from '../../../src/core/mechanism.ts';
import { serializeCcache } from '../../../src/providers/kerberos/ccache.ts';
import { KeyUsage, TicketFlags } from '../../../src/providers/kerberos/constants.ts';
import { getEnctype } from '../../../src/providers/kerberos/crypto/index.ts';
import { KerberosAcceptor } from '../../../src/providers/kerberos/gss/acceptor.ts';
import { encodeGssChecksum, GSS_CHECKSUM_TYPE } from '../../../src/providers/kerberos/gss/checksum-8003.ts';
import { kerberos } from '../../../src/providers/kerberos/gss/mechanism.ts';
import { DecryptedTickets } from '../../../src/providers/kerberos/gss/ticket-cache.ts';
import { type Keytab, parseKeytab, serializeKeytab } from '../../../src/providers/kerberos/keytab.ts';
import {
  decodeApReq,
  decodeTicket,
  type EncTicketPart,
  encodeApReq,
  encodeAuthenticator,
  encodeEncTicketPart,
  encodeKrb5ContextToken,
  encodeTicket,
  KRB5_MECH_OID,
} from '../../../src/providers/kerberos/messages/index.ts';
import type { EncryptionKey } from '../../../src/providers/kerberos/types.ts';

const part = (endtime: number): EncTicketPart => ({
  flags: 0,
  key: { etype: 18, value: new Uint8Array(32).fill(9) },
  crealm: 'EXAMPLE.TEST',
  cname: { nameType: 1, nameString: ['alice'] },
  transited: { trType: 1, contents: new Uint8Array(0) },
  authtime: 1000,
  endtime,
});

describe('DecryptedTickets', () => {
  const key = { etype: 18, value: new Uint8Array(32).fill(1) };
  const cipher = new Uint8Array(80).map((_, i) => i);

  it('hits for the same key and bytes, with the very part stored (same session-key array)', () => {
    const c = new DecryptedTickets();
    const p = part(10_000);
    c.set(key, cipher, p);
    const a = c.get(key, cipher.slice(), 5000);
    assert.equal(a, p);
    assert.equal(a?.key.value, p.key.value);
    assert.equal(c.size, 1);
  });

  it('keeps its own copy of the ciphertext (the caller may reuse its buffer)', () => {
    const c = new DecryptedTickets();
    const mine = cipher.slice();
    c.set(key, mine, part(10_000));
    mine[40] = (mine[40] ?? 0) ^ 0xff;
    assert.equal(c.get(key, mine, 5000), undefined);
    assert.ok(c.get(key, cipher, 5000));
  });

  it('misses for another key object, a key changed in place, another etype', () => {
    const c = new DecryptedTickets();
    const k = { etype: 18, value: key.value.slice() };
    c.set(k, cipher, part(10_000));
    assert.equal(c.get({ etype: 18, value: k.value.slice() }, cipher, 5000), undefined);
    assert.equal(c.get({ etype: 17, value: k.value }, cipher, 5000), undefined);
    k.value[0] = 2;
    assert.equal(c.get(k, cipher, 5000), undefined);
    k.value[0] = 1;
    assert.ok(c.get(k, cipher, 5000));
  });

  it('misses for other bytes, also where the tag does not look (the middle)', () => {
    const c = new DecryptedTickets();
    c.set(key, cipher, part(10_000));
    for (const at of [0, 40, 79]) {
      const other = cipher.slice();
      other[at] = (other[at] ?? 0) ^ 1;
      assert.equal(c.get(key, other, 5000), undefined, `byte ${at}`);
    }
    assert.equal(c.get(key, cipher.subarray(0, 79), 5000), undefined);
  });

  it('drops an entry past its end time', () => {
    const c = new DecryptedTickets();
    c.set(key, cipher, part(10_000));
    assert.equal(c.get(key, cipher, 10_001), undefined);
    assert.equal(c.size, 0);
    assert.equal(c.get(key, cipher, 5000), undefined, 'the expired entry was dropped');
  });

  it('keeps at most its bound, oldest out first', () => {
    const c = new DecryptedTickets(2);
    const ciphers = [1, 2, 3].map((n) => new Uint8Array(40).fill(n));
    for (const x of ciphers) c.set(key, x, part(10_000));
    assert.equal(c.size, 2);
    assert.equal(c.get(key, ciphers[0]!, 0), undefined);
    assert.ok(c.get(key, ciphers[1]!, 0));
    assert.ok(c.get(key, ciphers[2]!, 0));
  });

  it('stays bounded through many expiries and re-inserts, across keys', () => {
    const c = new DecryptedTickets(8);
    const keys = [key, { etype: 18, value: new Uint8Array(32).fill(5) }];
    for (let round = 0; round < 200; round++) {
      const x = new Uint8Array(40).fill(round % 20);
      const k = keys[round % 2]!;
      c.set(k, x, part(round % 3 === 0 ? 0 : 10_000));
      c.get(k, x, 1); // drops the ones that ended at 0
      assert.ok(c.size <= 8, `size ${c.size} at round ${round}`);
    }
    // The latest insert is always there.
    assert.ok(c.get(keys[1]!, new Uint8Array(40).fill(199 % 20), 1));
  });

  it('refuses a bound below one', () => {
    assert.throws(
      () => new DecryptedTickets(0),
      (e: unknown) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
    assert.throws(
      () => kerberos({ ticketCache: { maxEntries: 0 } }),
      (e: unknown) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });
});

// --- through the mechanism ---------------------------------------------------------------

const REALM = 'EXAMPLE.TEST';
const alice = { realm: REALM, name: { nameType: 1, nameString: ['alice'] } };
const host = { realm: REALM, name: { nameType: 3, nameString: ['host', 'localhost'] } };
const rnd = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const e18 = getEnctype(18);
const second = (ms: number) => Math.floor(ms / 1000) * 1000;

interface Made {
  ccache: Uint8Array;
  keytab: Keytab;
  serviceKey: EncryptionKey;
  sessionKey: EncryptionKey;
  ticket: Uint8Array;
}

/** A ticket for host/localhost under a fresh service key, and alice's ccache holding it. */
function made(o: { start?: number; end?: number; flags?: number; serviceKey?: EncryptionKey } = {}): Made {
  const serviceKey = o.serviceKey ?? e18.randomToKey(rnd(32));
  const sessionKey = e18.randomToKey(rnd(32));
  const now = second(Date.now());
  const end = o.end ?? now + 10 * 3600_000;
  const enc = encodeEncTicketPart({
    flags: o.flags ?? 0x40e10000,
    key: sessionKey,
    crealm: REALM,
    cname: alice.name,
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime: now,
    ...(o.start !== undefined ? { starttime: o.start } : {}),
    endtime: end,
  });
  const ticket = encodeTicket({
    realm: REALM,
    sname: host.name,
    encPart: { etype: 18, kvno: 2, cipher: e18.encrypt(serviceKey, KeyUsage.KDC_REP_TICKET, enc) },
  });
  const ccache = serializeCcache({
    version: 4,
    defaultPrincipal: alice,
    credentials: [
      {
        client: alice,
        server: host,
        key: sessionKey,
        authtime: now,
        starttime: now,
        endtime: now + 10 * 3600_000,
        renewTill: 0,
        isSkey: false,
        ticketFlags: 0x40e10000,
        addresses: [],
        authdata: [],
        ticket,
        secondTicket: new Uint8Array(0),
      },
    ],
  });
  const keytab = parseKeytab(
    serializeKeytab([{ principal: host, timestamp: now, kvno: 2, key: serviceKey }]),
  );
  return { ccache, keytab, serviceKey, sessionKey, ticket };
}

async function handshake(client: Mechanism, acceptor: SecurityContext) {
  const i = await client.createContext('initiator', { target: 'host@localhost', flags: Flags.MUTUAL });
  const r1 = await i.step(null);
  const r2 = await acceptor.step(r1.outputToken!);
  await i.step(r2.outputToken!);
  // Both sides agree: a message each way.
  const m = new TextEncoder().encode('ping');
  assert.deepEqual((await acceptor.unwrap(await i.wrap(m))).message, m);
  assert.deepEqual((await i.unwrap(await acceptor.wrap(m))).message, m);
  return { i, a: acceptor, apReq: r1.outputToken! };
}

async function refuses(p: unknown, code: string, krb: number) {
  await assert.rejects(
    async () => await p,
    (e: unknown) => {
      assert.ok(isGssockError(e), String(e));
      assert.equal(e.code, code, e.message);
      assert.equal((e.details.krbError as { code: number }).code, krb, e.message);
      return true;
    },
  );
}

/** An acceptor over the mechanism's settings with a DecryptedTickets the test can look at. */
function acceptorWith(keytab: Keytab, tickets: DecryptedTickets | undefined, clock = () => Date.now()) {
  return new KerberosAcceptor(
    {
      keytab,
      names: [],
      replayCache: undefined,
      clockSkewMs: 300_000,
      allowRc4: false,
      requireChannelBindings: false,
      clock,
      random: rnd,
      ...(tickets ? { tickets } : {}),
    },
    {},
    [],
  );
}

describe('the ticket cache in the acceptor', () => {
  it('the same ticket twice: a hit, with the same outcome as without the cache', async () => {
    const m = made();
    const client = kerberos({ ccache: m.ccache });
    const tickets = new DecryptedTickets();
    const first = await handshake(client, acceptorWith(m.keytab, tickets));
    assert.equal(tickets.size, 1);
    const again = await handshake(client, acceptorWith(m.keytab, tickets));
    assert.equal(tickets.size, 1, 'the second AP-REQ found the first one`s entry');
    const uncached = await handshake(client, acceptorWith(m.keytab, undefined));
    const view = (c: SecurityContext) => {
      const { sessionKey: _k, ...rest } = c.info();
      return rest;
    };
    assert.deepEqual(view(again.a), view(first.a));
    assert.deepEqual(view(uncached.a), view(first.a));
    // Each context has its own subkeys: the sessions differ.
    assert.notDeepEqual(again.a.info().sessionKey, first.a.info().sessionKey);
  });

  it('a different ticket or service key misses', async () => {
    const m = made();
    const other = made({ serviceKey: m.serviceKey });
    const tickets = new DecryptedTickets();
    await handshake(kerberos({ ccache: m.ccache }), acceptorWith(m.keytab, tickets));
    await handshake(kerberos({ ccache: other.ccache }), acceptorWith(m.keytab, tickets));
    assert.equal(tickets.size, 2);
    // The same ticket under a keytab parsed again: another key object, another entry.
    const reparsed = parseKeytab(serializeKeytab(m.keytab.entries));
    await handshake(kerberos({ ccache: m.ccache }), acceptorWith(reparsed, tickets));
    assert.equal(tickets.size, 3);
  });

  it('a not-yet-valid ticket is refused on every AP-REQ, the second from the cache', async () => {
    const m = made({ start: second(Date.now()) + 3600_000 });
    const client = kerberos({ ccache: m.ccache });
    const tickets = new DecryptedTickets();
    for (let n = 0; n < 2; n++) {
      const i = await client.createContext('initiator', { target: 'host@localhost' });
      const a = acceptorWith(m.keytab, tickets);
      await refuses(a.step((await i.step(null)).outputToken!), 'CREDENTIALS_EXPIRED', 33);
      assert.equal(tickets.size, 1);
    }
  });

  it('an INVALID ticket is refused on a hit too', async () => {
    const m = made({ flags: 0x40e10000 | TicketFlags.INVALID });
    const client = kerberos({ ccache: m.ccache });
    const tickets = new DecryptedTickets();
    for (let n = 0; n < 2; n++) {
      const i = await client.createContext('initiator', { target: 'host@localhost' });
      await refuses(
        acceptorWith(m.keytab, tickets).step((await i.step(null)).outputToken!),
        'CREDENTIALS_EXPIRED',
        33,
      );
    }
    assert.equal(tickets.size, 1);
  });

  it('after a hit, a ticket past its end (plus skew) and a skewed authenticator are refused', async () => {
    const m = made();
    const client = kerberos({ ccache: m.ccache });
    const tickets = new DecryptedTickets();
    await handshake(client, acceptorWith(m.keytab, tickets));
    const ticketEnd = second(Date.now()) + 10 * 3600_000;
    const late = acceptorWith(m.keytab, tickets, () => ticketEnd + 301_000);
    const i = await client.createContext('initiator', { target: 'host@localhost' });
    const apReq = (await i.step(null)).outputToken!;
    // The authenticator is now, the acceptor's clock hours later: the skew check fires
    // first (RFC 4120 §3.2.3 order as MIT), the ticket would be expired as well.
    await refuses(late.step(apReq), 'CLOCK_SKEW', 37);
    // Within the ticket's life but with the acceptor 10 minutes ahead: a hit, still skew.
    const ahead = acceptorWith(m.keytab, tickets, () => Date.now() + 600_000);
    const j = await client.createContext('initiator', { target: 'host@localhost' });
    await refuses(ahead.step((await j.step(null)).outputToken!), 'CLOCK_SKEW', 37);
  });

  it('an expired ticket is refused although it was accepted (and cached) before', async () => {
    // Ticket ending in 10 s; the initiator's clock and the acceptor's move together.
    const end = second(Date.now()) + 10_000;
    const m = made({ end });
    let now = Date.now();
    const clock = () => now;
    const client = kerberos({ ccache: m.ccache, clock });
    const tickets = new DecryptedTickets();
    await handshake(client, acceptorWith(m.keytab, tickets, clock));
    assert.equal(tickets.size, 1);
    now = end + 301_000;
    const i = await client.createContext('initiator', { target: 'host@localhost', clock });
    await refuses(
      acceptorWith(m.keytab, tickets, clock).step((await i.step(null)).outputToken!),
      'CREDENTIALS_EXPIRED',
      32,
    );
  });

  it('a keytab object whose entry is replaced never serves the old ticket', async () => {
    const m = made();
    const client = kerberos({ ccache: m.ccache });
    const server = kerberos({ keytab: m.keytab, replayCache: false });
    await handshake(client, await server.createContext('acceptor', {}));
    // Reloaded into the same Keytab object: same principal, kvno and enctype, new key.
    m.keytab.entries[0] = { ...m.keytab.entries[0]!, key: e18.randomToKey(rnd(32)) };
    const i = await client.createContext('initiator', { target: 'host@localhost' });
    await refuses(
      (await server.createContext('acceptor', {})).step((await i.step(null)).outputToken!),
      'BAD_SIGNATURE',
      31,
    );
  });

  it('ticketCache: false works the same', async () => {
    const m = made();
    const client = kerberos({ ccache: m.ccache });
    const server = kerberos({ keytab: m.keytab, ticketCache: false });
    for (let n = 0; n < 2; n++) await handshake(client, await server.createContext('acceptor', {}));
  });

  it('an AP-REQ without a subkey: disposing its context leaves the cached session key whole', async () => {
    const m = made();
    const client = kerberos({ ccache: m.ccache });
    const tickets = new DecryptedTickets();
    await handshake(client, acceptorWith(m.keytab, tickets));
    // A hand-made AP-REQ whose authenticator has no subkey: the context key is the
    // ticket's session key itself (RFC 4121 §2).
    const now = Date.now();
    const authenticator = encodeAuthenticator({
      crealm: REALM,
      cname: alice.name,
      cksum: {
        cksumtype: GSS_CHECKSUM_TYPE,
        checksum: encodeGssChecksum({ bindingsHash: new Uint8Array(16), flags: Flags.MUTUAL }),
      },
      ctime: second(now),
      cusec: (now % 1000) * 1000,
      seqNumber: 7,
    });
    const apReq = encodeApReq({
      apOptions: 0x20000000,
      ticket: m.ticket,
      authenticator: {
        etype: 18,
        cipher: e18.encrypt(m.sessionKey, KeyUsage.AP_REQ_AUTHENTICATOR, authenticator),
      },
    });
    const a = acceptorWith(m.keytab, tickets);
    const r = await a.step(encodeKrb5ContextToken('AP-REQ', apReq, KRB5_MECH_OID));
    assert.ok(r.done && r.outputToken);
    a.dispose();
    // The cached entry still decrypts this client's next authenticator.
    await handshake(client, acceptorWith(m.keytab, tickets));
    assert.equal(tickets.size, 1);
  });
});

describe('AP-REQ with the ticket DER embedded', () => {
  it('encodes the same bytes as with the decoded ticket', () => {
    const der = encodeTicket({
      realm: 'EXAMPLE.TEST',
      sname: { nameType: 3, nameString: ['host', 'localhost'] },
      encPart: { etype: 18, kvno: 2, cipher: new Uint8Array(300).map((_, i) => i) },
    });
    const base = { apOptions: 0x20000000, authenticator: { etype: 18, cipher: new Uint8Array(90).fill(7) } };
    const raw = encodeApReq({ ...base, ticket: der });
    assert.deepEqual(raw, encodeApReq({ ...base, ticket: decodeTicket(der) }));
    assert.deepEqual(decodeApReq(raw).ticket, decodeTicket(der));
  });
});
