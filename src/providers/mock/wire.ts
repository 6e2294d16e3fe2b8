/**
 * The mock mechanism's wire format. It is a product feature (users write failure tests
 * against it and may want to craft or inspect tokens), so it is specified here and kept
 * stable: version 1.
 *
 * All integers are big-endian. Every token starts with a 4-byte header:
 *
 *   offset size  field
 *   0      1     magic 0x4D ('M')
 *   1      1     version 0x01
 *   2      1     type: 0x01 INIT, 0x02 CHALLENGE, 0x03 PROOF, 0x04 WRAP, 0x05 MIC
 *   3      1     header flags (per type, below; 0 where unused)
 *
 * INIT, initiator -> acceptor (leg 1)
 *   4      4     requested context flags (GSS bits, src/core/flags.ts)
 *   8      32    channel-bindings hash: SHA-256 of the bindings (see keys.ts), or 32 zero bytes
 *   40     2+n   initiator name, u16 length + UTF-8
 *   ..     2+m   target name, u16 length + UTF-8 (may be empty)
 *   ..     32    client nonce
 *
 * CHALLENGE, acceptor -> initiator (leg 2); header flag 0x01 = acceptor proof present
 *   4      4     flags the acceptor grants
 *   8      2+n   acceptor name, u16 length + UTF-8
 *   ..     32    server nonce
 *   ..     32    acceptor proof (only when flag 0x01; sent when MUTUAL was requested)
 *
 * PROOF, initiator -> acceptor (leg 3)
 *   4      32    initiator proof
 *
 * WRAP / MIC (per-message tokens, see protection.ts); header flag 0x01 = sealed (WRAP),
 * 0x02 = sent by the acceptor
 *   4      8     sequence number (per direction, from 0; WRAP and MIC share the counter)
 *   12     ..    WRAP sealed: AES-256-GCM ciphertext + 16-byte tag (AAD = bytes 0..11)
 *                WRAP integrity-only: plaintext + 32-byte HMAC-SHA256(bytes 0..11 + plaintext)
 *                MIC: 32-byte HMAC-SHA256(bytes 0..11 + message)
 *
 * The proofs and key schedule are in keys.ts. Names are at most MAX_NAME_BYTES long; every
 * length is checked against the bytes present before anything is allocated or sliced.
 */
import { gssError } from '../../core/errors.ts';
import { fromUtf8, utf8 } from '../../core/bytes.ts';

export const MAGIC = 0x4d;
export const VERSION = 1;
export const TokenType = { INIT: 1, CHALLENGE: 2, PROOF: 3, WRAP: 4, MIC: 5 } as const;
export type TokenTypeValue = (typeof TokenType)[keyof typeof TokenType];

export const HEADER_SIZE = 4;
export const NONCE_SIZE = 32;
export const PROOF_SIZE = 32;
export const CB_HASH_SIZE = 32;
export const MAX_NAME_BYTES = 1024;
export const CHALLENGE_HAS_PROOF = 0x01;

export interface InitToken {
  flags: number;
  channelBindingsHash: Uint8Array;
  initiatorName: string;
  target: string;
  clientNonce: Uint8Array;
}

export interface ChallengeToken {
  flags: number;
  acceptorName: string;
  serverNonce: Uint8Array;
  acceptorProof?: Uint8Array;
}

const TYPE_NAMES = ['', 'INIT', 'CHALLENGE', 'PROOF', 'WRAP', 'MIC'];

/** Bounded reader over one token; every failure is a DEFECTIVE_TOKEN from the peer. */
class TokenReader {
  #offset = HEADER_SIZE;
  readonly #view: DataView;
  readonly bytes: Uint8Array;
  readonly what: string;
  constructor(bytes: Uint8Array, what: string) {
    this.bytes = bytes;
    this.what = what;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  #need(n: number): void {
    if (this.bytes.length - this.#offset < n) throw defective(`${this.what} token is truncated`);
  }
  u32(): number {
    this.#need(4);
    const v = this.#view.getUint32(this.#offset);
    this.#offset += 4;
    return v;
  }
  bytesOf(n: number): Uint8Array {
    this.#need(n);
    const v = this.bytes.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return v;
  }
  name(): string {
    this.#need(2);
    const n = this.#view.getUint16(this.#offset);
    this.#offset += 2;
    if (n > MAX_NAME_BYTES) throw defective(`${this.what} token carries a ${n}-byte name`);
    return fromUtf8(this.bytesOf(n));
  }
  end(): void {
    if (this.#offset !== this.bytes.length) throw defective(`${this.what} token has trailing bytes`);
  }
}

function defective(message: string) {
  return gssError('DEFECTIVE_TOKEN', `mock: ${message}`, { origin: 'peer' });
}

/** Checks magic, version and type; returns the header flags byte. */
export function readHeader(token: Uint8Array, expected: TokenTypeValue): number {
  const what = TYPE_NAMES[expected] ?? 'mock';
  if (token.length < HEADER_SIZE) throw defective(`${what} token is shorter than its header`);
  if (token[0] !== MAGIC) throw defective(`not a mock token (magic 0x${token[0]!.toString(16)})`);
  if (token[1] !== VERSION) throw defective(`unsupported mock token version ${token[1]}`);
  if (token[2] !== expected) {
    throw defective(`expected a ${what} token, got type ${TYPE_NAMES[token[2]!] ?? token[2]}`);
  }
  return token[3]!;
}

export function writeHeader(out: Uint8Array, type: TokenTypeValue, flags: number): void {
  out[0] = MAGIC;
  out[1] = VERSION;
  out[2] = type;
  out[3] = flags;
}

function encodedName(name: string, label: string): Uint8Array {
  const bytes = utf8(name);
  if (bytes.length > MAX_NAME_BYTES) {
    throw gssError('BAD_NAME', `mock: ${label} name longer than ${MAX_NAME_BYTES} bytes`);
  }
  return bytes;
}

export function encodeInit(t: InitToken): Uint8Array {
  const me = encodedName(t.initiatorName, 'initiator');
  const target = encodedName(t.target, 'target');
  const out = new Uint8Array(HEADER_SIZE + 4 + CB_HASH_SIZE + 2 + me.length + 2 + target.length + NONCE_SIZE);
  const view = new DataView(out.buffer);
  writeHeader(out, TokenType.INIT, 0);
  view.setUint32(4, t.flags >>> 0);
  out.set(t.channelBindingsHash, 8);
  let o = 8 + CB_HASH_SIZE;
  view.setUint16(o, me.length);
  out.set(me, o + 2);
  o += 2 + me.length;
  view.setUint16(o, target.length);
  out.set(target, o + 2);
  o += 2 + target.length;
  out.set(t.clientNonce, o);
  return out;
}

export function decodeInit(token: Uint8Array): InitToken {
  readHeader(token, TokenType.INIT);
  const r = new TokenReader(token, 'INIT');
  const flags = r.u32();
  const channelBindingsHash = r.bytesOf(CB_HASH_SIZE);
  const initiatorName = r.name();
  const target = r.name();
  const clientNonce = r.bytesOf(NONCE_SIZE);
  r.end();
  return { flags, channelBindingsHash, initiatorName, target, clientNonce };
}

export function encodeChallenge(t: ChallengeToken): Uint8Array {
  const name = encodedName(t.acceptorName, 'acceptor');
  const proofLength = t.acceptorProof ? PROOF_SIZE : 0;
  const out = new Uint8Array(HEADER_SIZE + 4 + 2 + name.length + NONCE_SIZE + proofLength);
  const view = new DataView(out.buffer);
  writeHeader(out, TokenType.CHALLENGE, t.acceptorProof ? CHALLENGE_HAS_PROOF : 0);
  view.setUint32(4, t.flags >>> 0);
  view.setUint16(8, name.length);
  out.set(name, 10);
  out.set(t.serverNonce, 10 + name.length);
  if (t.acceptorProof) out.set(t.acceptorProof, 10 + name.length + NONCE_SIZE);
  return out;
}

export function decodeChallenge(token: Uint8Array): ChallengeToken {
  const headerFlags = readHeader(token, TokenType.CHALLENGE);
  if ((headerFlags & ~CHALLENGE_HAS_PROOF) !== 0) throw defective('CHALLENGE token has unknown header flags');
  const r = new TokenReader(token, 'CHALLENGE');
  const flags = r.u32();
  const acceptorName = r.name();
  const serverNonce = r.bytesOf(NONCE_SIZE);
  const acceptorProof = headerFlags & CHALLENGE_HAS_PROOF ? r.bytesOf(PROOF_SIZE) : undefined;
  r.end();
  return acceptorProof
    ? { flags, acceptorName, serverNonce, acceptorProof }
    : { flags, acceptorName, serverNonce };
}

export function encodeProof(proof: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + PROOF_SIZE);
  writeHeader(out, TokenType.PROOF, 0);
  out.set(proof, HEADER_SIZE);
  return out;
}

export function decodeProof(token: Uint8Array): Uint8Array {
  readHeader(token, TokenType.PROOF);
  const r = new TokenReader(token, 'PROOF');
  const proof = r.bytesOf(PROOF_SIZE);
  r.end();
  return proof;
}
