/**
 * 4-byte little-endian length prefix, then the body: what the Microsoft SSPI / WinSock
 * samples put on the wire. Their `SendMsg(s, buf, n)` sends the DWORD `n` in host byte
 * order (little-endian on every Windows target) then the body, and when `n == 0` sends
 * NOTHING and returns success. `ReceiveMsg` reads exactly 4 bytes then `cbData` bytes.
 *
 * So this codec reports `sendsEmpty: false`: `frameChannel().send()` writes nothing for an
 * empty body (as SendMsg does), and the engine must not wait for an empty token from such
 * a peer. `encode()` itself still produces a 4-byte zero header if asked, and the decoder
 * delivers a zero-length frame if a (non-Microsoft) peer sends one.
 */
import type { Frame, FrameCodec, FrameDecoder, FrameDecoderOptions } from '../channel.ts';
import {
  LengthPrefixDecoder,
  checkBodyLength,
  checkMaxFrameSize,
  checkNoFlags,
  readU32le,
  writeU32le,
} from './length-prefix.ts';
import type { CodecOptions } from './u32be.ts';

class U32leDecoder extends LengthPrefixDecoder {
  protected headerSize(): number {
    return 4;
  }
  protected bodyLength(b: Uint8Array, at: number): number {
    return readU32le(b, at);
  }
  protected flagsOf(): number {
    return 0;
  }
}

function encodeU32le(frame: Frame): Uint8Array {
  checkNoFlags('u32le', frame);
  const length = frame.body.length;
  checkBodyLength('u32le', length);
  const out = new Uint8Array(4 + length);
  writeU32le(out, 0, length);
  out.set(frame.body, 4);
  return out;
}

/** The Microsoft samples' framing: 4-byte little-endian DWORD length, empty never sent. */
export function u32le(options: CodecOptions = {}): FrameCodec {
  const maxFrameSize = checkMaxFrameSize(options.maxFrameSize);
  return {
    name: 'u32le',
    hasFlags: false,
    sendsEmpty: false,
    encode: encodeU32le,
    createDecoder: (decoderOptions?: FrameDecoderOptions): FrameDecoder =>
      new U32leDecoder({ maxFrameSize: decoderOptions?.maxFrameSize ?? maxFrameSize }),
  };
}
