/**
 * Byte-level helpers for NTLM messages (MS-NLMP §2.2): little-endian integers, the
 * 8-byte "fields" descriptors (Len, MaxLen, BufferOffset) that point into a message's
 * payload, UTF-16LE and OEM strings, and the typed MALFORMED error every parser throws.
 *
 * Bounded parsing: every descriptor is checked against the message length before any
 * slice, and messages longer than MAX_MESSAGE_SIZE are refused before they are read.
 */
import { gssError, type GssockError } from '../../core/errors.ts';

/** Largest NTLM handshake message accepted (Windows' cbMaxToken for NTLM is 2888 bytes). */
export const MAX_MESSAGE_SIZE = 64 * 1024;

/** 'NTLMSSP\0' (MS-NLMP §2.2.1). */
export const SIGNATURE = Uint8Array.of(0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00);

/** A malformed message from the peer. */
export function malformed(what: string): GssockError {
  return gssError('MALFORMED', `malformed NTLM ${what}`, { origin: 'peer' });
}

export function u16(b: Uint8Array, offset: number): number {
  return b[offset]! | (b[offset + 1]! << 8);
}

export function u32(b: Uint8Array, offset: number): number {
  return (b[offset]! | (b[offset + 1]! << 8) | (b[offset + 2]! << 16) | (b[offset + 3]! << 24)) >>> 0;
}

export function putU16(b: Uint8Array, offset: number, v: number): void {
  b[offset] = v & 0xff;
  b[offset + 1] = (v >>> 8) & 0xff;
}

export function putU32(b: Uint8Array, offset: number, v: number): void {
  putU16(b, offset, v & 0xffff);
  putU16(b, offset + 2, (v >>> 16) & 0xffff);
}

export function u32le(v: number): Uint8Array {
  const out = new Uint8Array(4);
  putU32(out, 0, v);
  return out;
}

/** UTF-16LE, as every Unicode string in NTLM is (MS-NLMP §2.2 "NTLMSSP_NEGOTIATE_UNICODE"). */
export function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) putU16(out, i * 2, s.charCodeAt(i));
  return out;
}

export function fromUtf16le(b: Uint8Array, what = 'string'): string {
  if (b.length % 2 !== 0) throw malformed(`${what} (odd UTF-16 length)`);
  let s = '';
  for (let i = 0; i < b.length; i += 2) s += String.fromCharCode(u16(b, i));
  return s;
}

/** OEM strings: we only ever emit and accept the ASCII subset. */
export function fromOem(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

export function oem(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/**
 * Reads the fields descriptor at `at` and returns the payload bytes it names (a view).
 * `minOffset` is the end of the fixed header: a descriptor may not point into it.
 */
export function readField(msg: Uint8Array, at: number, minOffset: number, what: string): Uint8Array {
  if (at + 8 > msg.length) throw malformed(`${what} descriptor (message too short)`);
  const len = u16(msg, at);
  const offset = u32(msg, at + 4);
  if (len === 0) return new Uint8Array(0);
  if (offset < minOffset || offset > msg.length || len > msg.length - offset) {
    throw malformed(`${what} (offset ${offset}, length ${len}, message ${msg.length} bytes)`);
  }
  return msg.subarray(offset, offset + len);
}

/** Checks size, signature and message type; returns the message type's header view. */
export function checkHeader(msg: Uint8Array, type: number, minLength: number, what: string): void {
  if (!(msg instanceof Uint8Array)) throw gssError('INVALID_ARGUMENT', `${what} must be a Uint8Array`);
  if (msg.length > MAX_MESSAGE_SIZE)
    throw gssError('LIMIT_EXCEEDED', `${what} of ${msg.length} bytes exceeds ${MAX_MESSAGE_SIZE}`, {
      origin: 'peer',
    });
  if (msg.length < minLength) throw malformed(`${what} (${msg.length} bytes)`);
  for (let i = 0; i < 8; i++) if (msg[i] !== SIGNATURE[i]) throw malformed(`${what} (no NTLMSSP signature)`);
  const got = u32(msg, 8);
  if (got !== type)
    throw gssError('DEFECTIVE_TOKEN', `expected NTLM ${what}, got message type ${got}`, { origin: 'peer' });
}

/** Lays out a message: fixed header of `headerLength` bytes, then payload fields in order. */
export class MessageWriter {
  readonly #header: Uint8Array;
  readonly #payload: Uint8Array[] = [];
  #offset: number;

  constructor(type: number, headerLength: number) {
    this.#header = new Uint8Array(headerLength);
    this.#header.set(SIGNATURE);
    putU32(this.#header, 8, type);
    this.#offset = headerLength;
  }

  get header(): Uint8Array {
    return this.#header;
  }

  /** Writes a fields descriptor at `at` for `data`, appended to the payload. */
  field(at: number, data: Uint8Array): void {
    if (data.length > 0xffff)
      throw gssError('INVALID_ARGUMENT', 'NTLM payload field longer than 65535 bytes');
    putU16(this.#header, at, data.length);
    putU16(this.#header, at + 2, data.length);
    putU32(this.#header, at + 4, this.#offset);
    this.#payload.push(data);
    this.#offset += data.length;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#offset);
    out.set(this.#header);
    let at = this.#header.length;
    for (const p of this.#payload) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
