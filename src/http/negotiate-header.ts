/**
 * The HTTP Negotiate scheme's headers (RFC 4559 §4):
 *
 *   WWW-Authenticate: Negotiate            (the server asks for a token)
 *   Authorization: Negotiate <base64>      (the client's token)
 *   WWW-Authenticate: Negotiate <base64>   (the server's next or final token)
 *
 * A WWW-Authenticate value may list several challenges ("Negotiate, NTLM, Basic realm=x",
 * RFC 9110 §11.6.1); the parser finds the Negotiate one, case-insensitively. The token is
 * standard base64 (RFC 4648 §4), padding optional on input; anything else is MALFORMED with
 * origin 'peer'. Size is checked before decoding.
 */
import { gssError } from '../core/errors.ts';

/** Largest token accepted in a header (IIS's default header limit is 16 KiB; AD tokens reach 48 KB). */
export const MAX_HEADER_TOKEN = 64 * 1024;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const REVERSE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) REVERSE[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += b === undefined ? '=' : ALPHABET[(n >> 6) & 63]!;
    out += c === undefined ? '=' : ALPHABET[n & 63]!;
  }
  return out;
}

/** Strict standard base64 (padding optional); MALFORMED (origin peer) otherwise. */
export function fromBase64(text: string, maxBytes = MAX_HEADER_TOKEN): Uint8Array {
  const body = text.replace(/={1,2}$/, '');
  if (body.length % 4 === 1) throw malformed('base64 length is impossible');
  const size = Math.floor((body.length * 3) / 4);
  if (size > maxBytes) throw malformed(`a ${size}-byte token exceeds the limit of ${maxBytes}`);
  if (text.length !== body.length && text.length % 4 !== 0) throw malformed('bad base64 padding');
  const out = new Uint8Array(size);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const v = code < 128 ? REVERSE[code]! : -1;
    if (v < 0) throw malformed(`invalid base64 character at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero (canonical encoding), so one token has one spelling.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) throw malformed('non-canonical base64');
  return out;
}

function malformed(message: string) {
  return gssError('MALFORMED', `Negotiate header: ${message}`, { origin: 'peer' });
}

export interface NegotiateChallenge {
  /** The token carried, if any ("Negotiate" alone carries none). */
  token?: Uint8Array;
}

/**
 * Finds the Negotiate challenge or credentials in a WWW-Authenticate or Authorization value.
 * Returns undefined when the header is absent or names no Negotiate scheme.
 */
export function parseNegotiateHeader(value: string | null | undefined): NegotiateChallenge | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length > MAX_HEADER_TOKEN * 2) throw malformed('header too long');
  // Challenges are comma-separated, but auth-params contain commas too; a Negotiate
  // challenge is "Negotiate" followed by nothing, a comma, or one token68.
  const re = /(?:^|,)\s*negotiate(?:\s+([^\s,]+))?\s*(?=,|$)/i;
  const m = re.exec(value);
  if (!m) return undefined;
  return m[1] === undefined ? {} : { token: fromBase64(m[1]) };
}

/** "Negotiate" or "Negotiate <base64>", for WWW-Authenticate or Authorization. */
export function formatNegotiateHeader(token?: Uint8Array): string {
  return token && token.length > 0 ? `Negotiate ${toBase64(token)}` : 'Negotiate';
}
