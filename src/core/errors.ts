/**
 * Typed errors. Every failure gssock reports is a `GssockError` with a stable `code`,
 * the GSS-API major status it corresponds to (RFC 2743 §1.2.1.1), the closest SSPI
 * `SEC_E_*` name, and `origin`: whether the local side misused the API / lacks
 * something (`local`), or the peer (or KDC) sent something wrong (`peer`).
 *
 * Classes are branded with `Symbol.for` so `instanceof` holds across two copies of
 * the package (npm and JSR in one app), as undici does.
 */

export type ErrorOrigin = 'local' | 'peer';

/** GSS-API major status names (RFC 2743 §1.2.1.1). */
export type GssMajor =
  | 'GSS_S_BAD_MECH'
  | 'GSS_S_BAD_NAME'
  | 'GSS_S_BAD_NAMETYPE'
  | 'GSS_S_BAD_BINDINGS'
  | 'GSS_S_BAD_STATUS'
  | 'GSS_S_BAD_SIG'
  | 'GSS_S_NO_CRED'
  | 'GSS_S_NO_CONTEXT'
  | 'GSS_S_DEFECTIVE_TOKEN'
  | 'GSS_S_DEFECTIVE_CREDENTIAL'
  | 'GSS_S_CREDENTIALS_EXPIRED'
  | 'GSS_S_CONTEXT_EXPIRED'
  | 'GSS_S_FAILURE'
  | 'GSS_S_BAD_QOP'
  | 'GSS_S_UNAUTHORIZED'
  | 'GSS_S_UNAVAILABLE'
  | 'GSS_S_DUPLICATE_ELEMENT'
  | 'GSS_S_NAME_NOT_MN'
  | 'GSS_S_DUPLICATE_TOKEN'
  | 'GSS_S_OLD_TOKEN'
  | 'GSS_S_UNSEQ_TOKEN'
  | 'GSS_S_GAP_TOKEN';

/** Stable error codes. Add new ones at the end; never rename. */
export const ErrorCodes = {
  /** Mutual authentication was requested and the peer did not prove its identity. */
  MUTUAL_AUTH_REQUIRED: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_MUTUAL_AUTH_FAILED' },
  /** A requested context flag (other than mutual) was required but not granted. */
  FLAGS_NOT_GRANTED: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_UNSUPPORTED_FUNCTION' },
  /** A token could not be parsed, or came at the wrong moment. */
  DEFECTIVE_TOKEN: { gss: 'GSS_S_DEFECTIVE_TOKEN', sspi: 'SEC_E_INVALID_TOKEN' },
  /** A checksum, MIC or seal failed to verify. */
  BAD_SIGNATURE: { gss: 'GSS_S_BAD_SIG', sspi: 'SEC_E_MESSAGE_ALTERED' },
  /** The same per-message token (or AP-REQ) was seen before. */
  DUPLICATE_TOKEN: { gss: 'GSS_S_DUPLICATE_TOKEN', sspi: 'SEC_E_OUT_OF_SEQUENCE' },
  /** A token older than the replay window. */
  OLD_TOKEN: { gss: 'GSS_S_OLD_TOKEN', sspi: 'SEC_E_OUT_OF_SEQUENCE' },
  /** A token arrived out of order (sequence detection). */
  UNSEQ_TOKEN: { gss: 'GSS_S_UNSEQ_TOKEN', sspi: 'SEC_E_OUT_OF_SEQUENCE' },
  /** Tokens were skipped (sequence detection). */
  GAP_TOKEN: { gss: 'GSS_S_GAP_TOKEN', sspi: 'SEC_E_OUT_OF_SEQUENCE' },
  /** Channel bindings did not match. */
  BAD_BINDINGS: { gss: 'GSS_S_BAD_BINDINGS', sspi: 'SEC_E_BAD_BINDINGS' },
  /** No usable credentials (keytab entry, ccache, password, NTLM user). */
  NO_CREDENTIALS: { gss: 'GSS_S_NO_CRED', sspi: 'SEC_E_NO_CREDENTIALS' },
  /** Credentials rejected (wrong password, unknown user, logon refused). */
  LOGON_DENIED: { gss: 'GSS_S_DEFECTIVE_CREDENTIAL', sspi: 'SEC_E_LOGON_DENIED' },
  /** Credentials or ticket expired. */
  CREDENTIALS_EXPIRED: { gss: 'GSS_S_CREDENTIALS_EXPIRED', sspi: 'SEC_E_CONTEXT_EXPIRED' },
  /** The security context expired. */
  CONTEXT_EXPIRED: { gss: 'GSS_S_CONTEXT_EXPIRED', sspi: 'SEC_E_CONTEXT_EXPIRED' },
  /** Clocks differ by more than the allowed skew. */
  CLOCK_SKEW: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_TIME_SKEW' },
  /** The target / principal name is malformed or unknown. */
  BAD_NAME: { gss: 'GSS_S_BAD_NAME', sspi: 'SEC_E_TARGET_UNKNOWN' },
  /** The mechanism is not available or not supported here. */
  BAD_MECH: { gss: 'GSS_S_BAD_MECH', sspi: 'SEC_E_SECPKG_NOT_FOUND' },
  /** The feature is not supported (on this runtime, or by this mechanism). */
  NOT_SUPPORTED: { gss: 'GSS_S_UNAVAILABLE', sspi: 'SEC_E_UNSUPPORTED_FUNCTION' },
  /** The KDC or the peer returned a KRB-ERROR. */
  KERBEROS_ERROR: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_INTERNAL_ERROR' },
  /** Encryption type not supported or not permitted. */
  ETYPE_NOT_SUPPORTED: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_ETYPE_NOT_SUPP' },
  /** The API was used wrongly (wrong state, bad argument). */
  INVALID_STATE: { gss: 'GSS_S_NO_CONTEXT', sspi: 'SEC_E_INVALID_HANDLE' },
  /** Bad argument given by the caller. */
  INVALID_ARGUMENT: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_INVALID_PARAMETER' },
  /** A frame header announced more than the configured maximum. */
  FRAME_TOO_LARGE: { gss: 'GSS_S_DEFECTIVE_TOKEN', sspi: 'SEC_E_BUFFER_TOO_SMALL' },
  /** The stream ended inside a frame. */
  TRUNCATED: { gss: 'GSS_S_DEFECTIVE_TOKEN', sspi: 'SEC_E_INCOMPLETE_MESSAGE' },
  /** The connection closed before the exchange finished. */
  CONNECTION_CLOSED: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_INTERNAL_ERROR' },
  /** The peer violated the framing or application protocol. */
  PROTOCOL_ERROR: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_INVALID_TOKEN' },
  /** A deadline passed (handshake, KDC, idle). */
  TIMEOUT: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_TIMEOUT' },
  /** The caller aborted through an AbortSignal. */
  ABORTED: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_INTERNAL_ERROR' },
  /** A network or I/O failure (KDC unreachable, socket error). */
  IO_ERROR: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_NO_AUTHENTICATING_AUTHORITY' },
  /** A data structure (ASN.1, keytab, ccache, NTLM message) is malformed. */
  MALFORMED: { gss: 'GSS_S_DEFECTIVE_TOKEN', sspi: 'SEC_E_INVALID_TOKEN' },
  /** A limit (size, count, legs, concurrency) was exceeded. */
  LIMIT_EXCEEDED: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_INSUFFICIENT_MEMORY' },
  /** The peer is not authorized (e.g. anonymous refused). */
  UNAUTHORIZED: { gss: 'GSS_S_UNAUTHORIZED', sspi: 'SEC_E_LOGON_DENIED' },
  /** Anything else that failed inside a mechanism. */
  FAILURE: { gss: 'GSS_S_FAILURE', sspi: 'SEC_E_INTERNAL_ERROR' },
} as const satisfies Record<string, { gss: GssMajor; sspi: string }>;

export type ErrorCode = keyof typeof ErrorCodes;

const BRAND = Symbol.for('gssock.GssockError');

export interface GssockErrorOptions {
  origin?: ErrorOrigin;
  cause?: unknown;
  /** Extra machine-readable details (Kerberos error code, KDCs tried, ...). */
  details?: Record<string, unknown>;
}

/** The base class of every error gssock throws. */
export class GssockError extends Error {
  readonly code: ErrorCode;
  readonly gssMajor: GssMajor;
  readonly sspiStatus: string;
  readonly origin: ErrorOrigin;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: GssockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GssockError';
    this.code = code;
    this.gssMajor = ErrorCodes[code].gss;
    this.sspiStatus = ErrorCodes[code].sspi;
    this.origin = options.origin ?? 'local';
    this.details = options.details ?? {};
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * Branded check, so `instanceof` holds across two copies of the package. Static methods
   * are inherited: for a subclass, the value must also be that subclass (by prototype, or
   * by name when it comes from another copy), not just any GssockError.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) {
      return false;
    }
    if (this === GssockError) return true;
    return Function.prototype[Symbol.hasInstance].call(this, value) || (value as Error).name === this.name;
  }
}

/** Shorthand for throwing: `throw gssError('DEFECTIVE_TOKEN', 'AP-REP too short', { origin: 'peer' })`. */
export function gssError(code: ErrorCode, message: string, options?: GssockErrorOptions): GssockError {
  return new GssockError(code, message, options);
}

/** True when `e` is a GssockError, optionally with the given code. */
export function isGssockError(e: unknown, code?: ErrorCode): e is GssockError {
  return e instanceof GssockError && (code === undefined || e.code === code);
}

/** Wraps any thrown value into a GssockError (keeps GssockErrors as they are). */
export function toGssockError(
  e: unknown,
  code: ErrorCode = 'FAILURE',
  origin: ErrorOrigin = 'local',
): GssockError {
  if (e instanceof GssockError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new GssockError(code, message, { origin, cause: e });
}

/** Mutual authentication was asked for and the peer did not prove who it is. */
export class MutualAuthRequiredError extends GssockError {
  constructor(
    message = 'mutual authentication was required but the peer did not prove its identity',
    options: GssockErrorOptions = {},
  ) {
    super('MUTUAL_AUTH_REQUIRED', message, { origin: 'peer', ...options });
    this.name = 'MutualAuthRequiredError';
  }
}

/** A frame header announced a body larger than the decoder's maximum. */
export class FrameTooLargeError extends GssockError {
  readonly announced: number;
  readonly maximum: number;
  constructor(announced: number, maximum: number) {
    super('FRAME_TOO_LARGE', `frame of ${announced} bytes announced, maximum is ${maximum}`, {
      origin: 'peer',
      details: { announced, maximum },
    });
    this.name = 'FrameTooLargeError';
    this.announced = announced;
    this.maximum = maximum;
  }
}

/** The stream ended inside a frame. */
export class TruncatedStreamError extends GssockError {
  constructor(message = 'the stream ended inside a frame', options: GssockErrorOptions = {}) {
    super('TRUNCATED', message, { origin: 'peer', ...options });
    this.name = 'TruncatedStreamError';
  }
}

/** A deadline passed. */
export class TimeoutError extends GssockError {
  constructor(message: string, options: GssockErrorOptions = {}) {
    super('TIMEOUT', message, options);
    this.name = 'TimeoutError';
  }
}

/** The caller aborted through an AbortSignal. */
export class AbortedError extends GssockError {
  constructor(message = 'aborted', options: GssockErrorOptions = {}) {
    super('ABORTED', message, options);
    this.name = 'AbortedError';
  }
}
