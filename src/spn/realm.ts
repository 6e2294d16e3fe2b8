/**
 * Realm inference as Windows describes it for SPNs (ntdsapi.h comments on DsMakeSpn):
 * - a DNS host name gives its domain, i.e. the name minus its first label, upper-cased
 *   (`host.fabrikam.com` -> `FABRIKAM.COM`);
 * - a NetBIOS `DOMAIN\machine` gives `DOMAIN`;
 * - a DN service name gives its DC= components (`...,DC=fabrikam,DC=com` -> `FABRIKAM.COM`);
 * - an IP address host gives nothing by itself: the referrer's DNS name is used.
 * The header's "exception list" is modelled by `domainRealm`, which works like the
 * [domain_realm] section of krb5.conf and is consulted first.
 *
 * For a replicable SPN whose service name is a DNS name (`ldap/dc1.fabrikam.com/fabrikam.com`)
 * the header says the service name gives the realm; gssock uses the host rule there, because
 * a DS_SPN_SERVICE name may be a web or SRV name (`www.fabrikam.com`) that is no realm.
 * Nothing here does DNS.
 */
import type { CrackedSpn } from './crack.ts';
import { dnToDnsDomain, isDn } from './dn.ts';
import { isIpAddress } from './validate.ts';

export interface RealmInferenceOptions {
  /**
   * krb5.conf-style [domain_realm]: `'.fabrikam.com': 'FABRIKAM.COM'` maps every host in the
   * domain, `'fabrikam.com': 'FABRIKAM.COM'` that host only. Keys compare case-insensitively.
   */
  domainRealm?: Readonly<Record<string, string>>;
}

function mapped(host: string, domainRealm: Readonly<Record<string, string>> | undefined): string | undefined {
  if (domainRealm === undefined) return undefined;
  const table = new Map<string, string>();
  for (const [k, v] of Object.entries(domainRealm)) table.set(k.toLowerCase(), v);
  const exact = table.get(host);
  if (exact !== undefined) return exact;
  // Longest matching '.domain' suffix wins (MIT krb5_get_host_realm walks from the left).
  for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
    const hit = table.get(host.slice(dot));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * The realm a host name implies, or undefined (IP address, single-label name).
 *
 * @example
 * ```ts
 * inferRealmFromHost('host.fabrikam.com'); // 'FABRIKAM.COM'
 * inferRealmFromHost('FABRIKAM\\jeffsmith'); // 'FABRIKAM'
 * inferRealmFromHost('jeffsmith-nec'); // undefined
 * ```
 */
export function inferRealmFromHost(host: string, options: RealmInferenceOptions = {}): string | undefined {
  let name = host.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  const fromTable = mapped(name, options.domainRealm);
  if (fromTable !== undefined) return fromTable;
  if (isIpAddress(name)) return undefined;
  const backslash = name.indexOf('\\');
  if (backslash > 0) return name.slice(0, backslash).toUpperCase();
  const dot = name.indexOf('.');
  if (dot < 0 || dot === name.length - 1) return undefined;
  return name.slice(dot + 1).toUpperCase();
}

/**
 * The realm of a DN's domain: its trailing DC= components, upper-cased.
 *
 * @example
 * ```ts
 * inferRealmFromDn('CN=SockAuthAD,CN=HOST,OU=Computers,DC=fabrikam,DC=com'); // 'FABRIKAM.COM'
 * ```
 */
export function inferRealmFromDn(dn: string): string {
  return dnToDnsDomain(dn).toUpperCase();
}

/**
 * The realm an SPN implies: a DN service name's domain, else (IP host) the referrer's
 * domain, else the host's domain. Undefined when nothing applies.
 *
 * @example
 * ```ts
 * inferSpnRealm(crackSpn('ADSockAuth/host.fabrikam.com/CN=SockAuthAD,DC=corp,DC=fabrikam,DC=com'));
 * // 'CORP.FABRIKAM.COM'
 * ```
 */
export function inferSpnRealm(spn: CrackedSpn, options: RealmInferenceOptions = {}): string | undefined {
  if (spn.hasServiceName && spn.serviceName.includes('=') && isDn(spn.serviceName)) {
    try {
      return inferRealmFromDn(spn.serviceName);
    } catch {
      // A DN without DC= components (O=..., CN=...) says nothing about the realm.
    }
  }
  const host = spn.instanceName.startsWith('[') ? spn.instanceName.slice(1, -1) : spn.instanceName;
  if (isIpAddress(host)) {
    const fromTable = mapped(host.toLowerCase(), options.domainRealm);
    if (fromTable !== undefined) return fromTable;
    // class/<ip>[:port]/<referrer>: DsMakeSpn's Referrer is the DNS name that gave the address.
    return spn.hasServiceName ? inferRealmFromHost(spn.serviceName, options) : undefined;
  }
  return inferRealmFromHost(host, options);
}
