/**
 * A throwaway MIT realm for the SPNEGO interop tests (test/support/mit-realm.ts): alice
 * (password, kinit'd), host/localhost and HTTP/localhost in a keytab, plus an
 * NTLM_USER_FILE with one NTLM account for gss-ntlmssp and gssock's NTLM (references.md §6).
 * The process runners (gss-server, gss-client, curl) are test/support/processes.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MitRealm, startMitRealm } from '../support/mit-realm.ts';

export const NTLM_USER = 'TESTDOM\\ntlmuser';
export const NTLM_PASSWORD = 'ntlm-password';

export interface SpnegoRealm {
  realm: MitRealm;
  keytab: string;
  /** KRB5_CONFIG, KRB5CCNAME (alice's TGT), KRB5_KTNAME, NTLM_USER_FILE. */
  env: Record<string, string>;
  /** The same without any Kerberos initiator credentials (KRB5CCNAME names no file). */
  noKerberosEnv: Record<string, string>;
}

export async function startSpnegoRealm(): Promise<SpnegoRealm> {
  const realm = await startMitRealm({
    principals: {
      alice: { password: 'alice-password' },
      'host/localhost': { randkey: true },
      'HTTP/localhost': { randkey: true },
    },
  });
  const keytab = join(realm.dir, 'services.keytab');
  await realm.ktadd('host/localhost', keytab);
  await realm.ktadd('HTTP/localhost', keytab);
  await realm.runOk('kinit', ['alice'], { input: 'alice-password\n' });
  const userFile = join(realm.dir, 'ntlm-users');
  writeFileSync(userFile, `${NTLM_USER.replace('\\', ':')}:${NTLM_PASSWORD}\n`);
  const env = { ...realm.env, KRB5_KTNAME: `FILE:${keytab}`, NTLM_USER_FILE: userFile };
  const noKerberosEnv = { ...env, KRB5CCNAME: `FILE:${join(realm.dir, 'no-such-ccache')}` };
  return { realm, keytab, env, noKerberosEnv };
}
