/**
 * Kerberos principal names and MIT's single-string form (RFC 1964 §2.1.1, MIT
 * krb5_parse_name / krb5_unparse_name).
 *
 * String form: components separated by `/`, then `@` and the realm. A backslash quotes
 * the next character; `\n \t \b \0` stand for newline, tab, backspace and NUL. Parsing
 * errors (KRB5_PARSE_MALFORMED in MIT): a trailing backslash, an unescaped `/` inside the
 * realm, a second unescaped `@`, an empty realm after `@`. Unparsing escapes `/ @ \`,
 * TAB, LF, BS and NUL everywhere, so parse(unparse(p)) gives p back.
 */
import { badArgument, badName, MAX_NAME_LENGTH } from './validate.ts';

/** Name types (RFC 4120 §6.2 and §7.5.8; NT-ENTERPRISE from RFC 6806 §5). A hint only. */
export const NameType = {
  UNKNOWN: 0,
  PRINCIPAL: 1,
  SRV_INST: 2,
  SRV_HST: 3,
  SRV_XHST: 4,
  UID: 5,
  X500_PRINCIPAL: 6,
  SMTP_NAME: 7,
  ENTERPRISE: 10,
  WELLKNOWN: 11,
} as const;

/** A principal: name components, realm, name type (RFC 4120 §5.2.2 PrincipalName + Realm). */
export interface KrbPrincipal {
  components: string[];
  realm: string;
  nameType: number;
}

export interface ParsePrincipalOptions {
  /** Realm to use when the string has no `@REALM` (MIT uses the default realm). */
  defaultRealm?: string;
  /**
   * Parse as an enterprise name (MIT's KRB5_PRINCIPAL_PARSE_ENTERPRISE): one component in
   * which `/` is ordinary and the first unescaped `@` belongs to the name; type NT-ENTERPRISE.
   */
  enterprise?: boolean;
}

const UNESCAPE: Record<string, string> = { n: '\n', t: '\t', b: '\b', '0': '\0' };

/**
 * Parses MIT's string form. The name type is NT-SRV-INST for `krbtgt/<realm>`, as
 * krb5_parse_name infers it, NT-ENTERPRISE with `enterprise`, else NT-PRINCIPAL.
 * Throws `BAD_NAME` for malformed text and `INVALID_ARGUMENT` when there is no realm.
 *
 * @example
 * ```ts
 * parsePrincipal('HTTP/web.fabrikam.com@FABRIKAM.COM');
 * // { components: ['HTTP', 'web.fabrikam.com'], realm: 'FABRIKAM.COM', nameType: 1 }
 * parsePrincipal('a\\/b@R').components; // ['a/b']
 * ```
 */
export function parsePrincipal(text: string, options: ParsePrincipalOptions = {}): KrbPrincipal {
  if (typeof text !== 'string') throw badName('principal must be a string');
  if (text.length > MAX_NAME_LENGTH) throw badName(`principal is longer than ${MAX_NAME_LENGTH} characters`);
  const enterprise = options.enterprise === true;
  const components: string[] = [];
  let current = '';
  let realm: string | undefined;
  let sawAt = false; // enterprise: the first unescaped '@' is part of the name
  const malformed = (why: string): never => {
    throw badName(`malformed principal (${why}): ${JSON.stringify(text)}`, { principal: text });
  };
  for (let i = 0; i < text.length; i++) {
    let c = text[i]!;
    if (c === '\\') {
      i++;
      if (i >= text.length) malformed('trailing backslash');
      c = text[i]!;
      // An escaped '@' in an enterprise name is its name-internal '@' (how unparse writes it).
      if (c === '@' && realm === undefined) sawAt = true;
      current += UNESCAPE[c] ?? c;
      continue;
    }
    if (realm === undefined) {
      if (c === '/' && !enterprise) {
        components.push(current);
        current = '';
        continue;
      }
      if (c === '@') {
        if (enterprise && !sawAt) {
          sawAt = true;
          current += c;
          continue;
        }
        components.push(current);
        current = '';
        realm = '';
        continue;
      }
    } else {
      if (c === '/') malformed("'/' inside the realm");
      if (c === '@') malformed("second '@'");
    }
    current += c;
  }
  if (realm === undefined) {
    components.push(current);
    if (options.defaultRealm === undefined) {
      throw badArgument(`principal ${JSON.stringify(text)} has no realm and no defaultRealm was given`, {
        principal: text,
      });
    }
    realm = options.defaultRealm;
  } else {
    if (current === '') malformed("empty realm after '@'");
    realm = current;
  }
  let nameType: number = NameType.PRINCIPAL;
  if (enterprise) nameType = NameType.ENTERPRISE;
  else if (components.length === 2 && components[0] === 'krbtgt') nameType = NameType.SRV_INST;
  return { components, realm, nameType };
}

/**
 * Escapes one component or the realm the way krb5_unparse_name does.
 *
 * @example
 * ```ts
 * escapePrincipalPart('a/b@c'); // 'a\\/b\\@c'
 * ```
 */
export function escapePrincipalPart(part: string): string {
  let out = '';
  for (const c of part) {
    switch (c) {
      case '/':
      case '@':
      case '\\':
        out += `\\${c}`;
        break;
      case '\t':
        out += '\\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\0':
        out += '\\0';
        break;
      default:
        out += c;
    }
  }
  return out;
}

/**
 * MIT's string form of a principal: escaped components joined by `/`, then `@` and the
 * escaped realm. The name type is not part of the string.
 *
 * @example
 * ```ts
 * unparsePrincipal({ components: ['host', 'a@b'], realm: 'R', nameType: 3 }); // 'host/a\\@b@R'
 * ```
 */
export function unparsePrincipal(principal: KrbPrincipal): string {
  if (principal.components.length === 0) throw badName('a principal needs at least one component');
  if (principal.realm === '') throw badName('a principal needs a realm');
  return `${principal.components.map(escapePrincipalPart).join('/')}@${escapePrincipalPart(principal.realm)}`;
}
