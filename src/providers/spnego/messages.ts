/**
 * SPNEGO tokens (RFC 4178 §4.2, MS-SPNG §2.2), encoded and decoded with the Kerberos DER
 * layer (src/providers/kerberos/messages/asn1.ts, der.ts); OIDs go through asn1js (mech-list.ts).
 *
 *   NegotiationToken ::= CHOICE {
 *     negTokenInit [0] NegTokenInit,   -- first initiator token, framed (RFC 2743 §3.1)
 *     negTokenResp [1] NegTokenResp }  -- every later token, unframed
 *   NegTokenInit ::= SEQUENCE { mechTypes [0] MechTypeList, reqFlags [1] ContextFlags OPTIONAL,
 *     mechToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL }
 *   NegTokenInit2 ::= SEQUENCE { mechTypes [0], reqFlags [1], mechToken [2],
 *     negHints [3] NegHints OPTIONAL, mechListMIC [4] OPTIONAL }             -- MS-SPNG §2.2.1
 *   NegHints ::= SEQUENCE { hintName [0] GeneralString OPTIONAL, hintAddress [1] OCTET STRING OPTIONAL }
 *   NegTokenResp ::= SEQUENCE { negState [0] ENUMERATED OPTIONAL, supportedMech [1] MechType OPTIONAL,
 *     responseToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL }
 *
 * NegTokenInit and NegTokenInit2 share the [0] choice; field [3] tells them apart (an
 * OCTET STRING is a mechListMIC, a SEQUENCE is negHints). A NegTokenResp framed with the
 * SPNEGO header (old Sun SPNEGO, which MIT still tolerates) is accepted too.
 *
 * Decoding is strict and bounded: size checked first, explicit tags ascending, every
 * failure a GssockError MALFORMED with origin 'peer' and a path.
 */
import { type ContextFlags, Flags } from '../../core/flags.ts';
import {
  type DerNode,
  decodeGuard,
  malformed,
  parseDer,
  readFields,
  TagClass,
  Universal,
} from '../kerberos/messages/asn1.ts';
import {
  type Asn,
  bad,
  enumerated,
  explicit,
  fields,
  kerberosString,
  octets,
  rawDer,
  toDer,
} from '../kerberos/messages/der.ts';
import { decodeGssInitialToken, encodeGssInitialToken } from '../kerberos/messages/gss-token.ts';
import { readKerberosString, readOctets } from '../kerberos/messages/primitives.ts';
import { encodeMechTypeList, oidBlock, readMechTypeList, readOid } from './mech-list.ts';
import { SPNEGO_OID } from './oids.ts';

/** Largest SPNEGO token decoded (a Kerberos AP-REQ with a big PAC and delegation fits). */
export const MAX_SPNEGO_TOKEN = 256 * 1024;

/** negState values (RFC 4178 §4.2.2). */
export const NegState = {
  'accept-completed': 0,
  'accept-incomplete': 1,
  reject: 2,
  'request-mic': 3,
} as const;
export type NegStateName = keyof typeof NegState;
const NEG_STATE_NAMES = Object.keys(NegState) as NegStateName[];

/** The hint name Windows and MIT put in NegTokenInit2 (MS-SPNG §3.2.5.2). */
export const NEG_HINT_NAME = 'not_defined_in_RFC4178@please_ignore';

export interface NegHints {
  hintName?: string;
  hintAddress?: Uint8Array;
}

export interface NegTokenInit {
  kind: 'init';
  /** Mechanism OIDs in the initiator's preference order. */
  mechTypes: string[];
  /** The MechTypeList exactly as encoded on the wire (what the mechListMIC covers). */
  mechTypesDer: Uint8Array;
  /** reqFlags as GSS flag bits, when present (informational: not integrity-protected). */
  reqFlags?: ContextFlags;
  mechToken?: Uint8Array;
  mechListMIC?: Uint8Array;
  /** Present only in an MS-SPNG NegTokenInit2 (a server's first-token hint). */
  negHints?: NegHints;
}

export interface NegTokenResp {
  kind: 'resp';
  negState?: NegStateName;
  supportedMech?: string;
  responseToken?: Uint8Array;
  mechListMIC?: Uint8Array;
}

export type NegotiationToken = NegTokenInit | NegTokenResp;

// ContextFlags ::= BIT STRING { delegFlag(0), mutualFlag(1), replayFlag(2), sequenceFlag(3),
// anonFlag(4), confFlag(5), integFlag(6) } -- bit n is the n-th most significant bit.
const REQ_FLAG_BITS = [
  Flags.DELEGATE,
  Flags.MUTUAL,
  Flags.REPLAY,
  Flags.SEQUENCE,
  Flags.ANON,
  Flags.CONF,
  Flags.INTEG,
];

function readReqFlags(node: DerNode, path: string): ContextFlags {
  if (node.tagClass !== TagClass.UNIVERSAL || node.tag !== Universal.BIT_STRING || node.constructed)
    throw malformed(path, 'expected a BIT STRING');
  const c = node.content;
  if (c.length === 0 || c[0]! > 7 || (c.length === 1 && c[0] !== 0)) throw malformed(path, 'bad BIT STRING');
  let flags = 0;
  REQ_FLAG_BITS.forEach((flag, bit) => {
    const byte = c[1 + (bit >> 3)];
    if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) flags |= flag;
  });
  return flags;
}

function readNegState(node: DerNode, path: string): NegStateName {
  if (node.tagClass !== TagClass.UNIVERSAL || node.tag !== 10 || node.constructed)
    throw malformed(path, 'expected an ENUMERATED');
  if (node.content.length !== 1) throw malformed(path, 'negState must be one octet');
  const name = NEG_STATE_NAMES[node.content[0]!];
  if (name === undefined) throw malformed(path, `unknown negState ${node.content[0]}`);
  return name;
}

function readNegHints(node: DerNode, path: string): NegHints {
  const f = readFields(node, path);
  const out: NegHints = {};
  const name = f[0];
  if (name) out.hintName = readKerberosString(name, `${path}.hintName`);
  const address = f[1];
  if (address) out.hintAddress = readOctets(address, `${path}.hintAddress`);
  return out;
}

function decodeInit(node: DerNode, path: string): NegTokenInit {
  const f = readFields(node, path);
  const list = f[0];
  if (!list) throw malformed(`${path}.mechTypes`, 'required field [0] is missing');
  const { oids, der } = readMechTypeList(list, `${path}.mechTypes`);
  const out: NegTokenInit = { kind: 'init', mechTypes: oids, mechTypesDer: der };
  const flags = f[1];
  if (flags) out.reqFlags = readReqFlags(flags, `${path}.reqFlags`);
  const token = f[2];
  if (token) out.mechToken = readOctets(token, `${path}.mechToken`);
  const third = f[3];
  if (third) {
    // NegTokenInit: [3] mechListMIC OCTET STRING. NegTokenInit2: [3] negHints SEQUENCE.
    if (third.tagClass === TagClass.UNIVERSAL && third.tag === Universal.SEQUENCE)
      out.negHints = readNegHints(third, `${path}.negHints`);
    else out.mechListMIC = readOctets(third, `${path}.mechListMIC`);
  }
  const fourth = f[4];
  if (fourth) {
    if (out.negHints === undefined) throw malformed(`${path}[4]`, 'field [4] without negHints');
    out.mechListMIC = readOctets(fourth, `${path}.mechListMIC`);
  }
  return out;
}

function decodeResp(node: DerNode, path: string): NegTokenResp {
  const f = readFields(node, path);
  const out: NegTokenResp = { kind: 'resp' };
  const state = f[0];
  if (state) out.negState = readNegState(state, `${path}.negState`);
  const mech = f[1];
  if (mech) out.supportedMech = readOid(mech, `${path}.supportedMech`);
  const token = f[2];
  if (token) out.responseToken = readOctets(token, `${path}.responseToken`);
  const mic = f[3];
  if (mic) out.mechListMIC = readOctets(mic, `${path}.mechListMIC`);
  return out;
}

function decodeChoice(body: Uint8Array, path: string): NegotiationToken {
  const root = parseDer(body, path, { maxSize: MAX_SPNEGO_TOKEN });
  if (root.tagClass !== TagClass.CONTEXT || !root.constructed || (root.tag !== 0 && root.tag !== 1))
    throw malformed(path, 'not a NegotiationToken ([0] NegTokenInit or [1] NegTokenResp)');
  if (root.children.length !== 1) throw malformed(path, 'the CHOICE tag must wrap one element');
  const inner = root.children[0]!;
  return root.tag === 0
    ? decodeInit(inner, `${path}.negTokenInit`)
    : decodeResp(inner, `${path}.negTokenResp`);
}

/**
 * Decodes any SPNEGO token: a framed NegTokenInit(2), a NegTokenResp, or a NegTokenResp
 * inside the SPNEGO framing. A framed token for another mechanism is MALFORMED here; the
 * acceptor checks for raw mechanism tokens (NTLMSSP, Kerberos) before calling this.
 */
export function decodeNegotiationToken(token: Uint8Array): NegotiationToken {
  const path = 'NegotiationToken';
  return decodeGuard(path, () => {
    if (!(token instanceof Uint8Array)) throw malformed(path, 'input is not a Uint8Array');
    if (token.length > MAX_SPNEGO_TOKEN)
      throw malformed(path, `${token.length} bytes exceed the limit of ${MAX_SPNEGO_TOKEN}`);
    if (token[0] === 0x60) {
      const framed = decodeGssInitialToken(token, { maxSize: MAX_SPNEGO_TOKEN });
      if (framed.mechOid !== SPNEGO_OID)
        throw malformed(`${path}.thisMech`, `framed for ${framed.mechOid}, not SPNEGO`);
      return decodeChoice(framed.inner, path);
    }
    const t = decodeChoice(token, path);
    // RFC 4178 §4.2: only a NegTokenResp travels without the RFC 2743 header.
    if (t.kind === 'init') throw malformed(path, 'a NegTokenInit must carry the RFC 2743 framing');
    return t;
  });
}

export interface NegTokenInitFields {
  mechTypes: readonly string[];
  mechToken?: Uint8Array;
  mechListMIC?: Uint8Array;
}

/** A framed NegTokenInit; reqFlags is left out (RFC 4178 §4.2.1: SHOULD be omitted). */
export function encodeNegTokenInit(f: NegTokenInitFields): Uint8Array {
  const list = rawDer(encodeMechTypeList(f.mechTypes));
  const body = fields([
    [0, list],
    [2, f.mechToken === undefined ? undefined : octets(f.mechToken)],
    [3, f.mechListMIC === undefined ? undefined : octets(f.mechListMIC)],
  ]);
  return encodeGssInitialToken(SPNEGO_OID, toDer(explicit(0, body)));
}

/** A framed NegTokenInit2 hint, as a server sends before any client token (MS-SPNG §3.2.5.2). */
export function encodeNegTokenInit2(f: { mechTypes: readonly string[]; hintName?: string }): Uint8Array {
  const list = rawDer(encodeMechTypeList(f.mechTypes));
  const hintName = f.hintName ?? NEG_HINT_NAME;
  const hints = fields([[0, kerberosString(hintName)]]);
  return encodeGssInitialToken(
    SPNEGO_OID,
    toDer(
      explicit(
        0,
        fields([
          [0, list],
          [3, hints],
        ]),
      ),
    ),
  );
}

export interface NegTokenRespFields {
  negState?: NegStateName;
  supportedMech?: string;
  responseToken?: Uint8Array;
  mechListMIC?: Uint8Array;
}

/** An unframed NegTokenResp ([1] ...). */
export function encodeNegTokenResp(f: NegTokenRespFields): Uint8Array {
  let state: Asn | undefined;
  if (f.negState !== undefined) {
    const v = NegState[f.negState];
    if (v === undefined) bad(`negState '${f.negState}'`);
    state = enumerated(v);
  }
  const body = fields([
    [0, state],
    [1, f.supportedMech === undefined ? undefined : oidBlock(f.supportedMech)],
    [2, f.responseToken === undefined ? undefined : octets(f.responseToken)],
    [3, f.mechListMIC === undefined ? undefined : octets(f.mechListMIC)],
  ]);
  return toDer(explicit(1, body));
}
