/**
 * Per-message calls on an established GSS-API context (RFC 2744 §5.13, §5.15, §5.32,
 * §5.33): gss_wrap/gss_unwrap and gss_get_mic/gss_verify_mic. Inputs are copied into a
 * per-call arena; outputs are copied out and released (gssapi-handles.ts).
 *
 * Supplementary status on receive (DUPLICATE/OLD/UNSEQ/GAP, RFC 2744 §3.9.1) fails closed
 * with the matching typed error, so a replayed or reordered token is never delivered.
 */
import { gssError } from '../../core/errors.ts';
import type { UnwrapResult, WrapOptions } from '../../core/mechanism.ts';
import { isGssError, statusError } from './errors.ts';
import type { NativeGssapi } from './ffi/load.ts';
import { takeBuffer } from './gssapi-handles.ts';
import { readMinor } from './names.ts';
import { BUFFER_DESC_SIZE, NativeArena, readI32, readU32 } from './structs.ts';
import { GSS } from './symbols-gssapi.ts';

/**
 * An empty token would reach the library as a NULL gss_buffer_desc.value, which MIT
 * answers with a calling error (GSS_S_CALL_INACCESSIBLE_READ): it is the peer's defect.
 */
export function emptyIsDefective(token: Uint8Array, what: string): void {
  if (token.length === 0) throw gssError('DEFECTIVE_TOKEN', `empty ${what} token`, { origin: 'peer' });
}

/** Runs one library call with a fresh arena and minor status. */
function call(
  native: NativeGssapi,
  fn: (arena: NativeArena, minor: Uint8Array) => number,
): { major: number; minor: number } {
  const arena = new NativeArena(native.memory);
  const minor = new Uint8Array(4);
  try {
    return { major: fn(arena, minor), minor: readMinor(minor) };
  } finally {
    arena.release();
  }
}

/** Errors and refused supplementary bits (fail closed) of a per-message receive call. */
function refuse(native: NativeGssapi, op: string, major: number, minor: number): void {
  const supplementary = major & (GSS.DUPLICATE_TOKEN | GSS.OLD_TOKEN | GSS.UNSEQ_TOKEN | GSS.GAP_TOKEN);
  if (isGssError(major) || supplementary !== 0)
    throw statusError(native, op, isGssError(major) ? major : supplementary, minor, { origin: 'peer' });
}

export function gssWrap(
  native: NativeGssapi,
  ctx: bigint,
  message: Uint8Array,
  options: WrapOptions,
): Uint8Array {
  const confidential = options.confidential ?? true;
  const confState = new Uint8Array(4);
  const out = new Uint8Array(BUFFER_DESC_SIZE);
  const { major, minor } = call(native, (arena, minor) =>
    native.gss.wrap(
      minor,
      ctx,
      confidential ? 1 : 0,
      options.qop ?? 0,
      arena.bufferDesc(message),
      confState,
      out,
    ),
  );
  const token = takeBuffer(native, out);
  if (isGssError(major)) throw statusError(native, 'gss_wrap', major, minor);
  if (confidential && readI32(confState) === 0)
    throw gssError('FLAGS_NOT_GRANTED', 'confidentiality was asked for but the context cannot encrypt');
  return token;
}

export function gssUnwrap(native: NativeGssapi, ctx: bigint, token: Uint8Array): UnwrapResult {
  emptyIsDefective(token, 'wrap');
  const confState = new Uint8Array(4);
  const qopState = new Uint8Array(4);
  const out = new Uint8Array(BUFFER_DESC_SIZE);
  const { major, minor } = call(native, (arena, minor) =>
    native.gss.unwrap(minor, ctx, arena.bufferDesc(token), out, confState, qopState),
  );
  const message = takeBuffer(native, out);
  refuse(native, 'gss_unwrap', major, minor);
  return { message, confidential: readI32(confState) !== 0, qop: readU32(qopState) };
}

export function gssGetMic(native: NativeGssapi, ctx: bigint, message: Uint8Array, qop: number): Uint8Array {
  const out = new Uint8Array(BUFFER_DESC_SIZE);
  const { major, minor } = call(native, (arena, minor) =>
    native.gss.getMic(minor, ctx, qop, arena.bufferDesc(message), out),
  );
  const token = takeBuffer(native, out);
  if (isGssError(major)) throw statusError(native, 'gss_get_mic', major, minor);
  return token;
}

export function gssVerifyMic(native: NativeGssapi, ctx: bigint, message: Uint8Array, mic: Uint8Array): void {
  emptyIsDefective(mic, 'MIC');
  const qopState = new Uint8Array(4);
  const { major, minor } = call(native, (arena, minor) =>
    native.gss.verifyMic(minor, ctx, arena.bufferDesc(message), arena.bufferDesc(mic), qopState),
  );
  refuse(native, 'gss_verify_mic', major, minor);
}
