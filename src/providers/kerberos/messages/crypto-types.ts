/**
 * The three RFC 4120 §5.2.9 crypto containers.
 *
 *   EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING }
 *   EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING }
 *   Checksum      ::= SEQUENCE { cksumtype [0] Int32, checksum [1] OCTET STRING }
 */
import type { EncryptedData, EncryptionKey } from '../types.ts';
import { type DecodeOptions, type DerNode, decodeDer, field, opt, readFields } from './asn1.ts';
import { type Asn, fields, int32, maybe, octets, toDer, uint32 } from './der.ts';
import { readInt32, readOctets, readOctetsView, readUInt32 } from './primitives.ts';

export interface Checksum {
  cksumtype: number;
  checksum: Uint8Array;
}

export function readEncryptedData(node: DerNode, path: string): EncryptedData {
  const f = readFields(node, path);
  const out: EncryptedData = {
    etype: field(f, 0, path, 'etype', readInt32),
    cipher: field(f, 2, path, 'cipher', readOctetsView),
  };
  const kvno = opt(f, 1, path, 'kvno', (n, p) => readUInt32(n, p));
  if (kvno !== undefined) out.kvno = kvno;
  return out;
}

export const encryptedDataAsn = (e: EncryptedData): Asn =>
  fields([
    [0, int32(e.etype)],
    [1, maybe(e.kvno, uint32)],
    [2, octets(e.cipher)],
  ]);

export function readEncryptionKey(node: DerNode, path: string): EncryptionKey {
  const f = readFields(node, path);
  return { etype: field(f, 0, path, 'keytype', readInt32), value: field(f, 1, path, 'keyvalue', readOctets) };
}

export const encryptionKeyAsn = (k: EncryptionKey): Asn =>
  fields([
    [0, int32(k.etype)],
    [1, octets(k.value)],
  ]);

export function readChecksum(node: DerNode, path: string): Checksum {
  const f = readFields(node, path);
  return {
    cksumtype: field(f, 0, path, 'cksumtype', readInt32),
    checksum: field(f, 1, path, 'checksum', readOctets),
  };
}

export const checksumAsn = (c: Checksum): Asn =>
  fields([
    [0, int32(c.cksumtype)],
    [1, octets(c.checksum)],
  ]);

export const encodeEncryptedData = (e: EncryptedData): Uint8Array => toDer(encryptedDataAsn(e));
export const decodeEncryptedData = (der: Uint8Array, options?: DecodeOptions): EncryptedData =>
  decodeDer(der, 'EncryptedData', options, (n) => readEncryptedData(n, 'EncryptedData'));

export const encodeEncryptionKey = (k: EncryptionKey): Uint8Array => toDer(encryptionKeyAsn(k));
export const decodeEncryptionKey = (der: Uint8Array, options?: DecodeOptions): EncryptionKey =>
  decodeDer(der, 'EncryptionKey', options, (n) => readEncryptionKey(n, 'EncryptionKey'));

export const encodeChecksum = (c: Checksum): Uint8Array => toDer(checksumAsn(c));
export const decodeChecksum = (der: Uint8Array, options?: DecodeOptions): Checksum =>
  decodeDer(der, 'Checksum', options, (n) => readChecksum(n, 'Checksum'));
