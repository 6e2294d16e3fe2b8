/**
 * 10,000 native handshakes in one process (both sides native, in memory, replay cache
 * off, service ticket cached) with a wrap/unwrap each, every context disposed: resident
 * memory must stay flat. A leaked output buffer, name, credential or context per
 * handshake would add well over the bound (a krb5 context alone is several KB).
 * Prints the before/after figures. RSS is measured after a warm-up (see WARMUP; the
 * library's and the JIT's one-time allocations) and after a GC where the runtime offers one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FULL, handshake, type NativeRealm, nativeOnly, startNativeRealm, TARGET } from './support.ts';

const OPT = await nativeOnly();
const HANDSHAKES = Number(process.env.GSSOCK_NATIVE_HANDSHAKES ?? 10_000);
/**
 * Node's RSS (glibc malloc arenas under V8 and koffi) climbs for the first ~10,000
 * handshakes and then stays flat (seen up to 30,000: 130-138 MB), so Node warms up for
 * those 10,000 (with 5,000, Node 24 once measured 20.8 MB of that climb as growth);
 * Deno and Bun are flat after a few hundred.
 */
const WARMUP =
  (globalThis as { Deno?: unknown; Bun?: unknown }).Deno || (globalThis as { Bun?: unknown }).Bun
    ? 1000
    : 10_000;
const BOUND_MB = 20;

let collect: (() => void) | undefined;

/** A full GC where the runtime offers one: Bun.gc, or V8's gc exposed at run time on Node. */
async function findGc(): Promise<void> {
  const g = globalThis as { Bun?: { gc(force: boolean): void }; Deno?: unknown; gc?: () => void };
  if (g.Bun) collect = () => g.Bun!.gc(true);
  else if (g.gc) collect = g.gc;
  else if (!g.Deno) {
    const v8 = await import('node:v8');
    const vm = await import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
}

function rss(): number {
  collect?.();
  return process.memoryUsage().rss;
}

describe('native() memory', { timeout: 300_000 }, () => {
  let r: NativeRealm;
  before(async () => {
    if (!OPT.skip) r = await startNativeRealm();
  });
  after(async () => {
    await r?.stop();
  });

  // The timeout again on the test: Bun does not carry describe()'s down (its default is 5 s).
  it(`${HANDSHAKES} native handshakes leave resident memory flat (< ${BOUND_MB} MB growth)`, {
    ...OPT,
    timeout: 300_000,
  }, async () => {
    await findGc();
    const initiatorMech = r.nativeInitiator();
    const acceptorMech = r.nativeAcceptor({ rcache: 'none:' });
    const message = new Uint8Array(256).fill(7);
    const once = async () => {
      const i = await initiatorMech.createContext('initiator', { target: TARGET, flags: FULL });
      const a = await acceptorMech.createContext('acceptor');
      try {
        await handshake(i, a);
        const u = await a.unwrap(await i.wrap(message));
        if (u.message.length !== message.length) throw new Error('unwrap lost bytes');
        await i.verifyMic(message, await a.getMic(message));
      } finally {
        i.dispose();
        a.dispose();
      }
    };
    for (let k = 0; k < WARMUP; k++) await once();
    const before = rss();
    const started = Date.now();
    // malloc arenas make RSS wobble by several MB without any leak; the lowest of the last
    // three samples (500 handshakes apart) is what is held for good.
    const tail: number[] = [];
    for (let k = 1; k <= HANDSHAKES; k++) {
      await once();
      if (HANDSHAKES - k < 1500 && (HANDSHAKES - k) % 500 === 0) tail.push(rss());
    }
    const seconds = (Date.now() - started) / 1000;
    const afterRss = Math.min(...tail);
    const growthMb = (afterRss - before) / 2 ** 20;
    console.log(
      `native memory: ${HANDSHAKES} handshakes in ${seconds.toFixed(1)} s (${((seconds * 1e6) / HANDSHAKES).toFixed(0)} us each); ` +
        `RSS before ${(before / 2 ** 20).toFixed(1)} MB, after ${(afterRss / 2 ** 20).toFixed(1)} MB (last samples ${tail.map((t) => (t / 2 ** 20).toFixed(1)).join(', ')}), growth ${growthMb.toFixed(1)} MB (bound ${BOUND_MB} MB)`,
    );
    assert.ok(growthMb < BOUND_MB, `RSS grew by ${growthMb.toFixed(1)} MB over ${HANDSHAKES} handshakes`);
  });
});
