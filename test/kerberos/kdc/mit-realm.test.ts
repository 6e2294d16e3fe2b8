import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type MitRealm, mitSkip, startMitRealm } from '../../support/mit-realm.ts';

const skip = mitSkip();

describe('MIT realm helper (test/support/mit-realm.ts)', { skip }, () => {
  let realm: MitRealm;
  before(async () => {
    realm = await startMitRealm({
      principals: { alice: { password: 'alice-pw-1' }, 'host/localhost': { randkey: true } },
    });
  });
  after(async () => {
    await realm?.stop();
  });

  it('MIT kinit with a password and kvno for a service work against it', async () => {
    await realm.runOk('kinit', ['alice'], { input: 'alice-pw-1\n' });
    await realm.runOk('kvno', ['host/localhost']);
    const list = await realm.runOk('klist', []);
    assert.match(list.stdout, /krbtgt\/EXAMPLE\.TEST@EXAMPLE\.TEST/);
    assert.match(list.stdout, /host\/localhost@EXAMPLE\.TEST/);
  });

  it('users require preauth like AD', async () => {
    const r = await realm.runOk('kadmin.local', ['-r', realm.realm, '-q', 'getprinc alice']);
    assert.match(r.stdout, /REQUIRES_PRE_AUTH/);
  });

  it('a wrong password fails', async () => {
    const r = await realm.run('kinit', ['alice'], { input: 'nope\n' });
    assert.notEqual(r.code, 0);
  });

  it('ktadd writes a keytab MIT kinit -k accepts', async () => {
    await realm.addPrincipal('svc/localhost', { randkey: true });
    const kt = join(realm.dir, 'svc.keytab');
    await realm.ktadd('svc/localhost', kt);
    assert.ok(existsSync(kt));
    await realm.runOk('kinit', ['-k', '-t', kt, 'svc/localhost']);
  });

  it('stop() kills the KDC and removes the folder', async () => {
    const other = await startMitRealm({ realm: 'OTHER.TEST' });
    const pidDir = other.dir;
    const pid = other.kdcPid;
    process.kill(pid, 0); // alive: does not throw
    await other.stop();
    assert.equal(existsSync(pidDir), false);
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });
});
