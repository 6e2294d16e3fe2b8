/**
 * `native(options)`: the operating system's own GSS-API library (SSPI on Windows, untested
 * there) as a gssock Mechanism, reached through the runtime's FFI (Deno.dlopen, bun:ffi,
 * koffi on Node), so the application code is the same as with the pure mechanisms.
 *
 * Why: credentials the OS already holds (a domain-joined machine's ticket cache, a
 * keyring or KCM cache, smart cards through PKINIT), policies only the OS library
 * enforces, or a rule that says "use the platform's Kerberos".
 *
 * Nothing is loaded when this module is imported; the library is opened on the first
 * createContext, which throws NOT_SUPPORTED when the FFI or the library is missing.
 * The calls are synchronous: the first handshake to a service may block the event loop
 * while the library asks the KDC for a ticket (later ones use the ticket cache).
 *
 * @example
 * ```ts
 * const client = native(); // KRB5CCNAME / the OS cache
 * const ctx = await client.createContext('initiator', { target: 'host@server.example.com' });
 * const server = native({ credentials: { keytab: 'FILE:/etc/krb5.keytab' } });
 * ```
 */
import { gssError } from '../../core/errors.ts';
import { DEFAULT_FLAGS } from '../../core/flags.ts';
import type { Clock, ContextOptions, Mechanism, Role, SecurityContext } from '../../core/mechanism.ts';
import { defaultClock } from '../../core/random.ts';
import { acquireCredential, type NativeCredentialOptions, releaseCredential } from './credentials.ts';
import { applyEnvironment, loadGssapi, platform } from './ffi/load.ts';
import { GssapiContext } from './gssapi-context.ts';
import { importName, type NativeMech, nameTypeOf, releaseName, resolveMech } from './names.ts';
import { sspi } from './sspi-mechanism.ts';

export interface NativeOptions {
  /** The mechanism the library should use: a name or a dotted OID. Default 'kerberos'. */
  mech?: NativeMech | (string & {});
  /** Path or soname of the GSS-API library; default env GSSOCK_GSSAPI_LIB, else the platform's. */
  library?: string;
  /** Explicit credentials; without them the library's defaults (environment, OS cache). */
  credentials?: NativeCredentialOptions;
  /** Acceptor: the name to accept as (`host@server`, `HTTP/web@REALM`); default any in the keytab. */
  acceptorName?: string;
  /**
   * Variables set in the process's C environment before the first call (KRB5_CONFIG,
   * KRB5CCNAME, ...). Process-global: every native() in the process sees them.
   */
  environment?: Record<string, string>;
  /** Clock for info().expiresAt; default Date.now. */
  clock?: Clock;
}

/** The platform's GSS-API as a Mechanism. */
export function native(options: NativeOptions = {}): Mechanism {
  const oid = resolveMech(options.mech);
  const clock = options.clock ?? defaultClock;
  let environmentApplied = false;
  /** Windows: SSPI (secur32.dll) through sspi(), with its defaults (see sspi-mechanism.ts). */
  const createSspiContext = async (role: Role, ctx: ContextOptions): Promise<SecurityContext> => {
    const principal = role === 'initiator' ? options.credentials?.principal : undefined;
    return await sspi({ mech: oid, ...(principal ? { principal } : {}) }).createContext(role, ctx);
  };
  return {
    name: 'native',
    oid,
    async createContext(role: Role, ctx: ContextOptions = {}): Promise<SecurityContext> {
      if (role !== 'initiator' && role !== 'acceptor')
        throw gssError('INVALID_ARGUMENT', `unknown role ${String(role)}`);
      if (platform() === 'windows') return createSspiContext(role, ctx);
      const lib = await loadGssapi(options.library === undefined ? {} : { library: options.library });
      if (options.environment && !environmentApplied) {
        applyEnvironment(lib, options.environment);
        environmentApplied = true;
      }
      let targetName = 0n;
      let credential = 0n;
      try {
        if (role === 'initiator') {
          if (!ctx.target)
            throw gssError('INVALID_ARGUMENT', 'the initiator needs a target (service@host or SPN)');
          targetName = importName(lib, ctx.target, nameTypeOf(ctx.target, 'service'));
        }
        const desired =
          role === 'initiator' ? options.credentials?.principal : (ctx.acceptorName ?? options.acceptorName);
        credential = acquireCredential(lib, role, options.credentials ?? {}, desired);
        return new GssapiContext({
          native: lib,
          role,
          mechanism: 'native',
          mechOid: oid,
          targetName,
          credential,
          flags: ctx.flags ?? DEFAULT_FLAGS,
          ...(ctx.channelBindings ? { channelBindings: ctx.channelBindings } : {}),
          clock: ctx.clock ?? clock,
        });
      } catch (e) {
        releaseName(lib, targetName);
        releaseCredential(lib, credential);
        throw e;
      }
    },
  };
}
