/**
 * Bounded big-endian reader and growable writer for the MIT file formats (keytab, ccache).
 * Every read checks the remaining length first, so a corrupt length never allocates or
 * reads past the end; failures are GssockError MALFORMED with the caller's path.
 */
import { type ErrorOrigin, gssError } from '../../../core/errors.ts';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export class BinaryReader {
  private readonly view: DataView;
  offset = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly origin: ErrorOrigin = 'local',
    readonly littleEndian = false,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  fail(path: string, message: string): never {
    throw gssError('MALFORMED', `${path}: ${message}`, {
      origin: this.origin,
      details: { path, offset: this.offset },
    });
  }

  need(n: number, path: string): void {
    if (n > this.remaining) this.fail(path, `needs ${n} bytes, ${this.remaining} left`);
  }

  u8(path: string): number {
    this.need(1, path);
    return this.view.getUint8(this.offset++);
  }

  u16(path: string): number {
    this.need(2, path);
    const v = this.view.getUint16(this.offset, this.littleEndian);
    this.offset += 2;
    return v;
  }

  u32(path: string): number {
    this.need(4, path);
    const v = this.view.getUint32(this.offset, this.littleEndian);
    this.offset += 4;
    return v;
  }

  i32(path: string): number {
    this.need(4, path);
    const v = this.view.getInt32(this.offset, this.littleEndian);
    this.offset += 4;
    return v;
  }

  /** `n` bytes as a copy (so key material can be wiped independently of the file). */
  bytesCopy(n: number, path: string): Uint8Array {
    this.need(n, path);
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  skip(n: number, path: string): void {
    this.need(n, path);
    this.offset += n;
  }

  utf8(n: number, path: string): string {
    this.need(n, path);
    try {
      const s = utf8Strict.decode(this.bytes.subarray(this.offset, this.offset + n));
      this.offset += n;
      return s;
    } catch (e) {
      return this.fail(path, `not valid UTF-8 (${e instanceof Error ? e.message : 'decode error'})`);
    }
  }
}

export class BinaryWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, v);
    this.length += 2;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
    return this;
  }

  i32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.length, v);
    this.length += 4;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Patches a big-endian int32 already written at `at`. */
  setI32(at: number, v: number): void {
    this.view.setInt32(at, v);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export const utf8Bytes = (s: string): Uint8Array => encoder.encode(s);
