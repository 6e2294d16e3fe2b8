// The gssock KDC client against a real MIT krb5 KDC on loopback (references.md §6).
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isGssockError } from '../../../src/core/errors.ts';
import { parseCcache } from '../../../src/providers/kerberos/ccache.ts';
import { findCredential } from '../../../src/providers/kerberos/ccache-helpers.ts';
import { KeyUsage, TicketFlags } from '../../../src/providers/kerberos/constants.ts';
import { getEnctype } from '../../../src/providers/kerberos/crypto/registry.ts';
import { getInitialTicket } from '../../../src/providers/kerberos/kdc/as-exchange.ts';
import { createNetTransport } from '../../../src/providers/kerberos/kdc/net-transport.ts';
import { parsePrincipal } from '../../../src/providers/kerberos/kdc/principal-name.ts';
import { getForwardedTgt, getServiceTicket } from '../../../src/providers/kerberos/kdc/tgs-exchange.ts';
import { findKeys, parseKeytab } from '../../../src/providers/kerberos/keytab.ts';
import { decodeEncTicketPart, decodeTicket } from '../../../src/providers/kerberos/messages/index.ts';
import { type MitRealm, mitSkip, startMitRealm } from '../../support/mit-realm.ts';

const NAMES: Record<number, string> = {
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'arcfour-hmac',
};

describe('KDC client against MIT krb5kdc', { skip: mitSkip() }, () => {
  let realm: MitRealm;
  let base: {
    transport: ReturnType<typeof createNetTransport>;
    kdcs: { host: string; port: number; protocol: 'any' }[];
  };
  const alice = parsePrincipal('alice@EXAMPLE.TEST');

  before(async () => {
    const principals: Record<string, { password?: string; randkey?: boolean; enctypes?: string[] }> = {
      alice: { password: 'alice-pw-1' },
      'host/localhost': { randkey: true },
    };
    for (const [etype, name] of Object.entries(NAMES))
      principals[`svc${etype}/localhost`] = { randkey: true, enctypes: [name] };
    realm = await startMitRealm({ allowRc4: true, principals });
    base = {
      transport: createNetTransport(),
      kdcs: [{ host: '127.0.0.1', port: realm.kdcPort, protocol: 'any' }],
    };
  });
  after(async () => {
    await realm?.stop();
  });

  for (const etype of [17, 18, 19, 20, 23]) {
    it(`AS with pre-authentication, then TGS, with enctype ${etype}`, async () => {
      const o = { ...base, enctypes: [etype], allowRc4: etype === 23 };
      const tgt = await getInitialTicket({
        ...o,
        client: alice,
        secret: { password: 'alice-pw-1' },
        options: { forwardable: true },
      });
      assert.equal(tgt.key.etype, etype);
      assert.ok(tgt.flags & TicketFlags.PRE_AUTHENT, 'KDC marks the ticket pre-authenticated');
      assert.ok(tgt.flags & TicketFlags.FORWARDABLE);
      const st = await getServiceTicket({
        ...o,
        tgt,
        server: parsePrincipal(`svc${etype}/localhost@EXAMPLE.TEST`),
      });
      assert.equal(st.key.etype, etype);
      assert.equal(st.ticketEtype, etype);
      const withSubkey = await getServiceTicket({
        ...o,
        tgt,
        server: parsePrincipal('host/localhost@EXAMPLE.TEST'),
        options: { useSubkey: true },
      });
      assert.equal(withSubkey.key.etype, etype);
    });
  }

  it('gets a forwarded TGT (for delegation)', async () => {
    const tgt = await getInitialTicket({
      ...base,
      client: alice,
      secret: { password: 'alice-pw-1' },
      options: { forwardable: true },
    });
    const fwd = await getForwardedTgt({ ...base, tgt });
    assert.ok(fwd.flags & TicketFlags.FORWARDED);
    assert.deepEqual(fwd.server.name.nameString, ['krbtgt', 'EXAMPLE.TEST']);
  });

  it('a wrong password is LOGON_DENIED with KDC_ERR_PREAUTH_FAILED (24)', async () => {
    await assert.rejects(
      getInitialTicket({ ...base, client: alice, secret: { password: 'wrong' } }),
      (e) =>
        isGssockError(e, 'LOGON_DENIED') &&
        e.details.krbErrorName === 'KDC_ERR_PREAUTH_FAILED' &&
        e.details.krbErrorCode === 24,
    );
  });

  it('an unknown principal carries KDC_ERR_C_PRINCIPAL_UNKNOWN (6)', async () => {
    await assert.rejects(
      getInitialTicket({ ...base, client: parsePrincipal('nobody@EXAMPLE.TEST'), secret: { password: 'x' } }),
      (e) =>
        isGssockError(e) &&
        e.details.krbErrorName === 'KDC_ERR_C_PRINCIPAL_UNKNOWN' &&
        e.details.krbErrorCode === 6,
    );
  });

  it('an unknown service is BAD_NAME with KDC_ERR_S_PRINCIPAL_UNKNOWN (7)', async () => {
    const tgt = await getInitialTicket({ ...base, client: alice, secret: { password: 'alice-pw-1' } });
    await assert.rejects(
      getServiceTicket({ ...base, tgt, server: parsePrincipal('nosuch/localhost@EXAMPLE.TEST') }),
      (e) => isGssockError(e, 'BAD_NAME') && e.details.krbErrorCode === 7,
    );
  });

  it('MIT with TCP only (udp_preference_limit=1) works the same', async () => {
    const tgt = await getInitialTicket({
      ...base,
      preferTcp: true,
      client: alice,
      secret: { password: 'alice-pw-1' },
    });
    assert.equal(tgt.client.realm, 'EXAMPLE.TEST');
  });

  it('an unreachable realm is a TIMEOUT naming every KDC tried', async () => {
    const silent: Socket = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const closed = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const silentPort = (silent.address() as { port: number }).port;
    try {
      await assert.rejects(
        getInitialTicket({
          transport: createNetTransport({ attemptTimeoutMs: 300 }),
          kdcs: [
            { host: '127.0.0.1', port: closed, protocol: 'any' },
            { host: '127.0.0.1', port: silentPort, protocol: 'udp' },
          ],
          timeoutMs: 3000,
          client: alice,
          secret: { password: 'x' },
        }),
        (e) => {
          assert.ok(isGssockError(e, 'TIMEOUT'), String(e));
          const kdcs = e.details.kdcs as string[];
          assert.ok(
            kdcs.includes(`udp/127.0.0.1:${closed}`) && kdcs.includes(`tcp/127.0.0.1:${closed}`),
            kdcs.join(),
          );
          assert.ok(kdcs.includes(`udp/127.0.0.1:${silentPort}`), kdcs.join());
          return true;
        },
      );
    } finally {
      silent.close();
    }
  });

  for (const etype of [17, 18, 20, 23]) {
    it(`keys from MIT ktadd decrypt the ticket MIT kvno got (enctype ${etype})`, async () => {
      const svc = `svc${etype}/localhost`;
      const ccache = join(realm.dir, `cc-${etype}`);
      const env = { KRB5CCNAME: `FILE:${ccache}` };
      await realm.runOk('kinit', ['alice'], { input: 'alice-pw-1\n', env });
      const kv = await realm.runOk('kvno', [svc], { env });
      const keytab = join(realm.dir, `svc${etype}.keytab`);
      await realm.ktadd(svc, keytab);
      const entries = parseKeytab(new Uint8Array(readFileSync(keytab))).entries;
      const server = parsePrincipal(`${svc}@EXAMPLE.TEST`);
      const key = findKeys(entries, server, { etype })[0]?.key;
      assert.ok(key, 'keytab holds a key of that enctype');
      assert.match(kv.stdout, new RegExp(`kvno = ${findKeys(entries, server)[0]!.kvno}`));

      const cc = parseCcache(new Uint8Array(readFileSync(ccache)));
      const cred = findCredential(cc, server);
      assert.ok(cred, 'MIT ccache has the service ticket');
      const ticket = decodeTicket(cred.ticket);
      assert.equal(ticket.encPart.etype, etype);
      const enctype = getEnctype(etype, { allowRc4: true });
      const inner = decodeEncTicketPart(enctype.decrypt(key, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher));
      assert.deepEqual(inner.cname.nameString, ['alice']);
      assert.deepEqual(inner.key, cred.key, 'the ticket carries the session key MIT cached');
    });
  }
});
