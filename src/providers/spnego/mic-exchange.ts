/**
 * The mechListMIC exchange (RFC 4178 §5, MS-SPNG §3.1.5.1-3), the one piece of SPNEGO
 * that stops a man in the middle from editing the offered list to force a weaker choice.
 *
 * Both roles run the same rules once the negotiated mechanism is established (they are
 * MIT's handle_mic/process_mic rules, which Windows and Heimdal interoperate with):
 * 1. A MIC from the peer is verified over the DER MechTypeList the initiator sent;
 *    failure is BAD_SIGNATURE (the list was changed in transit). Receiving a MIC makes one
 *    required from us too. A second MIC is DEFECTIVE_TOKEN.
 * 2. When a MIC is required and the peer sent its last mechanism token (we have none to
 *    send), that token had to carry the MIC: its absence is DEFECTIVE_TOKEN.
 * 3. When a MIC is required and we have not sent ours, we make it (getMic over the list).
 * 4. NTLM keeps RC4 state across messages; MS-SPNG §3.3.5.1 resets it after each list MIC
 *    so the first application message starts from the same state on both sides. An inner
 *    context that needs this implements `resetCryptoState` (SpnegoAwareContext).
 * The exchange is complete once a MIC went each way, or when none is required.
 */
import { gssError, isGssockError } from '../../core/errors.ts';
import type { SecurityContext } from '../../core/mechanism.ts';

/**
 * Optional extras an inner mechanism's context may implement for SPNEGO (duck-typed, so
 * providers need not import this module).
 */
export interface SpnegoAwareContext {
  /**
   * True when the mechanism insists on a mechListMIC even as first choice: Windows requires
   * one once an NTLM AUTHENTICATE message carries its own MIC (MS-SPNG §3.1.5.1; MIT asks
   * gss-ntlmssp the same through GSS_C_INQ_REQUIRE_MECHLIST_MIC).
   */
  requiresMechListMic?(): boolean;
  /** MS-SPNG §3.3.5.1: reset the sending or receiving RC4 state after a list MIC. */
  resetCryptoState?(direction: 'send' | 'receive'): void;
}

export class MicExchange {
  required = false;
  sent = false;
  received = false;
  readonly #listDer: Uint8Array;

  /** `listDer`: the MechTypeList exactly as the initiator encoded it. */
  constructor(listDer: Uint8Array) {
    this.#listDer = listDer;
  }

  get complete(): boolean {
    return this.sent && this.received;
  }

  /**
   * Rules 1-4 for one incoming token. `sendingMechToken`: this step also sends a mechanism
   * token (so the peer has not finished and may still send its MIC later).
   */
  async handle(
    inner: SecurityContext & SpnegoAwareContext,
    micIn: Uint8Array | undefined,
    sendingMechToken: boolean,
  ): Promise<Uint8Array | undefined> {
    if (micIn !== undefined) {
      if (this.received)
        throw gssError('DEFECTIVE_TOKEN', 'negotiate: the peer sent a second mechListMIC', {
          origin: 'peer',
        });
      try {
        await inner.verifyMic(this.#listDer, micIn);
      } catch (e) {
        const code =
          isGssockError(e, 'DEFECTIVE_TOKEN') || isGssockError(e, 'MALFORMED') ? e.code : 'BAD_SIGNATURE';
        throw gssError(
          code,
          'negotiate: the mechListMIC did not verify: the offered mechanism list was changed in transit',
          { origin: 'peer', cause: e },
        );
      }
      inner.resetCryptoState?.('receive');
      this.received = true;
      this.required = true;
    } else if (this.required && !sendingMechToken) {
      throw gssError(
        'DEFECTIVE_TOKEN',
        'negotiate: the peer completed the mechanism without the required mechListMIC',
        { origin: 'peer' },
      );
    }
    if (!this.required || this.sent) return undefined;
    const mic = await inner.getMic(this.#listDer);
    inner.resetCryptoState?.('send');
    this.sent = true;
    return mic;
  }
}
