/**
 * NTLM passes the conformance kit. Capabilities: no MUTUAL (MS-NLMP gives the client no
 * proof of the server), sequence detection (connection-oriented sequence numbers), and
 * deterministic under the kit's injected clock and randomness.
 */
import { describe, it } from 'node:test';
import { MemoryCredentialStore, ntlm } from '../../src/providers/ntlm/index.ts';
import { defineConformanceSuite } from '../../src/testing/index.ts';

const users = new MemoryCredentialStore([{ user: 'alice', domain: 'CORP', password: 'conformance' }]);

defineConformanceSuite(
  {
    name: 'ntlm',
    initiator: () => ntlm({ user: 'alice', domain: 'CORP', password: 'conformance' }),
    acceptor: () => ntlm({ credentials: users }),
    target: 'host/server.example',
    capabilities: { mutual: false, sequenceDetection: true, deterministic: true },
  },
  { describe, it },
);
