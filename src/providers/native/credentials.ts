/**
 * Credentials on the native side. Without explicit options gssock passes
 * GSS_C_NO_CREDENTIAL and the library uses the process defaults (KRB5CCNAME, KRB5_KTNAME,
 * the OS's cache or keyring or KCM). With a ccache, keytab, client keytab or replay cache,
 * gssock calls gss_acquire_cred_from with MIT's credential store (gssapi_ext.h, keys
 * `ccache`, `keytab`, `client_keytab`, `rcache`), so one process can hold several
 * identities without touching the environment. A desired name alone uses gss_acquire_cred.
 * The caller releases what it gets with releaseCredential.
 */
import { gssError } from '../../core/errors.ts';
import type { Role } from '../../core/mechanism.ts';
import { isGssError, statusError } from './errors.ts';
import type { NativeGssapi } from './ffi/load.ts';
import { importName, nameTypeOf, readMinor, releaseName } from './names.ts';
import { keyValueSet, NativeArena, pointerSlot, readPointer } from './structs.ts';
import { GSS } from './symbols-gssapi.ts';

export interface NativeCredentialOptions {
  /** Initiator: credential cache name (`FILE:/tmp/cc`, `KCM:`, `KEYRING:...`); default KRB5CCNAME. */
  ccache?: string;
  /** Acceptor: keytab name (`FILE:/etc/krb5.keytab`); default KRB5_KTNAME. */
  keytab?: string;
  /** Initiator: client keytab from which MIT fetches a TGT itself; default KRB5_CLIENT_KTNAME. */
  clientKeytab?: string;
  /** Acceptor: replay cache (`none:`, `file2:/path`); default the library's (KRB5RCACHETYPE). */
  rcache?: string;
  /** Initiator: the principal to act as (a user name); default the cache's own. */
  principal?: string;
}

export function storePairs(role: Role, o: NativeCredentialOptions): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (role === 'initiator') {
    if (o.ccache !== undefined) pairs.push(['ccache', o.ccache]);
    if (o.clientKeytab !== undefined) pairs.push(['client_keytab', o.clientKeytab]);
  } else {
    if (o.keytab !== undefined) pairs.push(['keytab', o.keytab]);
    if (o.rcache !== undefined) pairs.push(['rcache', o.rcache]);
  }
  return pairs;
}

/** A credential handle for one context, or 0n (GSS_C_NO_CREDENTIAL) for the defaults. */
export function acquireCredential(
  native: NativeGssapi,
  role: Role,
  options: NativeCredentialOptions,
  desiredName: string | undefined,
): bigint {
  const pairs = storePairs(role, options);
  if (pairs.length === 0 && desiredName === undefined) return 0n;
  const usage = role === 'initiator' ? GSS.C_INITIATE : GSS.C_ACCEPT;
  const name =
    desiredName === undefined
      ? 0n
      : importName(native, desiredName, nameTypeOf(desiredName, role === 'initiator' ? 'user' : 'service'));
  const arena = new NativeArena(native.memory);
  const minor = new Uint8Array(4);
  const out = pointerSlot();
  try {
    let major: number;
    let op: string;
    if (pairs.length > 0) {
      const from = native.gss.acquireCredFrom;
      if (!from)
        throw gssError(
          'NOT_SUPPORTED',
          `${native.path} has no gss_acquire_cred_from: pass credentials through the environment instead`,
        );
      op = `gss_acquire_cred_from(${pairs.map(([k]) => k).join(', ')})`;
      major = from(
        minor,
        name,
        GSS.C_INDEFINITE,
        0n,
        usage,
        keyValueSet(native.layout, pairs, arena),
        out,
        null,
        null,
      );
    } else {
      op = 'gss_acquire_cred';
      major = native.gss.acquireCred(minor, name, GSS.C_INDEFINITE, 0n, usage, out, null, null);
    }
    if (isGssError(major)) throw statusError(native, op, major, readMinor(minor));
    return readPointer(out);
  } finally {
    arena.release();
    releaseName(native, name);
  }
}

export function releaseCredential(native: NativeGssapi, cred: bigint): void {
  if (cred === 0n) return;
  const slot = pointerSlot();
  new DataView(slot.buffer).setBigUint64(0, cred, true);
  native.gss.releaseCred(new Uint8Array(4), slot);
}
