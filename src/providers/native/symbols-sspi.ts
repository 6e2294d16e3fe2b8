/**
 * The SSPI functions (secur32.dll, Unicode `W` variants where the API has two) in the
 * same table shape as symbols-gssapi.ts, for sspi-context.ts. Typechecked here; it can
 * only run on Windows, and runs for real under Wine 8.0 in `npm run test:wine`
 * (scripts/wine, test/wine; references §7).
 *
 * Handles (CredHandle, CtxtHandle: two ULONG_PTRs, 16 bytes) and SecBufferDesc live in JS
 * memory lent per call; the SecBuffer arrays and their pvBuffer bytes they point at live
 * in native memory (x64 layouts in sspi-context.ts). Every function returns
 * SECURITY_STATUS (a LONG: negative is an error, SEC_E_*; SEC_I_* are positive).
 */
import type { SymbolTable } from './ffi/types.ts';

export const SSPI_LIBRARY = 'secur32.dll';
/** msvcrt exports malloc/free/memcpy with the C ABI (setenv has no counterpart: optional). */
export const WINDOWS_LIBC = 'msvcrt.dll';

export const SSPI_SYMBOLS = {
  // AcquireCredentialsHandleW(pszPrincipal, pszPackage, fCredentialUse, pvLogonId, pAuthData,
  //   pGetKeyFn, pvGetKeyArgument, phCredential, ptsExpiry)
  acquireCredentialsHandle: {
    symbol: 'AcquireCredentialsHandleW',
    params: ['LPWSTR', 'LPWSTR', 'ULONG', 'PVOID', 'PVOID', 'PVOID', 'PVOID', 'PCredHandle', 'PTimeStamp'],
    result: 'SECURITY_STATUS',
  },
  freeCredentialsHandle: {
    symbol: 'FreeCredentialsHandle',
    params: ['PCredHandle'],
    result: 'SECURITY_STATUS',
  },
  // InitializeSecurityContextW(phCredential, phContext, pszTargetName, fContextReq, Reserved1,
  //   TargetDataRep, pInput, Reserved2, phNewContext, pOutput, pfContextAttr, ptsExpiry)
  initializeSecurityContext: {
    symbol: 'InitializeSecurityContextW',
    params: [
      'PCredHandle',
      'PCtxtHandle',
      'LPWSTR',
      'ULONG',
      'ULONG',
      'ULONG',
      'PSecBufferDesc',
      'ULONG',
      'PCtxtHandle',
      'PSecBufferDesc',
      'ULONG*',
      'PTimeStamp',
    ],
    result: 'SECURITY_STATUS',
  },
  // AcceptSecurityContext(phCredential, phContext, pInput, fContextReq, TargetDataRep,
  //   phNewContext, pOutput, pfContextAttr, ptsExpiry)
  acceptSecurityContext: {
    symbol: 'AcceptSecurityContext',
    params: [
      'PCredHandle',
      'PCtxtHandle',
      'PSecBufferDesc',
      'ULONG',
      'ULONG',
      'PCtxtHandle',
      'PSecBufferDesc',
      'ULONG*',
      'PTimeStamp',
    ],
    result: 'SECURITY_STATUS',
  },
  // CompleteAuthToken(phContext, pToken): after SEC_I_COMPLETE_NEEDED / COMPLETE_AND_CONTINUE
  completeAuthToken: {
    symbol: 'CompleteAuthToken',
    params: ['PCtxtHandle', 'PSecBufferDesc'],
    result: 'SECURITY_STATUS',
  },
  // EncryptMessage(phContext, fQOP, pMessage, MessageSeqNo) ⇔ gss_wrap
  encryptMessage: {
    symbol: 'EncryptMessage',
    params: ['PCtxtHandle', 'ULONG', 'PSecBufferDesc', 'ULONG'],
    result: 'SECURITY_STATUS',
  },
  // DecryptMessage(phContext, pMessage, MessageSeqNo, pfQOP) ⇔ gss_unwrap
  decryptMessage: {
    symbol: 'DecryptMessage',
    params: ['PCtxtHandle', 'PSecBufferDesc', 'ULONG', 'ULONG*'],
    result: 'SECURITY_STATUS',
  },
  // MakeSignature(phContext, fQOP, pMessage, MessageSeqNo) ⇔ gss_get_mic
  makeSignature: {
    symbol: 'MakeSignature',
    params: ['PCtxtHandle', 'ULONG', 'PSecBufferDesc', 'ULONG'],
    result: 'SECURITY_STATUS',
  },
  // VerifySignature(phContext, pMessage, MessageSeqNo, pfQOP) ⇔ gss_verify_mic
  verifySignature: {
    symbol: 'VerifySignature',
    params: ['PCtxtHandle', 'PSecBufferDesc', 'ULONG', 'ULONG*'],
    result: 'SECURITY_STATUS',
  },
  // QueryContextAttributesW(phContext, ulAttribute, pBuffer)
  queryContextAttributes: {
    symbol: 'QueryContextAttributesW',
    params: ['PCtxtHandle', 'ULONG', 'void*out'],
    result: 'SECURITY_STATUS',
  },
  deleteSecurityContext: {
    symbol: 'DeleteSecurityContext',
    params: ['PCtxtHandle'],
    result: 'SECURITY_STATUS',
  },
  // QuerySecurityPackageInfoW(pszPackageName, ppPackageInfo): a SecPkgInfoW SSPI allocates
  // (read, then FreeContextBuffer); cbMaxToken sizes the token buffers (references §1.7).
  querySecurityPackageInfo: {
    symbol: 'QuerySecurityPackageInfoW',
    params: ['LPWSTR', 'void*out'],
    result: 'SECURITY_STATUS',
  },
  // FreeContextBuffer(pvContextBuffer): buffers SSPI allocated (ISC_REQ_ALLOCATE_MEMORY, names)
  freeContextBuffer: { symbol: 'FreeContextBuffer', params: ['PVOID'], result: 'SECURITY_STATUS' },
} as const satisfies SymbolTable;

/** sspi.h / winerror.h values used by sspi-context.ts (references §1.6). */
export const SEC = {
  E_OK: 0,
  I_CONTINUE_NEEDED: 0x00090312,
  I_COMPLETE_NEEDED: 0x00090313,
  I_COMPLETE_AND_CONTINUE: 0x00090314,
  CRED_INBOUND: 1,
  CRED_OUTBOUND: 2,
  NATIVE_DREP: 0x10,
  BUFFER_VERSION: 0,
  BUFFER_EMPTY: 0,
  BUFFER_DATA: 1,
  BUFFER_TOKEN: 2,
  BUFFER_PADDING: 9,
  BUFFER_STREAM: 10,
  BUFFER_CHANNEL_BINDINGS: 14,
  ATTR_SIZES: 0,
  ATTR_NAMES: 1,
  ATTR_NATIVE_NAMES: 13,
  /** SEC_WINNT_AUTH_IDENTITY_UNICODE: the identity's strings are UTF-16. */
  AUTH_IDENTITY_UNICODE: 2,
  /** SECQOP_WRAP_NO_ENCRYPT (KERB_WRAP_NO_ENCRYPT): sign-only EncryptMessage. */
  QOP_WRAP_NO_ENCRYPT: 0x80000001,
} as const;

/** SEC_E_* names for the statuses gssock maps (winerror.h), as signed 32-bit values. */
export const SEC_E_CODES: Readonly<
  Record<number, [name: string, code: import('../../core/errors.ts').ErrorCode, peer: boolean]>
> = {
  [0x80090300 | 0]: ['SEC_E_INSUFFICIENT_MEMORY', 'LIMIT_EXCEEDED', false],
  [0x80090301 | 0]: ['SEC_E_INVALID_HANDLE', 'INVALID_STATE', false],
  [0x80090302 | 0]: ['SEC_E_UNSUPPORTED_FUNCTION', 'NOT_SUPPORTED', false],
  [0x80090303 | 0]: ['SEC_E_TARGET_UNKNOWN', 'BAD_NAME', false],
  [0x80090304 | 0]: ['SEC_E_INTERNAL_ERROR', 'FAILURE', false],
  [0x80090305 | 0]: ['SEC_E_SECPKG_NOT_FOUND', 'BAD_MECH', false],
  [0x80090308 | 0]: ['SEC_E_INVALID_TOKEN', 'DEFECTIVE_TOKEN', true],
  [0x8009030c | 0]: ['SEC_E_LOGON_DENIED', 'LOGON_DENIED', true],
  [0x8009030e | 0]: ['SEC_E_NO_CREDENTIALS', 'NO_CREDENTIALS', false],
  [0x80090310 | 0]: ['SEC_E_OUT_OF_SEQUENCE', 'UNSEQ_TOKEN', true],
  [0x80090311 | 0]: ['SEC_E_NO_AUTHENTICATING_AUTHORITY', 'IO_ERROR', false],
  [0x80090317 | 0]: ['SEC_E_CONTEXT_EXPIRED', 'CONTEXT_EXPIRED', false],
  [0x80090318 | 0]: ['SEC_E_INCOMPLETE_MESSAGE', 'TRUNCATED', true],
  [0x80090321 | 0]: ['SEC_E_BUFFER_TOO_SMALL', 'LIMIT_EXCEEDED', false],
  [0x80090322 | 0]: ['SEC_E_WRONG_PRINCIPAL', 'BAD_NAME', true],
  [0x80090324 | 0]: ['SEC_E_TIME_SKEW', 'CLOCK_SKEW', true],
  [0x80090328 | 0]: ['SEC_E_CERT_EXPIRED', 'CREDENTIALS_EXPIRED', false],
  [0x80090330 | 0]: ['SEC_E_DECRYPT_FAILURE', 'BAD_SIGNATURE', true],
  [0x80090363 | 0]: ['SEC_E_MUTUAL_AUTH_FAILED', 'MUTUAL_AUTH_REQUIRED', true],
  [0x8009030f | 0]: ['SEC_E_MESSAGE_ALTERED', 'BAD_SIGNATURE', true],
  [0x80090345 | 0]: ['SEC_E_DELEGATION_REQUIRED', 'FLAGS_NOT_GRANTED', false],
  [0x80090346 | 0]: ['SEC_E_BAD_BINDINGS', 'BAD_BINDINGS', true],
  [0x80090342 | 0]: ['SEC_E_KDC_UNKNOWN_ETYPE', 'ETYPE_NOT_SUPPORTED', false],
};
