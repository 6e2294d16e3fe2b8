/**
 * The RFC 4120 §5.2 building blocks shared by every message.
 *
 *   PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString }
 *   Realm ::= KerberosString
 *   HostAddress ::= SEQUENCE { addr-type [0] Int32, address [1] OCTET STRING }
 *   HostAddresses ::= SEQUENCE OF HostAddress
 *   AuthorizationData ::= SEQUENCE OF SEQUENCE { ad-type [0] Int32, ad-data [1] OCTET STRING }
 *   PA-DATA ::= SEQUENCE { padata-type [1] Int32, padata-value [2] OCTET STRING }
 *   METHOD-DATA ::= SEQUENCE OF PA-DATA
 *   LastReq ::= SEQUENCE OF SEQUENCE { lr-type [0] Int32, lr-value [1] KerberosTime }
 *   TransitedEncoding ::= SEQUENCE { tr-type [0] Int32, contents [1] OCTET STRING }
 */
import type { AuthorizationDataEntry, HostAddress, PaData, PrincipalName } from '../types.ts';
import { type DecodeOptions, type DerNode, decodeDer, field, readFields, readSequenceOf } from './asn1.ts';
import { type Asn, fields, int32, kerberosString, kerberosTime, octets, sequenceOf, toDer } from './der.ts';
import { readInt32, readKerberosString, readKerberosTime, readOctets } from './primitives.ts';

export interface LastReqEntry {
  lrType: number;
  lrValue: number;
}

export interface TransitedEncoding {
  trType: number;
  contents: Uint8Array;
}

export function readPrincipalName(node: DerNode, path: string): PrincipalName {
  const f = readFields(node, path);
  return {
    nameType: field(f, 0, path, 'name-type', readInt32),
    nameString: field(f, 1, path, 'name-string', (n, p) => readSequenceOf(n, p, readKerberosString)),
  };
}

export const principalNameAsn = (p: PrincipalName): Asn =>
  fields([
    [0, int32(p.nameType)],
    [1, sequenceOf(p.nameString.map(kerberosString))],
  ]);

export const readRealm = readKerberosString;

export function readHostAddress(node: DerNode, path: string): HostAddress {
  const f = readFields(node, path);
  return {
    addrType: field(f, 0, path, 'addr-type', readInt32),
    address: field(f, 1, path, 'address', readOctets),
  };
}

export const hostAddressAsn = (a: HostAddress): Asn =>
  fields([
    [0, int32(a.addrType)],
    [1, octets(a.address)],
  ]);

export const readHostAddresses = (node: DerNode, path: string): HostAddress[] =>
  readSequenceOf(node, path, readHostAddress);
export const hostAddressesAsn = (list: HostAddress[]): Asn => sequenceOf(list.map(hostAddressAsn));

export function readAuthorizationData(node: DerNode, path: string): AuthorizationDataEntry[] {
  return readSequenceOf(node, path, (n, p) => {
    const f = readFields(n, p);
    return { adType: field(f, 0, p, 'ad-type', readInt32), adData: field(f, 1, p, 'ad-data', readOctets) };
  });
}

export const authorizationDataAsn = (list: AuthorizationDataEntry[]): Asn =>
  sequenceOf(
    list.map((e) =>
      fields([
        [0, int32(e.adType)],
        [1, octets(e.adData)],
      ]),
    ),
  );

export function readPaData(node: DerNode, path: string): PaData {
  const f = readFields(node, path);
  return {
    padataType: field(f, 1, path, 'padata-type', readInt32),
    padataValue: field(f, 2, path, 'padata-value', readOctets),
  };
}

export const paDataAsn = (p: PaData): Asn =>
  fields([
    [1, int32(p.padataType)],
    [2, octets(p.padataValue)],
  ]);

export const readMethodData = (node: DerNode, path: string): PaData[] =>
  readSequenceOf(node, path, readPaData);
export const methodDataAsn = (list: PaData[]): Asn => sequenceOf(list.map(paDataAsn));

export function readLastReq(node: DerNode, path: string): LastReqEntry[] {
  return readSequenceOf(node, path, (n, p) => {
    const f = readFields(n, p);
    return {
      lrType: field(f, 0, p, 'lr-type', readInt32),
      lrValue: field(f, 1, p, 'lr-value', readKerberosTime),
    };
  });
}

export const lastReqAsn = (list: LastReqEntry[]): Asn =>
  sequenceOf(
    list.map((e) =>
      fields([
        [0, int32(e.lrType)],
        [1, kerberosTime(e.lrValue)],
      ]),
    ),
  );

export function readTransited(node: DerNode, path: string): TransitedEncoding {
  const f = readFields(node, path);
  return {
    trType: field(f, 0, path, 'tr-type', readInt32),
    contents: field(f, 1, path, 'contents', readOctets),
  };
}

export const transitedAsn = (t: TransitedEncoding): Asn =>
  fields([
    [0, int32(t.trType)],
    [1, octets(t.contents)],
  ]);

// Byte-level entry points for the types other code handles on their own.

export const encodePrincipalName = (p: PrincipalName): Uint8Array => toDer(principalNameAsn(p));
export const decodePrincipalName = (der: Uint8Array, options?: DecodeOptions): PrincipalName =>
  decodeDer(der, 'PrincipalName', options, (n) => readPrincipalName(n, 'PrincipalName'));

/** AuthorizationData, also the body of AD-IF-RELEVANT (RFC 4120 §5.2.6.1). */
export const encodeAuthorizationData = (list: AuthorizationDataEntry[]): Uint8Array =>
  toDer(authorizationDataAsn(list));
export const decodeAuthorizationData = (der: Uint8Array, options?: DecodeOptions): AuthorizationDataEntry[] =>
  decodeDer(der, 'AuthorizationData', options, (n) => readAuthorizationData(n, 'AuthorizationData'));

/** METHOD-DATA (the e-data of KDC_ERR_PREAUTH_REQUIRED, RFC 4120 §5.9.1). */
export const encodeMethodData = (list: PaData[]): Uint8Array => toDer(methodDataAsn(list));
export const decodeMethodData = (der: Uint8Array, options?: DecodeOptions): PaData[] =>
  decodeDer(der, 'METHOD-DATA', options, (n) => readMethodData(n, 'METHOD-DATA'));

export const encodeHostAddresses = (list: HostAddress[]): Uint8Array => toDer(hostAddressesAsn(list));
export const decodeHostAddresses = (der: Uint8Array, options?: DecodeOptions): HostAddress[] =>
  decodeDer(der, 'HostAddresses', options, (n) => readHostAddresses(n, 'HostAddresses'));
