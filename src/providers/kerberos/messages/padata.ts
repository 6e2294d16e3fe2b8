/**
 * The PA-DATA values a client sends or reads (RFC 4120 §5.2.7, MS-KILE §2.2.3).
 *
 *   PA-ENC-TIMESTAMP ::= EncryptedData -- PA-ENC-TS-ENC, key usage 1
 *   PA-ENC-TS-ENC ::= SEQUENCE { patimestamp [0] KerberosTime, pausec [1] Microseconds OPTIONAL }
 *   ETYPE-INFO-ENTRY ::= SEQUENCE { etype [0] Int32, salt [1] OCTET STRING OPTIONAL }
 *   ETYPE-INFO ::= SEQUENCE OF ETYPE-INFO-ENTRY
 *   ETYPE-INFO2-ENTRY ::= SEQUENCE {
 *     etype [0] Int32, salt [1] KerberosString OPTIONAL, s2kparams [2] OCTET STRING OPTIONAL }
 *   ETYPE-INFO2 ::= SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY
 *   KERB-PA-PAC-REQUEST ::= SEQUENCE { include-pac [0] BOOLEAN }   -- MS-KILE §2.2.3
 *   PA-TGS-REQ: padata-value is the DER of an AP-REQ (RFC 4120 §5.4.1).
 */
import { PaDataType } from '../constants.ts';
import type { PaData } from '../types.ts';
import {
  type DecodeOptions,
  type DerNode,
  decodeDer,
  field,
  malformed,
  opt,
  readFields,
  readSequenceOf,
  withOptional,
} from './asn1.ts';
import {
  boolean,
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
  readBoolean,
  readInt32,
  readKerberosString,
  readKerberosTime,
  readMicroseconds,
  readOctets,
} from './primitives.ts';

export interface PaEncTsEnc {
  patimestamp: number;
  pausec?: number;
}

export interface EtypeInfo2Entry {
  etype: number;
  salt?: string;
  s2kparams?: Uint8Array;
}

export interface EtypeInfoEntry {
  etype: number;
  /** ETYPE-INFO salts are raw octets (RFC 4120 §5.2.7.4). */
  salt?: Uint8Array;
}

export function readPaEncTsEnc(node: DerNode, path: string): PaEncTsEnc {
  const f = readFields(node, path);
  return withOptional({ patimestamp: field(f, 0, path, 'patimestamp', readKerberosTime) } as PaEncTsEnc, {
    pausec: opt(f, 1, path, 'pausec', readMicroseconds),
  });
}

export const encodePaEncTsEnc = (p: PaEncTsEnc): Uint8Array =>
  toDer(
    fields([
      [0, kerberosTime(p.patimestamp)],
      [1, maybe(p.pausec, microseconds)],
    ]),
  );
export const decodePaEncTsEnc = (der: Uint8Array, options?: DecodeOptions): PaEncTsEnc =>
  decodeDer(der, 'PA-ENC-TS-ENC', options, (n) => readPaEncTsEnc(n, 'PA-ENC-TS-ENC'));

export function readEtypeInfo2(node: DerNode, path: string): EtypeInfo2Entry[] {
  const list = readSequenceOf(node, path, (n, p) => {
    const f = readFields(n, p);
    return withOptional({ etype: field(f, 0, p, 'etype', readInt32) } as EtypeInfo2Entry, {
      salt: opt(f, 1, p, 'salt', readKerberosString),
      s2kparams: opt(f, 2, p, 's2kparams', readOctets),
    });
  });
  if (list.length === 0) throw malformed(path, 'ETYPE-INFO2 must not be empty');
  return list;
}

export const encodeEtypeInfo2 = (list: EtypeInfo2Entry[]): Uint8Array =>
  toDer(
    sequenceOf(
      list.map((e) =>
        fields([
          [0, int32(e.etype)],
          [1, maybe(e.salt, kerberosString)],
          [2, maybe(e.s2kparams, octets)],
        ]),
      ),
    ),
  );
export const decodeEtypeInfo2 = (der: Uint8Array, options?: DecodeOptions): EtypeInfo2Entry[] =>
  decodeDer(der, 'ETYPE-INFO2', options, (n) => readEtypeInfo2(n, 'ETYPE-INFO2'));

export function readEtypeInfo(node: DerNode, path: string): EtypeInfoEntry[] {
  return readSequenceOf(node, path, (n, p) => {
    const f = readFields(n, p);
    return withOptional({ etype: field(f, 0, p, 'etype', readInt32) } as EtypeInfoEntry, {
      salt: opt(f, 1, p, 'salt', readOctets),
    });
  });
}

export const encodeEtypeInfo = (list: EtypeInfoEntry[]): Uint8Array =>
  toDer(
    sequenceOf(
      list.map((e) =>
        fields([
          [0, int32(e.etype)],
          [1, maybe(e.salt, octets)],
        ]),
      ),
    ),
  );
export const decodeEtypeInfo = (der: Uint8Array, options?: DecodeOptions): EtypeInfoEntry[] =>
  decodeDer(der, 'ETYPE-INFO', options, (n) => readEtypeInfo(n, 'ETYPE-INFO'));

export const encodePaPacRequest = (includePac: boolean): Uint8Array =>
  toDer(fields([[0, boolean(includePac)]]));
export const decodePaPacRequest = (der: Uint8Array, options?: DecodeOptions): boolean =>
  decodeDer(der, 'KERB-PA-PAC-REQUEST', options, (n) => {
    const f = readFields(n, 'KERB-PA-PAC-REQUEST');
    return field(f, 0, 'KERB-PA-PAC-REQUEST', 'include-pac', readBoolean);
  });

/** PA-DATA entries ready to put in a request. */
export const paPacRequest = (includePac: boolean): PaData => ({
  padataType: PaDataType.PA_PAC_REQUEST,
  padataValue: encodePaPacRequest(includePac),
});
export const paTgsReq = (apReqDer: Uint8Array): PaData => ({
  padataType: PaDataType.PA_TGS_REQ,
  padataValue: apReqDer,
});
/** `encTimestamp` is the DER of the EncryptedData of an encrypted PA-ENC-TS-ENC (usage 1). */
export const paEncTimestamp = (encTimestamp: Uint8Array): PaData => ({
  padataType: PaDataType.PA_ENC_TIMESTAMP,
  padataValue: encTimestamp,
});

/** The first PA-DATA of a type in a list, if any. */
export const findPaData = (list: readonly PaData[] | undefined, type: number): PaData | undefined =>
  list?.find((p) => p.padataType === type);
