/**
 * The channel-binding hash of the Kerberos authenticator checksum (RFC 4121 §4.1.1.2,
 * RFC 2744 §3.11): MD5 over the bindings laid out as
 *
 *   initiator_addrtype (4, LE) | initiator_address length (4, LE) | initiator_address |
 *   acceptor_addrtype (4, LE)  | acceptor_address length (4, LE)  | acceptor_address  |
 *   application_data length (4, LE) | application_data
 *
 * (little-endian, as MIT's kg_checksum_channel_bindings writes it), or 16 zero bytes when
 * the application gives no bindings.
 */
import { concatBytes, constantTimeEqual } from '../../../core/bytes.ts';
import type { ChannelBindings } from '../../../core/mechanism.ts';
import { digest } from '../../../crypto/hash.ts';

export const BINDINGS_HASH_SIZE = 16;
const NO_BINDINGS = new Uint8Array(BINDINGS_HASH_SIZE);

function le32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

/** The 16-byte Bnd field for `bindings` (zeros when undefined). */
export function channelBindingsHash(bindings: ChannelBindings | undefined): Uint8Array {
  if (!bindings) return NO_BINDINGS.slice();
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

/** True when the initiator sent no bindings (all-zero Bnd). */
export function isNullBindingsHash(bnd: Uint8Array): boolean {
  return constantTimeEqual(bnd, NO_BINDINGS);
}

/**
 * The acceptor's check, as MIT does it (accept_sec_context.c process_checksum): with no
 * acceptor bindings anything goes; with bindings, an initiator that sent a non-zero hash
 * must match. An all-zero hash from the initiator is accepted unless `require` is set
 * (MIT accepts it for compatibility with applications that bind nothing).
 */
export function checkChannelBindings(
  bnd: Uint8Array,
  acceptorBindings: ChannelBindings | undefined,
  require = false,
): 'unbound' | 'bound' | 'mismatch' {
  if (!acceptorBindings) return 'unbound';
  if (isNullBindingsHash(bnd)) return require ? 'mismatch' : 'unbound';
  return constantTimeEqual(bnd, channelBindingsHash(acceptorBindings)) ? 'bound' : 'mismatch';
}
