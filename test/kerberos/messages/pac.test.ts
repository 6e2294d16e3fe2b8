/**
 * PAC container (MS-PAC §2.3 PACTYPE, §2.4 PAC_INFO_BUFFER, §2.7 PAC_CLIENT_INFO,
 * §2.8 PAC_SIGNATURE_DATA) built here by the spec's layout, plus AD-IF-RELEVANT nesting
 * (RFC 4120 §5.2.6.1). A real MIT PAC is checked in mit-capture.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual } from '../../../src/core/bytes.ts';
import { AuthDataType, PacBufferType } from '../../../src/providers/kerberos/constants.ts';
import * as m from '../../../src/providers/kerberos/messages/index.ts';

/** Lays out a PAC the way MS-PAC §2.3/2.4 describe it (8-byte aligned buffers). */
function buildPac(buffers: Array<[number, Uint8Array]>): Uint8Array {
  const header = 8 + 16 * buffers.length;
  let offset = Math.ceil(header / 8) * 8;
  const placed = buffers.map(([type, data]) => {
    const at = offset;
    offset = Math.ceil((offset + data.length) / 8) * 8;
    return { type, data, at };
  });
  const out = new Uint8Array(offset);
  const v = new DataView(out.buffer);
  v.setUint32(0, buffers.length, true);
  placed.forEach((p, i) => {
    v.setUint32(8 + i * 16, p.type, true);
    v.setUint32(12 + i * 16, p.data.length, true);
    v.setUint32(16 + i * 16, p.at, true);
    out.set(p.data, p.at);
  });
  return out;
}

function clientInfo(ms: number, name: string): Uint8Array {
  const out = new Uint8Array(10 + name.length * 2);
  const v = new DataView(out.buffer);
  const ft = BigInt(ms + 11644473600000) * 10000n;
  v.setBigUint64(0, ft, true);
  v.setUint16(8, name.length * 2, true);
  for (let i = 0; i < name.length; i++) v.setUint16(10 + i * 2, name.charCodeAt(i), true);
  return out;
}

const sig = (type: number, len: number, fill: number) => {
  const out = new Uint8Array(4 + len);
  new DataView(out.buffer).setInt32(0, type, true);
  out.fill(fill, 4);
  return out;
};

describe('PAC', () => {
  const authtime = Date.UTC(2025, 0, 2, 3, 4, 5);
  const pac = buildPac([
    [PacBufferType.LOGON_INFO, new Uint8Array(13).fill(1)],
    [PacBufferType.CLIENT_INFO, clientInfo(authtime, 'alice')],
    [PacBufferType.SERVER_CHECKSUM, sig(16, 12, 0xaa)],
    [PacBufferType.PRIVSVR_CHECKSUM, sig(-138, 16, 0xbb)],
  ]);

  it('parses the buffer list, client info and signatures', () => {
    const p = m.parsePac(pac);
    assert.deepEqual(
      p.buffers.map((b) => b.type),
      [1, 10, 6, 7],
    );
    assert.equal(p.buffers[0]!.size, 13);
    const ci = m.parsePacClientInfo(p.buffers[1]!.data);
    assert.deepEqual(ci, { clientId: authtime, name: 'alice' });
    const server = m.parsePacSignature(p.buffers[2]!.data);
    assert.equal(server.signatureType, 16);
    assert.equal(server.signature.length, 12);
    const kdc = m.parsePacSignature(p.buffers[3]!.data);
    assert.equal(kdc.signatureType, -138);
    assert.equal(kdc.signature.length, 16);
  });

  it('zeroes exactly the two signature fields (MS-PAC §2.8.1)', () => {
    const p = m.parsePac(pac);
    const z = m.zeroPacSignatures(p);
    let diff = 0;
    for (let i = 0; i < pac.length; i++) if (pac[i] !== z[i]) diff++;
    assert.equal(diff, 12 + 16);
  });

  it('finds the PAC inside AD-IF-RELEVANT', () => {
    const inner = m.encodeAuthorizationData([{ adType: AuthDataType.AD_WIN2K_PAC, adData: pac }]);
    const ad = [
      { adType: 5, adData: new Uint8Array(1) },
      { adType: AuthDataType.AD_IF_RELEVANT, adData: inner },
    ];
    assert.ok(bytesEqual(m.findPacInAuthorizationData(ad)!, pac));
    assert.equal(m.findPacInAuthorizationData([]), undefined);
  });

  it('refuses misaligned, overlapping-header, out-of-range and oversized tables', () => {
    const bad = (mutate: (v: DataView) => void, re: RegExp) => {
      const copy = pac.slice();
      mutate(new DataView(copy.buffer));
      assert.throws(
        () => m.parsePac(copy),
        (e: any) => e.code === 'MALFORMED' && re.test(e.message),
      );
    };
    bad((v) => v.setUint32(16, 73, true), /not a multiple of 8/);
    bad((v) => v.setUint32(16, 8, true), /into the header/);
    bad((v) => v.setUint32(12, 10_000, true), /past the end/);
    bad((v) => v.setUint32(4, 1, true), /Version/);
    bad((v) => v.setUint32(0, 100_000, true), /exceed/);
  });
});
