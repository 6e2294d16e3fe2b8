/**
 * `--mech kerberos` for the CLI: the Kerberos mechanism built from the environment the way
 * MIT's gss-client and gss-server find their credentials:
 * - KRB5_CONFIG (krb5.conf: default realm, KDCs, [domain_realm], allow_rc4, clockskew);
 * - initiator: `-user`/`-pass` (an AS exchange, tickets kept in memory like MIT's
 *   gss_acquire_cred_with_password), else the FILE ccache of KRB5CCNAME (written back when
 *   a new service ticket is fetched, as MIT does), plus KRB5_CLIENT_KTNAME for a TGT;
 * - acceptor: `-keytab` or KRB5_KTNAME; KRB5RCACHETYPE=none turns the replay cache off.
 * Runtime-specific on purpose (node:fs): the provider itself does no I/O.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gssError } from '../core/errors.ts';
import type { Mechanism } from '../core/mechanism.ts';
import {
  type Krb5Config,
  loadKrb5Conf,
  realmForHost,
  requireFilePath,
  resolveKrb5Env,
} from '../providers/kerberos/config/index.ts';
import type { MechanismFactoryOptions } from './mechanisms.ts';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readBytes(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw gssError('NO_CREDENTIALS', `cannot read the ${what} ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function loadConfig(paths: string[]): Krb5Config {
  return loadKrb5Conf(paths, {
    readFile: readText,
    listDir: (dir) => {
      try {
        return readdirSync(dir);
      } catch {
        return undefined;
      }
    },
  });
}

export async function kerberosFactory(options: MechanismFactoryOptions): Promise<Mechanism> {
  const { kerberos } = await import('../providers/kerberos/gss/mechanism.ts');
  const env = options.env;
  const uid = globalThis.process?.getuid?.();
  const configPaths = resolveKrb5Env(env).configPaths;
  const config = loadConfig(configPaths);
  const krbEnv = resolveKrb5Env(env, { config, ...(uid !== undefined ? { uid } : {}) });
  const lib = config.libdefaults;
  const common = {
    allowRc4: lib.allowRc4,
    clockSkewSeconds: Math.round(lib.clockskew / 1000),
    ...(lib.defaultRealm ? { defaultRealm: lib.defaultRealm } : {}),
  };

  if (options.role === 'acceptor') {
    const path = options.keytab ?? resolve(options.cwd, requireFilePath(krbEnv.keytab));
    return kerberos({
      ...common,
      keytab: readBytes(path, 'keytab'),
      ...(options.serviceName ? { acceptorNames: [options.serviceName] } : {}),
      ...(env.KRB5RCACHETYPE === 'none' ? { replayCache: false as const } : {}),
    });
  }

  const { createNetTransport } = await import('../providers/kerberos/kdc/net-transport.ts');
  const { kdcOptionsFromConfig } = await import('../providers/kerberos/kdc/from-config.ts');
  const kdc = kdcOptionsFromConfig(config, createNetTransport({}), { purpose: 'tgs' });
  const base = { ...common, kdc, realmForHost: (host: string) => realmForHost(config, host) };
  if (options.user !== undefined && options.password !== undefined)
    return kerberos({ ...base, principal: options.user, password: options.password });

  const ccLocation = krbEnv.ccache;
  const ccPath = ccLocation.kind === 'file' ? resolve(options.cwd, ccLocation.path) : undefined;
  const clientKt =
    krbEnv.clientKeytab.kind === 'file' ? resolve(options.cwd, krbEnv.clientKeytab.path) : undefined;
  const haveClientKt = clientKt !== undefined && existsSync(clientKt);
  if (ccPath === undefined || !existsSync(ccPath)) {
    if (haveClientKt)
      return kerberos({
        ...base,
        clientKeytab: readBytes(clientKt, 'client keytab'),
        ...(options.user !== undefined ? { principal: options.user } : {}),
      });
    if (ccLocation.kind === 'unsupported') throw ccLocation.error;
    throw gssError('NO_CREDENTIALS', `no credentials cache found (${ccLocation.name})`);
  }
  return kerberos({
    ...base,
    ccache: readBytes(ccPath, 'credentials cache'),
    onCcacheUpdate: (bytes) => writeFileSync(ccPath, bytes, { mode: 0o600 }),
    ...(haveClientKt ? { clientKeytab: readBytes(clientKt, 'client keytab') } : {}),
    ...(options.user !== undefined ? { principal: options.user } : {}),
  });
}
