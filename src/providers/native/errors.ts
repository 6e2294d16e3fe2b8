/**
 * GSS-API status codes to gssock errors. Each error carries the major and minor status,
 * the routine error's name and the library's own words for both (gss_display_status,
 * RFC 2744 §5.11, looped until its message_context returns to 0).
 *
 * Major status layout (RFC 2744 §3.9.1): calling error in bits 24-31, routine error in
 * 16-23, supplementary info in 0-15. Supplementary bits other than CONTINUE_NEEDED on a
 * per-message call (DUPLICATE/OLD/UNSEQ/GAP) mean the token must not be trusted as fresh:
 * gssock refuses them (fail closed) with the matching typed error.
 *
 * The minor status of GSS_S_FAILURE refines the code when it is one of MIT's krb5 com_err
 * codes (krb5.h, table base -1765328384): clock skew, unknown principal, missing keytab.
 */
import { type ErrorCode, type ErrorOrigin, GssockError } from '../../core/errors.ts';
import type { NativeGssapi } from './ffi/load.ts';
import { BUFFER_DESC_SIZE, readBufferDesc } from './structs.ts';
import { GSS } from './symbols-gssapi.ts';

/** RFC 2744 §3.9.1 routine errors, by their number in bits 16-23. */
export const ROUTINE_ERRORS: Readonly<Record<number, [name: string, code: ErrorCode, peer: boolean]>> = {
  1: ['GSS_S_BAD_MECH', 'BAD_MECH', false],
  2: ['GSS_S_BAD_NAME', 'BAD_NAME', false],
  3: ['GSS_S_BAD_NAMETYPE', 'BAD_NAME', false],
  4: ['GSS_S_BAD_BINDINGS', 'BAD_BINDINGS', true],
  5: ['GSS_S_BAD_STATUS', 'INVALID_ARGUMENT', false],
  6: ['GSS_S_BAD_SIG', 'BAD_SIGNATURE', true],
  7: ['GSS_S_NO_CRED', 'NO_CREDENTIALS', false],
  8: ['GSS_S_NO_CONTEXT', 'INVALID_STATE', false],
  9: ['GSS_S_DEFECTIVE_TOKEN', 'DEFECTIVE_TOKEN', true],
  10: ['GSS_S_DEFECTIVE_CREDENTIAL', 'LOGON_DENIED', true],
  11: ['GSS_S_CREDENTIALS_EXPIRED', 'CREDENTIALS_EXPIRED', false],
  12: ['GSS_S_CONTEXT_EXPIRED', 'CONTEXT_EXPIRED', false],
  13: ['GSS_S_FAILURE', 'FAILURE', false],
  14: ['GSS_S_BAD_QOP', 'INVALID_ARGUMENT', false],
  15: ['GSS_S_UNAUTHORIZED', 'UNAUTHORIZED', false],
  16: ['GSS_S_UNAVAILABLE', 'NOT_SUPPORTED', false],
  17: ['GSS_S_DUPLICATE_ELEMENT', 'INVALID_ARGUMENT', false],
  18: ['GSS_S_NAME_NOT_MN', 'BAD_NAME', false],
};

/** Supplementary bits (RFC 2744 §3.9.1) refused on per-message calls, most specific first. */
export const SUPPLEMENTARY_ERRORS: ReadonlyArray<[bit: number, name: string, code: ErrorCode]> = [
  [GSS.DUPLICATE_TOKEN, 'GSS_S_DUPLICATE_TOKEN', 'DUPLICATE_TOKEN'],
  [GSS.OLD_TOKEN, 'GSS_S_OLD_TOKEN', 'OLD_TOKEN'],
  [GSS.UNSEQ_TOKEN, 'GSS_S_UNSEQ_TOKEN', 'UNSEQ_TOKEN'],
  [GSS.GAP_TOKEN, 'GSS_S_GAP_TOKEN', 'GAP_TOKEN'],
];

/** MIT krb5 minor codes (krb5.h) that say more than GSS_S_FAILURE. */
export const KRB5_MINOR_CODES: Readonly<Record<number, [name: string, code: ErrorCode, peer: boolean]>> = {
  [-1765328378]: ['KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN', 'LOGON_DENIED', false],
  [-1765328377]: ['KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN', 'BAD_NAME', false],
  [-1765328370]: ['KRB5KDC_ERR_ETYPE_NOSUPP', 'ETYPE_NOT_SUPPORTED', false],
  [-1765328361]: ['KRB5KDC_ERR_KEY_EXP', 'CREDENTIALS_EXPIRED', false],
  [-1765328360]: ['KRB5KDC_ERR_PREAUTH_FAILED', 'LOGON_DENIED', false],
  [-1765328353]: ['KRB5KRB_AP_ERR_BAD_INTEGRITY', 'BAD_SIGNATURE', true],
  [-1765328352]: ['KRB5KRB_AP_ERR_TKT_EXPIRED', 'CREDENTIALS_EXPIRED', true],
  [-1765328350]: ['KRB5KRB_AP_ERR_REPEAT', 'DUPLICATE_TOKEN', true],
  [-1765328349]: ['KRB5KRB_AP_ERR_NOT_US', 'BAD_NAME', true],
  [-1765328347]: ['KRB5KRB_AP_ERR_SKEW', 'CLOCK_SKEW', true],
  [-1765328343]: ['KRB5KRB_AP_ERR_MODIFIED', 'BAD_SIGNATURE', true],
  [-1765328339]: ['KRB5KRB_AP_ERR_NOKEY', 'NO_CREDENTIALS', false],
  [-1765328243]: ['KRB5_CC_NOTFOUND', 'NO_CREDENTIALS', false],
  [-1765328228]: ['KRB5_KDC_UNREACH', 'IO_ERROR', false],
  [-1765328203]: ['KRB5_KT_NOTFOUND', 'NO_CREDENTIALS', false],
  [-1765328196]: ['KRB5_BAD_ENCTYPE', 'ETYPE_NOT_SUPPORTED', false],
  [-1765328189]: ['KRB5_FCC_NOFILE', 'NO_CREDENTIALS', false],
  [-1765328154]: ['KRB5_KT_KVNONOTFOUND', 'NO_CREDENTIALS', false],
};

const MAX_STATUS_MESSAGES = 8;
const MAX_STATUS_LENGTH = 1024;

/** gss_display_status text of one status value (GSS_C_GSS_CODE or GSS_C_MECH_CODE). */
export function displayStatus(native: NativeGssapi, status: number, type: number, mech: bigint = 0n): string {
  const minor = new Uint8Array(4);
  const context = new Uint8Array(4);
  const parts: string[] = [];
  const view = new DataView(context.buffer);
  for (let i = 0; i < MAX_STATUS_MESSAGES; i++) {
    const out = new Uint8Array(BUFFER_DESC_SIZE);
    const major = native.gss.displayStatus(minor, status >>> 0, type, mech, context, out);
    if ((major & (GSS.ROUTINE_ERROR_MASK | GSS.CALLING_ERROR_MASK)) !== 0) break;
    const desc = readBufferDesc(out);
    if (desc.length > 0) {
      const text = native.memory.read(desc.value, Math.min(desc.length, MAX_STATUS_LENGTH));
      parts.push(new TextDecoder().decode(text));
    }
    native.gss.releaseBuffer(minor, out);
    if (view.getUint32(0, true) === 0) break;
  }
  return parts.join('; ');
}

export interface StatusErrorOptions {
  /** Who is to blame when the codes do not say (e.g. 'peer' while consuming a peer token). */
  origin?: ErrorOrigin;
  mech?: bigint;
  /** An error token the library produced (to send to the peer if the caller wants). */
  outputToken?: Uint8Array;
}

/** The GssockError for a failed call `op` that returned (major, minor). */
export function statusError(
  native: NativeGssapi,
  op: string,
  major: number,
  minor: number,
  options: StatusErrorOptions = {},
): GssockError {
  const routine = (major >>> 16) & 0xff;
  const calling = (major >>> 24) & 0xff;
  let [routineName, code, peer] = ROUTINE_ERRORS[routine] ?? ['GSS_S_COMPLETE', 'FAILURE', false];
  if (calling !== 0) [routineName, code, peer] = ['GSS_S_CALL_ERROR', 'INVALID_ARGUMENT', false];
  if (routine === 0 && calling === 0) {
    const sup = SUPPLEMENTARY_ERRORS.find(([bit]) => (major & bit) !== 0);
    if (sup) [routineName, code, peer] = [sup[1], sup[2], true];
  }
  const krb5 = KRB5_MINOR_CODES[minor | 0];
  if (krb5 && (code === 'FAILURE' || code === 'NO_CREDENTIALS' || code === 'LOGON_DENIED')) {
    [code, peer] = [krb5[1], krb5[2] || peer];
  }
  const majorText = displayStatus(native, major, GSS.C_GSS_CODE);
  const minorRaw = minor !== 0 ? displayStatus(native, minor, GSS.C_MECH_CODE, options.mech) : '';
  // MIT's mechglue maps some minor codes; a mapped 0 reads "Success", which says nothing.
  const minorText = minorRaw === 'Success' ? '' : minorRaw;
  const text = [majorText, minorText].filter(Boolean).join(': ');
  return new GssockError(code, `${op}: ${text || routineName} (major 0x${hex(major)}, minor ${minor | 0})`, {
    origin: peer ? 'peer' : (options.origin ?? 'local'),
    details: {
      gssMajorStatus: major >>> 0,
      gssMinorStatus: minor >>> 0,
      routineError: routineName,
      ...(krb5 ? { krb5Error: krb5[0] } : {}),
      majorText,
      minorText,
      ...(options.outputToken ? { outputToken: options.outputToken } : {}),
    },
  });
}

export function isGssError(major: number): boolean {
  return (major & (GSS.ROUTINE_ERROR_MASK | GSS.CALLING_ERROR_MASK)) !== 0;
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
