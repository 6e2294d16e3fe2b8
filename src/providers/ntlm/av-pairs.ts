/**
 * AV_PAIR lists (MS-NLMP §2.2.2.1): the CHALLENGE's TargetInfo and the same list, extended
 * by the client, inside the NTLMv2 response. Each pair is AvId (2), AvLen (2), Value;
 * the list ends with MsvAvEOL. Parsing is bounded: every AvLen is checked against what is
 * left, the list must end with EOL, and a list holds at most MAX_AV_PAIRS pairs.
 */
import { concatBytes } from '../../core/bytes.ts';
import { malformed, putU16, u16, u32, u32le, utf16le } from './wire.ts';

export const AvId = {
  MsvAvEOL: 0,
  MsvAvNbComputerName: 1,
  MsvAvNbDomainName: 2,
  MsvAvDnsComputerName: 3,
  MsvAvDnsDomainName: 4,
  MsvAvDnsTreeName: 5,
  MsvAvFlags: 6,
  MsvAvTimestamp: 7,
  MsvAvSingleHost: 8,
  MsvAvTargetName: 9,
  MsvAvChannelBindings: 10,
} as const;

/** MsvAvFlags bits (MS-NLMP §2.2.2.1). */
export const AvFlags = {
  /** The account authentication is constrained. */
  CONSTRAINED: 0x1,
  /** The client provides a MIC in the AUTHENTICATE message. */
  MIC_PRESENT: 0x2,
  /** The SPN in MsvAvTargetName came from an untrusted source. */
  UNTRUSTED_SPN: 0x4,
} as const;

export const MAX_AV_PAIRS = 64;

export interface AvPair {
  id: number;
  value: Uint8Array;
}

/** Decodes a list; throws MALFORMED unless it is well formed and EOL-terminated. */
export function decodeAvPairs(b: Uint8Array, what = 'AV pair list'): AvPair[] {
  const out: AvPair[] = [];
  let at = 0;
  for (;;) {
    if (at + 4 > b.length) throw malformed(`${what} (no MsvAvEOL)`);
    const id = u16(b, at);
    const len = u16(b, at + 2);
    at += 4;
    if (len > b.length - at) throw malformed(`${what} (AvLen ${len} past the end)`);
    if (id === AvId.MsvAvEOL) {
      if (len !== 0) throw malformed(`${what} (MsvAvEOL with a value)`);
      return out;
    }
    if (out.length >= MAX_AV_PAIRS) throw malformed(`${what} (more than ${MAX_AV_PAIRS} pairs)`);
    out.push({ id, value: b.subarray(at, at + len) });
    at += len;
  }
}

/** Encodes pairs and the terminating MsvAvEOL. */
export function encodeAvPairs(pairs: readonly AvPair[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const p of pairs) {
    const head = new Uint8Array(4);
    putU16(head, 0, p.id);
    putU16(head, 2, p.value.length);
    parts.push(head, p.value);
  }
  parts.push(new Uint8Array(4));
  return concatBytes(...parts);
}

export function findAvPair(pairs: readonly AvPair[], id: number): Uint8Array | undefined {
  return pairs.find((p) => p.id === id)?.value;
}

/** Replaces (or appends) pair `id`. */
export function setAvPair(pairs: AvPair[], id: number, value: Uint8Array): void {
  const i = pairs.findIndex((p) => p.id === id);
  if (i >= 0) pairs[i] = { id, value };
  else pairs.push({ id, value });
}

export function avString(id: number, s: string): AvPair {
  return { id, value: utf16le(s) };
}

export function avFlagsValue(pairs: readonly AvPair[]): number {
  const v = findAvPair(pairs, AvId.MsvAvFlags);
  if (v === undefined) return 0;
  if (v.length !== 4) throw malformed('MsvAvFlags (length is not 4)');
  return u32(v, 0);
}

export function avFlagsPair(flags: number): AvPair {
  return { id: AvId.MsvAvFlags, value: u32le(flags) };
}

/** Milliseconds since the Unix epoch to a FILETIME (100 ns ticks since 1601), 8 bytes LE. */
export function fileTime(ms: number): Uint8Array {
  const ticks = (BigInt(Math.floor(ms)) + 11644473600000n) * 10000n;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, ticks < 0n ? 0n : ticks, true);
  return out;
}

/** FILETIME (8 bytes LE) to milliseconds since the Unix epoch. */
export function fileTimeToMs(b: Uint8Array): number {
  if (b.length !== 8) throw malformed('timestamp (length is not 8)');
  const ticks = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  return Number(ticks / 10000n - 11644473600000n);
}
