/**
 * Regression test: closing a Deno adapter stream must not leave a timer behind.
 * deno.ts close() raced pending writes against `setTimeout(r, 2000)` and never cleared it,
 * so every close left a 2 s timer (bounded, but a leak the open-handle checks see, and
 * 1,000 closes leave 1,000 timers). Runs on Deno only (the only runtime with that adapter).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handleCounts, sleep } from './support.ts';

const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;

describe('Deno adapter', () => {
  it('close() leaves no timer behind', {
    skip: !isDeno ? 'the Deno adapter runs under deno test' : false,
  }, async () => {
    const { connectDeno, listenDeno } = await import('../../src/transport/adapters/deno.ts');
    const listener = await listenDeno({ port: 0 }, async (stream) => {
      await stream.read();
    });
    const stream = await connectDeno({ host: '127.0.0.1', port: listener.port });
    await stream.write(new Uint8Array([1]));
    const before = handleCounts()!.Timeout!;
    await stream.close();
    await listener.close();
    await sleep(100);
    assert.ok(handleCounts()!.Timeout! <= before, 'a timer outlived close()');
  });
});
