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

export interface NativeCrypto {
  createCipheriv(algorithm: string, key: Uint8Array, iv: Uint8Array | null): NativeCipher;
  createDecipheriv(algorithm: string, key: Uint8Array, iv: Uint8Array | null): NativeCipher;
  createHmac(algorithm: string, key: Uint8Array): NativeHmac;
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

/** A Node Buffer (or any Uint8Array subclass) seen as a plain Uint8Array, without copying. */
export function asPlain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
