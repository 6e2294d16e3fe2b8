/**
 * Fixture of the native() tests: a throwaway MIT realm (test/support/mit-realm.ts) with
 * alice (password, ticket cache from MIT kinit, host/localhost ticket already cached by
 * kvno so the pure initiator needs no KDC) and host/localhost (keytab), plus mechanism
 * factories for both sides in both implementations.
 *
 * The library reads KRB5_CONFIG with getenv(): native({ environment }) sets it in the C
 * environment (libc setenv, since Bun's process.env does not reach it). Everything else is
 * passed explicitly through the credential store (ccache, keytab, rcache), so test files
 * running one after another in one process (deno test, bun test) do not disturb each other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flags } from '../../src/core/flags.ts';
import type { Mechanism, Role, SecurityContext } from '../../src/core/mechanism.ts';
import { kerberos } from '../../src/providers/kerberos/gss/mechanism.ts';
import { loadGssapi } from '../../src/providers/native/ffi/load.ts';
import { type NativeOptions, native } from '../../src/providers/native/index.ts';
import { type MitRealm, mitSkip, startMitRealm } from '../support/mit-realm.ts';

export const TARGET = 'host@localhost';
export const ALICE = 'alice@EXAMPLE.TEST';
export const FULL = Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE | Flags.CONF | Flags.INTEG;

/**
 * `it`/`describe` options: run when MIT krb5 and libgssapi_krb5 are there; outside CI skip
 * loudly; with CI set a missing library or tool throws, so the run fails.
 */
export async function nativeOnly(): Promise<{ skip?: string }> {
  const mit = mitSkip();
  if (mit) return { skip: mit };
  try {
    await loadGssapi();
    return {};
  } catch (e) {
    const reason = `libgssapi_krb5 not loadable through this runtime's FFI (${(e as Error).message}): apt-get install libgssapi-krb5-2`;
    if (process.env.CI) throw new Error(`CI requires the native GSS-API: ${reason}`);
    return { skip: `SKIPPED LOUDLY: ${reason}` };
  }
}

export interface NativeRealm {
  realm: MitRealm;
  keytabPath: string;
  /** FILE: name of alice's ccache (TGT + host/localhost ticket). */
  ccacheName: string;
  environment: Record<string, string>;
  nativeInitiator(extra?: NativeOptions): Mechanism;
  nativeAcceptor(extra?: NativeOptions & { rcache?: string }): Mechanism;
  pureInitiator(): Mechanism;
  pureAcceptor(): Mechanism;
  stop(): Promise<void>;
}

export async function startNativeRealm(): Promise<NativeRealm> {
  const realm = await startMitRealm({
    principals: { alice: { password: 'alice-password' }, 'host/localhost': { randkey: true } },
  });
  const keytabPath = join(realm.dir, 'host.keytab');
  await realm.ktadd('host/localhost', keytabPath);
  await realm.runOk('kinit', ['alice'], { input: 'alice-password\n' });
  await realm.runOk('kvno', ['host/localhost']);
  const ccacheName = `FILE:${realm.ccachePath}`;
  const environment = { KRB5_CONFIG: realm.krb5ConfPath };
  return {
    realm,
    keytabPath,
    ccacheName,
    environment,
    nativeInitiator: (extra = {}) =>
      native({ environment, ...extra, credentials: { ccache: ccacheName, ...extra.credentials } }),
    nativeAcceptor: (extra = {}) =>
      native({
        environment,
        ...extra,
        credentials: {
          keytab: `FILE:${keytabPath}`,
          rcache: extra.rcache ?? `file2:${join(realm.dir, 'native.rcache')}`,
          ...extra.credentials,
        },
      }),
    pureInitiator: () => kerberos({ ccache: new Uint8Array(readFileSync(realm.ccachePath)) }),
    pureAcceptor: () => kerberos({ keytab: new Uint8Array(readFileSync(keytabPath)) }),
    stop: () => realm.stop(),
  };
}

/** Drives two contexts to establishment in memory; returns the number of tokens sent. */
export async function handshake(initiator: SecurityContext, acceptor: SecurityContext): Promise<number> {
  const ctx: Record<Role, SecurityContext> = { initiator, acceptor };
  let side: Role = 'initiator';
  let input: Uint8Array | null = null;
  let legs = 0;
  for (let i = 0; i < 10; i++) {
    const r = await ctx[side].step(input);
    if (!r.outputToken) break;
    legs++;
    side = side === 'initiator' ? 'acceptor' : 'initiator';
    if (ctx[side].established) throw new Error(`the ${side} got a token after it was done`);
    input = r.outputToken;
  }
  if (!initiator.established || !acceptor.established) throw new Error('handshake did not complete');
  return legs;
}
