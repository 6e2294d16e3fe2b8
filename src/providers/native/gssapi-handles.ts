/**
 * What a GSS-API context owns from the library, and how each piece is given back
 * (RFC 2744 §5.1, §5.11, §5.27, §5.29):
 * - output tokens are copied into a JS Uint8Array, then gss_release_buffer;
 * - the context and the credential are deleted once, by dispose() or, when the application
 *   forgets to, by a FinalizationRegistry (releaseHandles is safe to run twice).
 */
import type { NativeGssapi } from './ffi/load.ts';
import { releaseName } from './names.ts';
import { pointerSlot, readBufferDesc, readPointer } from './structs.ts';

export interface GssapiHandles {
  native: NativeGssapi;
  /** The gss_ctx_id_t slot the library writes on the first init/accept call. */
  context: Uint8Array;
  targetName: bigint;
  credential: bigint;
}

/** Frees whatever a context still holds; used by dispose() and by the finalizer. */
export function releaseHandles(h: GssapiHandles): void {
  const minor = new Uint8Array(4);
  if (readPointer(h.context) !== 0n) h.native.gss.deleteSecContext(minor, h.context, null);
  h.context.fill(0);
  releaseName(h.native, h.targetName);
  h.targetName = 0n;
  if (h.credential !== 0n) {
    const slot = pointerSlot();
    new DataView(slot.buffer).setBigUint64(0, h.credential, true);
    h.native.gss.releaseCred(minor, slot);
    h.credential = 0n;
  }
}

/** Copies a library-owned gss_buffer_desc out and releases it (no-op when empty). */
export function takeBuffer(native: NativeGssapi, desc: Uint8Array): Uint8Array {
  const { length, value } = readBufferDesc(desc);
  if (value === 0n) return new Uint8Array(0);
  try {
    return native.memory.read(value, length);
  } finally {
    native.gss.releaseBuffer(new Uint8Array(4), desc);
  }
}
