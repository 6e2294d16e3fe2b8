/**
 * From a service connection point (SCP, AD class serviceConnectionPoint) to the client's SPN.
 *
 * The client searches the GC for `keywords=<product GUID>`, binds to the SCP's DN and reads
 * serviceClassName, serviceDNSName, serviceDNSNameType and serviceBindingInformation
 * ("How Clients Find and Use a Service Connection Point"); then it calls
 * DsMakeSpn(serviceClassName, <SCP DN>, serviceDNSName, 0, NULL) ("How a Client
 * Authenticates an SCP-based Windows Sockets Service"). The SPN host must be a DNS host
 * name: when serviceDNSNameType is "SRV", serviceDNSName names SRV records, and the hosts
 * come from those records through an injected resolver (gssock never does DNS itself).
 */
import { parseDn } from './dn.ts';
import { makeSpn } from './make.ts';
import { assertString, badArgument, badName, parsePortText } from './validate.ts';

/** The SCP attributes the sample client reads (LDAP names; AD matches them case-insensitively). */
export interface ScpAttributes {
  distinguishedName: string;
  serviceClassName: string;
  serviceDNSName: string;
  /** "A" (a host name, the default) or "SRV" (an SRV record name). */
  serviceDNSNameType?: string;
  /** Multi-valued and service-defined; the sample stores the decimal port. */
  serviceBindingInformation?: string | readonly string[];
  keywords?: readonly string[];
}

export interface ScpSpnOptions {
  /** Put the port from serviceBindingInformation (or the SRV record) into the SPN. Default false, as in the sample. */
  includePort?: boolean;
}

/** One SRV record target (RFC 2782). */
export interface SrvRecord {
  name: string;
  port: number;
  priority?: number;
  weight?: number;
}

/** DNS SRV lookup, injected. */
export interface SrvResolver {
  resolveSrv(name: string): Promise<readonly SrvRecord[]>;
}

function checkScp(scp: ScpAttributes): 'A' | 'SRV' {
  assertString('distinguishedName', scp.distinguishedName);
  assertString('serviceClassName', scp.serviceClassName);
  assertString('serviceDNSName', scp.serviceDNSName);
  if (parseDn(scp.distinguishedName).length === 0) throw badName('the SCP distinguishedName is empty');
  const type = (scp.serviceDNSNameType ?? 'A').toUpperCase();
  if (type !== 'A' && type !== 'SRV') {
    throw badName(`serviceDNSNameType must be "A" or "SRV", got ${JSON.stringify(scp.serviceDNSNameType)}`, {
      serviceDNSNameType: scp.serviceDNSNameType,
    });
  }
  return type;
}

/**
 * The port stored in serviceBindingInformation (first value), parsed strictly. The sample's
 * `_wtoi` would read "abc" as 0 and "80x" as 80; gssock refuses both.
 *
 * @example
 * ```ts
 * scpPort({ serviceBindingInformation: ['5150'] } as ScpAttributes); // 5150
 * ```
 */
export function scpPort(scp: Pick<ScpAttributes, 'serviceBindingInformation'>): number {
  const raw = scp.serviceBindingInformation;
  const first = typeof raw === 'string' ? raw : raw?.[0];
  if (first === undefined) throw badArgument('the SCP has no serviceBindingInformation');
  return parsePortText('serviceBindingInformation', first.trim());
}

/**
 * The client's SPN for an SCP whose serviceDNSName is a host ("A"):
 * `<serviceClassName>/<serviceDNSName>/<SCP DN>`. For "SRV" use resolveScpSpns.
 *
 * @example
 * ```ts
 * scpSpn({ distinguishedName: 'CN=SockAuthAD,CN=HOST,OU=Computers,DC=fabrikam,DC=com',
 *          serviceClassName: 'ADSockAuth', serviceDNSName: 'host.fabrikam.com',
 *          serviceDNSNameType: 'A', serviceBindingInformation: ['5150'] });
 * // 'ADSockAuth/host.fabrikam.com/CN=SockAuthAD,CN=HOST,OU=Computers,DC=fabrikam,DC=com'
 * ```
 */
export function scpSpn(scp: ScpAttributes, options: ScpSpnOptions = {}): string {
  if (checkScp(scp) === 'SRV') {
    throw badArgument('serviceDNSName is an SRV record name: resolve it with resolveScpSpns and a resolver', {
      serviceDNSName: scp.serviceDNSName,
    });
  }
  return makeSpn({
    serviceClass: scp.serviceClassName,
    serviceName: scp.distinguishedName,
    instanceName: scp.serviceDNSName,
    instancePort: options.includePort ? scpPort(scp) : 0,
  });
}

/**
 * SPNs for every host behind an SCP: one for an "A" SCP, one per SRV target (in RFC 2782
 * priority order, lowest first) for an "SRV" SCP.
 *
 * @example
 * ```ts
 * await resolveScpSpns(scpWithSrv, { resolver: { resolveSrv: async () => [{ name: 'h1.fabrikam.com', port: 5150 }] } });
 * // ['ADSockAuth/h1.fabrikam.com/CN=SockAuthAD,...']
 * ```
 */
export async function resolveScpSpns(
  scp: ScpAttributes,
  options: ScpSpnOptions & { resolver: SrvResolver },
): Promise<string[]> {
  if (checkScp(scp) === 'A') return [scpSpn(scp, options)];
  const records = [...(await options.resolver.resolveSrv(scp.serviceDNSName))];
  if (records.length === 0) throw badName(`no SRV records for ${scp.serviceDNSName}`);
  records.sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  return records.map((r) =>
    makeSpn({
      serviceClass: scp.serviceClassName,
      serviceName: scp.distinguishedName,
      // An SRV target is a DNS name that may carry the root dot (RFC 2782).
      instanceName: r.name.endsWith('.') ? r.name.slice(0, -1) : r.name,
      instancePort: options.includePort ? r.port : 0,
    }),
  );
}

/**
 * Escapes a value for an LDAP filter (RFC 4515 §3: `* ( ) \` and NUL as `\XX`).
 *
 * @example
 * ```ts
 * escapeFilterValue('a*b'); // 'a\\2ab'
 * ```
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * The GC search filter that finds SCPs by keyword.
 *
 * @example
 * ```ts
 * scpSearchFilter('A762885A-AA44-11d2-81F1-00C04FB9624E'); // '(keywords=A762885A-AA44-11d2-81F1-00C04FB9624E)'
 * ```
 */
export function scpSearchFilter(keyword: string): string {
  assertString('keyword', keyword);
  return `(keywords=${escapeFilterValue(keyword)})`;
}

/**
 * True when the SCP carries `keyword` (keywords is a case-insensitive string attribute).
 *
 * @example
 * ```ts
 * scpHasKeyword({ keywords: ['Microsoft'] }, 'microsoft'); // true
 * ```
 */
export function scpHasKeyword(scp: Pick<ScpAttributes, 'keywords'>, keyword: string): boolean {
  const k = keyword.toLowerCase();
  return (scp.keywords ?? []).some((v) => v.toLowerCase() === k);
}
