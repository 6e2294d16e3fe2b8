/**
 * Ticket and its encrypted part, RFC 4120 §5.3.
 *
 *   Ticket ::= [APPLICATION 1] SEQUENCE {
 *     tkt-vno [0] INTEGER (5), realm [1] Realm, sname [2] PrincipalName, enc-part [3] EncryptedData }
 *
 *   EncTicketPart ::= [APPLICATION 3] SEQUENCE {
 *     flags [0] TicketFlags, key [1] EncryptionKey, crealm [2] Realm, cname [3] PrincipalName,
 *     transited [4] TransitedEncoding, authtime [5] KerberosTime, starttime [6] KerberosTime OPTIONAL,
 *     endtime [7] KerberosTime, renew-till [8] KerberosTime OPTIONAL,
 *     caddr [9] HostAddresses OPTIONAL, authorization-data [10] AuthorizationData OPTIONAL }
 */
import { ApplicationTag, KRB5_PVNO } from '../constants.ts';
import type {
  AuthorizationDataEntry,
  EncryptedData,
  EncryptionKey,
  HostAddress,
  PrincipalName,
} from '../types.ts';
import {
  type DecodeOptions,
  type DerNode,
  decodeDer,
  expectApplication,
  field,
  opt,
  readFields,
  withOptional,
} from './asn1.ts';
import {
  authorizationDataAsn,
  hostAddressesAsn,
  principalNameAsn,
  readAuthorizationData,
  readHostAddresses,
  readPrincipalName,
  readRealm,
  readTransited,
  type TransitedEncoding,
  transitedAsn,
} from './basic.ts';
import { encryptedDataAsn, encryptionKeyAsn, readEncryptedData, readEncryptionKey } from './crypto-types.ts';
import {
  type Asn,
  application,
  fields,
  int32,
  kerberosFlags,
  kerberosString,
  kerberosTime,
  maybe,
  toDer,
} from './der.ts';
import { readExact, readKerberosFlags, readKerberosTime } from './primitives.ts';

export interface Ticket {
  realm: string;
  sname: PrincipalName;
  encPart: EncryptedData;
}

export interface EncTicketPart {
  /** TicketFlags as a uint32 (constants.ts TicketFlags). */
  flags: number;
  key: EncryptionKey;
  crealm: string;
  cname: PrincipalName;
  transited: TransitedEncoding;
  authtime: number;
  starttime?: number;
  endtime: number;
  renewTill?: number;
  caddr?: HostAddress[];
  authorizationData?: AuthorizationDataEntry[];
}

export function readTicket(node: DerNode, path: string): Ticket {
  const f = readFields(expectApplication(node, ApplicationTag.TICKET, path), path);
  field(f, 0, path, 'tkt-vno', readExact(KRB5_PVNO));
  return {
    realm: field(f, 1, path, 'realm', readRealm),
    sname: field(f, 2, path, 'sname', readPrincipalName),
    encPart: field(f, 3, path, 'enc-part', readEncryptedData),
  };
}

export const ticketAsn = (t: Ticket): Asn =>
  application(
    ApplicationTag.TICKET,
    fields([
      [0, int32(KRB5_PVNO)],
      [1, kerberosString(t.realm)],
      [2, principalNameAsn(t.sname)],
      [3, encryptedDataAsn(t.encPart)],
    ]),
  );

export function readEncTicketPart(node: DerNode, path: string): EncTicketPart {
  const f = readFields(expectApplication(node, ApplicationTag.ENC_TICKET_PART, path), path);
  return withOptional(
    {
      flags: field(f, 0, path, 'flags', readKerberosFlags),
      key: field(f, 1, path, 'key', readEncryptionKey),
      crealm: field(f, 2, path, 'crealm', readRealm),
      cname: field(f, 3, path, 'cname', readPrincipalName),
      transited: field(f, 4, path, 'transited', readTransited),
      authtime: field(f, 5, path, 'authtime', readKerberosTime),
      endtime: field(f, 7, path, 'endtime', readKerberosTime),
    } as EncTicketPart,
    {
      starttime: opt(f, 6, path, 'starttime', readKerberosTime),
      renewTill: opt(f, 8, path, 'renew-till', readKerberosTime),
      caddr: opt(f, 9, path, 'caddr', readHostAddresses),
      authorizationData: opt(f, 10, path, 'authorization-data', readAuthorizationData),
    },
  );
}

export const encTicketPartAsn = (e: EncTicketPart): Asn =>
  application(
    ApplicationTag.ENC_TICKET_PART,
    fields([
      [0, kerberosFlags(e.flags)],
      [1, encryptionKeyAsn(e.key)],
      [2, kerberosString(e.crealm)],
      [3, principalNameAsn(e.cname)],
      [4, transitedAsn(e.transited)],
      [5, kerberosTime(e.authtime)],
      [6, maybe(e.starttime, kerberosTime)],
      [7, kerberosTime(e.endtime)],
      [8, maybe(e.renewTill, kerberosTime)],
      [9, maybe(e.caddr, hostAddressesAsn)],
      [10, maybe(e.authorizationData, authorizationDataAsn)],
    ]),
  );

export const encodeTicket = (t: Ticket): Uint8Array => toDer(ticketAsn(t));
export const decodeTicket = (der: Uint8Array, options?: DecodeOptions): Ticket =>
  decodeDer(der, 'Ticket', options, (n) => readTicket(n, 'Ticket'));

export const encodeEncTicketPart = (e: EncTicketPart): Uint8Array => toDer(encTicketPartAsn(e));
export const decodeEncTicketPart = (der: Uint8Array, options?: DecodeOptions): EncTicketPart =>
  decodeDer(der, 'EncTicketPart', options, (n) => readEncTicketPart(n, 'EncTicketPart'));
