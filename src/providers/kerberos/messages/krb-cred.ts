/**
 * KRB-CRED, RFC 4120 §5.8 (forwarded tickets: GSS delegation, RFC 4121 §4.1.1.1).
 *
 *   KRB-CRED ::= [APPLICATION 22] SEQUENCE {
 *     pvno [0] INTEGER (5), msg-type [1] INTEGER (22),
 *     tickets [2] SEQUENCE OF Ticket, enc-part [3] EncryptedData -- EncKrbCredPart }
 *
 *   EncKrbCredPart ::= [APPLICATION 29] SEQUENCE {
 *     ticket-info [0] SEQUENCE OF KrbCredInfo, nonce [1] UInt32 OPTIONAL,
 *     timestamp [2] KerberosTime OPTIONAL, usec [3] Microseconds OPTIONAL,
 *     s-address [4] HostAddress OPTIONAL, r-address [5] HostAddress OPTIONAL }
 *
 *   KrbCredInfo ::= SEQUENCE {
 *     key [0] EncryptionKey, prealm [1] Realm OPTIONAL, pname [2] PrincipalName OPTIONAL,
 *     flags [3] TicketFlags OPTIONAL, authtime [4] KerberosTime OPTIONAL,
 *     starttime [5] KerberosTime OPTIONAL, endtime [6] KerberosTime OPTIONAL,
 *     renew-till [7] KerberosTime OPTIONAL, srealm [8] Realm OPTIONAL,
 *     sname [9] PrincipalName OPTIONAL, caddr [10] HostAddresses OPTIONAL }
 *
 * GSS delegation encrypts EncKrbCredPart with the session key (usage 14), or sends it with
 * etype 0 "plaintext" (MIT and Windows both do that inside an encrypted authenticator).
 */
import { ApplicationTag, KRB5_PVNO, MessageType } from '../constants.ts';
import type { EncryptedData, EncryptionKey, HostAddress, PrincipalName } from '../types.ts';
import {
  type DecodeOptions,
  type DerNode,
  decodeDer,
  expectApplication,
  field,
  opt,
  readFields,
  readSequenceOf,
  withOptional,
} from './asn1.ts';
import {
  hostAddressAsn,
  hostAddressesAsn,
  principalNameAsn,
  readHostAddress,
  readHostAddresses,
  readPrincipalName,
  readRealm,
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
  microseconds,
  sequenceOf,
  toDer,
  uint32,
} from './der.ts';
import {
  readExact,
  readKerberosFlags,
  readKerberosTime,
  readMicroseconds,
  readUInt32Lenient,
} from './primitives.ts';
import { readTicket, type Ticket, ticketAsn } from './ticket.ts';

export interface KrbCred {
  tickets: Ticket[];
  encPart: EncryptedData;
}

export interface KrbCredInfo {
  key: EncryptionKey;
  prealm?: string;
  pname?: PrincipalName;
  flags?: number;
  authtime?: number;
  starttime?: number;
  endtime?: number;
  renewTill?: number;
  srealm?: string;
  sname?: PrincipalName;
  caddr?: HostAddress[];
}

export interface EncKrbCredPart {
  ticketInfo: KrbCredInfo[];
  nonce?: number;
  timestamp?: number;
  usec?: number;
  sAddress?: HostAddress;
  rAddress?: HostAddress;
}

export function readKrbCred(node: DerNode, path: string): KrbCred {
  const f = readFields(expectApplication(node, ApplicationTag.KRB_CRED, path), path);
  field(f, 0, path, 'pvno', readExact(KRB5_PVNO));
  field(f, 1, path, 'msg-type', readExact(MessageType.KRB_CRED));
  return {
    tickets: field(f, 2, path, 'tickets', (n, p) => readSequenceOf(n, p, readTicket)),
    encPart: field(f, 3, path, 'enc-part', readEncryptedData),
  };
}

export const krbCredAsn = (c: KrbCred): Asn =>
  application(
    ApplicationTag.KRB_CRED,
    fields([
      [0, int32(KRB5_PVNO)],
      [1, int32(MessageType.KRB_CRED)],
      [2, sequenceOf(c.tickets.map(ticketAsn))],
      [3, encryptedDataAsn(c.encPart)],
    ]),
  );

function readKrbCredInfo(node: DerNode, path: string): KrbCredInfo {
  const f = readFields(node, path);
  return withOptional({ key: field(f, 0, path, 'key', readEncryptionKey) } as KrbCredInfo, {
    prealm: opt(f, 1, path, 'prealm', readRealm),
    pname: opt(f, 2, path, 'pname', readPrincipalName),
    flags: opt(f, 3, path, 'flags', readKerberosFlags),
    authtime: opt(f, 4, path, 'authtime', readKerberosTime),
    starttime: opt(f, 5, path, 'starttime', readKerberosTime),
    endtime: opt(f, 6, path, 'endtime', readKerberosTime),
    renewTill: opt(f, 7, path, 'renew-till', readKerberosTime),
    srealm: opt(f, 8, path, 'srealm', readRealm),
    sname: opt(f, 9, path, 'sname', readPrincipalName),
    caddr: opt(f, 10, path, 'caddr', readHostAddresses),
  });
}

const krbCredInfoAsn = (i: KrbCredInfo): Asn =>
  fields([
    [0, encryptionKeyAsn(i.key)],
    [1, maybe(i.prealm, kerberosString)],
    [2, maybe(i.pname, principalNameAsn)],
    [3, maybe(i.flags, kerberosFlags)],
    [4, maybe(i.authtime, kerberosTime)],
    [5, maybe(i.starttime, kerberosTime)],
    [6, maybe(i.endtime, kerberosTime)],
    [7, maybe(i.renewTill, kerberosTime)],
    [8, maybe(i.srealm, kerberosString)],
    [9, maybe(i.sname, principalNameAsn)],
    [10, maybe(i.caddr, hostAddressesAsn)],
  ]);

export function readEncKrbCredPart(node: DerNode, path: string): EncKrbCredPart {
  const f = readFields(expectApplication(node, ApplicationTag.ENC_KRB_CRED_PART, path), path);
  return withOptional(
    { ticketInfo: field(f, 0, path, 'ticket-info', (n, p) => readSequenceOf(n, p, readKrbCredInfo)) },
    {
      nonce: opt(f, 1, path, 'nonce', readUInt32Lenient),
      timestamp: opt(f, 2, path, 'timestamp', readKerberosTime),
      usec: opt(f, 3, path, 'usec', readMicroseconds),
      sAddress: opt(f, 4, path, 's-address', readHostAddress),
      rAddress: opt(f, 5, path, 'r-address', readHostAddress),
    },
  );
}

export const encKrbCredPartAsn = (e: EncKrbCredPart): Asn =>
  application(
    ApplicationTag.ENC_KRB_CRED_PART,
    fields([
      [0, sequenceOf(e.ticketInfo.map(krbCredInfoAsn))],
      [1, maybe(e.nonce, uint32)],
      [2, maybe(e.timestamp, kerberosTime)],
      [3, maybe(e.usec, microseconds)],
      [4, maybe(e.sAddress, hostAddressAsn)],
      [5, maybe(e.rAddress, hostAddressAsn)],
    ]),
  );

export const encodeKrbCred = (c: KrbCred): Uint8Array => toDer(krbCredAsn(c));
export const decodeKrbCred = (der: Uint8Array, options?: DecodeOptions): KrbCred =>
  decodeDer(der, 'KRB-CRED', options, (n) => readKrbCred(n, 'KRB-CRED'));

export const encodeEncKrbCredPart = (e: EncKrbCredPart): Uint8Array => toDer(encKrbCredPartAsn(e));
export const decodeEncKrbCredPart = (der: Uint8Array, options?: DecodeOptions): EncKrbCredPart =>
  decodeDer(der, 'EncKrbCredPart', options, (n) => readEncKrbCredPart(n, 'EncKrbCredPart'));
