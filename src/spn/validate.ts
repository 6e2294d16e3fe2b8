/**
 * Shared checks for SPN components. Every failure is a typed GssockError:
 * `BAD_NAME` when a name (class, host, DN, SPN string) is malformed, `INVALID_ARGUMENT`
 * when a non-name argument (port, count, enum value, missing default) is wrong.
 *
 * Why so strict: DsMakeSpn/DsGetSpn forbid `/` inside any string parameter (their
 * Remarks) but do not check it, so Windows builds a silently different SPN and mutual
 * authentication later fails with SEC_E_TARGET_UNKNOWN. gssock refuses up front.
 */
import { type GssockError, gssError } from '../core/errors.ts';

/** Longest string accepted anywhere in this module (servicePrincipalName has no rangeUpper; this only bounds work). */
export const MAX_NAME_LENGTH = 16384;

/** A malformed name: `BAD_NAME` with the offending field in `details`. */
export function badName(message: string, details: Record<string, unknown> = {}): GssockError {
  return gssError('BAD_NAME', message, { details });
}

/** A wrong non-name argument: `INVALID_ARGUMENT`. */
export function badArgument(message: string, details: Record<string, unknown> = {}): GssockError {
  return gssError('INVALID_ARGUMENT', message, { details });
}

/** Checks that `value` is a non-empty string of bounded length. */
export function assertString(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw badName(`${field} must be a string`, { field });
  if (value.length === 0) throw badName(`${field} must not be empty`, { field });
  if (value.length > MAX_NAME_LENGTH) {
    throw badName(`${field} is longer than ${MAX_NAME_LENGTH} characters`, { field, length: value.length });
  }
}

/**
 * Checks one SPN component: non-empty, no `/` (the SPN separator, DsMakeSpn Remarks) and
 * no NUL (the Win32 APIs take NUL-terminated strings, so a NUL would truncate the SPN).
 */
export function assertComponent(field: string, value: unknown): asserts value is string {
  assertString(field, value);
  const slash = value.indexOf('/');
  if (slash >= 0) {
    throw badName(`${field} must not contain '/' (it separates SPN components): ${JSON.stringify(value)}`, {
      field,
      value,
      index: slash,
    });
  }
  if (value.includes('\0')) throw badName(`${field} must not contain NUL`, { field, value });
}

/** A TCP/UDP port as DsMakeSpn takes it (USHORT); 0 means "no port component". */
export function assertPort(field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw badArgument(`${field} must be an integer from 0 to 65535, got ${String(value)}`, { field, value });
  }
}

/** Parses a decimal port string strictly ("443"), as DsCrackSpn requires a numeric port. */
export function parsePortText(field: string, text: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) {
    throw badName(`${field} must be a decimal port number, got ${JSON.stringify(text)}`, {
      field,
      value: text,
    });
  }
  const port = Number(text);
  if (port > 65535) throw badName(`${field} ${port} is out of range (0-65535)`, { field, value: text });
  return port;
}

const IPV4 =
  /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;

/**
 * True for a dotted-quad IPv4 address.
 *
 * @example
 * ```ts
 * isIpv4('192.0.2.1'); // true
 * ```
 */
export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/**
 * True for an IPv6 literal, bare (`fe80::1`, `::1%3`) or bracketed (`[::1]`), RFC 4291 §2.2 text forms.
 *
 * @example
 * ```ts
 * isIpv6('[fe80::1]'); // true
 * ```
 */
export function isIpv6(text: string): boolean {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) {
    if (!/^[0-9A-Za-z._-]+$/.test(s.slice(zone + 1))) return false;
    s = s.slice(0, zone);
  }
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return false;
  if (s.includes('.')) {
    // An embedded IPv4 tail counts as two hextets (RFC 4291 §2.2 form 3).
    const lastColon = s.lastIndexOf(':');
    if (!isIpv4(s.slice(lastColon + 1))) return false;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const hextets = (part: string): number => {
    if (part === '') return 0;
    const groups = part.split(':');
    return groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g)) ? groups.length : Number.NaN;
  };
  if (halves.length === 2) return hextets(halves[0] ?? '') + hextets(halves[1] ?? '') <= 7;
  return hextets(s) === 8;
}

/**
 * True when `text` is an IPv4 or IPv6 address (the only case DsMakeSpn uses Referrer).
 *
 * @example
 * ```ts
 * isIpAddress('host.fabrikam.com'); // false
 * ```
 */
export function isIpAddress(text: string): boolean {
  return isIpv4(text) || isIpv6(text);
}
