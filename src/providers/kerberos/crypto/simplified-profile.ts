/**
 * The RFC 3961 §5.1 "simplified profile" key derivation used by the RFC 3962 AES-SHA1
 * enctypes: DR(Key, Constant) = the first k bits of E(Key, n-fold(Constant)),
 * E(Key, that), ... where E is the enctype's basic encryption with a zero IV (one AES
 * block here, so plain ECB), and DK(Key, Constant) = random-to-key(DR(Key, Constant)).
 */
import { AES_BLOCK, aesEncryptBlock } from '../../../crypto/aes.ts';
import { nfold } from './nfold.ts';

/** DR for AES: `length` bytes of key-derivation output. */
export function deriveRandomAes(key: Uint8Array, constant: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(length / AES_BLOCK) * AES_BLOCK);
  let block = nfold(constant, AES_BLOCK);
  for (let off = 0; off < out.length; off += AES_BLOCK) {
    block = aesEncryptBlock(key, block);
    out.set(block, off);
  }
  return out.length === length ? out : out.slice(0, length);
}

/** DK for AES: random-to-key is the identity for AES (RFC 3962 §6). */
export function deriveKeyAes(key: Uint8Array, constant: Uint8Array): Uint8Array {
  return deriveRandomAes(key, constant, key.length);
}
