/**
 * 200 concurrent clients per mechanism against one serve() server on loopback, with the
 * default limits (256 handshakes at once, so none waits and none is refused): every client
 * authenticates, gets its sealed message echoed, and the server ends with nothing open.
 * The 1,000-client figures: npm run load (scripts/load.mjs), recorded in bench/README.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MECHS, runClients, startLoadServer } from './load-lib.ts';

const CLIENTS = 200;

describe(`load: ${CLIENTS} concurrent clients per mechanism`, () => {
  for (const mech of MECHS) {
    it(`${mech}: ${CLIENTS} clients, 0 failures`, async () => {
      const load = await startLoadServer(mech);
      try {
        const r = await runClients(load.info, CLIENTS, 20_000);
        assert.deepEqual(r.errors, {});
        assert.equal(r.established, CLIENTS);
        assert.equal(r.failures, 0);
        const s = load.server.stats();
        assert.equal(s.established, CLIENTS + 1); // + the warm-up client
        assert.equal(s.handshakeFailures + s.refused, 0);
        assert.ok(s.peakHandshaking <= 256);
      } finally {
        await load.stop();
      }
      const s = load.server.stats();
      assert.equal(s.open + s.sessions + s.handshaking + s.queued, 0);
    });
  }
});
