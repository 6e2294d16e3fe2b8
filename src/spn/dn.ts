/**
 * Distinguished names in RFC 4514 string form: parse, format (with the escaping of
 * RFC 4514 §2.4), and the DC= <-> DNS-domain conversions AD uses (RFC 2247 §3:
 * `DC=fabrikam,DC=com` is the DN of the DNS domain `fabrikam.com`).
 *
 * Parsing is RFC 4514 §3 plus one leniency AD tools also accept (RFC 4514 §3 lets a
 * parser accept other forms): blanks around `=`, `,` and `+` are ignored, so
 * `CN=a, DC=b` reads like `CN=a,DC=b`. Escaped blanks (`\ `) are kept.
 */
import { assertString, badName } from './validate.ts';

/** One attribute type and value; `value` is unescaped text, or the `#hex` string of a BER value. */
export interface DnAttribute {
  type: string;
  value: string;
  /** True when the value was written as `#` + hex (RFC 4514 §2.4); then `value` keeps that text. */
  ber?: boolean;
}

/** A relative distinguished name: one or more attributes joined by `+` (multi-valued RDN). */
export type Rdn = DnAttribute[];

const KEYSTRING = /^[A-Za-z][A-Za-z0-9-]*$/;
const NUMERICOID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;
const HEX_BER = /^#([0-9A-Fa-f]{2})+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses an RFC 4514 DN string into RDNs, most specific first. `''` is the empty DN.
 * Throws `BAD_NAME` for a bad attribute type, a bad escape, or invalid UTF-8 in `\XX` escapes.
 *
 * @example
 * ```ts
 * parseDn('CN=Smith\\, John,DC=fabrikam,DC=com');
 * // [[{ type: 'CN', value: 'Smith, John' }], [{ type: 'DC', value: 'fabrikam' }], [{ type: 'DC', value: 'com' }]]
 * ```
 */
export function parseDn(dn: string): Rdn[] {
  if (dn === '') return [];
  assertString('dn', dn);
  const rdns: Rdn[] = [];
  let rdn: Rdn = [];
  let i = 0;
  const fail = (why: string): never => {
    throw badName(`bad distinguished name (${why} at offset ${i}): ${JSON.stringify(dn)}`, { dn, offset: i });
  };
  const skipBlanks = (): void => {
    while (dn[i] === ' ') i++;
  };
  for (;;) {
    skipBlanks();
    const eq = dn.indexOf('=', i);
    if (eq < 0) fail("missing '='");
    const type = dn.slice(i, eq).trim();
    if (!KEYSTRING.test(type) && !NUMERICOID.test(type)) fail(`bad attribute type ${JSON.stringify(type)}`);
    i = eq + 1;
    skipBlanks();
    const attr = readValue(dn, i, fail);
    i = attr.end;
    rdn.push(attr.ber ? { type, value: attr.value, ber: true } : { type, value: attr.value });
    if (i >= dn.length) break;
    const sep = dn[i];
    i++;
    if (sep === '+') continue;
    if (sep !== ',' && sep !== ';') fail(`unexpected ${JSON.stringify(sep)}`);
    rdns.push(rdn);
    rdn = [];
    if (i >= dn.length) fail('trailing separator');
  }
  rdns.push(rdn);
  return rdns;
}

function readValue(
  dn: string,
  start: number,
  fail: (why: string) => never,
): { value: string; end: number; ber: boolean } {
  let i = start;
  if (dn[i] === '#') {
    let j = i + 1;
    while (j < dn.length && /[0-9A-Fa-f]/.test(dn[j]!)) j++;
    const text = dn.slice(i, j);
    if (!HEX_BER.test(text)) fail('bad #hex value');
    while (dn[j] === ' ') j++;
    return { value: text, end: j, ber: true };
  }
  let out = '';
  let pendingBlanks = '';
  const bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length === 0) return;
    try {
      out += pendingBlanks + utf8.decode(new Uint8Array(bytes));
    } catch {
      fail('invalid UTF-8 in \\XX escapes');
    }
    pendingBlanks = '';
    bytes.length = 0;
  };
  while (i < dn.length) {
    const c = dn[i]!;
    if (c === ',' || c === '+' || c === ';') break;
    if (c === '\\') {
      const next = dn[i + 1];
      if (next === undefined) fail('trailing backslash');
      const pair = dn.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(pair)) {
        bytes.push(Number.parseInt(pair, 16));
        i += 3;
        continue;
      }
      if (!' "#+,;<=>\\'.includes(next!)) fail(`bad escape \\${next}`);
      flushBytes();
      out += pendingBlanks + next;
      pendingBlanks = '';
      i += 2;
      continue;
    }
    flushBytes();
    if (c === ' ') {
      pendingBlanks += c; // kept only if more value follows: unescaped trailing blanks are dropped
    } else {
      if (c === '"' || c === '<' || c === '>' || c === '\0') fail(`unescaped ${JSON.stringify(c)}`);
      out += pendingBlanks + c;
      pendingBlanks = '';
    }
    i++;
  }
  flushBytes();
  return { value: out, end: i, ber: false };
}

/**
 * Escapes an attribute value for a DN string (RFC 4514 §2.4): `"+,;<>\` anywhere, `#` or a
 * blank at the start, a blank at the end, NUL as `\00`.
 *
 * @example
 * ```ts
 * escapeDnValue('Smith, John'); // 'Smith\\, John'
 * escapeDnValue(' #1 '); // '\\ #1\\ '
 * ```
 */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\0') out += '\\00';
    else if ('"+,;<>\\'.includes(c)) out += `\\${c}`;
    else if (i === 0 && (c === ' ' || c === '#')) out += `\\${c}`;
    else if (i === value.length - 1 && c === ' ') out += '\\ ';
    else out += c;
  }
  return out;
}

/**
 * Formats RDNs as an RFC 4514 DN string, escaping values; types are written as given.
 *
 * @example
 * ```ts
 * formatDn([[{ type: 'cn', value: 'a,b' }], [{ type: 'DC', value: 'com' }]]); // 'cn=a\\,b,DC=com'
 * ```
 */
export function formatDn(rdns: readonly Rdn[]): string {
  return rdns
    .map((rdn) => {
      if (rdn.length === 0) throw badName('an RDN needs at least one attribute');
      return rdn
        .map((a) => {
          if (!KEYSTRING.test(a.type) && !NUMERICOID.test(a.type)) {
            throw badName(`bad attribute type ${JSON.stringify(a.type)}`, { type: a.type });
          }
          if (a.ber) {
            if (!HEX_BER.test(a.value)) throw badName(`bad #hex value ${JSON.stringify(a.value)}`);
            return `${a.type}=${a.value}`;
          }
          return `${a.type}=${escapeDnValue(a.value)}`;
        })
        .join('+');
    })
    .join(',');
}

/**
 * Re-formats a DN canonically (RFC 4514 escaping, no blanks around separators).
 *
 * @example
 * ```ts
 * normalizeDn('CN=a , DC=fabrikam'); // 'CN=a,DC=fabrikam'
 * ```
 */
export function normalizeDn(dn: string): string {
  return formatDn(parseDn(dn));
}

/**
 * True when `text` parses as a non-empty DN.
 *
 * @example
 * ```ts
 * isDn('DC=fabrikam,DC=com'); // true
 * isDn('fabrikam.com'); // false
 * ```
 */
export function isDn(text: string): boolean {
  try {
    return parseDn(text).length > 0;
  } catch {
    return false;
  }
}

/**
 * The DN of a DNS domain: `fabrikam.com` -> `DC=fabrikam,DC=com` (RFC 2247 §3). A trailing
 * dot is ignored; empty labels are a `BAD_NAME` error.
 *
 * @example
 * ```ts
 * dnsDomainToDn('fabrikam.com'); // 'DC=fabrikam,DC=com'
 * ```
 */
export function dnsDomainToDn(domain: string): string {
  assertString('domain', domain);
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  const labels = name.split('.');
  if (labels.some((l) => l === ''))
    throw badName(`bad DNS domain name ${JSON.stringify(domain)}`, { domain });
  return formatDn(labels.map((label) => [{ type: 'DC', value: label }]));
}

/**
 * The DNS domain named by the trailing DC= RDNs of a DN: `CN=x,OU=y,DC=fabrikam,DC=com`
 * -> `fabrikam.com`. Throws `BAD_NAME` when the DN has no trailing DC components.
 *
 * @example
 * ```ts
 * dnToDnsDomain('DC=fabrikam,DC=com'); // 'fabrikam.com'
 * ```
 */
export function dnToDnsDomain(dn: string): string {
  const rdns = parseDn(dn);
  const labels: string[] = [];
  for (let i = rdns.length - 1; i >= 0; i--) {
    const rdn = rdns[i]!;
    if (rdn.length !== 1 || rdn[0]!.type.toUpperCase() !== 'DC' || rdn[0]!.ber) break;
    labels.unshift(rdn[0]!.value);
  }
  if (labels.length === 0) throw badName(`DN has no DC= components: ${JSON.stringify(dn)}`, { dn });
  if (labels.some((l) => l === '' || l.includes('.'))) {
    throw badName(`DN has a DC= value that is not a DNS label: ${JSON.stringify(dn)}`, { dn });
  }
  return labels.join('.');
}

/**
 * A domain given either way, as a domain DN: a DN made only of DC= RDNs is normalized,
 * a DNS name is converted. Anything else (an SCP DN, say) is a `BAD_NAME` error.
 *
 * @example
 * ```ts
 * toDomainDn('fabrikam.com'); // 'DC=fabrikam,DC=com'
 * toDomainDn('dc=fabrikam, dc=com'); // 'dc=fabrikam,dc=com'
 * ```
 */
export function toDomainDn(domain: string): string {
  assertString('domain', domain);
  if (domain.includes('=')) {
    const rdns = parseDn(domain);
    const allDc = rdns.every((r) => r.length === 1 && r[0]!.type.toUpperCase() === 'DC' && !r[0]!.ber);
    if (!allDc) {
      throw badName(`not a domain DN (only DC= components allowed): ${JSON.stringify(domain)}`, { domain });
    }
    return formatDn(rdns);
  }
  return dnsDomainToDn(domain);
}
