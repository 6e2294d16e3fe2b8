/**
 * What the NTLM initiator and acceptor contexts share: state checks, info(), the
 * per-message operations over SessionSecurity, and disposal.
 *
 * MUTUAL is never granted, and that is the point: MS-NLMP gives the client no proof of
 * the server's identity (the server never shows it knows the password, and any server can
 * hand out a CHALLENGE), so an impostor completes the handshake just as well. The engine
 * refuses such a context whenever mutual authentication was required
 * (MutualAuthRequiredError); applications that need server authentication must use
 * Kerberos or a TLS channel bound in with channel bindings.
 */
import { wipe } from '../../core/bytes.ts';
import { gssError } from '../../core/errors.ts';
import { type ContextFlags, Flags } from '../../core/flags.ts';
import type {
  ContextInfo,
  Role,
  SecurityContext,
  StepResult,
  UnwrapResult,
  WrapOptions,
} from '../../core/mechanism.ts';
import { has, NegotiateFlags as F } from './flags.ts';
import { SessionSecurity } from './session-security.ts';

export const NTLM_NAME = 'ntlm';
export const NTLM_OID = '1.3.6.1.4.1.311.2.2.10';

export interface Established {
  negotiatedFlags: number;
  exportedSessionKey?: Uint8Array;
  peerName: string;
  localName: string;
  extra: Record<string, unknown>;
  anonymous?: boolean;
  /** The AUTHENTICATE message carried a MIC (then SPNEGO must exchange a mechListMIC). */
  micPresent?: boolean;
}

export abstract class NtlmContextBase implements SecurityContext {
  abstract readonly role: Role;
  readonly mechanism = NTLM_NAME;
  #done = false;
  #disposed = false;
  #info?: ContextInfo;
  #security?: SessionSecurity;
  #sessionKey?: Uint8Array;
  #micPresent = false;

  get established(): boolean {
    return this.#done && !this.#disposed;
  }

  abstract step(input: Uint8Array | null): Promise<StepResult>;

  protected assertUsable(): void {
    if (this.#disposed) throw gssError('INVALID_STATE', 'the NTLM context was disposed');
  }

  protected assertStepAllowed(): void {
    this.assertUsable();
    if (this.#done) throw gssError('INVALID_STATE', 'the NTLM context is already established');
  }

  /** Called once by the role when the handshake completes. */
  protected complete(e: Established): void {
    const f = e.negotiatedFlags;
    let flags: ContextFlags = 0;
    if (e.anonymous) flags |= Flags.ANON;
    else if (e.exportedSessionKey && (has(f, F.NTLMSSP_NEGOTIATE_SIGN) || has(f, F.NTLMSSP_NEGOTIATE_SEAL))) {
      this.#security = new SessionSecurity(
        f,
        e.exportedSessionKey,
        this.role === 'initiator' ? 'client' : 'server',
      );
      // Connection-oriented NTLM numbers every signature; any gap or repeat is refused.
      flags |= Flags.INTEG | Flags.REPLAY | Flags.SEQUENCE;
      if (has(f, F.NTLMSSP_NEGOTIATE_SEAL)) flags |= Flags.CONF;
    }
    if (has(f, F.NTLMSSP_NEGOTIATE_IDENTIFY)) flags |= Flags.IDENTIFY;
    if (e.exportedSessionKey) this.#sessionKey = e.exportedSessionKey.slice();
    this.#micPresent = e.micPresent === true;
    this.#info = {
      mechanism: NTLM_NAME,
      mechanismOid: NTLM_OID,
      flags,
      peerName: e.peerName,
      localName: e.localName,
      ...(this.#sessionKey ? { sessionKey: this.#sessionKey } : {}),
      extra: { ...e.extra, negotiateFlags: f >>> 0 },
    };
    this.#done = true;
  }

  /**
   * SPNEGO hook (SpnegoAwareContext): Windows demands a mechListMIC once the AUTHENTICATE
   * message carried its own MIC (MS-SPNG §3.1.5.1), as gss-ntlmssp answers MIT.
   */
  requiresMechListMic(): boolean {
    return this.#micPresent;
  }

  /** SPNEGO hook (SpnegoAwareContext): MS-SPNG §3.3.5.1 RC4 reset after the mechListMIC. */
  resetCryptoState(direction: 'send' | 'receive'): void {
    this.#security?.resetStream(direction);
  }

  info(): ContextInfo {
    this.assertUsable();
    if (!this.#info) throw gssError('INVALID_STATE', 'the NTLM context is not established yet');
    return { ...this.#info, ...(this.#sessionKey ? { sessionKey: this.#sessionKey.slice() } : {}) };
  }

  #protection(what: string): SessionSecurity {
    this.assertUsable();
    if (!this.#done) throw gssError('INVALID_STATE', `${what} before the NTLM context is established`);
    if (!this.#security)
      throw gssError(
        'NOT_SUPPORTED',
        `${what}: no NTLM session security was negotiated (anonymous, or no SIGN/SEAL)`,
      );
    return this.#security;
  }

  async wrap(message: Uint8Array, options: WrapOptions = {}): Promise<Uint8Array> {
    const s = this.#protection('wrap');
    if ((options.qop ?? 0) !== 0)
      throw gssError('INVALID_ARGUMENT', 'NTLM supports only the default QOP (0)');
    if (!(message instanceof Uint8Array)) throw gssError('INVALID_ARGUMENT', 'wrap needs a Uint8Array');
    // Without NTLMSSP_NEGOTIATE_SEAL the honest answer to "seal" is a signed-only token.
    const seal = (options.confidential ?? true) && has(s.flags, F.NTLMSSP_NEGOTIATE_SEAL);
    return s.wrap(message, seal);
  }

  async unwrap(token: Uint8Array): Promise<UnwrapResult> {
    const r = this.#protection('unwrap').unwrap(token);
    return { message: r.message, confidential: r.confidential, qop: 0 };
  }

  async getMic(message: Uint8Array, qop = 0): Promise<Uint8Array> {
    const s = this.#protection('getMic');
    if (qop !== 0) throw gssError('INVALID_ARGUMENT', 'NTLM supports only the default QOP (0)');
    if (!(message instanceof Uint8Array)) throw gssError('INVALID_ARGUMENT', 'getMic needs a Uint8Array');
    return s.sign(message);
  }

  async verifyMic(message: Uint8Array, mic: Uint8Array): Promise<void> {
    const s = this.#protection('verifyMic');
    if (!(message instanceof Uint8Array)) throw gssError('INVALID_ARGUMENT', 'verifyMic needs a Uint8Array');
    s.verify(message, mic);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#security?.dispose();
    this.#security = undefined;
    wipe(this.#sessionKey);
    this.#sessionKey = undefined;
    this.#info = undefined;
    this.wipeHandshake();
  }

  /** Wipes the role's handshake secrets. */
  protected abstract wipeHandshake(): void;
}
