/**
 * KDC replies, RFC 4120 §5.4.2.
 *
 *   AS-REP  ::= [APPLICATION 11] KDC-REP
 *   TGS-REP ::= [APPLICATION 13] KDC-REP
 *   KDC-REP ::= SEQUENCE {
 *     pvno [0] INTEGER (5), msg-type [1] INTEGER (11 -- AS -- | 13 -- TGS --),
 *     padata [2] SEQUENCE OF PA-DATA OPTIONAL, crealm [3] Realm, cname [4] PrincipalName,
 *     ticket [5] Ticket, enc-part [6] EncryptedData -- EncASRepPart or EncTGSRepPart }
 *
 *   EncASRepPart  ::= [APPLICATION 25] EncKDCRepPart
 *   EncTGSRepPart ::= [APPLICATION 26] EncKDCRepPart
 *   EncKDCRepPart ::= SEQUENCE {
 *     key [0] EncryptionKey, last-req [1] LastReq, nonce [2] UInt32,
 *     key-expiration [3] KerberosTime OPTIONAL, flags [4] TicketFlags,
 *     authtime [5] KerberosTime, starttime [6] KerberosTime OPTIONAL, endtime [7] KerberosTime,
 *     renew-till [8] KerberosTime OPTIONAL, srealm [9] Realm, sname [10] PrincipalName,
 *     caddr [11] HostAddresses OPTIONAL,
 *     encrypted-pa-data [12] METHOD-DATA OPTIONAL -- RFC 6806 §11 }
 *
 * RFC 4120 §5.4.2 notes that some implementations use [APPLICATION 26] for the AS reply's
 * encrypted part too; the decoder accepts 25 and 26 for both and reports which it saw.
 */
import { ApplicationTag, KRB5_PVNO, MessageType } from '../constants.ts';
import type { EncryptedData, EncryptionKey, HostAddress, PaData, PrincipalName } from '../types.ts';
import {
  type DecodeOptions,
  type DerNode,
  decodeDer,
  expectApplication,
  field,
  malformed,
  opt,
  readFields,
  withOptional,
} from './asn1.ts';
import {
  hostAddressesAsn,
  type LastReqEntry,
  lastReqAsn,
  methodDataAsn,
  principalNameAsn,
  readHostAddresses,
  readLastReq,
  readMethodData,
  readPrincipalName,
  readRealm,
} from './basic.ts';
import { encryptedDataAsn, encryptionKeyAsn, readEncryptedData, readEncryptionKey } from './crypto-types.ts';
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
  toDer,
  uint32,
} from './der.ts';
import { readExact, readKerberosFlags, readKerberosTime, readUInt32Lenient } from './primitives.ts';
import { readTicket, type Ticket, ticketAsn } from './ticket.ts';

export interface KdcRep {
  msgType: typeof MessageType.AS_REP | typeof MessageType.TGS_REP;
  padata?: PaData[];
  crealm: string;
  cname: PrincipalName;
  ticket: Ticket;
  /** Encrypted EncKDCRepPart (usage 3 for AS, 8 or 9 for TGS). */
  encPart: EncryptedData;
}

export interface EncKdcRepPart {
  key: EncryptionKey;
  lastReq: LastReqEntry[];
  nonce: number;
  keyExpiration?: number;
  /** TicketFlags as a uint32. */
  flags: number;
  authtime: number;
  starttime?: number;
  endtime: number;
  renewTill?: number;
  srealm: string;
  sname: PrincipalName;
  caddr?: HostAddress[];
  encryptedPaData?: PaData[];
}

export interface DecodedEncKdcRepPart extends EncKdcRepPart {
  /** The application tag seen: 25 (EncASRepPart) or 26 (EncTGSRepPart). */
  applicationTag: number;
}

function readKdcRep(node: DerNode, path: string, allowed: number[]): KdcRep {
  const tag = node.tag;
  if (!allowed.includes(tag))
    throw malformed(path, `expected [APPLICATION ${allowed.join('/')}], got ${tag}`);
  const f = readFields(expectApplication(node, tag, path), path);
  field(f, 0, path, 'pvno', readExact(KRB5_PVNO));
  const msgType = field(f, 1, path, 'msg-type', readExact(tag)) as KdcRep['msgType'];
  const out: KdcRep = {
    msgType,
    crealm: field(f, 3, path, 'crealm', readRealm),
    cname: field(f, 4, path, 'cname', readPrincipalName),
    ticket: field(f, 5, path, 'ticket', readTicket),
    encPart: field(f, 6, path, 'enc-part', readEncryptedData),
  };
  const padata = opt(f, 2, path, 'padata', readMethodData);
  if (padata !== undefined) out.padata = padata;
  return out;
}

export const kdcRepAsn = (r: KdcRep): Asn => {
  if (r.msgType !== MessageType.AS_REP && r.msgType !== MessageType.TGS_REP)
    bad(`KDC-REP msg-type ${r.msgType}`);
  return application(
    r.msgType,
    fields([
      [0, int32(KRB5_PVNO)],
      [1, int32(r.msgType)],
      [2, maybe(r.padata, methodDataAsn)],
      [3, kerberosString(r.crealm)],
      [4, principalNameAsn(r.cname)],
      [5, ticketAsn(r.ticket)],
      [6, encryptedDataAsn(r.encPart)],
    ]),
  );
};

export function readEncKdcRepPart(node: DerNode, path: string): DecodedEncKdcRepPart {
  const tag = node.tag;
  if (tag !== ApplicationTag.ENC_AS_REP_PART && tag !== ApplicationTag.ENC_TGS_REP_PART)
    throw malformed(path, `expected [APPLICATION 25/26], got ${tag}`);
  const f = readFields(expectApplication(node, tag, path), path);
  return withOptional(
    {
      key: field(f, 0, path, 'key', readEncryptionKey),
      lastReq: field(f, 1, path, 'last-req', readLastReq),
      nonce: field(f, 2, path, 'nonce', readUInt32Lenient),
      flags: field(f, 4, path, 'flags', readKerberosFlags),
      authtime: field(f, 5, path, 'authtime', readKerberosTime),
      endtime: field(f, 7, path, 'endtime', readKerberosTime),
      srealm: field(f, 9, path, 'srealm', readRealm),
      sname: field(f, 10, path, 'sname', readPrincipalName),
      applicationTag: tag,
    } as DecodedEncKdcRepPart,
    {
      keyExpiration: opt(f, 3, path, 'key-expiration', readKerberosTime),
      starttime: opt(f, 6, path, 'starttime', readKerberosTime),
      renewTill: opt(f, 8, path, 'renew-till', readKerberosTime),
      caddr: opt(f, 11, path, 'caddr', readHostAddresses),
      encryptedPaData: opt(f, 12, path, 'encrypted-pa-data', readMethodData),
    },
  );
}

export const encKdcRepPartAsn = (e: EncKdcRepPart, tag: number): Asn =>
  application(
    tag,
    fields([
      [0, encryptionKeyAsn(e.key)],
      [1, lastReqAsn(e.lastReq)],
      [2, uint32(e.nonce)],
      [3, maybe(e.keyExpiration, kerberosTime)],
      [4, kerberosFlags(e.flags)],
      [5, kerberosTime(e.authtime)],
      [6, maybe(e.starttime, kerberosTime)],
      [7, kerberosTime(e.endtime)],
      [8, maybe(e.renewTill, kerberosTime)],
      [9, kerberosString(e.srealm)],
      [10, principalNameAsn(e.sname)],
      [11, maybe(e.caddr, hostAddressesAsn)],
      [12, maybe(e.encryptedPaData, methodDataAsn)],
    ]),
  );

export const encodeKdcRep = (r: KdcRep): Uint8Array => toDer(kdcRepAsn(r));
export const encodeAsRep = (r: Omit<KdcRep, 'msgType'>): Uint8Array =>
  encodeKdcRep({ ...r, msgType: MessageType.AS_REP });
export const encodeTgsRep = (r: Omit<KdcRep, 'msgType'>): Uint8Array =>
  encodeKdcRep({ ...r, msgType: MessageType.TGS_REP });

export const decodeKdcRep = (der: Uint8Array, options?: DecodeOptions): KdcRep =>
  decodeDer(der, 'KDC-REP', options, (n) =>
    readKdcRep(n, 'KDC-REP', [MessageType.AS_REP, MessageType.TGS_REP]),
  );
export const decodeAsRep = (der: Uint8Array, options?: DecodeOptions): KdcRep =>
  decodeDer(der, 'AS-REP', options, (n) => readKdcRep(n, 'AS-REP', [MessageType.AS_REP]));
export const decodeTgsRep = (der: Uint8Array, options?: DecodeOptions): KdcRep =>
  decodeDer(der, 'TGS-REP', options, (n) => readKdcRep(n, 'TGS-REP', [MessageType.TGS_REP]));

/** EncASRepPart: [APPLICATION 25]. */
export const encodeEncAsRepPart = (e: EncKdcRepPart): Uint8Array =>
  toDer(encKdcRepPartAsn(e, ApplicationTag.ENC_AS_REP_PART));
/** EncTGSRepPart: [APPLICATION 26]. */
export const encodeEncTgsRepPart = (e: EncKdcRepPart): Uint8Array =>
  toDer(encKdcRepPartAsn(e, ApplicationTag.ENC_TGS_REP_PART));
/** EncASRepPart or EncTGSRepPart, whichever tag (25 or 26) the KDC used. */
export const decodeEncKdcRepPart = (der: Uint8Array, options?: DecodeOptions): DecodedEncKdcRepPart =>
  decodeDer(der, 'EncKDCRepPart', options, (n) => readEncKdcRepPart(n, 'EncKDCRepPart'));
