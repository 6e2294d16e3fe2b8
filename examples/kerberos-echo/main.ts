/**
 * The README's library example: a Kerberos service and client that authenticate each other
 * over a real loopback socket, then exchange sealed messages. It needs no KDC install: the
 * realm comes from gssock's in-process KDC (createTestRealm). Swap in `kerberos({ keytab })`
 * and `kerberos({ ccache })` with your own files for a real realm.
 *
 * Run: node --import tsx examples/kerberos-echo/main.ts | deno run -A examples/kerberos-echo/main.ts
 *      | bun examples/kerberos-echo/main.ts
 */
import { accept, Flags, frameChannel, initiate, u32be } from '../../src/index.ts';
import { kerberos } from '../../src/providers/kerberos/index.ts';
import { createTestRealm } from '../../src/testing/kerberos.ts';
import { connect, listen } from '../../src/transport/adapters/auto.ts';

export async function runKerberosEcho(log: (line: string) => void = console.log): Promise<string> {
  const realm = await createTestRealm(); // alice's password, host/localhost's keytab, a KDC
  const service = kerberos({ keytab: realm.service.keytab });
  const listener = await listen({ host: '127.0.0.1', port: 0 }, async (stream) => {
    const session = await accept({ mechanism: service, channel: frameChannel(stream, u32be()) });
    log(`service: authenticated ${session.info.peerName}`);
    for await (const message of session) {
      await session.send(new TextEncoder().encode(`echo: ${new TextDecoder().decode(message)}`));
    }
  });
  try {
    const client = kerberos({ ccache: realm.user.ccache, kdc: realm.clientOptions() });
    const stream = await connect({ host: '127.0.0.1', port: listener.port });
    // Asking for MUTUAL means requiring it: no AP-REP from the service, no session.
    const session = await initiate({
      mechanism: client,
      channel: frameChannel(stream, u32be()),
      target: realm.service.target, // an SPN (host/localhost) or host@localhost
      flags: Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE | Flags.CONF | Flags.INTEG,
    });
    log(`client: the service proved it is ${session.info.peerName}`);
    await session.send(new TextEncoder().encode('hello'));
    const reply = new TextDecoder().decode((await session.receive()) ?? new Uint8Array());
    log(`client: ${reply}`);
    await session.close();
    return reply;
  } finally {
    await listener.close();
    await realm.stop();
  }
}

const isMain = (import.meta as { main?: boolean }).main ?? process.argv[1]?.endsWith('main.ts');
if (isMain) await runKerberosEcho();
