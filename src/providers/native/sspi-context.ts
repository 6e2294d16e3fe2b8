/**
 * A SecurityContext over Windows SSPI (secur32.dll), the loop of references §1.6:
 * AcquireCredentialsHandleW once, then InitializeSecurityContextW / AcceptSecurityContext
 * until the status is neither SEC_I_CONTINUE_NEEDED nor SEC_I_COMPLETE_AND_CONTINUE,
 * calling CompleteAuthToken on SEC_I_COMPLETE_*; Encrypt/DecryptMessage and
 * Make/VerifySignature afterwards (the GSS wrap/MIC counterparts, §1.8).
 *
 * TYPECHECKED ONLY: it cannot run on the Linux CI machines (Wine could run it, §7).
 *
 * x64 layouts: SecHandle { ULONG_PTR dwLower, dwUpper } 16 bytes; SecBuffer { ULONG
 * cbBuffer; ULONG BufferType; void *pvBuffer } 16; SecBufferDesc { ULONG ulVersion; ULONG
 * cBuffers; SecBuffer *pBuffers } 16; SEC_CHANNEL_BINDINGS: eight ULONGs (type, length,
 * offset for initiator, acceptor, application) followed by the data. Output tokens are
 * allocated by SSPI (ISC/ASC_REQ_ALLOCATE_MEMORY), copied, then FreeContextBuffer.
 */
import { type ErrorCode, GssockError, gssError } from '../../core/errors.ts';
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
import { loadBackend } from './ffi/load.ts';
import type { Bindings } from './ffi/types.ts';
import { NativeArena, NativeMemory, readPointer, readU32 } from './structs.ts';
import { LIBC_SYMBOLS } from './symbols-gssapi.ts';
import { SEC, SEC_E_CODES, SSPI_LIBRARY, SSPI_SYMBOLS, WINDOWS_LIBC } from './symbols-sspi.ts';

export interface NativeSspi {
  ffi: string;
  sspi: Bindings<typeof SSPI_SYMBOLS>;
  memory: NativeMemory;
}

let loaded: Promise<NativeSspi> | undefined;

/** secur32.dll and msvcrt.dll through the runtime's FFI (cached); NOT_SUPPORTED if absent. */
export function loadSspi(): Promise<NativeSspi> {
  loaded ??= (async () => {
    const backend = await loadBackend();
    const libc = backend.open(WINDOWS_LIBC, LIBC_SYMBOLS);
    return {
      ffi: backend.name,
      sspi: backend.open(SSPI_LIBRARY, SSPI_SYMBOLS),
      memory: new NativeMemory(libc),
    };
  })().catch((e: unknown) => {
    loaded = undefined;
    throw gssError(
      'NOT_SUPPORTED',
      `cannot load ${SSPI_LIBRARY}: ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
      },
    );
  });
  return loaded;
}

/** SSPI package names for gssock mechanism OIDs. */
export const SSPI_PACKAGES: Record<string, string> = {
  '1.2.840.113554.1.2.2': 'Kerberos',
  '1.3.6.1.5.5.2': 'Negotiate',
  '1.3.6.1.4.1.311.2.2.10': 'NTLM',
};

const utf16z = (s: string): Uint8Array => {
  const out = new Uint8Array((s.length + 1) * 2);
  const v = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) v.setUint16(i * 2, s.charCodeAt(i), true);
  return out;
};

/** The typed error of a failed SECURITY_STATUS. */
export function sspiError(
  op: string,
  status: number,
  fallbackOrigin: 'local' | 'peer' = 'local',
): GssockError {
  const known = SEC_E_CODES[status | 0];
  const code: ErrorCode = known?.[1] ?? 'FAILURE';
  const name = known?.[0] ?? `0x${(status >>> 0).toString(16)}`;
  return new GssockError(code, `${op}: ${name}`, {
    origin: known?.[2] ? 'peer' : fallbackOrigin,
    details: { sspiStatus: status >>> 0, sspiName: name },
  });
}

interface BufferSpec {
  type: number;
  /** Bytes copied in; or a size to reserve (zero-filled); or nothing (SSPI allocates). */
  data?: Uint8Array;
  size?: number;
}

/** A SecBufferDesc (JS, lent per call) over a native SecBuffer array in `arena`. */
function bufferDesc(arena: NativeArena, buffers: BufferSpec[]): { desc: Uint8Array; array: bigint } {
  const arr = new Uint8Array(16 * buffers.length);
  const av = new DataView(arr.buffer);
  buffers.forEach((b, i) => {
    const bytes = b.data ?? new Uint8Array(b.size ?? 0);
    av.setUint32(i * 16, bytes.length, true);
    av.setUint32(i * 16 + 4, b.type, true);
    av.setBigUint64(i * 16 + 8, bytes.length > 0 || b.data ? arena.bytes(bytes) : 0n, true);
  });
  const array = arena.bytes(arr);
  const desc = new Uint8Array(16);
  const dv = new DataView(desc.buffer);
  dv.setUint32(0, SEC.BUFFER_VERSION, true);
  dv.setUint32(4, buffers.length, true);
  dv.setBigUint64(8, array, true);
  return { desc, array };
}

/** SEC_CHANNEL_BINDINGS followed by its data (offsets from the struct's start). */
export function channelBindingsBuffer(cb: ChannelBindings): Uint8Array {
  const parts = [cb.initiatorAddress, cb.acceptorAddress, cb.application].map((p) => p ?? new Uint8Array(0));
  const out = new Uint8Array(32 + parts.reduce((n, p) => n + p.length, 0));
  const v = new DataView(out.buffer);
  let offset = 32;
  const types = [cb.initiatorAddressType ?? 0, cb.acceptorAddressType ?? 0];
  parts.forEach((p, i) => {
    const base = i * 12;
    if (i < 2) v.setUint32(base, types[i]!, true);
    v.setUint32(i < 2 ? base + 4 : 24, p.length, true);
    v.setUint32(i < 2 ? base + 8 : 28, offset, true);
    out.set(p, offset);
    offset += p.length;
  });
  return out;
}

export interface SspiContextConfig {
  lib: NativeSspi;
  role: Role;
  package: string;
  mechOid: string;
  target?: string;
  flags: number;
  channelBindings?: ChannelBindings;
  principal?: string;
}

export class SspiContext implements SecurityContext {
  readonly role: Role;
  readonly mechanism = 'native';
  readonly #c: SspiContextConfig;
  readonly #cred = new Uint8Array(16);
  readonly #ctx = new Uint8Array(16);
  #hasContext = false;
  #established = false;
  #disposed = false;
  #attrs = 0;
  #sizes: { maxSignature: number; blockSize: number; trailer: number } | undefined;

  constructor(config: SspiContextConfig) {
    this.role = config.role;
    this.#c = config;
    const use = config.role === 'initiator' ? SEC.CRED_OUTBOUND : SEC.CRED_INBOUND;
    const status = config.lib.sspi.acquireCredentialsHandle(
      config.principal ? utf16z(config.principal) : null,
      utf16z(config.package),
      use,
      0n,
      0n,
      0n,
      0n,
      this.#cred,
      new Uint8Array(8),
    );
    if (status < 0) throw sspiError('AcquireCredentialsHandleW', status);
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
      const inDesc = inputs.length > 0 ? bufferDesc(arena, inputs).desc : null;
      const out = bufferDesc(arena, [{ type: SEC.BUFFER_TOKEN }]);
      const attrs = new Uint8Array(4);
      const prior = this.#hasContext ? this.#ctx : null;
      const status =
        this.role === 'initiator'
          ? lib.sspi.initializeSecurityContext(
              this.#cred,
              prior,
              utf16z(spnForSspi(this.#c.target ?? '')),
              toSspiFlags(this.#c.flags, 'initiator') | IscFlags.ALLOCATE_MEMORY,
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
              toSspiFlags(this.#c.flags, 'acceptor') | AscFlags.ALLOCATE_MEMORY,
              SEC.NATIVE_DREP,
              this.#ctx,
              out.desc,
              attrs,
              new Uint8Array(8),
            );
      if (status < 0)
        throw sspiError(
          this.role === 'initiator' ? 'InitializeSecurityContextW' : 'AcceptSecurityContext',
          status,
          input ? 'peer' : 'local',
        );
      this.#hasContext = true;
      if (status === SEC.I_COMPLETE_NEEDED || status === SEC.I_COMPLETE_AND_CONTINUE) {
        const s = lib.sspi.completeAuthToken(this.#ctx, out.desc);
        if (s < 0) throw sspiError('CompleteAuthToken', s);
      }
      const token = this.#takeAllocated(out.array);
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

  /** Copies an SSPI-allocated output SecBuffer, then FreeContextBuffer. */
  #takeAllocated(array: bigint): Uint8Array {
    const { memory, sspi } = this.#c.lib;
    const head = memory.read(array, 16);
    const length = readU32(head, 0);
    const value = readPointer(head, 8);
    if (value === 0n) return new Uint8Array(0);
    try {
      return memory.read(value, length);
    } finally {
      sspi.freeContextBuffer(value);
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
      extra: { ffi: this.#c.lib.ffi, package: this.#c.package },
    };
  }

  /** SECPKG_ATTR_NAMES: the client's name (both sides), a UTF-16 string SSPI allocates. */
  #queryName(): string {
    const { memory, sspi } = this.#c.lib;
    const slot = new Uint8Array(8);
    if (sspi.queryContextAttributes(this.#ctx, SEC.ATTR_NAMES, slot) < 0) return '';
    const p = readPointer(slot);
    if (p === 0n) return '';
    try {
      let s = '';
      for (let i = 0; i < 1024; i++) {
        const unit = new DataView(memory.read(p + BigInt(i * 2), 2).buffer).getUint16(0, true);
        if (unit === 0) break;
        s += String.fromCharCode(unit);
      }
      return s;
    } finally {
      sspi.freeContextBuffer(p);
    }
  }

  #sizesOf(): { maxSignature: number; blockSize: number; trailer: number } {
    if (this.#sizes) return this.#sizes;
    const out = new Uint8Array(16);
    const s = this.#c.lib.sspi.queryContextAttributes(this.#ctx, SEC.ATTR_SIZES, out);
    if (s < 0) throw sspiError('QueryContextAttributesW(SIZES)', s);
    // At least 60 bytes of trailer: Wine reports 49 where AES needs 60 (references §7).
    this.#sizes = {
      maxSignature: readU32(out, 4),
      blockSize: readU32(out, 8),
      trailer: Math.max(readU32(out, 12), 60),
    };
    return this.#sizes;
  }

  /** Runs a per-message call over native buffers; returns each buffer's bytes afterwards. */
  #message(op: string, buffers: BufferSpec[], call: (desc: Uint8Array) => number, origin: 'local' | 'peer') {
    const { memory } = this.#c.lib;
    const arena = new NativeArena(memory);
    try {
      const { desc, array } = bufferDesc(arena, buffers);
      const status = call(desc);
      if (status < 0) throw sspiError(op, status, origin);
      const raw = memory.read(array, 16 * buffers.length);
      return buffers.map((_, i) => {
        const len = readU32(raw, i * 16);
        const ptr = readPointer(raw, i * 16 + 8);
        return {
          type: readU32(raw, i * 16 + 4),
          bytes: ptr === 0n ? new Uint8Array(0) : memory.read(ptr, len),
        };
      });
    } finally {
      arena.release();
    }
  }

  wrap(message: Uint8Array, options: WrapOptions = {}): Uint8Array {
    this.#ready('wrap');
    const z = this.#sizesOf();
    const qop = options.confidential === false ? SEC.QOP_WRAP_NO_ENCRYPT : (options.qop ?? 0);
    const parts = this.#message(
      'EncryptMessage',
      [
        { type: SEC.BUFFER_TOKEN, size: z.trailer },
        { type: SEC.BUFFER_DATA, data: message },
        { type: SEC.BUFFER_PADDING, size: z.blockSize },
      ],
      (desc) => this.#c.lib.sspi.encryptMessage(this.#ctx, qop, desc, 0),
      'local',
    );
    return concat(parts.map((p) => p.bytes));
  }

  unwrap(token: Uint8Array): UnwrapResult {
    this.#ready('unwrap');
    const qop = new Uint8Array(4);
    const parts = this.#message(
      'DecryptMessage',
      [{ type: SEC.BUFFER_STREAM, data: token }, { type: SEC.BUFFER_DATA }],
      (desc) => this.#c.lib.sspi.decryptMessage(this.#ctx, desc, 0, qop),
      'peer',
    );
    const data = parts.find((p) => p.type === SEC.BUFFER_DATA);
    if (!data)
      throw gssError('DEFECTIVE_TOKEN', 'DecryptMessage returned no data buffer', { origin: 'peer' });
    const q = readU32(qop);
    return { message: data.bytes, confidential: q !== SEC.QOP_WRAP_NO_ENCRYPT, qop: 0 };
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
    return parts[1]!.bytes;
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
