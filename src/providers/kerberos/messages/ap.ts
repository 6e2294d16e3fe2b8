/**
 * AP exchange messages, RFC 4120 §5.5.1 and §5.5.2.
 *
 *   AP-REQ ::= [APPLICATION 14] SEQUENCE {
 *     pvno [0] INTEGER (5), msg-type [1] INTEGER (14), ap-options [2] APOptions,
 *     ticket [3] Ticket, authenticator [4] EncryptedData -- Authenticator }
 *   APOptions ::= KerberosFlags -- reserved(0), use-session-key(1), mutual-required(2)
 *
 *   AP-REP ::= [APPLICATION 15] SEQUENCE {
 *     pvno [0] INTEGER (5), msg-type [1] INTEGER (15), enc-part [2] EncryptedData -- EncAPRepPart }
 *
 *   EncAPRepPart ::= [APPLICATION 27] SEQUENCE {
 *     ctime [0] KerberosTime, cusec [1] Microseconds,
 *     subkey [2] EncryptionKey OPTIONAL, seq-number [3] UInt32 OPTIONAL }
 */
import { ApplicationTag, KRB5_PVNO, MessageType } from '../constants.ts';
import type { EncryptedData, EncryptionKey } from '../types.ts';
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
import { encryptedDataAsn, encryptionKeyAsn, readEncryptedData, readEncryptionKey } from './crypto-types.ts';
import {
  type Asn,
  application,
  fields,
  int32,
  kerberosFlags,
  kerberosTime,
  maybe,
  microseconds,
  rawDer,
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

export interface ApReq {
  /** APOptions as a uint32 (constants.ts ApOptions). */
  apOptions: number;
  ticket: Ticket;
  /** The encrypted Authenticator (key usage 11, or 7 inside PA-TGS-REQ). */
  authenticator: EncryptedData;
}

/** What `encodeApReq` takes: the ticket decoded, or its DER as received (sent unchanged). */
export interface ApReqInput extends Omit<ApReq, 'ticket'> {
  ticket: Ticket | Uint8Array;
}

export interface ApRep {
  /** The encrypted EncAPRepPart (key usage 12). */
  encPart: EncryptedData;
}

export interface EncApRepPart {
  ctime: number;
  cusec: number;
  subkey?: EncryptionKey;
  seqNumber?: number;
}

export function readApReq(node: DerNode, path: string): ApReq {
  const f = readFields(expectApplication(node, ApplicationTag.AP_REQ, path), path);
  field(f, 0, path, 'pvno', readExact(KRB5_PVNO));
  field(f, 1, path, 'msg-type', readExact(MessageType.AP_REQ));
  return {
    apOptions: field(f, 2, path, 'ap-options', readKerberosFlags),
    ticket: field(f, 3, path, 'ticket', readTicket),
    authenticator: field(f, 4, path, 'authenticator', readEncryptedData),
  };
}

export const apReqAsn = (a: ApReqInput): Asn =>
  application(
    ApplicationTag.AP_REQ,
    fields([
      [0, int32(KRB5_PVNO)],
      [1, int32(MessageType.AP_REQ)],
      [2, kerberosFlags(a.apOptions)],
      [3, a.ticket instanceof Uint8Array ? rawDer(a.ticket) : ticketAsn(a.ticket)],
      [4, encryptedDataAsn(a.authenticator)],
    ]),
  );

export function readApRep(node: DerNode, path: string): ApRep {
  const f = readFields(expectApplication(node, ApplicationTag.AP_REP, path), path);
  field(f, 0, path, 'pvno', readExact(KRB5_PVNO));
  field(f, 1, path, 'msg-type', readExact(MessageType.AP_REP));
  return { encPart: field(f, 2, path, 'enc-part', readEncryptedData) };
}

export const apRepAsn = (a: ApRep): Asn =>
  application(
    ApplicationTag.AP_REP,
    fields([
      [0, int32(KRB5_PVNO)],
      [1, int32(MessageType.AP_REP)],
      [2, encryptedDataAsn(a.encPart)],
    ]),
  );

export function readEncApRepPart(node: DerNode, path: string): EncApRepPart {
  const f = readFields(expectApplication(node, ApplicationTag.ENC_AP_REP_PART, path), path);
  return withOptional(
    {
      ctime: field(f, 0, path, 'ctime', readKerberosTime),
      cusec: field(f, 1, path, 'cusec', readMicroseconds),
    },
    {
      subkey: opt(f, 2, path, 'subkey', readEncryptionKey),
      seqNumber: opt(f, 3, path, 'seq-number', readUInt32Lenient),
    },
  );
}

export const encApRepPartAsn = (e: EncApRepPart): Asn =>
  application(
    ApplicationTag.ENC_AP_REP_PART,
    fields([
      [0, kerberosTime(e.ctime)],
      [1, microseconds(e.cusec)],
      [2, maybe(e.subkey, encryptionKeyAsn)],
      [3, maybe(e.seqNumber, uint32)],
    ]),
  );

export const encodeApReq = (a: ApReqInput): Uint8Array => toDer(apReqAsn(a));
export const decodeApReq = (der: Uint8Array, options?: DecodeOptions): ApReq =>
  decodeDer(der, 'AP-REQ', options, (n) => readApReq(n, 'AP-REQ'));

export const encodeApRep = (a: ApRep): Uint8Array => toDer(apRepAsn(a));
export const decodeApRep = (der: Uint8Array, options?: DecodeOptions): ApRep =>
  decodeDer(der, 'AP-REP', options, (n) => readApRep(n, 'AP-REP'));

export const encodeEncApRepPart = (e: EncApRepPart): Uint8Array => toDer(encApRepPartAsn(e));
export const decodeEncApRepPart = (der: Uint8Array, options?: DecodeOptions): EncApRepPart =>
  decodeDer(der, 'EncAPRepPart', options, (n) => readEncApRepPart(n, 'EncAPRepPart'));
