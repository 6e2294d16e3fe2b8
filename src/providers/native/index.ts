/**
 * gssock/native: the platform's GSS-API (and, typechecked only, SSPI) through the FFI of
 * the running runtime. Importing this module loads no FFI; see mechanism.ts.
 */
export { native, type NativeOptions } from './mechanism.ts';
export type { NativeCredentialOptions } from './credentials.ts';
export { GSSAPI_LIBRARY_ENV, defaultLibraries } from './ffi/load.ts';
export { GSSAPI_SYMBOLS } from './symbols-gssapi.ts';
export { SSPI_SYMBOLS } from './symbols-sspi.ts';
export { type NativeMech, NativeOids, resolveMech } from './names.ts';
export { type SspiOptions, sspi } from './sspi-mechanism.ts';
export { type SspiQuirks, WINDOWS_SSPI, WINE_SSPI } from './sspi-quirks.ts';
export { querySspiPackage } from './sspi-library.ts';
export type { SspiIdentity, SspiPackageInfo } from './sspi-structs.ts';
