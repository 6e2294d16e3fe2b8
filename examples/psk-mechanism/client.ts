/** The echo client: connects, authenticates with psk() (mutual: the default), sends lines. */
import { initiate } from '../../src/engine/initiate.ts';
import { connect } from '../../src/transport/adapters/auto.ts';
import { frameChannel } from '../../src/transport/frame-channel.ts';
import { u32be } from '../../src/transport/framing/u32be.ts';
import { psk } from './psk.ts';

export async function echo(options: { key: Uint8Array; port: number; lines: string[] }): Promise<string[]> {
  const stream = await connect({ host: '127.0.0.1', port: options.port });
  // initiate() requires MUTUAL by default: an acceptor without the key is refused.
  const session = await initiate({
    mechanism: psk({ key: options.key, name: 'alice' }),
    channel: frameChannel(stream, u32be()),
    target: 'echo/server',
  });
  const replies: string[] = [];
  try {
    for (const line of options.lines) {
      await session.send(new TextEncoder().encode(line));
      const reply = await session.receive();
      if (reply === null) break;
      replies.push(new TextDecoder().decode(reply));
    }
  } finally {
    await session.close();
  }
  return replies;
}
