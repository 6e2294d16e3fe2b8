/**
 * The conformance kit (gssock/testing) run against native(): MIT's library on both sides,
 * and native paired with the pure kerberos() mechanism both ways. The acceptor keeps a
 * replay cache file (MIT file2 rcache), so a replayed handshake is refused.
 */
import { after, before, describe, it } from 'node:test';
import { defineConformanceSuite } from '../../src/testing/index.ts';
import { type NativeRealm, nativeOnly, startNativeRealm, TARGET } from './support.ts';

const OPT = await nativeOnly();
let r: NativeRealm | undefined;

describe('native() conformance', { timeout: 300_000 }, () => {
  before(async () => {
    if (!OPT.skip) r = await startNativeRealm();
  });
  after(async () => {
    await r?.stop();
  });
  if (OPT.skip) {
    it('conformance', OPT, () => {});
    return;
  }
  const realm = () => {
    if (!r) throw new Error('realm not started');
    return r;
  };
  const capabilities = { sequenceDetection: true };
  defineConformanceSuite(
    {
      name: 'native <-> native',
      initiator: () => realm().nativeInitiator(),
      acceptor: () => realm().nativeAcceptor(),
      target: TARGET,
      capabilities,
    },
    { describe, it },
  );
  defineConformanceSuite(
    {
      name: 'native -> kerberos()',
      initiator: () => realm().nativeInitiator(),
      acceptor: () => realm().pureAcceptor(),
      target: TARGET,
      capabilities,
    },
    { describe, it },
  );
  defineConformanceSuite(
    {
      name: 'kerberos() -> native',
      initiator: () => realm().pureInitiator(),
      acceptor: () => realm().nativeAcceptor(),
      target: TARGET,
      capabilities,
    },
    { describe, it },
  );
});
