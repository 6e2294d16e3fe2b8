/**
 * Per-message protection of an established mock context: WRAP (sealed with AES-256-GCM, or
 * integrity-only with HMAC-SHA256) and MIC tokens, laid out in wire.ts.
 *
 * Each direction has its own keys and its own 64-bit sequence counter, shared by WRAP and
 * MIC as in RFC 4121 §4.2.6. The GCM nonce is 4 zero bytes || the sequence number: unique
 * per key because the counter never repeats and each key serves one direction only.
 * Verification order: header, direction bit, MAC/tag, then the replay window (sequence.ts).
 */
import { constantTimeEqual, wipe } from '../../core/bytes.ts';
import { gssError } from '../../core/errors.ts';
import type { Role, UnwrapResult, WrapOptions } from '../../core/mechanism.ts';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { type Aead, aead, GCM_NONCE_SIZE, GCM_TAG_SIZE } from './aead.ts';
import type { DirectionKeys, MockKeys } from './keys.ts';
import { ReplayWindow } from './sequence.ts';
import { readHeader, TokenType, type TokenTypeValue, writeHeader } from './wire.ts';

export const SEALED = 0x01;
export const FROM_ACCEPTOR = 0x02;
export const PREFIX_SIZE = 12;
const MAC_SIZE = 32;
/** Sequence numbers are kept as JS numbers; a context never gets near 2^53 tokens. */
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

export interface ProtectionOptions {
  role: Role;
  keys: MockKeys;
  replay: boolean;
  sequence: boolean;
  /** Flip the low bit of the last byte of every WRAP / MIC token we emit (misbehave). */
  corruptWrap?: boolean;
  corruptMic?: boolean;
  aead?: Aead;
}

export class MockProtection {
  readonly #ours: DirectionKeys;
  readonly #theirs: DirectionKeys;
  readonly #ourDirection: number;
  readonly #window: ReplayWindow;
  readonly #aead: Aead;
  readonly #corruptWrap: boolean;
  readonly #corruptMic: boolean;
  #sendSeq = 0;
  /** Which AES-GCM implementation seals (for ContextInfo.extra and benchmarks). */
  readonly backend: Aead['backend'];

  constructor(o: ProtectionOptions) {
    const fromAcceptor = o.role === 'acceptor';
    this.#ours = fromAcceptor ? o.keys.acceptorToInitiator : o.keys.initiatorToAcceptor;
    this.#theirs = fromAcceptor ? o.keys.initiatorToAcceptor : o.keys.acceptorToInitiator;
    this.#ourDirection = fromAcceptor ? FROM_ACCEPTOR : 0;
    this.#window = new ReplayWindow({ replay: o.replay, sequence: o.sequence });
    this.#aead = o.aead ?? aead();
    this.backend = this.#aead.backend;
    this.#corruptWrap = o.corruptWrap ?? false;
    this.#corruptMic = o.corruptMic ?? false;
  }

  wrap(message: Uint8Array, options: WrapOptions = {}): Uint8Array {
    checkQop(options.qop);
    const sealed = options.confidential ?? true;
    const seq = this.#nextSeq();
    const prefix = this.#prefix(TokenType.WRAP, sealed ? SEALED : 0, seq);
    let body: Uint8Array;
    if (sealed) body = this.#aead.seal(this.#ours.enc, nonceFor(seq), prefix, message);
    else {
      body = new Uint8Array(message.length + MAC_SIZE);
      body.set(message, 0);
      body.set(mac(this.#ours.mac, prefix, message), message.length);
    }
    const token = new Uint8Array(PREFIX_SIZE + body.length);
    token.set(prefix, 0);
    token.set(body, PREFIX_SIZE);
    if (this.#corruptWrap) token[token.length - 1]! ^= 1;
    return token;
  }

  unwrap(token: Uint8Array): UnwrapResult {
    const { flags, seq } = this.#readPrefix(token, TokenType.WRAP);
    const prefix = token.subarray(0, PREFIX_SIZE);
    const body = token.subarray(PREFIX_SIZE);
    let message: Uint8Array;
    const confidential = (flags & SEALED) !== 0;
    if (confidential) {
      if (body.length < GCM_TAG_SIZE) throw defective('sealed WRAP token is truncated');
      message = this.#aead.open(this.#theirs.enc, nonceFor(seq), prefix, body);
    } else {
      if (body.length < MAC_SIZE) throw defective('WRAP token is truncated');
      const split = body.length - MAC_SIZE;
      const view = body.subarray(0, split);
      if (!constantTimeEqual(mac(this.#theirs.mac, prefix, view), body.subarray(split))) {
        throw badSignature('WRAP token failed to verify');
      }
      message = view.slice();
    }
    this.#window.check(seq);
    return { message, confidential, qop: 0 };
  }

  getMic(message: Uint8Array, qop?: number): Uint8Array {
    checkQop(qop);
    const seq = this.#nextSeq();
    const prefix = this.#prefix(TokenType.MIC, 0, seq);
    const token = new Uint8Array(PREFIX_SIZE + MAC_SIZE);
    token.set(prefix, 0);
    token.set(mac(this.#ours.mac, prefix, message), PREFIX_SIZE);
    if (this.#corruptMic) token[token.length - 1]! ^= 1;
    return token;
  }

  verifyMic(message: Uint8Array, token: Uint8Array): void {
    const { seq } = this.#readPrefix(token, TokenType.MIC);
    if (token.length !== PREFIX_SIZE + MAC_SIZE) throw defective('MIC token has the wrong length');
    const expected = mac(this.#theirs.mac, token.subarray(0, PREFIX_SIZE), message);
    if (!constantTimeEqual(expected, token.subarray(PREFIX_SIZE))) throw badSignature('MIC failed to verify');
    this.#window.check(seq);
  }

  #nextSeq(): number {
    if (this.#sendSeq >= MAX_SEQ) throw gssError('CONTEXT_EXPIRED', 'mock: sequence numbers exhausted');
    return this.#sendSeq++;
  }

  #prefix(type: TokenTypeValue, flags: number, seq: number): Uint8Array {
    const prefix = new Uint8Array(PREFIX_SIZE);
    writeHeader(prefix, type, flags | this.#ourDirection);
    new DataView(prefix.buffer).setBigUint64(4, BigInt(seq));
    return prefix;
  }

  #readPrefix(token: Uint8Array, type: TokenTypeValue): { flags: number; seq: number } {
    const flags = readHeader(token, type);
    if (token.length < PREFIX_SIZE) throw defective('per-message token is shorter than its prefix');
    const allowed = type === TokenType.WRAP ? SEALED | FROM_ACCEPTOR : FROM_ACCEPTOR;
    if ((flags & ~allowed) !== 0) throw defective('per-message token has unknown header flags');
    // A token carrying our own direction bit is one of ours sent back (RFC 4121 §4.2.2).
    if ((flags & FROM_ACCEPTOR) === this.#ourDirection)
      throw badSignature('token was reflected back to its sender');
    const big = new DataView(token.buffer, token.byteOffset, token.byteLength).getBigUint64(4);
    if (big > BigInt(MAX_SEQ)) throw defective('sequence number out of range');
    return { flags, seq: Number(big) };
  }

  dispose(): void {
    wipe(this.#ours.enc, this.#ours.mac, this.#theirs.enc, this.#theirs.mac);
  }
}

function mac(key: Uint8Array, prefix: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac.create(sha256, key).update(prefix).update(message).digest();
}

function nonceFor(seq: number): Uint8Array {
  const nonce = new Uint8Array(GCM_NONCE_SIZE);
  new DataView(nonce.buffer).setBigUint64(4, BigInt(seq));
  return nonce;
}

function checkQop(qop: number | undefined): void {
  if (qop !== undefined && qop !== 0)
    throw gssError('NOT_SUPPORTED', `mock: QOP ${qop} is not supported (only 0)`);
}

const defective = (m: string) => gssError('DEFECTIVE_TOKEN', `mock: ${m}`, { origin: 'peer' });
const badSignature = (m: string) => gssError('BAD_SIGNATURE', `mock: ${m}`, { origin: 'peer' });
