/**
 * QueryContextAttributesW on an SSPI context (references §1.6): the client's name
 * (SECPKG_ATTR_NAMES) and the per-message buffer sizes (SECPKG_ATTR_SIZES).
 */
import { readPointer, readU32 } from './structs.ts';
import { type NativeSspi, sspiError } from './sspi-library.ts';
import type { SspiQuirks } from './sspi-quirks.ts';
import { readUtf16z } from './sspi-structs.ts';
import { SEC } from './symbols-sspi.ts';

/** SecPkgContext_Sizes, less cbMaxToken (the handshake's concern, not the messages'). */
export interface SspiSizes {
  maxSignature: number;
  blockSize: number;
  trailer: number;
}

/** SECPKG_ATTR_NAMES: the client's name (both sides); '' where unsupported (Wine 8.0). */
export function queryClientName(lib: NativeSspi, ctx: Uint8Array): string {
  const { memory, sspi } = lib;
  const slot = new Uint8Array(8);
  if (sspi.queryContextAttributes(ctx, SEC.ATTR_NAMES, slot) < 0) return '';
  const p = readPointer(slot);
  if (p === 0n) return '';
  try {
    return readUtf16z(memory, p);
  } finally {
    sspi.freeContextBuffer(p);
  }
}

/** SECPKG_ATTR_SIZES, raised to the quirks' floors. */
export function querySizes(lib: NativeSspi, ctx: Uint8Array, quirks: Readonly<SspiQuirks>): SspiSizes {
  const out = new Uint8Array(16);
  const s = lib.sspi.queryContextAttributes(ctx, SEC.ATTR_SIZES, out);
  if (s < 0) throw sspiError('QueryContextAttributesW(SIZES)', s);
  // The floors are 0 on Windows; under Wine they cover what SIZES under-reports (sspi-quirks.ts 2, 3).
  return {
    maxSignature: Math.max(readU32(out, 4), quirks.signatureFloor),
    blockSize: readU32(out, 8),
    trailer: Math.max(readU32(out, 12), quirks.trailerFloor),
  };
}
