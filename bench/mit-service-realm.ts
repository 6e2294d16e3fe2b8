/**
 * The MIT realm the benches that need MIT share: alice (password) and host/localhost (random
 * key, in `keytab`), aes256-cts-hmac-sha1-96 only, alice's TGT and host ticket already in the
 * realm's ccache, as after `kinit alice; kvno host/localhost`. Stop it with `realm.stop()`.
 */
import { join } from 'node:path';
import { type MitRealm, startMitRealm } from '../test/support/mit-realm.ts';

export async function startServiceRealm(): Promise<{ realm: MitRealm; keytab: string }> {
  const realm = await startMitRealm({
    principals: { alice: { password: 'alice-password' }, 'host/localhost': { randkey: true } },
    enctypes: ['aes256-cts-hmac-sha1-96'],
  });
  try {
    const keytab = join(realm.dir, 'host.keytab');
    await realm.ktadd('host/localhost', keytab);
    await realm.runOk('kinit', ['alice'], { input: 'alice-password\n' });
    await realm.runOk('kvno', ['host/localhost']);
    return { realm, keytab };
  } catch (e) {
    await realm.stop();
    throw e;
  }
}
