/**
 * KRB-ERRORs of the AP exchange as GSS context tokens (RFC 4121 §4.1, TOK_ID 03 00) and as
 * typed GssockErrors. The acceptor answers a failed AP-REQ with one when the initiator waits
 * for a reply (mutual-required), as MIT's accept_sec_context does; the GssockError it
 * throws carries that token in `details.outputToken` for the engine to send. The initiator
 * turns a received KRB-ERROR into the same typed error (origin 'peer').
 */
import { type ErrorCode, GssockError } from '../../../core/errors.ts';
import { KerberosErrorCode as K, kerberosErrorName } from '../error-codes.ts';
import { encodeKrb5ContextTokenOf, type KrbError } from '../messages/index.ts';
import { krbErrorAsn } from '../messages/krb-error.ts';
import type { Principal } from '../types.ts';

/** RFC 4120 §7.5.9 AP error -> gssock error code. */
export function apErrorCode(errorCode: number): ErrorCode {
  switch (errorCode) {
    case K.KRB_AP_ERR_SKEW:
      return 'CLOCK_SKEW';
    case K.KRB_AP_ERR_REPEAT:
      return 'DUPLICATE_TOKEN';
    case K.KRB_AP_ERR_BAD_INTEGRITY:
    case K.KRB_AP_ERR_MODIFIED:
      return 'BAD_SIGNATURE';
    case K.KRB_AP_ERR_TKT_EXPIRED:
    case K.KRB_AP_ERR_TKT_NYV:
      return 'CREDENTIALS_EXPIRED';
    case K.KRB_AP_ERR_NOT_US:
    case K.KRB_AP_ERR_BADMATCH:
    case K.KDC_ERR_S_PRINCIPAL_UNKNOWN:
      return 'BAD_NAME';
    case K.KRB_AP_ERR_NOKEY:
    case K.KRB_AP_ERR_BADKEYVER:
      return 'NO_CREDENTIALS';
    case K.KRB_AP_ERR_BADVERSION:
    case K.KRB_AP_ERR_MSG_TYPE:
    case K.KRB_AP_ERR_INAPP_CKSUM:
      return 'DEFECTIVE_TOKEN';
    case K.KDC_ERR_ETYPE_NOSUPP:
      return 'ETYPE_NOT_SUPPORTED';
    default:
      return 'KERBEROS_ERROR';
  }
}

export interface ApFailure {
  errorCode: number;
  message: string;
  /** Override the mapped gssock code (e.g. BAD_BINDINGS for a generic KRB error). */
  code?: ErrorCode;
  /** Whose fault, on the acceptor's side (default the peer's token; 'local' for our store). */
  origin?: 'local' | 'peer';
  cause?: unknown;
}

/** Thrown inside the acceptor; converted to a GssockError (+ token) at the top of step(). */
export class ApFailureSignal {
  constructor(readonly failure: ApFailure) {}
}

export function apFail(errorCode: number, message: string, extra: Partial<ApFailure> = {}): never {
  throw new ApFailureSignal({ errorCode, message, ...extra });
}

/** The GSS error token the acceptor sends for `errorCode`. */
export function krbErrorToken(
  errorCode: number,
  server: Principal | undefined,
  now: number,
  mechOid: string,
) {
  const e: KrbError = {
    stime: Math.floor(now / 1000) * 1000,
    susec: (Math.floor(now) % 1000) * 1000,
    errorCode,
    realm: server?.realm ?? '',
    sname: server?.name ?? { nameType: 0, nameString: [''] },
  };
  return encodeKrb5ContextTokenOf('KRB-ERROR', krbErrorAsn(e), mechOid);
}

/** The typed error for a KRB-ERROR, as either side reports it. */
export function apError(
  failure: ApFailure,
  side: 'acceptor' | 'initiator',
  extra: Record<string, unknown> = {},
): GssockError {
  const name = kerberosErrorName(failure.errorCode);
  const prefix = side === 'initiator' ? 'the acceptor returned ' : '';
  return new GssockError(
    failure.code ?? apErrorCode(failure.errorCode),
    `${prefix}${name} (${failure.errorCode}): ${failure.message}`,
    {
      origin: side === 'acceptor' ? (failure.origin ?? 'peer') : 'peer',
      ...(failure.cause !== undefined ? { cause: failure.cause } : {}),
      details: {
        krbError: { code: failure.errorCode, name },
        krbErrorCode: failure.errorCode,
        krbErrorName: name,
        ...extra,
      },
    },
  );
}

/** What a received KRB-ERROR says, as a typed error from the initiator's point of view. */
export function receivedKrbError(e: KrbError): GssockError {
  const text = e.eText ? e.eText : (DESCRIPTIONS[e.errorCode] ?? 'authentication refused');
  return apError({ errorCode: e.errorCode, message: text }, 'initiator', {
    ...(e.eText ? { eText: e.eText } : {}),
    stime: e.stime + Math.floor(e.susec / 1000),
  });
}

const DESCRIPTIONS: Partial<Record<number, string>> = {
  [K.KRB_AP_ERR_SKEW]: 'clock skew too great',
  [K.KRB_AP_ERR_REPEAT]: 'request is a replay',
  [K.KRB_AP_ERR_NOT_US]: 'the ticket is not for this service',
  [K.KRB_AP_ERR_BAD_INTEGRITY]: 'integrity check on decrypted field failed',
  [K.KRB_AP_ERR_MODIFIED]: 'message stream modified',
  [K.KRB_AP_ERR_TKT_EXPIRED]: 'ticket expired',
  [K.KRB_AP_ERR_TKT_NYV]: 'ticket not yet valid',
  [K.KRB_AP_ERR_BADKEYVER]: 'specified version of key is not available',
  [K.KRB_AP_ERR_NOKEY]: 'service key not available',
  [K.KRB_AP_ERR_BADMATCH]: 'ticket and authenticator do not match',
};

export const describeApError = (code: number): string => DESCRIPTIONS[code] ?? 'AP exchange failed';
