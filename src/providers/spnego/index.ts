/**
 * gssock/negotiate: SPNEGO (RFC 4178, MS-SPNG) over any gssock mechanisms.
 *
 *   import { negotiate } from 'gssock/negotiate';
 *   const mech = negotiate({ mechanisms: [kerberos(krb), ntlm(creds)], allowNtlm: true });
 */
export { NEGOTIATE_NAME } from './context.ts';
export type { Attempt } from './initiator.ts';
export { encodeMechTypeList, MAX_MECH_TYPES } from './mech-list.ts';
export {
  decodeNegotiationToken,
  encodeNegTokenInit,
  encodeNegTokenInit2,
  encodeNegTokenResp,
  MAX_SPNEGO_TOKEN,
  NEG_HINT_NAME,
  type NegHints,
  NegState,
  type NegStateName,
  type NegotiationToken,
  type NegTokenInit,
  type NegTokenResp,
} from './messages.ts';
export { NEGOTIATE_OID, type NegotiateOptions, negotiate } from './mechanism.ts';
export type { SpnegoAwareContext } from './mic-exchange.ts';
export { isKerberosOid, KRB5_OID, MS_KRB5_OID, NTLM_OID, SPNEGO_OID, sameMech } from './oids.ts';
