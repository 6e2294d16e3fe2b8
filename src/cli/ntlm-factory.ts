/**
 * `--mech ntlm` for the CLI, shaped like gss-ntlmssp under MIT's samples:
 * - initiator: `-user` as `DOMAIN\user`, `user@domain` or `user`, `-pass` the password;
 *   without `-pass`, the user's entry in NTLM_USER_FILE (as gss-ntlmssp falls back to it).
 * - acceptor: users from the file NTLM_USER_FILE names (`DOMAIN:USER:PASSWORD` lines), the
 *   NetBIOS computer name from the service name's host part (`host@server` -> SERVER), and
 *   MIC-less NTLMv2 logons accepted (gss-ntlmssp 1.2 sends none).
 * Runtime-specific on purpose (node:fs): the provider itself does no I/O.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gssError } from '../core/errors.ts';
import type { Mechanism } from '../core/mechanism.ts';
import type { MechanismFactoryOptions } from './mechanisms.ts';

/** Splits `DOMAIN\user`, `user@domain` or `user`. */
export function parseNtlmUser(spec: string): { user: string; domain: string } {
  const slash = spec.indexOf('\\');
  if (slash >= 0) return { domain: spec.slice(0, slash), user: spec.slice(slash + 1) };
  const at = spec.lastIndexOf('@');
  if (at > 0) return { user: spec.slice(0, at), domain: spec.slice(at + 1) };
  return { user: spec, domain: '' };
}

function readUserFile(options: MechanismFactoryOptions): string | undefined {
  const file = options.env.NTLM_USER_FILE;
  if (!file) return undefined;
  try {
    return readFileSync(resolve(options.cwd, file), 'utf8');
  } catch (e) {
    throw gssError('NO_CREDENTIALS', `cannot read NTLM_USER_FILE ${file}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** NetBIOS-style name from a service name: `host@server.example` -> `SERVER`. */
function computerNameOf(serviceName: string | undefined): string {
  const host = serviceName?.split(/[@/]/)[1]?.split('.')[0];
  return (host || 'GSSOCK').toUpperCase().slice(0, 15);
}

export async function ntlmFactory(options: MechanismFactoryOptions): Promise<Mechanism> {
  const { ntlm, parseUserFile, credentialStoreFromUserFile } = await import('../providers/ntlm/index.ts');
  if (options.role === 'acceptor') {
    const text = readUserFile(options);
    if (text === undefined)
      throw gssError('NO_CREDENTIALS', 'the NTLM acceptor needs NTLM_USER_FILE (DOMAIN:USER:PASSWORD lines)');
    // gss-ntlmssp 1.2 (Debian 12), as MIT gss-client's NTLM, sends no MIC: a drop-in
    // gss-server must take MIC-less NTLMv2 logons. The library's default stays requireMic.
    return ntlm({
      credentials: credentialStoreFromUserFile(text),
      computerName: computerNameOf(options.serviceName),
      requireMic: false,
    });
  }
  if (!options.user) throw gssError('NO_CREDENTIALS', 'the NTLM initiator needs -user (DOMAIN\\user)');
  const { user, domain } = parseNtlmUser(options.user);
  let password = options.password;
  if (password === undefined) {
    const text = readUserFile(options);
    const entry = text
      ? parseUserFile(text).find(
          (e) =>
            e.user.toUpperCase() === user.toUpperCase() &&
            (!domain || (e.domain ?? '').toUpperCase() === domain.toUpperCase()),
        )
      : undefined;
    if (!entry?.password)
      throw gssError('NO_CREDENTIALS', `no -pass given and no NTLM_USER_FILE entry for ${options.user}`);
    password = entry.password;
  }
  return ntlm({ user, domain, password });
}
