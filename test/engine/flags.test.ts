import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type GssockError, isGssockError, MutualAuthRequiredError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import {
  accept,
  enforceRequiredFlags,
  establishContext,
  type HandshakeEvent,
  initiate,
  type Session,
} from '../../src/engine/index.ts';
import { mock } from '../../src/providers/mock/index.ts';
import { channelPair, SpyChannel } from './support.ts';

const reason = (r: PromiseSettledResult<unknown>) => (r as PromiseRejectedResult).reason as GssockError;

describe('required flags', () => {
  it('mutual asked + acceptor skips its proof -> MutualAuthRequiredError, nothing more sent, channel closed', async () => {
    const [ca, cb] = channelPair();
    const a = new SpyChannel(ca);
    const events: HandshakeEvent[] = [];
    const results = await Promise.allSettled([
      initiate({ mechanism: mock(), channel: a, target: 'host/server@MOCK', onEvent: (e) => events.push(e) }),
      accept({ mechanism: mock({ misbehave: { skipMutualProof: true } }), channel: cb }),
    ]);
    const e = reason(results[0]!);
    assert.ok(e instanceof MutualAuthRequiredError);
    assert.equal(e.code, 'MUTUAL_AUTH_REQUIRED');
    assert.equal(e.sspiStatus, 'SEC_E_MUTUAL_AUTH_FAILED');
    assert.deepEqual(e.details.missing, ['MUTUAL']);
    // The initiator proof was computed but withheld: only INIT went out.
    assert.equal(a.sends, 1);
    assert.equal(a.closes, 1);
    assert.ok(!events.some((x) => x.type === 'established'));
    assert.equal(reason(results[1]!).code, 'CONNECTION_CLOSED');
  });

  it('not asking for mutual: the same acceptor is accepted and MUTUAL is not granted', async () => {
    const [a, b] = channelPair();
    const [client, server] = await Promise.all([
      initiate({ mechanism: mock(), channel: a, flags: Flags.REPLAY }),
      accept({ mechanism: mock({ misbehave: { skipMutualProof: true } }), channel: b }),
    ]);
    assert.equal(client.info.flags & Flags.MUTUAL, 0);
    assert.equal(server.info.flags & Flags.MUTUAL, 0);
    await Promise.all([client.close(), server.close()]);
  });

  it('asking for mutual but explicitly not requiring it (requiredFlags: 0) lets it through', async () => {
    const [a, b] = channelPair();
    const [client, server] = await Promise.all([
      initiate({ mechanism: mock(), channel: a, requiredFlags: 0 }),
      accept({ mechanism: mock({ misbehave: { skipMutualProof: true } }), channel: b }),
    ]);
    assert.equal(client.info.flags & Flags.MUTUAL, 0);
    await Promise.all([client.close(), server.close()]);
  });

  it('an initiator requiring a flag it did not get -> FLAGS_NOT_GRANTED', async () => {
    const [a, b] = channelPair();
    const results = await Promise.allSettled([
      initiate({
        mechanism: mock(),
        channel: a,
        flags: Flags.MUTUAL,
        requiredFlags: Flags.MUTUAL | Flags.DELEGATE,
      }),
      accept({ mechanism: mock(), channel: b }),
    ]);
    const e = reason(results[0]!);
    assert.equal(e.code, 'FLAGS_NOT_GRANTED');
    assert.deepEqual(e.details.missing, ['DELEGATE']);
  });

  it('an acceptor requiring SEQUENCE from an initiator that did not ask -> FLAGS_NOT_GRANTED, then the close', async () => {
    const [a, b] = channelPair();
    const results = await Promise.allSettled([
      initiate({ mechanism: mock(), channel: a, flags: Flags.MUTUAL | Flags.REPLAY }),
      accept({ mechanism: mock(), channel: b, requiredFlags: Flags.SEQUENCE }),
    ]);
    assert.equal(reason(results[1]!).code, 'FLAGS_NOT_GRANTED');
    // The initiator finished with its last token (the acceptor decides after it), so it
    // learns of the refusal as the end of the stream.
    const client = (results[0] as PromiseFulfilledResult<Session>).value;
    assert.equal(await client.receive(), null);
    await client.close();
  });

  it('granted flags the mock always offers (INTEG, CONF) satisfy a requirement', async () => {
    const [a, b] = channelPair();
    const m = mock();
    const [i, r] = await Promise.all([
      establishContext({
        context: await m.createContext('initiator', { flags: Flags.MUTUAL }),
        channel: a,
        requiredFlags: Flags.MUTUAL | Flags.INTEG | Flags.CONF,
      }),
      establishContext({
        context: await m.createContext('acceptor', {}),
        channel: b,
        requiredFlags: Flags.INTEG | Flags.CONF,
      }),
    ]);
    assert.ok(i.info.flags & Flags.CONF);
    assert.ok(r.info.flags & Flags.INTEG);
  });
});

describe('enforceRequiredFlags', () => {
  const bits = Object.values(Flags);
  const mask = fc.subarray(bits).map((xs) => xs.reduce((m, b) => m | b, 0));
  it('throws exactly when a required bit is missing, MUTUAL first', () => {
    fc.assert(
      fc.property(mask, mask, (granted, required) => {
        const missing = required & ~granted;
        try {
          enforceRequiredFlags(granted, required);
          return missing === 0;
        } catch (e) {
          if (missing === 0) return false;
          if (missing & Flags.MUTUAL) return e instanceof MutualAuthRequiredError && e.origin === 'peer';
          return isGssockError(e, 'FLAGS_NOT_GRANTED') && e.origin === 'peer';
        }
      }),
    );
  });
});
