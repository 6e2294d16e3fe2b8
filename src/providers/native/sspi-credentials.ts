/**
 * The credential side of an SSPI context: AcquireCredentialsHandleW (references §1.6)
 * for the logon session or an explicit SEC_WINNT_AUTH_IDENTITY_W, and, when gssock
 * provides the output token buffers (quirk allocateTokens false), the package's
 * cbMaxToken to size them.
 */
import type { Role } from '../../core/mechanism.ts';
import { NativeArena } from './structs.ts';
import { type NativeSspi, querySspiPackage, sspiError, writeNative } from './sspi-library.ts';
import type { SspiQuirks } from './sspi-quirks.ts';
import { authIdentity, type SspiIdentity, utf16z } from './sspi-structs.ts';
import { SEC } from './symbols-sspi.ts';

export interface SspiCredentialRequest {
  lib: NativeSspi;
  role: Role;
  package: string;
  /** pszPrincipal (the name to act as). */
  principal?: string;
  identity?: SspiIdentity;
  quirks: Readonly<SspiQuirks>;
}

/**
 * Fills `cred` (a 16-byte CredHandle) and returns cbMaxToken, or 0 when SSPI allocates
 * the tokens. The handle is freed again if the package query fails, so a throw leaves
 * nothing behind; the identity's secrets are wiped from native memory either way.
 */
export function acquireSspiCredentials(r: SspiCredentialRequest, cred: Uint8Array): number {
  const { lib } = r;
  const arena = new NativeArena(lib.memory);
  const id = r.identity ? authIdentity(arena, (a, b) => writeNative(lib, a, b), r.identity) : undefined;
  try {
    const status = lib.sspi.acquireCredentialsHandle(
      r.principal ? utf16z(r.principal) : null,
      utf16z(r.package),
      r.role === 'initiator' ? SEC.CRED_OUTBOUND : SEC.CRED_INBOUND,
      0n,
      id?.address ?? 0n,
      0n,
      0n,
      cred,
      new Uint8Array(8),
    );
    if (status < 0) throw sspiError('AcquireCredentialsHandleW', status);
  } finally {
    id?.wipe();
    arena.release();
  }
  if (r.quirks.allocateTokens) return 0;
  try {
    return querySspiPackage(lib, r.package).maxToken;
  } catch (e) {
    lib.sspi.freeCredentialsHandle(cred);
    throw e;
  }
}
