/**
 * Captures the seed corpus from real MIT krb5 peers (fuzz/corpus/mit-krb5.json):
 * - a throwaway MIT realm on loopback (test/support/mit-realm.ts);
 * - `kinit` through a recording TCP relay: AS-REQ, KRB-ERROR (PREAUTH_REQUIRED), AS-REP,
 *   and `kvno`: TGS-REQ / TGS-REP;
 * - MIT `gss-server` and `gss-client` (gss-sample protocol) through a recording relay, per
 *   service enctype: the GSS initial token (AP-REQ), the AP-REP, the client's wrap token,
 *   the server's MIC token; with the service keytab and the capture time, so an acceptor
 *   given that keytab and clock accepts the captured AP-REQ and unwraps the tokens;
 * - the MIT keytab and ccache files.
 * Run: node --import tsx fuzz/capture-mit.ts  (Node; needs MIT krb5 installed).
 * The keys are those of a realm that existed for a few seconds on loopback: not secrets.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { startKdcRecorder } from '../test/kerberos/messages/kdc-recorder.ts';
import { startMitRealm } from '../test/support/mit-realm.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Recorded {
  fromClient: Uint8Array[];
  fromServer: Uint8Array[];
}

/** Splits gss-sample frames: 1 flag byte, 4-byte BE length, body. */
function frames(chunks: Uint8Array[]): { flags: number; body: Uint8Array }[] {
  const all = Buffer.concat(chunks);
  const out = [];
  let at = 0;
  while (at + 5 <= all.length) {
    const flags = all[at]!;
    const len = all.readUInt32BE(at + 1);
    if (at + 5 + len > all.length) break;
    out.push({ flags, body: new Uint8Array(all.subarray(at + 5, at + 5 + len)) });
    at += 5 + len;
  }
  return out;
}

/** A relay that records both directions of one connection. */
async function relay(upstreamPort: number): Promise<{ port: number; done: Promise<Recorded>; close(): void }> {
  const rec: Recorded = { fromClient: [], fromServer: [] };
  let finish!: (r: Recorded) => void;
  const done = new Promise<Recorded>((r) => (finish = r));
  const sockets: Socket[] = [];
  const server = createServer((client) => {
    const up = createConnection({ host: '127.0.0.1', port: upstreamPort });
    sockets.push(client, up);
    client.on('data', (d) => {
      rec.fromClient.push(new Uint8Array(d));
      up.write(d);
    });
    up.on('data', (d) => {
      rec.fromServer.push(new Uint8Array(d));
      client.write(d);
    });
    client.on('close', () => {
      up.destroy();
      finish(rec);
    });
    up.on('close', () => client.end());
    client.on('error', () => undefined);
    up.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    done,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

const realm = await startMitRealm({
  principals: {
    alice: { password: 'alice-password' },
    'host/localhost': { randkey: true, enctypes: ['aes256-cts-hmac-sha1-96'] },
    'svc20/localhost': { randkey: true, enctypes: ['aes256-cts-hmac-sha384-192'] },
    'svc17/localhost': { randkey: true, enctypes: ['aes128-cts-hmac-sha1-96'] },
  },
});
try {
  const recorder = await startKdcRecorder(realm);
  const env = { ...realm.env, ...recorder.env };
  await realm.runOk('kinit', ['alice'], { input: 'alice-password\n', env });
  await realm.runOk('kvno', ['host/localhost'], { env });
  await recorder.close();
  const kdc = recorder.exchanges.map((x) => ({ request: hex(x.request), reply: hex(x.reply) }));

  const sessions = [];
  for (const [service, enctype] of [
    ['host', 18],
    ['svc20', 20],
    ['svc17', 17],
  ] as const) {
    const keytab = join(realm.dir, `${service}.keytab`);
    await realm.ktadd(`${service}/localhost`, keytab);
    const serverPort = 20000 + Math.floor(Math.random() * 20000);
    const server = spawn('gss-server', ['-port', String(serverPort), '-once', `${service}@localhost`], {
      env: { ...process.env, ...realm.env, KRB5_KTNAME: keytab },
      stdio: 'ignore',
    });
    await sleep(400);
    const r = await relay(serverPort);
    const capturedAt = Date.now();
    const client = await realm.run('gss-client', [
      '-port',
      String(r.port),
      'localhost',
      `${service}@localhost`,
      'corpus message from MIT gss-client',
    ]);
    const rec = await Promise.race([r.done, sleep(5000).then(() => undefined)]);
    r.close();
    server.kill();
    if (!rec || client.code !== 0) throw new Error(`gss-client failed: ${client.stderr}${client.stdout}`);
    const up = frames(rec.fromClient);
    const down = frames(rec.fromServer);
    // gss-sample: client CONTEXT tokens carry flag 0x02, data frames 0x04|...; the server
    // answers the context token (AP-REP) and then the MIC of the message.
    const context = up.filter((f) => f.flags & 0x02 && f.body.length > 0);
    const data = up.filter((f) => f.flags & 0x04);
    const replies = down.filter((f) => f.body.length > 0);
    sessions.push({
      service: `${service}/localhost`,
      enctype,
      capturedAt,
      keytab: hex(readFileSync(keytab)),
      apReq: hex(context[0]!.body),
      apRep: hex(replies[0]!.body),
      message: hex(new TextEncoder().encode('corpus message from MIT gss-client')),
      wrap: data.map((f) => hex(f.body)),
      mic: replies.slice(1).map((f) => hex(f.body)),
    });
  }

  const corpus = {
    source:
      'MIT krb5 (Debian krb5 1.20.1) kinit, kvno, gss-client and gss-server on a throwaway loopback realm, ' +
      'captured by fuzz/capture-mit.ts through recording relays',
    realm: realm.realm,
    capturedAt: new Date().toISOString(),
    kdc,
    sessions,
    files: {
      ccache: hex(readFileSync(realm.ccachePath)),
      keytab: sessions[0]!.keytab,
    },
  };
  writeFileSync(join(import.meta.dirname, 'corpus', 'mit-krb5.json'), `${JSON.stringify(corpus, null, 1)}\n`);
  console.log(
    `captured ${kdc.length} KDC exchanges, ${sessions.length} GSS sessions (${sessions.map((s) => `${s.enctype}: ${s.wrap.length} wrap, ${s.mic.length} mic`).join('; ')})`,
  );
} finally {
  await realm.stop();
}
