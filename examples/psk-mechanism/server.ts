/**
 * An echo service authenticated with psk(): listens on loopback, accepts each connection
 * with the engine's accept(), and sends every message back upper-cased. Runs unchanged on
 * Node, Deno and Bun (transport/adapters/auto.ts picks the runtime's sockets).
 */
import { accept } from '../../src/engine/initiate.ts';
import { listen } from '../../src/transport/adapters/auto.ts';
import type { Listener } from '../../src/transport/channel.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/u32be.ts';
import { psk } from './psk.ts';

export interface EchoServerOptions {
  key: Uint8Array;
  /** 0 picks a free port (read it from the returned Listener). */
  port?: number;
  /** Told who connected, once each handshake is done. */
  onClient?: (peerName: string) => void;
}

export function startEchoServer(options: EchoServerOptions): Promise<Listener> {
  // One Mechanism for the whole service: its replay cache spans every connection.
  const mechanism = psk({ key: options.key, name: 'echo/server' });
  return listen({ host: '127.0.0.1', port: options.port ?? 0 }, async (stream) => {
    const session = await accept({ mechanism, channel: frameChannel(stream, u32be()) });
    options.onClient?.(session.info.peerName);
    for await (const message of session) {
      await session.send(new TextEncoder().encode(new TextDecoder().decode(message).toUpperCase()));
    }
    await session.close();
  });
}
