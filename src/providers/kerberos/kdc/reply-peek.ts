/**
 * A cheap look at a KDC reply before the exchanges decode it, for the transport's
 * retry decisions (RESPONSE_TOO_BIG, SVC_UNAVAILABLE). Never throws: anything that is
 * not a well-formed KRB-ERROR yields undefined and is left to the full decoder.
 *
 * KRB-ERROR ::= [APPLICATION 30] SEQUENCE { ..., error-code [6] Int32, ... } (RFC 4120 §5.9.1)
 */
import * as asn1js from 'asn1js';

const KRB_ERROR_TAG = 30;

export function peekKrbErrorCode(reply: Uint8Array): number | undefined {
  // [APPLICATION 30] constructed = 0x7e; anything else is not a KRB-ERROR.
  if (reply.length < 2 || reply[0] !== 0x7e) return undefined;
  try {
    const parsed = asn1js.fromBER(reply);
    if (parsed.offset === -1) return undefined;
    const outer = parsed.result as asn1js.Constructed;
    if (outer.idBlock.tagClass !== 2 || outer.idBlock.tagNumber !== KRB_ERROR_TAG) return undefined;
    const seq = outer.valueBlock.value?.[0] as asn1js.Sequence | undefined;
    for (const field of (seq?.valueBlock.value ?? []) as asn1js.Constructed[]) {
      if (field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 6) {
        const n = field.valueBlock.value?.[0];
        if (n instanceof asn1js.Integer) return n.valueBlock.valueDec;
      }
    }
  } catch {
    // fall through: not ours to judge
  }
  return undefined;
}
