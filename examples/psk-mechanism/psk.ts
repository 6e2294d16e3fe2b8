/**
 * psk(): an example GSS-style mechanism, written from docs/PROVIDERS.md alone. Two parties
 * share a 32-byte key. Two legs, like Kerberos with a timestamp and a replay cache:
 *
 *   initiator --HELLO: name, time, nonceC, proofC = HMAC(key, "i" | hello)-------> acceptor
 *   initiator <-REPLY: nonceS, proofS = HMAC(key, "a" | hello | nonceS)  (done) -- acceptor
 *
 * Then per-message tokens: a 9-byte header (kind, sequence number) and ChaCha20-Poly1305
 * under a key per direction from HKDF(key, nonceC | nonceS); sequence numbers must come in
 * order, so REPLAY and SEQUENCE are proven, not just claimed. An example, not a vetted
 * protocol: a recorded handshake allows offline guessing if the key is a weak password.
 * In your project, import these from 'gssock' instead of the source paths.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, constantTimeEqual, toHex, utf8, wipe } from '../../src/core/bytes.ts';
import { type ErrorCode, gssError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import type {
  ContextInfo,
  ContextOptions,
  Mechanism,
  Role,
  SecurityContext,
} from '../../src/core/mechanism.ts';

/** An OID under RFC 5612's documentation arc: fine for an example, never for production. */
export const PSK_OID = '1.3.6.1.4.1.32473.2.1';
const GRANTED = Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE | Flags.CONF | Flags.INTEG;
const HELLO = 1,
  REPLY = 2,
  WRAP = 0x10,
  SEAL = 0x11,
  MIC = 0x20;
const peerError = (code: ErrorCode, msg: string) => gssError(code, `psk: ${msg}`, { origin: 'peer' });

export interface PskOptions {
  /** The shared key, 32 bytes. */
  key: Uint8Array;
  /** Our name, sent in HELLO by an initiator. */
  name: string;
  /** Largest clock difference accepted, ms; default 5 minutes (as Kerberos). */
  maxSkewMs?: number;
}

export function psk(options: PskOptions): Mechanism {
  if (options.key.length !== 32) throw gssError('INVALID_ARGUMENT', 'psk: the key must be 32 bytes');
  // The replay cache belongs to the credentials, so it spans every context they make.
  const seen = new Map<string, number>();
  return {
    name: 'psk',
    oid: PSK_OID,
    createContext: (role, ctx = {}) => new PskContext(role, options, ctx, seen),
  };
}

class PskContext implements SecurityContext {
  readonly mechanism = 'psk';
  #state: 'start' | 'sent-hello' | 'done' | 'failed' | 'disposed' = 'start';
  #hello?: Uint8Array;
  #nonce?: Uint8Array;
  #keys?: { send: Uint8Array; receive: Uint8Array };
  #seq = { send: 0n, receive: 0n };
  #peer = '';

  constructor(
    readonly role: Role,
    private readonly o: PskOptions,
    private readonly ctx: ContextOptions,
    private readonly seen: Map<string, number>,
  ) {}

  get established(): boolean {
    return this.#state === 'done';
  }

  async step(input: Uint8Array | null) {
    // An initiator starts with null; every other step needs the peer's token.
    const wantsNull = this.role === 'initiator' && this.#state === 'start';
    if ((this.#state !== 'start' && this.#state !== 'sent-hello') || (input === null) !== wantsNull)
      throw gssError('INVALID_STATE', `psk: step(${input ? 'token' : 'null'}) in state ${this.#state}`);
    try {
      if (this.role === 'initiator' && input === null) return { outputToken: this.#sendHello(), done: false };
      if (this.role === 'acceptor') return { outputToken: this.#onHello(input!), done: true };
      this.#onReply(input!);
      return { done: true };
    } catch (e) {
      this.#state = 'failed';
      throw e;
    }
  }

  #random(n: number): Uint8Array {
    return this.ctx.random ? this.ctx.random(n) : crypto.getRandomValues(new Uint8Array(n));
  }
  #now(): number {
    return this.ctx.clock ? this.ctx.clock() : Date.now();
  }
  #proof(label: string, ...parts: Uint8Array[]): Uint8Array {
    return hmac(sha256, this.o.key, concatBytes(utf8(label), ...parts));
  }
  #finish(nonceC: Uint8Array, nonceS: Uint8Array, peer: string): void {
    const k = hkdf(sha256, this.o.key, concatBytes(nonceC, nonceS), utf8('psk session keys'), 64);
    const [i2a, a2i] = [k.slice(0, 32), k.slice(32)];
    this.#keys = this.role === 'initiator' ? { send: i2a, receive: a2i } : { send: a2i, receive: i2a };
    wipe(k);
    this.#peer = peer;
    this.#state = 'done';
  }

  #sendHello(): Uint8Array {
    const name = utf8(this.o.name);
    const body = new Uint8Array(1 + 2 + name.length + 8 + 32);
    const view = new DataView(body.buffer);
    body[0] = HELLO;
    view.setUint16(1, name.length);
    body.set(name, 3);
    view.setBigUint64(3 + name.length, BigInt(this.#now()));
    body.set((this.#nonce = this.#random(32)), 11 + name.length);
    this.#hello = concatBytes(body, this.#proof('i', body));
    this.#state = 'sent-hello';
    return this.#hello.slice();
  }

  #onHello(hello: Uint8Array): Uint8Array {
    // Check sizes before reading anything (RFC 2743 §1.2.1.1: defective token).
    const n = hello.length >= 3 ? new DataView(hello.buffer, hello.byteOffset).getUint16(1) : -1;
    if (hello[0] !== HELLO || hello.length !== 3 + n + 8 + 32 + 32)
      throw peerError('DEFECTIVE_TOKEN', 'bad HELLO');
    const body = hello.subarray(0, hello.length - 32);
    if (!constantTimeEqual(this.#proof('i', body), hello.subarray(body.length)))
      throw peerError('LOGON_DENIED', 'the initiator does not hold the key');
    const time = Number(new DataView(hello.buffer, hello.byteOffset).getBigUint64(3 + n));
    const now = this.#now();
    const skew = this.o.maxSkewMs ?? 300_000;
    if (Math.abs(now - time) > skew) throw peerError('CLOCK_SKEW', 'HELLO time is too far from ours');
    const nonceC = body.subarray(body.length - 32);
    for (const [id, expires] of this.seen) if (expires < now) this.seen.delete(id);
    if (this.seen.has(toHex(nonceC))) throw peerError('DUPLICATE_TOKEN', 'HELLO replayed');
    this.seen.set(toHex(nonceC), time + skew);
    const nonceS = this.#random(32);
    const reply = concatBytes(Uint8Array.of(REPLY), nonceS, this.#proof('a', hello, nonceS));
    this.#finish(nonceC, nonceS, new TextDecoder().decode(hello.subarray(3, 3 + n)));
    return reply;
  }

  #onReply(reply: Uint8Array): void {
    if (reply[0] !== REPLY || reply.length !== 65) throw peerError('DEFECTIVE_TOKEN', 'bad REPLY');
    const nonceS = reply.subarray(1, 33);
    if (!constantTimeEqual(this.#proof('a', this.#hello!, nonceS), reply.subarray(33)))
      throw peerError('BAD_SIGNATURE', 'the acceptor does not hold the key');
    this.#finish(this.#nonce!, nonceS.slice(), this.ctx.target ?? 'psk-acceptor');
  }

  info(): ContextInfo {
    if (this.#state !== 'done') throw gssError('INVALID_STATE', `psk: info() in state ${this.#state}`);
    return {
      mechanism: 'psk',
      mechanismOid: PSK_OID,
      flags: GRANTED,
      peerName: this.#peer,
      localName: this.o.name,
    };
  }

  /** Header: kind (1) and sequence number (8, big-endian); the AEAD nonce is 4 zeros + it. */
  #protect(kind: number, message: Uint8Array): Uint8Array {
    const keys = this.#ready();
    const header = new Uint8Array(9);
    header[0] = kind;
    new DataView(header.buffer).setBigUint64(1, this.#seq.send++);
    const aead = chacha20poly1305(
      keys.send,
      concatBytes(new Uint8Array(4), header.subarray(1)),
      kind === SEAL ? header : concatBytes(header, message),
    );
    return concatBytes(
      header,
      kind === WRAP ? message : new Uint8Array(0),
      aead.encrypt(kind === SEAL ? message : new Uint8Array(0)),
    );
  }

  #check(kinds: number[], token: Uint8Array, message?: Uint8Array): { kind: number; message: Uint8Array } {
    const keys = this.#ready();
    if (token.length < 25 || !kinds.includes(token[0]!))
      throw peerError('DEFECTIVE_TOKEN', 'bad per-message token');
    const kind = token[0]!;
    const header = token.subarray(0, 9);
    const seq = new DataView(token.buffer, token.byteOffset).getBigUint64(1);
    const body = token.subarray(9, token.length - 16);
    const text = kind === WRAP ? body : (message ?? new Uint8Array(0));
    const aead = chacha20poly1305(
      keys.receive,
      concatBytes(new Uint8Array(4), token.subarray(1, 9)),
      kind === SEAL ? header : concatBytes(header, text),
    );
    let plain: Uint8Array;
    try {
      plain = aead.decrypt(kind === SEAL ? token.subarray(9) : token.subarray(token.length - 16));
    } catch {
      throw peerError('BAD_SIGNATURE', 'per-message token does not verify');
    }
    // Order is checked only after the token proved genuine, so forgeries change nothing.
    if (seq !== this.#seq.receive)
      throw peerError(seq < this.#seq.receive ? 'DUPLICATE_TOKEN' : 'GAP_TOKEN', `token ${seq} out of order`);
    this.#seq.receive++;
    return { kind, message: kind === SEAL ? plain : text.slice() };
  }

  #ready(): { send: Uint8Array; receive: Uint8Array } {
    if (this.#state !== 'done' || !this.#keys)
      throw gssError('INVALID_STATE', `psk: context is ${this.#state}`);
    return this.#keys;
  }

  async wrap(message: Uint8Array, options: { confidential?: boolean } = {}) {
    return this.#protect(options.confidential === false ? WRAP : SEAL, message);
  }
  async unwrap(token: Uint8Array) {
    const { kind, message } = this.#check([WRAP, SEAL], token);
    return { message, confidential: kind === SEAL, qop: 0 };
  }
  async getMic(message: Uint8Array) {
    return this.#protect(MIC, message);
  }
  async verifyMic(message: Uint8Array, mic: Uint8Array) {
    this.#ready();
    if (mic.length !== 25) throw peerError('DEFECTIVE_TOKEN', 'bad MIC length');
    this.#check([MIC], mic, message);
  }

  dispose(): void {
    wipe(this.#keys?.send, this.#keys?.receive, this.#nonce);
    this.#keys = undefined;
    this.#state = 'disposed';
  }
}
