/**
 * AES primitives Kerberos needs, synchronous (the GSS wrap/unwrap path is sync): CBC
 * without padding over whole blocks, and single-block ECB (CBC with a zero IV), from which
 * RFC 3962 CBC-CTS is built (src/providers/kerberos/crypto/aes-cts.ts).
 *
 * Backends:
 * - `node`: native `node:crypto` via process.getBuiltinModule (Node 20.16+, Deno, Bun).
 * - `noble`: @noble/ciphers, pure JavaScript, used where no native module exists.
 * - WebCrypto is excluded from this sync API: it is async-only and AES-CBC always pads
 *   (PKCS#7). Encrypting can drop the padding block; decrypting needs a forged valid
 *   padding block (one extra encryption), so two awaited calls per message. Its speed is
 *   measured in bench/kerberos-crypto.bench.ts for reference only.
 *
 * Measured (bench/kerberos-crypto.bench.ts, AES-256-CBC encrypt, MB/s, this machine): FIGURES-PENDING
 *
 *   runtime  backend       64 B    1 KiB   16 KiB    1 MiB
 *   node 20  node           25      339     1386     1708
 *            noble           39       74       80       79
 *            webcrypto      2.4       35      305     1020
 *   deno 2.9 node           12      165      799     1030
 *            noble           44      110      126      124
 *            webcrypto      1.9       29      319      966
 *   bun 1.4  node           20      314     1505     1892
 *            noble           24       57       64       64
 *            webcrypto      1.6       25      299     1474
 *
 * Native wins from a few hundred bytes up on every runtime (4-20x); noble wins only on
 * tiny inputs (one or two blocks, where the native per-call setup dominates). The
 * default is therefore `node` when available with `noble` for inputs of at most
 * NOBLE_MAX_BYTES, and plain `noble` otherwise. `setAesBackend` overrides it.
 */
import { cbc, unsafe } from '@noble/ciphers/aes.js';
import { gssError } from '../core/errors.ts';
import { asPlain, nativeCrypto } from './native.ts';

export interface AesBackend {
  readonly name: string;
  /** CBC encryption of whole blocks, no padding. */
  encryptCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  /** CBC decryption of whole blocks, no padding. */
  decryptCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
}

export const AES_BLOCK = 16;

/** Inputs up to this size go to noble under the `auto` backend (native setup dominates). */
export const NOBLE_MAX_BYTES = 32;

function cipherName(key: Uint8Array): string {
  if (key.length === 16) return 'aes-128-cbc';
  if (key.length === 32) return 'aes-256-cbc';
  if (key.length === 24) return 'aes-192-cbc';
  throw gssError('INVALID_ARGUMENT', `AES key must be 16, 24 or 32 bytes, got ${key.length}`);
}

function checkBlocks(data: Uint8Array, iv: Uint8Array): void {
  if (data.length % AES_BLOCK !== 0)
    throw gssError('INVALID_ARGUMENT', `AES-CBC input must be whole blocks, got ${data.length} bytes`);
  if (iv.length !== AES_BLOCK) throw gssError('INVALID_ARGUMENT', 'AES IV must be 16 bytes');
}

export const nobleAes: AesBackend = {
  name: 'noble',
  encryptCbc(key, iv, data) {
    checkBlocks(data, iv);
    if (data.length === 0) return new Uint8Array(0);
    return cbc(key, iv, { disablePadding: true }).encrypt(data);
  },
  decryptCbc(key, iv, data) {
    checkBlocks(data, iv);
    if (data.length === 0) return new Uint8Array(0);
    return cbc(key, iv, { disablePadding: true }).decrypt(data);
  },
};

/** The native backend, or undefined when the runtime has no node:crypto. */
export function makeNodeAes(): AesBackend | undefined {
  const nc = nativeCrypto();
  if (!nc) return undefined;
  const run = (decrypt: boolean, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array => {
    checkBlocks(data, iv);
    if (data.length === 0) return new Uint8Array(0);
    const c = decrypt
      ? nc.createDecipheriv(cipherName(key), key, iv)
      : nc.createCipheriv(cipherName(key), key, iv);
    c.setAutoPadding(false);
    const out = c.update(data);
    c.final(); // no padding: nothing buffered
    return asPlain(out);
  };
  return {
    name: 'node',
    encryptCbc: (key, iv, data) => run(false, key, iv, data),
    decryptCbc: (key, iv, data) => run(true, key, iv, data),
  };
}

/** Native for inputs above NOBLE_MAX_BYTES, noble below (see the table above). */
function makeAutoAes(native: AesBackend): AesBackend {
  return {
    name: `auto(${native.name}>${NOBLE_MAX_BYTES}B, noble)`,
    encryptCbc: (key, iv, data) =>
      data.length <= NOBLE_MAX_BYTES ? nobleAes.encryptCbc(key, iv, data) : native.encryptCbc(key, iv, data),
    decryptCbc: (key, iv, data) =>
      data.length <= NOBLE_MAX_BYTES ? nobleAes.decryptCbc(key, iv, data) : native.decryptCbc(key, iv, data),
  };
}

export type AesBackendName = 'auto' | 'node' | 'noble';

function pick(name: AesBackendName): AesBackend {
  if (name === 'noble') return nobleAes;
  const native = makeNodeAes();
  if (!native) {
    if (name === 'node') throw gssError('NOT_SUPPORTED', 'node:crypto is not available on this runtime');
    return nobleAes;
  }
  return name === 'node' ? native : makeAutoAes(native);
}

let current: AesBackend = pick('auto');

/** The backend in use. */
export function aesBackend(): AesBackend {
  return current;
}

/** Chooses the backend (tests and benchmarks; `auto` is the measured default). */
export function setAesBackend(name: AesBackendName): AesBackend {
  current = pick(name);
  return current;
}

export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return current.encryptCbc(key, iv, data);
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return current.decryptCbc(key, iv, data);
}

/**
 * AES-ECB of one block (n-fold key derivation, PRF, CTS decryption). Always the pure
 * implementation: one block costs about a microsecond in JavaScript, less than the setup of
 * a native cipher object. Never cached: callers may reuse or wipe their key arrays.
 */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  checkBlock(key, block);
  const xk = unsafe.expandKeyLE(key);
  const out = unsafe.encryptBlock(xk, block.slice());
  xk.fill(0);
  return out;
}

export function aesDecryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  checkBlock(key, block);
  const xk = unsafe.expandKeyDecLE(key);
  const out = unsafe.decryptBlock(xk, block.slice());
  xk.fill(0);
  return out;
}

function checkBlock(key: Uint8Array, block: Uint8Array): void {
  cipherName(key);
  if (block.length !== AES_BLOCK)
    throw gssError('INVALID_ARGUMENT', `AES block must be 16 bytes, got ${block.length}`);
}
