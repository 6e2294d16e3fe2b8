// The gssock KDC client (src/providers/kerberos/kdc) against the gssock KDC: in-process
// and over loopback TCP/UDP, each enctype, flags, lifetimes, skew and typed KRB-ERRORs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isGssockError } from '../../src/core/errors.ts';
import { type RunningKdc, startKdc } from '../../src/kdc/index.ts';
import { KeyUsage, TicketFlags } from '../../src/providers/kerberos/constants.ts';
import { getEnctype } from '../../src/providers/kerberos/crypto/registry.ts';
import { getInitialTicket } from '../../src/providers/kerberos/kdc/as-exchange.ts';
import { createNetTransport } from '../../src/providers/kerberos/kdc/net-transport.ts';
import { getForwardedTgt, getServiceTicket } from '../../src/providers/kerberos/kdc/tgs-exchange.ts';
import { decodeEncTicketPart, decodeTicket } from '../../src/providers/kerberos/messages/index.ts';
import { parseKeytab } from '../../src/providers/kerberos/keytab.ts';

const ENCTYPES = [17, 18, 19, 20, 23];
const krbCode = (e: unknown) => (isGssockError(e) ? e.details.krbErrorCode : undefined);

describe('gssock KDC client against the gssock KDC', () => {
  let kdc: RunningKdc;
  before(async () => {
    kdc = await startKdc({
      realm: 'EXCHANGE.TEST',
      allowRc4: true,
      principals: {
        alice: { password: 'alice-pw' },
        bob: { password: 'bob-pw', forwardable: false, maxLifeSeconds: 3600 },
        'host/localhost': {},
        'svc/aes-only': { enctypes: ['aes256-cts-hmac-sha1-96'] },
      },
      listen: true,
    });
  });
  after(() => kdc.stop());

  const tgtFor = (etype: number, extra: object = {}) =>
    getInitialTicket({
      ...kdc.clientOptions(),
      enctypes: [etype],
      client: kdc.principal('alice'),
      secret: { password: 'alice-pw' },
      ...extra,
    });

  for (const etype of ENCTYPES) {
    it(`AS then TGS in-process, enctype ${etype}; the ticket opens with the exported keytab key`, async () => {
      const tgt = await tgtFor(etype, { options: { forwardable: true, renewable: true } });
      assert.equal(tgt.key.etype, etype);
      assert.ok(tgt.flags & TicketFlags.INITIAL && tgt.flags & TicketFlags.PRE_AUTHENT);
      assert.ok(tgt.flags & TicketFlags.FORWARDABLE && tgt.flags & TicketFlags.RENEWABLE);
      const st = await getServiceTicket({
        ...kdc.clientOptions(),
        enctypes: [etype],
        tgt,
        server: kdc.principal('host/localhost'),
        options: { useSubkey: etype % 2 === 0 },
      });
      assert.equal(st.key.etype, etype);
      assert.equal(st.flags & TicketFlags.INITIAL, 0);
      const ticket = decodeTicket(st.ticket);
      const entry = parseKeytab(kdc.exportKeytab('host/localhost')).entries.find(
        (e) => e.key.etype === ticket.encPart.etype,
      );
      assert.ok(entry, 'the keytab holds the key the ticket is encrypted in');
      assert.equal(ticket.encPart.kvno, entry.kvno);
      const enc = decodeEncTicketPart(
        getEnctype(entry.key.etype, { allowRc4: true }).decrypt(
          entry.key,
          KeyUsage.KDC_REP_TICKET,
          ticket.encPart.cipher,
        ),
      );
      assert.deepEqual(enc.cname.nameString, ['alice']);
      assert.deepEqual(enc.key.value, st.key.value);
    });
  }

  for (const protocol of ['tcp', 'udp'] as const) {
    it(`AS and TGS over loopback ${protocol}`, async () => {
      const net = {
        transport: createNetTransport(),
        kdcs: [{ host: kdc.address!.host, port: kdc.address!.port, protocol }],
      };
      const tgt = await getInitialTicket({
        ...net,
        client: kdc.principal('alice'),
        secret: { password: 'alice-pw' },
      });
      const st = await getServiceTicket({ ...net, tgt, server: kdc.principal('host/localhost') });
      assert.equal(st.server.name.nameString.join('/'), 'host/localhost');
    });
  }

  it('keytab (random key) client gets a TGT without pre-authentication', async () => {
    const keys = kdc.keys('host/localhost');
    const tgt = await getInitialTicket({
      ...kdc.clientOptions(),
      client: kdc.principal('host/localhost'),
      secret: { keys },
    });
    assert.equal(tgt.flags & TicketFlags.PRE_AUTHENT, 0);
  });

  it('wrong password: KDC_ERR_PREAUTH_FAILED (24), typed LOGON_DENIED', async () => {
    await assert.rejects(
      getInitialTicket({
        ...kdc.clientOptions(),
        client: kdc.principal('alice'),
        secret: { password: 'nope' },
      }),
      (e) => isGssockError(e, 'LOGON_DENIED') && krbCode(e) === 24,
    );
  });

  it('unknown client (6) and unknown service (7)', async () => {
    const ghost = { realm: kdc.realm, name: { nameType: 1, nameString: ['ghost'] } };
    await assert.rejects(
      getInitialTicket({ ...kdc.clientOptions(), client: ghost, secret: { password: 'x' } }),
      (e) => krbCode(e) === 6,
    );
    const tgt = await tgtFor(18);
    const nowhere = { realm: kdc.realm, name: { nameType: 3, nameString: ['host', 'nowhere'] } };
    await assert.rejects(
      getServiceTicket({ ...kdc.clientOptions(), tgt, server: nowhere }),
      (e) => krbCode(e) === 7,
    );
  });

  it('no common enctype: KDC_ERR_ETYPE_NOSUPP (14)', async () => {
    const tgt = await tgtFor(17);
    await assert.rejects(
      getServiceTicket({
        ...kdc.clientOptions(),
        enctypes: [17],
        tgt,
        server: kdc.principal('svc/aes-only'),
      }),
      (e) => krbCode(e) === 14,
    );
  });

  it('client clock 10 minutes fast: KRB_AP_ERR_SKEW (37) from the AS and the TGS', async () => {
    const fast = () => Date.now() + 600_000;
    await assert.rejects(
      tgtFor(18, { clock: fast }),
      (e) => isGssockError(e, 'CLOCK_SKEW') && krbCode(e) === 37,
    );
    const tgt = await tgtFor(18);
    await assert.rejects(
      getServiceTicket({ ...kdc.clientOptions(), tgt, server: kdc.principal('host/localhost'), clock: fast }),
      (e) => krbCode(e) === 37,
    );
  });

  it('lifetimes: capped by the principal and the realm; renew-till only when asked', async () => {
    const bob = await getInitialTicket({
      ...kdc.clientOptions(),
      client: kdc.principal('bob'),
      secret: { password: 'bob-pw' },
      options: { lifetimeSeconds: 86400, forwardable: true },
    });
    assert.equal(bob.endTime - bob.authTime, 3600_000);
    assert.equal(bob.flags & TicketFlags.FORWARDABLE, 0, 'bob may not have forwardable tickets');
    assert.equal(bob.renewTill, undefined);
    const alice = await tgtFor(18, { options: { lifetimeSeconds: 86400, renewable: true } });
    assert.equal(alice.endTime - alice.authTime, 10 * 3600_000, 'realm default max life is 10 h');
    assert.equal(alice.renewTill! - alice.authTime, 7 * 86400_000);
  });

  it('forwarded TGT from a forwardable TGT: FORWARDED, not longer-lived', async () => {
    const tgt = await tgtFor(18, { options: { forwardable: true } });
    const fwd = await getForwardedTgt({ ...kdc.clientOptions(), tgt });
    assert.ok(fwd.flags & TicketFlags.FORWARDED && fwd.flags & TicketFlags.FORWARDABLE);
    assert.ok(fwd.endTime <= tgt.endTime);
  });

  it('service ticket never outlives the TGT', async () => {
    const tgt = await tgtFor(18, { options: { lifetimeSeconds: 600 } });
    const st = await getServiceTicket({
      ...kdc.clientOptions(),
      tgt,
      server: kdc.principal('host/localhost'),
      options: { till: tgt.endTime + 3600_000 },
    });
    assert.equal(st.endTime, tgt.endTime);
  });
});
