/**
 * Framing benchmark. Figures are ratios to baselines measured in the same run:
 * - decode: a stream of frames (64 B .. 1 MiB) arriving in chunks (1460 B = one TCP
 *   segment, 16 KiB, 64 KiB, random 1..64 KiB) pushed through a decoder and drained,
 *   against copying the same chunks into one buffer with Uint8Array.prototype.set;
 * - encode: frames encoded (header + body into one new buffer) against the same
 *   Uint8Array.prototype.set copy of the bodies;
 * - echo: a framed request/response over loopback TCP (frameChannel on the runtime's own
 *   adapter, picked by `auto`) against a raw socket echo of the same bytes.
 */
import { listen as autoListen, connect as autoConnect } from '../src/transport/adapters/auto.ts';
import type { ByteStream, FrameCodec } from '../src/transport/channel.ts';
import { frameChannel } from '../src/transport/frame-channel.ts';
import { gssSample, u32be } from '../src/transport/framing/index.ts';
import { measure, measureSync, quick, report } from './lib.ts';

const KiB = 1024;
/** Rounds per figure: baseline and candidate alternate, and each keeps its best round, so a
 *  busy machine (other processes taking the CPU for a while) skews neither side alone. */
const ROUNDS = quick ? 5 : 8;
const ROUND_MS = quick ? 60 : 200;

function bestOfSync(a: () => number, b: () => number): [number, number] {
  let bestA = 0;
  let bestB = 0;
  for (let i = 0; i < ROUNDS; i++) {
    bestA = Math.max(bestA, measureSync(a, ROUND_MS));
    bestB = Math.max(bestB, measureSync(b, ROUND_MS));
  }
  return [bestA, bestB];
}

async function bestOf(a: () => Promise<void>, b: () => Promise<void>): Promise<[number, number]> {
  let bestA = 0;
  let bestB = 0;
  for (let i = 0; i < ROUNDS; i++) {
    bestA = Math.max(bestA, await measure(a, ROUND_MS));
    bestB = Math.max(bestB, await measure(b, ROUND_MS));
  }
  return [bestA, bestB];
}

const MiB = 1024 * KiB;
const FRAME_SIZES = [64, KiB, 16 * KiB, MiB];
const CHUNKINGS: Array<number | 'random'> = [1460, 16 * KiB, 64 * KiB, 'random'];

/** Deterministic PRNG (mulberry32), so 'random' chunkings are the same on every runtime. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wireOf(codec: FrameCodec, frameSize: number): Uint8Array {
  const total = frameSize >= MiB ? 8 * MiB : 4 * MiB;
  const body = new Uint8Array(frameSize).fill(0x5a);
  const frame = codec.encode({ flags: codec.hasFlags ? 4 : 0, body });
  const count = Math.max(1, Math.floor(total / frame.length));
  const wire = new Uint8Array(frame.length * count);
  for (let i = 0; i < count; i++) wire.set(frame, i * frame.length);
  return wire;
}

/** Cuts the wire into separate buffers, as socket reads would hand them out. */
function chunksOf(wire: Uint8Array, chunking: number | 'random'): Uint8Array[] {
  const random = prng(42);
  const out: Uint8Array[] = [];
  for (let at = 0; at < wire.length; ) {
    const n = chunking === 'random' ? 1 + Math.floor(random() * 64 * KiB) : chunking;
    out.push(wire.slice(at, at + n));
    at += n;
  }
  return out;
}

function benchDecode(codec: FrameCodec, frameSize: number, chunking: number | 'random'): void {
  const wire = wireOf(codec, frameSize);
  const chunks = chunksOf(wire, chunking);
  const sink = new Uint8Array(wire.length);
  let frames = 0;
  const copyAll = () => {
    let at = 0;
    for (const c of chunks) {
      sink.set(c, at);
      at += c.length;
    }
    return at;
  };
  const [copy, decode] = bestOfSync(copyAll, () => {
    const decoder = codec.createDecoder({ maxFrameSize: 2 * MiB });
    let bytes = 0;
    for (const c of chunks) {
      decoder.push(c);
      for (let f = decoder.next(); f; f = decoder.next()) {
        bytes += f.body.length;
        frames++;
      }
    }
    decoder.finish();
    return bytes;
  });
  if (frames === 0) throw new Error('no frames decoded');
  report({
    bench: `framing decode ${codec.name} chunk=${chunking}`,
    size: frameSize,
    value: decode / 1e9,
    unit: 'GB/s',
    ratio: decode / copy,
    copyGBps: copy / 1e9,
  });
}

function benchEncode(codec: FrameCodec, frameSize: number): void {
  const body = new Uint8Array(frameSize).fill(0x5a);
  const count = Math.max(1, Math.floor((4 * MiB) / frameSize));
  const sink = new Uint8Array(frameSize + 8);
  const frame = { flags: codec.hasFlags ? 4 : 0, body };
  let length = 0;
  const copyAll = () => {
    for (let i = 0; i < count; i++) sink.set(body, 4);
    return count * frameSize;
  };
  const [copy, encode] = bestOfSync(copyAll, () => {
    for (let i = 0; i < count; i++) length = codec.encode(frame).length;
    return count * frameSize;
  });
  if (length !== frameSize + (codec.hasFlags ? 5 : 4)) throw new Error('bad encoding');
  report({
    bench: `framing encode ${codec.name}`,
    size: frameSize,
    value: encode / 1e9,
    unit: 'GB/s',
    ratio: encode / copy,
    copyGBps: copy / 1e9,
  });
}

async function readExactly(stream: ByteStream, n: number): Promise<void> {
  for (let got = 0; got < n; ) {
    const c = await stream.read();
    if (c === null) throw new Error('echo server closed');
    got += c.length;
  }
}

async function benchEcho(frameSize: number): Promise<void> {
  const codec = u32be({ maxFrameSize: 2 * MiB });
  const framed = await autoListen({ port: 0 }, async (stream) => {
    const channel = frameChannel(stream, codec);
    for (let f = await channel.receive(); f; f = await channel.receive()) await channel.send(f);
  });
  const raw = await autoListen({ port: 0 }, async (stream) => {
    for (let c = await stream.read(); c; c = await stream.read()) await stream.write(c);
  });
  try {
    const body = new Uint8Array(frameSize).fill(1);
    const wire = codec.encode({ flags: 0, body }); // the raw echo moves the same bytes
    const rawStream = await autoConnect({ host: '127.0.0.1', port: raw.port });
    const channel = frameChannel(await autoConnect({ host: '127.0.0.1', port: framed.port }), codec);
    const [rawRate, framedRate] = await bestOf(
      async () => {
        await rawStream.write(wire);
        await readExactly(rawStream, wire.length);
      },
      async () => {
        await channel.send({ flags: 0, body });
        const f = await channel.receive();
        if (f?.body.length !== frameSize) throw new Error('bad echo');
      },
    );
    report({
      bench: 'framing echo u32be loopback (round trips)',
      size: frameSize,
      value: framedRate,
      unit: 'ops/s',
      ratio: framedRate / rawRate,
      rawOps: rawRate,
      GBps: (framedRate * frameSize * 2) / 1e9,
    });
    await rawStream.close();
    await channel.close();
  } finally {
    await framed.close();
    await raw.close();
  }
}

for (const frameSize of FRAME_SIZES)
  for (const chunking of CHUNKINGS) benchDecode(u32be({ maxFrameSize: 2 * MiB }), frameSize, chunking);
benchDecode(gssSample({ maxFrameSize: 2 * MiB }), 16 * KiB, 64 * KiB);
benchDecode(gssSample({ maxFrameSize: 2 * MiB }), 64, 1460);
for (const frameSize of FRAME_SIZES) benchEncode(u32be({ maxFrameSize: 2 * MiB }), frameSize);
for (const frameSize of quick ? [64, 16 * KiB, MiB] : [64, KiB, 16 * KiB, MiB]) await benchEcho(frameSize);
