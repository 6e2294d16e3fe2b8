/**
 * The SPNEGO initiator (RFC 4178 §3.2, §5; MS-SPNG §3.1.5), MIT-compatible:
 *
 * 1. createContext makes an inner context for every allowed mechanism that has credentials
 *    (a NO_CREDENTIALS from an inner createContext drops it, as MIT's get_negotiable_mechs).
 * 2. step(null) runs the first one for the optimistic token; if that first call fails
 *    (no ticket for the target, KDC unreachable), it is dropped and the next is tried, as
 *    MIT and Windows Negotiate do. The NegTokenInit lists what is left, in order.
 *    step(NegTokenInit2) - a server's hint sent first - does the same after narrowing the
 *    list to the mechanisms the hint names (MS-SPNG §3.2.5.2), when any are common.
 * 3. The acceptor's first NegTokenResp names supportedMech. The optimistic one continues;
 *    another one (a counter-proposal) restarts with that mechanism and REQUIRES the
 *    mechListMIC. RFC 4178 wants negState request-mic there; Windows 2003 sent
 *    accept-incomplete when falling back to NTLM, tolerated for NTLM only (as MIT does),
 *    but the MIC is still required.
 * 4. The initiator always waits for the acceptor's last token: even when its mechanism
 *    finishes with the token it sends, the acceptor answers accept-completed ("Microsoft
 *    SPNEGO implementations expect an even number of token exchanges", MIT's comment).
 *    So the initiator is done with a token in hand only when it sends the last MIC.
 * 5. mic-exchange.ts decides the MICs. A mechListMIC equal to the responseToken is the
 *    Windows 2000 bug (its acceptor copied the AP-REP there): ignored when no MIC is due.
 */
import { bytesEqual } from '../../core/bytes.ts';
import { type GssockError, gssError, toGssockError } from '../../core/errors.ts';
import { DEFAULT_FLAGS, Flags } from '../../core/flags.ts';
import type { ContextOptions, Mechanism, StepResult } from '../../core/mechanism.ts';
import { type Candidate, innerFlags, NegotiateContextBase, safeDispose } from './context.ts';
import { encodeMechTypeList } from './mech-list.ts';
import {
  decodeNegotiationToken,
  encodeNegTokenInit,
  encodeNegTokenResp,
  type NegStateName,
} from './messages.ts';
import { MicExchange } from './mic-exchange.ts';
import { KRB5_OID, MS_KRB5_OID, NTLM_OID, sameMech } from './oids.ts';

export interface InitiatorSettings {
  mechanisms: readonly Mechanism[];
  /** List the Microsoft Kerberos OID before the standard one, as Windows does. */
  msKerberosOid: boolean;
}

/** Why one mechanism could not start (reported in the NO_CREDENTIALS error's details). */
export interface Attempt {
  mechanism: string;
  code: string;
  message: string;
}

export class NegotiateInitiator extends NegotiateContextBase {
  readonly role = 'initiator' as const;
  readonly #s: InitiatorSettings;
  readonly #attempts: Attempt[];
  #candidates: Candidate[] = [];
  #mic: MicExchange | undefined;
  #started = false;
  #negotiated = false;
  #innerDone = false;

  private constructor(s: InitiatorSettings, attempts: Attempt[]) {
    super();
    this.#s = s;
    this.#attempts = attempts;
  }

  /** Makes the inner contexts; NO_CREDENTIALS (with every reason) when none can start. */
  static async create(
    s: InitiatorSettings,
    options: ContextOptions,
    refused: Attempt[],
  ): Promise<NegotiateInitiator> {
    const ctx = new NegotiateInitiator(s, [...refused]);
    const innerOptions: ContextOptions = { ...options, flags: innerFlags(options.flags ?? DEFAULT_FLAGS) };
    for (const mechanism of s.mechanisms) {
      try {
        const context = await mechanism.createContext('initiator', innerOptions);
        ctx.#candidates.push({ mechanism, oid: mechanism.oid, context });
      } catch (e) {
        ctx.#attempts.push(attempt(mechanism, toGssockError(e)));
      }
    }
    if (ctx.#candidates.length === 0) throw ctx.#noMechanism();
    return ctx;
  }

  #noMechanism(): GssockError {
    const list = this.#attempts.map((a) => `${a.mechanism}: ${a.message}`).join('; ');
    const codes = new Set(this.#attempts.map((a) => a.code));
    const code = codes.size === 1 ? ([...codes][0] as GssockError['code']) : 'NO_CREDENTIALS';
    return gssError(
      code === 'INVALID_ARGUMENT' ? 'NO_CREDENTIALS' : code,
      `negotiate: no mechanism can start (${list || 'none configured'})`,
      {
        details: { attempts: this.#attempts },
      },
    );
  }

  protected extraInfo(): Record<string, unknown> {
    return { mechListMic: this.#mic?.complete ?? false, offeredMechanisms: this.#offered() };
  }

  #offered(): string[] {
    const oids: string[] = [];
    for (const c of this.#candidates) {
      if (this.#s.msKerberosOid && c.oid === KRB5_OID) oids.push(MS_KRB5_OID);
      oids.push(c.oid);
    }
    return oids;
  }

  protected async runStep(input: Uint8Array | null): Promise<StepResult> {
    if (!this.#started) return this.#first(input);
    if (input === null || input.length === 0)
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: expected a NegTokenResp from the acceptor', {
        origin: 'peer',
      });
    return this.#next(input);
  }

  async #first(hint: Uint8Array | null): Promise<StepResult> {
    this.#started = true;
    if (hint !== null && hint.length > 0) this.#applyHint(hint);
    let mechToken: Uint8Array | undefined;
    for (;;) {
      const first = this.#candidates[0];
      if (!first) throw this.#noMechanism();
      try {
        const r = await first.context.step(null);
        mechToken = r.outputToken;
        this.#innerDone = r.done;
        break;
      } catch (e) {
        // MIT (init_ctx_call_init) and Windows fall back to the next mechanism on the first call.
        this.#attempts.push(attempt(first.mechanism, toGssockError(e)));
        safeDispose(first.context);
        this.#candidates.shift();
      }
    }
    this.selected = this.#candidates[0];
    this.spare = this.#candidates.slice(1);
    const mechTypes = this.#offered();
    this.#mic = new MicExchange(encodeMechTypeList(mechTypes));
    const out: { mechTypes: string[]; mechToken?: Uint8Array } = { mechTypes };
    if (mechToken) out.mechToken = mechToken;
    return { outputToken: encodeNegTokenInit(out), done: false };
  }

  /** Narrows the candidates to the ones the server's NegTokenInit2 lists (if any in common). */
  #applyHint(token: Uint8Array): void {
    const hint = decodeNegotiationToken(token);
    if (hint.kind !== 'init')
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: the initiator takes only a NegTokenInit2 hint first', {
        origin: 'peer',
      });
    const common = this.#candidates.filter((c) => hint.mechTypes.some((oid) => sameMech(oid, c.oid)));
    if (common.length === 0) return;
    for (const c of this.#candidates) if (!common.includes(c)) safeDispose(c.context);
    this.#candidates = common;
  }

  async #next(token: Uint8Array): Promise<StepResult> {
    const resp = decodeNegotiationToken(token);
    if (resp.kind !== 'resp')
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: expected a NegTokenResp, got a NegTokenInit', {
        origin: 'peer',
      });
    const mic = this.#mic!;
    if (resp.negState === 'reject') {
      // A reject may carry the mechanism's error token (a KRB-ERROR): let it explain itself.
      if (resp.responseToken && !this.#innerDone) await this.selected!.context.step(resp.responseToken);
      throw gssError('BAD_MECH', 'negotiate: the acceptor rejected the negotiation', { origin: 'peer' });
    }
    let responseToken = resp.responseToken;
    let negState: NegStateName = 'accept-incomplete';
    let restart = false;
    if (!this.#negotiated) {
      this.#negotiated = true;
      // Some Java acceptors leave supportedMech out of their first reply (MIT tolerates it).
      const chosen = resp.supportedMech ?? this.selected!.oid;
      if (!sameMech(chosen, this.selected!.oid)) {
        this.#reselect(chosen, resp.negState, responseToken);
        negState = resp.negState === 'accept-incomplete' ? 'accept-incomplete' : 'request-mic';
        restart = true;
      } else if (responseToken?.length === 0 && this.#innerDone) {
        responseToken = undefined; // Old IIS: an empty token instead of none.
      }
    }
    if (!restart && responseToken && this.#innerDone)
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: a mechanism token after the mechanism finished', {
        origin: 'peer',
      });
    if (!restart && !responseToken && !this.#innerDone)
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: the acceptor sent no mechanism token', {
        origin: 'peer',
      });

    const inner = this.selected!.context;
    let mechOut: Uint8Array | undefined;
    if (restart || responseToken) {
      const r = await inner.step(restart ? null : responseToken!);
      mechOut = r.outputToken;
      this.#innerDone = r.done;
      if (r.done && inner.requiresMechListMic?.()) mic.required = true;
    }
    let micIn = resp.mechListMIC;
    if (micIn && !this.#innerDone)
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: a mechListMIC before the mechanism finished', {
        origin: 'peer',
      });
    let micOut: Uint8Array | undefined;
    if (this.#innerDone) {
      // Windows 2000 copied the AP-REP into mechListMIC; ignore that copy when no MIC is due.
      if (micIn && resp.responseToken && bytesEqual(micIn, resp.responseToken) && !mic.required)
        micIn = undefined;
      if ((inner.info().flags & Flags.INTEG) === 0) {
        if (mic.required || micIn)
          throw gssError(
            'FLAGS_NOT_GRANTED',
            'negotiate: a mechListMIC is required but the mechanism gives no integrity',
          );
      } else {
        micOut = await mic.handle(inner, micIn, mechOut !== undefined);
      }
    }
    if (mic.complete) return this.#reply(true, 'accept-completed', mechOut, micOut);
    // Rule 4: after our last mechanism token, wait for the acceptor's verdict.
    if (!this.#innerDone || mic.required || mechOut) return this.#reply(false, negState, mechOut, micOut);
    return { done: true };
  }

  /** The acceptor counter-proposed `chosen`: switch to it (RFC 4178 §5: MIC now required). */
  #reselect(chosen: string, negState: NegStateName | undefined, responseToken: Uint8Array | undefined): void {
    const next = this.#candidates.find((c) => sameMech(c.oid, chosen));
    if (!next)
      throw gssError('DEFECTIVE_TOKEN', `negotiate: the acceptor chose ${chosen}, which was not offered`, {
        origin: 'peer',
      });
    if (responseToken)
      throw gssError('DEFECTIVE_TOKEN', 'negotiate: a mechanism token with a counter-proposal', {
        origin: 'peer',
      });
    const legacyNtlm = negState === 'accept-incomplete' && next.oid === NTLM_OID;
    if (negState !== 'request-mic' && !legacyNtlm)
      throw gssError(
        'DEFECTIVE_TOKEN',
        `negotiate: a counter-proposal needs negState request-mic, got ${negState ?? 'none'}`,
        { origin: 'peer' },
      );
    if (this.selected) safeDispose(this.selected.context);
    this.selected = next;
    this.spare = this.#candidates.filter((c) => c !== next);
    this.#innerDone = false;
    this.#mic!.required = true;
  }

  #reply(done: boolean, negState: NegStateName, mechToken?: Uint8Array, mic?: Uint8Array): StepResult {
    if (!mechToken && !mic) {
      if (done) return { done };
      throw gssError('FAILURE', 'negotiate: the mechanism is not finished and gave no token to send');
    }
    const fields: Parameters<typeof encodeNegTokenResp>[0] = { negState };
    if (mechToken) fields.responseToken = mechToken;
    if (mic) fields.mechListMIC = mic;
    return { outputToken: encodeNegTokenResp(fields), done };
  }
}

function attempt(mechanism: Mechanism, e: GssockError): Attempt {
  return { mechanism: mechanism.name, code: e.code, message: e.message };
}
