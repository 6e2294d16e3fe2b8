/**
 * The MIT krb5 gss-sample protocol (src/appl/gss-sample/gss-misc.c): one flag byte, then
 * a 4-byte big-endian length, then the body.
 *
 * - `send_token` writes the flag byte only if it is non-zero; a frame with flags 0 is a
 *   bare `[u32 BE length][body]` (the `-v1` shape).
 * - `recv_token` always reads one byte; if it is 0 it takes it as the top byte of the
 *   length and reads 3 more (its v1 compatibility trick). This decoder does the same:
 *   a first byte of 0 means a length-only frame with `flags: 0`. The trick only works
 *   for bodies under 16 MiB (a longer v1 length has a non-zero top byte, which would be
 *   read as flags), so `encode()` refuses a flags-0 body of 16 MiB or more.
 */
import type { Frame, FrameCodec, FrameDecoder, FrameDecoderOptions } from '../channel.ts';
import {
  LengthPrefixDecoder,
  checkBodyLength,
  checkMaxFrameSize,
  readU32be,
  writeU32be,
} from './length-prefix.ts';
import { gssError } from '../../core/errors.ts';
import type { CodecOptions } from './u32be.ts';

/** The flag bits of gss-misc.h (TOKEN_*). */
export const GssSampleFlags = {
  NOOP: 0x01,
  CONTEXT: 0x02,
  DATA: 0x04,
  MIC: 0x08,
  CONTEXT_NEXT: 0x10,
  WRAPPED: 0x20,
  ENCRYPTED: 0x40,
  SEND_MIC: 0x80,
} as const;

/** Largest body a flags-0 (v1) frame can carry and still be read back by recv_token. */
const V1_MAX_BODY = 0xffffff;

class GssSampleDecoder extends LengthPrefixDecoder {
  protected headerSize(firstByte: number): number {
    return firstByte === 0 ? 4 : 5;
  }
  protected bodyLength(b: Uint8Array, at: number): number {
    // With a 0 first byte that byte IS the length's top byte, so both cases read 4 bytes.
    return b[at] === 0 ? readU32be(b, at) : readU32be(b, at + 1);
  }
  protected flagsOf(b: Uint8Array, at: number): number {
    return b[at]!;
  }
}

function encodeGssSample(frame: Frame): Uint8Array {
  const { flags, body } = frame;
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xff)
    throw gssError('INVALID_ARGUMENT', `gss-sample flags must be one byte, got ${flags}`);
  const length = body.length;
  if (flags === 0) {
    checkBodyLength('gss-sample flags-0 (v1)', length, V1_MAX_BODY);
    const out = new Uint8Array(4 + length);
    writeU32be(out, 0, length);
    out.set(body, 4);
    return out;
  }
  checkBodyLength('gss-sample', length);
  const out = new Uint8Array(5 + length);
  out[0] = flags;
  writeU32be(out, 1, length);
  out.set(body, 5);
  return out;
}

/** The MIT gss-sample framing: flag byte (omitted when 0) + 4-byte BE length. */
export function gssSample(options: CodecOptions = {}): FrameCodec {
  const maxFrameSize = checkMaxFrameSize(options.maxFrameSize);
  return {
    name: 'gss-sample',
    hasFlags: true,
    sendsEmpty: true,
    encode: encodeGssSample,
    createDecoder: (decoderOptions?: FrameDecoderOptions): FrameDecoder =>
      new GssSampleDecoder({ maxFrameSize: decoderOptions?.maxFrameSize ?? maxFrameSize }),
  };
}
