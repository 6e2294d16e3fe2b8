// KDC send policy (failover-transport.ts): RFC 4120 §7.2.1 RESPONSE_TOO_BIG -> TCP, MIT's
// udp_preference_limit, failover across KDCs, errors naming every KDC tried.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError, TimeoutError } from '../../../src/core/errors.ts';
import { KerberosErrorCode } from '../../../src/providers/kerberos/error-codes.ts';
import { createFailoverTransport } from '../../../src/providers/kerberos/kdc/failover-transport.ts';
import { createScriptedDialer } from '../../../src/providers/kerberos/kdc/memory-transport.ts';
import { peekKrbErrorCode } from '../../../src/providers/kerberos/kdc/reply-peek.ts';
import type { KdcAddress } from '../../../src/providers/kerberos/kdc/transport.ts';
import { encodeKrbError } from '../../../src/providers/kerberos/messages/index.ts';

const krbError = (errorCode: number) =>
  encodeKrbError({
    stime: Date.now(),
    susec: 0,
    errorCode,
    realm: 'R',
    sname: { nameType: 2, nameString: ['krbtgt', 'R'] },
  });
const ok = new Uint8Array([0x6b, 0x00]);
const kdc = (host: string): KdcAddress => ({ host, port: 88, protocol: 'any' });
const small = new Uint8Array(100);
const big = new Uint8Array(2000);

describe('KDC failover policy', () => {
  it('peeks the error code of a KRB-ERROR and nothing else', () => {
    assert.equal(peekKrbErrorCode(krbError(52)), 52);
    assert.equal(peekKrbErrorCode(ok), undefined);
    assert.equal(peekKrbErrorCode(new Uint8Array([0x7e, 0x05, 1, 2])), undefined);
  });

  it('UDP first for small messages, TCP first above udp_preference_limit', async () => {
    const dialer = createScriptedDialer({ 'a:88': () => ok });
    const t = createFailoverTransport(dialer);
    await t.send({ realm: 'R', message: small, kdcs: [kdc('a')], timeoutMs: 1000 });
    await t.send({ realm: 'R', message: big, kdcs: [kdc('a')], timeoutMs: 1000 });
    await createFailoverTransport(dialer, { udpPreferenceLimit: 1 }).send({
      realm: 'R',
      message: small,
      kdcs: [kdc('a')],
      timeoutMs: 1000,
    });
    await t.send({ realm: 'R', message: small, kdcs: [kdc('a')], timeoutMs: 1000, preferTcp: true });
    assert.deepEqual(dialer.calls, ['udp/a:88', 'tcp/a:88', 'tcp/a:88', 'tcp/a:88']);
  });

  it('retries the same KDC over TCP on KRB_ERR_RESPONSE_TOO_BIG', async () => {
    const dialer = createScriptedDialer({
      'a:88': (protocol) => (protocol === 'udp' ? krbError(KerberosErrorCode.KRB_ERR_RESPONSE_TOO_BIG) : ok),
    });
    const reply = await createFailoverTransport(dialer).send({
      realm: 'R',
      message: small,
      kdcs: [kdc('a')],
      timeoutMs: 1000,
    });
    assert.deepEqual(reply, ok);
    assert.deepEqual(dialer.calls, ['udp/a:88', 'tcp/a:88']);
  });

  it('moves on after KDC_ERR_SVC_UNAVAILABLE and returns it only when nobody else answers', async () => {
    const unavailable = krbError(KerberosErrorCode.KDC_ERR_SVC_UNAVAILABLE);
    const dialer = createScriptedDialer({ 'a:88': () => unavailable, 'b:88': () => ok });
    assert.deepEqual(
      await createFailoverTransport(dialer).send({
        realm: 'R',
        message: small,
        kdcs: [kdc('a'), kdc('b')],
        timeoutMs: 1000,
      }),
      ok,
    );
    const only = createScriptedDialer({ 'a:88': () => unavailable });
    assert.deepEqual(
      await createFailoverTransport(only).send({
        realm: 'R',
        message: small,
        kdcs: [kdc('a')],
        timeoutMs: 1000,
      }),
      unavailable,
    );
  });

  it('passes other KRB-ERRORs through to the exchange', async () => {
    const preauth = krbError(KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED);
    const dialer = createScriptedDialer({ 'a:88': () => preauth, 'b:88': () => ok });
    const reply = await createFailoverTransport(dialer).send({
      realm: 'R',
      message: small,
      kdcs: [kdc('a'), kdc('b')],
      timeoutMs: 1000,
    });
    assert.deepEqual(reply, preauth);
    assert.deepEqual(dialer.calls, ['udp/a:88']);
  });

  it('fails over across KDCs and protocols, then names all of them', async () => {
    const dialer = createScriptedDialer({
      'a:88': () => {
        throw new TimeoutError('no reply');
      },
      'b:88': (p) => {
        if (p === 'udp') throw new TimeoutError('no reply');
        throw Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    });
    await assert.rejects(
      createFailoverTransport(dialer).send({
        realm: 'R',
        message: small,
        kdcs: [kdc('a'), kdc('b')],
        timeoutMs: 1000,
      }),
      (e) => {
        assert.ok(isGssockError(e, 'TIMEOUT'));
        assert.deepEqual(e.details.kdcs, ['udp/a:88', 'tcp/a:88', 'udp/b:88', 'tcp/b:88']);
        assert.match(e.message, /udp\/a:88.*tcp\/b:88/);
        return true;
      },
    );
  });

  it('stops at the overall deadline and says which KDCs were not tried', async () => {
    let t = 0;
    const dialer = createScriptedDialer({
      'a:88': (_p, _m, timeoutMs) => {
        t += timeoutMs;
        throw new TimeoutError('no reply');
      },
    });
    await assert.rejects(
      createFailoverTransport(dialer, { attemptTimeoutMs: 400, now: () => t }).send({
        realm: 'R',
        message: small,
        kdcs: [kdc('a'), kdc('a'), kdc('a')],
        timeoutMs: 1000,
      }),
      (e) => {
        assert.ok(isGssockError(e, 'TIMEOUT'));
        const attempts = e.details.attempts as Array<{ error: string }>;
        assert.ok(attempts.some((a) => a.error.includes('not tried')));
        return true;
      },
    );
    assert.equal(t, 1000);
  });

  it('with no KDC at all, an IO_ERROR', async () => {
    await assert.rejects(
      createFailoverTransport(createScriptedDialer({})).send({
        realm: 'R',
        message: small,
        kdcs: [],
        timeoutMs: 1000,
      }),
      (e) => isGssockError(e, 'IO_ERROR'),
    );
  });
});
