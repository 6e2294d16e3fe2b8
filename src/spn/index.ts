/**
 * gssock/spn: service principal names for Windows Sockets services and their Kerberos
 * principals. Pure functions; no DNS, no directory access, no runtime globals.
 *
 * - makeSpn / getSpns / crackSpn / serverRegisterSpns: DsMakeSpn, DsGetSpn, DsCrackSpn,
 *   DsServerRegisterSpn rules.
 * - parseDn / formatDn / dnsDomainToDn / dnToDnsDomain: RFC 4514 DNs, DC= domains.
 * - rnrServiceDn / rpcServiceDn / rnrSpn, scpSpn / resolveScpSpns: the two publishing styles.
 * - parsePrincipal / unparsePrincipal / targetToPrincipal: Kerberos names.
 */
export { type CrackedSpn, type CrackSpnOptions, crackSpn } from './crack.ts';
export {
  type DnAttribute,
  dnsDomainToDn,
  dnToDnsDomain,
  escapeDnValue,
  formatDn,
  isDn,
  normalizeDn,
  parseDn,
  type Rdn,
  toDomainDn,
} from './dn.ts';
export {
  DsSpnNameType,
  type GetSpnsOptions,
  getSpns,
  type SpnInstance,
  type SpnTypeName,
  spnNameType,
} from './get.ts';
export {
  GSS_C_NT_HOSTBASED_SERVICE,
  GSS_C_NT_HOSTBASED_SERVICE_X,
  type HostBasedName,
  hostBasedToSpn,
  normalizeHost,
  parseHostBasedName,
} from './hostbased.ts';
export { type MakeSpnOptions, makeSpn } from './make.ts';
export {
  escapePrincipalPart,
  type KrbPrincipal,
  NameType,
  type ParsePrincipalOptions,
  parsePrincipal,
  unparsePrincipal,
} from './principal.ts';
export { inferRealmFromDn, inferRealmFromHost, inferSpnRealm, type RealmInferenceOptions } from './realm.ts';
export {
  applySpnWrite,
  DsSpnWriteOp,
  type DsSpnWriteOpValue,
  type ServerRegisterSpnOptions,
  serverRegisterSpns,
} from './register.ts';
export {
  RPC_SERVICES_CONTAINER,
  type RnrSpnOptions,
  rnrServiceDn,
  rnrSpn,
  rpcServiceDn,
  WINSOCK_SERVICES_CONTAINER,
} from './rnr.ts';
export {
  escapeFilterValue,
  resolveScpSpns,
  type ScpAttributes,
  type ScpSpnOptions,
  type SrvRecord,
  type SrvResolver,
  scpHasKeyword,
  scpPort,
  scpSearchFilter,
  scpSpn,
} from './scp.ts';
export {
  type HostResolver,
  hostBasedToPrincipal,
  principalToSpn,
  resolveTargetPrincipal,
  spnToPrincipal,
  type TargetToPrincipalOptions,
  targetToPrincipal,
} from './target.ts';
export { isIpAddress, isIpv4, isIpv6 } from './validate.ts';
