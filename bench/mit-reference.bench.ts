/**
 * The issue's reference figure measured here instead of quoted: MIT krb5's own handshake
 * rate in C, one process (bench/mit/handshakes.c, built with the system's cc and
 * krb5-config), against gssock's kerberos() on this runtime, same realm, same ccache and
 * keytab, in the same run; replay cache on (MIT: its default file rcache in the realm's
 * directory; gssock: the in-memory default) and off (KRB5RCACHETYPE=none / replayCache
 * false). MIT runs as its programs do (FILE: ccache and keytab) and, for its best case, with
 * both copied into MEMORY: ones first. Needs MIT krb5, its
 * development headers (libkrb5-dev) and a C compiler; without them only gssock's figures
 * are printed, with a note. Then wrap (with confidentiality) and unwrap throughput at
 * 1 KiB, 16 KiB and 1 MiB, MIT in C against gssock, aes256-cts-hmac-sha1-96.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flags } from '../src/core/flags.ts';
import { kerberos } from '../src/providers/kerberos/gss/mechanism.ts';
import { startServiceRealm } from './mit-service-realm.ts';
import { measure, measureSync, quick, report } from './lib.ts';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const SECONDS = quick ? 0.3 : 2;

function buildMitBench(dir: string): string | undefined {
  const libs = spawnSync('krb5-config', ['--libs', 'gssapi'], { encoding: 'utf8' });
  if (libs.status !== 0) return undefined;
  const out = join(dir, 'mit-handshakes');
  const cc = spawnSync(
    'cc',
    ['-O2', '-o', out, join(root, 'bench/mit/handshakes.c'), ...libs.stdout.trim().split(/\s+/), '-lkrb5'],
    { encoding: 'utf8' },
  );
  if (cc.status !== 0) {
    console.error(`mit-reference: building bench/mit/handshakes.c failed:\n${cc.stderr}`);
    return undefined;
  }
  return out;
}

const { realm, keytab } = await startServiceRealm();
try {
  const program = buildMitBench(realm.dir);
  if (!program)
    console.error('mit-reference: no C compiler or krb5-config (libkrb5-dev): MIT figure skipped');
  const client = kerberos({ ccache: new Uint8Array(readFileSync(realm.ccachePath)) });
  const keytabBytes = new Uint8Array(readFileSync(keytab));
  for (const replay of [true, false]) {
    // MIT as its programs run (FILE: ccache and keytab, read per context), and MIT's best
    // case (both copied into MEMORY: ones first).
    const mit: Record<'file' | 'memory', number | undefined> = { file: undefined, memory: undefined };
    for (const mode of ['file', 'memory'] as const) {
      if (!program) break;
      const r = spawnSync(program, ['host@localhost', String(SECONDS)], {
        encoding: 'utf8',
        env: {
          ...process.env,
          ...realm.env,
          KRB5_KTNAME: `FILE:${keytab}`,
          KRB5RCACHETYPE: replay ? 'dfl' : 'none',
          MIT_BENCH_MEMORY: mode === 'memory' ? '1' : '0',
        },
      });
      if (r.status !== 0) console.error(`mit-reference: ${r.stderr}`);
      else {
        const [count, seconds] = r.stdout.trim().split(' ').map(Number);
        mit[mode] = count! / seconds!;
      }
    }
    const server = kerberos({ keytab: keytabBytes, ...(replay ? {} : { replayCache: false as const }) });
    const once = async () => {
      const i = await client.createContext('initiator', {
        target: 'host@localhost',
        flags: Flags.MUTUAL | Flags.REPLAY,
      });
      const a = await server.createContext('acceptor', {});
      const apRep = (await a.step((await i.step(null)).outputToken!)).outputToken!;
      await i.step(apRep);
      i.dispose();
      a.dispose();
    };
    await measure(once, SECONDS * 500);
    const ours = await measure(once, SECONDS * 1000);
    const label = `replay cache ${replay ? 'on' : 'off'}`;
    for (const mode of ['file', 'memory'] as const)
      if (mit[mode] !== undefined)
        report({
          bench: `handshake MIT libgssapi_krb5 in C, ${mode.toUpperCase()}: creds, ${label}`,
          value: mit[mode]!,
          unit: 'ops/s',
        });
    report({
      bench: `handshake gssock kerberos(), ${label}`,
      value: ours,
      unit: 'ops/s',
      ...(mit.file !== undefined ? { vsMitFile: ours / mit.file } : {}),
      ...(mit.memory !== undefined ? { vsMitMemory: ours / mit.memory } : {}),
    });
  }
  // Wrap (confidentiality) and unwrap, aes256-cts-hmac-sha1-96, MIT in C against gssock.
  const server = kerberos({ keytab: keytabBytes, replayCache: false });
  const i = await client.createContext('initiator', {
    target: 'host@localhost',
    flags: Flags.MUTUAL | Flags.CONF | Flags.INTEG,
  });
  const a = await server.createContext('acceptor', {});
  await i.step((await a.step((await i.step(null)).outputToken!)).outputToken!);
  for (const size of [1024, 16 * 1024, 1024 * 1024]) {
    let mit: { wrap: number; unwrap: number } | undefined;
    if (program) {
      const r = spawnSync(program, ['host@localhost', String(SECONDS / 2), 'wrap', String(size)], {
        encoding: 'utf8',
        env: { ...process.env, ...realm.env, KRB5_KTNAME: `FILE:${keytab}`, KRB5RCACHETYPE: 'none' },
      });
      if (r.status !== 0) console.error(`mit-reference: ${r.stderr}`);
      else {
        const [w, ws, u, us] = r.stdout.trim().split(' ').map(Number);
        mit = { wrap: (w! * size) / ws! / 1e6, unwrap: (u! * size) / us! / 1e6 };
      }
    }
    const message = new Uint8Array(size).map((_, k) => (k * 131) & 0xff);
    const token = await i.wrap(message);
    const wrap = (measureSync(() => void i.wrap(message), SECONDS * 500) * size) / 1e6;
    // Without REPLAY/SEQUENCE the same token may be unwrapped again, as in the C loop.
    const unwrap = (measureSync(() => void a.unwrap(token), SECONDS * 500) * size) / 1e6;
    const sizeName = size >= 1 << 20 ? `${size >> 20}MiB` : `${size >> 10}KiB`;
    for (const [op, ours] of [
      ['wrap', wrap],
      ['unwrap', unwrap],
    ] as const) {
      if (mit)
        report({ bench: `${op} MIT libgssapi_krb5 in C`, size: sizeName, value: mit[op], unit: 'MB/s' });
      report({
        bench: `${op} gssock kerberos()`,
        size: sizeName,
        value: ours,
        unit: 'MB/s',
        ...(mit ? { vsMitC: ours / mit[op] } : {}),
      });
    }
  }
  i.dispose();
  a.dispose();
} finally {
  await realm.stop();
}
