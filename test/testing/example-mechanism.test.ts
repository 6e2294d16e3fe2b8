/**
 * The example mechanism from examples/psk-mechanism (written from docs/PROVIDERS.md) passes
 * the whole kit, and its echo server and client talk over a real loopback socket on
 * whichever runtime runs this file (node --test, deno test, bun test).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { echo } from '../../examples/psk-mechanism/client.ts';
import { startEchoServer } from '../../examples/psk-mechanism/server.ts';
import { isGssockError } from '../../src/core/errors.ts';
import { defineConformanceSuite } from '../../src/testing/index.ts';
import { KEY, OTHER_KEY, pskOptions } from './support.ts';

defineConformanceSuite(pskOptions(), { describe, it });

describe('psk example over a real socket', () => {
  it('authenticates both ways and echoes messages', async () => {
    const clients: string[] = [];
    const server = await startEchoServer({ key: KEY, onClient: (name) => clients.push(name) });
    try {
      const replies = await echo({ key: KEY, port: server.port, lines: ['hello', 'second line'] });
      assert.deepEqual(replies, ['HELLO', 'SECOND LINE']);
      assert.deepEqual(clients, ['alice']);
    } finally {
      await server.close();
    }
  });

  it('refuses a client with the wrong key, typed', async () => {
    const server = await startEchoServer({ key: KEY });
    try {
      await assert.rejects(echo({ key: OTHER_KEY, port: server.port, lines: ['hello'] }), (e: unknown) =>
        isGssockError(e),
      );
    } finally {
      await server.close();
    }
  });
});
