// The gssock Kerberos mechanism with tickets from the gssock KDC: createTestRealm() in one
// line, the initiator fetching tickets in-process or over loopback, mutual authentication,
// the PAC reaching the acceptor, and wrap/unwrap both ways, for each enctype.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromUtf8, utf8 } from '../../src/core/bytes.ts';
import { Flags } from '../../src/core/flags.ts';
import type { SecurityContext } from '../../src/core/mechanism.ts';
import { getEnctype } from '../../src/providers/kerberos/crypto/registry.ts';
import { kerberos } from '../../src/providers/kerberos/gss/mechanism.ts';
import { createNetTransport } from '../../src/providers/kerberos/kdc/net-transport.ts';
import { verifyPacSignatures } from '../../src/kdc/index.ts';
import { parseKeytab } from '../../src/providers/kerberos/keytab.ts';
import { createTestRealm } from '../../src/testing/kerberos.ts';

async function handshake(initiator: SecurityContext, acceptor: SecurityContext): Promise<number> {
  let token: Uint8Array | undefined;
  let legs = 0;
  let first = await initiator.step(null);
  token = first.outputToken;
  while (token) {
    legs++;
    const a = await acceptor.step(token);
    if (!a.outputToken) break;
    legs++;
    first = await initiator.step(a.outputToken);
    token = first.outputToken;
  }
  assert.ok(initiator.established && acceptor.established);
  return legs;
}

async function roundTrip(initiator: SecurityContext, acceptor: SecurityContext): Promise<void> {
  const there = await acceptor.unwrap(await initiator.wrap(utf8('ping')));
  assert.equal(fromUtf8(there.message), 'ping');
  assert.equal(there.confidential, true);
  const back = await initiator.unwrap(await acceptor.wrap(utf8('pong')));
  assert.equal(fromUtf8(back.message), 'pong');
}

describe('Kerberos mechanism with the gssock KDC', () => {
  for (const etype of [17, 18, 19, 20, 23]) {
    it(`createTestRealm + kerberos(): mutual authentication and sealed messages, enctype ${etype}`, async () => {
      const realm = await createTestRealm({ enctypes: [etype], allowRc4: etype === 23 });
      try {
        const client = kerberos({
          ccache: realm.user.ccache,
          kdc: realm.clientOptions(),
          allowRc4: etype === 23,
        });
        const server = kerberos({ keytab: realm.service.keytab, allowRc4: etype === 23 });
        const initiator = await client.createContext('initiator', {
          target: realm.service.target,
          flags: Flags.MUTUAL | Flags.CONF | Flags.INTEG | Flags.REPLAY | Flags.SEQUENCE,
        });
        const acceptor = await server.createContext('acceptor');
        assert.equal(await handshake(initiator, acceptor), 2, 'AP-REQ then AP-REP');
        assert.ok(initiator.info().flags & Flags.MUTUAL);
        assert.equal(acceptor.info().peerName, realm.user.name);
        // The acceptor sees the PAC the KDC signed with this service's key.
        const pac = acceptor.info().extra?.pac as Uint8Array;
        const key = parseKeytab(realm.service.keytab).entries[0]!.key;
        assert.equal(verifyPacSignatures(pac, { serverKey: key }).server, true);
        const enctype = getEnctype(etype, { allowRc4: true });
        assert.equal(initiator.info().sessionKey?.length, enctype.keySize);
        await roundTrip(initiator, acceptor);
      } finally {
        await realm.stop();
      }
    });
  }

  it('password logon through the KDC over loopback TCP/UDP (no ccache)', async () => {
    const realm = await createTestRealm({ listen: true, password: 'correct horse' });
    try {
      const { host, port } = realm.kdc.address!;
      const client = kerberos({
        principal: realm.user.name,
        password: 'correct horse',
        kdc: { transport: createNetTransport(), kdcs: [{ host, port, protocol: 'any' }] },
      });
      const server = kerberos({ keytab: realm.service.keytab });
      const initiator = await client.createContext('initiator', { target: realm.service.target });
      const acceptor = await server.createContext('acceptor');
      await handshake(initiator, acceptor);
      assert.equal(acceptor.info().peerName, realm.user.name);
      await roundTrip(initiator, acceptor);
    } finally {
      await realm.stop();
    }
  });

  it("the acceptor refuses a ticket from another realm's KDC (wrong service key)", async () => {
    const a = await createTestRealm();
    const b = await createTestRealm();
    try {
      const client = kerberos({ ccache: a.user.ccache, kdc: a.clientOptions() });
      const server = kerberos({ keytab: b.service.keytab });
      const initiator = await client.createContext('initiator', { target: a.service.target });
      const acceptor = await server.createContext('acceptor');
      const first = await initiator.step(null);
      await assert.rejects(Promise.resolve().then(() => acceptor.step(first.outputToken!)));
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
