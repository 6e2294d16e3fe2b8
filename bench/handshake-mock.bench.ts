/**
 * Mock mechanism benchmark. Figures are ratios to baselines measured in the same run:
 * - handshake: full mock handshakes per second through the engine over the in-memory
 *   channel pair (establishContext on both sides), against the same three legs driven by
 *   a direct step loop (no engine, no channel): the ratio is what the engine and the
 *   framing cost;
 * - wrap+unwrap: one message sealed (AES-256-GCM) or integrity-only (HMAC-SHA256) by one
 *   side and opened by the other, at 64 B, 1 KiB and 16 KiB, against a plain
 *   HMAC-SHA256 of the same bytes (@noble/hashes), once per AES-GCM backend.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Flags } from '../src/core/flags.ts';
import type { SecurityContext } from '../src/core/mechanism.ts';
import { establishContext } from '../src/engine/index.ts';
import { mock } from '../src/providers/mock/index.ts';
import { aead } from '../src/providers/mock/aead.ts';
import { memoryPair } from '../src/transport/adapters/memory.ts';
import { frameChannel } from '../src/transport/frame-channel.ts';
import { u32be } from '../src/transport/framing/index.ts';
import { measure, measureSync, report } from './lib.ts';

const FLAGS = Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE;
const SIZES = [64, 1024, 16 * 1024];

async function stepLoop(i: SecurityContext, a: SecurityContext): Promise<void> {
  const init = (await i.step(null)).outputToken!;
  const challenge = (await a.step(init)).outputToken!;
  const proof = (await i.step(challenge)).outputToken!;
  await a.step(proof);
}

async function benchHandshake(): Promise<void> {
  const m = mock();
  const codec = u32be();
  const direct = await measure(async () => {
    const i = await m.createContext('initiator', { flags: FLAGS });
    const a = await m.createContext('acceptor', {});
    await stepLoop(i, a);
    i.dispose();
    a.dispose();
  });
  const engine = await measure(async () => {
    const [x, y] = memoryPair();
    const i = await m.createContext('initiator', { flags: FLAGS });
    const a = await m.createContext('acceptor', {});
    const cx = frameChannel(x, codec);
    const cy = frameChannel(y, codec);
    await Promise.all([
      establishContext({ context: i, channel: cx, requiredFlags: Flags.MUTUAL }),
      establishContext({ context: a, channel: cy }),
    ]);
    i.dispose();
    a.dispose();
    await Promise.all([cx.close(), cy.close()]);
  });
  report({
    bench: 'mock handshake (engine + memory channel)',
    value: engine,
    unit: 'ops/s',
    ratio: engine / direct,
    directOps: direct,
  });
}

async function established(backend: 'node:crypto' | '@noble/ciphers') {
  const m = mock({ aeadBackend: backend });
  const i = await m.createContext('initiator', { flags: Flags.MUTUAL });
  const a = await m.createContext('acceptor', {});
  await stepLoop(i, a);
  return { i, a };
}

async function benchWrap(backend: 'node:crypto' | '@noble/ciphers'): Promise<void> {
  // REPLAY/SEQUENCE off: measured tokens are not all delivered in order to one window.
  const { i, a } = await established(backend);
  const key = new Uint8Array(32).fill(7);
  for (const size of SIZES) {
    const message = new Uint8Array(size).fill(0x5a);
    const baseline = measureSync(() => {
      hmac(sha256, key, message);
    });
    for (const confidential of [true, false]) {
      if (!confidential && backend !== 'node:crypto') continue;
      const rate = measureSync(() => {
        a.unwrap(i.wrap(message, { confidential }) as Uint8Array);
      });
      report({
        bench: `mock wrap+unwrap ${confidential ? 'sealed' : 'integ'}${confidential ? ` ${backend}` : ''}`,
        size,
        value: rate,
        unit: 'ops/s',
        ratio: rate / baseline,
        hmacOps: baseline,
        MBps: (rate * size) / 1e6,
      });
    }
  }
}

await benchHandshake();
let hasNative = true;
try {
  aead('node:crypto');
} catch {
  hasNative = false;
}
if (hasNative) await benchWrap('node:crypto');
await benchWrap('@noble/ciphers');
