/**
 * The neutral vocabulary the symbol tables are written in, and the shape every FFI
 * backend (Deno.dlopen, bun:ffi, koffi) turns a table into.
 *
 * Theory of operation
 * - A table maps a JS key to one C function: its symbol name, its parameters as C type
 *   names (RFC 2744 / sspi.h spelling) and its result. `C_TYPES` maps each C type name to
 *   one of five ABI kinds, so a backend only has to know the kinds:
 *   - `u32` / `i32`: 32-bit integers passed by value (OM_uint32, int, ULONG, LONG);
 *   - `usize`: size_t by value;
 *   - `addr`: a pointer the library handed out or that lives in native memory we
 *     allocated (names, credentials, OIDs, malloc'd blocks), carried in JS as a bigint;
 *   - `bytes`: a pointer to JS memory (a Uint8Array) lent for the duration of the call
 *     only: out-parameters (OM_uint32*, gss_ctx_id_t*) and structs read or written during
 *     the call (gss_buffer_desc). Never stored by the library, so a moving GC is harmless.
 * - Structs are laid out by hand in ../structs.ts with DataView, so no FFI needs to know
 *   struct types; pointers stored inside structs are always `addr` (native memory).
 * - Every pointer-sized kind assumes a 64-bit process (LP64 on Linux/macOS, LLP64 on
 *   Windows: pointers and size_t are 8 bytes in both).
 */

export type AbiType = 'u32' | 'i32' | 'usize' | 'addr' | 'bytes' | 'void';

/** The C types the tables use, each with its ABI kind. */
export const C_TYPES = {
  void: 'void',
  // RFC 2744 (gssapi.h)
  OM_uint32: 'u32',
  int: 'i32',
  gss_qop_t: 'u32',
  gss_cred_usage_t: 'i32',
  size_t: 'usize',
  'OM_uint32*': 'bytes',
  'int*': 'bytes',
  'gss_qop_t*': 'bytes',
  gss_buffer_t: 'bytes',
  gss_OID: 'addr',
  'gss_OID*': 'bytes',
  gss_OID_set: 'addr',
  'gss_OID_set*': 'bytes',
  gss_name_t: 'addr',
  'gss_name_t*': 'bytes',
  gss_ctx_id_t: 'addr',
  'gss_ctx_id_t*': 'bytes',
  gss_cred_id_t: 'addr',
  'gss_cred_id_t*': 'bytes',
  gss_channel_bindings_t: 'bytes',
  gss_const_key_value_set_t: 'bytes',
  // libc
  'void*': 'addr',
  'const void*': 'bytes',
  'void*out': 'bytes',
  'const char*': 'bytes',
  // sspi.h (Windows LLP64: ULONG/LONG are 32-bit)
  ULONG: 'u32',
  SECURITY_STATUS: 'i32',
  'ULONG*': 'bytes',
  LPWSTR: 'bytes',
  PVOID: 'addr',
  PCredHandle: 'bytes',
  PCtxtHandle: 'bytes',
  PSecBufferDesc: 'bytes',
  PTimeStamp: 'bytes',
} as const satisfies Record<string, AbiType>;

export type CType = keyof typeof C_TYPES;

export interface SymbolSpec {
  /** The exported C symbol. */
  readonly symbol: string;
  readonly params: readonly CType[];
  readonly result: CType;
  /** Absent from some builds: bound when present, else the binding is undefined. */
  readonly optional?: boolean;
}

export type SymbolTable = Readonly<Record<string, SymbolSpec>>;

/** A JS value for a parameter of the given ABI kind. */
export type JsArg<A extends AbiType> = A extends 'u32' | 'i32'
  ? number
  : A extends 'usize'
    ? number | bigint
    : A extends 'addr'
      ? bigint
      : A extends 'bytes'
        ? Uint8Array | null
        : never;

/** A JS value returned for the given ABI kind. */
export type JsResult<A extends AbiType> = A extends 'u32' | 'i32'
  ? number
  : A extends 'usize' | 'addr'
    ? bigint
    : A extends 'void'
      ? undefined
      : never;

type Args<P extends readonly CType[]> = { -readonly [I in keyof P]: JsArg<(typeof C_TYPES)[P[I]]> };

export type BoundFunction<S extends SymbolSpec> = (
  ...args: Args<S['params']> extends infer A extends unknown[] ? A : never
) => JsResult<(typeof C_TYPES)[S['result']]>;

/** The callable bindings of a table; optional symbols may be undefined. */
export type Bindings<T extends SymbolTable> = {
  readonly [K in keyof T]: T[K]['optional'] extends true
    ? BoundFunction<T[K]> | undefined
    : BoundFunction<T[K]>;
};

/** What one runtime's FFI offers: open a library and bind a table's symbols. */
export interface FfiBackend {
  /** 'deno' | 'bun' | 'koffi'. */
  readonly name: string;
  /** Throws (any error) when the library cannot be opened or a required symbol is missing. */
  open<T extends SymbolTable>(path: string, table: T): Bindings<T>;
}

/** ABI kinds of a spec's parameters and result, for backends. */
export function abiOf(spec: SymbolSpec): { params: AbiType[]; result: AbiType } {
  return { params: spec.params.map((p) => C_TYPES[p]), result: C_TYPES[spec.result] };
}
