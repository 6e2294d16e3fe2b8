/**
 * `mock()`: a real, small challenge-response mechanism between two parties that share a
 * secret, for users' own tests and demos. It behaves like a GSS mechanism (three legs,
 * mutual authentication, flags, wrap/unwrap/getMic/verifyMic with replay and sequence
 * detection) without a KDC or a domain, deterministically under an injected `random` and
 * `clock`, and it can be told to misbehave so an application's failure paths can be tested.
 *
 *   const alice = mock({ secret: 's3cret', name: 'alice@MOCK' });
 *   const server = mock({ secret: 's3cret', name: 'host/server@MOCK' });
 *
 * Wire format: wire.ts. Key schedule and proofs: keys.ts. Per-message tokens: protection.ts.
 * Mechanism OID: 1.3.6.1.4.1.32473.1.1, under the enterprise number RFC 5612 reserves for
 * documentation; it is an example arc, not registered to gssock, and must not be used
 * outside tests. Not a secure protocol for production: a recorded handshake allows an
 * offline guessing attack on the secret.
 */
import { utf8 } from '../../core/bytes.ts';
import { gssError } from '../../core/errors.ts';
import { DEFAULT_FLAGS } from '../../core/flags.ts';
import type { ContextOptions, Mechanism, Role } from '../../core/mechanism.ts';
import { defaultClock, defaultRandom } from '../../core/random.ts';
import { aead } from './aead.ts';
import { MOCK_NAME, MOCK_OID, MockContext } from './context.ts';
import type { CorruptTarget } from './handshake.ts';

export { MOCK_NAME, MOCK_OID, MockContext } from './context.ts';
export type { CorruptTarget } from './handshake.ts';

/** The documented demo secret (the CLI's --mock-secret default). Not a secret at all. */
export const DEMO_SECRET = 'gssock-demo-secret';
export const DEFAULT_INITIATOR_NAME = 'alice@MOCK';
export const DEFAULT_ACCEPTOR_NAME = 'host/server@MOCK';
/** Default context lifetime: ten hours, like a default Kerberos ticket. */
export const DEFAULT_LIFETIME_MS = 10 * 60 * 60 * 1000;
const MAX_STALL_MS = 2 ** 31 - 1;

export interface MockMisbehaviour {
  /** Acceptor: leave the proof out of CHALLENGE, so the initiator cannot grant MUTUAL. */
  skipMutualProof?: boolean;
  /**
   * Flip the low bit of the last byte of the named token this side emits (after recording
   * the transcript, as tampering in transit would). What the peer then reports:
   * - 'init' (initiator): the client nonce changes, so the transcripts differ: the initiator
   *   refuses the acceptor proof (BAD_SIGNATURE), or without MUTUAL the acceptor refuses the
   *   initiator proof (LOGON_DENIED);
   * - 'challenge' (acceptor): the acceptor proof (or, without MUTUAL, the server nonce) changes:
   *   BAD_SIGNATURE at the initiator, or LOGON_DENIED at the acceptor;
   * - 'proof' (initiator): LOGON_DENIED at the acceptor;
   * - 'wrap' / 'mic' (either): the peer's unwrap / verifyMic throws BAD_SIGNATURE.
   */
  corruptToken?: CorruptTarget;
  /** Every step() resolves only after this many milliseconds (dispose() cancels it). */
  stallMs?: number;
}

export interface MockOptions {
  /** The shared secret. Default: DEMO_SECRET. Strings are UTF-8 encoded. */
  secret?: Uint8Array | string;
  /** Our name: default 'alice@MOCK' for an initiator, 'host/server@MOCK' for an acceptor. */
  name?: string;
  /** Context lifetime after establishment; wrap & co. then fail with CONTEXT_EXPIRED. */
  lifetimeMs?: number;
  misbehave?: MockMisbehaviour;
  /** Force the AES-GCM backend (default: node:crypto when the runtime has it). */
  aeadBackend?: 'node:crypto' | '@noble/ciphers';
}

export function mock(options: MockOptions = {}): Mechanism {
  const secret =
    typeof options.secret === 'string' ? utf8(options.secret) : (options.secret ?? utf8(DEMO_SECRET));
  if (!(secret instanceof Uint8Array) || secret.length === 0) {
    throw gssError('INVALID_ARGUMENT', 'mock: the secret must be a non-empty string or Uint8Array');
  }
  const misbehave = options.misbehave ?? {};
  const stallMs = misbehave.stallMs ?? 0;
  if (!(stallMs >= 0 && stallMs <= MAX_STALL_MS)) {
    throw gssError('INVALID_ARGUMENT', `mock: stallMs must be between 0 and ${MAX_STALL_MS}`);
  }
  const lifetimeMs = options.lifetimeMs ?? DEFAULT_LIFETIME_MS;
  if (!(lifetimeMs > 0)) throw gssError('INVALID_ARGUMENT', 'mock: lifetimeMs must be positive');
  const backend = options.aeadBackend ? aead(options.aeadBackend) : undefined;
  // Our own copy, so a caller reusing its buffer cannot change the secret under us.
  const ownSecret = secret.slice();

  return {
    name: MOCK_NAME,
    oid: MOCK_OID,
    createContext(role: Role, o: ContextOptions = {}) {
      if (role !== 'initiator' && role !== 'acceptor') {
        throw gssError('INVALID_ARGUMENT', `mock: unknown role ${String(role)}`);
      }
      const localName =
        role === 'acceptor'
          ? (o.acceptorName ?? options.name ?? DEFAULT_ACCEPTOR_NAME)
          : (options.name ?? DEFAULT_INITIATOR_NAME);
      return new MockContext({
        role,
        clock: o.clock ?? defaultClock,
        lifetimeMs,
        stallMs,
        ...(backend ? { aead: backend } : {}),
        handshake: {
          secret: ownSecret,
          localName,
          random: o.random ?? defaultRandom,
          requestedFlags: role === 'initiator' ? (o.flags ?? DEFAULT_FLAGS) : 0,
          target: o.target ?? '',
          ...(o.acceptorName !== undefined ? { acceptorName: o.acceptorName } : {}),
          ...(o.channelBindings ? { channelBindings: o.channelBindings } : {}),
          skipMutualProof: misbehave.skipMutualProof ?? false,
          ...(misbehave.corruptToken ? { corrupt: misbehave.corruptToken } : {}),
        },
      });
    },
  };
}
