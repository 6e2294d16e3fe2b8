/**
 * Directory entries of services published through Winsock RnR (WSASetService with
 * NS_NTDS) and RPC name service, whose DNs become the `<service name>` part of SPNs.
 *
 * The AD page "Mutual Authentication in Windows Sockets Applications" gives
 * `cn=<name>,cn=WinsockServices,cn=System,<domain DN>`. The DS_SPN_NAME_TYPE page's
 * examples spell the containers `cn=Winsock Services` and `cn=RPC Services` (with a blank);
 * the containers AD actually creates are `WinsockServices` and `RpcServices`, so gssock
 * uses those (references §5.4).
 */
import { escapeDnValue, toDomainDn } from './dn.ts';
import { makeSpn } from './make.ts';
import { assertString, badName } from './validate.ts';

/** Container RDN values under `cn=System` of the domain naming context. */
export const WINSOCK_SERVICES_CONTAINER = 'WinsockServices';
export const RPC_SERVICES_CONTAINER = 'RpcServices';

function serviceEntryDn(name: string, container: string, domain: string): string {
  assertString('name', name);
  const dn = `cn=${escapeDnValue(name)},cn=${container},cn=System,${toDomainDn(domain)}`;
  // The DN goes into an SPN, where '/' is the component separator and has no escape
  // (RFC 4514 does not escape '/', and DsMakeSpn forbids it).
  if (dn.includes('/')) {
    throw badName(`${JSON.stringify(dn)} contains '/', which no SPN can carry`, { name, domain });
  }
  return dn;
}

/**
 * The DN of a Winsock RnR service's entry. `domain` is a DNS domain (`fabrikam.com`) or
 * a domain DN (`DC=fabrikam,DC=com`). The name is RFC 4514-escaped.
 *
 * @example
 * ```ts
 * rnrServiceDn('WinSockRnRSampleService', 'fabrikam.com');
 * // 'cn=WinSockRnRSampleService,cn=WinsockServices,cn=System,DC=fabrikam,DC=com'
 * ```
 */
export function rnrServiceDn(name: string, domain: string): string {
  return serviceEntryDn(name, WINSOCK_SERVICES_CONTAINER, domain);
}

/**
 * The DN of an RPC service's entry in the directory (RPC name service).
 *
 * @example
 * ```ts
 * rpcServiceDn('anRpcService', 'DC=fabrikam,DC=com');
 * // 'cn=anRpcService,cn=RpcServices,cn=System,DC=fabrikam,DC=com'
 * ```
 */
export function rpcServiceDn(name: string, domain: string): string {
  return serviceEntryDn(name, RPC_SERVICES_CONTAINER, domain);
}

export interface RnrSpnOptions {
  serviceClass: string;
  /** The instance name the service registered with WSASetService. */
  name: string;
  /** DNS domain or domain DN holding the entry. */
  domain: string;
  /** Host from the entry's CSADDR_INFO, as a DNS name (the SPN host must be a DNS name). */
  host: string;
  /** Port, only when the SPNs were registered with one; 0/absent = none. */
  port?: number;
}

/**
 * The client-side SPN of an RnR service: DsMakeSpn(class, entry DN, host, port, NULL).
 *
 * @example
 * ```ts
 * rnrSpn({ serviceClass: 'ADSockAuth', name: 'WinSockRnRSampleService', domain: 'fabrikam.com',
 *          host: 'host.fabrikam.com' });
 * // 'ADSockAuth/host.fabrikam.com/cn=WinSockRnRSampleService,cn=WinsockServices,cn=System,DC=fabrikam,DC=com'
 * ```
 */
export function rnrSpn(options: RnrSpnOptions): string {
  return makeSpn({
    serviceClass: options.serviceClass,
    serviceName: rnrServiceDn(options.name, options.domain),
    instanceName: options.host,
    instancePort: options.port ?? 0,
  });
}
