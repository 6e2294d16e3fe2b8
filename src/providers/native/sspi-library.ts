/**
 * secur32.dll and msvcrt.dll through the runtime's FFI, loaded once per process, plus the
 * calls that need no context: SECURITY_STATUS → GssockError, QuerySecurityPackageInfoW.
 * Runs on Windows and, for the project's CI, under Wine 8.0 (references §7).
 */
import { type ErrorCode, GssockError, gssError } from '../../core/errors.ts';
import { loadBackend } from './ffi/load.ts';
import type { Bindings } from './ffi/types.ts';
import { NativeMemory, pointerSlot, readPointer } from './structs.ts';
import { readPackageInfo, type SspiPackageInfo, utf16z } from './sspi-structs.ts';
import { LIBC_SYMBOLS } from './symbols-gssapi.ts';
import { SEC_E_CODES, SSPI_LIBRARY, SSPI_SYMBOLS, WINDOWS_LIBC } from './symbols-sspi.ts';

export interface NativeSspi {
  ffi: string;
  sspi: Bindings<typeof SSPI_SYMBOLS>;
  libc: Bindings<typeof LIBC_SYMBOLS>;
  memory: NativeMemory;
}

let loaded: Promise<NativeSspi> | undefined;

/** secur32.dll and msvcrt.dll through the runtime's FFI (cached); NOT_SUPPORTED if absent. */
export function loadSspi(): Promise<NativeSspi> {
  loaded ??= (async () => {
    const backend = await loadBackend();
    const libc = backend.open(WINDOWS_LIBC, LIBC_SYMBOLS);
    return {
      ffi: backend.name,
      sspi: backend.open(SSPI_LIBRARY, SSPI_SYMBOLS),
      libc,
      memory: new NativeMemory(libc),
    };
  })().catch((e: unknown) => {
    loaded = undefined;
    throw gssError(
      'NOT_SUPPORTED',
      `cannot load ${SSPI_LIBRARY}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  });
  return loaded;
}

/** SSPI package names for gssock mechanism OIDs. */
export const SSPI_PACKAGES: Record<string, string> = {
  '1.2.840.113554.1.2.2': 'Kerberos',
  '1.3.6.1.5.5.2': 'Negotiate',
  '1.3.6.1.4.1.311.2.2.10': 'NTLM',
};

/** The typed error of a failed SECURITY_STATUS. */
export function sspiError(
  op: string,
  status: number,
  fallbackOrigin: 'local' | 'peer' = 'local',
): GssockError {
  const known = SEC_E_CODES[status | 0];
  const code: ErrorCode = known?.[1] ?? 'FAILURE';
  const name = known?.[0] ?? `0x${(status >>> 0).toString(16)}`;
  return new GssockError(code, `${op}: ${name}`, {
    origin: known?.[2] ? 'peer' : fallbackOrigin,
    details: { sspiStatus: status >>> 0, sspiName: name },
  });
}

/** QuerySecurityPackageInfoW: the package's name, capabilities and cbMaxToken. */
export function querySspiPackage(lib: NativeSspi, name: string): SspiPackageInfo {
  const slot = pointerSlot();
  const status = lib.sspi.querySecurityPackageInfo(utf16z(name), slot);
  if (status < 0) throw sspiError(`QuerySecurityPackageInfoW(${name})`, status);
  const p = readPointer(slot);
  if (p === 0n) throw gssError('FAILURE', `QuerySecurityPackageInfoW(${name}) returned no data`);
  try {
    return readPackageInfo(lib.memory, p);
  } finally {
    lib.sspi.freeContextBuffer(p);
  }
}

/** Writes `bytes` over native memory gssock allocated (used to wipe secrets). */
export function writeNative(lib: NativeSspi, addr: bigint, bytes: Uint8Array): void {
  if (bytes.length > 0) lib.libc.copyIn(addr, bytes, bytes.length);
}
