/**
 * Kerberos crypto throughput. Same-run baselines: memcpy of the same bytes, and raw
 * AES-CBC of the same bytes on the chosen backend (the enctype overhead is the ratio).
 * Also compares the AES backends (node:crypto, @noble/ciphers, WebCrypto) and the HMAC
 * backends, which is what src/crypto/aes.ts and hash.ts choose from.
 */
import { aesBackend, makeNodeAes, nobleAes, prepareCbc, setAesBackend } from '../src/crypto/aes.ts';
import { HmacKey, hmac, setNativeHashes } from '../src/crypto/hash.ts';
import { getEnctype } from '../src/providers/kerberos/crypto/index.ts';
import { measure, measureSync, report } from './lib.ts';

const SIZES = [64, 1024, 16 * 1024, 1024 * 1024];
const sizeName = (n: number) => (n >= 1024 * 1024 ? `${n >> 20}MiB` : n >= 1024 ? `${n >> 10}KiB` : `${n}B`);
const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 131) & 0xff);
const mbps = (opsPerSec: number, n: number) => (opsPerSec * n) / 1e6;
const key256 = bytes(32).map((b) => b ^ 0x5a);
const iv = new Uint8Array(16);

// --- memcpy baseline
const memcpy: Record<number, number> = {};
for (const n of SIZES) {
  const src = bytes(n);
  const dst = new Uint8Array(n);
  memcpy[n] = mbps(
    measureSync(() => {
      dst.set(src);
    }),
    n,
  );
  report({ bench: 'baseline memcpy', size: sizeName(n), value: memcpy[n]!, unit: 'MB/s' });
}

// --- AES-256-CBC encrypt per backend
const native = makeNodeAes();
const subtle = globalThis.crypto?.subtle;
const webKey = subtle
  ? await subtle.importKey('raw', key256, { name: 'AES-CBC' }, false, ['encrypt', 'decrypt'])
  : undefined;
const aesRaw: Record<number, number> = {};
for (const n of SIZES) {
  const data = bytes(n);
  const results: Record<string, number> = {};
  if (native)
    results.node = mbps(
      measureSync(() => void native.encryptCbc(key256, iv, data)),
      n,
    );
  results.noble = mbps(
    measureSync(() => void nobleAes.encryptCbc(key256, iv, data)),
    n,
  );
  if (subtle && webKey) {
    // WebCrypto AES-CBC always pads: encrypt then drop the padding block. Async only.
    results.webcrypto = mbps(
      await measure(async () => {
        await subtle.encrypt({ name: 'AES-CBC', iv }, webKey, data);
      }),
      n,
    );
  }
  const chosen = aesBackend();
  aesRaw[n] = mbps(
    measureSync(() => void chosen.encryptCbc(key256, iv, data)),
    n,
  );
  for (const [backend, value] of Object.entries(results))
    report({
      bench: `aes256-cbc encrypt ${backend}`,
      size: sizeName(n),
      value,
      unit: 'MB/s',
      vsMemcpy: value / memcpy[n]!,
    });
  report({
    bench: `aes256-cbc encrypt chosen`,
    size: sizeName(n),
    value: aesRaw[n]!,
    unit: 'MB/s',
    backend: chosen.name,
  });
}

// --- prepared zero-IV CBC keys (the per-message path: one native cipher per key)
for (const n of SIZES) {
  const data = bytes(n);
  const k = prepareCbc(key256);
  const enc = mbps(
    measureSync(() => void k.encrypt(data)),
    n,
  );
  const dec = mbps(
    measureSync(() => void k.decrypt(data)),
    n,
  );
  report({
    bench: 'aes256-cbc prepared encrypt',
    size: sizeName(n),
    value: enc,
    unit: 'MB/s',
    vsOneShot: enc / aesRaw[n]!,
  });
  report({ bench: 'aes256-cbc prepared decrypt', size: sizeName(n), value: dec, unit: 'MB/s' });
  k.dispose();
}

// --- prepared HMAC-SHA1 keys, native (KeyObject) vs noble's prepared state copied into a
// reused scratch state: decides NATIVE_HMAC_MIN_BYTES_BY_RUNTIME
for (const n of [16, 96, 256, 1024, 4096, 16 * 1024]) {
  const data = bytes(n);
  const k = new HmacKey('sha1', bytes(20));
  setNativeHashes(false);
  const pure = measureSync(() => void k.mac(data));
  const on = setNativeHashes(true);
  const nc = (
    globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
  ).process?.getBuiltinModule?.('node:crypto') as
    | {
        createSecretKey(k: Uint8Array): unknown;
        createHmac(a: string, k: unknown): { update(d: Uint8Array): { digest(): Uint8Array } };
      }
    | undefined;
  const ko = on && nc ? nc.createSecretKey(bytes(20)) : undefined;
  const nat = ko && nc ? measureSync(() => void nc.createHmac('sha1', ko).update(data).digest()) : 0;
  report({ bench: 'hmac-sha1 prepared noble', size: sizeName(n), value: 1e6 / pure, unit: 'us/op' });
  if (nat)
    report({
      bench: 'hmac-sha1 prepared native',
      size: sizeName(n),
      value: 1e6 / nat,
      unit: 'us/op',
      vsNoble: nat / pure,
    });
}

// --- HMAC-SHA1 native vs noble, one-shot
for (const n of [16, 64, 256, 1024, 16 * 1024, 1024 * 1024]) {
  const data = bytes(n);
  const k = bytes(16);
  setNativeHashes(false);
  const noble = mbps(
    measureSync(() => void hmac('sha1', k, data)),
    n,
  );
  const on = setNativeHashes(true);
  // Bypass the threshold: measure the native module directly.
  const nc = (
    globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
  ).process?.getBuiltinModule?.('node:crypto') as
    | { createHmac(a: string, k: Uint8Array): { update(d: Uint8Array): { digest(): Uint8Array } } }
    | undefined;
  const nat =
    on && nc
      ? mbps(
          measureSync(() => void nc.createHmac('sha1', k).update(data).digest()),
          n,
        )
      : 0;
  report({ bench: 'hmac-sha1 noble', size: sizeName(n), value: noble, unit: 'MB/s' });
  if (nat)
    report({ bench: 'hmac-sha1 native', size: sizeName(n), value: nat, unit: 'MB/s', vsNoble: nat / noble });
}

// --- string-to-key per enctype
for (const etype of [17, 18, 19, 20, 23]) {
  const e = getEnctype(etype, { allowRc4: true });
  const ops = measureSync(() => void e.stringToKey('correct horse battery staple', 'EXAMPLE.TESTalice'), 300);
  report({ bench: `string-to-key ${e.name}`, value: 1000 / ops, unit: 'ms/op' });
}

// --- encrypt / decrypt per enctype (derived keys cached, as on the GSS wrap path)
for (const etype of [17, 18, 19, 20, 23]) {
  const e = getEnctype(etype, { allowRc4: true });
  const key = e.randomToKey(bytes(e.keyBytes));
  for (const n of SIZES) {
    const data = bytes(n);
    const ct = e.encrypt(key, 24, data);
    const enc = mbps(
      measureSync(() => void e.encrypt(key, 24, data)),
      n,
    );
    const dec = mbps(
      measureSync(() => void e.decrypt(key, 24, ct)),
      n,
    );
    report({
      bench: `encrypt ${e.name}`,
      size: sizeName(n),
      value: enc,
      unit: 'MB/s',
      usPerOp: n / enc,
      vsRawAes: enc / aesRaw[n]!,
    });
    report({
      bench: `decrypt ${e.name}`,
      size: sizeName(n),
      value: dec,
      unit: 'MB/s',
      vsRawAes: dec / aesRaw[n]!,
    });
  }
}

// --- the pure fallback, for runtimes without node:crypto
setAesBackend('noble');
setNativeHashes(false);
{
  const e = getEnctype(18);
  const key = e.randomToKey(bytes(32));
  for (const n of [64, 16 * 1024]) {
    const data = bytes(n);
    const enc = mbps(
      measureSync(() => void e.encrypt(key, 24, data)),
      n,
    );
    report({
      bench: `encrypt ${e.name} pure-js`,
      size: sizeName(n),
      value: enc,
      unit: 'MB/s',
      vsRawAes: enc / aesRaw[n]!,
    });
  }
}
setAesBackend('auto');
setNativeHashes(true);
