/**
 * Deno backend: a symbol table to `Deno.dlopen` bindings.
 * ABI kinds: `addr` travels as `usize` (a bigint, so no `Deno.UnsafePointer` objects are
 * needed), `bytes` as `buffer` (a Uint8Array lent for the call). Optional symbols use
 * Deno's own `optional: true` (a missing one binds as null).
 *
 * The Deno types used are declared here (the project's tsc has no Deno lib).
 */
import { type AbiType, abiOf, type Bindings, type FfiBackend, type SymbolTable } from './types.ts';

type DenoNativeType = 'u32' | 'i32' | 'usize' | 'buffer' | 'void';
interface DenoSymbolDef {
  name: string;
  parameters: DenoNativeType[];
  result: DenoNativeType;
  optional?: boolean;
}
type DenoFn = (...args: unknown[]) => unknown;
interface DenoDynamicLibrary {
  symbols: Record<string, DenoFn | null>;
  close(): void;
}
interface DenoFfi {
  dlopen(path: string, symbols: Record<string, DenoSymbolDef>): DenoDynamicLibrary;
}

const KIND: Record<AbiType, DenoNativeType> = {
  u32: 'u32',
  i32: 'i32',
  usize: 'usize',
  addr: 'usize',
  bytes: 'buffer',
  void: 'void',
};

function denoNamespace(): DenoFfi {
  const d = (globalThis as { Deno?: DenoFfi }).Deno;
  if (!d?.dlopen) throw new Error('Deno.dlopen is not available (run with --allow-ffi)');
  return d;
}

export const denoBackend: FfiBackend = {
  name: 'deno',
  open<T extends SymbolTable>(path: string, table: T): Bindings<T> {
    const defs: Record<string, DenoSymbolDef> = {};
    for (const [key, spec] of Object.entries(table)) {
      const abi = abiOf(spec);
      defs[key] = {
        name: spec.symbol,
        parameters: abi.params.map((k) => KIND[k]),
        result: KIND[abi.result],
        ...(spec.optional ? { optional: true } : {}),
      };
    }
    const lib = denoNamespace().dlopen(path, defs);
    const out: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(table)) {
      const fn = lib.symbols[key];
      if (!fn) {
        out[key] = undefined;
        continue;
      }
      const result = abiOf(spec).result;
      // usize results come back as number or bigint: addresses are bigints in gssock.
      out[key] =
        result === 'addr' || result === 'usize'
          ? (...args: unknown[]) => BigInt(fn(...args) as number | bigint)
          : result === 'void'
            ? (...args: unknown[]) => {
                fn(...args);
                return undefined;
              }
            : fn;
    }
    return out as Bindings<T>;
  },
};
