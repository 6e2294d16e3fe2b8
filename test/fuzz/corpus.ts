/**
 * The seed corpus: fuzz/corpus/mit-krb5.json (captured from MIT krb5 by
 * fuzz/capture-mit.ts: KDC exchanges, GSS tokens per enctype, keytab and ccache files) and
 * the RFC 4178 tokens built by hand in test/spnego/vectors.
 */
import mit from '../../fuzz/corpus/mit-krb5.json' with { type: 'json' };
import spnego from '../spnego/vectors/rfc4178-tokens.json' with { type: 'json' };
import { fromHex } from './harness.ts';

export interface MitSession {
  service: string;
  enctype: number;
  capturedAt: number;
  keytab: Uint8Array;
  apReq: Uint8Array;
  apRep: Uint8Array;
  wrap: Uint8Array[];
  mic: Uint8Array[];
}

export const MIT_SESSIONS: MitSession[] = mit.sessions.map((s) => ({
  service: s.service,
  enctype: s.enctype,
  capturedAt: s.capturedAt,
  keytab: fromHex(s.keytab),
  apReq: fromHex(s.apReq),
  apRep: fromHex(s.apRep),
  wrap: s.wrap.map(fromHex),
  mic: s.mic.map(fromHex),
}));

/** MIT kinit / kvno traffic: AS-REQ, KRB-ERROR, AS-REP, TGS-REQ, TGS-REP (DER). */
export const MIT_KDC_REQUESTS = mit.kdc.map((x) => fromHex(x.request));
export const MIT_KDC_REPLIES = mit.kdc.map((x) => fromHex(x.reply));
export const MIT_CCACHE = fromHex(mit.files.ccache);
export const MIT_KEYTAB = fromHex(mit.files.keytab);

/** The inner Kerberos message of a GSS initial token: skip 0x60 len, the OID, the 2-byte TOK_ID. */
export function innerKrb5(token: Uint8Array): Uint8Array {
  let at = 1;
  const first = token[at]!;
  at += first < 0x80 ? 1 : 1 + (first & 0x7f);
  at += 2 + token[at + 1]!; // OID tag, length, value
  return token.subarray(at + 2);
}

export const SPNEGO_TOKENS = [spnego.negTokenInit.hex, spnego.negTokenResp.hex, spnego.negTokenInit2.hex].map(
  fromHex,
);
