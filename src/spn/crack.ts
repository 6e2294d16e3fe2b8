/**
 * crackSpn: DsCrackSpn's parsing rules (dsparse.h):
 *   `<service class>/<instance name>[:<port number>][/<service name>]`
 * class and instance name required, the port must be numeric (0 when absent), and
 * when the service-name part is absent the service name is the instance name.
 *
 * MS-ADTS §2.2.21 (SPN syntax) instead allows `:instancename` (a non-numeric suffix such as
 * a SQL Server named instance) after the host. DsCrackSpn's page requires a numeric port;
 * gssock follows DsCrackSpn by default (a non-numeric suffix is an error, never silently
 * read as port 0) and accepts the MS-ADTS form only when `allowNamedInstance` is set.
 */
import { assertString, badName, isIpv6, parsePortText } from './validate.ts';

export interface CrackedSpn {
  serviceClass: string;
  /** The `<service name>` part, or the instance name when the SPN has none (as DsCrackSpn returns it). */
  serviceName: string;
  /** The host part without the port. */
  instanceName: string;
  /** The port, 0 when absent. */
  instancePort: number;
  /** True when the SPN had a third, `<service name>`, part. */
  hasServiceName: boolean;
  /** MS-ADTS named instance (`MSSQLSvc/host:SALES`); only with `allowNamedInstance`. */
  namedInstance?: string;
}

export interface CrackSpnOptions {
  /** Accept MS-ADTS `host:instancename` suffixes that are not numeric. Default false (DsCrackSpn). */
  allowNamedInstance?: boolean;
}

/**
 * Splits an SPN into its parts as DsCrackSpn does. Throws `BAD_NAME` for a missing `/`,
 * an empty class or host, a non-numeric or out-of-range port, an empty or extra component.
 *
 * @example
 * ```ts
 * crackSpn('MSSQLSvc/sql01.contoso.com:1433');
 * // { serviceClass: 'MSSQLSvc', serviceName: 'sql01.contoso.com', instanceName: 'sql01.contoso.com',
 * //   instancePort: 1433, hasServiceName: false }
 * crackSpn('ldap/dc1.fabrikam.com/fabrikam.com').serviceName; // 'fabrikam.com'
 * ```
 */
export function crackSpn(spn: string, options: CrackSpnOptions = {}): CrackedSpn {
  assertString('spn', spn);
  if (spn.includes('\0')) throw badName('spn must not contain NUL', { spn });
  const firstSlash = spn.indexOf('/');
  if (firstSlash < 0) {
    throw badName(`not an SPN (no '/' between class and host): ${JSON.stringify(spn)}`, { spn });
  }
  const serviceClass = spn.slice(0, firstSlash);
  if (serviceClass === '') throw badName(`SPN has an empty service class: ${JSON.stringify(spn)}`, { spn });
  const rest = spn.slice(firstSlash + 1);
  const secondSlash = rest.indexOf('/');
  const hostPart = secondSlash < 0 ? rest : rest.slice(0, secondSlash);
  const service = secondSlash < 0 ? undefined : rest.slice(secondSlash + 1);
  if (service !== undefined) {
    if (service === '') throw badName(`SPN has an empty service name: ${JSON.stringify(spn)}`, { spn });
    if (service.includes('/')) {
      throw badName(
        `SPN has more than three components (a '/' inside the service name?): ${JSON.stringify(spn)}`,
        {
          spn,
        },
      );
    }
  }

  const { host, suffix } = splitHostPort(hostPart, spn);
  if (host === '') throw badName(`SPN has an empty host (instance name): ${JSON.stringify(spn)}`, { spn });
  let instancePort = 0;
  let namedInstance: string | undefined;
  if (suffix !== undefined) {
    if (options.allowNamedInstance && !/^[0-9]+$/.test(suffix)) {
      if (suffix === '')
        throw badName(`SPN has an empty instance name after ':': ${JSON.stringify(spn)}`, { spn });
      namedInstance = suffix;
    } else {
      instancePort = parsePortText('port', suffix);
    }
  }
  const cracked: CrackedSpn = {
    serviceClass,
    serviceName: service ?? host,
    instanceName: host,
    instancePort,
    hasServiceName: service !== undefined,
  };
  if (namedInstance !== undefined) cracked.namedInstance = namedInstance;
  return cracked;
}

/** Splits `host[:port]`, `[v6]` or `[v6]:port`; a bare IPv6 literal is refused as ambiguous. */
function splitHostPort(hostPart: string, spn: string): { host: string; suffix: string | undefined } {
  if (hostPart.startsWith('[')) {
    const close = hostPart.indexOf(']');
    if (close < 0) throw badName(`SPN has an unclosed '[' in its host: ${JSON.stringify(spn)}`, { spn });
    const host = hostPart.slice(0, close + 1);
    if (!isIpv6(host)) throw badName(`SPN host ${host} is not an IPv6 address`, { spn });
    const after = hostPart.slice(close + 1);
    if (after === '') return { host, suffix: undefined };
    if (!after.startsWith(':'))
      throw badName(`unexpected text after ${host}: ${JSON.stringify(spn)}`, { spn });
    return { host, suffix: after.slice(1) };
  }
  if (isIpv6(hostPart)) {
    throw badName(`SPN host ${hostPart} is a bare IPv6 address; its ':' cannot be told from a port`, { spn });
  }
  const colon = hostPart.indexOf(':');
  if (colon < 0) return { host: hostPart, suffix: undefined };
  return { host: hostPart.slice(0, colon), suffix: hostPart.slice(colon + 1) };
}
