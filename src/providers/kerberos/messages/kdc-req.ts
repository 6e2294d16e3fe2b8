/**
 * KDC requests, RFC 4120 §5.4.1.
 *
 *   AS-REQ  ::= [APPLICATION 10] KDC-REQ
 *   TGS-REQ ::= [APPLICATION 12] KDC-REQ
 *   KDC-REQ ::= SEQUENCE {
 *     pvno [1] INTEGER (5), msg-type [2] INTEGER (10 -- AS -- | 12 -- TGS --),
 *     padata [3] SEQUENCE OF PA-DATA OPTIONAL, req-body [4] KDC-REQ-BODY }
 *   KDC-REQ-BODY ::= SEQUENCE {
 *     kdc-options [0] KDCOptions, cname [1] PrincipalName OPTIONAL, realm [2] Realm,
 *     sname [3] PrincipalName OPTIONAL, from [4] KerberosTime OPTIONAL, till [5] KerberosTime,
 *     rtime [6] KerberosTime OPTIONAL, nonce [7] UInt32, etype [8] SEQUENCE OF Int32,
 *     addresses [9] HostAddresses OPTIONAL, enc-authorization-data [10] EncryptedData OPTIONAL,
 *     additional-tickets [11] SEQUENCE OF Ticket OPTIONAL }
 *
 * The TGS-REQ's PA-TGS-REQ authenticator checksums the DER of KDC-REQ-BODY
 * (RFC 4120 §7.2.2 usage 6): use encodeKdcReqBody for it; encoding is deterministic, so the
 * same body inside encodeKdcReq yields the same octets. Decoding keeps them as reqBodyDer.
 */
import { KRB5_PVNO, MessageType } from '../constants.ts';
import type { EncryptedData, HostAddress, PaData, PrincipalName } from '../types.ts';
import {
  type DecodeOptions,
  type DerNode,
  decodeDer,
  expectApplication,
  field,
  malformed,
  opt,
  readFields,
  readSequenceOf,
  withOptional,
} from './asn1.ts';
import {
  hostAddressesAsn,
  methodDataAsn,
  principalNameAsn,
  readHostAddresses,
  readMethodData,
  readPrincipalName,
  readRealm,
} from './basic.ts';
import { encryptedDataAsn, readEncryptedData } from './crypto-types.ts';
import {
  type Asn,
  application,
  bad,
  fields,
  int32,
  kerberosFlags,
  kerberosString,
  kerberosTime,
  maybe,
  sequenceOf,
  toDer,
  uint32,
} from './der.ts';
import {
  readExact,
  readInt32,
  readKerberosFlags,
  readKerberosTime,
  readUInt32Lenient,
} from './primitives.ts';
import { readTicket, type Ticket, ticketAsn } from './ticket.ts';

export interface KdcReqBody {
  /** KDCOptions as a uint32 (constants.ts KdcOptions). */
  kdcOptions: number;
  cname?: PrincipalName;
  realm: string;
  sname?: PrincipalName;
  from?: number;
  till: number;
  rtime?: number;
  nonce: number;
  /** Enctypes in order of preference. */
  etype: number[];
  addresses?: HostAddress[];
  encAuthorizationData?: EncryptedData;
  additionalTickets?: Ticket[];
}

export interface KdcReq {
  msgType: typeof MessageType.AS_REQ | typeof MessageType.TGS_REQ;
  padata?: PaData[];
  reqBody: KdcReqBody;
}

export interface DecodedKdcReq extends KdcReq {
  /** The exact req-body octets received (what a PA-TGS-REQ checksum covers). */
  reqBodyDer: Uint8Array;
}

export function readKdcReqBody(node: DerNode, path: string): KdcReqBody {
  const f = readFields(node, path);
  return withOptional(
    {
      kdcOptions: field(f, 0, path, 'kdc-options', readKerberosFlags),
      realm: field(f, 2, path, 'realm', readRealm),
      till: field(f, 5, path, 'till', readKerberosTime),
      nonce: field(f, 7, path, 'nonce', readUInt32Lenient),
      etype: field(f, 8, path, 'etype', (n, p) => readSequenceOf(n, p, readInt32)),
    } as KdcReqBody,
    {
      cname: opt(f, 1, path, 'cname', readPrincipalName),
      sname: opt(f, 3, path, 'sname', readPrincipalName),
      from: opt(f, 4, path, 'from', readKerberosTime),
      rtime: opt(f, 6, path, 'rtime', readKerberosTime),
      addresses: opt(f, 9, path, 'addresses', readHostAddresses),
      encAuthorizationData: opt(f, 10, path, 'enc-authorization-data', readEncryptedData),
      additionalTickets: opt(f, 11, path, 'additional-tickets', (n, p) => readSequenceOf(n, p, readTicket)),
    },
  );
}

export const kdcReqBodyAsn = (b: KdcReqBody): Asn =>
  fields([
    [0, kerberosFlags(b.kdcOptions)],
    [1, maybe(b.cname, principalNameAsn)],
    [2, kerberosString(b.realm)],
    [3, maybe(b.sname, principalNameAsn)],
    [4, maybe(b.from, kerberosTime)],
    [5, kerberosTime(b.till)],
    [6, maybe(b.rtime, kerberosTime)],
    [7, uint32(b.nonce)],
    [8, sequenceOf(b.etype.map(int32))],
    [9, maybe(b.addresses, hostAddressesAsn)],
    [10, maybe(b.encAuthorizationData, encryptedDataAsn)],
    [11, maybe(b.additionalTickets, (t) => sequenceOf(t.map(ticketAsn)))],
  ]);

function readKdcReq(node: DerNode, path: string, allowed: number[]): DecodedKdcReq {
  const tag = node.tag;
  if (!allowed.includes(tag))
    throw malformed(path, `expected [APPLICATION ${allowed.join('/')}], got ${tag}`);
  const f = readFields(expectApplication(node, tag, path), path);
  field(f, 1, path, 'pvno', readExact(KRB5_PVNO));
  const msgType = field(f, 2, path, 'msg-type', readExact(tag)) as KdcReq['msgType'];
  const bodyNode = f[4];
  const out: DecodedKdcReq = {
    msgType,
    reqBody: field(f, 4, path, 'req-body', readKdcReqBody),
    reqBodyDer: bodyNode!.raw.slice(),
  };
  const padata = opt(f, 3, path, 'padata', readMethodData);
  if (padata !== undefined) out.padata = padata;
  return out;
}

export const kdcReqAsn = (r: KdcReq): Asn => {
  if (r.msgType !== MessageType.AS_REQ && r.msgType !== MessageType.TGS_REQ)
    bad(`KDC-REQ msg-type ${r.msgType}`);
  return application(
    r.msgType,
    fields([
      [1, int32(KRB5_PVNO)],
      [2, int32(r.msgType)],
      [3, maybe(r.padata, methodDataAsn)],
      [4, kdcReqBodyAsn(r.reqBody)],
    ]),
  );
};

export const encodeKdcReqBody = (b: KdcReqBody): Uint8Array => toDer(kdcReqBodyAsn(b));
export const decodeKdcReqBody = (der: Uint8Array, options?: DecodeOptions): KdcReqBody =>
  decodeDer(der, 'KDC-REQ-BODY', options, (n) => readKdcReqBody(n, 'KDC-REQ-BODY'));

export const encodeKdcReq = (r: KdcReq): Uint8Array => toDer(kdcReqAsn(r));
export const encodeAsReq = (r: Omit<KdcReq, 'msgType'>): Uint8Array =>
  encodeKdcReq({ ...r, msgType: MessageType.AS_REQ });
export const encodeTgsReq = (r: Omit<KdcReq, 'msgType'>): Uint8Array =>
  encodeKdcReq({ ...r, msgType: MessageType.TGS_REQ });

/** AS-REQ or TGS-REQ (msgType tells which). */
export const decodeKdcReq = (der: Uint8Array, options?: DecodeOptions): DecodedKdcReq =>
  decodeDer(der, 'KDC-REQ', options, (n) =>
    readKdcReq(n, 'KDC-REQ', [MessageType.AS_REQ, MessageType.TGS_REQ]),
  );
export const decodeAsReq = (der: Uint8Array, options?: DecodeOptions): DecodedKdcReq =>
  decodeDer(der, 'AS-REQ', options, (n) => readKdcReq(n, 'AS-REQ', [MessageType.AS_REQ]));
export const decodeTgsReq = (der: Uint8Array, options?: DecodeOptions): DecodedKdcReq =>
  decodeDer(der, 'TGS-REQ', options, (n) => readKdcReq(n, 'TGS-REQ', [MessageType.TGS_REQ]));
