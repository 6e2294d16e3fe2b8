/**
 * What a service writes to its account's servicePrincipalName attribute.
 *
 * DsServerRegisterSpn (ntdsapi.h) composes exactly two host-based SPNs,
 * `<class>/<local FQDN>` and `<class>/<local NetBIOS name>`, and writes them with one of
 * the DS_SPN_WRITE_OP operations (DsWriteAccountSpn). gssock does not talk to a DC: it
 * composes the values and models the attribute update, so an installer or a start-up
 * check ("Logon Account Maintenance Tasks") can compare what is registered.
 */
import { makeSpn } from './make.ts';
import { assertComponent, badArgument, badName } from './validate.ts';

/** DS_SPN_WRITE_OP values (ntdsapi.h). */
export const DsSpnWriteOp = { ADD: 0, REPLACE: 1, DELETE: 2 } as const;
export type DsSpnWriteOpValue = (typeof DsSpnWriteOp)[keyof typeof DsSpnWriteOp];

export interface ServerRegisterSpnOptions {
  serviceClass: string;
  /** The local computer's fully qualified DNS name (injected; never read here). */
  localFqdn: string;
  /** The local computer's NetBIOS name (injected). */
  localNetbios: string;
}

/**
 * The two SPNs DsServerRegisterSpn writes: FQDN form first, then NetBIOS form.
 *
 * @example
 * ```ts
 * serverRegisterSpns({ serviceClass: 'ADSockAuth', localFqdn: 'jeffsmith.fabrikam.com',
 *                      localNetbios: 'JEFFSMITH-NEC' });
 * // ['ADSockAuth/jeffsmith.fabrikam.com', 'ADSockAuth/JEFFSMITH-NEC']
 * ```
 */
export function serverRegisterSpns(options: ServerRegisterSpnOptions): [string, string] {
  const { serviceClass, localFqdn, localNetbios } = options;
  assertComponent('localFqdn', localFqdn);
  assertComponent('localNetbios', localNetbios);
  if (localNetbios.includes('.')) {
    // A NetBIOS computer name has no dots; a dotted value here is almost surely the FQDN twice.
    throw badName(`localNetbios ${JSON.stringify(localNetbios)} contains '.', so it is not a NetBIOS name`, {
      localNetbios,
    });
  }
  return [
    makeSpn({ serviceClass, serviceName: localFqdn }),
    makeSpn({ serviceClass, serviceName: localNetbios }),
  ];
}

/**
 * Applies a DsWriteAccountSpn operation to a servicePrincipalName value list, the way AD
 * treats the attribute: values compare case-insensitively (syntax 2.5.5.12, Unicode
 * string), adding a present value is not an error (DsServerRegisterSpn's Return value),
 * REPLACE with no SPNs clears the attribute.
 *
 * @example
 * ```ts
 * applySpnWrite(['http/web1'], DsSpnWriteOp.ADD, ['HTTP/WEB1', 'http/web1.fabrikam.com']);
 * // ['http/web1', 'http/web1.fabrikam.com']
 * ```
 */
export function applySpnWrite(
  current: readonly string[],
  operation: DsSpnWriteOpValue,
  spns: readonly string[],
): string[] {
  const key = (s: string): string => s.toLowerCase();
  switch (operation) {
    case DsSpnWriteOp.ADD: {
      const out = [...current];
      const seen = new Set(out.map(key));
      for (const s of spns) {
        if (!seen.has(key(s))) {
          seen.add(key(s));
          out.push(s);
        }
      }
      return out;
    }
    case DsSpnWriteOp.REPLACE:
      return applySpnWrite([], DsSpnWriteOp.ADD, spns);
    case DsSpnWriteOp.DELETE: {
      const drop = new Set(spns.map(key));
      return current.filter((s) => !drop.has(key(s)));
    }
    default:
      throw badArgument(`unknown DS_SPN_WRITE_OP ${String(operation)}`, { operation });
  }
}
