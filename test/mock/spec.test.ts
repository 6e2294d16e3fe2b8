/**
 * The mock's documented wire format and key schedule (src/providers/mock/wire.ts, keys.ts),
 * re-implemented here independently with WebCrypto (HKDF, HMAC, AES-GCM from crypto.subtle)
 * and checked against tokens the mock produced. If the doc and the code drift, this fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pair, text } from './support.ts';

const subtle = globalThis.crypto.subtle;
/** A copy on a plain ArrayBuffer, as WebCrypto's BufferSource type wants. */
const b = (x: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(x);
const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const sha256 = async (bytes: Uint8Array) => new Uint8Array(await subtle.digest('SHA-256', b(bytes)));
async function hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await subtle.importKey('raw', b(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, b(data)));
}
async function hkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  const k = await subtle.importKey('raw', b(ikm), 'HKDF', false, ['deriveBits']);
  return new Uint8Array(
    await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: b(salt), info: b(info) }, k, length * 8),
  );
}

describe('mock: the documented protocol, independently', () => {
  it('keys, proofs and per-message tokens match the doc comment', async () => {
    const secret = 'spec-secret';
    const { initiator, acceptor, tokens } = await pair({ initiator: { secret }, acceptor: { secret } });
    const [init, challenge, proof] = tokens as [Uint8Array, Uint8Array, Uint8Array];
    // INIT: the client nonce is the last 32 bytes. CHALLENGE: name at 8, then nonce, then proof.
    const clientNonce = init.subarray(init.length - 32);
    assert.equal(challenge[3], 0x01, 'proof present');
    const nameLength = (challenge[8]! << 8) | challenge[9]!;
    const serverNonce = challenge.subarray(10 + nameLength, 10 + nameLength + 32);
    const acceptorProof = challenge.subarray(challenge.length - 32);
    assert.equal(challenge.length, 10 + nameLength + 64);

    const okm = await hkdf(
      enc(secret),
      cat(clientNonce, serverNonce),
      enc('gssock mock v1 key schedule'),
      192,
    );
    const key = (i: number) => okm.subarray(i * 32, (i + 1) * 32);
    const proofKey = key(0);

    const th1 = await sha256(cat(init, challenge.subarray(0, challenge.length - 32)));
    assert.deepEqual(await hmac(proofKey, cat(enc('gssock mock v1 acceptor'), th1)), acceptorProof);
    const th2 = await sha256(cat(init, challenge));
    assert.deepEqual(await hmac(proofKey, cat(enc('gssock mock v1 initiator'), th2)), proof.subarray(4));
    assert.deepEqual(initiator.info().sessionKey, key(1));

    // Sealed WRAP from the initiator: AES-256-GCM under key 2, nonce 0^4 || seq, AAD = header.
    const message = text('documented');
    const sealed = await initiator.wrap(message);
    assert.deepEqual([...sealed.subarray(0, 4)], [0x4d, 1, 4, 0x01]);
    const gcmKey = await subtle.importKey('raw', b(key(2)), 'AES-GCM', false, ['decrypt']);
    const iv = cat(new Uint8Array(4), sealed.subarray(4, 12));
    const plain = await subtle.decrypt(
      { name: 'AES-GCM', iv: b(iv), additionalData: b(sealed.subarray(0, 12)) },
      gcmKey,
      b(sealed.subarray(12)),
    );
    assert.deepEqual(new Uint8Array(plain), message);

    // Integrity-only WRAP from the acceptor: flags 0x02, HMAC under key 5 over header + message.
    const signed = await acceptor.wrap(message, { confidential: false });
    assert.deepEqual([...signed.subarray(0, 12)], [0x4d, 1, 4, 0x02, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(signed.subarray(12, 12 + message.length), message);
    assert.deepEqual(
      await hmac(key(5), cat(signed.subarray(0, 12), message)),
      signed.subarray(12 + message.length),
    );

    // MIC from the initiator, its second token (sequence 1): HMAC under key 4.
    const mic = await initiator.getMic(message);
    assert.equal(mic[11], 1);
    assert.deepEqual(await hmac(key(4), cat(mic.subarray(0, 12), message)), mic.subarray(12));
  });
});
