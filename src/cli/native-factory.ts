/**
 * `--mech native` (aliases gssapi, sspi): the platform's GSS-API library through FFI,
 * with the CLI's credentials mapped the MIT way:
 * - acceptor `-keytab FILE` → the credential store's `keytab` (else KRB5_KTNAME);
 * - initiator `-user NAME` → the principal to act as (else the ccache's own);
 * - `-pass` is refused: the native mechanism uses tickets the OS already holds (kinit).
 * The KRB5_* variables of the CLI's environment are set in the C environment the library
 * reads (they are the process's own when the CLI runs as a program), and
 * GSSOCK_GSSAPI_LIB picks another library.
 */
import { isAbsolute, resolve } from 'node:path';
import { gssError } from '../core/errors.ts';
import type { Mechanism } from '../core/mechanism.ts';
import type { MechanismFactoryOptions } from './mechanisms.ts';

const LIBRARY_ENV = /^(KRB5|GSS_)/;

/** A keytab argument as an MIT keytab name: `TYPE:residual` kept, a path made absolute. */
export function keytabName(keytab: string, cwd: string): string {
  if (/^[A-Z][A-Z0-9]*:/.test(keytab)) return keytab;
  return `FILE:${isAbsolute(keytab) ? keytab : resolve(cwd, keytab)}`;
}

export async function nativeFactory(options: MechanismFactoryOptions): Promise<Mechanism> {
  if (options.password !== undefined)
    throw gssError('NOT_SUPPORTED', '--mech native takes no -pass: obtain tickets with kinit first');
  const { native } = await import('../providers/native/index.ts');
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env))
    if (v !== undefined && LIBRARY_ENV.test(k)) environment[k] = v;
  const library = options.env.GSSOCK_GSSAPI_LIB;
  return native({
    environment,
    ...(library ? { library } : {}),
    credentials: {
      ...(options.role === 'acceptor' && options.keytab !== undefined
        ? { keytab: keytabName(options.keytab, options.cwd) }
        : {}),
      ...(options.role === 'initiator' && options.user !== undefined ? { principal: options.user } : {}),
    },
  });
}
