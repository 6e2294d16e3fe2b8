/**
 * The Windows PAC container (MS-PAC §2.3, §2.4, §2.7, §2.8): little-endian binary, not DER.
 * It travels in authorization data as AD-IF-RELEVANT { AD-WIN2K-PAC (128) } (MS-PAC §2.1).
 * We expose the buffer list (with offsets/sizes checked), the signature buffers and the
 * client info; the NDR-encoded logon info stays opaque bytes.
 *
 *   PACTYPE         { ULONG cBuffers; ULONG Version (0); PAC_INFO_BUFFER Buffers[cBuffers] }
 *   PAC_INFO_BUFFER { ULONG ulType; ULONG cbBufferSize; ULONG64 Offset (multiple of 8) }
 *   PAC_SIGNATURE_DATA { ULONG SignatureType; UCHAR Signature[n]; USHORT RODCIdentifier (opt) }
 *   PAC_CLIENT_INFO { FILETIME ClientId; USHORT NameLength; WCHAR Name[NameLength/2] }
 */
import { gssError } from '../../../core/errors.ts';
import { AuthDataType, PacBufferType } from '../constants.ts';
import type { AuthorizationDataEntry } from '../types.ts';
import { decodeGuard } from './asn1.ts';
import { decodeAuthorizationData } from './basic.ts';

export interface PacBuffer {
  type: number;
  offset: number;
  size: number;
  /** A view into the PAC bytes. */
  data: Uint8Array;
}

export interface Pac {
  version: number;
  buffers: PacBuffer[];
  /** The whole PAC as given (signatures cover it with the signature fields zeroed). */
  bytes: Uint8Array;
}

export interface PacSignature {
  signatureType: number;
  signature: Uint8Array;
  rodcIdentifier?: number;
}

export interface PacClientInfo {
  /** ClientId FILETIME converted to ms since the Unix epoch (the ticket's authtime). */
  clientId: number;
  name: string;
}

/** Upper bound on buffers: real PACs carry under 20. */
export const MAX_PAC_BUFFERS = 256;

/** Signature lengths by checksum type, MS-PAC §2.8. */
const SIGNATURE_LENGTHS = new Map<number, number>([
  [-138, 16], // KERB_CHECKSUM_HMAC_MD5
  [15, 12], // HMAC_SHA1_96_AES128
  [16, 12], // HMAC_SHA1_96_AES256
  [19, 16], // hmac-sha256-128-aes128 (RFC 8009)
  [20, 24], // hmac-sha384-192-aes256 (RFC 8009)
]);

const bad = (path: string, message: string) =>
  gssError('MALFORMED', `${path}: ${message}`, { origin: 'peer', details: { path } });

export function parsePac(bytes: Uint8Array): Pac {
  return decodeGuard('PAC', () => {
    if (bytes.length < 8) throw bad('PAC', 'shorter than the PACTYPE header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = view.getUint32(0, true);
    const version = view.getUint32(4, true);
    if (version !== 0) throw bad('PAC.Version', `expected 0, got ${version}`);
    if (count > MAX_PAC_BUFFERS) throw bad('PAC.cBuffers', `${count} buffers exceed ${MAX_PAC_BUFFERS}`);
    const headerEnd = 8 + count * 16;
    if (headerEnd > bytes.length) throw bad('PAC.Buffers', 'buffer table runs past the end');
    const buffers: PacBuffer[] = [];
    for (let i = 0; i < count; i++) {
      const at = 8 + i * 16;
      const type = view.getUint32(at, true);
      const size = view.getUint32(at + 4, true);
      const offsetHigh = view.getUint32(at + 12, true);
      const offset = view.getUint32(at + 8, true);
      const path = `PAC.Buffers[${i}]`;
      if (offsetHigh !== 0) throw bad(path, 'offset beyond 4 GiB');
      if (offset % 8 !== 0) throw bad(path, `offset ${offset} is not a multiple of 8`);
      if (offset < headerEnd) throw bad(path, 'offset points into the header');
      if (offset + size > bytes.length) throw bad(path, 'buffer runs past the end');
      buffers.push({ type, offset, size, data: bytes.subarray(offset, offset + size) });
    }
    return { version, buffers, bytes };
  });
}

export function parsePacSignature(data: Uint8Array): PacSignature {
  return decodeGuard('PAC_SIGNATURE_DATA', () => {
    if (data.length < 4) throw bad('PAC_SIGNATURE_DATA', 'too short');
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const signatureType = view.getInt32(0, true);
    const known = SIGNATURE_LENGTHS.get(signatureType);
    const length = known ?? data.length - 4;
    if (4 + length > data.length) throw bad('PAC_SIGNATURE_DATA.Signature', 'shorter than its type requires');
    const out: PacSignature = { signatureType, signature: data.slice(4, 4 + length) };
    if (known !== undefined && data.length >= 4 + length + 2)
      out.rodcIdentifier = view.getUint16(4 + length, true);
    return out;
  });
}

/** FILETIME (100 ns since 1601-01-01) to ms since 1970-01-01. */
const FILETIME_EPOCH_DIFF_MS = 11644473600000;

export function parsePacClientInfo(data: Uint8Array): PacClientInfo {
  return decodeGuard('PAC_CLIENT_INFO', () => {
    if (data.length < 10) throw bad('PAC_CLIENT_INFO', 'too short');
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const low = view.getUint32(0, true);
    const high = view.getUint32(4, true);
    const clientId = Math.floor((high * 2 ** 32 + low) / 10000) - FILETIME_EPOCH_DIFF_MS;
    const nameLength = view.getUint16(8, true);
    if (nameLength % 2 !== 0 || 10 + nameLength > data.length)
      throw bad('PAC_CLIENT_INFO.Name', 'bad length');
    let name = '';
    for (let i = 0; i < nameLength; i += 2) name += String.fromCharCode(view.getUint16(10 + i, true));
    return { clientId, name };
  });
}

/**
 * A copy of the PAC with the Signature fields of the server and KDC checksum buffers
 * zeroed: what those signatures are computed over (MS-PAC §2.8.1).
 */
export function zeroPacSignatures(pac: Pac): Uint8Array {
  const out = pac.bytes.slice();
  for (const b of pac.buffers) {
    if (b.type !== PacBufferType.SERVER_CHECKSUM && b.type !== PacBufferType.PRIVSVR_CHECKSUM) continue;
    const sig = parsePacSignature(b.data);
    out.fill(0, b.offset + 4, b.offset + 4 + sig.signature.length);
  }
  return out;
}

/**
 * Finds the PAC bytes in authorization data: AD-WIN2K-PAC directly, or inside
 * AD-IF-RELEVANT (where Windows and MIT put it), searching nested containers one level deep.
 */
export function findPacInAuthorizationData(
  list: readonly AuthorizationDataEntry[] | undefined,
): Uint8Array | undefined {
  for (const entry of list ?? []) {
    if (entry.adType === AuthDataType.AD_WIN2K_PAC) return entry.adData;
    if (entry.adType === AuthDataType.AD_IF_RELEVANT) {
      const inner = decodeAuthorizationData(entry.adData);
      const pac = inner.find((e) => e.adType === AuthDataType.AD_WIN2K_PAC);
      if (pac) return pac.adData;
    }
  }
  return undefined;
}
