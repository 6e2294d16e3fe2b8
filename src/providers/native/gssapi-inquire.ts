/**
 * The ContextInfo of an established GSS-API context: names and mechanism from
 * gss_inquire_context (RFC 2744 §5.20); every name it returns is released once displayed.
 */
import type { Clock, ContextInfo, Role } from '../../core/mechanism.ts';
import { isGssError, statusError } from './errors.ts';
import type { NativeGssapi } from './ffi/load.ts';
import { displayName, readDottedOid, readMinor, releaseName } from './names.ts';
import { pointerSlot, readI32, readPointer, readU32 } from './structs.ts';
import { GSS } from './symbols-gssapi.ts';

export interface InquireRequest {
  native: NativeGssapi;
  /** The established gss_ctx_id_t. */
  context: bigint;
  role: Role;
  /** The mechanism's name in info() (e.g. 'native'). */
  mechanism: string;
  /** The requested mechanism OID, the last resort when the library reports none. */
  requestedMechOid: string | undefined;
  clock: Clock;
  /** ret_flags, time_rec and actual_mech_type of the last init/accept call. */
  flags: number;
  lifetime: number;
  mechAddr: bigint;
  delegated: boolean;
}

export function inquireContext(r: InquireRequest): ContextInfo {
  const { native } = r;
  const minor = new Uint8Array(4);
  const src = pointerSlot();
  const targ = pointerSlot();
  const life = new Uint8Array(4);
  const mech = pointerSlot();
  const ctxFlags = new Uint8Array(4);
  const local = new Uint8Array(4);
  const open = new Uint8Array(4);
  const major = native.gss.inquireContext(minor, r.context, src, targ, life, mech, ctxFlags, local, open);
  if (isGssError(major)) throw statusError(native, 'gss_inquire_context', major, readMinor(minor));
  try {
    const srcText = displayName(native, readPointer(src));
    const targText = displayName(native, readPointer(targ));
    const mechOid = readDottedOid(native, readPointer(mech) || r.mechAddr) || (r.requestedMechOid ?? '');
    const seconds = r.lifetime || readU32(life);
    return {
      mechanism: r.mechanism,
      mechanismOid: mechOid,
      flags: r.flags,
      peerName: r.role === 'initiator' ? targText : srcText,
      localName: r.role === 'initiator' ? srcText : targText,
      ...(seconds !== 0 && seconds !== GSS.C_INDEFINITE ? { expiresAt: r.clock() + seconds * 1000 } : {}),
      extra: { library: native.path, ffi: native.ffi, open: readI32(open) !== 0, delegated: r.delegated },
    };
  } finally {
    releaseName(native, readPointer(src));
    releaseName(native, readPointer(targ));
  }
}
