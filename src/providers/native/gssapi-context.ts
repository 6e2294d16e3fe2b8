/**
 * A SecurityContext over the platform's GSS-API (RFC 2744): init/accept_sec_context until
 * the major status no longer carries GSS_S_CONTINUE_NEEDED, then wrap/unwrap and
 * get_mic/verify_mic on the established context.
 *
 * Ownership (everything the library hands out is released, on success and on failure):
 * - output tokens are copied into a JS Uint8Array, then gss_release_buffer;
 * - names (target, src_name, inquire_context's names) are released as soon as displayed;
 * - a delegated credential is released at once (not exposed through this mechanism yet);
 * - the context and the credential are deleted by dispose() (gss_delete_sec_context,
 *   gss_release_cred), or by a FinalizationRegistry if the application forgets to
 *   (gssapi-handles.ts).
 * Native copies of inputs (tokens, channel bindings) live in a per-call arena.
 *
 * The per-message calls are in gssapi-messages.ts, gss_inquire_context in gssapi-inquire.ts.
 */
import { gssError } from '../../core/errors.ts';
import type {
  ChannelBindings,
  Clock,
  ContextInfo,
  Role,
  SecurityContext,
  StepResult,
  UnwrapResult,
  WrapOptions,
} from '../../core/mechanism.ts';
import { isGssError, statusError } from './errors.ts';
import type { NativeGssapi } from './ffi/load.ts';
import { type GssapiHandles, releaseHandles, takeBuffer } from './gssapi-handles.ts';
import { inquireContext } from './gssapi-inquire.ts';
import { emptyIsDefective, gssGetMic, gssUnwrap, gssVerifyMic, gssWrap } from './gssapi-messages.ts';
import { readMinor, releaseName, staticOid } from './names.ts';
import {
  BUFFER_DESC_SIZE,
  channelBindingsStruct,
  NativeArena,
  pointerSlot,
  readPointer,
  readU32,
} from './structs.ts';
import { GSS } from './symbols-gssapi.ts';

export interface GssapiContextConfig {
  native: NativeGssapi;
  role: Role;
  /** The mechanism's name in info() (e.g. 'native'). */
  mechanism: string;
  /** Requested mechanism OID (dotted); undefined lets the library choose (krb5 for MIT). */
  mechOid?: string;
  /** Initiator: imported target name (owned by the context from now on). */
  targetName: bigint;
  /** Credential handle (owned by the context), or 0n for GSS_C_NO_CREDENTIAL. */
  credential: bigint;
  flags: number;
  channelBindings?: ChannelBindings;
  clock: Clock;
}

const finalizer = new FinalizationRegistry<GssapiHandles>(releaseHandles);

export class GssapiContext implements SecurityContext {
  readonly role: Role;
  readonly mechanism: string;
  readonly #config: GssapiContextConfig;
  readonly #native: NativeGssapi;
  readonly #handles: GssapiHandles;
  #established = false;
  #disposed = false;
  #steps = 0;
  #info: ContextInfo | undefined;

  constructor(config: GssapiContextConfig) {
    this.role = config.role;
    this.mechanism = config.mechanism;
    this.#config = config;
    this.#native = config.native;
    this.#handles = {
      native: config.native,
      context: pointerSlot(),
      targetName: config.targetName,
      credential: config.credential,
    };
    finalizer.register(this, this.#handles, this);
  }

  get established(): boolean {
    return this.#established;
  }

  step(input: Uint8Array | null): StepResult {
    this.#usable();
    if (this.#established) throw gssError('INVALID_STATE', 'step() after the context was established');
    if (this.role === 'acceptor' && input === null)
      throw gssError('INVALID_STATE', "the acceptor's step() needs the initiator's token");
    if (this.role === 'initiator' && (input === null) !== (this.#steps === 0))
      throw gssError(
        'INVALID_STATE',
        this.#steps === 0 ? "the initiator's first step() takes null" : 'step() needs the peer token',
      );
    if (input !== null) emptyIsDefective(input, 'handshake');
    this.#steps++;
    const native = this.#native;
    const arena = new NativeArena(native.memory);
    const minor = new Uint8Array(4);
    const mech = pointerSlot();
    const out = new Uint8Array(BUFFER_DESC_SIZE);
    const retFlags = new Uint8Array(4);
    const timeRec = new Uint8Array(4);
    const srcName = pointerSlot();
    const delegated = pointerSlot();
    let major: number;
    let token: Uint8Array;
    try {
      const cb = this.#config.channelBindings
        ? channelBindingsStruct(native.layout, this.#config.channelBindings, arena)
        : null;
      const inDesc = input ? arena.bufferDesc(input) : null;
      if (this.role === 'initiator') {
        const mechOid = this.#config.mechOid === undefined ? 0n : staticOid(native, this.#config.mechOid);
        major = native.gss.initSecContext(
          minor,
          this.#handles.credential,
          this.#handles.context,
          this.#handles.targetName,
          mechOid,
          this.#config.flags >>> 0,
          0,
          cb,
          inDesc,
          mech,
          out,
          retFlags,
          timeRec,
        );
      } else {
        major = native.gss.acceptSecContext(
          minor,
          this.#handles.context,
          this.#handles.credential,
          inDesc,
          cb,
          srcName,
          mech,
          out,
          retFlags,
          timeRec,
          delegated,
        );
      }
      token = takeBuffer(native, out);
    } finally {
      arena.release();
    }
    const peer = readPointer(srcName);
    try {
      if (isGssError(major)) {
        throw statusError(
          native,
          this.role === 'initiator' ? 'gss_init_sec_context' : 'gss_accept_sec_context',
          major,
          readMinor(minor),
          {
            origin: input === null ? 'local' : 'peer',
            mech: readPointer(mech),
            ...(token.length > 0 ? { outputToken: token } : {}),
          },
        );
      }
      const outputToken = token.length > 0 ? token : undefined;
      if ((major & GSS.CONTINUE_NEEDED) !== 0)
        return outputToken ? { outputToken, done: false } : { done: false };
      this.#established = true;
      this.#info = inquireContext({
        native,
        context: readPointer(this.#handles.context),
        role: this.role,
        mechanism: this.mechanism,
        requestedMechOid: this.#config.mechOid,
        clock: this.#config.clock,
        flags: readU32(retFlags),
        lifetime: readU32(timeRec),
        mechAddr: readPointer(mech),
        delegated: readPointer(delegated) !== 0n,
      });
      return outputToken ? { outputToken, done: true } : { done: true };
    } finally {
      releaseName(native, peer);
      const d = readPointer(delegated);
      if (d !== 0n) native.gss.releaseCred(new Uint8Array(4), delegated);
    }
  }

  info(): ContextInfo {
    this.#usable();
    if (!this.#info) throw gssError('INVALID_STATE', 'the context is not established yet');
    return { ...this.#info, ...(this.#info.extra ? { extra: { ...this.#info.extra } } : {}) };
  }

  wrap(message: Uint8Array, options: WrapOptions = {}): Uint8Array {
    return gssWrap(this.#native, this.#ready('wrap'), message, options);
  }

  unwrap(token: Uint8Array): UnwrapResult {
    return gssUnwrap(this.#native, this.#ready('unwrap'), token);
  }

  getMic(message: Uint8Array, qop = 0): Uint8Array {
    return gssGetMic(this.#native, this.#ready('getMic'), message, qop);
  }

  verifyMic(message: Uint8Array, mic: Uint8Array): void {
    gssVerifyMic(this.#native, this.#ready('verifyMic'), message, mic);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#established = false;
    this.#info = undefined;
    finalizer.unregister(this);
    releaseHandles(this.#handles);
  }

  #usable(): void {
    if (this.#disposed) throw gssError('INVALID_STATE', 'the context was disposed');
  }

  #ready(op: string): bigint {
    this.#usable();
    if (!this.#established) throw gssError('INVALID_STATE', `${op}() before the context is established`);
    return readPointer(this.#handles.context);
  }
}
