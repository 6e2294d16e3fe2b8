/**
 * Per-message calls on an established SSPI context (references §1.8): EncryptMessage /
 * DecryptMessage for GSS wrap/unwrap, MakeSignature / VerifySignature for the MIC, with
 * the SecBuffer layout each package expects. Wine 8.0's Kerberos layout differs from
 * Windows' (sspi-quirks.ts 1): its checksum length is learnt from our own tokens.
 */
import { concatBytes } from '../../core/bytes.ts';
import { gssError } from '../../core/errors.ts';
import type { UnwrapResult, WrapOptions } from '../../core/mechanism.ts';
import type { SspiSizes } from './sspi-attributes.ts';
import { type NativeSspi, sspiError } from './sspi-library.ts';
import { checksumOfMic, checksumOfWrap, type SspiQuirks, wineSplit } from './sspi-quirks.ts';
import { type BufferSpec, readSecBuffers, secBufferDesc } from './sspi-structs.ts';
import { NativeArena, readU32 } from './structs.ts';
import { SEC } from './symbols-sspi.ts';

/** MS-NLMP §3.4.4: an NTLM signature (the head of a wrap token) is 16 bytes. */
const NTLM_SIGNATURE = 16;

/** What the per-message calls need of an established context. */
export interface SspiMessageContext {
  lib: NativeSspi;
  /** The CtxtHandle (16 bytes). */
  ctx: Uint8Array;
  package: string;
  quirks: Readonly<SspiQuirks>;
  /** SECPKG_ATTR_SIZES, queried once. */
  sizes(): SspiSizes;
  /** Wine layout: the Kerberos HMAC length, learnt from our own MIC or wrap token. */
  checksum: number;
}

/** Runs a per-message call over native buffers; returns each buffer's bytes afterwards. */
function messageCall(
  lib: NativeSspi,
  op: string,
  buffers: BufferSpec[],
  call: (desc: Uint8Array) => number,
  origin: 'local' | 'peer',
) {
  const { memory } = lib;
  const arena = new NativeArena(memory);
  try {
    const { desc, array } = secBufferDesc(arena, buffers);
    const status = call(desc);
    if (status < 0) throw sspiError(op, status, origin);
    return readSecBuffers(memory, array, buffers.length).map((b) => ({
      type: b.type,
      bytes: b.pointer === 0n ? new Uint8Array(0) : memory.read(b.pointer, b.length),
    }));
  } finally {
    arena.release();
  }
}

/** Wine 8.0's Kerberos buffer layout is in force for this context (sspi-quirks.ts 1). */
function wineKerberos(m: SspiMessageContext): boolean {
  return m.quirks.kerberosWrapLayout === 'wine' && m.package === 'Kerberos';
}

export function sspiWrap(m: SspiMessageContext, message: Uint8Array, options: WrapOptions): Uint8Array {
  const z = m.sizes();
  const qop = options.confidential === false ? SEC.QOP_WRAP_NO_ENCRYPT : (options.qop ?? 0);
  const encrypt = (buffers: BufferSpec[]) =>
    messageCall(
      m.lib,
      'EncryptMessage',
      buffers,
      (d) => m.lib.sspi.encryptMessage(m.ctx, qop, d, 0),
      'local',
    );
  if (wineKerberos(m)) {
    // Wine: DATA holds the token's head, TOKEN its tail; PADDING is never written.
    const [token, data] = encrypt([
      { type: SEC.BUFFER_TOKEN, size: z.trailer },
      { type: SEC.BUFFER_DATA, data: message },
    ]);
    const out = concatBytes(data!.bytes, token!.bytes);
    m.checksum = checksumOfWrap(out, message.length) ?? m.checksum;
    return out;
  }
  const parts = encrypt([
    { type: SEC.BUFFER_TOKEN, size: z.trailer },
    { type: SEC.BUFFER_DATA, data: message },
    { type: SEC.BUFFER_PADDING, size: z.blockSize },
  ]);
  return concatBytes(...parts.map((p) => p.bytes));
}

export function sspiUnwrap(m: SspiMessageContext, token: Uint8Array): UnwrapResult {
  const qop = new Uint8Array(4);
  let buffers: BufferSpec[];
  if (wineKerberos(m)) {
    // Wine: no STREAM buffer; DATA must be exactly as long as the plaintext.
    const cut = wineSplit(token, m.checksum);
    buffers = [
      { type: SEC.BUFFER_DATA, data: token.subarray(0, cut) },
      { type: SEC.BUFFER_TOKEN, data: token.subarray(cut) },
    ];
  } else if (m.package === 'NTLM') {
    // MS-NLMP §3.4.3: signature then sealed data; NTLM has no STREAM buffer.
    if (token.length < NTLM_SIGNATURE)
      throw gssError('DEFECTIVE_TOKEN', 'NTLM wrap token shorter than its signature', { origin: 'peer' });
    buffers = [
      { type: SEC.BUFFER_TOKEN, data: token.subarray(0, NTLM_SIGNATURE) },
      { type: SEC.BUFFER_DATA, data: token.subarray(NTLM_SIGNATURE) },
    ];
  } else {
    // Windows Kerberos: the whole GSS token as STREAM, the plaintext comes back in DATA.
    buffers = [{ type: SEC.BUFFER_STREAM, data: token }, { type: SEC.BUFFER_DATA }];
  }
  const parts = messageCall(
    m.lib,
    'DecryptMessage',
    buffers,
    (desc) => m.lib.sspi.decryptMessage(m.ctx, desc, 0, qop),
    'peer',
  );
  const data = parts.find((p) => p.type === SEC.BUFFER_DATA);
  if (!data) throw gssError('DEFECTIVE_TOKEN', 'DecryptMessage returned no data buffer', { origin: 'peer' });
  return { message: data.bytes, confidential: readU32(qop) !== SEC.QOP_WRAP_NO_ENCRYPT, qop: 0 };
}

export function sspiGetMic(m: SspiMessageContext, message: Uint8Array, qop: number): Uint8Array {
  const z = m.sizes();
  const parts = messageCall(
    m.lib,
    'MakeSignature',
    [
      { type: SEC.BUFFER_DATA, data: message },
      { type: SEC.BUFFER_TOKEN, size: z.maxSignature },
    ],
    (desc) => m.lib.sspi.makeSignature(m.ctx, qop, desc, 0),
    'local',
  );
  const mic = parts[1]!.bytes;
  if (wineKerberos(m)) m.checksum = checksumOfMic(mic) ?? m.checksum;
  return mic;
}

export function sspiVerifyMic(m: SspiMessageContext, message: Uint8Array, mic: Uint8Array): void {
  messageCall(
    m.lib,
    'VerifySignature',
    [
      { type: SEC.BUFFER_DATA, data: message },
      { type: SEC.BUFFER_TOKEN, data: mic },
    ],
    (desc) => m.lib.sspi.verifySignature(m.ctx, desc, 0, new Uint8Array(4)),
    'peer',
  );
}
