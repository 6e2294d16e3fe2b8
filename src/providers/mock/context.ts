/**
 * One mock security context, either role. States, in protocol order:
 *
 *   initiator: start --step(null)--> expect-challenge --step(CHALLENGE)--> done (+ PROOF out)
 *   acceptor:  start --step(INIT)--> expect-proof     --step(PROOF)-----> done (no output)
 *
 * Any error moves to `failed`; stepping after `done`, `failed` or `disposed` is
 * INVALID_STATE. `misbehave.stallMs` delays every step through a timer that dispose()
 * cancels, so an engine timeout leaves nothing pending.
 */
import { gssError, toGssockError } from '../../core/errors.ts';
import { Flags } from '../../core/flags.ts';
import type {
  Clock,
  ContextInfo,
  Role,
  SecurityContext,
  StepResult,
  UnwrapResult,
  WrapOptions,
} from '../../core/mechanism.ts';
import type { Aead } from './aead.ts';
import {
  type ChallengeSent,
  type Established,
  type HandshakeSettings,
  type InitSent,
  onChallenge,
  onInit,
  onProof,
  sendInit,
} from './handshake.ts';
import { wipeKeys } from './keys.ts';
import { MockProtection } from './protection.ts';

export const MOCK_NAME = 'mock';
/** An OID under the RFC 5612 documentation enterprise number 32473: NOT registered to gssock. */
export const MOCK_OID = '1.3.6.1.4.1.32473.1.1';

type State = 'start' | 'expect-challenge' | 'expect-proof' | 'done' | 'failed' | 'disposed';

export interface MockContextSettings {
  role: Role;
  handshake: HandshakeSettings;
  clock: Clock;
  lifetimeMs: number;
  stallMs: number;
  aead?: Aead;
}

export class MockContext implements SecurityContext {
  readonly role: Role;
  readonly mechanism = MOCK_NAME;
  readonly #s: MockContextSettings;
  #state: State = 'start';
  #initSent?: InitSent;
  #challengeSent?: ChallengeSent;
  #established?: Established;
  #protection?: MockProtection;
  #info?: ContextInfo;
  #stall?: { timer: ReturnType<typeof setTimeout>; reject: (e: unknown) => void };

  constructor(s: MockContextSettings) {
    this.role = s.role;
    this.#s = s;
  }

  get established(): boolean {
    return this.#state === 'done';
  }

  step(input: Uint8Array | null): StepResult | Promise<StepResult> {
    if (this.#s.stallMs > 0 && this.#state !== 'disposed') {
      if (this.#stall) throw gssError('INVALID_STATE', 'mock: step called while another step is pending');
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#stall = undefined;
          resolve();
        }, this.#s.stallMs);
        this.#stall = { timer, reject };
      }).then(() => this.#step(input));
    }
    return this.#step(input);
  }

  #step(input: Uint8Array | null): StepResult {
    const state = this.#state;
    if (state === 'done' || state === 'failed' || state === 'disposed') {
      throw gssError('INVALID_STATE', `mock: step() called on a context that is ${state}`);
    }
    try {
      return this.role === 'initiator' ? this.#initiatorStep(state, input) : this.#acceptorStep(state, input);
    } catch (e) {
      this.#state = 'failed';
      throw toGssockError(e);
    }
  }

  #initiatorStep(state: State, input: Uint8Array | null): StepResult {
    if (state === 'start') {
      if (input !== null && input.length > 0) {
        throw gssError('INVALID_STATE', 'mock: the initiator takes no input token on its first step');
      }
      this.#initSent = sendInit(this.#s.handshake);
      this.#state = 'expect-challenge';
      return { outputToken: this.#initSent.wire, done: false };
    }
    const token = required(input, 'CHALLENGE');
    const result = onChallenge(this.#s.handshake, this.#initSent!, token);
    this.#complete(result);
    return { outputToken: result.wire, done: true };
  }

  #acceptorStep(state: State, input: Uint8Array | null): StepResult {
    if (state === 'start') {
      this.#challengeSent = onInit(this.#s.handshake, required(input, 'INIT'));
      this.#state = 'expect-proof';
      return { outputToken: this.#challengeSent.wire, done: false };
    }
    const sent = this.#challengeSent!;
    onProof(sent, required(input, 'PROOF'));
    this.#complete(sent.established);
    return { done: true };
  }

  #complete(e: Established): void {
    const corrupt = this.#s.handshake.corrupt;
    this.#established = e;
    this.#protection = new MockProtection({
      role: this.role,
      keys: e.keys,
      replay: (e.flags & Flags.REPLAY) !== 0,
      sequence: (e.flags & Flags.SEQUENCE) !== 0,
      corruptWrap: corrupt === 'wrap',
      corruptMic: corrupt === 'mic',
      ...(this.#s.aead ? { aead: this.#s.aead } : {}),
    });
    this.#info = {
      mechanism: MOCK_NAME,
      mechanismOid: MOCK_OID,
      flags: e.flags,
      peerName: e.peerName,
      localName: this.#s.handshake.localName,
      expiresAt: this.#s.clock() + this.#s.lifetimeMs,
      sessionKey: e.keys.session,
      extra: { protocolVersion: 1, aead: this.#protection.backend },
    };
    this.#initSent = undefined;
    this.#state = 'done';
  }

  info(): ContextInfo {
    if (this.#state !== 'done' || !this.#info) {
      throw gssError('INVALID_STATE', `mock: context is ${this.#state}, not established`);
    }
    return { ...this.#info, sessionKey: this.#info.sessionKey?.slice() };
  }

  wrap(message: Uint8Array, options?: WrapOptions): Uint8Array {
    return this.#ready().wrap(message, options);
  }

  unwrap(token: Uint8Array): UnwrapResult {
    return this.#ready().unwrap(token);
  }

  getMic(message: Uint8Array, qop?: number): Uint8Array {
    return this.#ready().getMic(message, qop);
  }

  verifyMic(message: Uint8Array, mic: Uint8Array): void {
    this.#ready().verifyMic(message, mic);
  }

  #ready(): MockProtection {
    if (this.#state !== 'done' || !this.#protection || !this.#info) {
      throw gssError('INVALID_STATE', `mock: context is ${this.#state}, not established`);
    }
    if (this.#info.expiresAt !== undefined && this.#s.clock() >= this.#info.expiresAt) {
      throw gssError('CONTEXT_EXPIRED', 'mock: the security context has expired');
    }
    return this.#protection;
  }

  dispose(): void {
    if (this.#state === 'disposed') return;
    this.#state = 'disposed';
    if (this.#stall) {
      clearTimeout(this.#stall.timer);
      this.#stall.reject(gssError('INVALID_STATE', 'mock: context disposed during a step'));
      this.#stall = undefined;
    }
    this.#protection?.dispose();
    wipeKeys(this.#established?.keys ?? this.#challengeSent?.established.keys);
    this.#initSent?.clientNonce.fill(0);
    this.#established = undefined;
    this.#challengeSent = undefined;
    this.#initSent = undefined;
    this.#protection = undefined;
    this.#info = undefined;
  }
}

function required(input: Uint8Array | null, what: string): Uint8Array {
  if (input === null || input.length === 0) {
    throw gssError('DEFECTIVE_TOKEN', `mock: expected a ${what} token, got none`, { origin: 'peer' });
  }
  return input;
}
