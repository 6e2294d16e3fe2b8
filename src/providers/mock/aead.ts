/**
 * AES-256-GCM for the mock's sealed WRAP tokens, synchronous (wrap/unwrap stay sync).
 *
 * Node, Deno and Bun all expose `node:crypto` through `process.getBuiltinModule` (Node
 * 20.16+); where it is missing (browsers, workers, older Node) @noble/ciphers does the same
 * in pure code. The core stays free of runtime globals: the module is reached through
 * globalThis and typed structurally here.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { gssError } from '../../core/errors.ts';

export const GCM_TAG_SIZE = 16;
export const GCM_NONCE_SIZE = 12;

interface NodeCipher {
  setAAD(aad: Uint8Array): unknown;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}
interface NodeCrypto {
  createCipheriv(alg: string, key: Uint8Array, iv: Uint8Array): NodeCipher & { getAuthTag(): Uint8Array };
  createDecipheriv(
    alg: string,
    key: Uint8Array,
    iv: Uint8Array,
  ): NodeCipher & { setAuthTag(t: Uint8Array): unknown };
}

function nativeCrypto(): NodeCrypto | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const m = p?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined;
    return typeof m?.createCipheriv === 'function' && typeof m.createDecipheriv === 'function'
      ? (m as NodeCrypto)
      : undefined;
  } catch {
    return undefined;
  }
}

export interface Aead {
  readonly backend: 'node:crypto' | '@noble/ciphers';
  /** ciphertext || 16-byte tag */
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Throws BAD_SIGNATURE (origin peer) when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array;
}

const badTag = () =>
  gssError('BAD_SIGNATURE', 'mock: sealed WRAP token failed to verify', { origin: 'peer' });

function nodeAead(c: NodeCrypto): Aead {
  return {
    backend: 'node:crypto',
    seal(key, nonce, aad, plaintext) {
      const cipher = c.createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(aad);
      const body = cipher.update(plaintext);
      const last = cipher.final();
      const tag = cipher.getAuthTag();
      const out = new Uint8Array(body.length + last.length + tag.length);
      out.set(body, 0);
      out.set(last, body.length);
      out.set(tag, body.length + last.length);
      return out;
    },
    open(key, nonce, aad, sealed) {
      if (sealed.length < GCM_TAG_SIZE) throw badTag();
      const decipher = c.createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAAD(aad);
      decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_SIZE));
      const body = decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_SIZE));
      try {
        const last = decipher.final();
        // Always a fresh plain Uint8Array: no Node Buffer (or its pool) escapes.
        const out = new Uint8Array(body.length + last.length);
        out.set(body, 0);
        out.set(last, body.length);
        return out;
      } catch {
        body.fill(0);
        throw badTag();
      }
    },
  };
}

const nobleAead: Aead = {
  backend: '@noble/ciphers',
  seal: (key, nonce, aad, plaintext) => gcm(key, nonce, aad).encrypt(plaintext),
  open(key, nonce, aad, sealed) {
    if (sealed.length < GCM_TAG_SIZE) throw badTag();
    try {
      return gcm(key, nonce, aad).decrypt(sealed);
    } catch {
      throw badTag();
    }
  },
};

let chosen: Aead | undefined;

/** The AEAD backend: native when the runtime has it, else pure. `force` is for tests and benches. */
export function aead(force?: Aead['backend']): Aead {
  if (force === '@noble/ciphers') return nobleAead;
  if (force === 'node:crypto') {
    const c = nativeCrypto();
    if (!c) throw gssError('NOT_SUPPORTED', 'node:crypto is not available on this runtime');
    return nodeAead(c);
  }
  if (!chosen) {
    const c = nativeCrypto();
    chosen = c ? nodeAead(c) : nobleAead;
  }
  return chosen;
}
