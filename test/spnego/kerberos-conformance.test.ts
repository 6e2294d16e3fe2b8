/**
 * The conformance kit (gssock/testing) on negotiate() over the real Kerberos mechanism, with
 * credentials from gssock's in-process KDC: alice's ccache and host/localhost's keytab. The
 * impostor holds only other/localhost's keys, so it cannot open a ticket for host/localhost
 * and the initiator must refuse it. (negotiate over mock mechanisms runs in negotiate.test.ts;
 * against MIT's SPNEGO in mit-interop.test.ts.)
 */
import { after, before, describe, it } from 'node:test';
import { kerberos } from '../../src/providers/kerberos/index.ts';
import { negotiate } from '../../src/providers/spnego/index.ts';
import { defineConformanceSuite } from '../../src/testing/index.ts';
import { createTestRealm, type TestRealm } from '../../src/testing/kerberos.ts';

let realm: TestRealm | undefined;
let otherKeytab: Uint8Array | undefined;

describe('negotiate over Kerberos: conformance', () => {
  before(async () => {
    realm = await createTestRealm();
    realm.kdc.addPrincipal('other/localhost');
    otherKeytab = realm.kdc.exportKeytab('other/localhost');
  });
  after(async () => {
    await realm?.stop();
  });
  defineConformanceSuite(
    {
      name: 'negotiate(kerberos)',
      initiator: ({ clock, random }) =>
        negotiate({
          mechanisms: [kerberos({ ccache: realm!.user.ccache, kdc: realm!.clientOptions(), clock, random })],
        }),
      acceptor: ({ clock, random }) =>
        negotiate({ mechanisms: [kerberos({ keytab: realm!.service.keytab, clock, random })] }),
      impostor: ({ clock, random }) =>
        negotiate({ mechanisms: [kerberos({ keytab: otherKeytab!, clock, random })] }),
      target: realm?.service.target ?? 'host@localhost',
      capabilities: { sequenceDetection: true },
    },
    { describe, it },
  );
});
