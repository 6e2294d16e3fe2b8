/**
 * MIT krb5's gss-sample application protocol (src/appl/gss-sample), both halves, over
 * any FrameChannel: what `gssock client` and `gssock server` speak, reusable by tests
 * and by applications that must talk to gss-server / gss-client.
 */
export { receiveDeadline, tapChannel, type ChannelTap } from './channel-tools.ts';
export { runSampleClient, type SampleClientOptions, type SampleClientResult } from './client-session.ts';
export { displayCtxFlags, displayStatus, inquireLine, printToken, receivedMessage } from './mit-text.ts';
export { type HandshakeEvent, isTransportError, stageOf } from './protocol-common.ts';
export {
  serveSampleConnection,
  type SampleServerOptions,
  type SampleServerResult,
} from './server-session.ts';
