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
 *   gss_release_cred), or by a FinalizationRegistry if the application forgets to.
 * Native copies of inputs (tokens, channel bindings) live in a per-call arena.
 *
 * Per-message supplementary status (DUPLICATE/OLD/UNSEQ/GAP, RFC 2744 §3.9.1) fails closed
 * with the matching typed error, so a replayed or reordered token is never delivered.
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
import { displayName, readDottedOid, readMinor, releaseName, staticOid } from './names.ts';
import {
  BUFFER_DESC_SIZE,
  channelBindingsStruct,
  NativeArena,
  pointerSlot,
  readBufferDesc,
  readI32,
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

interface Handles {
  native: NativeGssapi;
  context: Uint8Array;
  targetName: bigint;
  credential: bigint;
}

/** Frees whatever a context still holds; used by dispose() and by the finalizer. */
function releaseHandles(h: Handles): void {
  const minor = new Uint8Array(4);
  if (readPointer(h.context) !== 0n) h.native.gss.deleteSecContext(minor, h.context, null);
  h.context.fill(0);
  releaseName(h.native, h.targetName);
  h.targetName = 0n;
  if (h.credential !== 0n) {
    const slot = pointerSlot();
    new DataView(slot.buffer).setBigUint64(0, h.credential, true);
    h.native.gss.releaseCred(minor, slot);
    h.credential = 0n;
  }
}

const finalizer = new FinalizationRegistry<Handles>(releaseHandles);

/** Copies a library-owned gss_buffer_desc out and releases it (no-op when empty). */
function takeBuffer(native: NativeGssapi, desc: Uint8Array): Uint8Array {
  const { length, value } = readBufferDesc(desc);
  if (value === 0n) return new Uint8Array(0);
  try {
    return native.memory.read(value, length);
  } finally {
    native.gss.releaseBuffer(new Uint8Array(4), desc);
  }
}

/**
 * An empty token would reach the library as a NULL gss_buffer_desc.value, which MIT
 * answers with a calling error (GSS_S_CALL_INACCESSIBLE_READ): it is the peer's defect.
 */
function emptyIsDefective(token: Uint8Array, what: string): void {
  if (token.length === 0) throw gssError('DEFECTIVE_TOKEN', `empty ${what} token`, { origin: 'peer' });
}

export class GssapiContext implements SecurityContext {
  readonly role: Role;
  readonly mechanism: string;
  readonly #config: GssapiContextConfig;
  readonly #native: NativeGssapi;
  readonly #handles: Handles;
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
      this.#info = this.#inquire(
        readU32(retFlags),
        readU32(timeRec),
        readPointer(mech),
        readPointer(delegated) !== 0n,
      );
      return outputToken ? { outputToken, done: true } : { done: true };
    } finally {
      releaseName(native, peer);
      const d = readPointer(delegated);
      if (d !== 0n) native.gss.releaseCred(new Uint8Array(4), delegated);
    }
  }

  /** Names and mechanism of the established context (gss_inquire_context, §5.20). */
  #inquire(flags: number, lifetime: number, mechAddr: bigint, delegated: boolean): ContextInfo {
    const native = this.#native;
    const minor = new Uint8Array(4);
    const src = pointerSlot();
    const targ = pointerSlot();
    const life = new Uint8Array(4);
    const mech = pointerSlot();
    const ctxFlags = new Uint8Array(4);
    const local = new Uint8Array(4);
    const open = new Uint8Array(4);
    const ctx = readPointer(this.#handles.context);
    const major = native.gss.inquireContext(minor, ctx, src, targ, life, mech, ctxFlags, local, open);
    if (isGssError(major)) throw statusError(native, 'gss_inquire_context', major, readMinor(minor));
    try {
      const srcText = displayName(native, readPointer(src));
      const targText = displayName(native, readPointer(targ));
      const mechOid = readDottedOid(native, readPointer(mech) || mechAddr) || (this.#config.mechOid ?? '');
      const seconds = lifetime || readU32(life);
      return {
        mechanism: this.mechanism,
        mechanismOid: mechOid,
        flags,
        peerName: this.role === 'initiator' ? targText : srcText,
        localName: this.role === 'initiator' ? srcText : targText,
        ...(seconds !== 0 && seconds !== GSS.C_INDEFINITE
          ? { expiresAt: this.#config.clock() + seconds * 1000 }
          : {}),
        extra: { library: native.path, ffi: native.ffi, open: readI32(open) !== 0, delegated },
      };
    } finally {
      releaseName(native, readPointer(src));
      releaseName(native, readPointer(targ));
    }
  }

  info(): ContextInfo {
    this.#usable();
    if (!this.#info) throw gssError('INVALID_STATE', 'the context is not established yet');
    return { ...this.#info, ...(this.#info.extra ? { extra: { ...this.#info.extra } } : {}) };
  }

  wrap(message: Uint8Array, options: WrapOptions = {}): Uint8Array {
    const ctx = this.#ready('wrap');
    const confidential = options.confidential ?? true;
    const confState = new Uint8Array(4);
    const out = new Uint8Array(BUFFER_DESC_SIZE);
    const { major, minor } = this.#call((arena, minor) =>
      this.#native.gss.wrap(
        minor,
        ctx,
        confidential ? 1 : 0,
        options.qop ?? 0,
        arena.bufferDesc(message),
        confState,
        out,
      ),
    );
    const token = takeBuffer(this.#native, out);
    if (isGssError(major)) throw statusError(this.#native, 'gss_wrap', major, minor);
    if (confidential && readI32(confState) === 0)
      throw gssError('FLAGS_NOT_GRANTED', 'confidentiality was asked for but the context cannot encrypt');
    return token;
  }

  unwrap(token: Uint8Array): UnwrapResult {
    const ctx = this.#ready('unwrap');
    emptyIsDefective(token, 'wrap');
    const confState = new Uint8Array(4);
    const qopState = new Uint8Array(4);
    const out = new Uint8Array(BUFFER_DESC_SIZE);
    const { major, minor } = this.#call((arena, minor) =>
      this.#native.gss.unwrap(minor, ctx, arena.bufferDesc(token), out, confState, qopState),
    );
    const message = takeBuffer(this.#native, out);
    this.#refuse('gss_unwrap', major, minor);
    return { message, confidential: readI32(confState) !== 0, qop: readU32(qopState) };
  }

  getMic(message: Uint8Array, qop = 0): Uint8Array {
    const ctx = this.#ready('getMic');
    const out = new Uint8Array(BUFFER_DESC_SIZE);
    const { major, minor } = this.#call((arena, minor) =>
      this.#native.gss.getMic(minor, ctx, qop, arena.bufferDesc(message), out),
    );
    const token = takeBuffer(this.#native, out);
    if (isGssError(major)) throw statusError(this.#native, 'gss_get_mic', major, minor);
    return token;
  }

  verifyMic(message: Uint8Array, mic: Uint8Array): void {
    const ctx = this.#ready('verifyMic');
    emptyIsDefective(mic, 'MIC');
    const qopState = new Uint8Array(4);
    const { major, minor } = this.#call((arena, minor) =>
      this.#native.gss.verifyMic(minor, ctx, arena.bufferDesc(message), arena.bufferDesc(mic), qopState),
    );
    this.#refuse('gss_verify_mic', major, minor);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#established = false;
    this.#info = undefined;
    finalizer.unregister(this);
    releaseHandles(this.#handles);
  }

  /** Runs one library call with a fresh arena and minor status. */
  #call(fn: (arena: NativeArena, minor: Uint8Array) => number): { major: number; minor: number } {
    const arena = new NativeArena(this.#native.memory);
    const minor = new Uint8Array(4);
    try {
      return { major: fn(arena, minor), minor: readMinor(minor) };
    } finally {
      arena.release();
    }
  }

  /** Errors and refused supplementary bits (fail closed) of a per-message receive call. */
  #refuse(op: string, major: number, minor: number): void {
    const supplementary = major & (GSS.DUPLICATE_TOKEN | GSS.OLD_TOKEN | GSS.UNSEQ_TOKEN | GSS.GAP_TOKEN);
    if (isGssError(major) || supplementary !== 0)
      throw statusError(this.#native, op, isGssError(major) ? major : supplementary, minor, {
        origin: 'peer',
      });
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
