/**
 * Windows security identifiers (MS-DTYP §2.4.2): the text form `S-1-5-21-a-b-c[-rid]`,
 * the binary form (revision, sub-authority count, 48-bit big-endian authority, then
 * little-endian 32-bit sub-authorities), and a stable domain SID for a realm.
 */
import { gssError } from '../core/errors.ts';
import { utf8 } from '../core/bytes.ts';
import { digest } from '../crypto/hash.ts';

export interface Sid {
  revision: number;
  /** 6 bytes, big-endian. */
  authority: Uint8Array;
  subAuthorities: number[];
}

const SID_RE = /^S-1-(\d+)((?:-\d+){0,15})$/i;

export function parseSid(text: string): Sid {
  const m = SID_RE.exec(text.trim());
  if (!m) throw gssError('INVALID_ARGUMENT', `"${text}" is not a SID (S-1-<authority>-<sub>...)`);
  const authorityValue = Number(m[1]);
  if (!Number.isSafeInteger(authorityValue) || authorityValue > 0xffffffffffff)
    throw gssError('INVALID_ARGUMENT', `SID authority out of range in "${text}"`);
  const authority = new Uint8Array(6);
  let a = authorityValue;
  for (let i = 5; i >= 0; i--) {
    authority[i] = a % 256;
    a = Math.floor(a / 256);
  }
  const subAuthorities = (m[2] ?? '')
    .split('-')
    .filter(Boolean)
    .map((s) => {
      const v = Number(s);
      if (!Number.isInteger(v) || v > 0xffffffff)
        throw gssError('INVALID_ARGUMENT', `SID sub-authority out of range in "${text}"`);
      return v;
    });
  return { revision: 1, authority, subAuthorities };
}

export function formatSid(sid: Sid): string {
  let authority = 0;
  for (const b of sid.authority) authority = authority * 256 + b;
  return ['S', sid.revision, authority, ...sid.subAuthorities].join('-');
}

/** The binary SID (MS-DTYP §2.4.2.2), as in UPN_DNS_INFO. */
export function encodeSid(sid: Sid): Uint8Array {
  const out = new Uint8Array(8 + 4 * sid.subAuthorities.length);
  const view = new DataView(out.buffer);
  out[0] = sid.revision;
  out[1] = sid.subAuthorities.length;
  out.set(sid.authority, 2);
  for (const [i, s] of sid.subAuthorities.entries()) view.setUint32(8 + 4 * i, s, true);
  return out;
}

/** `domainSid-rid`. */
export function sidWithRid(domainSid: string, rid: number): string {
  return `${domainSid}-${rid >>> 0}`;
}

/**
 * A stable S-1-5-21-a-b-c domain SID for a realm, from SHA-256 of its name, so the same
 * realm file yields the same SIDs on every start (tests can compare them).
 */
export function domainSidForRealm(realm: string): string {
  const h = digest('sha256', utf8(`gssock-domain-sid:${realm}`));
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
  return `S-1-5-21-${view.getUint32(0, true)}-${view.getUint32(4, true)}-${view.getUint32(8, true)}`;
}
