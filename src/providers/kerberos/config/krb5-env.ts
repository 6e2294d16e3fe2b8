/**
 * Which files the MIT environment variables select (kerberos(7), krb5.conf(5)), with MIT's
 * compiled-in defaults. Pure: the environment, uid and parsed config are passed in.
 *
 *   KRB5_CONFIG         colon-separated krb5.conf list      default /etc/krb5.conf
 *   KRB5CCNAME          TYPE:residual or a plain path        default default_ccache_name or
 *                                                             FILE:/tmp/krb5cc_%{uid}
 *   KRB5_KTNAME         acceptor keytab                      default default_keytab_name or
 *                                                             FILE:/etc/krb5.keytab
 *   KRB5_CLIENT_KTNAME  initiator (client) keytab            default default_client_keytab_name or
 *                                                             FILE:/var/lib/krb5/user/%{euid}/client.keytab
 * Only FILE (and WRFILE for keytabs) can be used by pure code; KEYRING, KCM, MEMORY, DIR,
 * API and MSLSA are reported as unsupported with a NOT_SUPPORTED GssockError.
 */
import { type GssockError, gssError } from '../../../core/errors.ts';
import type { Krb5Config } from './krb5-conf.ts';

export type FileLocation =
  | { kind: 'file'; path: string; name: string }
  | { kind: 'unsupported'; type: string; name: string; error: GssockError };

export interface Krb5Environment {
  configPaths: string[];
  ccache: FileLocation;
  keytab: FileLocation;
  clientKeytab: FileLocation;
}

export interface ResolveKrb5EnvOptions {
  /** Real user id (%{uid}); needed for the default ccache name. */
  uid?: number;
  /** Effective user id (%{euid}); defaults to uid. */
  euid?: number;
  /** Parsed krb5.conf for default_ccache_name / default_keytab_name / default_client_keytab_name. */
  config?: Krb5Config;
  /** %{TEMP}: default TMPDIR from env, else /tmp. */
  tempDir?: string;
}

export const DEFAULT_KRB5_CONFIG = '/etc/krb5.conf';
export const DEFAULT_CCACHE_NAME = 'FILE:/tmp/krb5cc_%{uid}';
export const DEFAULT_KEYTAB_NAME = 'FILE:/etc/krb5.keytab';
export const DEFAULT_CLIENT_KEYTAB_NAME = 'FILE:/var/lib/krb5/user/%{euid}/client.keytab';

function expand(name: string, env: Record<string, string | undefined>, o: ResolveKrb5EnvOptions): string {
  return name.replace(/%\{(\w+)\}/g, (whole, key: string) => {
    const euid = o.euid ?? o.uid;
    switch (key) {
      case 'uid':
      case 'USERID':
        return o.uid === undefined ? whole : String(o.uid);
      case 'euid':
        return euid === undefined ? whole : String(euid);
      case 'TEMP':
        return o.tempDir ?? env.TMPDIR ?? '/tmp';
      case 'null':
        return '';
      default:
        return whole;
    }
  });
}

/** Classifies 'FILE:/x', '/x', 'KEYRING:persistent:1000', ... */
export function classifyLocation(name: string, what: 'ccache' | 'keytab'): FileLocation {
  const m = /^([A-Za-z][A-Za-z0-9_]*):(.*)$/s.exec(name);
  // A plain path (no TYPE: prefix, or a Windows-style drive letter) is a FILE.
  if (!m || m[1]!.length === 1) return { kind: 'file', path: name, name };
  const type = m[1]!.toUpperCase();
  const fileTypes = what === 'keytab' ? ['FILE', 'WRFILE'] : ['FILE'];
  if (fileTypes.includes(type)) return { kind: 'file', path: m[2]!, name };
  return {
    kind: 'unsupported',
    type,
    name,
    error: gssError('NOT_SUPPORTED', `${what} type ${type}: is not supported (only FILE:); name '${name}'`, {
      details: { type, name },
    }),
  };
}

/** The files the environment selects, following MIT's precedence and defaults. */
export function resolveKrb5Env(
  env: Record<string, string | undefined>,
  options: ResolveKrb5EnvOptions = {},
): Krb5Environment {
  const lib = options.config?.libdefaults;
  const configPaths = (env.KRB5_CONFIG ?? DEFAULT_KRB5_CONFIG).split(':').filter(Boolean);
  const pick = (value: string | undefined, fromConf: string | undefined, def: string) =>
    expand(value !== undefined && value !== '' ? value : (fromConf ?? def), env, options);
  return {
    configPaths,
    ccache: classifyLocation(pick(env.KRB5CCNAME, lib?.defaultCcacheName, DEFAULT_CCACHE_NAME), 'ccache'),
    keytab: classifyLocation(pick(env.KRB5_KTNAME, lib?.defaultKeytabName, DEFAULT_KEYTAB_NAME), 'keytab'),
    clientKeytab: classifyLocation(
      pick(env.KRB5_CLIENT_KTNAME, lib?.defaultClientKeytabName, DEFAULT_CLIENT_KEYTAB_NAME),
      'keytab',
    ),
  };
}

/** The path of a FILE location, or throws its NOT_SUPPORTED error. */
export function requireFilePath(location: FileLocation): string {
  if (location.kind === 'unsupported') throw location.error;
  return location.path;
}
