/**
 * The KDC client: AS and TGS exchanges over an injected `KdcTransport`, the KDC locator,
 * and the credential-cache workflow. Pure: the socket transport (node:net / node:dgram)
 * is loaded only when asked for, through `loadNetTransport()`.
 */
export {
  type ClientSecret,
  etypeHints,
  type GetInitialTicketOptions,
  getInitialTicket,
  type InitialTicketOptions,
} from './as-exchange.ts';
export {
  type AcquiredServiceTicket,
  type AcquireServiceTicketOptions,
  acquireServiceTicket,
  credentialFromCcache,
  credentialToCcache,
  findTgt,
  newCcache,
} from './ccache-workflow.ts';
export { isCredentialValid, type KerberosCredential } from './credential.ts';
export { createFailoverTransport, type FailoverOptions, type KdcAttempt } from './failover-transport.ts';
export { kdcOptionsFromConfig, parseEnctypeList } from './from-config.ts';
export { DEFAULT_KDC_TIMEOUT_MS, type KdcClientOptions } from './kdc-client.ts';
export { krbErrorToGssock, type KrbErrorInfo } from './krb-error.ts';
export {
  locateKdcs,
  type LocateKdcsOptions,
  parseKdcAddress,
  type SrvRecord,
  type SrvResolver,
  sortSrvRecords,
} from './locator.ts';
export {
  createMemoryKdcTransport,
  createScriptedDialer,
  type InMemoryKdc,
  type InMemoryKdcCall,
  type ScriptedEndpoint,
} from './memory-transport.ts';
export {
  defaultSalt,
  formatPrincipal,
  parsePrincipal,
  samePrincipal,
  tgsPrincipal,
} from './principal-name.ts';
export { encodeKdcTcpRecord, KdcTcpRecordReader } from './tcp-record.ts';
export {
  type GetServiceTicketOptions,
  getForwardedTgt,
  getServiceTicket,
  type ServiceTicketOptions,
  tgtServiceRealm,
} from './tgs-exchange.ts';
export {
  DEFAULT_MAX_KDC_REPLY,
  DEFAULT_UDP_PREFERENCE_LIMIT,
  formatKdcAddress,
  KERBEROS_PORT,
  type KdcAddress,
  type KdcDialer,
  type KdcRequest,
  type KdcTransport,
} from './transport.ts';

/** The socket transport, loaded on demand so importing the KDC client never loads node:net. */
export const loadNetTransport = (): Promise<typeof import('./net-transport.ts')> =>
  import('./net-transport.ts');
