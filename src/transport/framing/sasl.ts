/**
 * SASL security-layer buffers (RFC 4422 §3.7, RFC 4752 §3.3, as LDAP uses them): after
 * the GSSAPI negotiation each protected buffer travels as a 4-octet big-endian length
 * and the wrap token. Each side announced, in the negotiation's 3-octet max-size field,
 * the largest buffer it can receive; a receiver that gets a larger one closes the
 * connection (RFC 4422 §3.7).
 *
 * So the decoder's `maxFrameSize` must be the size WE announced (default: the largest a
 * 3-octet field can hold, 2^24 - 1), and `maxSendSize` the size the PEER announced:
 * `encode()` refuses a bigger buffer rather than send one the peer must reject.
 */
import type { Frame, FrameCodec, FrameDecoder, FrameDecoderOptions } from '../channel.ts';
import { gssError } from '../../core/errors.ts';
import { checkMaxFrameSize } from './length-prefix.ts';
import { U32beDecoder, encodeU32be } from './u32be.ts';

/** RFC 4752 §3.1: the max buffer size is 3 octets, so at most 2^24 - 1. */
export const SASL_MAX_BUFFER_SIZE = 0xffffff;

export interface SaslCodecOptions {
  /** The max buffer size we announced to the peer (what we accept). Default 2^24 - 1. */
  maxFrameSize?: number;
  /** The max buffer size the peer announced (what we may send). Default 2^24 - 1. */
  maxSendSize?: number;
}

/** The SASL security-layer framing: 4-byte BE length, sizes bounded both ways. */
export function sasl(options: SaslCodecOptions = {}): FrameCodec {
  const maxFrameSize = checkMaxFrameSize(options.maxFrameSize, SASL_MAX_BUFFER_SIZE);
  const maxSendSize = checkMaxFrameSize(options.maxSendSize, SASL_MAX_BUFFER_SIZE);
  return {
    name: 'sasl',
    hasFlags: false,
    sendsEmpty: true,
    encode(frame: Frame): Uint8Array {
      if (frame.body.length > maxSendSize)
        throw gssError(
          'LIMIT_EXCEEDED',
          `SASL buffer of ${frame.body.length} bytes exceeds the peer's max buffer size ${maxSendSize}`,
        );
      return encodeU32be('sasl', frame);
    },
    createDecoder: (decoderOptions?: FrameDecoderOptions): FrameDecoder =>
      new U32beDecoder({ maxFrameSize: decoderOptions?.maxFrameSize ?? maxFrameSize }),
  };
}
