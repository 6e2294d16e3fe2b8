/**
 * Node backend: a symbol table to koffi bindings (koffi is an optional dependency: a
 * prebuilt N-API module, nothing compiled at install).
 * `addr` is `uintptr_t` (koffi takes a bigint or number and may return either; gssock
 * always gets a bigint back), `bytes` is `void *` (koffi passes a typed array's own
 * memory for the call). Optional symbols that are missing bind as undefined.
 */
import { type AbiType, abiOf, type Bindings, type FfiBackend, type SymbolTable } from './types.ts';

type Koffi = typeof import('koffi');
type KoffiFn = (...args: unknown[]) => unknown;

const KIND: Record<AbiType, string> = {
  u32: 'uint32_t',
  i32: 'int32_t',
  usize: 'size_t',
  addr: 'uintptr_t',
  bytes: 'void *',
  void: 'void',
};

export function createKoffiBackend(koffi: Koffi): FfiBackend {
  return {
    name: 'koffi',
    open<T extends SymbolTable>(path: string, table: T): Bindings<T> {
      const lib = koffi.load(path);
      const out: Record<string, unknown> = {};
      for (const [key, spec] of Object.entries(table)) {
        const abi = abiOf(spec);
        let fn: KoffiFn;
        try {
          fn = lib.func(
            spec.symbol,
            KIND[abi.result],
            abi.params.map((k) => KIND[k]),
          ) as KoffiFn;
        } catch (e) {
          if (spec.optional) {
            out[key] = undefined;
            continue;
          }
          throw e;
        }
        out[key] =
          abi.result === 'addr' || abi.result === 'usize'
            ? (...args: unknown[]) => BigInt(fn(...args) as number | bigint)
            : fn;
      }
      return out as Bindings<T>;
    },
  };
}
