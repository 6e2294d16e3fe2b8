/**
 * Kerberos messages (RFC 4120 §5) as exact DER, plus the GSS framing (RFC 2743 §3.1) and
 * the PAC container (MS-PAC). Every decoder throws only GssockError MALFORMED (origin 'peer')
 * with a path such as 'AP-REQ.authenticator.cipher'; every encoder emits DER MIT accepts.
 */
export * from './ap.ts';
export {
  DEFAULT_MAX_DER_SIZE,
  type DecodeOptions,
  type DerNode,
  decodeDer,
  malformed,
  parseDer,
} from './asn1.ts';
export * from './authenticator.ts';
export {
  decodeAuthorizationData,
  decodeHostAddresses,
  decodeMethodData,
  decodePrincipalName,
  encodeAuthorizationData,
  encodeHostAddresses,
  encodeMethodData,
  encodePrincipalName,
  type LastReqEntry,
  type TransitedEncoding,
} from './basic.ts';
export {
  type Checksum,
  decodeChecksum,
  decodeEncryptedData,
  decodeEncryptionKey,
  encodeChecksum,
  encodeEncryptedData,
  encodeEncryptionKey,
} from './crypto-types.ts';
export { kerberosTimeText } from './der.ts';
export * from './gss-token.ts';
export {
  type DecodedKdcReq,
  decodeAsReq,
  decodeKdcReq,
  decodeKdcReqBody,
  decodeTgsReq,
  encodeAsReq,
  encodeKdcReq,
  encodeKdcReqBody,
  encodeTgsReq,
  type KdcReq,
  type KdcReqBody,
} from './kdc-req.ts';
export {
  type DecodedEncKdcRepPart,
  decodeAsRep,
  decodeEncKdcRepPart,
  decodeKdcRep,
  decodeTgsRep,
  type EncKdcRepPart,
  encodeAsRep,
  encodeEncAsRepPart,
  encodeEncTgsRepPart,
  encodeKdcRep,
  encodeTgsRep,
  type KdcRep,
} from './kdc-rep.ts';
export {
  decodeEncKrbCredPart,
  decodeKrbCred,
  type EncKrbCredPart,
  encodeEncKrbCredPart,
  encodeKrbCred,
  type KrbCred,
  type KrbCredInfo,
} from './krb-cred.ts';
export {
  decodeKrbError,
  decodeTypedData,
  describeKrbError,
  encodeKrbError,
  encodeTypedData,
  type KrbError,
  type TypedDataEntry,
} from './krb-error.ts';
export * from './pac.ts';
export {
  decodeEtypeInfo,
  decodeEtypeInfo2,
  decodePaEncTsEnc,
  decodePaPacRequest,
  type EtypeInfo2Entry,
  type EtypeInfoEntry,
  encodeEtypeInfo,
  encodeEtypeInfo2,
  encodePaEncTsEnc,
  encodePaPacRequest,
  findPaData,
  type PaEncTsEnc,
  paEncTimestamp,
  paPacRequest,
  paTgsReq,
} from './padata.ts';
export {
  decodeEncTicketPart,
  decodeTicket,
  type EncTicketPart,
  encodeEncTicketPart,
  encodeTicket,
  type Ticket,
} from './ticket.ts';
