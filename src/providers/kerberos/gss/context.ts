/**
 * What the initiator and acceptor contexts share: the SecurityContext surface once
 * established (info, wrap/unwrap, getMic/verifyMic, dispose) over a `Protection`, and the
 * state checks (nothing before established, nothing after dispose).
 */
import { gssError } from '../../../core/errors.ts';
import { Flags } from '../../../core/flags.ts';
import type {
  Awaitable,
  ContextInfo,
  Role,
  SecurityContext,
  StepResult,
  UnwrapResult,
  WrapOptions,
} from '../../../core/mechanism.ts';
import type { Protection } from './protection.ts';

export const KERBEROS_MECHANISM = 'kerberos';

/** What a context knows once established (or prot-ready). */
export interface EstablishedFacts {
  flags: number;
  peerName: string;
  localName: string;
  mechanismOid: string;
  expiresAt?: number;
  extra: Record<string, unknown>;
}

export abstract class KerberosContextBase implements SecurityContext {
  abstract readonly role: Role;
  readonly mechanism = KERBEROS_MECHANISM;
  protected protection: Protection | undefined;
  protected facts: EstablishedFacts | undefined;
  #established = false;
  #disposed = false;
  #failed = false;

  get established(): boolean {
    return this.#established;
  }

  protected markEstablished(): void {
    this.#established = true;
  }

  /** Runs one step; a failure leaves the context unusable (fail closed). */
  step(input: Uint8Array | null): Awaitable<StepResult> {
    this.#usable();
    if (this.#established) throw gssError('INVALID_STATE', 'the context is already established');
    return this.runStep(input).then(
      (r) => r,
      (e) => {
        this.#failed = true;
        this.dispose();
        throw e;
      },
    );
  }

  protected abstract runStep(input: Uint8Array | null): Promise<StepResult>;

  #usable(): void {
    if (this.#disposed) throw gssError('INVALID_STATE', 'the context has been disposed');
    if (this.#failed) throw gssError('INVALID_STATE', 'the context failed to establish');
  }

  #ready(): Protection {
    this.#usable();
    const p = this.protection;
    const protReady = this.facts !== undefined && (this.facts.flags & Flags.PROT_READY) !== 0;
    if (!p || (!this.#established && !protReady))
      throw gssError('INVALID_STATE', 'the context is not established yet');
    return p;
  }

  info(): ContextInfo {
    this.#ready();
    const f = this.facts!;
    return {
      mechanism: KERBEROS_MECHANISM,
      mechanismOid: f.mechanismOid,
      flags: f.flags,
      peerName: f.peerName,
      localName: f.localName,
      ...(f.expiresAt !== undefined ? { expiresAt: f.expiresAt } : {}),
      sessionKey: this.protection!.sessionKey.value.slice(),
      extra: { ...f.extra, enctype: this.protection!.sessionKey.etype },
    };
  }

  wrap(message: Uint8Array, options?: WrapOptions): Uint8Array {
    return this.#ready().wrap(checkBytes(message), options);
  }

  unwrap(token: Uint8Array): UnwrapResult {
    return this.#ready().unwrap(checkBytes(token));
  }

  getMic(message: Uint8Array, qop?: number): Uint8Array {
    return this.#ready().getMic(checkBytes(message), qop);
  }

  verifyMic(message: Uint8Array, mic: Uint8Array): void {
    this.#ready().verifyMic(checkBytes(message), checkBytes(mic));
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.protection?.dispose();
    this.disposeSecrets();
  }

  /** Wipes role-specific secrets (pending subkeys, delegated credentials). */
  protected abstract disposeSecrets(): void;
}

function checkBytes(b: Uint8Array): Uint8Array {
  if (!(b instanceof Uint8Array)) throw gssError('INVALID_ARGUMENT', 'expected a Uint8Array');
  return b;
}
