/**
 * The C structs gssock hands to or reads from the GSS-API library, laid out by hand with
 * DataView so that no FFI has to describe them:
 * - gss_buffer_desc { size_t length; void *value; }                     (RFC 2744 §3.2)
 * - gss_OID_desc    { OM_uint32 length; void *elements; }               (§3.5)
 * - gss_channel_bindings_struct { OM_uint32 initiator_addrtype; gss_buffer_desc
 *     initiator_address; OM_uint32 acceptor_addrtype; gss_buffer_desc acceptor_address;
 *     gss_buffer_desc application_data; }                                (§3.11)
 * - gss_key_value_set_desc { OM_uint32 count; gss_key_value_element_desc *elements; }
 *   with elements { const char *key; const char *value; }  (MIT gssapi_ext.h)
 *
 * Two layouts: natural alignment on 64-bit (Linux LP64, MIT), and Apple's GSS.framework,
 * whose gssapi.h wraps these structs in `#pragma pack(push, 2)`, so a pointer after an
 * OM_uint32 sits at offset 4. Integers are little-endian (x86_64 and arm64).
 *
 * Bytes a struct points at are copied into native memory (NativeArena), never pointed at
 * inside a JS buffer: a JS engine may move or free those, the library may keep the pointer.
 */
import type { ChannelBindings } from '../../core/mechanism.ts';
import type { Bindings } from './ffi/types.ts';
import type { LIBC_SYMBOLS } from './symbols-gssapi.ts';

export type StructLayout = 'lp64' | 'apple-pack2';

const PTR = 8;
export const BUFFER_DESC_SIZE = 16;

/** Offset of the pointer that follows an OM_uint32 at the start of a struct. */
const afterU32 = (layout: StructLayout): number => (layout === 'lp64' ? 8 : 4);

/** malloc/free/memcpy over libc, for bytes the library must be able to point at. */
export class NativeMemory {
  readonly #libc: Bindings<typeof LIBC_SYMBOLS>;
  constructor(libc: Bindings<typeof LIBC_SYMBOLS>) {
    this.#libc = libc;
  }
  /** A native copy of `bytes` (plus a NUL when asked); the caller frees it. */
  alloc(bytes: Uint8Array, nulTerminate = false): bigint {
    const size = bytes.length + (nulTerminate ? 1 : 0);
    const addr = this.#libc.malloc(Math.max(size, 1));
    if (addr === 0n) throw new RangeError(`malloc(${size}) failed`);
    if (bytes.length > 0) this.#libc.copyIn(addr, bytes, bytes.length);
    if (nulTerminate) this.#libc.copyIn(addr + BigInt(bytes.length), ZERO, 1);
    return addr;
  }
  /** Copies `length` bytes at `addr` into a fresh Uint8Array. */
  read(addr: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    if (length > 0) this.#libc.copyOut(out, addr, length);
    return out;
  }
  free(addr: bigint): void {
    if (addr !== 0n) this.#libc.free(addr);
  }
}
const ZERO = new Uint8Array(1);

/** Native allocations made for one call, freed together afterwards. */
export class NativeArena {
  readonly #memory: NativeMemory;
  readonly #allocated: bigint[] = [];
  constructor(memory: NativeMemory) {
    this.#memory = memory;
  }
  bytes(bytes: Uint8Array, nulTerminate = false): bigint {
    const addr = this.#memory.alloc(bytes, nulTerminate);
    this.#allocated.push(addr);
    return addr;
  }
  cString(text: string): bigint {
    return this.bytes(new TextEncoder().encode(text), true);
  }
  /** A gss_buffer_desc (JS memory, lent for one call) over a native copy of `bytes`. */
  bufferDesc(bytes: Uint8Array): Uint8Array {
    return bufferDesc(bytes.length, bytes.length > 0 ? this.bytes(bytes) : 0n);
  }
  release(): void {
    for (const a of this.#allocated.splice(0)) this.#memory.free(a);
  }
}

/** gss_buffer_desc bytes for a (length, value) pair. */
export function bufferDesc(length: number, value: bigint): Uint8Array {
  const out = new Uint8Array(BUFFER_DESC_SIZE);
  writeBufferDesc(new DataView(out.buffer), 0, length, value);
  return out;
}

function writeBufferDesc(view: DataView, offset: number, length: number, value: bigint): void {
  view.setBigUint64(offset, BigInt(length), true);
  view.setBigUint64(offset + PTR, value, true);
}

/** The (length, value) a library wrote into a gss_buffer_desc. */
export function readBufferDesc(desc: Uint8Array): { length: number; value: bigint } {
  const view = new DataView(desc.buffer, desc.byteOffset, desc.byteLength);
  const length = view.getBigUint64(0, true);
  if (length > 0x7fffffffn) throw new RangeError(`library returned a buffer of ${length} bytes`);
  return { length: Number(length), value: view.getBigUint64(PTR, true) };
}

/** A pointer-sized out-parameter (gss_name_t*, gss_ctx_id_t*, gss_OID*). */
export function pointerSlot(): Uint8Array {
  return new Uint8Array(PTR);
}
export function readPointer(slot: Uint8Array, offset = 0): bigint {
  return new DataView(slot.buffer, slot.byteOffset, slot.byteLength).getBigUint64(offset, true);
}
export function readU32(slot: Uint8Array, offset = 0): number {
  return new DataView(slot.buffer, slot.byteOffset, slot.byteLength).getUint32(offset, true);
}
export function readI32(slot: Uint8Array, offset = 0): number {
  return new DataView(slot.buffer, slot.byteOffset, slot.byteLength).getInt32(offset, true);
}

/** gss_OID_desc bytes for OID body bytes already in native memory. */
export function oidDesc(layout: StructLayout, length: number, elements: bigint): Uint8Array {
  const out = new Uint8Array(afterU32(layout) + PTR);
  const view = new DataView(out.buffer);
  view.setUint32(0, length, true);
  view.setBigUint64(afterU32(layout), elements, true);
  return out;
}

/** Reads a gss_OID_desc at `addr` (e.g. actual_mech_type) as its body bytes. */
export function readOid(memory: NativeMemory, layout: StructLayout, addr: bigint): Uint8Array {
  const head = memory.read(addr, afterU32(layout) + PTR);
  const length = readU32(head);
  if (length > 1024) throw new RangeError(`library returned an OID of ${length} bytes`);
  return memory.read(readPointer(head, afterU32(layout)), length);
}

/** A gss_channel_bindings_struct (RFC 2744 §3.11) for one call; data copied into `arena`. */
export function channelBindingsStruct(
  layout: StructLayout,
  cb: ChannelBindings,
  arena: NativeArena,
): Uint8Array {
  const gap = afterU32(layout);
  const initAddr = gap;
  const accType = initAddr + BUFFER_DESC_SIZE;
  const accAddr = accType + gap;
  const app = accAddr + BUFFER_DESC_SIZE;
  const out = new Uint8Array(app + BUFFER_DESC_SIZE);
  const view = new DataView(out.buffer);
  const put = (offset: number, bytes: Uint8Array | undefined) => {
    const b = bytes ?? new Uint8Array(0);
    writeBufferDesc(view, offset, b.length, b.length > 0 ? arena.bytes(b) : 0n);
  };
  view.setUint32(0, cb.initiatorAddressType ?? 0, true);
  put(initAddr, cb.initiatorAddress);
  view.setUint32(accType, cb.acceptorAddressType ?? 0, true);
  put(accAddr, cb.acceptorAddress);
  put(app, cb.application);
  return out;
}

/** A gss_key_value_set_desc (MIT credential store) for one call. */
export function keyValueSet(
  layout: StructLayout,
  pairs: Array<[string, string]>,
  arena: NativeArena,
): Uint8Array {
  const elements = new Uint8Array(Math.max(pairs.length, 1) * 2 * PTR);
  const ev = new DataView(elements.buffer);
  pairs.forEach(([k, v], i) => {
    ev.setBigUint64(i * 2 * PTR, arena.cString(k), true);
    ev.setBigUint64(i * 2 * PTR + PTR, arena.cString(v), true);
  });
  const out = new Uint8Array(afterU32(layout) + PTR);
  const view = new DataView(out.buffer);
  view.setUint32(0, pairs.length, true);
  view.setBigUint64(afterU32(layout), arena.bytes(elements), true);
  return out;
}
