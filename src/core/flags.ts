/**
 * Context flags. gssock's canonical bitmask uses the GSS-API values (RFC 2743 §1.2.1.2,
 * RFC 2744 gssapi.h), which are also the bits the Kerberos 0x8003 checksum carries
 * (RFC 4121 §4.1.1.1). SSPI's ISC_REQ_* / ASC_REQ_* values differ for integrity, so
 * conversions live here.
 */

export const Flags = {
  DELEGATE: 0x1,
  MUTUAL: 0x2,
  REPLAY: 0x4,
  SEQUENCE: 0x8,
  CONF: 0x10,
  INTEG: 0x20,
  ANON: 0x40,
  PROT_READY: 0x80,
  TRANS: 0x100,
  DCE_STYLE: 0x1000,
  IDENTIFY: 0x2000,
  EXTENDED_ERROR: 0x4000,
} as const;

export type FlagName = keyof typeof Flags;

/** A bitmask of `Flags` values. */
export type ContextFlags = number;

/** MIT gss-client's default request: mutual authentication and replay detection. */
export const DEFAULT_FLAGS: ContextFlags = Flags.MUTUAL | Flags.REPLAY;

/** Names of the bits set in `mask`, e.g. `['MUTUAL', 'REPLAY']`. */
export function flagNames(mask: ContextFlags): FlagName[] {
  return (Object.keys(Flags) as FlagName[]).filter((name) => (mask & Flags[name]) !== 0);
}

/** Parses `'mutual,replay'`-style lists (case-insensitive, GSS names or short names). */
export function parseFlags(list: string): ContextFlags {
  let mask = 0;
  for (const raw of list.split(/[,|\s]+/).filter(Boolean)) {
    const name = raw
      .toUpperCase()
      .replace(/^GSS_C_/, '')
      .replace(/_FLAG$/, '') as FlagName;
    const alias: Record<string, FlagName> = { CONFIDENTIALITY: 'CONF', INTEGRITY: 'INTEG', SEQ: 'SEQUENCE' };
    const bit = Flags[alias[name] ?? name];
    if (bit === undefined) throw new RangeError(`unknown context flag: ${raw}`);
    mask |= bit;
  }
  return mask;
}

/** SSPI InitializeSecurityContext request/return bits (sspi.h). */
export const IscFlags = {
  DELEGATE: 0x1,
  MUTUAL_AUTH: 0x2,
  REPLAY_DETECT: 0x4,
  SEQUENCE_DETECT: 0x8,
  CONFIDENTIALITY: 0x10,
  USE_SESSION_KEY: 0x20,
  ALLOCATE_MEMORY: 0x100,
  USE_DCE_STYLE: 0x200,
  CONNECTION: 0x800,
  IDENTIFY: 0x20000,
  INTEGRITY: 0x10000,
} as const;

/** SSPI AcceptSecurityContext request/return bits (sspi.h). */
export const AscFlags = {
  DELEGATE: 0x1,
  MUTUAL_AUTH: 0x2,
  REPLAY_DETECT: 0x4,
  SEQUENCE_DETECT: 0x8,
  CONFIDENTIALITY: 0x10,
  USE_SESSION_KEY: 0x20,
  ALLOCATE_MEMORY: 0x100,
  USE_DCE_STYLE: 0x200,
  CONNECTION: 0x800,
  INTEGRITY: 0x20000,
  IDENTIFY: 0x80000,
} as const;

const COMMON: Array<[number, keyof typeof IscFlags]> = [
  [Flags.DELEGATE, 'DELEGATE'],
  [Flags.MUTUAL, 'MUTUAL_AUTH'],
  [Flags.REPLAY, 'REPLAY_DETECT'],
  [Flags.SEQUENCE, 'SEQUENCE_DETECT'],
  [Flags.CONF, 'CONFIDENTIALITY'],
  [Flags.INTEG, 'INTEGRITY'],
  [Flags.DCE_STYLE, 'USE_DCE_STYLE'],
  [Flags.IDENTIFY, 'IDENTIFY'],
];

/** GSS flags to SSPI ISC_REQ_* (initiator) or ASC_REQ_* (acceptor) bits. */
export function toSspiFlags(mask: ContextFlags, role: 'initiator' | 'acceptor'): number {
  const table = role === 'initiator' ? IscFlags : AscFlags;
  let out = 0;
  for (const [gss, name] of COMMON) if (mask & gss) out |= table[name];
  return out;
}

/** SSPI ISC_RET_* / ASC_RET_* bits to GSS flags. */
export function fromSspiFlags(mask: number, role: 'initiator' | 'acceptor'): ContextFlags {
  const table = role === 'initiator' ? IscFlags : AscFlags;
  let out = 0;
  for (const [gss, name] of COMMON) if (mask & table[name]) out |= gss;
  return out;
}
