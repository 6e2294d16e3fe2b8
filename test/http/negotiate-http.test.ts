/**
 * HTTP Negotiate (RFC 4559) on the running runtime's own server (node:http, Deno.serve or
 * Bun.serve) and its own fetch:
 * 1. Header codec: base64 both ways, challenge lists, hostile values.
 * 2. negotiateFetch -> negotiateHandler over SPNEGO with mock mechanisms, including a
 *    multi-leg exchange with a MIC round (connection-bound), and the fail-closed cases.
 * 3. With a throwaway MIT realm: Debian's curl --negotiate (GSS-API, MIT credentials from
 *    kinit) and negotiateFetch (Kerberos from the same ccache) against the handler.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { kerberosFactory } from '../../src/cli/kerberos-factory.ts';
import { GssockError, MutualAuthRequiredError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import type { ContextInfo } from '../../src/core/mechanism.ts';
import {
  formatNegotiateHeader,
  fromBase64,
  negotiateFetch,
  negotiateHandler,
  parseNegotiateHeader,
  toBase64,
} from '../../src/http/index.ts';
import { NTLM_OID, negotiate } from '../../src/providers/spnego/index.ts';
import { type SpnegoRealm, startSpnegoRealm } from '../spnego/fixture.ts';
import { mitOnly } from '../support/mit-realm.ts';
import { runProgram } from '../support/processes.ts';
import { mockAs } from '../spnego/support.ts';
import { serve } from './serve.ts';

const ALPHA = '1.3.6.1.4.1.32473.1.1';
const BETA = '1.3.6.1.4.1.32473.1.2';
const hello = (_r: Request, auth: { info: ContextInfo }) => new Response(`hello ${auth.info.peerName}\n`);

describe('Negotiate headers', () => {
  it('base64 round-trips and matches the RFC 4648 §10 vectors', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of vectors) {
      assert.equal(toBase64(new TextEncoder().encode(plain)), b64);
      assert.equal(new TextDecoder().decode(fromBase64(b64)), plain);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) =>
        assert.deepEqual([...fromBase64(toBase64(b))], [...b]),
      ),
    );
  });

  it('finds Negotiate among several challenges, with or without a token', () => {
    assert.deepEqual(parseNegotiateHeader('Negotiate'), {});
    assert.deepEqual(parseNegotiateHeader('Basic realm="x", negotiate'), {});
    assert.deepEqual([...parseNegotiateHeader('NTLM, Negotiate YWJj')!.token!], [0x61, 0x62, 0x63]);
    assert.equal(parseNegotiateHeader('Basic realm="x"'), undefined);
    assert.equal(parseNegotiateHeader(null), undefined);
    assert.equal(formatNegotiateHeader(), 'Negotiate');
    assert.equal(formatNegotiateHeader(new Uint8Array([0x61, 0x62, 0x63])), 'Negotiate YWJj');
  });

  it('refuses bad base64 with a typed error from the peer', () => {
    for (const bad of ['Negotiate YW!j', 'Negotiate YWJ', 'Negotiate YQ=', 'Negotiate YR==']) {
      assert.throws(
        () => parseNegotiateHeader(bad),
        (e: unknown) => e instanceof GssockError && e.code === 'MALFORMED' && e.origin === 'peer',
        bad,
      );
    }
    assert.throws(
      () => fromBase64('A'.repeat(200_000)),
      (e: unknown) => e instanceof GssockError,
    );
  });
});

describe('negotiateFetch <-> negotiateHandler (mock mechanisms)', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let ntlmServer: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    server = await serve(
      negotiateHandler(hello, {
        mechanism: negotiate({ mechanisms: [mockAs('beta', BETA, { name: 'HTTP/server@MOCK' })] }),
      }),
    );
    ntlmServer = await serve(
      negotiateHandler(hello, { mechanism: negotiate({ mechanisms: [mockAs('ntlm', NTLM_OID)] }) }),
    );
  });
  after(async () => {
    await server?.close();
    await ntlmServer?.close();
  });

  it('a request without credentials gets 401 WWW-Authenticate: Negotiate', async () => {
    const r = await fetch(server.url);
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Negotiate');
    await r.body?.cancel();
  });

  it("multi-leg exchange with a mechListMIC round, on this runtime's own server and fetch", async () => {
    let info: ContextInfo | undefined;
    const client = negotiate({ mechanisms: [mockAs('alpha', ALPHA), mockAs('beta', BETA)] });
    const r = await negotiateFetch(
      `${server.url}/x`,
      { method: 'POST', body: 'payload' },
      {
        mechanism: client,
        onAuthenticated: (i) => {
          info = i;
        },
      },
    );
    assert.equal(r.status, 200, server.runtime);
    assert.equal(await r.text(), 'hello alice@MOCK\n');
    assert.equal(info?.mechanismOid, BETA);
    assert.equal(info?.extra?.mechListMic, true);
    assert.ok((info?.flags ?? 0) & Flags.MUTUAL, 'the server proved itself');
  });

  it('an NTLM outcome over HTTP with mutual required fails closed; without it, the response comes back', async () => {
    const client = () => negotiate({ mechanisms: [mockAs('ntlm', NTLM_OID)] });
    await assert.rejects(
      negotiateFetch(ntlmServer.url, undefined, { mechanism: client() }),
      (e: unknown) => e instanceof MutualAuthRequiredError,
    );
    const r = await negotiateFetch(ntlmServer.url, undefined, { mechanism: client(), flags: Flags.REPLAY });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'hello alice@MOCK\n');
  });

  it('a server with other credentials is refused (the exchange fails, no content is returned)', async () => {
    const client = negotiate({ mechanisms: [mockAs('beta', BETA, { secret: 'other secret' })] });
    await assert.rejects(
      negotiateFetch(server.url, undefined, { mechanism: client }),
      (e: unknown) => e instanceof GssockError,
    );
  });
});

const OPT = mitOnly();
describe('HTTP Negotiate with MIT Kerberos: curl --negotiate and negotiateFetch', { timeout: 60_000 }, () => {
  let k: SpnegoRealm;
  let server: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    if (OPT.skip) return;
    k = await startSpnegoRealm();
    const kerberos = await kerberosFactory({
      role: 'acceptor',
      keytab: k.keytab,
      env: k.env,
      cwd: process.cwd(),
    });
    server = await serve(negotiateHandler(hello, { mechanism: negotiate({ mechanisms: [kerberos] }) }));
  });
  after(async () => {
    await server?.close();
    await k?.realm.stop();
  });

  it('curl --negotiate (Debian curl, GSS-API/SPNEGO, MIT credentials) authenticates', OPT, async () => {
    const version = await runProgram('curl', ['-V'], {});
    assert.match(version.output, /SPNEGO/, 'this curl is built without SPNEGO');
    const url = server.url.replace('127.0.0.1', 'localhost');
    const r = await runProgram(
      'curl',
      ['-sS', '--negotiate', '-u', ':', '-w', '\\n%{http_code}', url],
      k.env,
    );
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /hello alice@EXAMPLE\.TEST\n\n200$/);
  });

  it(
    'negotiateFetch with Kerberos from the same ccache authenticates, and the server proves itself',
    OPT,
    async () => {
      const kerberos = await kerberosFactory({ role: 'initiator', env: k.env, cwd: process.cwd() });
      let info: ContextInfo | undefined;
      const r = await negotiateFetch(server.url.replace('127.0.0.1', 'localhost'), undefined, {
        mechanism: negotiate({ mechanisms: [kerberos] }),
        onAuthenticated: (i) => {
          info = i;
        },
      });
      assert.equal(r.status, 200);
      assert.equal(await r.text(), 'hello alice@EXAMPLE.TEST\n');
      assert.equal(info?.mechanismOid, '1.2.840.113554.1.2.2');
      assert.ok((info?.flags ?? 0) & Flags.MUTUAL);
    },
  );
});
