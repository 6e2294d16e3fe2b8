/** The mock mechanism (src/providers/mock) passes the conformance kit, on every runtime. */
import { describe, it } from 'node:test';
import { mock } from '../../src/providers/mock/index.ts';
import { defineConformanceSuite } from '../../src/testing/index.ts';

defineConformanceSuite(
  {
    name: 'mock',
    initiator: () => mock({ secret: 'conformance secret', name: 'alice@MOCK' }),
    acceptor: () => mock({ secret: 'conformance secret', name: 'host/server@MOCK' }),
    impostor: () => mock({ secret: 'not the secret', name: 'host/server@MOCK' }),
    target: 'host/server@MOCK',
    capabilities: { sequenceDetection: true, deterministic: true },
  },
  { describe, it },
);
