import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gssError, isGssockError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import type { SecurityContext } from '../../src/core/mechanism.ts';
import { accept, establishContext, initiate } from '../../src/engine/index.ts';
import { kerberos } from '../../src/providers/kerberos/index.ts';
import { createTestRealm } from '../../src/testing/kerberos.ts';
import { bytes, channelPair, ScriptedContext } from './support.ts';

describe('error tokens (RFC 2743 §2.2.2)', () => {
  it('a failing step that carries details.outputToken sends it before closing', async () => {
    const [ours, theirs] = channelPair();
    const errorToken = bytes(5, 0x7e);
    const failing = {
      role: 'acceptor',
      mechanism: 'scripted',
      established: false,
      step: () => {
        throw gssError('CLOCK_SKEW', 'too far apart', { details: { outputToken: errorToken } });
      },
      info: () => {
        throw gssError('INVALID_STATE', 'not established');
      },
      wrap: () => new Uint8Array(0),
      unwrap: () => ({ message: new Uint8Array(0), confidential: false, qop: 0 }),
      getMic: () => new Uint8Array(0),
      verifyMic: () => {},
      dispose: () => {},
    } satisfies SecurityContext;
    const done = establishContext({ context: failing, channel: ours });
    await theirs.send({ flags: 0, body: bytes(3, 1) });
    await assert.rejects(done, (e: unknown) => isGssockError(e, 'CLOCK_SKEW'));
    const frame = await theirs.receive();
    assert.deepEqual(frame?.body, errorToken, 'the peer receives the error token');
    assert.equal(await theirs.receive(), null, 'then the channel is closed');
  });

  it('no token is sent when the error carries none', async () => {
    const [ours, theirs] = channelPair();
    const context = new ScriptedContext('acceptor', [
      { throws: gssError('DEFECTIVE_TOKEN', 'bad token', { origin: 'peer' }), done: false },
    ]);
    const done = establishContext({ context, channel: ours });
    await theirs.send({ flags: 0, body: bytes(3, 1) });
    await assert.rejects(done);
    assert.equal(await theirs.receive(), null);
  });

  it('a Kerberos initiator learns why the acceptor refused (KRB_AP_ERR_SKEW), not just that it closed', async () => {
    const realm = await createTestRealm();
    try {
      const [a, b] = channelPair();
      const skewed = () => Date.now() + 60 * 60 * 1000;
      const server = kerberos({ keytab: realm.service.keytab });
      const client = kerberos({ ccache: realm.user.ccache, kdc: realm.clientOptions() });
      const acceptor = accept({ mechanism: server, channel: b, clock: skewed });
      const initiator = initiate({
        mechanism: client,
        channel: a,
        target: realm.service.target,
        flags: Flags.MUTUAL | Flags.REPLAY,
      });
      await assert.rejects(acceptor, (e: unknown) => isGssockError(e, 'CLOCK_SKEW'));
      await assert.rejects(initiator, (e: unknown) => {
        assert.ok(isGssockError(e, 'CLOCK_SKEW'), `expected CLOCK_SKEW, got ${String(e)}`);
        assert.equal(e.origin, 'peer');
        assert.equal((e.details.krbError as { code: number } | undefined)?.code, 37);
        return true;
      });
    } finally {
      await realm.stop();
    }
  });
});
