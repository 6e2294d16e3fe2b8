/**
 * Bun backend: a symbol table to `bun:ffi` bindings.
 * Bun keys its symbols by C name, so a symbol bound twice under two keys (memcpy in and
 * out) is opened once; both `addr` and `bytes` are `FFIType.ptr` (a number, or a typed
 * array lent for the call). Addresses are bigints in gssock and numbers in Bun (47-bit
 * user-space addresses fit), converted at the boundary. Optional symbols are opened one
 * by one so a missing one does not fail the rest.
 */
import {
  type AbiType,
  abiOf,
  type Bindings,
  type FfiBackend,
  type SymbolSpec,
  type SymbolTable,
} from './types.ts';

type BunFfi = typeof import('bun:ffi');
type BunFn = (...args: unknown[]) => unknown;

export function createBunBackend(ffi: BunFfi): FfiBackend {
  const T = ffi.FFIType;
  const KIND: Record<AbiType, (typeof T)[keyof typeof T]> = {
    u32: T.u32,
    i32: T.i32,
    usize: T.u64,
    addr: T.ptr,
    bytes: T.ptr,
    void: T.void,
  };
  const def = (spec: SymbolSpec) => {
    const abi = abiOf(spec);
    return { args: abi.params.map((k) => KIND[k]), returns: KIND[abi.result] };
  };
  return {
    name: 'bun',
    open<Tb extends SymbolTable>(path: string, table: Tb): Bindings<Tb> {
      const required: Record<string, ReturnType<typeof def>> = {};
      for (const spec of Object.values(table)) if (!spec.optional) required[spec.symbol] = def(spec);
      const fns = new Map<string, BunFn>();
      const lib = ffi.dlopen(path, required);
      for (const name of Object.keys(required)) fns.set(name, lib.symbols[name] as unknown as BunFn);
      for (const spec of Object.values(table)) {
        if (!spec.optional || fns.has(spec.symbol)) continue;
        try {
          const one = ffi.dlopen(path, { [spec.symbol]: def(spec) });
          fns.set(spec.symbol, one.symbols[spec.symbol] as unknown as BunFn);
        } catch {
          // Absent from this build: the binding stays undefined.
        }
      }
      const out: Record<string, unknown> = {};
      for (const [key, spec] of Object.entries(table)) {
        const fn = fns.get(spec.symbol);
        out[key] = fn ? wrap(fn, abiOf(spec)) : undefined;
      }
      return out as Bindings<Tb>;
    },
  };
}

function wrap(fn: BunFn, abi: { params: AbiType[]; result: AbiType }): BunFn {
  const addrAt = abi.params.flatMap((k, i) => (k === 'addr' ? [i] : []));
  const toBigint = abi.result === 'addr' || abi.result === 'usize';
  return (...args: unknown[]) => {
    for (const i of addrAt) args[i] = Number(args[i] as bigint);
    const r = fn(...args);
    if (toBigint) return BigInt((r as number | bigint | null) ?? 0);
    return abi.result === 'void' ? undefined : r;
  };
}
