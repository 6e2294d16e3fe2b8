/**
 * MsvAvChannelBindings (MS-NLMP §2.2.2.1): MD5 of the gss_channel_bindings_struct
 * (RFC 2744 §3.11) laid out with 32-bit little-endian types and lengths, as Windows and
 * gss-ntlmssp hash it; sixteen zero bytes when the application gave none.
 */
import { concatBytes } from '../../core/bytes.ts';
import type { ChannelBindings } from '../../core/mechanism.ts';
import { digest } from '../../crypto/hash.ts';
import { u32le } from './wire.ts';

export function channelBindingsHash(cb: ChannelBindings | undefined): Uint8Array {
  if (!cb) return new Uint8Array(16);
  const empty = new Uint8Array(0);
  const ia = cb.initiatorAddress ?? empty;
  const aa = cb.acceptorAddress ?? empty;
  const app = cb.application ?? empty;
  return digest(
    'md5',
    concatBytes(
      u32le(cb.initiatorAddressType ?? 0),
      u32le(ia.length),
      ia,
      u32le(cb.acceptorAddressType ?? 0),
      u32le(aa.length),
      aa,
      u32le(app.length),
      app,
    ),
  );
}
