/**
 * A SecurityContext over Windows SSPI (secur32.dll), the loop of references §1.6:
 * AcquireCredentialsHandleW once, then InitializeSecurityContextW / AcceptSecurityContext
 * until the status is neither SEC_I_CONTINUE_NEEDED nor SEC_I_COMPLETE_AND_CONTINUE,
 * calling CompleteAuthToken on SEC_I_COMPLETE_*; Encrypt/DecryptMessage and
 * Make/VerifySignature afterwards (the GSS wrap/MIC counterparts, §1.8).
 *
 * Verified under Wine 8.0 (`npm run test:wine`: Windows Node 22 + koffi and Windows Bun,
 * against MIT and gssock's pure mechanisms, §7). Wine's deviations from Windows are the
 * named switches of sspi-quirks.ts; the default is Windows behaviour.
 *
 * Handles (CredHandle, CtxtHandle: 16 bytes) live in JS memory lent per call; output tokens
 * are allocated by SSPI (ISC/ASC_REQ_ALLOCATE_MEMORY), copied, then FreeContextBuffer.
 * dispose() calls DeleteSecurityContext and FreeCredentialsHandle exactly once each.
 */
import { gssError } from '../../core/errors.ts';
import { AscFlags, fromSspiFlags, IscFlags, toSspiFlags } from '../../core/flags.ts';
import type {
  ChannelBindings,
  ContextInfo,
  Role,
  SecurityContext,
  StepResult,
  UnwrapResult,
  WrapOptions,
} from '../../core/mechanism.ts';
import { NativeArena, readPointer, readU32 } from './structs.ts';
import { type NativeSspi, querySspiPackage, sspiError, writeNative } from './sspi-library.ts';
import { checksumOfMic, checksumOfWrap, resolveQuirks, type SspiQuirks, wineSplit } from './sspi-quirks.ts';
import {
  authIdentity,
  type BufferSpec,
  channelBindingsBuffer,
  readSecBuffers,
  readUtf16z,
  type SspiIdentity,
  secBufferDesc,
  utf16z,
} from './sspi-structs.ts';
import { SEC } from './symbols-sspi.ts';

export { loadSspi, type NativeSspi, SSPI_PACKAGES, sspiError } from './sspi-library.ts';
export { channelBindingsBuffer } from './sspi-structs.ts';

/** MS-NLMP §3.4.4: an NTLM signature (the head of a wrap token) is 16 bytes. */
const NTLM_SIGNATURE = 16;

export interface SspiContextConfig {
  lib: NativeSspi;
  role: Role;
  package: string;
  mechOid: string;
  target?: string;
  flags: number;
  channelBindings?: ChannelBindings;
  /** pszPrincipal of AcquireCredentialsHandleW (the name to act as). */
  principal?: string;
  /** Explicit credentials (SEC_WINNT_AUTH_IDENTITY_W), instead of the logon session's. */
  identity?: SspiIdentity;
  /** Where the SSPI implementation deviates from Windows; default 'windows'. */
  quirks?: 'windows' | 'wine' | Partial<SspiQuirks>;
}

interface Sizes {
  maxSignature: number;
  blockSize: number;
  trailer: number;
}

export class SspiContext implements SecurityContext {
  readonly role: Role;
  readonly mechanism = 'native';
  readonly quirks: Readonly<SspiQuirks>;
  readonly #c: SspiContextConfig;
  readonly #cred = new Uint8Array(16);
  readonly #ctx = new Uint8Array(16);
  #hasContext = false;
  #established = false;
  #disposed = false;
  #attrs = 0;
  #sizes: Sizes | undefined;
  /** Wine layout: the Kerberos HMAC length, learnt from our own MIC or wrap token. */
  #checksum: number;
  /** cbMaxToken, when gssock provides the output token buffer (quirk allocateTokens false). */
  #maxToken = 0;

  constructor(config: SspiContextConfig) {
    this.role = config.role;
    this.#c = config;
    this.quirks = resolveQuirks(config.quirks);
    this.#checksum = this.quirks.kerberosChecksumBytes;
    const { lib } = config;
    const arena = new NativeArena(lib.memory);
    const id = config.identity
      ? authIdentity(arena, (a, b) => writeNative(lib, a, b), config.identity)
      : undefined;
    try {
      const status = lib.sspi.acquireCredentialsHandle(
        config.principal ? utf16z(config.principal) : null,
        utf16z(config.package),
        config.role === 'initiator' ? SEC.CRED_OUTBOUND : SEC.CRED_INBOUND,
        0n,
        id?.address ?? 0n,
        0n,
        0n,
        this.#cred,
        new Uint8Array(8),
      );
      if (status < 0) throw sspiError('AcquireCredentialsHandleW', status);
    } finally {
      id?.wipe();
      arena.release();
    }
    if (!this.quirks.allocateTokens) {
      try {
        this.#maxToken = querySspiPackage(lib, config.package).maxToken;
      } catch (e) {
        lib.sspi.freeCredentialsHandle(this.#cred);
        throw e;
      }
    }
  }

  get established(): boolean {
    return this.#established;
  }

  step(input: Uint8Array | null): StepResult {
    if (this.#disposed) throw gssError('INVALID_STATE', 'the context was disposed');
    if (this.#established) throw gssError('INVALID_STATE', 'step() after the context was established');
    if (this.role === 'acceptor' && input === null)
      throw gssError('INVALID_STATE', "the acceptor's step() needs the initiator's token");
    const { lib } = this.#c;
    const arena = new NativeArena(lib.memory);
    try {
      const inputs: BufferSpec[] = [];
      if (input) inputs.push({ type: SEC.BUFFER_TOKEN, data: input });
      if (this.#c.channelBindings)
        inputs.push({
          type: SEC.BUFFER_CHANNEL_BINDINGS,
          data: channelBindingsBuffer(this.#c.channelBindings),
        });
      const inDesc = inputs.length > 0 ? secBufferDesc(arena, inputs).desc : null;
      const allocate = this.quirks.allocateTokens;
      const out = secBufferDesc(arena, [
        allocate ? { type: SEC.BUFFER_TOKEN } : { type: SEC.BUFFER_TOKEN, size: this.#maxToken },
      ]);
      const alloc = allocate
        ? this.role === 'initiator'
          ? IscFlags.ALLOCATE_MEMORY
          : AscFlags.ALLOCATE_MEMORY
        : 0;
      const attrs = new Uint8Array(4);
      const prior = this.#hasContext ? this.#ctx : null;
      const status =
        this.role === 'initiator'
          ? lib.sspi.initializeSecurityContext(
              this.#cred,
              prior,
              utf16z(spnForSspi(this.#c.target ?? '')),
              toSspiFlags(this.#c.flags, 'initiator') | alloc,
              0,
              SEC.NATIVE_DREP,
              inDesc,
              0,
              this.#ctx,
              out.desc,
              attrs,
              new Uint8Array(8),
            )
          : lib.sspi.acceptSecurityContext(
              this.#cred,
              prior,
              inDesc,
              toSspiFlags(this.#c.flags, 'acceptor') | alloc,
              SEC.NATIVE_DREP,
              this.#ctx,
              out.desc,
              attrs,
              new Uint8Array(8),
            );
      if (status < 0) {
        this.#takeOutput(out.array); // an error token SSPI may have allocated
        throw sspiError(
          this.role === 'initiator' ? 'InitializeSecurityContextW' : 'AcceptSecurityContext',
          status,
          input ? 'peer' : 'local',
        );
      }
      this.#hasContext = true;
      if (status === SEC.I_COMPLETE_NEEDED || status === SEC.I_COMPLETE_AND_CONTINUE) {
        const s = lib.sspi.completeAuthToken(this.#ctx, out.desc);
        if (s < 0) throw sspiError('CompleteAuthToken', s);
      }
      const token = this.#takeOutput(out.array);
      const more = status === SEC.I_CONTINUE_NEEDED || status === SEC.I_COMPLETE_AND_CONTINUE;
      if (!more) {
        this.#established = true;
        this.#attrs = readU32(attrs);
      }
      return token.length > 0 ? { outputToken: token, done: !more } : { done: !more };
    } finally {
      arena.release();
    }
  }

  /** Copies the output SecBuffer; FreeContextBuffer when SSPI allocated it (the arena frees ours). */
  #takeOutput(array: bigint): Uint8Array {
    const { memory, sspi } = this.#c.lib;
    const [head] = readSecBuffers(memory, array, 1);
    if (!head || head.pointer === 0n) return new Uint8Array(0);
    if (!this.quirks.allocateTokens) return memory.read(head.pointer, Math.min(head.length, this.#maxToken));
    try {
      return memory.read(head.pointer, head.length);
    } finally {
      sspi.freeContextBuffer(head.pointer);
    }
  }

  info(): ContextInfo {
    this.#ready('info');
    return {
      mechanism: 'native',
      mechanismOid: this.#c.mechOid,
      flags: fromSspiFlags(this.#attrs, this.role),
      peerName: this.role === 'initiator' ? (this.#c.target ?? '') : this.#queryName(),
      localName: this.role === 'initiator' ? this.#queryName() : '',
      extra: {
        ffi: this.#c.lib.ffi,
        package: this.#c.package,
        kerberosWrapLayout: this.quirks.kerberosWrapLayout,
      },
    };
  }

  /** SECPKG_ATTR_NAMES: the client's name (both sides); '' where unsupported (Wine 8.0). */
  #queryName(): string {
    const { memory, sspi } = this.#c.lib;
    const slot = new Uint8Array(8);
    if (sspi.queryContextAttributes(this.#ctx, SEC.ATTR_NAMES, slot) < 0) return '';
    const p = readPointer(slot);
    if (p === 0n) return '';
    try {
      return readUtf16z(memory, p);
    } finally {
      sspi.freeContextBuffer(p);
    }
  }

  #sizesOf(): Sizes {
    if (this.#sizes) return this.#sizes;
    const out = new Uint8Array(16);
    const s = this.#c.lib.sspi.queryContextAttributes(this.#ctx, SEC.ATTR_SIZES, out);
    if (s < 0) throw sspiError('QueryContextAttributesW(SIZES)', s);
    // The floors are 0 on Windows; under Wine they cover what SIZES under-reports (sspi-quirks.ts 2, 3).
    this.#sizes = {
      maxSignature: Math.max(readU32(out, 4), this.quirks.signatureFloor),
      blockSize: readU32(out, 8),
      trailer: Math.max(readU32(out, 12), this.quirks.trailerFloor),
    };
    return this.#sizes;
  }

  /** Runs a per-message call over native buffers; returns each buffer's bytes afterwards. */
  #message(op: string, buffers: BufferSpec[], call: (desc: Uint8Array) => number, origin: 'local' | 'peer') {
    const { memory } = this.#c.lib;
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
  get #wineKerberos(): boolean {
    return this.quirks.kerberosWrapLayout === 'wine' && this.#c.package === 'Kerberos';
  }

  wrap(message: Uint8Array, options: WrapOptions = {}): Uint8Array {
    this.#ready('wrap');
    const z = this.#sizesOf();
    const qop = options.confidential === false ? SEC.QOP_WRAP_NO_ENCRYPT : (options.qop ?? 0);
    const encrypt = (buffers: BufferSpec[]) =>
      this.#message(
        'EncryptMessage',
        buffers,
        (d) => this.#c.lib.sspi.encryptMessage(this.#ctx, qop, d, 0),
        'local',
      );
    if (this.#wineKerberos) {
      // Wine: DATA holds the token's head, TOKEN its tail; PADDING is never written.
      const [token, data] = encrypt([
        { type: SEC.BUFFER_TOKEN, size: z.trailer },
        { type: SEC.BUFFER_DATA, data: message },
      ]);
      const out = concat([data!.bytes, token!.bytes]);
      this.#checksum = checksumOfWrap(out, message.length) ?? this.#checksum;
      return out;
    }
    const parts = encrypt([
      { type: SEC.BUFFER_TOKEN, size: z.trailer },
      { type: SEC.BUFFER_DATA, data: message },
      { type: SEC.BUFFER_PADDING, size: z.blockSize },
    ]);
    return concat(parts.map((p) => p.bytes));
  }

  unwrap(token: Uint8Array): UnwrapResult {
    this.#ready('unwrap');
    const qop = new Uint8Array(4);
    let buffers: BufferSpec[];
    if (this.#wineKerberos) {
      // Wine: no STREAM buffer; DATA must be exactly as long as the plaintext.
      const cut = wineSplit(token, this.#checksum);
      buffers = [
        { type: SEC.BUFFER_DATA, data: token.subarray(0, cut) },
        { type: SEC.BUFFER_TOKEN, data: token.subarray(cut) },
      ];
    } else if (this.#c.package === 'NTLM') {
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
    const parts = this.#message(
      'DecryptMessage',
      buffers,
      (desc) => this.#c.lib.sspi.decryptMessage(this.#ctx, desc, 0, qop),
      'peer',
    );
    const data = parts.find((p) => p.type === SEC.BUFFER_DATA);
    if (!data)
      throw gssError('DEFECTIVE_TOKEN', 'DecryptMessage returned no data buffer', { origin: 'peer' });
    return { message: data.bytes, confidential: readU32(qop) !== SEC.QOP_WRAP_NO_ENCRYPT, qop: 0 };
  }

  getMic(message: Uint8Array, qop = 0): Uint8Array {
    this.#ready('getMic');
    const z = this.#sizesOf();
    const parts = this.#message(
      'MakeSignature',
      [
        { type: SEC.BUFFER_DATA, data: message },
        { type: SEC.BUFFER_TOKEN, size: z.maxSignature },
      ],
      (desc) => this.#c.lib.sspi.makeSignature(this.#ctx, qop, desc, 0),
      'local',
    );
    const mic = parts[1]!.bytes;
    if (this.#wineKerberos) this.#checksum = checksumOfMic(mic) ?? this.#checksum;
    return mic;
  }

  verifyMic(message: Uint8Array, mic: Uint8Array): void {
    this.#ready('verifyMic');
    this.#message(
      'VerifySignature',
      [
        { type: SEC.BUFFER_DATA, data: message },
        { type: SEC.BUFFER_TOKEN, data: mic },
      ],
      (desc) => this.#c.lib.sspi.verifySignature(this.#ctx, desc, 0, new Uint8Array(4)),
      'peer',
    );
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#established = false;
    if (this.#hasContext) this.#c.lib.sspi.deleteSecurityContext(this.#ctx);
    this.#c.lib.sspi.freeCredentialsHandle(this.#cred);
    this.#ctx.fill(0);
    this.#cred.fill(0);
  }

  #ready(op: string): void {
    if (this.#disposed) throw gssError('INVALID_STATE', 'the context was disposed');
    if (!this.#established) throw gssError('INVALID_STATE', `${op}() before the context is established`);
  }
}

/** Windows SSPI does not take `service@host`: give `service/host` (references §1.8). */
export function spnForSspi(target: string): string {
  return /^[^@/]+@[^@/]+$/.test(target) ? target.replace('@', '/') : target;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
