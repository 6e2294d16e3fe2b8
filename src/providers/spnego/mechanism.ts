/**
 * `negotiate(options)`: SPNEGO (RFC 4178), the mechanism behind SSPI's "Negotiate" package
 * and HTTP `Authorization: Negotiate`. It wraps real mechanisms - typically
 * `[kerberos(...), ntlm(...)]`, in preference order - and negotiates one of them:
 * the initiator offers the list with an optimistic token for its first choice, the
 * acceptor picks the first it has credentials for, and a mechListMIC over the offered
 * list stops a man in the middle from downgrading the choice.
 *
 * @example
 * ```ts
 * const client = negotiate({ mechanisms: [kerberos({ ccache }), ntlm({ user, password })] });
 * const session = await initiate({ mechanism: client, channel, target: 'host@server.example.com' });
 * session.info.mechanismOid; // '1.2.840.113554.1.2.2' when Kerberos was negotiated
 * ```
 *
 * Fail closed: NTLM never grants MUTUAL (the engine then refuses the context when mutual
 * authentication is required), and `allowNtlm: false` removes NTLM from both roles.
 */
import { gssError } from '../../core/errors.ts';
import type { ContextOptions, Mechanism, Role, SecurityContext } from '../../core/mechanism.ts';
import { NegotiateAcceptor } from './acceptor.ts';
import { NEGOTIATE_NAME } from './context.ts';
import { type Attempt, NegotiateInitiator } from './initiator.ts';
import { NTLM_OID, SPNEGO_OID } from './oids.ts';

export interface NegotiateOptions {
  /** The mechanisms to negotiate, most preferred first (e.g. Kerberos, then NTLM). */
  mechanisms: readonly Mechanism[];
  /** Offer and accept NTLM (OID 1.3.6.1.4.1.311.2.2.10). Default true. */
  allowNtlm?: boolean;
  /** Acceptor: take a raw NTLMSSP or raw Kerberos first token, as Windows does. Default true. */
  acceptRawTokens?: boolean;
  /**
   * Acceptor: answer an empty first token (step(null)) with a NegTokenInit2 hint listing the
   * mechanisms it accepts (MS-SPNG §3.2.5.2, as MIT does). Default false: a token is required.
   */
  sendHints?: boolean;
  /** Initiator: list the Microsoft Kerberos OID 1.2.840.48018.1.2.2 first, as Windows does. Default false. */
  msKerberosOid?: boolean;
}

export const NEGOTIATE_OID = SPNEGO_OID;

export function negotiate(options: NegotiateOptions): Mechanism {
  if (!options || !Array.isArray(options.mechanisms))
    throw gssError('INVALID_ARGUMENT', 'negotiate: options.mechanisms must be an array of mechanisms');
  for (const m of options.mechanisms) {
    if (!m || typeof m.createContext !== 'function' || typeof m.oid !== 'string')
      throw gssError('INVALID_ARGUMENT', 'negotiate: every entry of mechanisms must be a Mechanism');
    if (m.oid === SPNEGO_OID) throw gssError('INVALID_ARGUMENT', 'negotiate: SPNEGO cannot negotiate itself');
  }
  const oids = options.mechanisms.map((m) => m.oid);
  if (new Set(oids).size !== oids.length)
    throw gssError('INVALID_ARGUMENT', 'negotiate: the same mechanism OID is listed twice');
  const allowNtlm = options.allowNtlm ?? true;
  const refused: Attempt[] = [];
  const mechanisms = options.mechanisms.filter((m) => {
    if (allowNtlm || m.oid !== NTLM_OID) return true;
    refused.push({
      mechanism: m.name,
      code: 'NOT_SUPPORTED',
      message: 'NTLM is forbidden (allowNtlm: false)',
    });
    return false;
  });

  return {
    name: NEGOTIATE_NAME,
    oid: SPNEGO_OID,
    async createContext(role: Role, o: ContextOptions = {}): Promise<SecurityContext> {
      if (role === 'initiator') {
        return NegotiateInitiator.create(
          { mechanisms, msKerberosOid: options.msKerberosOid ?? false },
          o,
          refused,
        );
      }
      if (role !== 'acceptor') throw gssError('INVALID_ARGUMENT', `negotiate: unknown role ${String(role)}`);
      if (mechanisms.length === 0)
        throw gssError('NO_CREDENTIALS', 'negotiate: no mechanism to accept with', {
          details: { attempts: refused },
        });
      return new NegotiateAcceptor(
        {
          mechanisms,
          acceptRawTokens: options.acceptRawTokens ?? true,
          sendHints: options.sendHints ?? false,
        },
        o,
      );
    },
  };
}
