/**
 * getSpns: DsGetSpn's rules (ntdsapi.h) for the six DS_SPN_NAME_TYPE values.
 *
 * - DS_SPN_DNS_HOST (0), DS_SPN_DN_HOST (1), DS_SPN_NB_HOST (2): `class/instance[:port]`;
 *   ServiceName must be NULL.
 * - DS_SPN_DOMAIN (3), DS_SPN_NB_DOMAIN (4): `class/instance[:port]/<domain DNS name or DN>`.
 * - DS_SPN_SERVICE (5): `class/instance[:port]/<canonical DN or DNS name of the service>`.
 *
 * With no instance names DsGetSpn returns one SPN whose instance is the local computer's
 * FQDN, or its NetBIOS name for the two *_NB_* types, with the InstancePort argument as
 * its port. gssock never reads the local names itself: the caller injects them
 * (`localFqdn`, `localNetbios`) and a missing one is an `INVALID_ARGUMENT` error.
 * With instance names, each gives one SPN with its own port (DsGetSpn's pInstancePorts).
 * DsGetSpn's page names the FQDN as the default instance for DS_SPN_DN_HOST too (only the
 * *_NB_* types differ), so that is what gssock does; explicit dn-host instances must be DNs.
 */
import { parseDn } from './dn.ts';
import { makeSpn } from './make.ts';
import { assertComponent, assertPort, badArgument, badName } from './validate.ts';

/** DS_SPN_NAME_TYPE values (ntdsapi.h). */
export const DsSpnNameType = {
  DNS_HOST: 0,
  DN_HOST: 1,
  NB_HOST: 2,
  DOMAIN: 3,
  NB_DOMAIN: 4,
  SERVICE: 5,
} as const;

/** The CLI spelling of each DS_SPN_NAME_TYPE. */
export type SpnTypeName = 'dns-host' | 'dn-host' | 'nb-host' | 'domain' | 'nb-domain' | 'service';

const BY_NAME: Record<SpnTypeName, number> = {
  'dns-host': DsSpnNameType.DNS_HOST,
  'dn-host': DsSpnNameType.DN_HOST,
  'nb-host': DsSpnNameType.NB_HOST,
  domain: DsSpnNameType.DOMAIN,
  'nb-domain': DsSpnNameType.NB_DOMAIN,
  service: DsSpnNameType.SERVICE,
};

/**
 * Turns `'dns-host'`..`'service'` or 0..5 into the DS_SPN_NAME_TYPE number.
 *
 * @example
 * ```ts
 * spnNameType('nb-domain'); // 4
 * ```
 */
export function spnNameType(type: SpnTypeName | number): number {
  if (typeof type === 'number') {
    if (Number.isInteger(type) && type >= 0 && type <= 5) return type;
  } else if (Object.hasOwn(BY_NAME, type)) {
    return BY_NAME[type];
  }
  throw badArgument(
    `unknown SPN name type ${JSON.stringify(type)} (dns-host, dn-host, nb-host, domain, nb-domain, service)`,
    {
      type,
    },
  );
}

/** One extra instance: a host name and an optional port (0/absent = none). */
export interface SpnInstance {
  name: string;
  port?: number;
}

export interface GetSpnsOptions {
  type: SpnTypeName | number;
  serviceClass: string;
  /** Must be absent for the *_HOST types, required for the others. */
  serviceName?: string;
  /** Port of the default instance (DsGetSpn's InstancePort); used only when `instances` is empty. */
  instancePort?: number;
  /** Extra instance names (DsGetSpn's pInstanceNames/pInstancePorts). */
  instances?: readonly SpnInstance[];
  /** The local computer's FQDN: the default instance for all but the *_NB_* types. */
  localFqdn?: string;
  /** The local computer's NetBIOS name: the default instance for nb-host and nb-domain. */
  localNetbios?: string;
}

/**
 * Builds the SPNs a service registers (DsGetSpn). Throws `INVALID_ARGUMENT` for a service
 * name given to a host type or missing for the others, an unknown type, a missing injected
 * default; `BAD_NAME` for a malformed component (`/`, empty, bad DN for dn-host).
 *
 * @example SCP install step: DsGetSpn(DS_SPN_SERVICE, class, scpDn, 0, 0, NULL, NULL, ...)
 * ```ts
 * getSpns({ type: 'service', serviceClass: 'ADSockAuth',
 *           serviceName: 'CN=SockAuthAD,CN=HOST,OU=Computers,DC=fabrikam,DC=com',
 *           localFqdn: 'host.fabrikam.com' });
 * // ['ADSockAuth/host.fabrikam.com/CN=SockAuthAD,CN=HOST,OU=Computers,DC=fabrikam,DC=com']
 * ```
 */
export function getSpns(options: GetSpnsOptions): string[] {
  const type = spnNameType(options.type);
  const { serviceClass, serviceName } = options;
  assertComponent('serviceClass', serviceClass);
  const hostType = type <= DsSpnNameType.NB_HOST;
  if (hostType && serviceName !== undefined) {
    throw badArgument('serviceName must be absent for the dns-host, dn-host and nb-host types (DsGetSpn)', {
      type,
      serviceName,
    });
  }
  if (!hostType) {
    if (serviceName === undefined) {
      throw badArgument('serviceName is required for the domain, nb-domain and service types (DsGetSpn)', {
        type,
      });
    }
    assertComponent('serviceName', serviceName);
  }

  const given = options.instances ?? [];
  // DsGetSpn's cInstanceNames is a USHORT.
  if (given.length > 65535) throw badArgument('at most 65535 instance names', { count: given.length });
  let instances: SpnInstance[];
  if (given.length === 0) {
    const nb = type === DsSpnNameType.NB_HOST || type === DsSpnNameType.NB_DOMAIN;
    const local = nb ? options.localNetbios : options.localFqdn;
    if (local === undefined) {
      throw badArgument(
        `no instance names given and no ${nb ? 'localNetbios' : 'localFqdn'} injected (gssock never reads the local computer name itself)`,
        { type },
      );
    }
    instances = [{ name: local, port: options.instancePort ?? 0 }];
  } else {
    instances = [...given];
  }

  return instances.map((inst, i) => {
    const field = `instances[${i}].name`;
    assertComponent(field, inst.name);
    assertPort(`instances[${i}].port`, inst.port ?? 0);
    if (type === DsSpnNameType.DN_HOST && given.length > 0) {
      // DS_SPN_DN_HOST instances are computer DNs (cn=jeffsmith,ou=computers,dc=fabrikam,dc=com).
      if (parseDn(inst.name).length === 0) throw badName(`${field} must be a DN`, { field });
    }
    return hostType
      ? makeSpn({ serviceClass, serviceName: inst.name, instancePort: inst.port ?? 0 })
      : makeSpn({
          serviceClass,
          serviceName: serviceName!,
          instanceName: inst.name,
          instancePort: inst.port ?? 0,
        });
  });
}
