/**
 * gssock's own KDC: a small, correct Kerberos KDC (RFC 4120 AS and TGS exchanges,
 * PA-ENC-TIMESTAMP pre-authentication, enctypes 17/18/19/20 and 23 on request, a signed
 * MS-PAC) that runs in the same process on Node, Deno and Bun, and optionally listens on
 * loopback TCP and UDP for MIT's tools.
 *
 *   const kdc = await startKdc({ realm: 'EXAMPLE.TEST', principals: { alice: { password: 'pw' }, 'host/localhost': {} } });
 *   await getInitialTicket({ ...kdc.clientOptions(), client: kdc.principal('alice'), secret: { password: 'pw' } });
 *   const keytab = kdc.exportKeytab(['host/localhost']);
 *   await kdc.stop();
 *
 * The core is sans-IO (handle-request.ts); sockets live in server.ts, imported only when
 * `listen` is set.
 */
import { gssError } from '../core/errors.ts';
import type { Clock, RandomSource } from '../core/mechanism.ts';
import { defaultClock, defaultRandom } from '../core/random.ts';
import type { KdcClientOptions } from '../providers/kerberos/kdc/kdc-client.ts';
import type { KdcAddress, KdcTransport } from '../providers/kerberos/kdc/transport.ts';
import { type KeytabEntry, serializeKeytab } from '../providers/kerberos/keytab.ts';
import type { EncryptionKey, Principal } from '../providers/kerberos/types.ts';
import { handleKdcRequest, responseTooBig } from './handle-request.ts';
import { encodeKdcError, kdcError } from './errors.ts';
import type { PrincipalSpec } from './realm.ts';
import type { KdcListenOptions } from './server.ts';
import { createKdcState, type KdcEvent, type KdcState } from './state.ts';
import { createInProcessTransport, IN_PROCESS_KDCS } from './transport.ts';
import { KerberosErrorCode } from '../providers/kerberos/error-codes.ts';
import { krb5ConfFor } from './krb5-conf.ts';

export interface StartKdcOptions {
  /** Realm name (default GSSOCK.TEST). */
  realm?: string;
  /** Principals to create: name (without or with @REALM) -> password, random keys, attributes. */
  principals?: Record<string, PrincipalSpec>;
  /** Enabled enctypes, preferred first (numbers or MIT names; default 20, 19, 18, 17). */
  enctypes?: Array<number | string>;
  /** Enable arcfour-hmac (23); added to the default enctypes. */
  allowRc4?: boolean;
  maxSkewSeconds?: number;
  maxLifeSeconds?: number;
  maxRenewableLifeSeconds?: number;
  /** Largest request accepted (default 64 KiB). */
  maxRequestSize?: number;
  /** The realm's domain SID for PACs (default: derived from the realm name). */
  domainSid?: string;
  /** Also listen on loopback TCP and UDP (true: 127.0.0.1 on a free port). */
  listen?: boolean | KdcListenOptions;
  clock?: Clock;
  random?: RandomSource;
  /** Called after each request with what the KDC did (no secrets). */
  onEvent?: (event: KdcEvent) => void;
}

export interface Krb5ConfOptions {
  /** Extra [libdefaults] settings. */
  libdefaults?: Record<string, string>;
}

export interface RunningKdc {
  realm: string;
  /** In-process transport for the gssock KDC client (getInitialTicket, getServiceTicket, kerberos()). */
  transport: KdcTransport;
  /** KDC list for client options: the loopback address when listening, else a placeholder. */
  kdcs: KdcAddress[];
  /** Where the loopback listener is, when `listen` was set. */
  address?: { host: string; port: number };
  /** The sans-IO state (principal database, replay cache, policy). */
  state: KdcState;
  /** Answers one request's bytes (null: dropped), at the KDC's clock. */
  handle(request: Uint8Array): Uint8Array | null;
  /** `{ transport, kdcs }` ready to spread into the KDC client's options. */
  clientOptions(): Pick<KdcClientOptions, 'transport' | 'kdcs' | 'allowRc4' | 'enctypes'>;
  /** krb5.conf text pointing MIT tools at the loopback listener. */
  krb5Conf(options?: Krb5ConfOptions): string;
  addPrincipal(name: string, spec?: PrincipalSpec): Principal;
  /** The principal for `name` (`alice`, `host/localhost`, `x@REALM`). */
  principal(name: string): Principal;
  /** A copy of the principal's long-term keys. */
  keys(name: string): EncryptionKey[];
  /** An MIT keytab (v2) with every key of the principals. */
  exportKeytab(principals: string | string[]): Uint8Array;
  stop(): Promise<void>;
}

export async function startKdc(options: StartKdcOptions = {}): Promise<RunningKdc> {
  const clock = options.clock ?? defaultClock;
  const random = options.random ?? defaultRandom;
  const realm = options.realm ?? 'GSSOCK.TEST';
  const policy: Parameters<typeof createKdcState>[0]['policy'] = {};
  if (options.maxSkewSeconds !== undefined) policy.maxSkewMs = options.maxSkewSeconds * 1000;
  if (options.maxLifeSeconds !== undefined) policy.maxLifeMs = options.maxLifeSeconds * 1000;
  if (options.maxRenewableLifeSeconds !== undefined)
    policy.maxRenewableLifeMs = options.maxRenewableLifeSeconds * 1000;
  if (options.maxRequestSize !== undefined) policy.maxRequestSize = options.maxRequestSize;
  const state = createKdcState({
    realm,
    random,
    policy,
    ...(options.enctypes ? { enctypes: options.enctypes } : {}),
    ...(options.allowRc4 !== undefined ? { allowRc4: options.allowRc4 } : {}),
    ...(options.domainSid ? { domainSid: options.domainSid } : {}),
    ...(options.onEvent ? { observe: options.onEvent } : {}),
  });
  for (const [name, spec] of Object.entries(options.principals ?? {})) state.db.add(name, spec);

  const handle = (request: Uint8Array) => handleKdcRequest(state, request, { now: clock(), random });
  const transport = createInProcessTransport(handle);
  let listener: Awaited<ReturnType<typeof import('./server.ts').listenKdc>> | undefined;
  if (options.listen) {
    const { listenKdc } = await import('./server.ts');
    listener = await listenKdc(
      {
        handle,
        responseTooBig: () => responseTooBig(state, { now: clock(), random }),
        fieldTooLong: () =>
          encodeKdcError(
            kdcError(KerberosErrorCode.KRB_ERR_FIELD_TOOLONG, 'request too large'),
            { realm },
            clock(),
          ),
        maxRequestSize: state.policy.maxRequestSize,
      },
      options.listen === true ? {} : options.listen,
    );
  }
  const address = listener ? { host: listener.host, port: listener.port } : undefined;
  const kdcs: KdcAddress[] = address
    ? [{ host: address.host, port: address.port, protocol: 'any' }]
    : IN_PROCESS_KDCS;

  return {
    realm,
    transport,
    kdcs,
    ...(address ? { address } : {}),
    state,
    handle,
    clientOptions: () => ({
      transport,
      kdcs,
      allowRc4: state.db.allowRc4,
      enctypes: [...state.db.enctypes],
    }),
    krb5Conf(o: Krb5ConfOptions = {}) {
      if (!address)
        throw gssError('INVALID_STATE', 'krb5.conf needs a listening KDC: start it with { listen: true }');
      return krb5ConfFor({
        realm,
        ...address,
        allowRc4: state.db.allowRc4,
        ...(o.libdefaults ? { libdefaults: o.libdefaults } : {}),
      });
    },
    addPrincipal: (name, spec = {}) => state.db.add(name, spec).principal,
    principal: (name) => state.db.require(name).principal,
    keys: (name) => state.db.require(name).keys.map((k) => ({ etype: k.etype, value: k.value.slice() })),
    exportKeytab(principals) {
      const now = clock();
      const entries: KeytabEntry[] = [];
      for (const name of typeof principals === 'string' ? [principals] : principals) {
        const entry = state.db.require(name);
        for (const key of entry.keys)
          entries.push({ principal: entry.principal, timestamp: now, kvno: entry.kvno, key });
      }
      return serializeKeytab(entries);
    },
    async stop() {
      await listener?.close();
    },
  };
}

export type { PrincipalSpec } from './realm.ts';
export type { KdcEvent, KdcPolicy, KdcState } from './state.ts';
export type { KdcListenOptions } from './server.ts';
export { handleKdcRequest } from './handle-request.ts';
export { createKdcState } from './state.ts';
export { verifyPacSignatures } from './pac.ts';
