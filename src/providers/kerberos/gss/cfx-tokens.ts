/**
 * RFC 4121 §4.2.6 per-message tokens ("CFX"), used with every RFC 3961 enctype that is not
 * one of RFC 1964's (so AES-SHA1 17/18 and AES-SHA2 19/20).
 *
 *   MIC  token: 04 04 | flags | FF FF FF FF FF | SND_SEQ(8, BE) | checksum(message || header)
 *   Wrap token: 05 04 | flags | FF | EC(2, BE) | RRC(2, BE) | SND_SEQ(8, BE) | data
 *     sealed:   data = rotate_right(E(key, usage, plaintext || filler(EC) || header'), RRC)
 *               where header' is the header with RRC = 0 (§4.2.4)
 *     unsealed: data = rotate_right(plaintext || checksum(plaintext || header''), RRC),
 *               EC = checksum length, header'' with EC = RRC = 0 for the checksum
 *   flags: 0x01 SentByAcceptor, 0x02 Sealed, 0x04 AcceptorSubkey (§4.2.2)
 *   key usage: Wrap uses KG-USAGE-{ACCEPTOR,INITIATOR}-SEAL (22/24) whether sealed or not,
 *              MIC uses KG-USAGE-{ACCEPTOR,INITIATOR}-SIGN (23/25) (§2, MIT k5sealv3.c).
 * We send EC = 0 and RRC = 0 for sealed tokens (as MIT does); receivers must accept any RRC
 * and EC (Active Directory sends e.g. RRC 28 sealed, 12 signed-only).
 */
import { gssError } from '../../../core/errors.ts';
import type { Enctype } from '../crypto/enctype.ts';
import type { EncryptionKey } from '../types.ts';

/** The part of an RFC 3961 enctype this module needs (see crypto/registry.ts). */
export type CfxEnctype = Pick<
  Enctype,
  'checksumSize' | 'encryptedLength' | 'encryptInto' | 'decrypt' | 'checksum' | 'verifyChecksum'
>;

export const TOK_MIC = 0x0404;
export const TOK_WRAP = 0x0504;
export const FLAG_SENT_BY_ACCEPTOR = 0x01;
export const FLAG_SEALED = 0x02;
export const FLAG_ACCEPTOR_SUBKEY = 0x04;
export const KG_USAGE_ACCEPTOR_SEAL = 22;
export const KG_USAGE_ACCEPTOR_SIGN = 23;
export const KG_USAGE_INITIATOR_SEAL = 24;
export const KG_USAGE_INITIATOR_SIGN = 25;
const HEADER = 16;

/** A key with the enctype that uses it (an acceptor subkey may differ from the ticket's). */
export interface CfxKey {
  key: EncryptionKey;
  enctype: CfxEnctype;
}

/** The keys a context protects messages with. */
export interface CfxKeys {
  /** The acceptor's subkey from the AP-REP, when it sent one (then used both ways). */
  acceptorSubkey?: CfxKey;
  /** The initiator's subkey from the Authenticator, or else the ticket session key. */
  initiatorKey: CfxKey;
}

export interface CfxSender {
  keys: CfxKeys;
  /** Whether this side is the acceptor (sets SentByAcceptor, picks the usage). */
  acceptor: boolean;
}

function sendKey(keys: CfxKeys): { k: CfxKey; flag: number } {
  return keys.acceptorSubkey
    ? { k: keys.acceptorSubkey, flag: FLAG_ACCEPTOR_SUBKEY }
    : { k: keys.initiatorKey, flag: 0 };
}

/** MIT picks the key from the token's AcceptorSubkey flag (k5unsealiov.c); so do we. */
function receiveKey(keys: CfxKeys, flags: number): CfxKey {
  if (flags & FLAG_ACCEPTOR_SUBKEY) {
    if (!keys.acceptorSubkey) {
      throw gssError('DEFECTIVE_TOKEN', 'token claims an acceptor subkey the context does not have', {
        origin: 'peer',
      });
    }
    return keys.acceptorSubkey;
  }
  return keys.initiatorKey;
}

/** Writes the 16-byte token header at the start of `out` (EC and RRC zero for Wrap). */
function writeHeader(out: Uint8Array, tokId: number, flags: number, seq: bigint): DataView {
  const view = new DataView(out.buffer, out.byteOffset, HEADER);
  view.setUint16(0, tokId);
  out[2] = flags;
  out.fill(0xff, 3, 8);
  if (tokId === TOK_WRAP) view.setUint32(4, 0);
  view.setBigUint64(8, BigInt.asUintN(64, seq));
  return view;
}

export function wrapCfx(
  sender: CfxSender,
  seq: bigint,
  message: Uint8Array,
  confidential: boolean,
): Uint8Array {
  const { k, flag } = sendKey(sender.keys);
  const usage = sender.acceptor ? KG_USAGE_ACCEPTOR_SEAL : KG_USAGE_INITIATOR_SEAL;
  const flags = flag | (sender.acceptor ? FLAG_SENT_BY_ACCEPTOR : 0) | (confidential ? FLAG_SEALED : 0);
  if (confidential) {
    // EC = 0, RRC = 0: E(plaintext || header'), encrypted straight into the token after
    // the header (one allocation for the token).
    const out = new Uint8Array(HEADER + k.enctype.encryptedLength(message.length + HEADER));
    writeHeader(out, TOK_WRAP, flags, seq);
    k.enctype.encryptInto(k.key, usage, [message, out.subarray(0, HEADER)], out, HEADER);
    return out;
  }
  const cksumSize = k.enctype.checksumSize;
  // Checksum over plaintext || header with EC = RRC = 0, then EC = checksum length.
  const out = new Uint8Array(HEADER + message.length + cksumSize);
  const view = writeHeader(out, TOK_WRAP, flags, seq);
  const cksum = k.enctype.checksum(k.key, usage, [message, out.subarray(0, HEADER)]);
  view.setUint16(4, cksumSize);
  out.set(message, HEADER);
  out.set(cksum.subarray(0, cksumSize), HEADER + message.length);
  return out;
}

export interface CfxReceiver {
  keys: CfxKeys;
  /** Whether this side is the acceptor (then tokens must come from the initiator). */
  acceptor: boolean;
}

function readHeader(token: Uint8Array, tokId: number, receiver: CfxReceiver, what: string) {
  if (token.length < HEADER)
    throw gssError('DEFECTIVE_TOKEN', `${what} token shorter than its header`, { origin: 'peer' });
  const view = new DataView(token.buffer, token.byteOffset, token.byteLength);
  if (view.getUint16(0) !== tokId) {
    throw gssError('DEFECTIVE_TOKEN', `not a ${what} token (TOK_ID ${view.getUint16(0).toString(16)})`, {
      origin: 'peer',
    });
  }
  const flags = token[2]!;
  if (flags & ~0x07) throw gssError('DEFECTIVE_TOKEN', `${what} token has unknown flags`, { origin: 'peer' });
  // A token we would have sent ourselves is a reflection, not the peer's (RFC 4121 §4.2.2).
  if (((flags & FLAG_SENT_BY_ACCEPTOR) !== 0) === receiver.acceptor) {
    throw gssError('DEFECTIVE_TOKEN', `${what} token was sent by the wrong side (reflected?)`, {
      origin: 'peer',
    });
  }
  return { view, flags, seq: view.getBigUint64(8) };
}

export interface UnwrappedCfx {
  message: Uint8Array;
  confidential: boolean;
  seq: bigint;
}

export function unwrapCfx(receiver: CfxReceiver, token: Uint8Array): UnwrappedCfx {
  const { view, flags, seq } = readHeader(token, TOK_WRAP, receiver, 'Wrap');
  if (token[3] !== 0xff)
    throw gssError('DEFECTIVE_TOKEN', 'Wrap token filler byte is not FF', { origin: 'peer' });
  const ec = view.getUint16(4);
  const rrc = view.getUint16(6);
  const k = receiveKey(receiver.keys, flags);
  const usage = receiver.acceptor ? KG_USAGE_INITIATOR_SEAL : KG_USAGE_ACCEPTOR_SEAL;
  // An RRC of a whole multiple of the length would rotate to the same bytes; no sender
  // produces one, and refusing it keeps every bit of the header significant.
  if (rrc !== 0 && rrc >= token.length - HEADER)
    throw gssError('DEFECTIVE_TOKEN', 'Wrap token RRC exceeds its data', { origin: 'peer' });
  const data = rotateLeft(token.subarray(HEADER), rrc);
  if (flags & FLAG_SEALED) {
    const plain = k.enctype.decrypt(k.key, usage, data);
    if (plain.length < ec + HEADER)
      throw gssError('DEFECTIVE_TOKEN', 'sealed Wrap token too short', { origin: 'peer' });
    const copy = plain.subarray(plain.length - HEADER);
    // The encrypted header copy must match the clear header, except RRC which is 0 inside.
    for (let i = 0; i < HEADER; i++) {
      const expected = i === 6 || i === 7 ? 0 : token[i];
      if (copy[i] !== expected) {
        throw gssError('BAD_SIGNATURE', 'sealed Wrap token header does not match its encrypted copy', {
          origin: 'peer',
        });
      }
    }
    return { message: plain.subarray(0, plain.length - HEADER - ec), confidential: true, seq };
  }
  if (ec > data.length)
    throw gssError('DEFECTIVE_TOKEN', 'Wrap token checksum longer than the token', { origin: 'peer' });
  const message = data.subarray(0, data.length - ec);
  const header = token.slice(0, HEADER);
  header.fill(0, 4, 8); // EC = RRC = 0 in the checksummed header (§4.2.4)
  if (!k.enctype.verifyChecksum(k.key, usage, [message, header], data.subarray(data.length - ec))) {
    throw gssError('BAD_SIGNATURE', 'Wrap token checksum does not verify', { origin: 'peer' });
  }
  return { message: message.slice(), confidential: false, seq };
}

export function getMicCfx(sender: CfxSender, seq: bigint, message: Uint8Array): Uint8Array {
  const { k, flag } = sendKey(sender.keys);
  const usage = sender.acceptor ? KG_USAGE_ACCEPTOR_SIGN : KG_USAGE_INITIATOR_SIGN;
  const out = new Uint8Array(HEADER + k.enctype.checksumSize);
  writeHeader(out, TOK_MIC, flag | (sender.acceptor ? FLAG_SENT_BY_ACCEPTOR : 0), seq);
  const cksum = k.enctype.checksum(k.key, usage, [message, out.subarray(0, HEADER)]);
  out.set(cksum.subarray(0, k.enctype.checksumSize), HEADER);
  return out;
}

/** Verifies a MIC token over `message`; returns its sequence number for the replay window. */
export function verifyMicCfx(receiver: CfxReceiver, message: Uint8Array, token: Uint8Array): bigint {
  const { flags, seq } = readHeader(token, TOK_MIC, receiver, 'MIC');
  for (let i = 3; i < 8; i++) {
    if (token[i] !== 0xff)
      throw gssError('DEFECTIVE_TOKEN', 'MIC token filler is not FF', { origin: 'peer' });
  }
  const k = receiveKey(receiver.keys, flags);
  const usage = receiver.acceptor ? KG_USAGE_INITIATOR_SIGN : KG_USAGE_ACCEPTOR_SIGN;
  if (!k.enctype.verifyChecksum(k.key, usage, [message, token.subarray(0, HEADER)], token.subarray(HEADER))) {
    throw gssError('BAD_SIGNATURE', 'MIC does not verify', { origin: 'peer' });
  }
  return seq;
}

/** Undoes the sender's right rotation by `rrc` (RFC 4121 §4.2.5); a view when rrc is 0. */
function rotateLeft(data: Uint8Array, rrc: number): Uint8Array {
  if (data.length === 0) return data;
  const r = rrc % data.length;
  if (r === 0) return data;
  const out = new Uint8Array(data.length);
  out.set(data.subarray(r), 0);
  out.set(data.subarray(0, r), data.length - r);
  return out;
}
