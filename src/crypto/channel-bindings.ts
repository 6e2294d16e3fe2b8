/**
 * The MD5 of RFC 2744 §3.11 channel bindings, as both Kerberos (RFC 4121 §4.1.1.2, the Bnd
 * field of the 0x8003 checksum; MIT's kg_checksum_channel_bindings) and NTLM (MS-NLMP
 * §2.2.2.1 MsvAvChannelBindings; Windows and gss-ntlmssp) hash them:
 *
 *   initiator_addrtype (4, LE) | initiator_address length (4, LE) | initiator_address |
 *   acceptor_addrtype (4, LE)  | acceptor_address length (4, LE)  | acceptor_address  |
 *   application_data length (4, LE) | application_data
 *
 * Sixteen zero bytes when the application gives no bindings.
 */
import { concatBytes } from '../core/bytes.ts';
import type { ChannelBindings } from '../core/mechanism.ts';
import { digest } from './hash.ts';

export const BINDINGS_HASH_SIZE = 16;

function le32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

/** The 16-byte hash of `bindings` (zeros when undefined). */
export function channelBindingsHash(bindings: ChannelBindings | undefined): Uint8Array {
  if (!bindings) return new Uint8Array(BINDINGS_HASH_SIZE);
  const empty = new Uint8Array(0);
  const ia = bindings.initiatorAddress ?? empty;
  const aa = bindings.acceptorAddress ?? empty;
  const app = bindings.application ?? empty;
  return digest(
    'md5',
    concatBytes(
      le32(bindings.initiatorAddressType ?? 0),
      le32(ia.length),
      ia,
      le32(bindings.acceptorAddressType ?? 0),
      le32(aa.length),
      aa,
      le32(app.length),
      app,
    ),
  );
}
