/**
 * KERB_VALIDATION_INFO (MS-PAC §2.5), the PAC's logon information, NDR-encoded the way
 * Windows does: MS-RPCE §2.2.6 type serialization version 1 (common header 01 10 08 00
 * CCCCCCCC, private header with the object length padded to 8), then NDR 2.0 little-endian
 * with 32-bit unique pointers (referent ids 0x00020000, 0x00020004, ...). Pointed-to data
 * is written after the structure, in pointer order, each referent with its own nested
 * referents right after it (depth-first, as Samba's ndr_push does).
 *
 * Only what a Windows service reads is filled in: logon time, account name, full name,
 * user RID, primary group, group RIDs, logon domain name and SID, extra SIDs. Every
 * other field is zero, "never" (0x7FFFFFFF FFFFFFFF) or an empty string.
 */
import { parseSid, type Sid } from './sid.ts';

/** FILETIME (100 ns ticks since 1601) from ms since 1970. */
export function toFiletime(ms: number): bigint {
  return (BigInt(Math.floor(ms / 1000)) + 11644473600n) * 10_000_000n;
}
export const FILETIME_NEVER = 0x7fffffffffffffffn;

/** Little-endian growable writer with NDR alignment and unique-pointer referent ids. */
export class NdrWriter {
  #bytes: number[] = [];
  #referent = 0x00020000;

  get length(): number {
    return this.#bytes.length;
  }

  align(n: number): void {
    while (this.#bytes.length % n !== 0) this.#bytes.push(0);
  }

  u8(v: number): void {
    this.#bytes.push(v & 0xff);
  }

  u16(v: number): void {
    this.align(2);
    this.#bytes.push(v & 0xff, (v >>> 8) & 0xff);
  }

  u32(v: number): void {
    this.align(4);
    for (let i = 0; i < 4; i++) this.#bytes.push((v >>> (8 * i)) & 0xff);
  }

  /** FILETIME is a struct of two ULONGs (low, high): 4-byte alignment. */
  filetime(v: bigint): void {
    this.u32(Number(v & 0xffffffffn));
    this.u32(Number((v >> 32n) & 0xffffffffn));
  }

  raw(b: ArrayLike<number>): void {
    for (let i = 0; i < b.length; i++) this.#bytes.push(b[i]!);
  }

  /** A unique pointer: a fresh referent id, or 0 for NULL. */
  pointer(present: boolean): void {
    if (!present) {
      this.u32(0);
      return;
    }
    this.u32(this.#referent);
    this.#referent += 4;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

export interface LogonInfo {
  logonTime: number;
  /** sAMAccountName-like account name (EffectiveName). */
  account: string;
  fullName: string;
  logonServer: string;
  /** NetBIOS domain name (LogonDomainName). */
  domainName: string;
  domainSid: string;
  userRid: number;
  primaryGroupRid: number;
  groupRids: number[];
  extraSids: string[];
}

/** SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED (MS-PAC §2.2.1). */
const GROUP_ATTRIBUTES = 7;
/** UserFlags LOGON_EXTRA_SIDS (MS-PAC §2.5): ExtraSids is populated. */
const LOGON_EXTRA_SIDS = 0x20;
/** UserAccountControl USER_NORMAL_ACCOUNT | USER_DONT_EXPIRE_PASSWORD (MS-SAMR §2.2.1.12). */
const USER_ACCOUNT_CONTROL = 0x10 | 0x200;

const utf16 = (s: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out.push(c & 0xff, c >>> 8);
  }
  return out;
};

type Deferred = () => void;

/** RPC_UNICODE_STRING { USHORT Length; USHORT MaximumLength; [size_is, length_is] WCHAR* Buffer }. */
function unicodeString(w: NdrWriter, s: string, deferred: Deferred[]): void {
  const bytes = s.length * 2;
  w.u16(bytes);
  w.u16(bytes);
  w.pointer(s.length > 0);
  if (s.length > 0)
    deferred.push(() => {
      w.u32(s.length); // MaximumCount
      w.u32(0); // Offset
      w.u32(s.length); // ActualCount
      w.raw(utf16(s));
    });
}

/** RPC_SID as a conformant structure: MaxCount, Revision, SubAuthorityCount, authority, sub-authorities. */
function sid(w: NdrWriter, value: Sid): void {
  w.u32(value.subAuthorities.length);
  w.u8(value.revision);
  w.u8(value.subAuthorities.length);
  w.raw(value.authority);
  for (const s of value.subAuthorities) w.u32(s);
}

/** The NDR body (no serialization headers) of KERB_VALIDATION_INFO behind its top-level pointer. */
function encodeBody(info: LogonInfo): Uint8Array {
  const w = new NdrWriter();
  const deferred: Deferred[] = [];
  const logon = toFiletime(info.logonTime);
  const domainSid = parseSid(info.domainSid);
  const extra = info.extraSids.map(parseSid);
  const groups = [...new Set([info.primaryGroupRid, ...info.groupRids])];

  w.pointer(true); // PKERB_VALIDATION_INFO
  w.filetime(logon); // LogonTime
  w.filetime(FILETIME_NEVER); // LogoffTime
  w.filetime(FILETIME_NEVER); // KickOffTime
  w.filetime(logon); // PasswordLastSet
  w.filetime(0n); // PasswordCanChange
  w.filetime(FILETIME_NEVER); // PasswordMustChange
  unicodeString(w, info.account, deferred); // EffectiveName
  unicodeString(w, info.fullName, deferred); // FullName
  for (let i = 0; i < 4; i++) unicodeString(w, '', deferred); // LogonScript .. HomeDirectoryDrive
  w.u16(0); // LogonCount
  w.u16(0); // BadPasswordCount
  w.u32(info.userRid); // UserId
  w.u32(info.primaryGroupRid); // PrimaryGroupId
  w.u32(groups.length); // GroupCount
  w.pointer(groups.length > 0); // GroupIds
  if (groups.length > 0)
    deferred.push(() => {
      w.u32(groups.length);
      for (const rid of groups) {
        w.u32(rid);
        w.u32(GROUP_ATTRIBUTES);
      }
    });
  w.u32(extra.length > 0 ? LOGON_EXTRA_SIDS : 0); // UserFlags
  w.raw(new Uint8Array(16)); // UserSessionKey
  unicodeString(w, info.logonServer, deferred); // LogonServer
  unicodeString(w, info.domainName, deferred); // LogonDomainName
  w.pointer(true); // LogonDomainId
  deferred.push(() => sid(w, domainSid));
  w.u32(0); // Reserved1[0]
  w.u32(0); // Reserved1[1]
  w.u32(USER_ACCOUNT_CONTROL);
  w.u32(0); // SubAuthStatus
  w.filetime(0n); // LastSuccessfulILogon
  w.filetime(0n); // LastFailedILogon
  w.u32(0); // FailedILogonCount
  w.u32(0); // Reserved3
  w.u32(extra.length); // SidCount
  w.pointer(extra.length > 0); // ExtraSids
  if (extra.length > 0)
    deferred.push(() => {
      w.u32(extra.length);
      for (let i = 0; i < extra.length; i++) {
        w.pointer(true);
        w.u32(GROUP_ATTRIBUTES);
      }
      for (const s of extra) sid(w, s);
    });
  w.pointer(false); // ResourceGroupDomainSid
  w.u32(0); // ResourceGroupCount
  w.pointer(false); // ResourceGroupIds
  for (const write of deferred) write();
  w.align(8);
  return w.finish();
}

/** The PAC LOGON_INFO buffer: MS-RPCE §2.2.6 headers + the NDR body. */
export function encodeLogonInfo(info: LogonInfo): Uint8Array {
  const body = encodeBody(info);
  const out = new Uint8Array(16 + body.length);
  const view = new DataView(out.buffer);
  out.set([0x01, 0x10, 0x08, 0x00, 0xcc, 0xcc, 0xcc, 0xcc]); // version 1, little-endian, 8-byte header
  view.setUint32(8, body.length, true); // ObjectBufferLength (a multiple of 8)
  view.setUint32(12, 0, true); // Filler
  out.set(body, 16);
  return out;
}
