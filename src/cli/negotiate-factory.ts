/**
 * `--mech negotiate` (and MIT's `-spnego`) for the CLI: SPNEGO over the Kerberos and NTLM
 * factories, in that order of preference, built from the same command-line credentials
 * and environment as `--mech kerberos` / `--mech ntlm`.
 *
 * A mechanism whose factory finds no credentials for this role (no ccache, no keytab, no
 * NTLM user file) is simply left out, as MIT's SPNEGO lists only the mechanisms it has
 * credentials for; when none is left the error names each one's reason.
 * Set GSSOCK_NEGOTIATE_NO_NTLM=1 to forbid NTLM (negotiate's allowNtlm: false).
 */
import { type GssockError, gssError, toGssockError } from '../core/errors.ts';
import type { Mechanism } from '../core/mechanism.ts';
import type { MechanismFactoryOptions } from './mechanisms.ts';

type Factory = (options: MechanismFactoryOptions) => Promise<Mechanism>;

/** The inner factories in preference order: Kerberos, then NTLM (as Windows Negotiate). */
async function innerFactories(): Promise<Array<{ name: string; factory: Factory }>> {
  return [
    { name: 'kerberos', factory: (await import('./kerberos-factory.ts')).kerberosFactory },
    { name: 'ntlm', factory: (await import('./ntlm-factory.ts')).ntlmFactory },
  ];
}

export async function negotiateFactory(options: MechanismFactoryOptions): Promise<Mechanism> {
  const { negotiate } = await import('../providers/spnego/mechanism.ts');
  const allowNtlm = !/^(1|true|yes)$/i.test(options.env.GSSOCK_NEGOTIATE_NO_NTLM ?? '');
  const mechanisms: Mechanism[] = [];
  const reasons: string[] = [];
  for (const { name, factory } of await innerFactories()) {
    if (name === 'ntlm' && !allowNtlm) {
      reasons.push('ntlm: forbidden (GSSOCK_NEGOTIATE_NO_NTLM)');
      continue;
    }
    try {
      mechanisms.push(await factory(options));
    } catch (e) {
      const error: GssockError = toGssockError(e);
      reasons.push(`${name}: ${error.message}`);
    }
  }
  if (mechanisms.length === 0)
    throw gssError('NO_CREDENTIALS', `negotiate: no mechanism has credentials (${reasons.join('; ')})`);
  return negotiate({ mechanisms, allowNtlm });
}
