/**
 * The pure parts of the SSPI bridge that the Wine path relies on, on every runtime (no
 * Wine needed): the quirk profiles, the RFC 4121 arithmetic of the wine buffer layout,
 * and the x64 struct layouts of sspi.h (SecBuffer, SEC_WINNT_AUTH_IDENTITY_W, SecPkgInfoW)
 * written and read through a NativeMemory over a JS heap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GssockError } from '../../src/core/errors.ts';
import type { Bindings } from '../../src/providers/native/ffi/types.ts';
import {
  checksumOfMic,
  checksumOfWrap,
  resolveQuirks,
  WINDOWS_SSPI,
  WINE_SSPI,
  wineSplit,
} from '../../src/providers/native/sspi-quirks.ts';
import {
  authIdentity,
  readPackageInfo,
  readSecBuffers,
  readUtf16z,
  secBufferDesc,
  utf16z,
} from '../../src/providers/native/sspi-structs.ts';
import { NativeArena, NativeMemory } from '../../src/providers/native/structs.ts';
import type { LIBC_SYMBOLS } from '../../src/providers/native/symbols-gssapi.ts';
import { SEC } from '../../src/providers/native/symbols-sspi.ts';

/** malloc/free/memcpy over one JS ArrayBuffer (addresses from 0x1000), for layout tests. */
function jsHeap() {
  const heap = new Uint8Array(1 << 16);
  let next = 0x1000;
  const live = new Set<bigint>();
  const at = (a: bigint) => Number(a) - 0x1000;
  const libc = {
    malloc: (size: number | bigint) => {
      const a = BigInt(next);
      next += (Number(size) + 15) & ~15;
      live.add(a);
      return a;
    },
    free: (a: bigint) => {
      live.delete(a);
      return undefined;
    },
    copyIn: (dst: bigint, src: Uint8Array | null, n: number | bigint) => {
      heap.set(src!.subarray(0, Number(n)), at(dst));
      return dst;
    },
    copyOut: (dst: Uint8Array | null, src: bigint, n: number | bigint) => {
      dst!.set(heap.subarray(at(src), at(src) + Number(n)));
      return 0n;
    },
    setenv: undefined,
  } as unknown as Bindings<typeof LIBC_SYMBOLS>;
  const view = (a: bigint, n: number) => new DataView(heap.buffer, at(a), n);
  return { memory: new NativeMemory(libc), live, view };
}

/** An RFC 4121 §4.2.6.2 wrap token: header (TOK_ID 05 04, flags, FF, EC, RRC, SND_SEQ) + body. */
function cfxToken(sealed: boolean, ec: number, bodyLength: number): Uint8Array {
  const t = new Uint8Array(16 + bodyLength);
  t.set([0x05, 0x04, sealed ? 0x02 : 0x00, 0xff, ec >> 8, ec & 0xff, 0, 0]);
  return t;
}

describe('SSPI quirk profiles (sspi-quirks.ts)', () => {
  it('Windows behaviour is the default; Wine is explicit', () => {
    assert.deepEqual(resolveQuirks(undefined), { ...WINDOWS_SSPI });
    assert.equal(resolveQuirks(undefined).kerberosWrapLayout, 'windows');
    assert.equal(resolveQuirks(undefined).allocateTokens, true);
    assert.equal(resolveQuirks('wine').kerberosWrapLayout, 'wine');
    assert.equal(resolveQuirks('wine').allocateTokens, false);
    assert.deepEqual(resolveQuirks({ trailerFloor: 60 }), { ...WINDOWS_SSPI, trailerFloor: 60 });
    // The floors cover the largest AES token overheads (aes256-cts-hmac-sha384-192, RFC 8009).
    assert.equal(WINE_SSPI.trailerFloor, 16 + 16 + 16 + 24);
    assert.equal(WINE_SSPI.signatureFloor, 16 + 24);
  });

  it('wineSplit: DATA gets exactly the plaintext length (RFC 4121 §4.2.4 layouts)', () => {
    for (const checksum of [12, 16, 24])
      for (const plaintext of [0, 1, 15, 16, 17, 1000])
        for (const ec of [0, 3]) {
          // Sealed: E(confounder 16 + plaintext + EC filler + header copy 16) + HMAC.
          const sealed = cfxToken(true, ec, 16 + plaintext + ec + 16 + checksum);
          assert.equal(wineSplit(sealed, checksum), plaintext);
          // Unsealed: plaintext + checksum, EC = checksum length.
          const unsealed = cfxToken(false, checksum, plaintext + checksum);
          assert.equal(wineSplit(unsealed, checksum), plaintext);
        }
  });

  it('wineSplit refuses what is not a CFX wrap token, typed and from the peer', () => {
    for (const bad of [
      new Uint8Array(10),
      new Uint8Array([0x60, 0x2b, 0x06, 0x09, ...new Uint8Array(40)]), // RFC 4757 framing
      new Uint8Array([0x04, 0x04, 0, 0xff, ...new Uint8Array(24)]), // a MIC token
      cfxToken(true, 0, 10), // shorter than its overhead
    ]) {
      assert.throws(
        () => wineSplit(bad, 12),
        (e: unknown) => e instanceof GssockError && e.code === 'DEFECTIVE_TOKEN' && e.origin === 'peer',
      );
    }
  });

  it('the checksum length is learnt from our own MIC and sealed wrap tokens', () => {
    const mic = new Uint8Array(16 + 24);
    mic.set([0x04, 0x04]);
    assert.equal(checksumOfMic(mic), 24);
    assert.equal(checksumOfMic(new Uint8Array([0x01, 0x01, ...new Uint8Array(30)])), undefined);
    assert.equal(checksumOfWrap(cfxToken(true, 0, 16 + 5 + 16 + 12), 5), 12);
    assert.equal(checksumOfWrap(cfxToken(false, 12, 5 + 12), 5), undefined);
  });
});

describe('sspi.h x64 layouts (sspi-structs.ts)', () => {
  it('SecBufferDesc / SecBuffer: version, count, {cbBuffer, BufferType, pvBuffer} × n', () => {
    const { memory, live } = jsHeap();
    const arena = new NativeArena(memory);
    const { desc, array } = secBufferDesc(arena, [
      { type: SEC.BUFFER_TOKEN, size: 60 },
      { type: SEC.BUFFER_DATA, data: new Uint8Array([1, 2, 3]) },
      { type: SEC.BUFFER_TOKEN },
    ]);
    const dv = new DataView(desc.buffer);
    assert.equal(dv.getUint32(0, true), 0); // SECBUFFER_VERSION
    assert.equal(dv.getUint32(4, true), 3);
    assert.equal(dv.getBigUint64(8, true), array);
    const bufs = readSecBuffers(memory, array, 3);
    assert.deepEqual(
      bufs.map((b) => [b.length, b.type, b.pointer !== 0n]),
      [
        [60, 2, true],
        [3, 1, true],
        [0, 2, false], // SSPI allocates (ALLOCATE_MEMORY): no pointer of ours
      ],
    );
    assert.deepEqual([...memory.read(bufs[1]!.pointer, 3)], [1, 2, 3]);
    arena.release();
    assert.equal(live.size, 0, 'the arena frees everything it allocated');
  });

  it('SEC_WINNT_AUTH_IDENTITY_W: pointers at 0/16/32, UTF-16 lengths at 8/24/40, UNICODE flag at 44; the password is wiped', () => {
    const { memory, view } = jsHeap();
    const arena = new NativeArena(memory);
    const writes: Array<[bigint, Uint8Array]> = [];
    const id = authIdentity(arena, (a, b) => writes.push([a, b]), {
      user: 'alice',
      domain: 'EXAMPLE',
      password: 'pässword',
    });
    const v = view(id.address, 48);
    assert.equal(readUtf16z(memory, v.getBigUint64(0, true)), 'alice');
    assert.equal(v.getUint32(8, true), 5);
    assert.equal(readUtf16z(memory, v.getBigUint64(16, true)), 'EXAMPLE');
    assert.equal(v.getUint32(24, true), 7);
    const passwordAt = v.getBigUint64(32, true);
    assert.equal(readUtf16z(memory, passwordAt), 'pässword');
    assert.equal(v.getUint32(40, true), 8);
    assert.equal(v.getUint32(44, true), 2); // SEC_WINNT_AUTH_IDENTITY_UNICODE
    id.wipe();
    assert.equal(writes.length, 1);
    assert.equal(writes[0]![0], passwordAt);
    assert.ok(writes[0]![1].length >= 16 && writes[0]![1].every((b) => b === 0));
    arena.release();
  });

  it('SecPkgInfoW: capabilities, version, RPC id, cbMaxToken, Name and Comment pointers', () => {
    const { memory } = jsHeap();
    const name = memory.alloc(utf16z('Kerberos'));
    const comment = memory.alloc(utf16z('Microsoft Kerberos V1.0'));
    const raw = new Uint8Array(32);
    const v = new DataView(raw.buffer);
    v.setUint32(0, 0x8f3bbf, true);
    v.setUint16(4, 1, true);
    v.setUint16(6, 16, true); // RPC_C_AUTHN_GSS_KERBEROS
    v.setUint32(8, 12000, true);
    v.setBigUint64(16, name, true);
    v.setBigUint64(24, comment, true);
    assert.deepEqual(readPackageInfo(memory, memory.alloc(raw)), {
      capabilities: 0x8f3bbf,
      version: 1,
      rpcId: 16,
      maxToken: 12000,
      name: 'Kerberos',
      comment: 'Microsoft Kerberos V1.0',
    });
  });
});
