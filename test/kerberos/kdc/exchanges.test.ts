// AS (RFC 4120 §3.1) and TGS (§3.3) client logic against an in-memory KDC built from our encoders.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGssockError } from '../../../src/core/errors.ts';
import { TicketFlags } from '../../../src/providers/kerberos/constants.ts';
import { parseCcache } from '../../../src/providers/kerberos/ccache.ts';
import { getEnctype } from '../../../src/providers/kerberos/crypto/registry.ts';
import { getInitialTicket } from '../../../src/providers/kerberos/kdc/as-exchange.ts';
import { acquireServiceTicket, newCcache } from '../../../src/providers/kerberos/kdc/ccache-workflow.ts';
import { createMemoryKdcTransport } from '../../../src/providers/kerberos/kdc/memory-transport.ts';
import { parsePrincipal } from '../../../src/providers/kerberos/kdc/principal-name.ts';
import { getForwardedTgt, getServiceTicket } from '../../../src/providers/kerberos/kdc/tgs-exchange.ts';
import { decodeTicket } from '../../../src/providers/kerberos/messages/index.ts';
import { createFakeKdc, type FakeKdcOptions } from './fake-kdc.ts';

const kdcs = [{ host: 'kdc.fake.test', port: 88, protocol: 'any' as const }];
const alice = parsePrincipal('alice@FAKE.TEST');
const service = parsePrincipal('host/db.fake.test@FAKE.TEST');

function setup(o: FakeKdcOptions = {}) {
  const kdc = createFakeKdc(o);
  const transport = createMemoryKdcTransport((m) => kdc.handle(m));
  const base = { transport, kdcs, enctypes: [o.etype ?? 18], allowRc4: true };
  return { kdc, transport, base };
}

const tgtFor = (base: ReturnType<typeof setup>['base'], password = 'secret') =>
  getInitialTicket({ ...base, client: alice, secret: { password }, options: { forwardable: true } });

describe('AS exchange', () => {
  for (const etype of [17, 18, 19, 20, 23]) {
    it(`pre-authenticates with PA-ENC-TIMESTAMP and opens the AS-REP (etype ${etype})`, async () => {
      const { kdc, base } = setup({ etype });
      const tgt = await tgtFor(base);
      assert.equal(kdc.calls.as, 2);
      assert.equal(tgt.key.etype, etype);
      assert.deepEqual(tgt.server.name.nameString, ['krbtgt', 'FAKE.TEST']);
      assert.deepEqual(tgt.client.name.nameString, ['alice']);
      assert.ok(tgt.flags & TicketFlags.INITIAL);
      assert.ok(tgt.endTime > Date.now());
    });
  }

  it('uses the salt from ETYPE-INFO2 in the KDC error, not the default salt', async () => {
    const { base } = setup({ salt: 'SOMEOTHERsaltalice' });
    assert.equal((await tgtFor(base)).client.realm, 'FAKE.TEST');
  });

  it('without required pre-authentication, takes the salt from the AS-REP padata', async () => {
    const { kdc, base } = setup({ requirePreauth: false, salt: 'ANOTHERsalt' });
    await tgtFor(base);
    assert.equal(kdc.calls.as, 1);
  });

  it('accepts an EncTGSRepPart tag inside the AS-REP (RFC 4120 §5.4.2)', async () => {
    const { base } = setup({ asRepTag: 26 });
    await tgtFor(base);
  });

  it('works with keytab keys instead of a password', async () => {
    const { base } = setup({ etype: 17 });
    const key = getEnctype(17).stringToKey('secret', 'FAKE.TESTalice');
    const tgt = await getInitialTicket({ ...base, client: alice, secret: { keys: [key] } });
    assert.equal(tgt.key.etype, 17);
  });

  it('a wrong password is LOGON_DENIED carrying KDC_ERR_PREAUTH_FAILED (24)', async () => {
    const { base } = setup();
    await assert.rejects(tgtFor(base, 'wrong'), (e) => {
      assert.ok(isGssockError(e, 'LOGON_DENIED'));
      assert.equal(e.details.krbErrorCode, 24);
      assert.deepEqual(e.details.krbError, { code: 24, name: 'KDC_ERR_PREAUTH_FAILED' });
      assert.equal(e.origin, 'peer');
      return true;
    });
  });

  it('a wrong password without pre-authentication fails to decrypt: LOGON_DENIED', async () => {
    const { base } = setup({ requirePreauth: false });
    await assert.rejects(tgtFor(base, 'wrong'), (e) => isGssockError(e, 'LOGON_DENIED'));
  });

  it('an unknown client is KDC_ERR_C_PRINCIPAL_UNKNOWN (6)', async () => {
    const { base } = setup();
    await assert.rejects(
      getInitialTicket({ ...base, client: parsePrincipal('bob@FAKE.TEST'), secret: { password: 'x' } }),
      (e) => isGssockError(e) && e.details.krbErrorName === 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
    );
  });

  it('an etype the KDC does not have is ETYPE_NOT_SUPPORTED', async () => {
    const { base } = setup({ etype: 18 });
    await assert.rejects(
      getInitialTicket({ ...base, enctypes: [17], client: alice, secret: { password: 'secret' } }),
      (e) => isGssockError(e, 'ETYPE_NOT_SUPPORTED') && e.details.krbErrorCode === 14,
    );
  });

  it('refuses RC4 unless allowed', async () => {
    const { base } = setup({ etype: 23 });
    await assert.rejects(
      getInitialTicket({ ...base, allowRc4: false, client: alice, secret: { password: 'secret' } }),
      (e) => isGssockError(e, 'ETYPE_NOT_SUPPORTED'),
    );
  });

  it('rejects a reply whose nonce does not match', async () => {
    const { base } = setup({ nonceDelta: 1 });
    await assert.rejects(tgtFor(base), (e) => isGssockError(e, 'PROTOCOL_ERROR'));
  });
});

describe('TGS exchange', () => {
  for (const useSubkey of [false, true]) {
    it(`gets a service ticket the service key opens (subkey: ${useSubkey})`, async () => {
      const { kdc, base } = setup({ etype: 20 });
      const tgt = await tgtFor(base);
      const st = await getServiceTicket({ ...base, tgt, server: service, options: { useSubkey } });
      assert.deepEqual(st.server.name.nameString, ['host', 'db.fake.test']);
      const inner = kdc.decryptServiceTicket(decodeTicket(st.ticket));
      assert.deepEqual(inner.cname.nameString, ['alice']);
      assert.deepEqual(inner.key, st.key);
    });
  }

  it('an unknown service is BAD_NAME carrying KDC_ERR_S_PRINCIPAL_UNKNOWN (7)', async () => {
    const { base } = setup();
    const tgt = await tgtFor(base);
    await assert.rejects(
      getServiceTicket({ ...base, tgt, server: parsePrincipal('unknown/service@FAKE.TEST') }),
      (e) => isGssockError(e, 'BAD_NAME') && e.details.krbErrorCode === 7,
    );
  });

  it('asks for a forwarded TGT only when the TGT is forwardable', async () => {
    const { transport, base } = setup();
    const tgt = await tgtFor(base);
    await getForwardedTgt({ ...base, tgt });
    assert.equal(transport.requests.length, 3);
    await assert.rejects(getForwardedTgt({ ...base, tgt: { ...tgt, flags: 0 } }), (e) =>
      isGssockError(e, 'FLAGS_NOT_GRANTED'),
    );
  });

  it('acquireServiceTicket asks the KDC once, then serves from the cache', async () => {
    const { kdc, base } = setup();
    const tgt = await tgtFor(base);
    const first = await acquireServiceTicket({ ...base, ccache: newCcache(tgt), server: service });
    assert.equal(first.fromCache, false);
    assert.equal(kdc.calls.tgs, 1);
    const second = await acquireServiceTicket({ ...base, ccache: first.ccacheBytes, server: service });
    assert.equal(second.fromCache, true);
    assert.equal(kdc.calls.tgs, 1);
    assert.equal(parseCcache(second.ccacheBytes).credentials.length, 2);
  });

  it('acquireServiceTicket without a TGT is NO_CREDENTIALS', async () => {
    const { base } = setup();
    const tgt = await tgtFor(base);
    const expired = { ...tgt, endTime: Date.now() - 1000 };
    await assert.rejects(
      acquireServiceTicket({ ...base, ccache: newCcache(expired), server: service }),
      (e) => isGssockError(e, 'NO_CREDENTIALS'),
    );
  });
});

describe('reply processing never throws untyped errors (property)', () => {
  it('random replies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (junk, asKrbError) => {
        if (asKrbError && junk.length > 0) junk[0] = 0x7e;
        const transport = createMemoryKdcTransport(() => junk);
        await assert.rejects(
          getInitialTicket({ transport, kdcs, client: alice, secret: { password: 'x' } }),
          (e) => isGssockError(e),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('truncated and bit-flipped genuine replies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('as', 'tgs', 'error'),
        fc.nat(),
        fc.option(fc.nat(), { nil: undefined }),
        async (target, cut, flip) => {
          const tamper = (r: Uint8Array, kind: string) => {
            if (kind !== target) return r;
            const out = r.slice(0, flip === undefined ? cut % r.length : r.length);
            if (flip !== undefined) out[flip % out.length]! ^= 1 << (flip % 8);
            return out;
          };
          const { base } = setup({ tamper });
          try {
            const tgt = await tgtFor(base);
            await getServiceTicket({ ...base, tgt, server: service });
          } catch (e) {
            assert.ok(isGssockError(e), `untyped: ${String(e)}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
