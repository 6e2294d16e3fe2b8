/**
 * MsvAvChannelBindings (MS-NLMP §2.2.2.1): the MD5 of the RFC 2744 §3.11 bindings, the same
 * hash the Kerberos checksum carries (src/crypto/channel-bindings.ts).
 */
export { channelBindingsHash } from '../../crypto/channel-bindings.ts';
