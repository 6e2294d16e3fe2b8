/**
 * The SPNEGO acceptor (RFC 4178 §3.2, §5; MS-SPNG §3.2.5), MIT-compatible:
 *
 * 1. First token:
 *    - none (step(null) or empty), with `sendHints`: answer with a NegTokenInit2 hint listing
 *      the mechanisms we can accept with (MS-SPNG §3.2.5.2; MIT's acc_ctx_hints does the same);
 *    - a raw NTLMSSP message, or a raw framed token of one of our mechanisms (Kerberos):
 *      pass-through mode, as Windows Negotiate accepts them; no SPNEGO wrapping either way;
 *    - a NegTokenInit: pick the first mechanism in the INITIATOR's order that we have
 *      acceptor credentials for (MIT's negotiate_mech; Windows alike).
 * 2. If that is the initiator's first choice and its optimistic token came along, the token
 *    goes to the mechanism and no MIC is required; otherwise the optimistic token is dropped,
 *    we answer request-mic with supportedMech and the mechListMIC becomes required
 *    (RFC 4178 §5: MICs are optional only when the first choice was used as sent).
 * 3. Our first reply carries supportedMech (as the OID the initiator wrote, e.g. the MS
 *    Kerberos OID); later initiator tokens must not carry one (MIT: DEFECTIVE).
 * 4. Once the mechanism is done, mic-exchange.ts runs. Without a pending MIC we are done and
 *    always send accept-completed (with the mechanism's last token, if any): the SPNEGO
 *    initiator waits for it. When our MIC already went out and the initiator's arrives, we
 *    are done with nothing to send.
 */
import { gssError, isGssockError, toGssockError } from '../../core/errors.ts';
import { Flags } from '../../core/flags.ts';
import type { ContextOptions, Mechanism, StepResult } from '../../core/mechanism.ts';
import { decodeGssInitialToken } from '../kerberos/messages/gss-token.ts';
import { type Candidate, NegotiateContextBase, safeDispose } from './context.ts';
import {
  decodeNegotiationToken,
  encodeNegTokenInit2,
  encodeNegTokenResp,
  type NegStateName,
  type NegTokenInit,
  type NegTokenRespFields,
} from './messages.ts';
import { MicExchange } from './mic-exchange.ts';
import { isRawNtlm, NTLM_OID, SPNEGO_OID, sameMech } from './oids.ts';

export interface AcceptorSettings {
  mechanisms: readonly Mechanism[];
  /** Accept a raw NTLMSSP or raw Kerberos token in place of a NegTokenInit. */
  acceptRawTokens: boolean;
  /** Answer an empty first token with a NegTokenInit2 hint. */
  sendHints: boolean;
}

type Mode = 'start' | 'hinted' | 'spnego' | 'raw';

export class NegotiateAcceptor extends NegotiateContextBase {
  readonly role = 'acceptor' as const;
  readonly #s: AcceptorSettings;
  readonly #options: ContextOptions;
  #mode: Mode = 'start';
  #mic: MicExchange | undefined;
  #innerDone = false;
  #firstReply = true;

  constructor(s: AcceptorSettings, options: ContextOptions) {
    super();
    this.#s = s;
    this.#options = options;
  }

  protected extraInfo(): Record<string, unknown> {
    return { mechListMic: this.#mic?.complete ?? false, rawToken: this.#mode === 'raw' };
  }

  protected async runStep(input: Uint8Array | null): Promise<StepResult> {
    const empty = input === null || input.length === 0;
    if (this.#mode === 'start' && empty && this.#s.sendHints) return this.#hint();
    if (empty)
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: expected a token from the initiator', { origin: 'peer' });
    if (this.#mode === 'raw') return this.#rawStep(input);
    if (this.#mode === 'start' || this.#mode === 'hinted') {
      const raw = this.#s.acceptRawTokens ? this.#rawMechanism(input) : undefined;
      if (raw) return this.#startRaw(raw, input);
      return this.#init(input);
    }
    return this.#next(input);
  }

  /** An acceptor context for `mechanism`, or undefined when it has no acceptor credentials. */
  async #tryCreate(mechanism: Mechanism): Promise<Candidate['context'] | undefined> {
    try {
      return await mechanism.createContext('acceptor', this.#options);
    } catch (e) {
      if (isGssockError(e, 'NO_CREDENTIALS')) return undefined;
      throw toGssockError(e);
    }
  }

  async #hint(): Promise<StepResult> {
    const usable: string[] = [];
    for (const m of this.#s.mechanisms) {
      const c = await this.#tryCreate(m);
      if (c) {
        usable.push(m.oid);
        safeDispose(c);
      }
    }
    if (usable.length === 0)
      throw gssError('NO_CREDENTIALS', 'negotiate: no mechanism has acceptor credentials');
    this.#mode = 'hinted';
    return { outputToken: encodeNegTokenInit2({ mechTypes: usable }), done: false };
  }

  /** The mechanism a raw (non-SPNEGO) first token belongs to, if it is one of ours. */
  #rawMechanism(token: Uint8Array): Mechanism | undefined {
    let oid: string | undefined;
    if (isRawNtlm(token)) oid = NTLM_OID;
    else if (token[0] === 0x60) {
      try {
        oid = decodeGssInitialToken(token, { maxSize: token.length }).mechOid;
      } catch {
        return undefined; // Not a framed token: let the SPNEGO decoder report it.
      }
      if (oid === SPNEGO_OID) return undefined;
    }
    if (oid === undefined) return undefined;
    const mech = this.#s.mechanisms.find((m) => sameMech(m.oid, oid!));
    if (!mech)
      throw gssError('BAD_MECH', `negotiate: a raw ${oid} token, and that mechanism is not enabled here`, {
        origin: 'peer',
        details: { mechOid: oid },
      });
    return mech;
  }

  async #startRaw(mechanism: Mechanism, token: Uint8Array): Promise<StepResult> {
    const context = await this.#tryCreate(mechanism);
    if (!context)
      throw gssError('NO_CREDENTIALS', `negotiate: no acceptor credentials for ${mechanism.name}`);
    this.selected = { mechanism, oid: mechanism.oid, context };
    this.#mode = 'raw';
    return this.#rawStep(token);
  }

  async #rawStep(token: Uint8Array): Promise<StepResult> {
    const r = await this.selected!.context.step(token);
    return r.outputToken ? { outputToken: r.outputToken, done: r.done } : { done: r.done };
  }

  async #init(token: Uint8Array): Promise<StepResult> {
    const init = decodeNegotiationToken(token);
    if (init.kind !== 'init' || init.negHints !== undefined)
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: expected a NegTokenInit from the initiator', {
        origin: 'peer',
      });
    this.#mode = 'spnego';
    const index = await this.#select(init);
    const mic = new MicExchange(init.mechTypesDer);
    this.#mic = mic;
    if (index !== 0 || init.mechToken === undefined) {
      mic.required = true;
      return this.#reply(false, 'request-mic');
    }
    return this.#advance(init.mechToken, init.mechListMIC);
  }

  /** Picks the first of the initiator's mechanisms we can accept with; returns its index. */
  async #select(init: NegTokenInit): Promise<number> {
    for (let i = 0; i < init.mechTypes.length; i++) {
      const oid = init.mechTypes[i]!;
      const mechanism = this.#s.mechanisms.find((m) => sameMech(m.oid, oid));
      if (!mechanism) continue;
      const context = await this.#tryCreate(mechanism);
      if (!context) continue;
      this.selected = { mechanism, oid, context };
      return i;
    }
    throw gssError(
      'BAD_MECH',
      `negotiate: no mechanism in common (offered ${init.mechTypes.join(', ')}; ` +
        `acceptable here ${this.#s.mechanisms.map((m) => m.oid).join(', ') || 'none'})`,
      { origin: 'peer', details: { offered: init.mechTypes } },
    );
  }

  async #next(token: Uint8Array): Promise<StepResult> {
    const resp = decodeNegotiationToken(token);
    if (resp.kind !== 'resp')
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: expected a NegTokenResp, got a NegTokenInit', {
        origin: 'peer',
      });
    if (resp.negState === 'reject')
      throw gssError('BAD_MECH', 'negotiate: the initiator rejected the negotiation', { origin: 'peer' });
    if (resp.supportedMech !== undefined)
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: supportedMech in an initiator token', { origin: 'peer' });
    if (resp.responseToken === undefined && resp.mechListMIC === undefined)
      throw gssError(
        'DEFECTIVE_TOKEN',
        'negotiate: an initiator token with neither a mechanism token nor a MIC',
        {
          origin: 'peer',
        },
      );
    if (resp.responseToken !== undefined && this.#innerDone)
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: a mechanism token after the mechanism finished', {
        origin: 'peer',
      });
    return this.#advance(resp.responseToken, resp.mechListMIC);
  }

  /** Feeds the mechanism (if a token came), then runs the MIC rules once it is done. */
  async #advance(mechIn: Uint8Array | undefined, micIn: Uint8Array | undefined): Promise<StepResult> {
    const inner = this.selected!.context;
    const mic = this.#mic!;
    let mechOut: Uint8Array | undefined;
    if (mechIn !== undefined) {
      const r = await inner.step(mechIn);
      mechOut = r.outputToken;
      this.#innerDone = r.done;
    }
    if (!this.#innerDone) {
      if (micIn)
        throw gssError('DEFECTIVE_TOKEN', 'negotiate: a mechListMIC before the mechanism finished', {
          origin: 'peer',
        });
      if (!mechOut) throw gssError('FAILURE', 'negotiate: the mechanism is not finished and gave no token');
      return this.#reply(false, 'accept-incomplete', mechOut);
    }
    let micOut: Uint8Array | undefined;
    if ((inner.info().flags & Flags.INTEG) === 0) {
      if (mic.required || micIn)
        throw gssError(
          'FLAGS_NOT_GRANTED',
          'negotiate: a mechListMIC is required but the mechanism gives no integrity',
        );
    } else {
      micOut = await mic.handle(inner, micIn, mechOut !== undefined);
    }
    if (mic.complete) {
      if (!micOut && !mechOut) return { done: true };
      return this.#reply(true, 'accept-completed', mechOut, micOut);
    }
    if (mic.required) return this.#reply(false, 'accept-incomplete', mechOut, micOut);
    return this.#reply(true, 'accept-completed', mechOut);
  }

  #reply(done: boolean, negState: NegStateName, mechToken?: Uint8Array, mic?: Uint8Array): StepResult {
    const fields: NegTokenRespFields = { negState };
    if (this.#firstReply) fields.supportedMech = this.selected!.oid;
    this.#firstReply = false;
    if (mechToken) fields.responseToken = mechToken;
    if (mic) fields.mechListMIC = mic;
    return { outputToken: encodeNegTokenResp(fields), done };
  }
}
