/**
 * The Linux side of the Wine path (`npm run test:wine` → scripts/wine/run.mjs → here):
 * a throwaway MIT realm on loopback, MIT's gss-server/gss-client (Kerberos, and NTLM
 * through gss-ntlmssp) and gssock's pure Kerberos and NTLM mechanisms (the CLI, in this
 * process) as peers of gssock's SSPI mechanism running inside Wine under the Windows
 * builds of Node 22 (koffi) and Bun (bun:ffi). Every scenario also checks the agent's
 * SSPI handle counts (counting.ts). Prints one line per scenario and, last, alone on its
 * line, `N passed, N failed`. A missing piece is a failure, never a skip.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as clientMain } from '../../src/cli/client.ts';
import { Flags } from '../../src/core/flags.ts';
import { captureIo, startServerOnFreePort } from '../cli/cli-support.ts';
import { randomPort, runProgram, startMitGssServer } from '../support/processes.ts';
import { gssNtlmsspMissing } from '../ntlm/mit-ntlm.ts';
import { startMitRealm } from '../support/mit-realm.ts';
import { WINE_SSPI } from '../../src/providers/native/sspi-quirks.ts';
import type { AgentJob, AgentResult } from './agent.ts';
import { missingPieces, runAgent, type WinRuntime } from './wine-runner.ts';

const STARTED = Date.now();
const MESSAGE = 'hello across Wine';
const NTLM_ID = { user: 'alice', domain: 'EXAMPLE', password: 'alice-password' };

type Check = () => Promise<void>;
const results: Array<{ name: string; ok: boolean; ms: number; error?: string }> = [];

/** GSSOCK_WINE_ONLY=<regex>: run only the scenarios whose name matches (while debugging). */
const ONLY = process.env.GSSOCK_WINE_ONLY ? new RegExp(process.env.GSSOCK_WINE_ONLY) : undefined;

async function scenario(name: string, fn: Check): Promise<void> {
  if (ONLY && !ONLY.test(name)) return;
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`ok - ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    results.push({ name, ok: false, ms: Date.now() - t0, error });
    console.log(`not ok - ${name} (${Date.now() - t0} ms)\n  ${error.replaceAll('\n', '\n  ')}`);
  }
}

function expect(cond: unknown, what: string, context: unknown = ''): void {
  if (!cond)
    throw new Error(
      `${what}${context ? `\n${typeof context === 'string' ? context : JSON.stringify(context, null, 2)}` : ''}`,
    );
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

/** The agent finished, released every handle and buffer, and really made a context. */
function expectAgent(r: AgentResult, wantContexts = 1): void {
  expect(r.ok, `agent failed: ${r.error}`, r.log.join(''));
  expect(r.wine, 'the agent did not detect Wine (wine_get_version)', r);
  expect(r.quirks === 'wine', 'the agent did not choose the Wine switches', r);
  expect(!r.unbalanced, `SSPI handles leaked: ${r.unbalanced}`, r.counts);
  const c = r.counts!;
  expect(
    c.credentialsAcquired >= 1 && c.contextsCreated >= wantContexts && c.buffersAllocated >= 1,
    'counts show no real SSPI work',
    c,
  );
}

/** `peer` unsealed both of the agent's messages, and the agent verified both of `peer`'s MICs. */
function expectBothMessages(peer: string, peerOutput: string, r: AgentResult): void {
  expect(
    count(peerOutput, new RegExp(`Received message: "${MESSAGE}"`, 'g')) === 2,
    `${peer} did not unwrap both messages`,
    peerOutput,
  );
  expect(
    count(r.log.join(''), /Signature verified\./g) === 2,
    `the SSPI side did not verify ${peer}'s MICs`,
    r.log.join(''),
  );
}

async function main(): Promise<number> {
  const missing = missingPieces();
  const ntlmMissing = gssNtlmsspMissing();
  if (missing.length || ntlmMissing) {
    console.log(
      `not ok - Wine path prerequisites: ${[...missing, ...(ntlmMissing ? [ntlmMissing] : [])].join('; ')} (run scripts/wine/setup.sh)`,
    );
    console.log('0 passed, 1 failed');
    return 1;
  }
  const work = mkdtempSync(join(tmpdir(), 'gssock-wine-'));
  const realm = await startMitRealm({
    principals: { alice: { password: 'alice-password' }, 'host/localhost': { randkey: true } },
  });
  try {
    const keytab = join(realm.dir, 'host.keytab');
    await realm.ktadd('host/localhost', keytab);
    await realm.runOk('kinit', ['alice'], { input: 'alice-password\n' });
    const krbEnv = { ...realm.env, KRB5_KTNAME: `FILE:${keytab}` };
    const userFile = join(work, 'ntlm-users');
    writeFileSync(userFile, `${NTLM_ID.domain}:${NTLM_ID.user}:${NTLM_ID.password}\n`);
    const ntlmEnv = { NTLM_USER_FILE: userFile, KRB5_CONFIG: '/dev/null', KRB5RCACHETYPE: 'none' };
    /** The SSPI Kerberos initiator (mutual authentication) against the server on `port`. */
    const kerberosInitiator = (
      rt: WinRuntime,
      port: number,
      extra: Partial<Omit<AgentJob, 'out' | 'ready'>> = {},
    ) =>
      runAgent(
        rt,
        { mode: 'client', mech: 'kerberos', port, target: 'host/localhost', mutual: true, ...extra },
        krbEnv,
        work,
      ).result;
    /** The SSPI NTLM initiator (explicit identity) sending two messages to the server on `port`. */
    const ntlmInitiator = (rt: WinRuntime, port: number) =>
      runAgent(
        rt,
        {
          mode: 'client',
          mech: 'ntlm',
          port,
          target: 'host/localhost',
          identity: NTLM_ID,
          message: MESSAGE,
          count: 2,
        },
        ntlmEnv,
        work,
      ).result;

    for (const rt of ['node', 'bun'] as WinRuntime[]) {
      await scenario(
        `${rt}: probe: QuerySecurityPackageInfoW x3, credentials (default Kerberos, acceptor, explicit NTLM identity)`,
        async () => {
          const r = await runAgent(rt, { mode: 'probe', mech: 'ntlm', identity: NTLM_ID }, krbEnv, work)
            .result;
          expect(r.ok, `agent failed: ${r.error}`, r);
          expect(!r.unbalanced, `leak: ${r.unbalanced}`, r.counts);
          expect(
            r.packages?.Kerberos?.maxToken && r.packages?.NTLM?.maxToken && r.packages?.Negotiate,
            'package info missing',
            r.packages,
          );
          // 3 SecPkgInfoW from the probe, one more per context (Wine: cbMaxToken, quirk allocateTokens).
          expect(
            r.counts!.credentialsAcquired === 3 && r.counts!.buffersFreed >= 3,
            'expected 3 credentials and at least 3 SecPkgInfo buffers',
            r.counts,
          );
        },
      );

      for (const encrypt of [true, false]) {
        await scenario(
          `${rt}: SSPI Kerberos initiator -> MIT gss-server${encrypt ? '' : ' (wrap without confidentiality)'}`,
          async () => {
            const port = randomPort();
            const server = startMitGssServer(port, ['-keytab', keytab, 'host@localhost'], krbEnv);
            const r = await kerberosInitiator(rt, port, { encrypt, message: MESSAGE, count: 2 });
            const code = await server.done(10_000);
            server.kill();
            expectAgent(r);
            expect(code === 0, `MIT gss-server exited ${code}`, server.output);
            expect(
              /Accepted connection: "alice@EXAMPLE\.TEST"/.test(server.output),
              'MIT did not name alice',
              server.output,
            );
            expectBothMessages('MIT', server.output, r);
            expect((r.info!.flags & Flags.MUTUAL) !== 0, 'MUTUAL not granted', r.info);
            expect(
              r.counts!.calls.EncryptMessage === 2 && r.counts!.calls.VerifySignature === 2,
              'Encrypt/Verify counts',
              r.counts,
            );
          },
        );
      }

      await scenario(`${rt}: SSPI Kerberos initiator -> gssock pure Kerberos acceptor`, async () => {
        const io = captureIo(krbEnv);
        const { port, serving } = await startServerOnFreePort(
          ['-once', '--mech', 'kerberos', '-keytab', keytab, 'host@localhost'],
          io,
        );
        const r = await kerberosInitiator(rt, port, { message: MESSAGE, count: 2 });
        const code = await serving;
        const out = io.stdoutText + io.stderrText;
        expectAgent(r);
        expect(code === 0, `gssock server exited ${code}`, out);
        expect(/Accepted connection: "alice@EXAMPLE\.TEST"/.test(out), 'gssock did not name alice', out);
        expectBothMessages('gssock', out, r);
      });

      for (const [peer, nx] of [
        ['MIT gss-client', false],
        ['MIT gss-client -nx', true],
        ['gssock pure Kerberos initiator', false],
      ] as const) {
        await scenario(`${rt}: ${peer} -> SSPI Kerberos acceptor`, async () => {
          const port = randomPort();
          const agent = runAgent(rt, { mode: 'server', mech: 'kerberos', port }, krbEnv, work);
          await agent.ready();
          const args = [
            '-port',
            String(port),
            '-mcount',
            '2',
            ...(nx ? ['-nx'] : []),
            'localhost',
            'host@localhost',
            MESSAGE,
          ];
          let out: string;
          let code: number;
          if (peer.startsWith('MIT')) {
            const c = await runProgram('gss-client', args, krbEnv);
            out = c.stdout + c.stderr;
            code = c.code;
          } else {
            const io = captureIo(krbEnv);
            code = await clientMain(['--mech', 'kerberos', ...args], io);
            out = io.stdoutText + io.stderrText;
          }
          const r = await agent.result;
          expectAgent(r);
          expect(code === 0, `${peer} exited ${code}`, `${out}\nagent:\n${r.log.join('')}`);
          expect(
            count(out, /Signature verified\./g) === 2,
            "the peer did not verify the SSPI acceptor's MICs",
            out,
          );
          expect(
            count(r.log.join(''), new RegExp(`Received message: "${MESSAGE}"`, 'g')) === 2,
            'the SSPI acceptor did not unwrap both messages',
            r.log.join(''),
          );
          expect(
            r.counts!.calls.DecryptMessage === 2 && r.counts!.calls.MakeSignature === 2,
            'Decrypt/MakeSignature counts',
            r.counts,
          );
          expect((r.info!.flags & Flags.MUTUAL) !== 0, 'MUTUAL not granted', r.info);
        });
      }

      // Controls: the switches are needed. Windows behaviour under Wine fails as documented
      // in sspi-quirks.ts, and still releases every handle.
      await scenario(
        `${rt}: control: Windows switches under Wine -> ISC fails (ALLOCATE_MEMORY ignored)`,
        async () => {
          const port = randomPort();
          const server = startMitGssServer(port, ['-keytab', keytab, 'host@localhost'], krbEnv);
          const r = await kerberosInitiator(rt, port, { quirks: 'windows' });
          server.kill();
          expect(
            !r.ok && /SEC_E_INCOMPLETE_MESSAGE/.test(r.error ?? ''),
            'expected SEC_E_INCOMPLETE_MESSAGE from InitializeSecurityContextW',
            r,
          );
          expect(!r.unbalanced && r.counts!.credentialsAcquired === 1, `leak: ${r.unbalanced}`, r.counts);
        },
      );
      await scenario(`${rt}: control: Windows wrap layout under Wine -> MIT cannot unwrap`, async () => {
        const port = randomPort();
        const server = startMitGssServer(port, ['-keytab', keytab, 'host@localhost'], krbEnv);
        const quirks = { ...WINE_SSPI, kerberosWrapLayout: 'windows' as const };
        const r = await kerberosInitiator(rt, port, { quirks, message: MESSAGE });
        await server.done(10_000);
        server.kill();
        expect(!r.ok, 'the agent should fail when MIT refuses the token', r);
        expect(
          /Accepted connection/.test(server.output) && !/Received message/.test(server.output),
          'MIT should authenticate, then refuse the wrap token',
          server.output,
        );
        expect(!r.unbalanced && r.counts!.contextsCreated === 1, `leak: ${r.unbalanced}`, r.counts);
      });

      await scenario(
        `${rt}: SSPI NTLM initiator (explicit identity) -> MIT gss-server + gss-ntlmssp`,
        async () => {
          const port = randomPort();
          const server = startMitGssServer(port, ['host@localhost'], ntlmEnv);
          const r = await ntlmInitiator(rt, port);
          const code = await server.done(10_000);
          server.kill();
          expect(r.ok, `agent failed: ${r.error}`, `MIT gss-server (exit ${code}):\n${server.output}`);
          expectAgent(r);
          expect(code === 0, `MIT gss-server exited ${code}`, server.output);
          expectBothMessages('gss-ntlmssp', server.output, r);
        },
      );

      await scenario(
        `${rt}: SSPI NTLM initiator (explicit identity) -> gssock pure NTLM acceptor`,
        async () => {
          const io = captureIo(ntlmEnv);
          const { port, serving } = await startServerOnFreePort(
            ['-once', '--mech', 'ntlm', 'host@localhost'],
            io,
          );
          const r = await ntlmInitiator(rt, port);
          const code = await serving;
          const out = io.stdoutText + io.stderrText;
          expectAgent(r);
          expect(code === 0, `gssock server exited ${code}`, out);
          expectBothMessages('gssock NTLM', out, r);
        },
      );
    }
  } finally {
    await realm.stop();
    if (!process.env.GSSOCK_WINE_KEEP) rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
  const passed = results.filter((r) => r.ok).length;
  console.log(`wine scenarios: ${((Date.now() - STARTED) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${results.length - passed} failed`);
  return results.length === passed ? 0 : 1;
}

process.exitCode = await main();
