/**
 * The provider interface: a mechanism is a sans-IO state machine.
 *
 * Theory of operation
 * 1. The application picks a `Mechanism` (kerberos(), ntlm(), negotiate(), mock(), ...),
 *    configured with its credentials, and asks it for a `SecurityContext` in one role.
 * 2. The engine calls `step(input)`: first with `null` on the initiator (and with the
 *    first received token on the acceptor), then with each token the peer sends.
 * 3. `step` returns `{ outputToken?, done }`. Every non-empty `outputToken` must be sent
 *    to the peer, also together with `done: true` (a Kerberos AP-REP). `done` means this
 *    side is established; it is returned once, after which `step` must not be called.
 *    While `done` is false the engine waits for the next peer token.
 * 4. Once done, `info()` tells the granted flags (only what was proven), the peer's and
 *    our own names, and the per-message operations work.
 * 5. No I/O and no clock except through the injected `clock`, `random` and (Kerberos)
 *    KDC transport. Errors are `GssockError`s with a code (see errors.ts).
 * 6. `dispose()` wipes keys; any call after it fails with INVALID_STATE.
 */
import type { ContextFlags } from './flags.ts';

export type Role = 'initiator' | 'acceptor';
export type Awaitable<T> = T | Promise<T>;

/** Milliseconds since the Unix epoch, like Date.now(). Injected so tests control time. */
export type Clock = () => number;
/** Fills a fresh Uint8Array of `length` cryptographically random bytes. */
export type RandomSource = (length: number) => Uint8Array;

/** RFC 2744 §3.11 channel bindings; `application` carries e.g. tls-server-end-point data. */
export interface ChannelBindings {
  initiatorAddressType?: number;
  initiatorAddress?: Uint8Array;
  acceptorAddressType?: number;
  acceptorAddress?: Uint8Array;
  application?: Uint8Array;
}

export interface ContextOptions {
  /** Initiator: the target, as an SPN (`service/host[:port][/name]`) or `service@host`. */
  target?: string;
  /** Acceptor: the name(s) it accepts as; undefined accepts any it has keys for. */
  acceptorName?: string;
  /** Requested flags (`Flags.*` bitmask). Default: `DEFAULT_FLAGS` (mutual + replay). */
  flags?: ContextFlags;
  channelBindings?: ChannelBindings;
  /** Injected clock; default Date.now. */
  clock?: Clock;
  /** Injected randomness; default crypto.getRandomValues. */
  random?: RandomSource;
}

export interface StepResult {
  /** Token to send to the peer. Never an empty array: use undefined. */
  outputToken?: Uint8Array;
  /** This side of the context is established. */
  done: boolean;
}

export interface ContextInfo {
  /** The mechanism's name (e.g. 'kerberos'). */
  mechanism: string;
  /** The mechanism's OID in dotted form (for SPNEGO: the negotiated one). */
  mechanismOid: string;
  /** Flags actually granted (mutual only when the peer proved itself). */
  flags: ContextFlags;
  /** The authenticated peer's name (client principal for an acceptor, target for an initiator). */
  peerName: string;
  /** Our own name as the mechanism sees it. */
  localName: string;
  /** Context expiry (ms since epoch), if the mechanism has one. */
  expiresAt?: number;
  /** The session key, where the mechanism exposes one (SSPI SECPKG_ATTR_SESSION_KEY). */
  sessionKey?: Uint8Array;
  /** Mechanism-specific extras (PAC, delegated credential, enctype, ...). */
  extra?: Record<string, unknown>;
}

export interface WrapOptions {
  /** Encrypt as well as protect integrity. Default true. */
  confidential?: boolean;
  /** Quality of protection; 0 default. */
  qop?: number;
}

export interface UnwrapResult {
  message: Uint8Array;
  /** Whether the token was sealed (encrypted). */
  confidential: boolean;
  qop: number;
}

export interface SecurityContext {
  readonly role: Role;
  readonly mechanism: string;
  /** True once step() has returned done. */
  readonly established: boolean;
  step(input: Uint8Array | null): Awaitable<StepResult>;
  /** Context facts; throws INVALID_STATE before established (unless the mechanism is prot-ready). */
  info(): ContextInfo;
  wrap(message: Uint8Array, options?: WrapOptions): Awaitable<Uint8Array>;
  unwrap(token: Uint8Array): Awaitable<UnwrapResult>;
  getMic(message: Uint8Array, qop?: number): Awaitable<Uint8Array>;
  /** Throws BAD_SIGNATURE / DUPLICATE_TOKEN / ... when the MIC is not good. */
  verifyMic(message: Uint8Array, mic: Uint8Array): Awaitable<void>;
  /** Wipes keys. Idempotent. */
  dispose(): void;
}

export interface Mechanism {
  /** Short name used by the CLI and in errors: 'kerberos', 'ntlm', 'negotiate', 'mock', 'native'. */
  readonly name: string;
  /** GSS mechanism OID, dotted. */
  readonly oid: string;
  createContext(role: Role, options?: ContextOptions): Awaitable<SecurityContext>;
}
