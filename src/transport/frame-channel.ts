/**
 * `frameChannel(stream, codec)`: a ByteStream and a FrameCodec joined into whole frames.
 *
 * - `receive()` reads chunks into the codec's decoder until a frame is whole. It resolves
 *   `null` at a clean end of stream between frames and rejects with TruncatedStreamError
 *   when the stream ends inside one. Concurrent `receive()` calls are SERIALIZED: each
 *   waits for the one before, so frames come out in order, one per call.
 * - Errors are sticky: after a decoder error (FrameTooLargeError, ...) or a stream error,
 *   every later `receive()` rejects with the same error; after `null`, it stays `null`.
 * - `send()` encodes header and body into one buffer and makes ONE `stream.write()` (no
 *   Nagle stall between a header and its body). For a codec with `sendsEmpty: false`
 *   (u32le, the Microsoft samples' SendMsg) an empty body is silently not sent.
 *   Sends are written in call order (adapters keep write order).
 * - `close()` closes the stream, is idempotent, and makes later `send()`/`receive()`
 *   reject with CONNECTION_CLOSED (origin local).
 * - Frames received are views into the stream's chunks (zero copy); the adapters hand
 *   out fresh chunks, never reused buffers, so frames stay valid after later receives.
 */
import { type GssockError, gssError, toGssockError } from '../core/errors.ts';
import type {
  ByteStream,
  Frame,
  FrameChannel,
  FrameCodec,
  FrameDecoder,
  FrameDecoderOptions,
} from './channel.ts';

export interface FrameChannelOptions extends FrameDecoderOptions {}

class StreamFrameChannel implements FrameChannel {
  readonly codec: FrameCodec;
  private readonly stream: ByteStream;
  private readonly decoder: FrameDecoder;
  private tail: Promise<unknown> = Promise.resolve();
  private error: GssockError | null = null;
  private ended = false;
  private closing: Promise<void> | null = null;

  constructor(stream: ByteStream, codec: FrameCodec, options: FrameChannelOptions) {
    this.stream = stream;
    this.codec = codec;
    this.decoder = codec.createDecoder(options);
  }

  get remoteAddress(): string | undefined {
    return this.stream.remoteAddress;
  }

  async send(frame: Frame): Promise<void> {
    if (this.closing) throw closedLocally('send');
    if (frame.body.length === 0 && !this.codec.sendsEmpty) return;
    const bytes = this.codec.encode(frame);
    try {
      await this.stream.write(bytes);
    } catch (e) {
      throw toGssockError(e, 'IO_ERROR');
    }
  }

  receive(): Promise<Frame | null> {
    const result = this.tail.then(
      () => this.receiveOne(),
      () => this.receiveOne(),
    );
    this.tail = result.catch(() => undefined);
    return result;
  }

  close(): Promise<void> {
    this.closing ??= this.stream.close().catch(() => undefined);
    return this.closing;
  }

  private async receiveOne(): Promise<Frame | null> {
    for (;;) {
      if (this.closing) throw closedLocally('receive');
      if (this.error) throw this.error;
      let frame: Frame | undefined;
      try {
        frame = this.decoder.next();
      } catch (e) {
        throw this.fail(e);
      }
      if (frame) return frame;
      if (this.ended) return null;
      let chunk: Uint8Array | null;
      try {
        chunk = await this.stream.read();
      } catch (e) {
        if (this.closing) throw closedLocally('receive');
        throw this.fail(e, 'IO_ERROR');
      }
      if (this.closing) throw closedLocally('receive');
      try {
        if (chunk === null) {
          this.ended = true;
          this.decoder.finish();
          return null;
        }
        this.decoder.push(chunk);
      } catch (e) {
        throw this.fail(e);
      }
    }
  }

  private fail(e: unknown, code: 'IO_ERROR' | 'PROTOCOL_ERROR' = 'PROTOCOL_ERROR'): GssockError {
    this.error = toGssockError(e, code, code === 'PROTOCOL_ERROR' ? 'peer' : 'local');
    return this.error;
  }
}

function closedLocally(op: string): GssockError {
  return gssError('CONNECTION_CLOSED', `${op}() on a frame channel that was closed`);
}

/** Joins a byte stream and a frame codec into a FrameChannel. */
export function frameChannel(
  stream: ByteStream,
  codec: FrameCodec,
  options: FrameChannelOptions = {},
): FrameChannel {
  return new StreamFrameChannel(stream, codec, options);
}
