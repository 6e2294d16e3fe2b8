/**
 * Text the way MIT's klist/kvno print it (krb5 1.20 src/clients/klist/klist.c), so
 * scripts written against MIT output keep working: the "%x %X" C-locale timestamps,
 * the ticket-flag letters, "DEPRECATED:" before deprecated enctype names.
 */
import { TicketFlags } from '../../providers/kerberos/constants.ts';
import { enctypeFromName, enctypeName } from '../../providers/kerberos/crypto/numbers.ts';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** strftime("%x %X") in the C locale, local time: `11/26/26 15:48:29`. */
export function mitTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad2(d.getMonth() + 1)}/${pad2(d.getDate())}/${pad2(d.getFullYear() % 100)} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  );
}

/** klist.c flags_string: one letter per ticket flag, in MIT's order. */
export function mitFlagsString(flags: number): string {
  const letters: Array<[number, string]> = [
    [TicketFlags.FORWARDABLE, 'F'],
    [TicketFlags.FORWARDED, 'f'],
    [TicketFlags.PROXIABLE, 'P'],
    [TicketFlags.PROXY, 'p'],
    [TicketFlags.MAY_POSTDATE, 'D'],
    [TicketFlags.POSTDATED, 'd'],
    [TicketFlags.INVALID, 'i'],
    [TicketFlags.RENEWABLE, 'R'],
    [TicketFlags.INITIAL, 'I'],
    [TicketFlags.HW_AUTHENT, 'H'],
    [TicketFlags.PRE_AUTHENT, 'A'],
    [TicketFlags.TRANSITED_POLICY_CHECKED, 'T'],
    [TicketFlags.OK_AS_DELEGATE, 'O'],
    [TicketFlags.ANONYMOUS, 'a'],
  ];
  let s = '';
  for (const [bit, letter] of letters) if ((flags & bit) >>> 0 !== 0) s += letter;
  return s;
}

/** MIT 1.20 marks these enctypes deprecated and klist prints them with a prefix. */
const DEPRECATED = new Set([1, 2, 3, 16, 23, 24]);

/** The enctype name as MIT's klist -e prints it (`DEPRECATED:arcfour-hmac`). */
export function mitEnctypeName(etype: number): string {
  return `${DEPRECATED.has(etype) ? 'DEPRECATED:' : ''}${enctypeName(etype)}`;
}

/** Reads `aes256-cts-hmac-sha1-96`, `aes256-cts:normal`, an alias, or `18`; undefined if unknown. */
export function parseEnctypeName(text: string): number | undefined {
  const name = text.trim().replace(/:normal$/i, '');
  if (/^-?\d+$/.test(name)) return Number(name);
  return enctypeFromName(name);
}

export interface KlistEntry {
  server: string;
  /** Set when the client differs from the cache's default principal. */
  client?: string;
  authTime: number;
  startTime?: number;
  endTime: number;
  renewTill?: number;
  flags: number;
  sessionEtype: number;
  ticketEtype?: number;
}

/** klist.c show_credential: the ticket line and its extra fields, MIT's exact layout. */
export function formatKlistEntry(e: KlistEntry, opts: { flags: boolean; etypes: boolean }): string {
  let out = `${mitTimestamp(e.startTime || e.authTime)}  ${mitTimestamp(e.endTime)}  ${e.server}\n`;
  if (e.client) out += `\tfor client ${e.client}`;
  let extra = e.client ? 1 : 0;
  if (e.renewTill) {
    out += `${extra ? ', ' : '\t'}renew until ${mitTimestamp(e.renewTill)}`;
    extra += 2;
  }
  if (opts.flags) {
    const f = mitFlagsString(e.flags);
    if (f) {
      out += `${extra ? ', ' : '\t'}Flags: ${f}`;
      extra++;
    }
  }
  if (extra > 2) {
    out += '\n';
    extra = 0;
  }
  if (opts.etypes) {
    const tkt = e.ticketEtype === undefined ? '(unknown)' : mitEnctypeName(e.ticketEtype);
    out += `${extra ? ', ' : '\t'}Etype (skey, tkt): ${mitEnctypeName(e.sessionEtype)}, ${tkt} `;
    extra++;
  }
  if (extra) out += '\n';
  return out;
}
