/**
 * The Kerberos GSS authenticator checksum, type 0x8003 (RFC 4121 §4.1.1):
 *
 *   Lgth (4, LITTLE-endian) = 16 | Bnd (16, MD5 of the channel bindings or zeros) |
 *   Flags (4, LITTLE-endian, GSS flag bits) |
 *   [ DlgOpt (2, LE) = 1 | Dlgth (2, LE) | Deleg (KRB-CRED) ]   when Flags has DELEG |
 *   [ Exts: { type (4, BIG-endian) | length (4, BE) | data }* ]  (§4.1.1.2)
 *
 * The little-endian fields are one of the RFC's surprises (references.md §5 item 9); the
 * extensions after them are big-endian, as MIT reads them. Unknown extensions are ignored
 * (§4.1.1.2 lets the acceptor skip what it does not understand).
 */
import { gssError } from '../../../core/errors.ts';
import { BINDINGS_HASH_SIZE } from './channel-bindings.ts';

export const GSS_CHECKSUM_TYPE = 0x8003;
/** DlgOpt value of a forwarded-credentials option (RFC 4121 §4.1.1.1, MIT KRB5_GSS_FOR_CREDS_OPTION). */
export const DELEGATION_OPTION = 1;
const FLAG_DELEG = 0x1;
const BASE = 4 + BINDINGS_HASH_SIZE + 4;

export interface GssChecksum {
  /** Bnd: the channel-binding hash. */
  bindingsHash: Uint8Array;
  /** GSS context flags the initiator requests. */
  flags: number;
  /** DER of the KRB-CRED carrying a delegated TGT. */
  delegation?: Uint8Array;
  /** Extensions after the fixed part, kept for callers (none is interpreted here). */
  extensions?: Array<{ type: number; data: Uint8Array }>;
}

export function encodeGssChecksum(c: GssChecksum): Uint8Array {
  if (c.bindingsHash.length !== BINDINGS_HASH_SIZE)
    throw gssError('INVALID_ARGUMENT', 'channel-binding hash must be 16 bytes');
  const deleg = c.delegation;
  if (deleg && deleg.length > 0xffff)
    throw gssError('LIMIT_EXCEEDED', `delegated credential of ${deleg.length} bytes exceeds 65535`);
  const out = new Uint8Array(BASE + (deleg ? 4 + deleg.length : 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, BINDINGS_HASH_SIZE, true);
  out.set(c.bindingsHash, 4);
  const flags = deleg ? c.flags | FLAG_DELEG : c.flags & ~FLAG_DELEG;
  view.setUint32(4 + BINDINGS_HASH_SIZE, flags >>> 0, true);
  if (deleg) {
    view.setUint16(BASE, DELEGATION_OPTION, true);
    view.setUint16(BASE + 2, deleg.length, true);
    out.set(deleg, BASE + 4);
  }
  return out;
}

function defective(message: string) {
  return gssError('DEFECTIVE_TOKEN', `authenticator checksum: ${message}`, { origin: 'peer' });
}

/** Reads a 0x8003 checksum; throws DEFECTIVE_TOKEN (origin peer) when malformed. */
export function decodeGssChecksum(bytes: Uint8Array): GssChecksum {
  if (bytes.length < BASE) throw defective(`${bytes.length} bytes, at least ${BASE} expected`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lgth = view.getUint32(0, true);
  if (lgth !== BINDINGS_HASH_SIZE) throw defective(`Lgth is ${lgth}, not 16`);
  const out: GssChecksum = {
    bindingsHash: bytes.slice(4, 4 + BINDINGS_HASH_SIZE),
    flags: view.getUint32(4 + BINDINGS_HASH_SIZE, true),
  };
  let at = BASE;
  // MIT reads the delegation option only when the flag is set and 4 bytes follow.
  if (out.flags & FLAG_DELEG && bytes.length - at >= 4) {
    const option = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (option !== DELEGATION_OPTION) throw defective(`DlgOpt is ${option}, not 1`);
    if (at + 4 + length > bytes.length) throw defective('Dlgth runs past the end');
    out.delegation = bytes.slice(at + 4, at + 4 + length);
    at += 4 + length;
  }
  while (at < bytes.length) {
    if (bytes.length - at < 8) throw defective('truncated extension header');
    const type = view.getUint32(at);
    const length = view.getUint32(at + 4);
    if (length > bytes.length - at - 8) throw defective('extension runs past the end');
    (out.extensions ??= []).push({ type, data: bytes.slice(at + 8, at + 8 + length) });
    at += 8 + length;
  }
  return out;
}
