/**
 * gssock/kerberos: the Kerberos V5 mechanism and the pieces an application needs around
 * it: MIT keytab and ccache files as bytes, kinit-style ticket requests, krb5.conf.
 *
 * @example
 * ```ts
 * import { kerberos, loadNetTransport } from 'gssock/kerberos';
 * const client = kerberos({ ccache: await Deno.readFile('/tmp/krb5cc_1000') });
 * const server = kerberos({ keytab: await Deno.readFile('/etc/krb5.keytab'), acceptorNames: ['host@web1'] });
 * ```
 */
export {
  KERBEROS_OID,
  type KerberosOptions,
  kerberos,
  resolveTarget,
} from './gss/mechanism.ts';
export {
  type MemoryReplayCacheOptions,
  memoryReplayCache,
  type ReplayCache,
  type ReplayEntry,
  replayKey,
} from './gss/replay-cache.ts';
export type { InitiatorCredentialOptions } from './gss/credentials.ts';
export { channelBindingsHash } from './gss/channel-bindings.ts';
export {
  type Keytab,
  type KeytabEntry,
  findKeys,
  parseKeytab,
  serializeKeytab,
} from './keytab.ts';
export {
  addCredential,
  type Ccache,
  type CcacheCredential,
  ccacheTickets,
  findCredential,
  parseCcache,
  principalToString,
  serializeCcache,
} from './ccache.ts';
export type { EncryptionKey, Principal, PrincipalName } from './types.ts';
export { formatPrincipal, parsePrincipal } from './kdc/principal-name.ts';
export type { KerberosCredential } from './kdc/credential.ts';
export type { KdcClientOptions } from './kdc/kdc-client.ts';
export type { KdcAddress, KdcTransport } from './kdc/transport.ts';
export { type ClientSecret, type GetInitialTicketOptions, getInitialTicket } from './kdc/as-exchange.ts';
export { getForwardedTgt, getServiceTicket, type GetServiceTicketOptions } from './kdc/tgs-exchange.ts';
export {
  acquireServiceTicket,
  credentialFromCcache,
  credentialToCcache,
  findTgt,
  newCcache,
} from './kdc/ccache-workflow.ts';
export { createMemoryKdcTransport } from './kdc/memory-transport.ts';
export { type Krb5Config, parseKrb5Conf, realmForHost } from './config/index.ts';
export { kdcOptionsFromConfig } from './kdc/from-config.ts';

/**
 * The KDC transport over real sockets (UDP then TCP, failover), loaded on demand so that
 * importing gssock/kerberos never pulls in node:net / node:dgram (present on Node, Deno, Bun).
 */
export async function loadNetTransport(
  options: import('./kdc/net-transport.ts').NetTransportOptions = {},
): Promise<import('./kdc/transport.ts').KdcTransport> {
  const { createNetTransport } = await import('./kdc/net-transport.ts');
  return createNetTransport(options);
}
