/**
 * The conformance kit (gssock/testing) on the Kerberos mechanism, with MIT-issued
 * credentials: alice's ccache from MIT kinit/kvno, host/localhost's keytab from kadmin
 * ktadd; the impostor holds other/localhost's keys only, so it cannot answer a ticket for
 * host/localhost and the initiator must refuse it.
 */
import { after, before, describe, it } from 'node:test';
import { kerberos } from '../../../src/providers/kerberos/gss/mechanism.ts';
import { defineConformanceSuite } from '../../../src/testing/index.ts';
import { mitOnly } from '../../support/mit-realm.ts';
import { type KerberosRealm, startKerberosRealm } from './fixture.ts';

const OPT = mitOnly();
let k: KerberosRealm | undefined;

describe('Kerberos conformance (MIT-issued credentials)', () => {
  before(async () => {
    if (!OPT.skip) k = await startKerberosRealm();
  });
  after(async () => {
    await k?.realm.stop();
  });
  if (OPT.skip) {
    it('conformance kit', OPT, () => {});
    return;
  }
  defineConformanceSuite(
    {
      name: 'kerberos',
      initiator: ({ clock, random }) => kerberos({ ccache: k!.ccacheBytes(), clock, random }),
      acceptor: ({ clock, random }) => kerberos({ keytab: k!.read(k!.hostKeytab), clock, random }),
      impostor: ({ clock, random }) => kerberos({ keytab: k!.read(k!.otherKeytab), clock, random }),
      target: 'host@localhost',
      acceptorName: 'host@localhost',
      capabilities: { sequenceDetection: true },
    },
    { describe, it },
  );
});
