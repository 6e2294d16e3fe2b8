/**
 * The incremental decoder shared by every length-prefixed framing (u32be, u32le, MIT
 * gss-sample, SASL buffers). Subclasses only say how long a header is and what it holds.
 *
 * Theory of operation
 * 1. `push(chunk)` parses eagerly: every frame whose header and body lie wholly inside the
 *    chunk is queued as a zero-copy `subarray` view of that chunk (no copy, no allocation
 *    but the Frame object).
 * 2. A header split across chunks is gathered byte by byte into a 5-byte scratch buffer.
 * 3. A body split across chunks is assembled into ONE Uint8Array of exactly the announced
 *    size, allocated only after the header was checked against `maxFrameSize`, so a
 *    header announcing 4 GiB throws FrameTooLargeError before anything is allocated.
 * 4. A bad header poisons the decoder: frames queued before it are still handed out by
 *    `next()`, then the error is thrown (by `push` at once if nothing was queued before
 *    it), and every later call throws it again. The peer is misbehaving: drop the stream.
 * 5. `finish()` declares the end of the stream and throws TruncatedStreamError when a
 *    frame was begun and not completed.
 * There is no per-chunk concatenation: a chunk is either sliced into views or its tail
 * is copied once into the pending frame's own buffer.
 */
import { FrameTooLargeError, type GssockError, TruncatedStreamError, gssError } from '../../core/errors.ts';
import type { Frame, FrameDecoder, FrameDecoderOptions } from '../channel.ts';

/**
 * Default largest body a decoder accepts: 1 MiB. Handshake tokens can be big: Windows
 * Kerberos MaxTokenSize defaults to 48000 and tickets with large PACs (many group SIDs)
 * go past 64 KiB, so 64 KiB would be too small; 1 MiB still bounds what a peer can make
 * us allocate per connection. Raise it for bulk data, lower it for SASL (negotiated size).
 */
export const DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;

/** The largest length a 4-byte prefix can carry. */
export const MAX_U32 = 0xffffffff;

/** Validates a user-given maximum frame size (an integer 0 .. 2^32-1). */
export function checkMaxFrameSize(value: number | undefined, fallback = DEFAULT_MAX_FRAME_SIZE): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > MAX_U32)
    throw gssError('INVALID_ARGUMENT', `maxFrameSize must be an integer from 0 to ${MAX_U32}, got ${value}`);
  return value;
}

/** Refuses flags on a codec that cannot carry them: a caller bug, not something to drop silently. */
export function checkNoFlags(codec: string, frame: Frame): void {
  if (frame.flags !== 0)
    throw gssError('INVALID_ARGUMENT', `the ${codec} framing has no flag byte; frame.flags must be 0`);
}

/** Refuses a body a 4-byte length cannot describe. */
export function checkBodyLength(codec: string, length: number, maximum = MAX_U32): void {
  if (length > maximum)
    throw gssError('LIMIT_EXCEEDED', `a ${codec} frame body of ${length} bytes exceeds ${maximum}`);
}

const NO_FRAME: Frame[] = [];

export abstract class LengthPrefixDecoder implements FrameDecoder {
  readonly maxFrameSize: number;
  /** Whole frames waiting for `next()`, taken from index `readyHead`. */
  private ready: Frame[] = NO_FRAME;
  private readyHead = 0;
  /** A header split across chunks. */
  private readonly header = new Uint8Array(8);
  private headerHave = 0;
  /** A body split across chunks, and how much of it has arrived. */
  private body: Uint8Array | null = null;
  private bodyHave = 0;
  private bodyFlags = 0;
  private error: GssockError | null = null;
  private finished = false;

  constructor(options: FrameDecoderOptions = {}, fallbackMax = DEFAULT_MAX_FRAME_SIZE) {
    this.maxFrameSize = checkMaxFrameSize(options.maxFrameSize, fallbackMax);
  }

  /** Header length, known from its first byte (gss-sample: 4 if that byte is 0, else 5). */
  protected abstract headerSize(firstByte: number): number;
  /** Body length announced by a complete header at `at`. */
  protected abstract bodyLength(bytes: Uint8Array, at: number): number;
  /** Flag byte carried by a complete header at `at` (0 if the framing has none). */
  protected abstract flagsOf(bytes: Uint8Array, at: number): number;

  get buffered(): number {
    return this.headerHave + this.bodyHave;
  }

  push(chunk: Uint8Array): void {
    if (this.error) throw this.error;
    if (this.finished) throw gssError('INVALID_STATE', 'push() after finish()');
    const end = chunk.length;
    let pos = 0;
    if (this.body !== null) pos = this.continueBody(chunk, 0);
    if (this.headerHave > 0 && pos < end) pos = this.continueHeader(chunk, pos);
    // The hot loop: whole frames inside this chunk become views.
    while (pos < end && this.error === null) {
      const size = this.headerSize(chunk[pos]!);
      if (end - pos < size) {
        this.header.set(chunk.subarray(pos, end), 0);
        this.headerHave = end - pos;
        break;
      }
      const length = this.bodyLength(chunk, pos);
      const flags = this.flagsOf(chunk, pos);
      if (length > this.maxFrameSize) {
        this.fail(new FrameTooLargeError(length, this.maxFrameSize));
        break;
      }
      pos += size;
      pos = this.startBody(chunk, pos, length, flags);
    }
    if (this.error !== null && this.readyHead >= this.ready.length) throw this.error;
  }

  next(): Frame | undefined {
    if (this.readyHead < this.ready.length) {
      const frame = this.ready[this.readyHead++]!;
      if (this.readyHead === this.ready.length) {
        this.ready = NO_FRAME;
        this.readyHead = 0;
      }
      return frame;
    }
    if (this.error) throw this.error;
    return undefined;
  }

  finish(): void {
    if (this.error) throw this.error;
    this.finished = true;
    if (this.headerHave > 0 || this.body !== null) {
      const expected = this.body === null ? 'a header' : `${this.body.length} body bytes`;
      throw new TruncatedStreamError(
        `the stream ended inside a frame: ${this.buffered} bytes of ${expected} received`,
        { details: { buffered: this.buffered } },
      );
    }
  }

  private queue(frame: Frame): void {
    if (this.ready === NO_FRAME) this.ready = [];
    this.ready.push(frame);
  }

  private fail(error: GssockError): void {
    this.error = error;
    this.headerHave = 0;
    this.body = null;
    this.bodyHave = 0;
  }

  /** Body of `length` starting at `pos`: a view if it fits, else its own buffer. */
  private startBody(chunk: Uint8Array, pos: number, length: number, flags: number): number {
    const available = chunk.length - pos;
    if (available >= length) {
      this.queue({ flags, body: chunk.subarray(pos, pos + length) });
      return pos + length;
    }
    // Allocated only now, after the header passed the maxFrameSize check.
    const body = new Uint8Array(length);
    body.set(chunk.subarray(pos), 0);
    this.body = body;
    this.bodyHave = available;
    this.bodyFlags = flags;
    return chunk.length;
  }

  private continueBody(chunk: Uint8Array, pos: number): number {
    const body = this.body!;
    const take = Math.min(body.length - this.bodyHave, chunk.length - pos);
    body.set(chunk.subarray(pos, pos + take), this.bodyHave);
    this.bodyHave += take;
    if (this.bodyHave === body.length) {
      this.queue({ flags: this.bodyFlags, body });
      this.body = null;
      this.bodyHave = 0;
    }
    return pos + take;
  }

  private continueHeader(chunk: Uint8Array, pos: number): number {
    const header = this.header;
    const size = this.headerSize(header[0]!);
    const take = Math.min(size - this.headerHave, chunk.length - pos);
    header.set(chunk.subarray(pos, pos + take), this.headerHave);
    this.headerHave += take;
    pos += take;
    if (this.headerHave < size) return pos;
    this.headerHave = 0;
    const length = this.bodyLength(header, 0);
    if (length > this.maxFrameSize) {
      this.fail(new FrameTooLargeError(length, this.maxFrameSize));
      return chunk.length;
    }
    return this.startBody(chunk, pos, length, this.flagsOf(header, 0));
  }
}

/** Reads a big-endian u32 without a DataView (no allocation on the hot path). */
export function readU32be(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Reads a little-endian u32 without a DataView. */
export function readU32le(b: Uint8Array, at: number): number {
  return ((b[at + 3]! << 24) | (b[at + 2]! << 16) | (b[at + 1]! << 8) | b[at]!) >>> 0;
}

/** Writes a big-endian u32. */
export function writeU32be(b: Uint8Array, at: number, value: number): void {
  b[at] = value >>> 24;
  b[at + 1] = value >>> 16;
  b[at + 2] = value >>> 8;
  b[at + 3] = value;
}

/** Writes a little-endian u32. */
export function writeU32le(b: Uint8Array, at: number, value: number): void {
  b[at] = value;
  b[at + 1] = value >>> 8;
  b[at + 2] = value >>> 16;
  b[at + 3] = value >>> 24;
}
