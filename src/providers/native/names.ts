/**
 * OIDs and names on the native side.
 * - OID descriptors the library reads (name types, mechanisms) are allocated in native
 *   memory once per loaded library and kept for the process lifetime (a handful of
 *   constants, like the library's own GSS_C_NT_* globals).
 * - Names: a target or acceptor name is imported with the name type its shape implies
 *   (`service@host` → GSS_C_NT_HOSTBASED_SERVICE, RFC 2743 §4.1; anything with a `/` or a
 *   realm → GSS_KRB5_NT_PRINCIPAL_NAME, RFC 1964 §2.1.1; else GSS_C_NT_USER_NAME) and
 *   released by whoever imported it. gss_display_name output is copied then released.
 */
import * as asn1js from 'asn1js';
import { gssError } from '../../core/errors.ts';
import { isGssError, statusError } from './errors.ts';
import type { NativeGssapi } from './ffi/load.ts';
import {
  BUFFER_DESC_SIZE,
  NativeArena,
  oidDesc,
  pointerSlot,
  readBufferDesc,
  readOid,
  readPointer,
} from './structs.ts';

export const NativeOids = {
  KERBEROS: '1.2.840.113554.1.2.2',
  SPNEGO: '1.3.6.1.5.5.2',
  NTLM: '1.3.6.1.4.1.311.2.2.10',
  NT_USER_NAME: '1.2.840.113554.1.2.1.1',
  NT_HOSTBASED_SERVICE: '1.2.840.113554.1.2.1.4',
  NT_KRB5_PRINCIPAL: '1.2.840.113554.1.2.2.1',
} as const;

/** The mechanisms native() and sspi() know by name. */
export type NativeMech = 'kerberos' | 'spnego' | 'ntlm';

const MECH_OIDS: Record<NativeMech, string> = {
  kerberos: NativeOids.KERBEROS,
  spnego: NativeOids.SPNEGO,
  ntlm: NativeOids.NTLM,
};

/** A mechanism name or dotted OID (NativeOptions.mech) as a dotted OID; default Kerberos. */
export function resolveMech(mech: NativeMech | (string & {}) | undefined): string {
  if (mech === undefined) return NativeOids.KERBEROS;
  const known = MECH_OIDS[mech as NativeMech];
  if (known) return known;
  if (/^[0-2](\.\d+)+$/.test(mech)) return mech;
  throw gssError(
    'BAD_MECH',
    `unknown native mechanism ${JSON.stringify(mech)} (kerberos, spnego, ntlm or a dotted OID)`,
  );
}

const oidCache = new WeakMap<NativeGssapi, Map<string, bigint>>();

/** A gss_OID (native gss_OID_desc) for a dotted OID, kept for the process lifetime. */
export function staticOid(native: NativeGssapi, dotted: string): bigint {
  let map = oidCache.get(native);
  if (!map) oidCache.set(native, (map = new Map()));
  const known = map.get(dotted);
  if (known !== undefined) return known;
  const body = oidBody(dotted);
  const elements = native.memory.alloc(body);
  const addr = native.memory.alloc(oidDesc(native.layout, body.length, elements));
  map.set(dotted, addr);
  return addr;
}

/** The DER body (no tag, no length) of a dotted OID. */
export function oidBody(dotted: string): Uint8Array {
  if (!/^[0-2](\.\d+)+$/.test(dotted))
    throw gssError('BAD_MECH', `not a dotted OID: ${JSON.stringify(dotted)}`);
  const der = new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER(false));
  // Short-form length for every OID gssock uses (< 128 bytes).
  if (der.length < 2 || der[1]! >= 0x80) throw gssError('BAD_MECH', `OID too long: ${dotted}`);
  return der.subarray(2);
}

/** The dotted form of an OID the library returned (actual_mech_type), or '' for none. */
export function readDottedOid(native: NativeGssapi, addr: bigint): string {
  if (addr === 0n) return '';
  const body = readOid(native.memory, native.layout, addr);
  if (body.length === 0 || body.length > 127) return '';
  const der = new Uint8Array(2 + body.length);
  der[0] = 0x06;
  der[1] = body.length;
  der.set(body, 2);
  const parsed = asn1js.fromBER(der);
  return parsed.result instanceof asn1js.ObjectIdentifier ? parsed.result.valueBlock.toString() : '';
}

/**
 * The name type a name's shape implies: a service (`service@host` hostbased, `service/host[@REALM]`
 * a Kerberos principal) or a user (GSS_C_NT_USER_NAME, which MIT parses as a principal).
 */
export function nameTypeOf(name: string, kind: 'service' | 'user' = 'service'): string {
  if (kind === 'user') return NativeOids.NT_USER_NAME;
  if (name.includes('/')) return NativeOids.NT_KRB5_PRINCIPAL;
  return NativeOids.NT_HOSTBASED_SERVICE;
}

/** gss_import_name; the caller releases the result with releaseName. */
export function importName(native: NativeGssapi, text: string, nameType = nameTypeOf(text)): bigint {
  const minor = new Uint8Array(4);
  const out = pointerSlot();
  const arena = new NativeArena(native.memory);
  try {
    const major = native.gss.importName(
      minor,
      arena.bufferDesc(new TextEncoder().encode(text)),
      staticOid(native, nameType),
      out,
    );
    if (isGssError(major))
      throw statusError(native, `gss_import_name(${JSON.stringify(text)})`, major, readMinor(minor));
    return readPointer(out);
  } finally {
    arena.release();
  }
}

/** gss_display_name as a string ('' when it fails: a display problem is not an auth failure). */
export function displayName(native: NativeGssapi, name: bigint): string {
  if (name === 0n) return '';
  const minor = new Uint8Array(4);
  const out = new Uint8Array(BUFFER_DESC_SIZE);
  const major = native.gss.displayName(minor, name, out, null);
  if (isGssError(major)) return '';
  const desc = readBufferDesc(out);
  try {
    return new TextDecoder().decode(native.memory.read(desc.value, Math.min(desc.length, 4096)));
  } finally {
    native.gss.releaseBuffer(minor, out);
  }
}

/** gss_release_name on a handle (0n is a no-op). */
export function releaseName(native: NativeGssapi, name: bigint): void {
  if (name === 0n) return;
  const slot = pointerSlot();
  new DataView(slot.buffer).setBigUint64(0, name, true);
  native.gss.releaseName(new Uint8Array(4), slot);
}

export function readMinor(minor: Uint8Array): number {
  return new DataView(minor.buffer, minor.byteOffset, 4).getUint32(0, true);
}
