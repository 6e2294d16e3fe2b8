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
 * Measured (bench/kerberos-crypto.bench.ts --quick, AES-256-CBC encrypt, MB/s; 2 vCPUs
 * shared with other jobs, load average ~11, so absolute figures are low and noisy, the
 * ordering was the same in two runs):
 *
 *   runtime       backend      64 B   1 KiB   16 KiB   1 MiB
 *   node 20.20    node         0.95    30.5     253      481
 *                 noble        0.64    14.4    19.2     27.2
 *                 webcrypto    0.30    10.6     103      321   (async)
 *   deno 2.9      node         1.34    21.5    27.5     52.2
 *                 noble        2.10     7.0    12.3     10.4
 *                 webcrypto    2.51    15.7     233      124   (async)
 *   bun 1.4       node         1.90    43.5     123      166
 *                 noble        0.75     2.2     9.5      7.8
 *                 webcrypto    1.98    45.3     337      199   (async)
 *
 * Native wins from 1 KiB up on every runtime (2-20x); at one to four blocks the per-call
 * setup of a native cipher dominates and noble is as fast or faster (Deno). WebCrypto is
 * fast for large inputs on Deno and Bun but async and padding-only, so it is not used. The
 * default is therefore `node` when available with `noble` for inputs of at most
 * NOBLE_MAX_BYTES, and plain `noble` otherwise. `setAesBackend` overrides it.
 */
import { cbc, unsafe } from '@noble/ciphers/aes.js';
import { gssError } from '../core/errors.ts';
import { PureCbcKey } from './aes-pure.ts';
import { asPlain, type NativeCipher, type NativeCrypto, nativeCrypto } from './native.ts';

export interface AesBackend {
  readonly name: string;
  /** A key prepared for many zero-IV CBC calls (the per-message path). */
  prepare(key: Uint8Array): CbcKey;
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

/**
 * AES-CBC with a zero IV under one key, prepared once and used for every message of a
 * session (Kerberos encrypts each message from a zero IV, RFC 3961 §5.3).
 */
export interface CbcKey {
  /** CBC encryption of whole blocks. `data` is used as scratch and restored before return. */
  encrypt(data: Uint8Array): Uint8Array;
  /** CBC decryption of whole blocks. */
  decrypt(data: Uint8Array): Uint8Array;
  /** Releases native state (the key schedule) now rather than at garbage collection. */
  dispose(): void;
}

const ZERO_IV = new Uint8Array(AES_BLOCK);

export const nobleAes: AesBackend = {
  name: 'noble',
  prepare(key) {
    cipherName(key);
    // noble's round functions over schedules expanded once (aes-pure.ts).
    return new PureCbcKey(key);
  },
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
  const oneShot: AesBackend = {
    name: 'node',
    prepare(key) {
      cipherName(key);
      const k = key.slice();
      return {
        encrypt: (data) => run(false, k, ZERO_IV, data),
        decrypt: (data) => run(true, k, ZERO_IV, data),
        dispose: () => k.fill(0),
      };
    },
    encryptCbc: (key, iv, data) => run(false, key, iv, data),
    decryptCbc: (key, iv, data) => run(true, key, iv, data),
  };
  if (!streamsWork(nc)) return oneShot;
  return {
    ...oneShot,
    // Deno's node:crypto has no AES-192: keys of a size it refuses stay on noble.
    prepare: (key) => (nativeHas(nc, cipherName(key)) ? new NativeCbcStream(nc, key) : nobleAes.prepare(key)),
  };
}

const nativeCiphers = new Map<string, boolean>();

function nativeHas(nc: NativeCrypto, algorithm: string): boolean {
  let ok = nativeCiphers.get(algorithm);
  if (ok === undefined) {
    try {
      const bytes = algorithm === 'aes-128-cbc' ? 16 : algorithm === 'aes-192-cbc' ? 24 : 32;
      nc.createCipheriv(algorithm, new Uint8Array(bytes), ZERO_IV);
      ok = true;
    } catch {
      ok = false;
    }
    nativeCiphers.set(algorithm, ok);
  }
  return ok;
}

function xorBlock(into: Uint8Array, from: Uint8Array): void {
  for (let i = 0; i < AES_BLOCK; i++) into[i]! ^= from[i]!;
}

/**
 * Zero-IV CBC over one long-lived native cipher per direction. Creating a native cipher
 * costs 5-7 us on Node (key schedule, context, wrapper objects), more than the AES of a
 * short message; a stream created once costs ~1 us per call. A CBC stream chains each call
 * to the last cipher block of the previous one; XOR-ing that block into the first
 * plaintext block (encryption) or the first output block (decryption) cancels the chain,
 * so every call is exactly CBC from a zero IV. OpenSSL and BoringSSL pass whole blocks
 * straight through when padding is off (EVP_*Update buffer nothing); `streamsWork` checks
 * that on the running runtime once, and the one-shot path is used where it does not hold.
 * Short inputs stay native as well: the pure path with kept schedules (aes-pure.ts) is
 * ~1.5 us faster per call up to 4 blocks on Node, under 1% of a handshake, and noble's AES
 * is table-based (cache-timing leaks, noble README), where native AES runs on AES-NI.
 */
class NativeCbcStream implements CbcKey {
  readonly #nc: NativeCrypto;
  readonly #key: Uint8Array;
  readonly #algorithm: string;
  #enc: NativeCipher | undefined;
  #dec: NativeCipher | undefined;
  readonly #encChain = new Uint8Array(AES_BLOCK);
  readonly #decChain = new Uint8Array(AES_BLOCK);

  constructor(nc: NativeCrypto, key: Uint8Array) {
    this.#nc = nc;
    this.#algorithm = cipherName(key);
    this.#key = key.slice();
  }

  #open(decrypt: boolean): NativeCipher {
    const c = decrypt
      ? this.#nc.createDecipheriv(this.#algorithm, this.#key, ZERO_IV)
      : this.#nc.createCipheriv(this.#algorithm, this.#key, ZERO_IV);
    c.setAutoPadding(false);
    return c;
  }

  encrypt(data: Uint8Array): Uint8Array {
    checkBlocks(data, ZERO_IV);
    if (data.length === 0) return new Uint8Array(0);
    const chain = this.#encChain;
    const enc = (this.#enc ??= this.#open(false));
    xorBlock(data, chain);
    let out: Uint8Array;
    try {
      out = asPlain(enc.update(data));
    } catch (e) {
      this.#reset(false);
      throw e;
    } finally {
      xorBlock(data, chain);
    }
    if (out.length !== data.length) {
      this.#reset(false);
      throw gssError('FAILURE', 'native AES-CBC returned a short output');
    }
    chain.set(out.subarray(out.length - AES_BLOCK));
    return out;
  }

  decrypt(data: Uint8Array): Uint8Array {
    checkBlocks(data, ZERO_IV);
    if (data.length === 0) return new Uint8Array(0);
    const dec = (this.#dec ??= this.#open(true));
    let out: Uint8Array;
    try {
      out = asPlain(dec.update(data));
    } catch (e) {
      this.#reset(true);
      throw e;
    }
    if (out.length !== data.length) {
      this.#reset(true);
      throw gssError('FAILURE', 'native AES-CBC returned a short output');
    }
    xorBlock(out, this.#decChain);
    this.#decChain.set(data.subarray(data.length - AES_BLOCK));
    return out;
  }

  #reset(decrypt: boolean): void {
    if (decrypt) {
      this.#dec = undefined;
      this.#decChain.fill(0);
    } else {
      this.#enc = undefined;
      this.#encChain.fill(0);
    }
  }

  dispose(): void {
    // final() makes Node and Bun free the native context (and its key schedule) now.
    for (const c of [this.#enc, this.#dec]) {
      try {
        c?.final();
      } catch {
        // nothing buffered, nothing to report
      }
    }
    this.#reset(false);
    this.#reset(true);
    this.#key.fill(0);
  }
}

let streamCheck: boolean | undefined;

/** Known-answer check of the stream trick against noble: three calls each way. */
function streamsWork(nc: NativeCrypto): boolean {
  if (streamCheck !== undefined) return streamCheck;
  streamCheck = false;
  try {
    const key = new Uint8Array(32).map((_, i) => i * 7 + 1);
    const s = new NativeCbcStream(nc, key);
    for (const n of [48, 16, 80]) {
      const data = new Uint8Array(n).map((_, i) => (i * 13 + n) & 0xff);
      const expected = nobleAes.encryptCbc(key, ZERO_IV, data);
      const got = s.encrypt(data);
      const back = s.decrypt(expected);
      for (let i = 0; i < n; i++) if (got[i] !== expected[i] || back[i] !== data[i]) return false;
    }
    s.dispose();
    streamCheck = true;
  } catch {
    streamCheck = false;
  }
  return streamCheck;
}

/** Native for inputs above NOBLE_MAX_BYTES, noble below (see the table above). */
function makeAutoAes(native: AesBackend): AesBackend {
  return {
    name: `auto(${native.name}>${NOBLE_MAX_BYTES}B, noble)`,
    // Prepared keys are native at every size: a stream call beats noble even at one block.
    prepare: (key) => native.prepare(key),
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

/** A zero-IV CBC key on the current backend, for keys used on every message. */
export function prepareCbc(key: Uint8Array): CbcKey {
  return current.prepare(key);
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
