/**
 * Session security (MS-NLMP §3.4), connection-oriented: one signing key, one RC4 sealing
 * stream and one sequence number per direction, the sequence number counting every
 * signature made (sealed or not). Tokens, as gss-ntlmssp writes them:
 *   getMic -> NTLMSSP_MESSAGE_SIGNATURE (16 bytes, §2.2.2.9)
 *   wrap   -> signature (16) || data, the data RC4-sealed when confidential
 *
 * Signature with extended session security (§3.4.4.2): Version=1, Checksum = first 8 bytes
 * of HMAC_MD5(SigningKey, SeqNum || Message), RC4-encrypted under the sealing stream when
 * KEY_EXCH was negotiated, SeqNum in clear. Without it (§3.4.4.1, legacy): Version=1, then
 * RandomPad(0), CRC32(Message) and SeqNum, each passed through the sealing stream, after
 * which §3.4.4.1 sets RandomPad back to 0 (gss-ntlmssp and pyspnego, tested against
 * Windows, send 0; the §4.2.2.4 example and Samba send RC4(0)). The pad carries nothing,
 * so on receipt it is not compared (Samba compares from byte 8 too): both forms verify.
 * Sealing (§3.4.3) encrypts the message first, then makes the signature over the plaintext.
 *
 * Without extended session security there is one sealing key (SEALKEY ignores the
 * direction) and, as §3.4 puts it, operations are half duplex: one RC4 handle and one
 * sequence counter serve both directions (so do Samba, gss-ntlmssp and pyspnego).
 *
 * Receiving never changes state unless the token verifies (see keystream.ts). NTLM has no
 * flag saying whether the data was sealed, so a token is tried sealed first, then signed
 * only; a false match needs a 64-bit MAC collision.
 */
import { concatBytes, constantTimeEqual, wipe } from '../../core/bytes.ts';
import { gssError } from '../../core/errors.ts';
import { HmacKey } from '../../crypto/hash.ts';
import { has, NegotiateFlags as F } from './flags.ts';
import { type KeyMode, sealkey, signkey } from './keys.ts';
import { crc32, KeyStream, xor } from './keystream.ts';
import { putU32, u32, u32le } from './wire.ts';

export const SIGNATURE_SIZE = 16;

interface Direction {
  /** Kept so SPNEGO can restart the stream after its mechListMIC (MS-SPNG §3.3.5.1). */
  sealKey: Uint8Array;
  signKey?: HmacKey;
  signKeyBytes?: Uint8Array;
  stream: KeyStream;
  seq: number;
}

export interface Unsealed {
  message: Uint8Array;
  confidential: boolean;
}

export class SessionSecurity {
  readonly flags: number;
  readonly #send: Direction;
  readonly #recv: Direction;
  readonly #ess: boolean;
  readonly #keyExch: boolean;

  /** `mode` is our side: 'client' for the initiator, 'server' for the acceptor. */
  constructor(flags: number, exportedSessionKey: Uint8Array, mode: KeyMode) {
    this.flags = flags;
    this.#ess = has(flags, F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY);
    this.#keyExch = has(flags, F.NTLMSSP_NEGOTIATE_KEY_EXCH);
    const other: KeyMode = mode === 'client' ? 'server' : 'client';
    this.#send = direction(flags, exportedSessionKey, mode);
    // §3.4: without extended session security both directions share one handle and counter.
    this.#recv = this.#ess ? direction(flags, exportedSessionKey, other) : this.#send;
  }

  /** GSS_GetMIC: a 16-byte signature over `message`. */
  sign(message: Uint8Array): Uint8Array {
    const d = this.#send;
    const sig = this.#signature(d, message, d.stream.peek(this.#streamCost(0)), 0);
    d.stream.advance(this.#streamCost(0));
    d.seq = (d.seq + 1) >>> 0;
    return sig;
  }

  /** GSS_VerifyMIC. Throws BAD_SIGNATURE / DUPLICATE_TOKEN / GAP_TOKEN / DEFECTIVE_TOKEN. */
  verify(message: Uint8Array, token: Uint8Array): void {
    this.#checkToken(token, 'MIC token', SIGNATURE_SIZE);
    const d = this.#recv;
    const cost = this.#streamCost(0);
    const expected = this.#signature(d, message, d.stream.peek(cost), 0);
    if (!this.#matches(expected, token)) throw badSignature('MIC');
    d.stream.advance(cost);
    d.seq = (d.seq + 1) >>> 0;
  }

  /** GSS_Wrap: signature || (sealed) message. */
  wrap(message: Uint8Array, confidential: boolean): Uint8Array {
    const d = this.#send;
    const n = confidential ? message.length : 0;
    const ks = d.stream.peek(n + this.#streamCost(0));
    const data = confidential ? xor(message, ks) : message;
    const sig = this.#signature(d, integrityInput(message, confidential), ks, n);
    d.stream.advance(n + this.#streamCost(0));
    d.seq = (d.seq + 1) >>> 0;
    return concatBytes(sig, data);
  }

  /** GSS_Unwrap, trying the sealed reading, then the signed-only one. */
  unwrap(token: Uint8Array): Unsealed {
    this.#checkToken(token, 'wrap token', SIGNATURE_SIZE, true);
    const d = this.#recv;
    const sig = token.subarray(0, SIGNATURE_SIZE);
    const data = token.subarray(SIGNATURE_SIZE);
    const cost = this.#streamCost(0);
    const n = data.length;
    let ks = d.stream.peek(n + cost);
    const plain = xor(data, ks);
    if (this.#matches(this.#signature(d, plain, ks, n), sig)) {
      d.stream.advance(n + cost);
      d.seq = (d.seq + 1) >>> 0;
      return { message: plain, confidential: true };
    }
    ks = d.stream.peek(cost);
    if (this.#matches(this.#signature(d, integrityInput(data, false), ks, 0), sig)) {
      d.stream.advance(cost);
      d.seq = (d.seq + 1) >>> 0;
      return { message: data.slice(), confidential: false };
    }
    throw badSignature('wrap token');
  }

  /**
   * Restarts one direction's RC4 stream from its sealing key, keeping the sequence number.
   * MS-SPNG §3.3.5.1: after SPNEGO's mechListMIC is made (send) or checked (receive), NTLM
   * resets its cipher state; Windows and gss-ntlmssp do, so must we to read their next token.
   */
  resetStream(which: 'send' | 'receive'): void {
    const d = which === 'send' ? this.#send : this.#recv;
    d.stream.wipe();
    d.stream = new KeyStream(d.sealKey);
  }

  dispose(): void {
    for (const d of new Set([this.#send, this.#recv])) {
      d.stream.wipe();
      wipe(d.signKeyBytes, d.sealKey);
    }
  }

  /** Key-stream bytes a signature consumes after `n` bytes of sealed data. */
  #streamCost(_n: number): number {
    if (!this.#ess) return 12;
    return this.#keyExch ? 8 : 0;
  }

  /** The signature for `message`, using key stream `ks` from offset `at`. */
  #signature(d: Direction, message: Uint8Array, ks: Uint8Array, at: number): Uint8Array {
    const sig = new Uint8Array(SIGNATURE_SIZE);
    putU32(sig, 0, 1);
    if (this.#ess) {
      const mac = d.signKey!.mac(u32le(d.seq), message).subarray(0, 8);
      sig.set(this.#keyExch ? xor(mac, ks.subarray(at, at + 8)) : mac, 4);
      putU32(sig, 12, d.seq);
      return sig;
    }
    // §3.4.4.1: RandomPad (0), CRC32 and SeqNum (XORed with RC4 of zeros) in turn; the
    // pad's key stream is spent, then the field is set to 0.
    const body = new Uint8Array(12);
    putU32(body, 4, crc32(message));
    putU32(body, 8, d.seq);
    sig.set(xor(body, ks.subarray(at, at + 12)), 4);
    sig.fill(0, 4, 8);
    return sig;
  }

  /** Compares a received signature; without ESS the RandomPad (bytes 4..8) is not compared. */
  #matches(expected: Uint8Array, received: Uint8Array): boolean {
    if (this.#ess) return constantTimeEqual(expected, received);
    return (
      received.length === SIGNATURE_SIZE &&
      constantTimeEqual(expected.subarray(8), received.subarray(8)) &&
      u32(received, 0) === 1
    );
  }

  /**
   * Size and version checks, and (with extended session security, where SeqNum travels in
   * clear) the sequence check before any cryptography: an old number is a replay, a
   * higher one means tokens were lost or reordered.
   */
  #checkToken(token: Uint8Array, what: string, min: number, orMore = false): void {
    if (!(token instanceof Uint8Array)) throw gssError('INVALID_ARGUMENT', `${what} must be a Uint8Array`);
    if (orMore ? token.length < min : token.length !== min)
      throw gssError('DEFECTIVE_TOKEN', `NTLM ${what} of ${token.length} bytes`, { origin: 'peer' });
    if (u32(token, 0) !== 1)
      throw gssError('DEFECTIVE_TOKEN', `NTLM ${what} with signature version ${u32(token, 0)}`, {
        origin: 'peer',
      });
    if (!this.#ess) return;
    const seq = u32(token, 12);
    const expected = this.#recv.seq;
    if (seq < expected)
      throw gssError('DUPLICATE_TOKEN', `NTLM ${what} replayed (sequence ${seq}, expected ${expected})`, {
        origin: 'peer',
        details: { seq, expected },
      });
    if (seq > expected)
      throw gssError('GAP_TOKEN', `NTLM ${what} out of order (sequence ${seq}, expected ${expected})`, {
        origin: 'peer',
        details: { seq, expected },
      });
  }
}

function direction(flags: number, key: Uint8Array, mode: KeyMode): Direction {
  const signKeyBytes = signkey(flags, key, mode);
  const seal = sealkey(flags, key, mode);
  const d: Direction = { sealKey: seal, stream: new KeyStream(seal), seq: 0 };
  if (signKeyBytes) {
    d.signKeyBytes = signKeyBytes;
    d.signKey = new HmacKey('md5', signKeyBytes);
  }
  return d;
}

/**
 * An empty message sealed and signed-only would give identical tokens; gssock's
 * integrity-only wrap of an EMPTY message signs a single 0x00 byte instead, so the two stay
 * distinguishable. (Non-empty integrity-only tokens are plain SECQOP_WRAP_NO_ENCRYPT
 * shape: signature over the message, message in clear. gss-ntlmssp always seals.)
 */
const EMPTY_INTEGRITY_MARK = new Uint8Array(1);

function integrityInput(message: Uint8Array, confidential: boolean): Uint8Array {
  return !confidential && message.length === 0 ? EMPTY_INTEGRITY_MARK : message;
}

function badSignature(what: string) {
  return gssError('BAD_SIGNATURE', `NTLM ${what} failed to verify (tampered, or wrong session key)`, {
    origin: 'peer',
  });
}
