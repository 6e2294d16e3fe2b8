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
 *
 * The credential handle is acquired in sspi-credentials.ts, the per-message calls are in
 * sspi-messages.ts and QueryContextAttributesW in sspi-attributes.ts.
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
import { querySizes, type SspiSizes, queryClientName } from './sspi-attributes.ts';
import { acquireSspiCredentials } from './sspi-credentials.ts';
import { type NativeSspi, sspiError } from './sspi-library.ts';
import { type SspiMessageContext, sspiGetMic, sspiUnwrap, sspiVerifyMic, sspiWrap } from './sspi-messages.ts';
import { resolveQuirks, type SspiQuirks } from './sspi-quirks.ts';
import {
  type BufferSpec,
  channelBindingsBuffer,
  readSecBuffers,
  type SspiIdentity,
  secBufferDesc,
  utf16z,
} from './sspi-structs.ts';
import { NativeArena, readU32 } from './structs.ts';
import { SEC } from './symbols-sspi.ts';

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
  readonly #messages: SspiMessageContext;
  /** cbMaxToken, when gssock provides the output token buffer (quirk allocateTokens false). */
  #maxToken = 0;

  constructor(config: SspiContextConfig) {
    this.role = config.role;
    this.#c = config;
    this.quirks = resolveQuirks(config.quirks);
    this.#maxToken = acquireSspiCredentials({ ...config, quirks: this.quirks }, this.#cred);
    let sizes: SspiSizes | undefined;
    this.#messages = {
      lib: config.lib,
      ctx: this.#ctx,
      package: config.package,
      quirks: this.quirks,
      sizes: () => (sizes ??= querySizes(config.lib, this.#ctx, this.quirks)),
      checksum: this.quirks.kerberosChecksumBytes,
    };
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
      peerName: this.role === 'initiator' ? (this.#c.target ?? '') : queryClientName(this.#c.lib, this.#ctx),
      localName: this.role === 'initiator' ? queryClientName(this.#c.lib, this.#ctx) : '',
      extra: {
        ffi: this.#c.lib.ffi,
        package: this.#c.package,
        kerberosWrapLayout: this.quirks.kerberosWrapLayout,
      },
    };
  }

  wrap(message: Uint8Array, options: WrapOptions = {}): Uint8Array {
    this.#ready('wrap');
    return sspiWrap(this.#messages, message, options);
  }

  unwrap(token: Uint8Array): UnwrapResult {
    this.#ready('unwrap');
    return sspiUnwrap(this.#messages, token);
  }

  getMic(message: Uint8Array, qop = 0): Uint8Array {
    this.#ready('getMic');
    return sspiGetMic(this.#messages, message, qop);
  }

  verifyMic(message: Uint8Array, mic: Uint8Array): void {
    this.#ready('verifyMic');
    sspiVerifyMic(this.#messages, message, mic);
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
