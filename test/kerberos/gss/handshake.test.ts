/**
 * The Kerberos mechanism in-process, initiator and acceptor both gssock, with credentials
 * MIT issued (kinit/kvno ccache, kadmin ktadd keytab): every enctype, the fail-closed cases
 * of the acceptance list, typed KRB-ERRORs, delegation (the ccache our acceptor builds must
 * be readable by MIT klist), and tickets fetched by our own TGS/AS client.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isGssockError } from '../../../src/core/errors.ts';
import { Flags } from '../../../src/core/flags.ts';
import type { Mechanism, SecurityContext } from '../../../src/core/mechanism.ts';
import { establishContext } from '../../../src/engine/index.ts';
import { createNetTransport } from '../../../src/providers/kerberos/kdc/net-transport.ts';
import { kerberos } from '../../../src/providers/kerberos/gss/mechanism.ts';
import { memoryReplayCache } from '../../../src/providers/kerberos/gss/replay-cache.ts';
import { memoryPair } from '../../../src/transport/adapters/memory.ts';
import { frameChannel } from '../../../src/transport/frame-channel.ts';
import { u32be } from '../../../src/transport/framing/index.ts';
import { mitOnly } from '../../support/mit-realm.ts';
import { runProgram } from '../../support/processes.ts';
import { ENCTYPES, type KerberosRealm, startKerberosRealm } from './fixture.ts';

const OPT = mitOnly();
let k: KerberosRealm;
const enc = new TextEncoder();

async function handshake(i: SecurityContext, a: SecurityContext) {
  const r1 = await i.step(null);
  const r2 = await a.step(r1.outputToken!);
  if (!r1.done) {
    assert.ok(r2.outputToken, 'mutual: the acceptor must answer with an AP-REP');
    await i.step(r2.outputToken);
  }
  return { apReq: r1.outputToken!, apRep: r2.outputToken };
}

async function rejects(p: unknown, code: string, krb?: number) {
  await assert.rejects(
    async () => await p,
    (e: unknown) => {
      assert.ok(isGssockError(e), `not a GssockError: ${e}`);
      assert.equal(e.code, code, `${e.code}: ${e.message}`);
      if (krb !== undefined) assert.equal((e.details.krbError as { code: number }).code, krb, e.message);
      return true;
    },
  );
}

describe('Kerberos mechanism in-process with MIT-issued credentials', { timeout: 60_000 }, () => {
  let client: Mechanism;
  let server: Mechanism;
  before(async () => {
    if (OPT.skip) return;
    k = await startKerberosRealm();
    client = kerberos({ ccache: k.ccacheBytes(), allowRc4: true });
    server = kerberos({ keytab: k.read(k.allKeytab), allowRc4: true });
  });
  after(async () => {
    await k?.realm.stop();
  });

  for (const e of ENCTYPES) {
    it(`enctype ${e}: handshake, wrap/unwrap both ways, MIC both ways`, OPT, async () => {
      const i = await client.createContext('initiator', {
        target: `svc${e}@localhost`,
        flags: Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE,
      });
      const a = await server.createContext('acceptor', { acceptorName: `svc${e}@localhost` });
      await handshake(i, a);
      assert.equal(a.info().peerName, 'alice@EXAMPLE.TEST');
      assert.equal(i.info().peerName, `svc${e}/localhost@EXAMPLE.TEST`);
      assert.ok(a.info().flags & Flags.MUTUAL && i.info().flags & Flags.MUTUAL);
      assert.equal(i.info().extra?.ticketEnctype, e);
      for (const conf of [true, false]) {
        const w = await i.wrap(enc.encode(`to acceptor ${conf}`), { confidential: conf });
        const u = await a.unwrap(w);
        assert.equal(new TextDecoder().decode(u.message), `to acceptor ${conf}`);
        assert.equal(u.confidential, conf);
        const back = await a.wrap(enc.encode('to initiator'), { confidential: conf });
        assert.equal(new TextDecoder().decode((await i.unwrap(back)).message), 'to initiator');
      }
      await a.verifyMic(enc.encode('m1'), await i.getMic(enc.encode('m1')));
      await i.verifyMic(enc.encode('m2'), await a.getMic(enc.encode('m2')));
      // Reflection: a token we sent ourselves is refused.
      const mine = await i.getMic(enc.encode('m3'));
      await assert.rejects(async () => i.verifyMic(enc.encode('m3'), mine));
      assert.ok(a.info().extra?.pac instanceof Uint8Array, 'MIT 1.20 puts a PAC in every ticket');
    });
  }

  it('through the engine over a memory channel, with required MUTUAL', OPT, async () => {
    const [s1, s2] = memoryPair();
    const [c1, c2] = [frameChannel(s1, u32be()), frameChannel(s2, u32be())];
    const [ri, ra] = await Promise.all([
      establishContext({
        context: await client.createContext('initiator', { target: 'host/localhost' }),
        channel: c1,
        requiredFlags: Flags.MUTUAL,
      }),
      establishContext({ context: await server.createContext('acceptor', {}), channel: c2 }),
    ]);
    assert.equal(ra.info.peerName, 'alice@EXAMPLE.TEST');
    assert.ok(ri.info.flags & Flags.MUTUAL);
  });

  it(
    'fail closed: no AP-REP (the acceptor answers with something else) -> MUTUAL_AUTH_REQUIRED',
    OPT,
    async () => {
      const i = await client.createContext('initiator', { target: 'host@localhost' });
      const a = await server.createContext('acceptor', {});
      const r1 = await i.step(null);
      await a.step(r1.outputToken!);
      // An acceptor that skips the AP-REP and goes straight to application data.
      await rejects(i.step(await a.wrap(enc.encode('data'))), 'MUTUAL_AUTH_REQUIRED');
      // And a context that never got its AP-REP cannot protect anything.
      const j = await client.createContext('initiator', { target: 'host@localhost' });
      await j.step(null);
      await rejects(
        Promise.resolve().then(() => j.wrap(enc.encode('x'))),
        'INVALID_STATE',
      );
    },
  );

  it('fail closed: an AP-REP made with the wrong key -> MUTUAL_AUTH_REQUIRED', OPT, async () => {
    // An impostor that has other/localhost's key answers a ticket for host/localhost: it
    // cannot open the ticket, so we forge its AP-REP with its own session: take a real AP-REP
    // for another context (other session key) and hand it to this initiator.
    const i1 = await client.createContext('initiator', { target: 'host@localhost' });
    const i2 = await client.createContext('initiator', { target: 'host@localhost' });
    const a1 = await server.createContext('acceptor', {});
    const r1 = await i1.step(null);
    await i2.step(null);
    const rep = await a1.step(r1.outputToken!);
    await rejects(i2.step(rep.outputToken!), 'MUTUAL_AUTH_REQUIRED');
    // The same AP-REP for a context with a different authenticator but the same session key.
    const otherService = await client.createContext('initiator', { target: 'other@localhost' });
    await otherService.step(null);
    await rejects(otherService.step(rep.outputToken!), 'MUTUAL_AUTH_REQUIRED');
  });

  it(
    'a replayed AP-REQ is refused with KRB_AP_ERR_REPEAT (and an error token for the initiator)',
    OPT,
    async () => {
      const i = await client.createContext('initiator', { target: 'host@localhost' });
      const r1 = await i.step(null);
      await (await server.createContext('acceptor', {})).step(r1.outputToken!);
      const again = await server.createContext('acceptor', {});
      let token: Uint8Array | undefined;
      await assert.rejects(
        async () => again.step(r1.outputToken!),
        (e: unknown) => {
          assert.ok(isGssockError(e, 'DUPLICATE_TOKEN'));
          assert.equal((e.details.krbError as { code: number }).code, 34);
          token = e.details.outputToken as Uint8Array;
          return true;
        },
      );
      // The initiator reads the KRB-ERROR token as the same typed error.
      await rejects(i.step(token!), 'DUPLICATE_TOKEN', 34);
      // With the replay cache off, the same AP-REQ is accepted again.
      const noCache = kerberos({ keytab: k.read(k.allKeytab), replayCache: false });
      await (await noCache.createContext('acceptor', {})).step(r1.outputToken!);
      await (await noCache.createContext('acceptor', {})).step(r1.outputToken!);
    },
  );

  it('a skewed clock gives KRB_AP_ERR_SKEW (CLOCK_SKEW) on both sides', OPT, async () => {
    const i = await client.createContext('initiator', { target: 'host@localhost' });
    const r1 = await i.step(null);
    const skewed = await server.createContext('acceptor', { clock: () => Date.now() + 10 * 60_000 });
    let token: Uint8Array | undefined;
    await assert.rejects(
      async () => skewed.step(r1.outputToken!),
      (e: unknown) => {
        assert.ok(isGssockError(e, 'CLOCK_SKEW'), String(e));
        assert.equal((e.details.krbError as { code: number }).code, 37);
        token = e.details.outputToken as Uint8Array;
        return true;
      },
    );
    await rejects(i.step(token!), 'CLOCK_SKEW', 37);
  });

  it('a ticket for another service is refused', OPT, async () => {
    // other/localhost's ticket shown to an acceptor that accepts only host@localhost...
    const i = await client.createContext('initiator', { target: 'other@localhost' });
    const r1 = await i.step(null);
    const a = await server.createContext('acceptor', { acceptorName: 'host@localhost' });
    await rejects(a.step(r1.outputToken!), 'BAD_NAME', 35);
    // ...and to one whose keytab has no key for it.
    const hostOnly = kerberos({ keytab: k.read(k.hostKeytab) });
    const j = await client.createContext('initiator', { target: 'other@localhost' });
    await rejects(
      (await hostOnly.createContext('acceptor', {})).step((await j.step(null)).outputToken!),
      'BAD_NAME',
      35,
    );
  });

  it('channel bindings: matching accepted, different refused', OPT, async () => {
    const cb = { application: enc.encode('tls-server-end-point:abc') };
    const i = await client.createContext('initiator', { target: 'host@localhost', channelBindings: cb });
    await handshake(i, await server.createContext('acceptor', { channelBindings: cb }));
    const j = await client.createContext('initiator', { target: 'host@localhost', channelBindings: cb });
    const r = await j.step(null);
    const other = { application: enc.encode('tls-server-end-point:xyz') };
    await rejects(
      (await server.createContext('acceptor', { channelBindings: other })).step(r.outputToken!),
      'BAD_BINDINGS',
    );
  });

  it('delegation: the acceptor hands out a ccache MIT klist reads, with a forwarded TGT', OPT, async () => {
    const kdcClient = kerberos({
      ccache: k.ccacheBytes(),
      kdc: {
        transport: createNetTransport({}),
        kdcs: [{ host: '127.0.0.1', port: k.realm.kdcPort, protocol: 'tcp' }],
      },
    });
    const i = await kdcClient.createContext('initiator', {
      target: 'host@localhost',
      flags: Flags.MUTUAL | Flags.REPLAY | Flags.DELEGATE,
    });
    const a = await server.createContext('acceptor', {});
    await handshake(i, a);
    assert.ok(i.info().flags & Flags.DELEGATE);
    assert.ok(a.info().flags & Flags.DELEGATE);
    const cc = a.info().extra?.delegatedCcache as Uint8Array;
    assert.ok(cc instanceof Uint8Array);
    const path = join(k.realm.dir, 'delegated.ccache');
    writeFileSync(path, cc);
    const klist = await runProgram('klist', ['-f', '-c', `FILE:${path}`], k.env);
    assert.equal(klist.code, 0, klist.stderr);
    assert.match(klist.stdout, /Default principal: alice@EXAMPLE\.TEST/);
    assert.match(klist.stdout, /krbtgt\/EXAMPLE\.TEST@EXAMPLE\.TEST/);
    assert.match(klist.stdout, /Flags: F*f?.*F/);
  });

  it('tickets from our own KDC client: TGS with the ccache TGT, AS with the password', OPT, async () => {
    const kdc = {
      transport: createNetTransport({}),
      kdcs: [{ host: '127.0.0.1', port: k.realm.kdcPort, protocol: 'any' as const }],
    };
    let updated: Uint8Array | undefined;
    const viaTgs = kerberos({ ccache: k.ccacheBytes(), kdc, onCcacheUpdate: (b) => void (updated = b) });
    await handshake(
      await viaTgs.createContext('initiator', { target: 'fresh@localhost' }),
      await server.createContext('acceptor', {}),
    );
    assert.ok(updated, 'the new ticket is written back to the ccache');
    const path = join(k.realm.dir, 'updated.ccache');
    writeFileSync(path, updated);
    assert.match(
      (await runProgram('klist', ['-c', `FILE:${path}`], k.env)).stdout,
      /fresh\/localhost@EXAMPLE\.TEST/,
    );

    const viaPassword = kerberos({
      principal: 'alice',
      password: 'alice-password',
      defaultRealm: 'EXAMPLE.TEST',
      kdc,
    });
    const a = await server.createContext('acceptor', {});
    await handshake(await viaPassword.createContext('initiator', { target: 'host/localhost' }), a);
    assert.equal(a.info().peerName, 'alice@EXAMPLE.TEST');
  });

  it('the replay cache key distinguishes authenticators of the same second', OPT, async () => {
    const cache = memoryReplayCache();
    const acc = kerberos({ keytab: k.read(k.allKeytab), replayCache: cache });
    // Twenty authenticators made in the same millisecond: each is new and accepted once.
    const t = Date.now();
    const tokens: Uint8Array[] = [];
    for (let n = 0; n < 20; n++) {
      const i = await client.createContext('initiator', { target: 'host@localhost', clock: () => t });
      const r = await i.step(null);
      tokens.push(r.outputToken!);
      await (await acc.createContext('acceptor', { clock: () => t })).step(r.outputToken!);
    }
    for (const token of tokens)
      await rejects(
        (await acc.createContext('acceptor', { clock: () => t })).step(token),
        'DUPLICATE_TOKEN',
        34,
      );
    assert.equal(cache.size(), 20);
  });

  it('a replay cache full of live entries refuses new authenticators (fail closed)', OPT, async () => {
    const acc = kerberos({ keytab: k.read(k.allKeytab), replayCache: memoryReplayCache({ maxEntries: 2 }) });
    const tokens: Uint8Array[] = [];
    for (let n = 0; n < 3; n++) {
      const i = await client.createContext('initiator', { target: 'host@localhost' });
      tokens.push((await i.step(null)).outputToken!);
    }
    await (await acc.createContext('acceptor', {})).step(tokens[0]!);
    await (await acc.createContext('acceptor', {})).step(tokens[1]!);
    let errorToken: Uint8Array | undefined;
    await assert.rejects(
      async () => (await acc.createContext('acceptor', {})).step(tokens[2]!),
      (e: unknown) => {
        assert.ok(isGssockError(e, 'LIMIT_EXCEEDED'), String(e));
        assert.equal(e.origin, 'local', 'our store, not the peer, is at fault');
        assert.equal((e.details.krbError as { code: number }).code, 60);
        errorToken = e.details.outputToken as Uint8Array;
        return true;
      },
    );
    // The client is told with a KRB-ERROR (KRB_ERR_GENERIC), not a dropped connection.
    const third = await client.createContext('initiator', { target: 'host@localhost' });
    await third.step(null);
    await assert.rejects(
      async () => third.step(errorToken!),
      (e: unknown) => isGssockError(e) && (e.details.krbError as { code: number }).code === 60,
    );
    await rejects((await acc.createContext('acceptor', {})).step(tokens[0]!), 'DUPLICATE_TOKEN', 34);
  });
});
