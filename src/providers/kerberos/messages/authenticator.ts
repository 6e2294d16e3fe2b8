/**
 * Authenticator, RFC 4120 §5.5.1 (the encrypted part of an AP-REQ's authenticator field).
 *
 *   Authenticator ::= [APPLICATION 2] SEQUENCE {
 *     authenticator-vno [0] INTEGER (5), crealm [1] Realm, cname [2] PrincipalName,
 *     cksum [3] Checksum OPTIONAL, cusec [4] Microseconds, ctime [5] KerberosTime,
 *     subkey [6] EncryptionKey OPTIONAL, seq-number [7] UInt32 OPTIONAL,
 *     authorization-data [8] AuthorizationData OPTIONAL }
 *
 * ctime is carried in ms (a multiple of 1000 after decoding) and cusec separately, so the
 * replay key (ctime, cusec) survives exactly.
 */
import { ApplicationTag, KRB5_PVNO } from '../constants.ts';
import type { AuthorizationDataEntry, EncryptionKey, PrincipalName } from '../types.ts';
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
  principalNameAsn,
  readAuthorizationData,
  readPrincipalName,
  readRealm,
} from './basic.ts';
import {
  type Checksum,
  checksumAsn,
  encryptionKeyAsn,
  readChecksum,
  readEncryptionKey,
} from './crypto-types.ts';
import {
  type Asn,
  application,
  fields,
  int32,
  kerberosString,
  kerberosTime,
  maybe,
  microseconds,
  toDer,
  uint32,
} from './der.ts';
import { readExact, readKerberosTime, readMicroseconds, readUInt32Lenient } from './primitives.ts';

export interface Authenticator {
  crealm: string;
  cname: PrincipalName;
  cksum?: Checksum;
  cusec: number;
  ctime: number;
  subkey?: EncryptionKey;
  seqNumber?: number;
  authorizationData?: AuthorizationDataEntry[];
}

export function readAuthenticator(node: DerNode, path: string): Authenticator {
  const f = readFields(expectApplication(node, ApplicationTag.AUTHENTICATOR, path), path);
  field(f, 0, path, 'authenticator-vno', readExact(KRB5_PVNO));
  return withOptional(
    {
      crealm: field(f, 1, path, 'crealm', readRealm),
      cname: field(f, 2, path, 'cname', readPrincipalName),
      cusec: field(f, 4, path, 'cusec', readMicroseconds),
      ctime: field(f, 5, path, 'ctime', readKerberosTime),
    } as Authenticator,
    {
      cksum: opt(f, 3, path, 'cksum', readChecksum),
      subkey: opt(f, 6, path, 'subkey', readEncryptionKey),
      seqNumber: opt(f, 7, path, 'seq-number', readUInt32Lenient),
      authorizationData: opt(f, 8, path, 'authorization-data', readAuthorizationData),
    },
  );
}

export const authenticatorAsn = (a: Authenticator): Asn =>
  application(
    ApplicationTag.AUTHENTICATOR,
    fields([
      [0, int32(KRB5_PVNO)],
      [1, kerberosString(a.crealm)],
      [2, principalNameAsn(a.cname)],
      [3, maybe(a.cksum, checksumAsn)],
      [4, microseconds(a.cusec)],
      [5, kerberosTime(a.ctime)],
      [6, maybe(a.subkey, encryptionKeyAsn)],
      [7, maybe(a.seqNumber, uint32)],
      [8, maybe(a.authorizationData, authorizationDataAsn)],
    ]),
  );

export const encodeAuthenticator = (a: Authenticator): Uint8Array => toDer(authenticatorAsn(a));
export const decodeAuthenticator = (der: Uint8Array, options?: DecodeOptions): Authenticator =>
  decodeDer(der, 'Authenticator', options, (n) => readAuthenticator(n, 'Authenticator'));
