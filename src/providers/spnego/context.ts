/**
 * What the SPNEGO initiator and acceptor share: the SecurityContext surface over the
 * negotiated inner context, the state rules and the fail-closed flag rule.
 *
 * - Nothing before established: SPNEGO never reports PROT_READY (RFC 4178 §5: per-message
 *   protection before the mechListMIC check would use a mechanism not yet proven chosen by
 *   both sides), so info/wrap/unwrap/getMic/verifyMic throw INVALID_STATE until done.
 * - Once done, per-message calls go straight to the inner context (SPNEGO adds no framing
 *   to them, RFC 4178 §4.2), and info() names the negotiated mechanism's OID.
 * - An NTLM outcome never grants MUTUAL: NTLM does not authenticate the server (MS-NLMP
 *   §1.3; references.md §1.6), whatever the inner context claims.
 * - A failed step disposes everything; any later call is INVALID_STATE.
 */
import { gssError, toGssockError } from '../../core/errors.ts';
import { Flags } from '../../core/flags.ts';
import type {
  ContextInfo,
  Mechanism,
  Role,
  SecurityContext,
  StepResult,
  UnwrapResult,
  WrapOptions,
} from '../../core/mechanism.ts';
import type { SpnegoAwareContext } from './mic-exchange.ts';
import { NTLM_OID } from './oids.ts';

export const NEGOTIATE_NAME = 'negotiate';

export type InnerContext = SecurityContext & SpnegoAwareContext;

/** One inner mechanism with the context SPNEGO made for it. */
export interface Candidate {
  mechanism: Mechanism;
  /** The OID as listed on the wire (may be the MS Kerberos OID). */
  oid: string;
  context: InnerContext;
}

type State = 'running' | 'done' | 'failed' | 'disposed';

export abstract class NegotiateContextBase implements SecurityContext {
  abstract readonly role: Role;
  readonly mechanism = NEGOTIATE_NAME;
  #state: State = 'running';
  #busy = false;
  /** The negotiated (or optimistic) inner context. */
  protected selected: Candidate | undefined;
  /** Contexts made but not (or no longer) selected; disposed with us. */
  protected spare: Candidate[] = [];
  #info: ContextInfo | undefined;

  get established(): boolean {
    return this.#state === 'done';
  }

  async step(input: Uint8Array | null): Promise<StepResult> {
    if (this.#state !== 'running')
      throw gssError('INVALID_STATE', `negotiate: step() on a context that is ${this.#state}`);
    if (this.#busy) throw gssError('INVALID_STATE', 'negotiate: step() called while another step is pending');
    this.#busy = true;
    try {
      const r = await this.runStep(input);
      if (r.done) this.#finish();
      return r.outputToken && r.outputToken.length > 0 ? r : { done: r.done };
    } catch (e) {
      const error = toGssockError(e);
      this.dispose();
      this.#state = 'failed';
      throw error;
    } finally {
      this.#busy = false;
    }
  }

  protected abstract runStep(input: Uint8Array | null): Promise<StepResult>;

  /** Extra facts for info().extra (e.g. whether a mechListMIC went both ways). */
  protected abstract extraInfo(): Record<string, unknown>;

  #finish(): void {
    const sel = this.selected;
    if (!sel?.context.established)
      throw gssError('FAILURE', 'negotiate: completed without an established mechanism');
    const inner = sel.context.info();
    let flags = inner.flags & ~Flags.PROT_READY;
    if (sel.mechanism.oid === NTLM_OID || inner.mechanismOid === NTLM_OID) flags &= ~Flags.MUTUAL;
    this.#info = {
      ...inner,
      mechanism: NEGOTIATE_NAME,
      mechanismOid: sel.mechanism.oid,
      flags,
      extra: { ...(inner.extra ?? {}), negotiatedMechanism: sel.mechanism.name, ...this.extraInfo() },
    };
    this.#disposeSpare();
    this.#state = 'done';
  }

  #inner(): InnerContext {
    if (this.#state !== 'done' || !this.selected)
      throw gssError(
        'INVALID_STATE',
        `negotiate: context is ${this.#state === 'running' ? 'not established yet' : this.#state}`,
      );
    return this.selected.context;
  }

  info(): ContextInfo {
    const inner = this.#inner();
    // Expiry and keys may change under the inner context; take them fresh.
    const fresh = inner.info();
    return { ...this.#info!, expiresAt: fresh.expiresAt, sessionKey: fresh.sessionKey };
  }

  wrap(message: Uint8Array, options?: WrapOptions): Promise<Uint8Array> {
    return Promise.resolve().then(() => this.#inner().wrap(message, options));
  }

  unwrap(token: Uint8Array): Promise<UnwrapResult> {
    return Promise.resolve().then(() => this.#inner().unwrap(token));
  }

  getMic(message: Uint8Array, qop?: number): Promise<Uint8Array> {
    return Promise.resolve().then(() => this.#inner().getMic(message, qop));
  }

  verifyMic(message: Uint8Array, mic: Uint8Array): Promise<void> {
    return Promise.resolve().then(() => this.#inner().verifyMic(message, mic));
  }

  #disposeSpare(): void {
    for (const c of this.spare) safeDispose(c.context);
    this.spare = [];
  }

  dispose(): void {
    if (this.#state === 'disposed') return;
    this.#state = 'disposed';
    this.#disposeSpare();
    if (this.selected) safeDispose(this.selected.context);
    this.selected = undefined;
    this.#info = undefined;
  }
}

export function safeDispose(context: SecurityContext): void {
  try {
    context.dispose();
  } catch {
    // Disposal must not hide the error that brought us here.
  }
}

/** The inner flags to request: the caller's plus INTEG, which the mechListMIC needs (as MIT does). */
export const innerFlags = (flags: number): number => flags | Flags.INTEG;
