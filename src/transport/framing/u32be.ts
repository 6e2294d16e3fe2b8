/**
 * 4-byte big-endian length prefix, then the body: the common case. This is the MIT
 * gss-sample `-v1` wire shape and what the Microsoft Platform SDK GSS sample speaks
 * (MIT README); an empty body is sent as a zero length.
 */
import type { Frame, FrameCodec, FrameDecoder, FrameDecoderOptions } from '../channel.ts';
import {
  LengthPrefixDecoder,
  checkBodyLength,
  checkMaxFrameSize,
  checkNoFlags,
  readU32be,
  writeU32be,
} from './length-prefix.ts';

/** Options shared by every codec factory. */
export interface CodecOptions {
  /** Default `maxFrameSize` of the decoders this codec creates (1 MiB unless said). */
  maxFrameSize?: number;
}

class U32beDecoder extends LengthPrefixDecoder {
  protected headerSize(): number {
    return 4;
  }
  protected bodyLength(b: Uint8Array, at: number): number {
    return readU32be(b, at);
  }
  protected flagsOf(): number {
    return 0;
  }
}

/** Encodes a frame as `[u32 BE length][body]` into one buffer. */
export function encodeU32be(name: string, frame: Frame): Uint8Array {
  checkNoFlags(name, frame);
  const length = frame.body.length;
  checkBodyLength(name, length);
  const out = new Uint8Array(4 + length);
  writeU32be(out, 0, length);
  out.set(frame.body, 4);
  return out;
}

/** The 4-byte big-endian length-prefix framing. */
export function u32be(options: CodecOptions = {}): FrameCodec {
  const maxFrameSize = checkMaxFrameSize(options.maxFrameSize);
  return {
    name: 'u32be',
    hasFlags: false,
    sendsEmpty: true,
    encode: (frame) => encodeU32be('u32be', frame),
    createDecoder: (decoderOptions?: FrameDecoderOptions): FrameDecoder =>
      new U32beDecoder({ maxFrameSize: decoderOptions?.maxFrameSize ?? maxFrameSize }),
  };
}

export { U32beDecoder };
