/**
 * Kerberos in your own test suite, without a domain controller: one call starts the
 * gssock KDC in this process and hands back a user credential (password and an MIT
 * ccache holding a TGT), a service keytab, and the KDC transport the Kerberos mechanism
 * and the KDC client use.
 *
 * @example
 * ```ts
 * const realm = await createTestRealm();
 * const client = kerberos({ ccache: realm.user.ccache, kdc: realm.clientOptions() });
 * const server = kerberos({ keytab: realm.service.keytab });
 * // ... establish contexts with target realm.service.target ...
 * await realm.stop();
 * ```
 */
import { type RunningKdc, type StartKdcOptions, startKdc } from '../kdc/index.ts';
import type { PrincipalSpec } from '../kdc/realm.ts';
import { serializeCcache } from '../providers/kerberos/ccache.ts';
import { getInitialTicket } from '../providers/kerberos/kdc/as-exchange.ts';
import { newCcache } from '../providers/kerberos/kdc/ccache-workflow.ts';
import type { KdcClientOptions } from '../providers/kerberos/kdc/kdc-client.ts';
import { formatPrincipal } from '../providers/kerberos/kdc/principal-name.ts';
import type { Principal } from '../providers/kerberos/types.ts';

export interface TestRealmOptions extends Omit<StartKdcOptions, 'principals'> {
  /** The user (default 'alice'). */
  user?: string;
  /** The user's password (default: random). */
  password?: string;
  /** The service principal (default 'host/localhost'); its keytab is exported. */
  service?: string;
  /** More principals. */
  principals?: Record<string, PrincipalSpec>;
}

export interface TestRealm {
  realm: string;
  kdc: RunningKdc;
  user: {
    /** `alice@REALM`. */
    name: string;
    principal: Principal;
    password: string;
    /** An MIT FILE ccache (v4) with the user's TGT (forwardable, renewable). */
    ccache: Uint8Array;
  };
  service: {
    /** `host/localhost@REALM`. */
    name: string;
    principal: Principal;
    /** GSS host-based target for the initiator (`host@localhost`). */
    target: string;
    /** MIT keytab (v2) with the service's keys. */
    keytab: Uint8Array;
  };
  /** `{ transport, kdcs, ... }` for kerberos({ kdc }) and the KDC client. */
  clientOptions(): KdcClientOptions;
  stop(): Promise<void>;
}

function randomPassword(random: (n: number) => Uint8Array): string {
  return Array.from(random(12), (b) => b.toString(36).padStart(2, '0')).join('');
}

/** Starts an in-process realm with a user and a service; see the module example. */
export async function createTestRealm(options: TestRealmOptions = {}): Promise<TestRealm> {
  const {
    user = 'alice',
    service = 'host/localhost',
    principals = {},
    password: given,
    ...kdcOptions
  } = options;
  const random = kdcOptions.random ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
  const password = given ?? randomPassword(random);
  const kdc = await startKdc({
    realm: 'GSSOCK.TEST',
    ...kdcOptions,
    principals: { ...principals, [user]: { password }, [service]: {} },
  });
  try {
    const tgt = await getInitialTicket({
      ...kdc.clientOptions(),
      ...(kdcOptions.clock ? { clock: kdcOptions.clock } : {}),
      client: kdc.principal(user),
      secret: { password },
      options: { forwardable: true, renewable: true },
    });
    const servicePrincipal = kdc.principal(service);
    const [svc, ...host] = servicePrincipal.name.nameString;
    return {
      realm: kdc.realm,
      kdc,
      user: {
        name: formatPrincipal(kdc.principal(user)),
        principal: kdc.principal(user),
        password,
        ccache: serializeCcache(newCcache(tgt)),
      },
      service: {
        name: formatPrincipal(servicePrincipal),
        principal: servicePrincipal,
        target: host.length ? `${svc}@${host.join('/')}` : `${svc}`,
        keytab: kdc.exportKeytab(service),
      },
      clientOptions: () => kdc.clientOptions(),
      stop: () => kdc.stop(),
    };
  } catch (e) {
    await kdc.stop();
    throw e;
  }
}
