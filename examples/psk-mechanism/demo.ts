/**
 * Server and client in one process, over a real loopback socket:
 *   node --import tsx examples/psk-mechanism/demo.ts
 *   deno run -A examples/psk-mechanism/demo.ts
 *   bun examples/psk-mechanism/demo.ts
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { echo } from './client.ts';
import { startEchoServer } from './server.ts';

// A demo key everyone knows. Real keys come from a secret store, never from source code.
const key = sha256(new TextEncoder().encode('psk example demo key'));

const server = await startEchoServer({
  key,
  onClient: (name) => console.log(`server: authenticated ${name}`),
});
try {
  const replies = await echo({ key, port: server.port, lines: ['hello', 'mutual authentication works'] });
  for (const r of replies) console.log(`client: ${r}`);
} finally {
  await server.close();
}
