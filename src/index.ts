/**
 * gssock: mutual authentication over sockets on Node.js, Deno and Bun.
 *
 * The root entry holds the runtime-free core: the mechanism interface, flags, typed
 * errors, the engine (handshake driver + sessions), frame codecs and the mock mechanism.
 * Runtime adapters (`gssock/node`, `gssock/deno`, `gssock/bun`, `gssock/web-streams`,
 * `gssock/memory`), mechanisms (`gssock/kerberos`, `gssock/mock`), names (`gssock/spn`)
 * and the conformance kit (`gssock/testing`) are subpath exports, so importing this
 * module never loads a runtime module.
 */
export * from './core/bytes.ts';
export * from './core/errors.ts';
export * from './core/flags.ts';
export type * from './core/mechanism.ts';
export { defaultClock, defaultRandom } from './core/random.ts';
export * from './engine/index.ts';
export type * from './transport/channel.ts';
export { type FrameChannelOptions, frameChannel } from './transport/frame-channel.ts';
export * from './transport/framing/index.ts';
export { DEMO_SECRET, MOCK_OID, type MockOptions, mock } from './providers/mock/index.ts';
