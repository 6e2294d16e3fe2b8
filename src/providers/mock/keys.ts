/**
 * The mock mechanism's key schedule and proofs.
 *
 * Both parties share a secret S. After INIT and CHALLENGE each knows both nonces and derives
 *
 *   OKM = HKDF-SHA256(IKM = S, salt = clientNonce || serverNonce,
 *                     info = "gssock mock v1 key schedule", L = 192)        (RFC 5869)
 *
 * split into six 32-byte keys, in this order: proof key, session key (exposed as
 * ContextInfo.sessionKey), initiator->acceptor AES-256-GCM key, acceptor->initiator
 * AES-256-GCM key, initiator->acceptor HMAC key, acceptor->initiator HMAC key. Separate keys
 * per direction mean a token reflected back to its sender never verifies.
 *
 *   acceptor proof  = HMAC-SHA256(proof key, "gssock mock v1 acceptor"  || SHA-256(INIT || CHALLENGE without its proof))
 *   initiator proof = HMAC-SHA256(proof key, "gssock mock v1 initiator" || SHA-256(INIT || CHALLENGE))
 *
 * The transcript covers every byte both sides sent (names, requested and granted flags,
 * channel-bindings hash, the proof-present bit), so a change in transit makes a proof fail.
 *
 * This is a test mechanism, not a PAKE: someone who records a handshake can mount an offline
 * guessing attack on a weak secret. Use it for tests and demos only.
 */
import { concatBytes, utf8, wipe } from '../../core/bytes.ts';
import type { ChannelBindings } from '../../core/mechanism.ts';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CB_HASH_SIZE } from './wire.ts';

const KEY_SCHEDULE_INFO = utf8('gssock mock v1 key schedule');
const ACCEPTOR_LABEL = utf8('gssock mock v1 acceptor');
const INITIATOR_LABEL = utf8('gssock mock v1 initiator');
const KEY_SIZE = 32;

export interface DirectionKeys {
  /** AES-256-GCM key for sealed WRAP tokens. */
  enc: Uint8Array;
  /** HMAC-SHA256 key for integrity-only WRAP tokens and MICs. */
  mac: Uint8Array;
}

export interface MockKeys {
  proof: Uint8Array;
  session: Uint8Array;
  initiatorToAcceptor: DirectionKeys;
  acceptorToInitiator: DirectionKeys;
}

export function deriveKeys(secret: Uint8Array, clientNonce: Uint8Array, serverNonce: Uint8Array): MockKeys {
  const okm = hkdf(sha256, secret, concatBytes(clientNonce, serverNonce), KEY_SCHEDULE_INFO, 6 * KEY_SIZE);
  // Copies, so each key can be wiped on its own and the OKM buffer goes right away.
  const key = (i: number) => okm.slice(i * KEY_SIZE, (i + 1) * KEY_SIZE);
  const keys: MockKeys = {
    proof: key(0),
    session: key(1),
    initiatorToAcceptor: { enc: key(2), mac: key(4) },
    acceptorToInitiator: { enc: key(3), mac: key(5) },
  };
  wipe(okm);
  return keys;
}

export function wipeKeys(keys: MockKeys | undefined): void {
  if (!keys) return;
  wipe(
    keys.proof,
    keys.session,
    keys.initiatorToAcceptor.enc,
    keys.initiatorToAcceptor.mac,
    keys.acceptorToInitiator.enc,
    keys.acceptorToInitiator.mac,
  );
}

/** HMAC over the acceptor's transcript: INIT and CHALLENGE as sent, minus the proof itself. */
export function acceptorProof(
  keys: MockKeys,
  init: Uint8Array,
  challengeWithoutProof: Uint8Array,
): Uint8Array {
  const th = sha256(concatBytes(init, challengeWithoutProof));
  return hmac(sha256, keys.proof, concatBytes(ACCEPTOR_LABEL, th));
}

/** HMAC over the whole transcript so far: INIT and the complete CHALLENGE. */
export function initiatorProof(keys: MockKeys, init: Uint8Array, challenge: Uint8Array): Uint8Array {
  const th = sha256(concatBytes(init, challenge));
  return hmac(sha256, keys.proof, concatBytes(INITIATOR_LABEL, th));
}

/**
 * SHA-256 over the RFC 2744 §3.11 fields in a fixed order, each a u32 (address type) or a
 * u32 length + bytes, big-endian. No bindings: 32 zero bytes, as in INIT.
 */
export function channelBindingsHash(cb: ChannelBindings | undefined): Uint8Array {
  if (!cb) return new Uint8Array(CB_HASH_SIZE);
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0);
    return b;
  };
  const field = (b: Uint8Array | undefined) => concatBytes(u32(b?.length ?? 0), b ?? new Uint8Array(0));
  return sha256(
    concatBytes(
      u32(cb.initiatorAddressType ?? 0),
      field(cb.initiatorAddress),
      u32(cb.acceptorAddressType ?? 0),
      field(cb.acceptorAddress),
      field(cb.application),
    ),
  );
}
