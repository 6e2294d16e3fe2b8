/**
 * The runtime's native `node:crypto`, reached WITHOUT a static `node:` import so pure code
 * still loads in a browser: `process.getBuiltinModule` exists on Node 20.16+, Deno 2 and
 * Bun 1. Returns undefined when absent (browsers, older Node), and callers fall back to
 * the pure @noble implementations. Only the few members gssock uses are typed here.
 */

export interface NativeCipher {
  setAutoPadding(on: boolean): NativeCipher;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}

export interface NativeHmac {
  update(data: Uint8Array): NativeHmac;
  digest(): Uint8Array;
}

/** An opaque node:crypto KeyObject (key bytes copied into native memory once). */
export interface NativeKeyObject {
  readonly type: string;
}

export interface NativeCrypto {
  createCipheriv(algorithm: string, key: Uint8Array, iv: Uint8Array | null): NativeCipher;
  createDecipheriv(algorithm: string, key: Uint8Array, iv: Uint8Array | null): NativeCipher;
  createHmac(algorithm: string, key: Uint8Array | NativeKeyObject): NativeHmac;
  createSecretKey(key: Uint8Array): NativeKeyObject;
  createHash(algorithm: string): { update(data: Uint8Array): { digest(): Uint8Array } };
  pbkdf2Sync(
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    keylen: number,
    digest: string,
  ): Uint8Array;
}

let cached: NativeCrypto | null | undefined;

/** The native crypto module, or undefined on runtimes without one. */
export function nativeCrypto(): NativeCrypto | undefined {
  if (cached === undefined) {
    cached = null;
    try {
      const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
      const mod = proc?.getBuiltinModule?.('node:crypto') as NativeCrypto | undefined;
      if (mod && typeof mod.createCipheriv === 'function' && typeof mod.createHmac === 'function')
        cached = mod;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}

export type NativeRuntime = 'node' | 'deno' | 'bun';

let runtime: NativeRuntime | null | undefined;

/**
 * Which implementation of node:crypto this is, read from node:process `versions` (through
 * getBuiltinModule, like the crypto module): their per-call costs differ by an order of
 * magnitude (Deno's native HMAC costs ~15 us a call, Bun's ~1 us), so thresholds between
 * native and pure code are chosen per runtime (see hash.ts). Undefined without node:crypto.
 */
export function nativeRuntime(): NativeRuntime | undefined {
  if (runtime === undefined) {
    runtime = null;
    try {
      const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
      const versions = (proc?.getBuiltinModule?.('node:process') as { versions?: Record<string, string> })
        ?.versions;
      if (nativeCrypto() && versions)
        runtime = versions.deno ? 'deno' : versions.bun ? 'bun' : versions.node ? 'node' : null;
    } catch {
      runtime = null;
    }
  }
  return runtime ?? undefined;
}

/** A Node Buffer (or any Uint8Array subclass) seen as a plain Uint8Array, without copying. */
export function asPlain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
