/**
 * KDC client settings from a parsed krb5.conf (config/krb5-conf.ts), as MIT reads them:
 * [realms] kdc lines, dns_lookup_kdc, allow_rc4, udp_preference_limit, and the enctype
 * lists (default_tkt_enctypes for AS, default_tgs_enctypes for TGS, both filtered by
 * permitted_enctypes). Enctype lists accept names, aliases, the families MIT knows
 * ('aes', 'aes-sha1', 'aes-sha2', 'rc4'), 'DEFAULT', and '-name' to remove.
 */
import type { Krb5Config } from '../config/krb5-conf.ts';
import { DEFAULT_ENCTYPES } from '../crypto/registry.ts';
import { enctypeFromName } from '../crypto/numbers.ts';
import type { KdcClientOptions } from './kdc-client.ts';
import type { KdcTransport } from './transport.ts';

const FAMILIES: Record<string, number[]> = {
  aes: [18, 17, 20, 19],
  'aes-sha1': [18, 17],
  'aes-sha2': [20, 19],
  rc4: [23],
  default: [...DEFAULT_ENCTYPES],
};

/** MIT krb5_set_default_tgs_ktypes-style list parsing; unknown names are skipped, as MIT does. */
export function parseEnctypeList(names: readonly string[] | undefined): number[] | undefined {
  if (!names || names.length === 0) return undefined;
  const out: number[] = [];
  for (const raw of names.flatMap((n) => n.split(/[\s,]+/)).filter(Boolean)) {
    const remove = raw.startsWith('-');
    const name = (remove || raw.startsWith('+') ? raw.slice(1) : raw).toLowerCase();
    const family = FAMILIES[name];
    const one = enctypeFromName(name);
    const etypes = family ?? (one === undefined ? [] : [one]);
    for (const e of etypes) {
      const at = out.indexOf(e);
      if (remove) {
        if (at >= 0) out.splice(at, 1);
      } else if (at < 0) out.push(e);
    }
  }
  return out;
}

export interface ConfigKdcOptions {
  /** Which list to read: 'tkt' (AS requests) or 'tgs' (TGS requests). */
  purpose?: 'tkt' | 'tgs';
}

/** KdcClientOptions for `transport` from krb5.conf. */
export function kdcOptionsFromConfig(
  config: Krb5Config,
  transport: KdcTransport,
  options: ConfigKdcOptions = {},
): KdcClientOptions {
  const lib = config.libdefaults;
  const kdcs: Record<string, string[]> = {};
  for (const [realm, r] of Object.entries(config.realms)) kdcs[realm] = r.kdc;
  const wanted = parseEnctypeList(
    options.purpose === 'tgs' ? lib.defaultTgsEnctypes : lib.defaultTktEnctypes,
  );
  const permitted = parseEnctypeList(lib.permittedEnctypes);
  let enctypes = wanted ?? permitted ?? [...DEFAULT_ENCTYPES];
  if (permitted) enctypes = enctypes.filter((e) => permitted.includes(e));
  return {
    transport,
    kdcs,
    dnsLookupKdc: lib.dnsLookupKdc,
    allowRc4: lib.allowRc4,
    enctypes,
    timeoutMs: 30_000,
  };
}
