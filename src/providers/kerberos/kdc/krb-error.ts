/**
 * KRB-ERROR replies from a KDC as typed GssockErrors. Every one keeps the RFC name and
 * number in `details.krbError` / `details.krbErrorCode` / `details.krbErrorName`, so
 * callers can test for KDC_ERR_PREAUTH_FAILED without parsing messages.
 */
import { type ErrorCode, GssockError } from '../../../core/errors.ts';
import { KerberosErrorCode as K, kerberosErrorName } from '../error-codes.ts';

/** What the exchanges know about a decoded KRB-ERROR. */
export interface KrbErrorInfo {
  errorCode: number;
  eText?: string;
  realm?: string;
  /** Server principal text, for messages. */
  server?: string;
  client?: string;
}

/** RFC 4120 §7.5.9 code -> gssock error code. Client credential problems are LOGON_DENIED
 *  (SSPI SEC_E_LOGON_DENIED, what Windows reports for the same KDC answers). */
function codeFor(errorCode: number): ErrorCode {
  switch (errorCode) {
    case K.KDC_ERR_C_PRINCIPAL_UNKNOWN:
    case K.KDC_ERR_PREAUTH_FAILED:
    case K.KRB_AP_ERR_BAD_INTEGRITY:
    case K.KDC_ERR_CLIENT_REVOKED:
    case K.KDC_ERR_POLICY:
      return 'LOGON_DENIED';
    case K.KDC_ERR_KEY_EXPIRED:
    case K.KDC_ERR_NAME_EXP:
    case K.KRB_AP_ERR_TKT_EXPIRED:
      return 'CREDENTIALS_EXPIRED';
    case K.KDC_ERR_S_PRINCIPAL_UNKNOWN:
      return 'BAD_NAME';
    case K.KDC_ERR_ETYPE_NOSUPP:
      return 'ETYPE_NOT_SUPPORTED';
    case K.KRB_AP_ERR_SKEW:
      return 'CLOCK_SKEW';
    default:
      return 'KERBEROS_ERROR';
  }
}

const DESCRIPTIONS: Partial<Record<number, string>> = {
  [K.KDC_ERR_C_PRINCIPAL_UNKNOWN]: 'client not found in Kerberos database',
  [K.KDC_ERR_S_PRINCIPAL_UNKNOWN]: 'server not found in Kerberos database',
  [K.KDC_ERR_PREAUTH_FAILED]: 'pre-authentication failed (wrong password or key?)',
  [K.KRB_AP_ERR_BAD_INTEGRITY]: 'integrity check failed (wrong password or key?)',
  [K.KDC_ERR_ETYPE_NOSUPP]: 'KDC has no support for the requested encryption types',
  [K.KRB_AP_ERR_SKEW]: 'clock skew too great',
  [K.KDC_ERR_WRONG_REALM]: 'wrong realm (referral not followed)',
  [K.KDC_ERR_KEY_EXPIRED]: 'password has expired',
  [K.KDC_ERR_CLIENT_REVOKED]: 'client credentials have been revoked',
  [K.KDC_ERR_BADOPTION]: 'KDC cannot accommodate the requested option',
};

/** The GssockError for a KRB-ERROR received during `exchange` ('AS' or 'TGS'). */
export function krbErrorToGssock(info: KrbErrorInfo, exchange: string): GssockError {
  const name = kerberosErrorName(info.errorCode);
  const what = DESCRIPTIONS[info.errorCode] ?? 'KDC returned an error';
  const subject = info.client ?? info.server;
  const message = `${exchange}: ${name} (${info.errorCode}): ${what}${subject ? ` [${subject}]` : ''}${
    info.eText ? `: ${info.eText}` : ''
  }`;
  return new GssockError(codeFor(info.errorCode), message, {
    origin: 'peer',
    details: {
      krbError: { code: info.errorCode, name },
      krbErrorCode: info.errorCode,
      krbErrorName: name,
      ...(info.eText ? { eText: info.eText } : {}),
      ...(info.realm ? { realm: info.realm } : {}),
    },
  });
}
