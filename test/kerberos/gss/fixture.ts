/**
 * One throwaway MIT realm per test file (test/support/mit-realm.ts), set up the way the
 * Kerberos GSS tests need it: alice (password, +requires_preauth, forwardable TGT via MIT
 * kinit), host/localhost with every enctype, one service per enctype (svc17 ... svc23,
 * keys of that enctype only, so the KDC issues that session key), and keytabs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIT_ENCTYPE_NAMES, type MitRealm, startMitRealm } from '../../support/mit-realm.ts';

export const ENCTYPE_NAMES: Record<number, string> = Object.fromEntries(MIT_ENCTYPE_NAMES);
export const ENCTYPES = MIT_ENCTYPE_NAMES.map(([etype]) => etype);

export interface KerberosRealm {
  realm: MitRealm;
  /** host/localhost keys (every enctype). */
  hostKeytab: string;
  /** Every service's keys (host, svcNN, other). */
  allKeytab: string;
  /** other/localhost only. */
  otherKeytab: string;
  /** Environment for MIT tools and the CLI (KRB5_CONFIG, KRB5CCNAME, KRB5_KTNAME, ...). */
  env: Record<string, string>;
  ccacheBytes(): Uint8Array;
  read(path: string): Uint8Array;
}

export async function startKerberosRealm(): Promise<KerberosRealm> {
  const principals: Record<string, { password?: string; randkey?: boolean; enctypes?: string[] }> = {
    alice: { password: 'alice-password' },
    'host/localhost': { randkey: true },
    'other/localhost': { randkey: true },
    // Never in MIT's ccache: tests fetch it with our own TGS client.
    'fresh/localhost': { randkey: true },
  };
  for (const e of ENCTYPES)
    principals[`svc${e}/localhost`] = { randkey: true, enctypes: [ENCTYPE_NAMES[e]!] };
  const realm = await startMitRealm({ allowRc4: true, principals });
  const hostKeytab = join(realm.dir, 'host.keytab');
  const allKeytab = join(realm.dir, 'all.keytab');
  const otherKeytab = join(realm.dir, 'other.keytab');
  await realm.ktadd('host/localhost', hostKeytab);
  await realm.ktadd('other/localhost', otherKeytab);
  for (const p of [
    'host/localhost',
    'other/localhost',
    'fresh/localhost',
    ...ENCTYPES.map((e) => `svc${e}/localhost`),
  ])
    await realm.ktadd(p, allKeytab);
  // MIT 1.20 picks service session keys from the principal's session_enctypes attribute
  // (default aes256-cts-hmac-sha1-96), not from the key it has: pin it per service.
  for (const e of ENCTYPES) {
    const r = await realm.runOk('kadmin.local', [
      '-r',
      realm.realm,
      '-q',
      `setstr svc${e}/localhost session_enctypes ${ENCTYPE_NAMES[e]}`,
    ]);
    if (/error|fail/i.test(r.stderr)) throw new Error(`setstr svc${e}: ${r.stderr}`);
  }
  await realm.runOk('kinit', ['-f', 'alice'], { input: 'alice-password\n' });
  await realm.runOk('kvno', [
    'host/localhost',
    'other/localhost',
    ...ENCTYPES.map((e) => `svc${e}/localhost`),
  ]);
  const env = { ...realm.env, KRB5_KTNAME: `FILE:${hostKeytab}` };
  const read = (p: string) => new Uint8Array(readFileSync(p));
  return { realm, hostKeytab, allKeytab, otherKeytab, env, ccacheBytes: () => read(realm.ccachePath), read };
}
