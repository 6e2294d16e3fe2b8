/**
 * Where an NTLM acceptor finds users' NT hashes. NTLM verifies the client by recomputing
 * its response, so the acceptor needs each user's NT hash (MD4 of the password, MS-NLMP
 * §3.3.1) or the password itself (LM, legacy only, needs that).
 *
 * `parseUserFile` reads gss-ntlmssp's NTLM_USER_FILE format: one `DOMAIN:USER:PASSWORD`
 * per line, the domain possibly empty (then the entry matches any domain), the password
 * everything after the second colon. Blank lines and lines starting with '#' are skipped.
 * User and domain match case-insensitively, as Windows account names do.
 */
import { gssError } from '../../core/errors.ts';
import type { Awaitable } from '../../core/mechanism.ts';
import { ntowfv1 } from './keys.ts';

export interface NtlmCredential {
  user: string;
  /** '' matches any domain. */
  domain: string;
  /** NTOWFv1, 16 bytes. */
  ntHash: Uint8Array;
  /** Only needed for legacy LM responses. */
  password?: string;
}

export interface CredentialStore {
  /** The credential for `user` in `domain` (as the client sent them), or undefined. */
  lookup(user: string, domain: string): Awaitable<NtlmCredential | undefined>;
}

export interface UserEntry {
  user: string;
  domain?: string;
  password?: string;
  /** NT hash (16 bytes), instead of a password. */
  ntHash?: Uint8Array;
}

/** Largest NTLM_USER_FILE read, and most entries. */
export const MAX_USER_FILE_BYTES = 1024 * 1024;
export const MAX_USER_FILE_ENTRIES = 10000;

export class MemoryCredentialStore implements CredentialStore {
  readonly #entries: NtlmCredential[] = [];

  constructor(entries: readonly UserEntry[] = []) {
    for (const e of entries) this.add(e);
  }

  add(entry: UserEntry): this {
    if (!entry.user) throw gssError('INVALID_ARGUMENT', 'an NTLM user entry needs a user name');
    let ntHash: Uint8Array;
    if (entry.ntHash !== undefined) {
      if (entry.ntHash.length !== 16) throw gssError('INVALID_ARGUMENT', 'an NT hash is 16 bytes');
      ntHash = entry.ntHash.slice();
    } else if (entry.password !== undefined) ntHash = ntowfv1(entry.password);
    else throw gssError('INVALID_ARGUMENT', `NTLM user ${entry.user} needs a password or an NT hash`);
    const cred: NtlmCredential = { user: entry.user, domain: entry.domain ?? '', ntHash };
    if (entry.password !== undefined) cred.password = entry.password;
    this.#entries.push(cred);
    return this;
  }

  get size(): number {
    return this.#entries.length;
  }

  lookup(user: string, domain: string): NtlmCredential | undefined {
    const u = user.toUpperCase();
    const d = domain.toUpperCase();
    // An exact domain match wins over a domain-less entry.
    const matches = this.#entries.filter(
      (e) => e.user.toUpperCase() === u && (e.domain === '' || e.domain.toUpperCase() === d),
    );
    return matches.find((e) => e.domain !== '') ?? matches[0];
  }
}

/** Parses gss-ntlmssp's `DOMAIN:USER:PASSWORD` lines. Throws MALFORMED naming the line. */
export function parseUserFile(text: string): UserEntry[] {
  if (text.length > MAX_USER_FILE_BYTES)
    throw gssError('LIMIT_EXCEEDED', `NTLM user file larger than ${MAX_USER_FILE_BYTES} bytes`);
  const out: UserEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0)
      throw gssError('MALFORMED', `NTLM user file line ${i + 1}: expected DOMAIN:USER:PASSWORD`);
    const user = line.slice(first + 1, second);
    if (!user) throw gssError('MALFORMED', `NTLM user file line ${i + 1}: empty user name`);
    if (out.length >= MAX_USER_FILE_ENTRIES)
      throw gssError('LIMIT_EXCEEDED', `NTLM user file has more than ${MAX_USER_FILE_ENTRIES} entries`);
    out.push({ domain: line.slice(0, first), user, password: line.slice(second + 1) });
  }
  return out;
}

/** A store holding the entries of an NTLM_USER_FILE's text. */
export function credentialStoreFromUserFile(text: string): MemoryCredentialStore {
  return new MemoryCredentialStore(parseUserFile(text));
}
