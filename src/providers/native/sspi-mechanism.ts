/**
 * `sspi(options)`: Windows SSPI as a gssock Mechanism, with the SSPI-only options that
 * native() does not expose: an explicit identity (SEC_WINNT_AUTH_IDENTITY_W), the
 * principal to act as, and the Wine switches (sspi-quirks.ts). native() on Windows builds
 * the same SspiContext with the defaults.
 *
 * @example
 * ```ts
 * const client = sspi({ mech: 'ntlm', identity: { user: 'alice', domain: 'EXAMPLE', password } });
 * const ctx = await client.createContext('initiator', { target: 'host/server.example.com' });
 * ```
 */
import { gssError } from '../../core/errors.ts';
import { DEFAULT_FLAGS } from '../../core/flags.ts';
import type { ContextOptions, Mechanism, Role, SecurityContext } from '../../core/mechanism.ts';
import { type NativeMech, resolveMech } from './names.ts';
import { loadSspi, type NativeSspi, SSPI_PACKAGES } from './sspi-library.ts';
import { SspiContext } from './sspi-context.ts';
import type { SspiQuirks } from './sspi-quirks.ts';
import type { SspiIdentity } from './sspi-structs.ts';

export interface SspiOptions {
  /** 'kerberos' (default), 'ntlm', 'spnego' (the Negotiate package) or a dotted OID. */
  mech?: NativeMech | (string & {});
  /** Initiator: explicit credentials instead of the logon session's. */
  identity?: SspiIdentity;
  /** pszPrincipal: the name to act as. */
  principal?: string;
  /** Wine's deviations ('wine'), Windows' documented behaviour ('windows', the default). */
  quirks?: 'windows' | 'wine' | Partial<SspiQuirks>;
  /** The loaded library (tests wrap its bindings); default loadSspi(). */
  library?: () => Promise<NativeSspi>;
}

export function sspi(options: SspiOptions = {}): Mechanism {
  const oid = resolveMech(options.mech);
  const pkg = SSPI_PACKAGES[oid];
  if (!pkg) throw gssError('BAD_MECH', `no SSPI package for ${oid}`);
  return {
    name: 'native',
    oid,
    async createContext(role: Role, ctx: ContextOptions = {}): Promise<SecurityContext> {
      if (role !== 'initiator' && role !== 'acceptor')
        throw gssError('INVALID_ARGUMENT', `unknown role ${String(role)}`);
      if (role === 'initiator' && !ctx.target)
        throw gssError('INVALID_ARGUMENT', 'the initiator needs a target (service/host SPN)');
      return new SspiContext({
        lib: await (options.library ?? loadSspi)(),
        role,
        package: pkg,
        mechOid: oid,
        flags: ctx.flags ?? DEFAULT_FLAGS,
        ...(ctx.target ? { target: ctx.target } : {}),
        ...(ctx.channelBindings ? { channelBindings: ctx.channelBindings } : {}),
        ...(options.principal ? { principal: options.principal } : {}),
        ...(role === 'initiator' && options.identity ? { identity: options.identity } : {}),
        ...(options.quirks ? { quirks: options.quirks } : {}),
      });
    },
  };
}
