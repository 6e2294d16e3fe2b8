/**
 * Frame codecs: how tokens and wrapped messages are cut into frames on a byte stream.
 * Each codec is made by a factory taking `{ maxFrameSize }` (the default of the decoders
 * it creates; `createDecoder({ maxFrameSize })` overrides it per decoder).
 *
 * | codec          | header                          | empty body      |
 * |----------------|---------------------------------|-----------------|
 * | `u32be()`      | 4-byte BE length                | sent            |
 * | `u32le()`      | 4-byte LE length (MS samples)   | never sent      |
 * | `gssSample()`  | flag byte (if ≠ 0) + 4-byte BE  | sent            |
 * | `sasl()`       | 4-byte BE length, sizes bounded | sent            |
 */
import { gssError } from '../../core/errors.ts';
import type { FrameCodec } from '../channel.ts';
import { gssSample } from './gss-sample.ts';
import { sasl } from './sasl.ts';
import { type CodecOptions, u32be } from './u32be.ts';
import { u32le } from './u32le.ts';

export { GssSampleFlags, gssSample } from './gss-sample.ts';
export { DEFAULT_MAX_FRAME_SIZE, LengthPrefixDecoder } from './length-prefix.ts';
export { SASL_MAX_BUFFER_SIZE, type SaslCodecOptions, sasl } from './sasl.ts';
export { type CodecOptions, u32be } from './u32be.ts';
export { u32le } from './u32le.ts';

/** Names accepted by `codecByName` (and the CLI's `--framing`). */
export const CODEC_NAMES = ['u32be', 'u32le', 'gss-sample', 'sasl'] as const;
export type CodecName = (typeof CODEC_NAMES)[number];

/** The codec called `name` (see CODEC_NAMES); INVALID_ARGUMENT for an unknown name. */
export function codecByName(name: string, options: CodecOptions = {}): FrameCodec {
  switch (name) {
    case 'u32be':
      return u32be(options);
    case 'u32le':
      return u32le(options);
    case 'gss-sample':
      return gssSample(options);
    case 'sasl':
      return sasl(options);
    default:
      throw gssError('INVALID_ARGUMENT', `unknown framing '${name}'; known: ${CODEC_NAMES.join(', ')}`);
  }
}
