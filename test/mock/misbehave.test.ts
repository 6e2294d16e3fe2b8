import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import { mock } from '../../src/providers/mock/index.ts';
import { decodeChallenge } from '../../src/providers/mock/wire.ts';
import { pair, text } from './support.ts';

const peerError = (c: string) => (e: unknown) => isGssockError(e, c as never) && e.origin === 'peer';

describe('mock misbehaviour switches', () => {
  it('skipMutualProof: no proof in CHALLENGE, MUTUAL granted on neither side', async () => {
    const { initiator, acceptor, tokens } = await pair({
      acceptor: { misbehave: { skipMutualProof: true } },
    });
    assert.equal(decodeChallenge(tokens[1]!).acceptorProof, undefined);
    assert.equal(initiator.info().flags & Flags.MUTUAL, 0);
    assert.equal(acceptor.info().flags & Flags.MUTUAL, 0);
    // Everything else still works: the contexts protect messages.
    assert.equal(
      new TextDecoder().decode((await acceptor.unwrap(await initiator.wrap(text('hi')))).message),
      'hi',
    );
  });

  it("corruptToken 'init': the transcripts differ", async () => {
    await assert.rejects(
      pair({ initiator: { misbehave: { corruptToken: 'init' } } }),
      peerError('BAD_SIGNATURE'),
    );
    await assert.rejects(
      pair({ initiator: { misbehave: { corruptToken: 'init' } }, flags: Flags.REPLAY }),
      peerError('LOGON_DENIED'),
    );
  });

  it("corruptToken 'challenge': the initiator refuses the proof, or without mutual the acceptor refuses", async () => {
    await assert.rejects(
      pair({ acceptor: { misbehave: { corruptToken: 'challenge' } } }),
      peerError('BAD_SIGNATURE'),
    );
    await assert.rejects(
      pair({ acceptor: { misbehave: { corruptToken: 'challenge' } }, flags: Flags.REPLAY }),
      peerError('LOGON_DENIED'),
    );
  });

  it("corruptToken 'proof': the acceptor refuses the client (LOGON_DENIED)", async () => {
    await assert.rejects(
      pair({ initiator: { misbehave: { corruptToken: 'proof' } } }),
      peerError('LOGON_DENIED'),
    );
  });

  it("corruptToken 'wrap': every WRAP token fails at the peer, sealed or not; MICs are untouched", async () => {
    const { initiator, acceptor } = await pair({ initiator: { misbehave: { corruptToken: 'wrap' } } });
    assert.throws(() => acceptor.unwrap(initiator.wrap(text('a')) as Uint8Array), peerError('BAD_SIGNATURE'));
    assert.throws(
      () => acceptor.unwrap(initiator.wrap(text('b'), { confidential: false }) as Uint8Array),
      peerError('BAD_SIGNATURE'),
    );
    // The acceptor's own tokens are fine.
    assert.equal((await initiator.unwrap(await acceptor.wrap(text('c')))).message.length, 1);
    const { initiator: i2, acceptor: a2 } = await pair({
      initiator: { misbehave: { corruptToken: 'wrap' } },
      flags: 0,
    });
    await a2.verifyMic(text('m'), await i2.getMic(text('m')));
  });

  it("corruptToken 'mic': verifyMic fails at the peer", async () => {
    const { initiator, acceptor } = await pair({ acceptor: { misbehave: { corruptToken: 'mic' } } });
    const mic = await acceptor.getMic(text('m'));
    assert.throws(() => initiator.verifyMic(text('m'), mic), peerError('BAD_SIGNATURE'));
  });

  it('stallMs: step resolves only after the delay', async () => {
    const m = mock({ misbehave: { stallMs: 40 } });
    const i = await m.createContext('initiator', {});
    const started = Date.now();
    const r = i.step(null);
    assert.ok(r instanceof Promise, 'a stalling step returns a promise');
    assert.ok((await r).outputToken);
    // Timers may fire a millisecond early on some runtimes.
    assert.ok(Date.now() - started >= 35);
    i.dispose();
  });

  it('stallMs: dispose() cancels a pending step at once', async () => {
    const i = await mock({ misbehave: { stallMs: 60_000 } }).createContext('initiator', {});
    const pending = i.step(null) as Promise<unknown>;
    assert.throws(
      () => i.step(null),
      (e) => isGssockError(e, 'INVALID_STATE'),
      'no second step while one is pending',
    );
    i.dispose();
    await assert.rejects(pending, (e) => isGssockError(e, 'INVALID_STATE'));
  });

  it('refuses a bad stallMs', () => {
    assert.throws(
      () => mock({ misbehave: { stallMs: -1 } }),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
    assert.throws(
      () => mock({ misbehave: { stallMs: Number.NaN } }),
      (e) => isGssockError(e, 'INVALID_ARGUMENT'),
    );
  });
});
