/**
 * The RFC 3961 §5.1 "simplified profile" key derivation used by the RFC 3962 AES-SHA1
 * enctypes: DR(Key, Constant) = the first k bits of E(Key, n-fold(Constant)),
 * E(Key, that), ... where E is the enctype's basic encryption with a zero IV (one AES
 * block here, so plain ECB), and DK(Key, Constant) = random-to-key(DR(Key, Constant)).
 * The chain runs under one key-schedule expansion (an AES-256 DK is two blocks), and the
 * n-fold of the 5-byte usage constants, which depends on the constant alone, is kept.
 */
import { AES_BLOCK } from '../../../crypto/aes.ts';
import { aesEncryptChain } from '../../../crypto/aes-pure.ts';
import { nfold } from './nfold.ts';

/** n-fold(constant, 128) of 5-byte usage constants, by their 40-bit value (few usages). */
const folded = new Map<number, Uint8Array>();
const FOLDED_MAX = 512;

function nfoldBlock(constant: Uint8Array): Uint8Array {
  if (constant.length !== 5) return nfold(constant, AES_BLOCK);
  const low = ((constant[1]! << 24) | (constant[2]! << 16) | (constant[3]! << 8) | constant[4]!) >>> 0;
  const id = constant[0]! * 2 ** 32 + low;
  let f = folded.get(id);
  if (!f) {
    f = nfold(constant, AES_BLOCK);
    if (folded.size >= FOLDED_MAX) folded.clear();
    folded.set(id, f);
  }
  return f;
}

/** DR for AES: `length` bytes of key-derivation output. */
export function deriveRandomAes(key: Uint8Array, constant: Uint8Array, length: number): Uint8Array {
  const out = aesEncryptChain(key, nfoldBlock(constant), Math.ceil(length / AES_BLOCK));
  return out.length === length ? out : out.slice(0, length);
}

/** DK for AES: random-to-key is the identity for AES (RFC 3962 §6). */
export function deriveKeyAes(key: Uint8Array, constant: Uint8Array): Uint8Array {
  return deriveRandomAes(key, constant, key.length);
}
