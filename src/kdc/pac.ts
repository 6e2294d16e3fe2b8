/**
 * The PAC the KDC puts in tickets (MS-PAC): LOGON_INFO (KERB_VALIDATION_INFO, user and
 * group SIDs), CLIENT_INFO (name + authtime, which MIT checks against the ticket),
 * UPN_DNS_INFO, and the two signatures.
 *
 * Signing (MS-PAC §2.8): both PAC_SIGNATURE_DATA buffers are first written with zeroed
 * Signature fields; the server signature is the keyed checksum, key usage 17, of the
 * whole PAC with the service's key; the KDC signature is the keyed checksum of the
 * server Signature field with the krbtgt key. The checksum type is the key's enctype's
 * (hmac-sha1-96-aes256 for 18, hmac-sha384-192 for 20, hmac-md5 for 23, ...).
 * In a TGS exchange the TGT's PAC is checked with the krbtgt key and re-signed for the
 * new service (the other buffers are copied as they are), as MIT and Windows KDCs do.
 */
import { gssError } from '../core/errors.ts';
import { constantTimeEqual } from '../core/bytes.ts';
import { AuthDataType, KeyUsage, PacBufferType } from '../providers/kerberos/constants.ts';
import { makeChecksum } from '../providers/kerberos/crypto/checksum.ts';
import { getEnctype } from '../providers/kerberos/crypto/registry.ts';
import {
  encodeAuthorizationData,
  parsePac,
  parsePacSignature,
} from '../providers/kerberos/messages/index.ts';
import type { AuthorizationDataEntry, EncryptionKey } from '../providers/kerberos/types.ts';
import { encodeLogonInfo, type LogonInfo, toFiletime } from './pac-logon-info.ts';
import { encodeSid, parseSid } from './sid.ts';

export interface PacBufferData {
  type: number;
  data: Uint8Array;
}

const utf16le = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) view.setUint16(2 * i, s.charCodeAt(i), true);
  return out;
};

/** PAC_CLIENT_INFO (MS-PAC §2.7): ClientId = authtime as FILETIME, then the UTF-16 name. */
export function encodeClientInfo(authtime: number, name: string): Uint8Array {
  const nameBytes = utf16le(name);
  const out = new Uint8Array(10 + nameBytes.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, toFiletime(authtime), true);
  view.setUint16(8, nameBytes.length, true);
  out.set(nameBytes, 10);
  return out;
}

/** UPN_DNS_INFO (MS-PAC §2.10) with the S flag's SAM name and SID; U: the UPN is implicit. */
export function encodeUpnDnsInfo(upn: string, dnsDomain: string, samName: string, sid: string): Uint8Array {
  const parts = [utf16le(upn), utf16le(dnsDomain), utf16le(samName), encodeSid(parseSid(sid))];
  let offset = 24; // 20 bytes of header, strings 8-aligned
  const offsets: number[] = [];
  for (const p of parts) {
    offsets.push(offset);
    offset = (offset + p.length + 7) & ~7;
  }
  const out = new Uint8Array(offsets[3]! + parts[3]!.length);
  const view = new DataView(out.buffer);
  const header = [0, 4, 12, 16]; // where each part's (length, offset) pair goes
  parts.forEach((p, i) => {
    view.setUint16(header[i]!, p.length, true);
    view.setUint16(header[i]! + 2, offsets[i]!, true);
    out.set(p, offsets[i]!);
  });
  view.setUint32(8, 0x1 | 0x2, true); // U: no explicit UPN; S: SamName and Sid present
  return out;
}

/** The client buffers of a fresh PAC (AS exchange). */
export function clientPacBuffers(
  o: LogonInfo & { authtime: number; clientName: string; upn: string; dnsDomain: string },
): PacBufferData[] {
  return [
    { type: PacBufferType.LOGON_INFO, data: encodeLogonInfo(o) },
    { type: PacBufferType.CLIENT_INFO, data: encodeClientInfo(o.authtime, o.clientName) },
    {
      type: PacBufferType.UPN_DNS_INFO,
      data: encodeUpnDnsInfo(o.upn, o.dnsDomain, o.account, `${o.domainSid}-${o.userRid}`),
    },
  ];
}

const checksumTypeOf = (key: EncryptionKey): number => getEnctype(key.etype, { allowRc4: true }).checksumType;
const checksumLength = (key: EncryptionKey): number => getEnctype(key.etype, { allowRc4: true }).checksumSize;

/** Lays out PACTYPE + buffers (8-aligned), appends the two signature buffers and signs them. */
export function signPac(
  buffers: PacBufferData[],
  serverKey: EncryptionKey,
  kdcKey: EncryptionKey,
): Uint8Array {
  const signatures: PacBufferData[] = [serverKey, kdcKey].map((key, i) => {
    const data = new Uint8Array(4 + checksumLength(key));
    new DataView(data.buffer).setInt32(0, checksumTypeOf(key), true);
    return { type: i === 0 ? PacBufferType.SERVER_CHECKSUM : PacBufferType.PRIVSVR_CHECKSUM, data };
  });
  const all = [...buffers, ...signatures];
  let offset = 8 + 16 * all.length;
  const offsets = all.map((b) => {
    const at = offset;
    offset = (offset + b.data.length + 7) & ~7;
    return at;
  });
  const pac = new Uint8Array(offset);
  const view = new DataView(pac.buffer);
  view.setUint32(0, all.length, true);
  view.setUint32(4, 0, true);
  all.forEach((b, i) => {
    view.setUint32(8 + 16 * i, b.type, true);
    view.setUint32(12 + 16 * i, b.data.length, true);
    view.setBigUint64(16 + 16 * i, BigInt(offsets[i]!), true);
    pac.set(b.data, offsets[i]!);
  });
  const serverAt = offsets[all.length - 2]! + 4;
  const kdcAt = offsets[all.length - 1]! + 4;
  const serverSig = makeChecksum(
    checksumTypeOf(serverKey),
    serverKey,
    KeyUsage.KERB_NON_KERB_CKSUM_SALT,
    pac,
  );
  pac.set(serverSig, serverAt);
  const kdcSig = makeChecksum(checksumTypeOf(kdcKey), kdcKey, KeyUsage.KERB_NON_KERB_CKSUM_SALT, serverSig);
  pac.set(kdcSig, kdcAt);
  return pac;
}

export interface PacVerification {
  server?: boolean;
  kdc?: boolean;
}

/** Checks the server signature with `serverKey` and/or the KDC signature with `kdcKey`. */
export function verifyPacSignatures(
  pacBytes: Uint8Array,
  keys: { serverKey?: EncryptionKey; kdcKey?: EncryptionKey },
): PacVerification {
  const pac = parsePac(pacBytes);
  const find = (type: number) => {
    const found = pac.buffers.filter((b) => b.type === type);
    if (found.length !== 1)
      throw gssError('MALFORMED', `PAC has ${found.length} buffers of type ${type}`, { origin: 'peer' });
    return { buffer: found[0]!, sig: parsePacSignature(found[0]!.data) };
  };
  const server = find(PacBufferType.SERVER_CHECKSUM);
  const kdc = find(PacBufferType.PRIVSVR_CHECKSUM);
  const out: PacVerification = {};
  const check = (key: EncryptionKey, type: number, data: Uint8Array, expected: Uint8Array) => {
    if (type !== checksumTypeOf(key)) return false;
    return constantTimeEqual(makeChecksum(type, key, KeyUsage.KERB_NON_KERB_CKSUM_SALT, data), expected);
  };
  if (keys.serverKey) {
    const zeroed = pacBytes.slice();
    for (const s of [server, kdc])
      zeroed.fill(0, s.buffer.offset + 4, s.buffer.offset + 4 + s.sig.signature.length);
    out.server = check(keys.serverKey, server.sig.signatureType, zeroed, server.sig.signature);
  }
  if (keys.kdcKey)
    out.kdc = check(keys.kdcKey, kdc.sig.signatureType, server.sig.signature, kdc.sig.signature);
  return out;
}

/** The PAC's buffers other than signatures (what a TGS copies into the new ticket). */
export function unsignedPacBuffers(pacBytes: Uint8Array): PacBufferData[] {
  const signatures: number[] = [
    PacBufferType.SERVER_CHECKSUM,
    PacBufferType.PRIVSVR_CHECKSUM,
    PacBufferType.TICKET_CHECKSUM,
    PacBufferType.FULL_PAC_CHECKSUM,
  ];
  return parsePac(pacBytes)
    .buffers.filter((b) => !signatures.includes(b.type))
    .map((b) => ({ type: b.type, data: b.data.slice() }));
}

/** AD-IF-RELEVANT { AD-WIN2K-PAC pac } (MS-PAC §2.1), the ticket's authorization-data. */
export function pacAuthorizationData(pac: Uint8Array): AuthorizationDataEntry[] {
  return [
    {
      adType: AuthDataType.AD_IF_RELEVANT,
      adData: encodeAuthorizationData([{ adType: AuthDataType.AD_WIN2K_PAC, adData: pac }]),
    },
  ];
}
