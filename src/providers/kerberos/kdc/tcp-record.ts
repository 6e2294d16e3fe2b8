/**
 * RFC 4120 §7.2.2: over TCP each KDC message is preceded by its length as 4 octets in
 * network byte order. The high bit of that length is reserved (must be zero; a set bit
 * would announce an extension we do not speak), so we reject it, and we reject any length
 * above our ceiling before allocating anything.
 */
import { FrameTooLargeError, gssError } from '../../../core/errors.ts';

/** Length prefix + body in one buffer, so the request is one write. */
export function encodeKdcTcpRecord(message: Uint8Array): Uint8Array {
  if (message.length > 0x7fffffff)
    throw gssError('LIMIT_EXCEEDED', 'KDC message too large for a TCP record', { origin: 'local' });
  const out = new Uint8Array(4 + message.length);
  new DataView(out.buffer).setUint32(0, message.length, false);
  out.set(message, 4);
  return out;
}

/**
 * Collects the one reply record of a KDC TCP exchange from chunks of any size.
 * `push` returns the body once it is complete; throws on a reserved bit or oversize length.
 */
export class KdcTcpRecordReader {
  #header = new Uint8Array(4);
  #headerFill = 0;
  #body: Uint8Array | undefined;
  #bodyFill = 0;
  #done = false;
  readonly #maxLength: number;

  constructor(maxLength: number) {
    this.#maxLength = maxLength;
  }

  /** Feeds bytes; returns the complete body once all of it arrived, else undefined.
   *  Bytes after the record are a protocol error (a KDC sends exactly one reply). */
  push(chunk: Uint8Array): Uint8Array | undefined {
    if (this.#done) {
      if (chunk.length === 0) return undefined;
      throw gssError('PROTOCOL_ERROR', 'KDC sent bytes after its reply record', { origin: 'peer' });
    }
    let offset = 0;
    if (this.#body === undefined) {
      const take = Math.min(4 - this.#headerFill, chunk.length);
      this.#header.set(chunk.subarray(0, take), this.#headerFill);
      this.#headerFill += take;
      offset = take;
      if (this.#headerFill < 4) return undefined;
      const length = new DataView(this.#header.buffer).getUint32(0, false);
      if (length & 0x80000000)
        throw gssError('PROTOCOL_ERROR', 'KDC TCP record length has the reserved high bit set', {
          origin: 'peer',
          details: { length },
        });
      if (length > this.#maxLength) throw new FrameTooLargeError(length, this.#maxLength);
      if (length === 0) throw gssError('MALFORMED', 'KDC sent an empty TCP record', { origin: 'peer' });
      this.#body = new Uint8Array(length);
    }
    const body = this.#body;
    const take = Math.min(body.length - this.#bodyFill, chunk.length - offset);
    body.set(chunk.subarray(offset, offset + take), this.#bodyFill);
    this.#bodyFill += take;
    offset += take;
    if (this.#bodyFill < body.length) return undefined;
    this.#done = true;
    if (offset < chunk.length)
      throw gssError('PROTOCOL_ERROR', 'KDC sent bytes after its reply record', { origin: 'peer' });
    return body;
  }

  /** Bytes received so far (header included). */
  get received(): number {
    return this.#headerFill + this.#bodyFill;
  }
}
