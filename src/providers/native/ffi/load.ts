/**
 * Finds the runtime's FFI and the platform's libraries, on first use only: nothing here
 * runs at import, and each FFI module is reached through a dynamic import inside
 * `loadGssapi`, so importing gssock never loads an FFI nor touches a runtime global.
 *
 * - FFI: Deno.dlopen on Deno (needs --allow-ffi), bun:ffi on Bun, koffi on Node
 *   (optional dependency). Node's own node:ffi is not used: no released Node line has it
 *   unflagged.
 * - GSS-API library: `options.library`, else env GSSOCK_GSSAPI_LIB, else
 *   libgssapi_krb5.so.2 (Linux, MIT) or GSS.framework (macOS, Heimdal-derived, packed
 *   structs). libc for malloc/free/memcpy/setenv.
 * - A failure becomes a NOT_SUPPORTED GssockError (with the cause), thrown where a context
 *   is created. Successful loads are cached per library path for the process lifetime.
 */
import { gssError } from '../../../core/errors.ts';
import { NativeMemory, type StructLayout } from '../structs.ts';
import { GSSAPI_SYMBOLS, LIBC_SYMBOLS } from '../symbols-gssapi.ts';
import type { Bindings, FfiBackend } from './types.ts';

export const GSSAPI_LIBRARY_ENV = 'GSSOCK_GSSAPI_LIB';

export interface NativeGssapi {
  /** 'deno' | 'bun' | 'koffi'. */
  ffi: string;
  /** The library path that was opened. */
  path: string;
  gss: Bindings<typeof GSSAPI_SYMBOLS>;
  libc: Bindings<typeof LIBC_SYMBOLS>;
  memory: NativeMemory;
  layout: StructLayout;
}

interface ProcessLike {
  platform?: string;
  env?: Record<string, string | undefined>;
}
interface DenoLike {
  build?: { os?: string };
  env?: { get(name: string): string | undefined; set(name: string, value: string): void };
  dlopen?: unknown;
}

function runtimeGlobals(): { process?: ProcessLike; deno?: DenoLike; bun: boolean } {
  const g = globalThis as { process?: ProcessLike; Deno?: DenoLike; Bun?: unknown };
  return { process: g.process, deno: g.Deno, bun: g.Bun !== undefined };
}

/** 'linux' | 'darwin' | 'windows' | other, from whichever runtime global exists. */
export function platform(): string {
  const { process, deno } = runtimeGlobals();
  const os = deno?.build?.os ?? process?.platform ?? 'unknown';
  return os === 'win32' ? 'windows' : os;
}

function envValue(name: string): string | undefined {
  const { process, deno } = runtimeGlobals();
  try {
    return process?.env?.[name] ?? deno?.env?.get(name);
  } catch {
    return undefined; // Deno without --allow-env
  }
}

export function defaultLibraries(os = platform()): { gssapi: string; libc: string; layout: StructLayout } {
  if (os === 'darwin')
    return {
      gssapi: '/System/Library/Frameworks/GSS.framework/GSS',
      libc: '/usr/lib/libSystem.B.dylib',
      layout: 'apple-pack2',
    };
  return { gssapi: 'libgssapi_krb5.so.2', libc: 'libc.so.6', layout: 'lp64' };
}

/** Picks and loads the runtime's FFI backend. */
export async function loadBackend(): Promise<FfiBackend> {
  const { deno, bun } = runtimeGlobals();
  if (deno?.dlopen) return (await import('./deno.ts')).denoBackend;
  if (bun) {
    const specifier = 'bun:ffi';
    const ffi = (await import(specifier)) as typeof import('bun:ffi');
    return (await import('./bun.ts')).createBunBackend(ffi);
  }
  const specifier = 'koffi';
  const mod = (await import(specifier)) as { default?: typeof import('koffi') } & typeof import('koffi');
  return (await import('./node-koffi.ts')).createKoffiBackend(mod.default ?? mod);
}

const cache = new Map<string, Promise<NativeGssapi>>();

export interface LoadOptions {
  /** Path or soname of the GSS-API library; default env GSSOCK_GSSAPI_LIB, then the platform's. */
  library?: string;
}

/** The bound GSS-API and libc of this process (cached); NOT_SUPPORTED when unavailable. */
export function loadGssapi(options: LoadOptions = {}): Promise<NativeGssapi> {
  const os = platform();
  const defaults = defaultLibraries(os);
  const path = options.library ?? envValue(GSSAPI_LIBRARY_ENV) ?? defaults.gssapi;
  let loading = cache.get(path);
  if (!loading) {
    loading = open(path, os, defaults);
    cache.set(path, loading);
    // A failed load is not cached: the library may be installed later.
    loading.catch(() => cache.delete(path));
  }
  return loading;
}

async function open(
  path: string,
  os: string,
  defaults: ReturnType<typeof defaultLibraries>,
): Promise<NativeGssapi> {
  if (os === 'windows')
    throw gssError('NOT_SUPPORTED', 'no GSS-API library on Windows: native() uses SSPI (secur32.dll) there');
  let backend: FfiBackend;
  try {
    backend = await loadBackend();
  } catch (e) {
    throw gssError(
      'NOT_SUPPORTED',
      `no FFI available on this runtime (Deno needs --allow-ffi; Node needs the optional dependency koffi): ${describe(e)}`,
      { cause: e },
    );
  }
  try {
    const libc = backend.open(defaults.libc, LIBC_SYMBOLS);
    const gss = backend.open(path, GSSAPI_SYMBOLS);
    return { ffi: backend.name, path, gss, libc, memory: new NativeMemory(libc), layout: defaults.layout };
  } catch (e) {
    throw gssError(
      'NOT_SUPPORTED',
      `cannot load the GSS-API library ${path} through ${backend.name}: ${describe(e)}`,
      {
        cause: e,
        details: { library: path, ffi: backend.name },
      },
    );
  }
}

/**
 * Sets variables in the C environment the library reads with getenv() (KRB5_CONFIG,
 * KRB5CCNAME, KRB5_KTNAME, ...). Node's and Deno's env setters reach it; Bun's
 * process.env does not, hence libc setenv as well. Process-global by nature.
 */
export function applyEnvironment(native: NativeGssapi, vars: Record<string, string>): void {
  const { process } = runtimeGlobals();
  for (const [name, value] of Object.entries(vars)) {
    if (process?.env) process.env[name] = value;
    const enc = new TextEncoder();
    const z = (s: string) => {
      const b = enc.encode(`${s}\0`);
      return b;
    };
    native.libc.setenv?.(z(name), z(value), 1);
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
