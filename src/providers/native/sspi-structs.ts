/**
 * The sspi.h structs gssock builds or reads, laid out by hand with DataView (x64, LLP64:
 * ULONG 4 bytes, pointers 8, natural alignment), so that no FFI has to describe them:
 * - SecBuffer { ULONG cbBuffer; ULONG BufferType; void *pvBuffer; }             16 bytes
 * - SecBufferDesc { ULONG ulVersion; ULONG cBuffers; SecBuffer *pBuffers; }     16 bytes
 * - SEC_CHANNEL_BINDINGS: eight ULONGs (initiator type/length/offset, acceptor
 *   type/length/offset, application length/offset), offsets from the struct's start
 * - SEC_WINNT_AUTH_IDENTITY_W { USHORT *User; ULONG UserLength; USHORT *Domain; ULONG
 *   DomainLength; USHORT *Password; ULONG PasswordLength; ULONG Flags; }           48 bytes
 *   lengths in UTF-16 units without the NUL, Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE (2)
 * - SecPkgInfoW { ULONG fCapabilities; USHORT wVersion; USHORT wRPCID; ULONG cbMaxToken;
 *   SEC_WCHAR *Name; SEC_WCHAR *Comment; }                                         32 bytes
 *
 * SecBufferDesc itself is JS memory lent for one call; the SecBuffer array and the bytes
 * its pvBuffers point at live in native memory (NativeArena), because SSPI writes through
 * those pointers and a JS engine may move a typed array's backing store (bun:ffi, §7).
 */
import type { ChannelBindings } from '../../core/mechanism.ts';
import { type NativeArena, type NativeMemory, readPointer, readU32 } from './structs.ts';
import { SEC } from './symbols-sspi.ts';

export const SEC_BUFFER_SIZE = 16;
export const AUTH_IDENTITY_SIZE = 48;
export const SEC_PKG_INFO_SIZE = 32;

/** A NUL-terminated UTF-16LE string (LPWSTR). */
export function utf16z(s: string): Uint8Array {
  const out = new Uint8Array((s.length + 1) * 2);
  const v = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) v.setUint16(i * 2, s.charCodeAt(i), true);
  return out;
}

/** Reads a NUL-terminated UTF-16LE string SSPI returned (at most `max` units). */
export function readUtf16z(memory: NativeMemory, addr: bigint, max = 1024): string {
  if (addr === 0n) return '';
  let s = '';
  for (let i = 0; i < max; i++) {
    const unit = new DataView(memory.read(addr + BigInt(i * 2), 2).buffer).getUint16(0, true);
    if (unit === 0) break;
    s += String.fromCharCode(unit);
  }
  return s;
}

export interface BufferSpec {
  type: number;
  /** Bytes copied in; or a size to reserve (zero-filled); or neither (SSPI allocates). */
  data?: Uint8Array;
  size?: number;
}

/** A SecBufferDesc (JS, lent per call) over a native SecBuffer array in `arena`. */
export function secBufferDesc(
  arena: NativeArena,
  buffers: BufferSpec[],
): { desc: Uint8Array; array: bigint } {
  const arr = new Uint8Array(SEC_BUFFER_SIZE * buffers.length);
  const av = new DataView(arr.buffer);
  buffers.forEach((b, i) => {
    const bytes = b.data ?? new Uint8Array(b.size ?? 0);
    av.setUint32(i * SEC_BUFFER_SIZE, bytes.length, true);
    av.setUint32(i * SEC_BUFFER_SIZE + 4, b.type, true);
    av.setBigUint64(i * SEC_BUFFER_SIZE + 8, bytes.length > 0 || b.data ? arena.bytes(bytes) : 0n, true);
  });
  const array = arena.bytes(arr);
  const desc = new Uint8Array(16);
  const dv = new DataView(desc.buffer);
  dv.setUint32(0, SEC.BUFFER_VERSION, true);
  dv.setUint32(4, buffers.length, true);
  dv.setBigUint64(8, array, true);
  return { desc, array };
}

export interface SecBufferView {
  type: number;
  length: number;
  pointer: bigint;
}

/** The SecBuffers of a native array after a call (SSPI may change lengths and pointers). */
export function readSecBuffers(memory: NativeMemory, array: bigint, count: number): SecBufferView[] {
  const raw = memory.read(array, SEC_BUFFER_SIZE * count);
  const out: SecBufferView[] = [];
  for (let i = 0; i < count; i++)
    out.push({
      length: readU32(raw, i * SEC_BUFFER_SIZE),
      type: readU32(raw, i * SEC_BUFFER_SIZE + 4),
      pointer: readPointer(raw, i * SEC_BUFFER_SIZE + 8),
    });
  return out;
}

/** The SecBuffer array a SecBufferDesc (JS bytes) points at, for readers of a desc. */
export function descArray(desc: Uint8Array): { count: number; array: bigint } {
  return { count: readU32(desc, 4), array: readPointer(desc, 8) };
}

/** SEC_CHANNEL_BINDINGS followed by its data (offsets from the struct's start). */
export function channelBindingsBuffer(cb: ChannelBindings): Uint8Array {
  const parts = [cb.initiatorAddress, cb.acceptorAddress, cb.application].map((p) => p ?? new Uint8Array(0));
  const out = new Uint8Array(32 + parts.reduce((n, p) => n + p.length, 0));
  const v = new DataView(out.buffer);
  let offset = 32;
  const types = [cb.initiatorAddressType ?? 0, cb.acceptorAddressType ?? 0];
  parts.forEach((p, i) => {
    const base = i * 12;
    if (i < 2) v.setUint32(base, types[i]!, true);
    v.setUint32(i < 2 ? base + 4 : 24, p.length, true);
    v.setUint32(i < 2 ? base + 8 : 28, offset, true);
    out.set(p, offset);
    offset += p.length;
  });
  return out;
}

/** An explicit identity for AcquireCredentialsHandleW's pAuthData. */
export interface SspiIdentity {
  user: string;
  /** Realm (Kerberos) or NetBIOS domain (NTLM); '' for none. */
  domain?: string;
  password?: string;
}

/**
 * A native SEC_WINNT_AUTH_IDENTITY_W in `arena`; returns its address and a function that
 * overwrites the password copy with zeros (call it before the arena is released:
 * AcquireCredentialsHandleW copies what it needs).
 */
export function authIdentity(
  arena: NativeArena,
  write: (addr: bigint, bytes: Uint8Array) => void,
  id: SspiIdentity,
): { address: bigint; wipe: () => void } {
  const user = utf16z(id.user);
  const domain = utf16z(id.domain ?? '');
  const password = utf16z(id.password ?? '');
  const passwordAddr = arena.bytes(password);
  const out = new Uint8Array(AUTH_IDENTITY_SIZE);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, arena.bytes(user), true);
  v.setUint32(8, id.user.length, true);
  v.setBigUint64(16, arena.bytes(domain), true);
  v.setUint32(24, (id.domain ?? '').length, true);
  v.setBigUint64(32, id.password === undefined ? 0n : passwordAddr, true);
  v.setUint32(40, (id.password ?? '').length, true);
  v.setUint32(44, SEC.AUTH_IDENTITY_UNICODE, true);
  password.fill(0);
  return {
    address: arena.bytes(out),
    wipe: () => write(passwordAddr, new Uint8Array(password.length)),
  };
}

/** SecPkgInfoW fields. */
export interface SspiPackageInfo {
  name: string;
  comment: string;
  capabilities: number;
  version: number;
  rpcId: number;
  maxToken: number;
}

export function readPackageInfo(memory: NativeMemory, addr: bigint): SspiPackageInfo {
  const raw = memory.read(addr, SEC_PKG_INFO_SIZE);
  const v = new DataView(raw.buffer);
  return {
    capabilities: v.getUint32(0, true),
    version: v.getUint16(4, true),
    rpcId: v.getUint16(6, true),
    maxToken: v.getUint32(8, true),
    name: readUtf16z(memory, v.getBigUint64(16, true), 256),
    comment: readUtf16z(memory, v.getBigUint64(24, true), 1024),
  };
}
