/**
 * The mock handshake, one function per message as the protocol reads (wire.ts, keys.ts):
 *
 *   initiator                                   acceptor
 *   sendInit            --- INIT ---------->    onInit       (checks target, bindings)
 *   onChallenge         <-- CHALLENGE ------                 (acceptor proof if MUTUAL asked)
 *     verifies the acceptor proof; MUTUAL is granted only if it did
 *   (done)              --- PROOF --------->    onProof      (verifies; done, no output)
 *
 * Names are asserted by each side; what is proven is knowledge of the shared secret.
 * Misbehaviour switches corrupt a token AFTER the transcript is recorded, so the peer sees
 * what tampering in transit would look like.
 */
import { bytesEqual, constantTimeEqual } from '../../core/bytes.ts';
import { gssError } from '../../core/errors.ts';
import { Flags } from '../../core/flags.ts';
import type { ChannelBindings, RandomSource } from '../../core/mechanism.ts';
import { acceptorProof, channelBindingsHash, deriveKeys, initiatorProof, type MockKeys } from './keys.ts';
import {
  decodeChallenge,
  decodeInit,
  decodeProof,
  encodeChallenge,
  encodeInit,
  encodeProof,
  NONCE_SIZE,
  PROOF_SIZE,
} from './wire.ts';

/** Flags the mock can provide; INTEG and CONF are always available once established. */
const OPTIONAL_FLAGS = Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE;
const ALWAYS_FLAGS = Flags.INTEG | Flags.CONF;

export type CorruptTarget = 'init' | 'challenge' | 'proof' | 'wrap' | 'mic';

export interface HandshakeSettings {
  secret: Uint8Array;
  localName: string;
  random: RandomSource;
  requestedFlags: number;
  target: string;
  acceptorName?: string;
  channelBindings?: ChannelBindings;
  skipMutualProof: boolean;
  corrupt?: CorruptTarget;
}

export interface Established {
  keys: MockKeys;
  flags: number;
  peerName: string;
}

/** Flips the low bit of the last byte: the documented corruption of every misbehave switch. */
export function corrupted(token: Uint8Array): Uint8Array {
  const copy = token.slice();
  copy[copy.length - 1]! ^= 1;
  return copy;
}

function nonce(random: RandomSource): Uint8Array {
  const n = random(NONCE_SIZE);
  if (!(n instanceof Uint8Array) || n.length !== NONCE_SIZE) {
    throw gssError('INVALID_ARGUMENT', `mock: random(${NONCE_SIZE}) returned the wrong number of bytes`);
  }
  return n;
}

// ---- initiator ---------------------------------------------------------------------------

export interface InitSent {
  init: Uint8Array;
  clientNonce: Uint8Array;
  wire: Uint8Array;
}

export function sendInit(s: HandshakeSettings): InitSent {
  const clientNonce = nonce(s.random);
  const init = encodeInit({
    flags: s.requestedFlags,
    channelBindingsHash: channelBindingsHash(s.channelBindings),
    initiatorName: s.localName,
    target: s.target,
    clientNonce,
  });
  return { init, clientNonce, wire: s.corrupt === 'init' ? corrupted(init) : init };
}

export function onChallenge(
  s: HandshakeSettings,
  sent: InitSent,
  token: Uint8Array,
): Established & { wire: Uint8Array } {
  const challenge = decodeChallenge(token);
  const keys = deriveKeys(s.secret, sent.clientNonce, challenge.serverNonce);
  let mutual = false;
  if (challenge.acceptorProof) {
    const expected = acceptorProof(keys, sent.init, token.subarray(0, token.length - PROOF_SIZE));
    if (!constantTimeEqual(expected, challenge.acceptorProof)) {
      throw gssError(
        'BAD_SIGNATURE',
        'mock: the acceptor proof did not verify (different secret, or a token changed in transit)',
        { origin: 'peer' },
      );
    }
    mutual = (s.requestedFlags & Flags.MUTUAL) !== 0;
  }
  const proof = encodeProof(initiatorProof(keys, sent.init, token));
  // Grant only what we asked for and the acceptor agreed to; MUTUAL only when proven.
  const flags =
    (challenge.flags & s.requestedFlags & (Flags.REPLAY | Flags.SEQUENCE)) |
    (challenge.flags & ALWAYS_FLAGS) |
    (mutual ? Flags.MUTUAL : 0);
  return {
    keys,
    flags,
    peerName: challenge.acceptorName,
    wire: s.corrupt === 'proof' ? corrupted(proof) : proof,
  };
}

// ---- acceptor ----------------------------------------------------------------------------

export interface ChallengeSent {
  init: Uint8Array;
  challenge: Uint8Array;
  wire: Uint8Array;
  established: Established;
}

export function onInit(s: HandshakeSettings, token: Uint8Array): ChallengeSent {
  const init = decodeInit(token);
  if (s.acceptorName !== undefined && init.target !== '' && init.target !== s.acceptorName) {
    throw gssError('BAD_NAME', `mock: target '${init.target}' is not this acceptor ('${s.acceptorName}')`, {
      origin: 'peer',
    });
  }
  if (s.channelBindings && !bytesEqual(init.channelBindingsHash, channelBindingsHash(s.channelBindings))) {
    throw gssError('BAD_BINDINGS', 'mock: channel bindings differ from the acceptor', { origin: 'peer' });
  }
  const serverNonce = nonce(s.random);
  const keys = deriveKeys(s.secret, init.clientNonce, serverNonce);
  const proving = (init.flags & Flags.MUTUAL) !== 0 && !s.skipMutualProof;
  const flags = (init.flags & OPTIONAL_FLAGS & (proving ? ~0 : ~Flags.MUTUAL)) | ALWAYS_FLAGS;
  const challenge = encodeChallenge({
    flags,
    acceptorName: s.localName,
    serverNonce,
    // A placeholder of the right size: the proof covers the bytes before it.
    ...(proving ? { acceptorProof: new Uint8Array(PROOF_SIZE) } : {}),
  });
  if (proving) {
    const split = challenge.length - PROOF_SIZE;
    challenge.set(acceptorProof(keys, token, challenge.subarray(0, split)), split);
  }
  return {
    init: token.slice(),
    challenge,
    wire: s.corrupt === 'challenge' ? corrupted(challenge) : challenge,
    established: { keys, flags, peerName: init.initiatorName },
  };
}

export function onProof(sent: ChallengeSent, token: Uint8Array): void {
  const proof = decodeProof(token);
  const expected = initiatorProof(sent.established.keys, sent.init, sent.challenge);
  if (!constantTimeEqual(expected, proof)) {
    throw gssError(
      'LOGON_DENIED',
      'mock: the initiator proof did not verify (different secret, or a token changed in transit)',
      { origin: 'peer' },
    );
  }
}
