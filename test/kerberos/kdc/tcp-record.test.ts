// RFC 4120 §7.2.2 TCP record framing of KDC messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGssockError } from '../../../src/core/errors.ts';
import { encodeKdcTcpRecord, KdcTcpRecordReader } from '../../../src/providers/kerberos/kdc/tcp-record.ts';

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

describe('KDC TCP records (RFC 4120 §7.2.2)', () => {
  it('prefixes a 4-byte big-endian length', () => {
    const rec = encodeKdcTcpRecord(new Uint8Array(300).fill(7));
    assert.deepEqual([...rec.subarray(0, 4)], [0, 0, 1, 44]);
    assert.equal(rec.length, 304);
  });

  it('reassembles a record from any chunking', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (body, cuts) => {
          const reader = new KdcTcpRecordReader(1000);
          let got: Uint8Array | undefined;
          for (const chunk of split(encodeKdcTcpRecord(body), cuts)) {
            const r = reader.push(chunk);
            if (r) {
              assert.equal(got, undefined);
              got = r;
            }
          }
          assert.deepEqual(got, body);
        },
      ),
    );
  });

  it('rejects the reserved high bit and oversize lengths before allocating', () => {
    assert.throws(
      () => new KdcTcpRecordReader(1 << 20).push(new Uint8Array([0x80, 0, 0, 5])),
      (e) => isGssockError(e, 'PROTOCOL_ERROR') && e.origin === 'peer',
    );
    assert.throws(
      () => new KdcTcpRecordReader(1 << 20).push(new Uint8Array([0x7f, 0xff, 0xff, 0xff])),
      (e) => isGssockError(e, 'FRAME_TOO_LARGE'),
    );
    assert.throws(
      () => new KdcTcpRecordReader(10).push(new Uint8Array([0, 0, 0, 0])),
      (e) => isGssockError(e),
    );
  });

  it('rejects bytes after the reply record', () => {
    const reader = new KdcTcpRecordReader(100);
    assert.throws(
      () => reader.push(new Uint8Array([0, 0, 0, 1, 9, 9])),
      (e) => isGssockError(e, 'PROTOCOL_ERROR'),
    );
  });

  it('never throws anything but a GssockError on random input', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (chunks) => {
        const reader = new KdcTcpRecordReader(64);
        try {
          for (const c of chunks) reader.push(c);
        } catch (e) {
          assert.ok(isGssockError(e), String(e));
        }
      }),
    );
  });
});
