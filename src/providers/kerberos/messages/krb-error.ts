/**
 * KRB-ERROR, RFC 4120 §5.9.1, and the two shapes its e-data takes.
 *
 *   KRB-ERROR ::= [APPLICATION 30] SEQUENCE {
 *     pvno [0] INTEGER (5), msg-type [1] INTEGER (30), ctime [2] KerberosTime OPTIONAL,
 *     cusec [3] Microseconds OPTIONAL, stime [4] KerberosTime, susec [5] Microseconds,
 *     error-code [6] Int32, crealm [7] Realm OPTIONAL, cname [8] PrincipalName OPTIONAL,
 *     realm [9] Realm -- service realm --, sname [10] PrincipalName -- service name --,
 *     e-text [11] KerberosString OPTIONAL, e-data [12] OCTET STRING OPTIONAL }
 *
 *   METHOD-DATA ::= SEQUENCE OF PA-DATA      -- e-data of KDC_ERR_PREAUTH_REQUIRED
 *   TYPED-DATA  ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE {
 *     data-type [0] Int32, data-value [1] OCTET STRING OPTIONAL }
 */
import { ApplicationTag, KRB5_PVNO, MessageType } from '../constants.ts';
import { kerberosErrorName } from '../error-codes.ts';
import type { PrincipalName } from '../types.ts';
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
import { principalNameAsn, readPrincipalName, readRealm } from './basic.ts';
import {
  type Asn,
  application,
  fields,
  int32,
  kerberosString,
  kerberosTime,
  maybe,
  microseconds,
  octets,
  sequenceOf,
  toDer,
} from './der.ts';
import {
  readExact,
  readInt32,
  readKerberosString,
  readKerberosTime,
  readMicroseconds,
  readOctets,
} from './primitives.ts';

export interface KrbError {
  ctime?: number;
  cusec?: number;
  stime: number;
  susec: number;
  errorCode: number;
  crealm?: string;
  cname?: PrincipalName;
  realm: string;
  sname: PrincipalName;
  eText?: string;
  eData?: Uint8Array;
}

export interface TypedDataEntry {
  dataType: number;
  dataValue?: Uint8Array;
}

export function readKrbError(node: DerNode, path: string): KrbError {
  const f = readFields(expectApplication(node, ApplicationTag.KRB_ERROR, path), path);
  field(f, 0, path, 'pvno', readExact(KRB5_PVNO));
  field(f, 1, path, 'msg-type', readExact(MessageType.KRB_ERROR));
  return withOptional(
    {
      stime: field(f, 4, path, 'stime', readKerberosTime),
      susec: field(f, 5, path, 'susec', readMicroseconds),
      errorCode: field(f, 6, path, 'error-code', readInt32),
      realm: field(f, 9, path, 'realm', readRealm),
      sname: field(f, 10, path, 'sname', readPrincipalName),
    } as KrbError,
    {
      ctime: opt(f, 2, path, 'ctime', readKerberosTime),
      cusec: opt(f, 3, path, 'cusec', readMicroseconds),
      crealm: opt(f, 7, path, 'crealm', readRealm),
      cname: opt(f, 8, path, 'cname', readPrincipalName),
      eText: opt(f, 11, path, 'e-text', readKerberosString),
      eData: opt(f, 12, path, 'e-data', readOctets),
    },
  );
}

export const krbErrorAsn = (e: KrbError): Asn =>
  application(
    ApplicationTag.KRB_ERROR,
    fields([
      [0, int32(KRB5_PVNO)],
      [1, int32(MessageType.KRB_ERROR)],
      [2, maybe(e.ctime, kerberosTime)],
      [3, maybe(e.cusec, microseconds)],
      [4, kerberosTime(e.stime)],
      [5, microseconds(e.susec)],
      [6, int32(e.errorCode)],
      [7, maybe(e.crealm, kerberosString)],
      [8, maybe(e.cname, principalNameAsn)],
      [9, kerberosString(e.realm)],
      [10, principalNameAsn(e.sname)],
      [11, maybe(e.eText, kerberosString)],
      [12, maybe(e.eData, octets)],
    ]),
  );

export function readTypedData(node: DerNode, path: string): TypedDataEntry[] {
  const list = readSequenceOf(node, path, (n, p) => {
    const f = readFields(n, p);
    return withOptional({ dataType: field(f, 0, p, 'data-type', readInt32) } as TypedDataEntry, {
      dataValue: opt(f, 1, p, 'data-value', readOctets),
    });
  });
  if (list.length === 0) throw malformed(path, 'TYPED-DATA must not be empty');
  return list;
}

export const typedDataAsn = (list: TypedDataEntry[]): Asn =>
  sequenceOf(
    list.map((t) =>
      fields([
        [0, int32(t.dataType)],
        [1, maybe(t.dataValue, octets)],
      ]),
    ),
  );

export const encodeKrbError = (e: KrbError): Uint8Array => toDer(krbErrorAsn(e));
export const decodeKrbError = (der: Uint8Array, options?: DecodeOptions): KrbError =>
  decodeDer(der, 'KRB-ERROR', options, (n) => readKrbError(n, 'KRB-ERROR'));

export const encodeTypedData = (list: TypedDataEntry[]): Uint8Array => toDer(typedDataAsn(list));
export const decodeTypedData = (der: Uint8Array, options?: DecodeOptions): TypedDataEntry[] =>
  decodeDer(der, 'TYPED-DATA', options, (n) => readTypedData(n, 'TYPED-DATA'));

/** 'KDC_ERR_PREAUTH_REQUIRED (25): <e-text>' for messages and logs. */
export function describeKrbError(e: KrbError): string {
  const text = e.eText ? `: ${e.eText}` : '';
  return `${kerberosErrorName(e.errorCode)} (${e.errorCode})${text}`;
}
