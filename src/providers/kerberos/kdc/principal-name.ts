/**
 * Principal names as text, the way MIT's krb5_parse_name / krb5_unparse_name read and
 * write them: components joined by '/', '@' before the realm, backslash escapes for
 * '/', '@', '\' and \n \t \b \0. Plus the default salt of RFC 4120 §4.
 */
import { gssError } from '../../../core/errors.ts';
import { NameType } from '../constants.ts';
import type { Principal } from '../types.ts';

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', b: '\b', '0': '\0' };
const MAX_NAME_LENGTH = 4096;

/** Parses `comp/comp@REALM`; a name without '@' takes `defaultRealm`. MIT infers the
 *  name type NT-SRV-INST for `krbtgt/X` and NT-PRINCIPAL otherwise (references.md §2.7). */
export function parsePrincipal(text: string, defaultRealm?: string, nameType?: number): Principal {
  if (text.length === 0 || text.length > MAX_NAME_LENGTH)
    throw gssError('BAD_NAME', 'principal name is empty or too long');
  const components: string[] = [];
  let current = '';
  let realm: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[++i];
      if (next === undefined) throw gssError('BAD_NAME', `principal name ends with a backslash: ${text}`);
      current += ESCAPES[next] ?? next;
    } else if (c === '/' && realm === undefined) {
      components.push(current);
      current = '';
    } else if (c === '@' && realm === undefined) {
      components.push(current);
      current = '';
      realm = '';
    } else if ((c === '@' || c === '/') && realm !== undefined) {
      throw gssError('BAD_NAME', `unescaped '${c}' in the realm of ${text}`);
    } else {
      current += c;
    }
  }
  if (realm === undefined) components.push(current);
  else realm = current;
  if (components.some((p) => p.length === 0)) throw gssError('BAD_NAME', `empty component in ${text}`);
  const finalRealm = realm ?? defaultRealm;
  if (!finalRealm) throw gssError('BAD_NAME', `no realm in ${text} and no default realm configured`);
  const type =
    nameType ??
    (components.length === 2 && components[0] === 'krbtgt' ? NameType.NT_SRV_INST : NameType.NT_PRINCIPAL);
  return { realm: finalRealm, name: { nameType: type, nameString: components } };
}

/** Characters escapeComponent rewrites; most names have none (fast path). */
const NEEDS_ESCAPE = /[\\@/\n\t\b\0]/;

function escapeComponent(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  let out = '';
  for (const c of s) {
    if (c === '\\' || c === '@' || c === '/') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\b') out += '\\b';
    else if (c === '\0') out += '\\0';
    else out += c;
  }
  return out;
}

/** `comp/comp@REALM`, escaped so that parsePrincipal reads it back. */
export function formatPrincipal(p: Principal): string {
  return `${p.name.nameString.map((c) => escapeComponent(c)).join('/')}@${escapeComponent(p.realm)}`;
}

/** `comp/comp` without the realm. */
export function formatPrincipalName(p: Principal): string {
  return p.name.nameString.map((c) => escapeComponent(c)).join('/');
}

/** RFC 4120 §4: the default salt is the realm followed by every name component, unseparated. */
export function defaultSalt(p: Principal): string {
  return p.realm + p.name.nameString.join('');
}

/** Same principal, ignoring the name type (RFC 4120 §6.2: the type is only a hint). */
export function samePrincipal(a: Principal, b: Principal): boolean {
  return (
    a.realm === b.realm &&
    a.name.nameString.length === b.name.nameString.length &&
    a.name.nameString.every((c, i) => c === b.name.nameString[i])
  );
}

/** krbtgt/REALM@REALM. */
export function tgsPrincipal(realm: string, issuingRealm = realm): Principal {
  return { realm: issuingRealm, name: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', realm] } };
}
