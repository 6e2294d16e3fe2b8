/**
 * RFC 4757 §7 per-message tokens, the RFC 1964 layout used with arcfour-hmac (23), as MIT
 * writes them (k5seal.c, k5unseal.c, util_seqnum.c). Framed like context tokens
 * (0x60 | length | krb5 OID | ...), unlike RFC 4121 tokens (references.md §5 item 9):
 *
 *   MIC  (24): 01 01 | SGN_ALG 11 00 | FF FF FF FF | SND_SEQ (8) | SGN_CKSUM (8)
 *   Wrap (32+): 02 01 | SGN_ALG 11 00 | SEAL_ALG 10 00 (RC4) or FF FF (none) | FF FF |
 *               SND_SEQ (8) | SGN_CKSUM (8) | confounder (8) | data | pad (01)
 *
 * Keys, with K the context key (initiator subkey or session key) and HMAC = HMAC-MD5:
 * - SGN_CKSUM = first 8 bytes of checksum -138 (HMAC(HMAC(K, "signaturekey\0"),
 *   MD5(T | header[0..8] | [confounder | data | pad]))), T = usage 15 for MIC and 23 for
 *   Wrap (which RFC 4757's usage table turns into 13).
 * - SND_SEQ = RC4(Kseq, seq (4, BIG-endian) | direction (4: 00 from the initiator, FF
 *   from the acceptor)), Kseq = HMAC(HMAC(K, 0 as 4 bytes), SGN_CKSUM).
 * - sealed data = RC4(Kcrypt, confounder | data | pad), Kcrypt = HMAC(HMAC(K ^ F0, 0 as 4
 *   bytes), seq (4, BIG-endian)), all in one keystream.
 */
import { concatBytes, constantTimeEqual } from '../../../core/bytes.ts';
import { gssError } from '../../../core/errors.ts';
import { randomBytes } from '../../../crypto/random-pool.ts';
import { Rc4 } from '../../../crypto/rc4.ts';
import { hmacMd5, hmacMd5Checksum } from '../crypto/rc4-hmac.ts';
import { decodeGssInitialToken, encodeGssInitialToken } from '../messages/gss-token.ts';
import type { EncryptionKey } from '../types.ts';

const TOK_MIC = 0x0101;
const TOK_WRAP = 0x0201;
const SGN_ALG_HMAC_MD5 = 0x1100;
const SEAL_ALG_RC4 = 0x1000;
const SEAL_ALG_NONE = 0xffff;
const USAGE_MIC = 15;
const USAGE_WRAP = 23;
const CONFOUNDER = 8;
const ZERO4 = new Uint8Array(4);

export interface Rc4Sender {
  key: EncryptionKey;
  acceptor: boolean;
  /** The context's mechanism OID (MIT frames and checks per-message tokens with it). */
  mechOid: string;
}

function rc4With(key: Uint8Array, data: Uint8Array): Uint8Array {
  const r = new Rc4(key);
  const out = r.process(data);
  r.wipe();
  return out;
}

const be32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
};

function sealSeq(key: Uint8Array, cksum8: Uint8Array, seq: number, acceptor: boolean): Uint8Array {
  const plain = new Uint8Array(8);
  plain.set(be32(seq));
  plain.fill(acceptor ? 0xff : 0x00, 4);
  return rc4With(hmacMd5(hmacMd5(key, ZERO4), cksum8), plain);
}

function cryptKey(key: Uint8Array, seq: number): Uint8Array {
  const local = key.map((b) => b ^ 0xf0);
  const k = hmacMd5(hmacMd5(local, ZERO4), be32(seq));
  local.fill(0);
  return k;
}

function header(tokId: number, sealAlg: number): Uint8Array {
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  v.setUint16(0, tokId);
  v.setUint16(2, SGN_ALG_HMAC_MD5);
  if (tokId === TOK_MIC) v.setUint32(4, 0xffffffff);
  else {
    v.setUint16(4, sealAlg);
    v.setUint16(6, 0xffff);
  }
  return h;
}

export function getMicRc4(sender: Rc4Sender, seq: number, message: Uint8Array): Uint8Array {
  const h = header(TOK_MIC, 0);
  const cksum = hmacMd5Checksum(sender.key.value, USAGE_MIC, concatBytes(h, message)).subarray(0, 8);
  const inner = concatBytes(h, sealSeq(sender.key.value, cksum, seq, sender.acceptor), cksum);
  return encodeGssInitialToken(sender.mechOid, inner);
}

export function wrapRc4(
  sender: Rc4Sender,
  seq: number,
  message: Uint8Array,
  confidential: boolean,
): Uint8Array {
  const h = header(TOK_WRAP, confidential ? SEAL_ALG_RC4 : SEAL_ALG_NONE);
  // RC4 is a stream cipher: MIT pads with a single byte 01 (RFC 1964 §1.2.2.3 padding).
  const body = new Uint8Array(CONFOUNDER + message.length + 1);
  body.set(randomBytes(CONFOUNDER));
  body.set(message, CONFOUNDER);
  body[body.length - 1] = 1;
  const cksum = hmacMd5Checksum(sender.key.value, USAGE_WRAP, concatBytes(h, body)).subarray(0, 8);
  const sndSeq = sealSeq(sender.key.value, cksum, seq, sender.acceptor);
  const data = confidential ? rc4With(cryptKey(sender.key.value, seq), body) : body;
  return encodeGssInitialToken(sender.mechOid, concatBytes(h, sndSeq, cksum, data));
}

export interface Rc4Receiver {
  key: EncryptionKey;
  acceptor: boolean;
  mechOid: string;
}

function defective(message: string) {
  return gssError('DEFECTIVE_TOKEN', message, { origin: 'peer' });
}

function open(
  token: Uint8Array,
  tokId: number,
  what: string,
  receiver: Rc4Receiver,
): { inner: Uint8Array; view: DataView } {
  const { mechOid, inner } = decodeGssInitialToken(token);
  // The context's own OID only, as MIT's g_verify_token_header(ctx->mech_used) checks.
  if (mechOid !== receiver.mechOid) throw defective(`${what} token is for mechanism ${mechOid}`);
  const min = tokId === TOK_MIC ? 24 : 32;
  if (inner.length < min || (tokId === TOK_MIC && inner.length !== 24))
    throw defective(`${what} token has a wrong length (${inner.length})`);
  const view = new DataView(inner.buffer, inner.byteOffset, inner.byteLength);
  if (view.getUint16(0) !== tokId) throw defective(`not an RFC 4757 ${what} token`);
  if (view.getUint16(2) !== SGN_ALG_HMAC_MD5) throw defective(`${what} token SGN_ALG is not HMAC-MD5`);
  return { inner, view };
}

/** Reads SND_SEQ; checks the direction bytes say the peer sent it (reflection defence). */
function openSeq(key: Uint8Array, inner: Uint8Array, receiver: Rc4Receiver, what: string): number {
  const plain = rc4With(hmacMd5(hmacMd5(key, ZERO4), inner.subarray(16, 24)), inner.subarray(8, 16));
  const want = receiver.acceptor ? 0x00 : 0xff;
  for (let i = 4; i < 8; i++) {
    if (plain[i] !== want)
      throw gssError('BAD_SIGNATURE', `${what} token has the wrong direction (reflected?)`, {
        origin: 'peer',
      });
  }
  return new DataView(plain.buffer).getUint32(0);
}

export function verifyMicRc4(receiver: Rc4Receiver, message: Uint8Array, token: Uint8Array): number {
  const { inner, view } = open(token, TOK_MIC, 'MIC', receiver);
  if (view.getUint32(4) !== 0xffffffff) throw defective('MIC token filler is not FF');
  const cksum = hmacMd5Checksum(receiver.key.value, USAGE_MIC, concatBytes(inner.subarray(0, 8), message));
  if (!constantTimeEqual(cksum.subarray(0, 8), inner.subarray(16, 24)))
    throw gssError('BAD_SIGNATURE', 'MIC does not verify', { origin: 'peer' });
  return openSeq(receiver.key.value, inner, receiver, 'MIC');
}

export interface UnwrappedRc4 {
  message: Uint8Array;
  confidential: boolean;
  seq: number;
}

export function unwrapRc4(receiver: Rc4Receiver, token: Uint8Array): UnwrappedRc4 {
  const { inner, view } = open(token, TOK_WRAP, 'Wrap', receiver);
  const sealAlg = view.getUint16(4);
  if (sealAlg !== SEAL_ALG_RC4 && sealAlg !== SEAL_ALG_NONE)
    throw defective('Wrap token SEAL_ALG is not RC4');
  if (view.getUint16(6) !== 0xffff) throw defective('Wrap token filler is not FF');
  const key = receiver.key.value;
  const seq = openSeq(key, inner, receiver, 'Wrap');
  const sealed = sealAlg === SEAL_ALG_RC4;
  const body = sealed ? rc4With(cryptKey(key, seq), inner.subarray(24)) : inner.subarray(24);
  const cksum = hmacMd5Checksum(key, USAGE_WRAP, concatBytes(inner.subarray(0, 8), body));
  if (!constantTimeEqual(cksum.subarray(0, 8), inner.subarray(16, 24)))
    throw gssError('BAD_SIGNATURE', 'Wrap token checksum does not verify', { origin: 'peer' });
  const pad = body[body.length - 1]!;
  if (pad < 1 || pad > 8 || CONFOUNDER + pad > body.length) throw defective('Wrap token padding is wrong');
  return { message: body.slice(CONFOUNDER, body.length - pad), confidential: sealed, seq };
}
