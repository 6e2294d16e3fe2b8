/**
 * The GSS-API symbols gssock calls, in one declarative table (RFC 2744 C bindings, with
 * each function's parameters in the order of its prototype in gssapi.h), plus the few
 * libc functions used to place input bytes in native memory.
 *
 * Every GSS function returns the major status (OM_uint32) and takes `OM_uint32 *minor_status`
 * first. Which C type becomes which ABI kind is decided once, in ffi/types.ts `C_TYPES`.
 */
import type { SymbolTable } from './ffi/types.ts';

export const GSSAPI_SYMBOLS = {
  // RFC 2744 §5.16 gss_import_name(minor, input_name_buffer, input_name_type, output_name)
  importName: {
    symbol: 'gss_import_name',
    params: ['OM_uint32*', 'gss_buffer_t', 'gss_OID', 'gss_name_t*'],
    result: 'OM_uint32',
  },
  // §5.10 gss_display_name(minor, input_name, output_name_buffer, output_name_type)
  displayName: {
    symbol: 'gss_display_name',
    params: ['OM_uint32*', 'gss_name_t', 'gss_buffer_t', 'gss_OID*'],
    result: 'OM_uint32',
  },
  // §5.28 gss_release_name(minor, name)
  releaseName: { symbol: 'gss_release_name', params: ['OM_uint32*', 'gss_name_t*'], result: 'OM_uint32' },
  // §5.2 gss_acquire_cred(minor, desired_name, time_req, desired_mechs, cred_usage,
  //                       output_cred_handle, actual_mechs, time_rec)
  acquireCred: {
    symbol: 'gss_acquire_cred',
    params: [
      'OM_uint32*',
      'gss_name_t',
      'OM_uint32',
      'gss_OID_set',
      'gss_cred_usage_t',
      'gss_cred_id_t*',
      'gss_OID_set*',
      'OM_uint32*',
    ],
    result: 'OM_uint32',
  },
  // MIT 1.11+ (gssapi_ext.h) gss_acquire_cred_from: the same plus cred_store before output_cred_handle
  acquireCredFrom: {
    symbol: 'gss_acquire_cred_from',
    params: [
      'OM_uint32*',
      'gss_name_t',
      'OM_uint32',
      'gss_OID_set',
      'gss_cred_usage_t',
      'gss_const_key_value_set_t',
      'gss_cred_id_t*',
      'gss_OID_set*',
      'OM_uint32*',
    ],
    result: 'OM_uint32',
    optional: true,
  },
  // §5.27 gss_release_cred(minor, cred_handle)
  releaseCred: { symbol: 'gss_release_cred', params: ['OM_uint32*', 'gss_cred_id_t*'], result: 'OM_uint32' },
  // §5.19 gss_init_sec_context(minor, claimant_cred, context_handle, target_name, mech_type,
  //   req_flags, time_req, input_chan_bindings, input_token, actual_mech_type, output_token,
  //   ret_flags, time_rec)
  initSecContext: {
    symbol: 'gss_init_sec_context',
    params: [
      'OM_uint32*',
      'gss_cred_id_t',
      'gss_ctx_id_t*',
      'gss_name_t',
      'gss_OID',
      'OM_uint32',
      'OM_uint32',
      'gss_channel_bindings_t',
      'gss_buffer_t',
      'gss_OID*',
      'gss_buffer_t',
      'OM_uint32*',
      'OM_uint32*',
    ],
    result: 'OM_uint32',
  },
  // §5.1 gss_accept_sec_context(minor, context_handle, acceptor_cred, input_token,
  //   input_chan_bindings, src_name, mech_type, output_token, ret_flags, time_rec,
  //   delegated_cred_handle)
  acceptSecContext: {
    symbol: 'gss_accept_sec_context',
    params: [
      'OM_uint32*',
      'gss_ctx_id_t*',
      'gss_cred_id_t',
      'gss_buffer_t',
      'gss_channel_bindings_t',
      'gss_name_t*',
      'gss_OID*',
      'gss_buffer_t',
      'OM_uint32*',
      'OM_uint32*',
      'gss_cred_id_t*',
    ],
    result: 'OM_uint32',
  },
  // §5.9 gss_delete_sec_context(minor, context_handle, output_token)
  deleteSecContext: {
    symbol: 'gss_delete_sec_context',
    params: ['OM_uint32*', 'gss_ctx_id_t*', 'gss_buffer_t'],
    result: 'OM_uint32',
  },
  // §5.20 gss_inquire_context(minor, context, src_name, targ_name, lifetime_rec, mech_type,
  //   ctx_flags, locally_initiated, open)
  inquireContext: {
    symbol: 'gss_inquire_context',
    params: [
      'OM_uint32*',
      'gss_ctx_id_t',
      'gss_name_t*',
      'gss_name_t*',
      'OM_uint32*',
      'gss_OID*',
      'OM_uint32*',
      'int*',
      'int*',
    ],
    result: 'OM_uint32',
  },
  // §5.33 gss_wrap(minor, context, conf_req_flag, qop_req, input_message, conf_state, output_message)
  wrap: {
    symbol: 'gss_wrap',
    params: ['OM_uint32*', 'gss_ctx_id_t', 'int', 'gss_qop_t', 'gss_buffer_t', 'int*', 'gss_buffer_t'],
    result: 'OM_uint32',
  },
  // §5.31 gss_unwrap(minor, context, input_message, output_message, conf_state, qop_state)
  unwrap: {
    symbol: 'gss_unwrap',
    params: ['OM_uint32*', 'gss_ctx_id_t', 'gss_buffer_t', 'gss_buffer_t', 'int*', 'gss_qop_t*'],
    result: 'OM_uint32',
  },
  // §5.15 gss_get_mic(minor, context, qop_req, message, msg_token)
  getMic: {
    symbol: 'gss_get_mic',
    params: ['OM_uint32*', 'gss_ctx_id_t', 'gss_qop_t', 'gss_buffer_t', 'gss_buffer_t'],
    result: 'OM_uint32',
  },
  // §5.32 gss_verify_mic(minor, context, message, token, qop_state)
  verifyMic: {
    symbol: 'gss_verify_mic',
    params: ['OM_uint32*', 'gss_ctx_id_t', 'gss_buffer_t', 'gss_buffer_t', 'gss_qop_t*'],
    result: 'OM_uint32',
  },
  // §5.11 gss_display_status(minor, status_value, status_type, mech_type, message_context, status_string)
  displayStatus: {
    symbol: 'gss_display_status',
    params: ['OM_uint32*', 'OM_uint32', 'int', 'gss_OID', 'OM_uint32*', 'gss_buffer_t'],
    result: 'OM_uint32',
  },
  // §5.26 gss_release_buffer(minor, buffer)
  releaseBuffer: {
    symbol: 'gss_release_buffer',
    params: ['OM_uint32*', 'gss_buffer_t'],
    result: 'OM_uint32',
  },
  // §5.29 gss_release_oid_set(minor, set)
  releaseOidSet: {
    symbol: 'gss_release_oid_set',
    params: ['OM_uint32*', 'gss_OID_set*'],
    result: 'OM_uint32',
  },
} as const satisfies SymbolTable;

/**
 * libc: native memory for the bytes that structs point at (an input token inside a
 * gss_buffer_desc, OID elements, channel-binding data), and setenv, because MIT reads
 * KRB5_CONFIG with getenv() and Bun's process.env does not reach the C environment.
 * memcpy is bound twice, once per direction, so each direction has exact ABI kinds.
 */
export const LIBC_SYMBOLS = {
  malloc: { symbol: 'malloc', params: ['size_t'], result: 'void*' },
  free: { symbol: 'free', params: ['void*'], result: 'void' },
  copyIn: { symbol: 'memcpy', params: ['void*', 'const void*', 'size_t'], result: 'void*' },
  copyOut: { symbol: 'memcpy', params: ['void*out', 'void*', 'size_t'], result: 'void*' },
  setenv: { symbol: 'setenv', params: ['const char*', 'const char*', 'int'], result: 'int', optional: true },
} as const satisfies SymbolTable;

/** Status codes and constants of gssapi.h used by the context code. */
export const GSS = {
  COMPLETE: 0,
  CONTINUE_NEEDED: 1,
  DUPLICATE_TOKEN: 2,
  OLD_TOKEN: 4,
  UNSEQ_TOKEN: 8,
  GAP_TOKEN: 16,
  /** Routine error field: bits 16-23; calling errors: bits 24-31 (RFC 2744 §3.9.1). */
  ROUTINE_ERROR_MASK: 0x00ff0000,
  CALLING_ERROR_MASK: 0xff000000,
  C_GSS_CODE: 1,
  C_MECH_CODE: 2,
  C_BOTH: 0,
  C_INITIATE: 1,
  C_ACCEPT: 2,
  C_INDEFINITE: 0xffffffff,
} as const;
