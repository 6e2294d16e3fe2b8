/**
 * makeSpn: DsMakeSpn's composition rules (dsparse.h; behaviour as Wine's ntdsapi
 * implementation and its conformance tests, which also pass on Windows, show it).
 *
 *   class "/" (instanceName ?? serviceName) [":" port if port != 0]
 *         ["/" serviceName if instanceName given] ["/" referrer if serviceName is an IP address]
 *
 * The DsMakeSpn page's Remarks mislabel the two shapes (the host-based case shows a
 * `/<referrer>` suffix, the replicable heading names the `host:port` form); gssock follows
 * the composition above, which is what the function does (references §5.3).
 */
import { assertComponent, assertPort, badName, isIpAddress, isIpv6 } from './validate.ts';

export interface MakeSpnOptions {
  /** Service class, e.g. `ADSockAuth`, `ldap`, `MSSQLSvc`. Required. */
  serviceClass: string;
  /**
   * Required. A host's DNS/NetBIOS name (host-based SPN, no instanceName), or a DN, DNS
   * domain, SRV record name or IP address naming the service (replicable SPN, with instanceName).
   */
  serviceName: string;
  /** DNS (or NetBIOS) name or IP address of the host running this instance. */
  instanceName?: string;
  /** Port; 0 or absent = no port component (the service's default port). */
  instancePort?: number;
  /** DNS name of the host that gave an IP-address referral; used only when serviceName is an IP address. */
  referrer?: string;
}

/**
 * Composes a service principal name the way DsMakeSpn does. Throws a `BAD_NAME`
 * GssockError for an empty class or service name or any `/` inside a component, and
 * `INVALID_ARGUMENT` for a port outside 0-65535.
 *
 * @example Client side of the SCP workflow (DsMakeSpn(class, scpDn, serviceDNSName, 0, NULL))
 * ```ts
 * makeSpn({
 *   serviceClass: 'ADSockAuth',
 *   serviceName: 'CN=SockAuthAD,CN=HOST,OU=Computers,DC=fabrikam,DC=com',
 *   instanceName: 'host.fabrikam.com',
 * });
 * // 'ADSockAuth/host.fabrikam.com/CN=SockAuthAD,CN=HOST,OU=Computers,DC=fabrikam,DC=com'
 * makeSpn({ serviceClass: 'MSSQLSvc', serviceName: 'sql01.contoso.com', instancePort: 1433 });
 * // 'MSSQLSvc/sql01.contoso.com:1433'
 * ```
 */
export function makeSpn(options: MakeSpnOptions): string {
  const { serviceClass, serviceName, instanceName, referrer } = options;
  const port = options.instancePort ?? 0;
  assertComponent('serviceClass', serviceClass);
  assertComponent('serviceName', serviceName);
  if (instanceName !== undefined) assertComponent('instanceName', instanceName);
  assertPort('instancePort', port);
  const host = instanceName ?? serviceName;
  assertUnambiguousHost(instanceName === undefined ? 'serviceName' : 'instanceName', host);

  let spn = `${serviceClass}/${host}`;
  if (port !== 0) spn += `:${port}`;
  if (instanceName !== undefined) spn += `/${serviceName}`;
  // Referrer is ignored unless ServiceName is an IP address (DsMakeSpn, Referrer parameter).
  if (referrer !== undefined && isIpAddress(serviceName)) {
    assertComponent('referrer', referrer);
    spn += `/${referrer}`;
  }
  return spn;
}

/**
 * The host component is followed by an optional `:port`, so a bare IPv6 literal
 * (`fe80::1`) cannot be told apart from `fe80:` + port 1 when the SPN is cracked.
 * Windows would emit it anyway; gssock asks for the bracketed form (`[fe80::1]`).
 */
export function assertUnambiguousHost(field: string, host: string): void {
  if (host.startsWith('[')) {
    if (!host.endsWith(']') || !isIpv6(host)) {
      throw badName(`${field} ${JSON.stringify(host)} is not a bracketed IPv6 address`, {
        field,
        value: host,
      });
    }
    return;
  }
  if (isIpv6(host)) {
    throw badName(
      `${field} ${JSON.stringify(host)} is a bare IPv6 address; write it as [${host}] so the ':port' suffix stays unambiguous`,
      { field, value: host },
    );
  }
  if (host.includes(':')) {
    throw badName(`${field} must not contain ':' (it introduces the port): ${JSON.stringify(host)}`, {
      field,
      value: host,
    });
  }
}
