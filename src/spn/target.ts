/**
 * Target names to Kerberos principals, for the Kerberos mechanism's initiator.
 *
 * An SPN is the RFC 1964 single-string form of a server principal (MS-KILE §3.1.5.11 uses it
 * as the sname): split on `/`, the port stays in the host component
 * (`MSSQLSvc/sql01.contoso.com:1433` -> [`MSSQLSvc`, `sql01.contoso.com:1433`]), a
 * three-part SPN gives three components. SPN text is not MIT-escaped: a DN's own RFC 4514
 * backslashes (`CN=Smith\, John`) are kept as they are, byte for byte, as AD stores them.
 *
 * Name types: GSS host-based names give NT-SRV-HST (MIT gss_import_name); SPNs default to
 * NT-SRV-INST, which Windows clients are observed to send. The type is a hint (RFC 4120
 * §6.2: names must differ ignoring it), so callers may override it.
 */
import { crackSpn } from './crack.ts';
import { normalizeHost, parseHostBasedName } from './hostbased.ts';
import { type KrbPrincipal, NameType } from './principal.ts';
import { inferRealmFromHost, inferSpnRealm, type RealmInferenceOptions } from './realm.ts';
import { assertComponent, assertString, badName } from './validate.ts';

export interface TargetToPrincipalOptions extends RealmInferenceOptions {
  /** Realm to use, overriding everything else. */
  realm?: string;
  /** Realm when none is given, written (`@REALM`) or inferable. */
  defaultRealm?: string;
  /** Override the name type (default NT-SRV-INST for SPNs, NT-SRV-HST for service@host). */
  nameType?: number;
  /** Infer the realm from the host / DN (default true). False: realm, `@REALM` suffix or defaultRealm only. */
  inferRealm?: boolean;
  /** Lower-case the host component (default true; MIT principals are byte-exact, AD is case-insensitive). */
  lowercaseHost?: boolean;
  /** Host for a bare `service` host-based name (never read from the system). */
  localHost?: string;
}

function pickRealm(
  explicit: string | undefined,
  suffix: string | undefined,
  inferred: () => string | undefined,
  options: TargetToPrincipalOptions,
  target: string,
): string {
  const realm =
    explicit ?? suffix ?? (options.inferRealm === false ? undefined : inferred()) ?? options.defaultRealm;
  if (realm === undefined || realm === '') {
    throw badName(`cannot tell the realm of ${JSON.stringify(target)}: give a realm or a defaultRealm`, {
      target,
    });
  }
  if (realm.includes('/') || realm.includes('@'))
    throw badName(`bad realm ${JSON.stringify(realm)}`, { realm });
  return realm;
}

/** Splits a trailing `@REALM` off SPN text, unless the `@` sits inside a DN (last component has `=`). */
function splitRealmSuffix(spn: string): { text: string; suffix: string | undefined } {
  assertString('spn', spn);
  const at = spn.lastIndexOf('@');
  const lastSlash = spn.lastIndexOf('/');
  if (at < lastSlash || spn.slice(lastSlash + 1, at).includes('=')) return { text: spn, suffix: undefined };
  const suffix = spn.slice(at + 1);
  if (suffix === '') throw badName(`empty realm after '@' in ${JSON.stringify(spn)}`, { spn });
  return { text: spn.slice(0, at), suffix };
}

/**
 * SPN (`class/host[:port][/service][@REALM]`) to a principal. A trailing `@REALM` (accepted by
 * SSPI, references §1.8) is read only when the last component is not a DN, since a DN value
 * may itself contain `@`.
 *
 * @example
 * ```ts
 * spnToPrincipal('MSSQLSvc/SQL01.contoso.com:1433');
 * // { components: ['MSSQLSvc', 'sql01.contoso.com:1433'], realm: 'CONTOSO.COM', nameType: 2 }
 * ```
 */
export function spnToPrincipal(spn: string, options: TargetToPrincipalOptions = {}): KrbPrincipal {
  const { text, suffix } = splitRealmSuffix(spn);
  const cracked = crackSpn(text);
  const parts = text.split('/');
  if (options.lowercaseHost !== false) {
    const hostPart = parts[1]!;
    parts[1] =
      normalizeHost(hostPart.slice(0, cracked.instanceName.length)) +
      hostPart.slice(cracked.instanceName.length);
  }
  const realm = pickRealm(options.realm, suffix, () => inferSpnRealm(cracked, options), options, spn);
  return { components: parts, realm, nameType: options.nameType ?? NameType.SRV_INST };
}

/**
 * Principal back to SPN text (components joined by `/`; the realm is dropped unless asked).
 * Throws `BAD_NAME` when a component holds `/` or the name is not a 2- or 3-part service name.
 *
 * @example
 * ```ts
 * principalToSpn({ components: ['HTTP', 'web.fabrikam.com'], realm: 'FABRIKAM.COM', nameType: 2 });
 * // 'HTTP/web.fabrikam.com'
 * ```
 */
export function principalToSpn(principal: KrbPrincipal, options: { includeRealm?: boolean } = {}): string {
  const n = principal.components.length;
  if (n < 2 || n > 3) throw badName(`a service principal has 2 or 3 components, this one has ${n}`);
  for (const [i, c] of principal.components.entries()) assertComponent(`components[${i}]`, c);
  const spn = principal.components.join('/');
  crackSpn(spn); // the same checks as for any SPN (host, port)
  return options.includeRealm ? `${spn}@${principal.realm}` : spn;
}

/**
 * GSS host-based name (`service@host`, or `service` with `localHost`) to a principal:
 * `service/<lower-cased host>`, type NT-SRV-HST, realm from the host's domain.
 *
 * @example
 * ```ts
 * hostBasedToPrincipal('host@Server.Fabrikam.com');
 * // { components: ['host', 'server.fabrikam.com'], realm: 'FABRIKAM.COM', nameType: 3 }
 * ```
 */
export function hostBasedToPrincipal(name: string, options: TargetToPrincipalOptions = {}): KrbPrincipal {
  const parsed = parseHostBasedName(name);
  const rawHost = parsed.host ?? options.localHost;
  if (rawHost === undefined)
    throw badName(`${JSON.stringify(name)} names no host and no localHost was given`);
  assertComponent('host', rawHost);
  if (rawHost.includes('@')) throw badName(`host ${JSON.stringify(rawHost)} contains '@'`);
  const host = options.lowercaseHost === false ? rawHost : normalizeHost(rawHost);
  const realm = pickRealm(options.realm, undefined, () => inferRealmFromHost(host, options), options, name);
  return { components: [parsed.service, host], realm, nameType: options.nameType ?? NameType.SRV_HST };
}

/**
 * The one entry point for a mechanism: an SPN (contains `/`) or a GSS host-based name
 * (`service@host`) to the server principal to ask the KDC for.
 *
 * @example
 * ```ts
 * targetToPrincipal('ADSockAuth/host.fabrikam.com/CN=SockAuthAD,CN=HOST,DC=fabrikam,DC=com');
 * // { components: ['ADSockAuth', 'host.fabrikam.com', 'CN=SockAuthAD,CN=HOST,DC=fabrikam,DC=com'],
 * //   realm: 'FABRIKAM.COM', nameType: 2 }
 * targetToPrincipal('host@server.fabrikam.com', { realm: 'EXAMPLE.ORG' }).realm; // 'EXAMPLE.ORG'
 * ```
 */
export function targetToPrincipal(target: string, options: TargetToPrincipalOptions = {}): KrbPrincipal {
  assertString('target', target);
  return target.includes('/') ? spnToPrincipal(target, options) : hostBasedToPrincipal(target, options);
}

/** DNS access, injected: gssock itself never resolves names. */
export interface HostResolver {
  /** The canonical name of a host (e.g. following CNAMEs), as MIT's dns_canonicalize_hostname does. */
  canonicalHost(host: string): Promise<string>;
}

/**
 * Like targetToPrincipal, but first replaces the host by `resolver.canonicalHost(host)`.
 *
 * @example
 * ```ts
 * await resolveTargetPrincipal('host@www', { resolver: { canonicalHost: async () => 'web1.fabrikam.com' } });
 * // { components: ['host', 'web1.fabrikam.com'], realm: 'FABRIKAM.COM', nameType: 3 }
 * ```
 */
export async function resolveTargetPrincipal(
  target: string,
  options: TargetToPrincipalOptions & { resolver: HostResolver },
): Promise<KrbPrincipal> {
  const { resolver, ...rest } = options;
  assertString('target', target);
  const canonicalOf = async (host: string): Promise<string> => {
    const canonical = await resolver.canonicalHost(host);
    assertComponent('canonical host', canonical);
    if (/[@:]/.test(canonical))
      throw badName(`resolver returned a bad host name ${JSON.stringify(canonical)}`);
    return canonical;
  };
  if (target.includes('/')) {
    const { text, suffix } = splitRealmSuffix(target);
    const c = crackSpn(text);
    const port = c.instancePort !== 0 ? `:${c.instancePort}` : '';
    const tail = c.hasServiceName ? `/${c.serviceName}` : '';
    const realm = suffix === undefined ? '' : `@${suffix}`;
    return spnToPrincipal(
      `${c.serviceClass}/${await canonicalOf(c.instanceName)}${port}${tail}${realm}`,
      rest,
    );
  }
  const parsed = parseHostBasedName(target);
  const host = parsed.host ?? rest.localHost;
  if (host === undefined) throw badName(`${JSON.stringify(target)} names no host and no localHost was given`);
  return hostBasedToPrincipal(`${parsed.service}@${await canonicalOf(host)}`, rest);
}
