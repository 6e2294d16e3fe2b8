/**
 * The channel-binding hash of the Kerberos authenticator checksum (RFC 4121 §4.1.1.2): the
 * MD5 of the RFC 2744 §3.11 bindings, shared with NTLM (src/crypto/channel-bindings.ts).
 */
import { constantTimeEqual } from '../../../core/bytes.ts';
import type { ChannelBindings } from '../../../core/mechanism.ts';
import { BINDINGS_HASH_SIZE, channelBindingsHash } from '../../../crypto/channel-bindings.ts';

export { BINDINGS_HASH_SIZE, channelBindingsHash } from '../../../crypto/channel-bindings.ts';

const NO_BINDINGS = new Uint8Array(BINDINGS_HASH_SIZE);

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
