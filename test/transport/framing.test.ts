import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FrameTooLargeError, GssockError, TruncatedStreamError } from '../../src/core/errors.ts';
import { bytesEqual, concatBytes, fromHex, toHex } from '../../src/core/bytes.ts';
import type { Frame, FrameCodec } from '../../src/transport/channel.ts';
import {
  DEFAULT_MAX_FRAME_SIZE,
  GssSampleFlags,
  codecByName,
  gssSample,
  sasl,
  u32be,
  u32le,
} from '../../src/transport/framing/index.ts';

const codecs: FrameCodec[] = [u32be(), u32le(), gssSample(), sasl()];

/** Cuts `bytes` at the given sizes (cycled), 1-byte chunks included. */
function cut(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  for (let at = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length] ?? 1);
    out.push(bytes.slice(at, at + n)); // slice: each chunk its own buffer, like a socket read
    at += n;
  }
  return out;
}

function decodeAll(codec: FrameCodec, chunks: Uint8Array[], maxFrameSize?: number): Frame[] {
  const decoder = codec.createDecoder(maxFrameSize === undefined ? {} : { maxFrameSize });
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    decoder.push(chunk);
    for (let f = decoder.next(); f; f = decoder.next()) frames.push(f);
  }
  decoder.finish();
  assert.equal(decoder.buffered, 0);
  return frames;
}

const frameArb = (codec: FrameCodec) =>
  fc.record({
    flags: codec.hasFlags ? fc.integer({ min: 0, max: 255 }) : fc.constant(0),
    body: fc.oneof(
      { weight: 4, arbitrary: fc.uint8Array({ maxLength: 64 }) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1000, maxLength: 5000 }) },
    ),
  });

const sizesArb = fc.array(
  fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 9000 })),
  { minLength: 1, maxLength: 20 },
);

describe('framing: byte layouts', () => {
  const data = JSON.parse(readFileSync(new URL('./vectors/framing.json', import.meta.url), 'utf8')) as {
    vectors: Array<{ codec: string; flags: number; body: string; wire: string }>;
  };
  for (const v of data.vectors) {
    it(`${v.codec} flags=${v.flags} body=${v.body || '(empty)'} <-> ${v.wire}`, () => {
      const codec = codecByName(v.codec);
      assert.equal(toHex(codec.encode({ flags: v.flags, body: fromHex(v.body) })), v.wire);
      const [frame, ...rest] = decodeAll(codec, [fromHex(v.wire)]);
      assert.equal(rest.length, 0);
      assert.equal(frame?.flags, v.flags);
      assert.equal(toHex(frame!.body), v.body);
    });
  }
});

describe('framing: every codec', () => {
  for (const codec of codecs) {
    describe(codec.name, () => {
      it('any chunking of a stream of frames yields the same frames', () => {
        fc.assert(
          fc.property(fc.array(frameArb(codec), { maxLength: 12 }), sizesArb, (frames, sizes) => {
            const wire = concatBytes(...frames.map((f) => codec.encode(f)));
            const got = decodeAll(codec, cut(wire, sizes));
            assert.equal(got.length, frames.length);
            for (let i = 0; i < frames.length; i++) {
              assert.equal(got[i]!.flags, frames[i]!.flags);
              assert.ok(bytesEqual(got[i]!.body, frames[i]!.body));
            }
          }),
          { numRuns: 200 },
        );
      });

      it('frames inside one chunk are zero-copy views; split frames get one exact buffer', () => {
        const a = { flags: codec.hasFlags ? GssSampleFlags.DATA : 0, body: new Uint8Array(100).fill(7) };
        const b = { flags: codec.hasFlags ? GssSampleFlags.MIC : 0, body: new Uint8Array(300).fill(9) };
        const wire = concatBytes(codec.encode(a), codec.encode(b));
        const decoder = codec.createDecoder();
        decoder.push(wire.subarray(0, wire.length - 50));
        const first = decoder.next()!;
        assert.equal(first.body.buffer, wire.buffer, 'whole frame is a view of the pushed chunk');
        assert.equal(decoder.next(), undefined);
        assert.ok(decoder.buffered > 0);
        decoder.push(wire.slice(wire.length - 50));
        const second = decoder.next()!;
        assert.notEqual(second.body.buffer, wire.buffer);
        assert.equal(second.body.buffer.byteLength, 300, 'split body is assembled in exactly its size');
        assert.ok(bytesEqual(second.body, b.body));
        decoder.finish();
      });

      it('random bytes give frames or typed GssockErrors, never anything else', () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 2000 }), sizesArb, (bytes, sizes) => {
            const decoder = codec.createDecoder({ maxFrameSize: 500 });
            try {
              for (const chunk of cut(bytes, sizes)) {
                decoder.push(chunk);
                for (let f = decoder.next(); f; f = decoder.next()) assert.ok(f.body.length <= 500);
              }
              decoder.finish();
            } catch (e) {
              assert.ok(e instanceof GssockError, `not a GssockError: ${String(e)}`);
              assert.ok(['FRAME_TOO_LARGE', 'TRUNCATED'].includes(e.code), e.code);
              assert.equal(e.origin, 'peer');
            }
          }),
          { numRuns: 300 },
        );
      });

      it('a header announcing 4 GiB - 1 throws FrameTooLargeError without allocating', () => {
        const header = codec.hasFlags ? fromHex('02ffffffff') : fromHex('ffffffff');
        const original = globalThis.Uint8Array;
        const allocations: number[] = [];
        class SpyUint8Array extends original {
          constructor(...args: unknown[]) {
            if (typeof args[0] === 'number') allocations.push(args[0]);
            super(...(args as [number]));
          }
        }
        for (const chunking of [[header.length], [1]]) {
          const decoder = codec.createDecoder();
          allocations.length = 0;
          globalThis.Uint8Array = SpyUint8Array as Uint8ArrayConstructor;
          let error: unknown;
          try {
            for (const chunk of cut(header, chunking)) decoder.push(chunk);
          } catch (e) {
            error = e;
          } finally {
            globalThis.Uint8Array = original;
          }
          assert.ok(error instanceof FrameTooLargeError, String(error));
          assert.equal(error.announced, 0xffffffff);
          assert.equal(error.maximum, codec.name === 'sasl' ? 0xffffff : DEFAULT_MAX_FRAME_SIZE);
          assert.ok(
            allocations.every((n) => n < 1024),
            `allocated ${allocations}`,
          );
          // The decoder stays failed: the stream cannot be resynchronised.
          assert.throws(() => decoder.push(new Uint8Array(1)), FrameTooLargeError);
          assert.throws(() => decoder.finish(), FrameTooLargeError);
        }
      });

      it('frames before a bad header are still delivered, then the error', () => {
        const good = codec.encode({ flags: codec.hasFlags ? 1 : 0, body: new Uint8Array([1, 2]) });
        const decoder = codec.createDecoder({ maxFrameSize: 10 });
        const bad = codec.encode({ flags: codec.hasFlags ? 1 : 0, body: new Uint8Array(11) });
        decoder.push(concatBytes(good, bad));
        assert.deepEqual([...decoder.next()!.body], [1, 2]);
        assert.throws(() => decoder.next(), FrameTooLargeError);
      });

      it('maxFrameSize is inclusive and per decoder', () => {
        const wire = codec.encode({ flags: codec.hasFlags ? 4 : 0, body: new Uint8Array(10) });
        assert.equal(decodeAll(codec, [wire], 10).length, 1);
        assert.throws(() => decodeAll(codec, [wire], 9), FrameTooLargeError);
        assert.throws(() => codec.createDecoder({ maxFrameSize: -1 }), { code: 'INVALID_ARGUMENT' });
      });

      it('a stream ending inside a frame throws TruncatedStreamError; between frames it is clean', () => {
        const wire = concatBytes(
          codec.encode({ flags: codec.hasFlags ? 2 : 0, body: new Uint8Array([5, 6, 7]) }),
          codec.encode({ flags: codec.hasFlags ? 2 : 0, body: new Uint8Array(40) }),
        );
        const boundary = wire.length - (codec.hasFlags ? 45 : 44);
        for (let end = 0; end <= wire.length; end++) {
          const decoder = codec.createDecoder();
          decoder.push(wire.subarray(0, end));
          while (decoder.next());
          if (end === 0 || end === boundary || end === wire.length) decoder.finish();
          else assert.throws(() => decoder.finish(), TruncatedStreamError, `cut at ${end}`);
        }
      });

      it('encode makes one buffer: header then body', () => {
        const body = new Uint8Array([1, 2, 3, 4, 5]);
        const out = codec.encode({ flags: codec.hasFlags ? 8 : 0, body });
        assert.equal(out.length, body.length + (codec.hasFlags ? 5 : 4));
        assert.ok(bytesEqual(out.subarray(out.length - 5), body));
      });
    });
  }
});

describe('framing: codec specifics', () => {
  it('u32le reports sendsEmpty false (SendMsg never sends an empty message), the others true', () => {
    assert.equal(u32le().sendsEmpty, false);
    assert.equal(u32be().sendsEmpty, true);
    assert.equal(gssSample().sendsEmpty, true);
    assert.equal(sasl().sendsEmpty, true);
  });

  it('flagless codecs refuse non-zero flags instead of dropping them', () => {
    for (const codec of [u32be(), u32le(), sasl()])
      assert.throws(() => codec.encode({ flags: 2, body: new Uint8Array(1) }), { code: 'INVALID_ARGUMENT' });
  });

  it('gss-sample: flag values are gss-misc.h TOKEN_*', () => {
    assert.deepEqual(GssSampleFlags, {
      NOOP: 1,
      CONTEXT: 2,
      DATA: 4,
      MIC: 8,
      CONTEXT_NEXT: 16,
      WRAPPED: 32,
      ENCRYPTED: 64,
      SEND_MIC: 128,
    });
  });

  it('gss-sample: a v1 (length-only) frame and a flagged frame mix in one stream', () => {
    const wire = fromHex('00000002aabb' + '0100000000' + '2400000001cc');
    const frames = decodeAll(gssSample(), cut(wire, [1]));
    assert.deepEqual(
      frames.map((f) => [f.flags, toHex(f.body)]),
      [
        [0, 'aabb'],
        [GssSampleFlags.NOOP, ''],
        [GssSampleFlags.DATA | GssSampleFlags.WRAPPED, 'cc'],
      ],
    );
  });

  it('gss-sample: refuses flags outside a byte and a flags-0 body of 16 MiB (recv_token would misread it)', () => {
    const codec = gssSample();
    assert.throws(() => codec.encode({ flags: 256, body: new Uint8Array(0) }), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => codec.encode({ flags: -1, body: new Uint8Array(0) }), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => codec.encode({ flags: 0, body: new Uint8Array(0x1000000) }), {
      code: 'LIMIT_EXCEEDED',
    });
    assert.equal(codec.encode({ flags: 4, body: new Uint8Array(0x1000000) }).length, 0x1000005);
  });

  it('sasl: the receive limit is our announced size, the send limit the peer one', () => {
    const codec = sasl({ maxFrameSize: 8, maxSendSize: 4 });
    assert.throws(() => codec.encode({ flags: 0, body: new Uint8Array(5) }), { code: 'LIMIT_EXCEEDED' });
    const wire = u32be().encode({ flags: 0, body: new Uint8Array(9) });
    assert.throws(() => decodeAll(codec, [wire]), FrameTooLargeError);
    assert.equal(decodeAll(codec, [u32be().encode({ flags: 0, body: new Uint8Array(8) })]).length, 1);
  });

  it('codecByName knows every codec and refuses others', () => {
    for (const name of ['u32be', 'u32le', 'gss-sample', 'sasl']) assert.equal(codecByName(name).name, name);
    assert.throws(() => codecByName('xdr'), { code: 'INVALID_ARGUMENT' });
  });
});
