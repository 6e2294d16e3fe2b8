/**
 * GSS-API host-based service names (RFC 2743 §4.1, GSS_C_NT_HOSTBASED_SERVICE
 * 1.2.840.113554.1.2.1.4): `service@host`, or `service` alone for the local host.
 * MIT maps them with krb5_sname_to_principal to `service/<lower-cased host>@REALM` of type
 * NT-SRV-HST. Windows SSPI does not accept `service@host`; it wants `service/host`.
 */
import { badName, MAX_NAME_LENGTH } from './validate.ts';

/** GSS_C_NT_HOSTBASED_SERVICE and its older synonym (RFC 2743 §4.1). */
export const GSS_C_NT_HOSTBASED_SERVICE = '1.2.840.113554.1.2.1.4';
export const GSS_C_NT_HOSTBASED_SERVICE_X = '1.3.6.1.5.6.2';

export interface HostBasedName {
  service: string;
  /** Absent for the `service` form (local host). */
  host?: string;
}

/**
 * Splits `service@host`. Throws `BAD_NAME` for an empty service or host, more than one `@`,
 * or a `/` (that is SPN syntax, not a host-based name).
 *
 * @example
 * ```ts
 * parseHostBasedName('host@server.fabrikam.com'); // { service: 'host', host: 'server.fabrikam.com' }
 * parseHostBasedName('nfs'); // { service: 'nfs' }
 * ```
 */
export function parseHostBasedName(name: string): HostBasedName {
  if (typeof name !== 'string' || name === '') throw badName('host-based name must be a non-empty string');
  if (name.length > MAX_NAME_LENGTH)
    throw badName(`host-based name is longer than ${MAX_NAME_LENGTH} characters`);
  if (name.includes('/')) {
    throw badName(`${JSON.stringify(name)} contains '/': use the SPN form class/host, not service@host`, {
      name,
    });
  }
  if (name.includes('\0')) throw badName('host-based name must not contain NUL', { name });
  const at = name.indexOf('@');
  if (at < 0) return { service: name };
  if (name.indexOf('@', at + 1) >= 0) throw badName(`more than one '@' in ${JSON.stringify(name)}`, { name });
  const service = name.slice(0, at);
  const host = name.slice(at + 1);
  if (service === '') throw badName(`empty service in ${JSON.stringify(name)}`, { name });
  if (host === '') throw badName(`empty host in ${JSON.stringify(name)}`, { name });
  return { service, host };
}

/**
 * Lower-cases a host name as MIT does when it canonicalizes one (krb5_sname_to_principal),
 * dropping a trailing dot. AD compares SPNs case-insensitively, MIT byte for byte, so the
 * lower-case form works with both.
 *
 * @example
 * ```ts
 * normalizeHost('Server.Fabrikam.COM.'); // 'server.fabrikam.com'
 * ```
 */
export function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.') && lower.length > 1 ? lower.slice(0, -1) : lower;
}

/**
 * The SPN form of a host-based name: `service@host` -> `service/host` (host lower-cased).
 *
 * @example
 * ```ts
 * hostBasedToSpn('HTTP@Web.Fabrikam.com'); // 'HTTP/web.fabrikam.com'
 * ```
 */
export function hostBasedToSpn(name: string, options: { localHost?: string } = {}): string {
  const parsed = parseHostBasedName(name);
  const host = parsed.host ?? options.localHost;
  if (host === undefined) {
    throw badName(`${JSON.stringify(name)} names no host and no localHost was given`, { name });
  }
  if (host === '' || /[/@\0]/.test(host)) throw badName(`bad host ${JSON.stringify(host)}`, { host });
  return `${parsed.service}/${normalizeHost(host)}`;
}
