/**
 * One side of `npm run load` (scripts/load.mjs starts it on the runtime asked for):
 *   load-main.ts server --mech kerberos [--concurrency N] [--queue N]
 *     prints {"ready": ClientInfo, "limits": ...}; on "stop" (stdin) closes and prints
 *     {"stats": ServerStats, "peakRss": bytes, "baselineRss": bytes}
 *   load-main.ts client --clients N [--timeout ms]   (LOAD_INFO: the server's ClientInfo JSON)
 *     prints ClientResult as JSON
 */
import { type ClientInfo, type MechName, rssSampler, runClients, startLoadServer } from './load-lib.ts';

const [role, ...rest] = globalThis.process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const at = rest.indexOf(`--${name}`);
  return at >= 0 ? Number(rest[at + 1]) : fallback;
};
const print = (value: unknown) => globalThis.process.stdout.write(`${JSON.stringify(value)}\n`);

if (role === 'server') {
  const at = rest.indexOf('--mech');
  const mech = (at >= 0 ? rest[at + 1] : 'kerberos') as MechName;
  const limits = {
    maxConcurrentHandshakes: opt('concurrency', 256),
    maxQueuedHandshakes: opt('queue', 256),
    maxConnections: opt('connections', 4096),
  };
  const load = await startLoadServer(mech, limits);
  const baselineRss = globalThis.process.memoryUsage().rss;
  const sampler = rssSampler(10);
  print({ ready: load.info, limits });
  let input = '';
  globalThis.process.stdin.on('data', async (d: Uint8Array) => {
    input += new TextDecoder().decode(d);
    if (!input.includes('stop')) return;
    const peakRss = sampler.stop();
    const stats = load.server.stats();
    await load.stop();
    print({ stats, peakRss, baselineRss });
    globalThis.process.exit(0);
  });
} else if (role === 'client') {
  const info = JSON.parse(globalThis.process.env.LOAD_INFO ?? '') as ClientInfo;
  const result = await runClients(info, opt('clients', 1000), opt('timeout', 60_000));
  print(result);
  globalThis.process.exit(0);
} else {
  globalThis.process.stderr.write('usage: load-main.ts server|client ...\n');
  globalThis.process.exit(2);
}
