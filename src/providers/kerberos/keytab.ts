/**
 * MIT keytab files (krb5 doc/formats/keytab_file_format.rst), read and written as bytes;
 * file I/O is the caller's.
 *
 *   file   ::= 0x05 version(0x01|0x02) { int32 record_length, record }*
 *   record_length > 0: an entry of at most that many bytes; < 0: a zero-filled hole of
 *   -length bytes (a deleted entry); 0 (or end of file): the end.
 *   entry  ::= uint16 count [includes the realm in v1] ; data realm ; data component*count ;
 *              uint32 name_type [not in v1] ; uint32 timestamp ; uint8 kvno8 ;
 *              uint16 enctype ; data key ; [uint32 kvno32 if >= 4 bytes are left; 0 = absent]
 *   data   ::= uint16 length ; bytes
 * Version 2 is big-endian; version 1 used the writer's native order (little-endian here,
 * as on every platform MIT ships today). We always write version 2 with the 32-bit kvno.
 */
import { gssError } from '../../core/errors.ts';
import { samePrincipal } from './kdc/principal-name.ts';
import { BinaryReader, BinaryWriter, utf8Bytes } from './messages/binary.ts';
import type { EncryptionKey, Principal } from './types.ts';

export interface KeytabEntry {
  principal: Principal;
  /** When the key was written, ms since epoch (seconds precision in the file). */
  timestamp: number;
  /** Key version: the 32-bit extension when present and non-zero, else the 8-bit one. */
  kvno: number;
  key: EncryptionKey;
}

export interface Keytab {
  version: 1 | 2;
  entries: KeytabEntry[];
}

export interface KeytabLimits {
  /** Largest file accepted (default 64 MiB). */
  maxSize?: number;
  /** Most entries accepted (default 100000). */
  maxEntries?: number;
}

/** A single entry cannot be larger than this: principal + key fit in a few KiB. */
const MAX_ENTRY_SIZE = 1 << 20;

function readEntry(r: BinaryReader, version: 1 | 2, path: string): KeytabEntry {
  let count = r.u16(`${path}.count`);
  if (version === 1) {
    if (count === 0) r.fail(`${path}.count`, 'v1 count must include the realm');
    count -= 1;
  }
  const realm = r.utf8(r.u16(`${path}.realm`), `${path}.realm`);
  const nameString: string[] = [];
  for (let i = 0; i < count; i++)
    nameString.push(r.utf8(r.u16(`${path}.components`), `${path}.components[${i}]`));
  const nameType = version === 2 ? r.i32(`${path}.nameType`) : 1;
  const timestamp = r.u32(`${path}.timestamp`) * 1000;
  let kvno = r.u8(`${path}.kvno`);
  const etype = r.u16(`${path}.enctype`);
  const value = r.bytesCopy(r.u16(`${path}.keyLength`), `${path}.key`);
  if (r.remaining >= 4) {
    const kvno32 = r.u32(`${path}.kvno32`);
    if (kvno32 !== 0) kvno = kvno32;
  }
  return { principal: { realm, name: { nameType, nameString } }, timestamp, kvno, key: { etype, value } };
}

export function parseKeytab(bytes: Uint8Array, limits: KeytabLimits = {}): Keytab {
  const maxSize = limits.maxSize ?? 64 << 20;
  const maxEntries = limits.maxEntries ?? 100_000;
  if (!(bytes instanceof Uint8Array)) throw gssError('INVALID_ARGUMENT', 'keytab must be a Uint8Array');
  if (bytes.length > maxSize)
    throw gssError('LIMIT_EXCEEDED', `keytab of ${bytes.length} bytes exceeds the limit of ${maxSize}`);
  const head = new BinaryReader(bytes);
  if (head.u8('keytab.magic') !== 5) head.fail('keytab.magic', 'not a keytab (first byte is not 5)');
  const v = head.u8('keytab.version');
  if (v !== 1 && v !== 2)
    head.fail('keytab.version', `unsupported version 0x05${v.toString(16).padStart(2, '0')}`);
  const version = v as 1 | 2;
  const r = new BinaryReader(bytes, 'local', version === 1);
  r.offset = 2;
  const entries: KeytabEntry[] = [];
  while (r.remaining >= 4) {
    const path = `keytab.entries[${entries.length}]`;
    const size = r.i32(`${path}.size`);
    if (size === 0) break;
    const length = Math.abs(size);
    if (length > r.remaining) r.fail(`${path}.size`, `record of ${length} bytes, ${r.remaining} left`);
    if (size < 0) {
      r.skip(length, path); // a deleted entry
      continue;
    }
    if (length > MAX_ENTRY_SIZE) r.fail(`${path}.size`, `record of ${length} bytes is implausibly large`);
    if (entries.length >= maxEntries)
      throw gssError('LIMIT_EXCEEDED', `keytab has more than ${maxEntries} entries`, {
        details: { maxEntries },
      });
    const record = new BinaryReader(bytes.subarray(r.offset, r.offset + length), 'local', version === 1);
    entries.push(readEntry(record, version, path));
    r.skip(length, path);
  }
  return { version, entries };
}

function checkU(v: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw gssError('INVALID_ARGUMENT', `keytab ${what} ${v} out of range`);
  return v;
}

/** Writes a version 2 keytab (big-endian, 32-bit kvno after each key). */
export function serializeKeytab(keytab: Keytab | readonly KeytabEntry[]): Uint8Array {
  const entries = Array.isArray(keytab) ? keytab : (keytab as Keytab).entries;
  const w = new BinaryWriter().u8(5).u8(2);
  for (const e of entries) {
    const at = w.length;
    w.i32(0); // patched with the record length below
    const data = (s: string, what: string) => {
      const b = utf8Bytes(s);
      w.u16(checkU(b.length, 0xffff, `${what} length`)).bytes(b);
    };
    w.u16(checkU(e.principal.name.nameString.length, 0xffff, 'component count'));
    data(e.principal.realm, 'realm');
    for (const c of e.principal.name.nameString) data(c, 'component');
    w.i32(e.principal.name.nameType);
    w.u32(checkU(Math.floor(e.timestamp / 1000), 0xffffffff, 'timestamp'));
    const kvno = checkU(e.kvno, 0xffffffff, 'kvno');
    w.u8(kvno & 0xff);
    w.u16(checkU(e.key.etype, 0xffff, 'enctype'));
    w.u16(checkU(e.key.value.length, 0xffff, 'key length')).bytes(e.key.value);
    w.u32(kvno);
    w.setI32(at, w.length - at - 4);
  }
  return w.finish();
}

export interface FindKeysOptions {
  /** Only this key version; default: the highest kvno of each principal. */
  kvno?: number;
  /** Only this enctype. */
  etype?: number;
}

/**
 * Keys of `principal` (name type ignored, as MIT matches), or of every principal when
 * omitted. Without `kvno`, only each principal's highest kvno is returned (the current key).
 */
export function findKeys(
  keytab: Keytab | readonly KeytabEntry[],
  principal?: Principal,
  options: FindKeysOptions = {},
): KeytabEntry[] {
  const all = Array.isArray(keytab) ? keytab : (keytab as Keytab).entries;
  let matches = principal ? all.filter((e) => samePrincipal(e.principal, principal)) : [...all];
  if (options.kvno !== undefined) matches = matches.filter((e) => e.kvno === options.kvno);
  else {
    const highest = new Map<string, number>();
    const id = (p: Principal) => JSON.stringify([p.realm, p.name.nameString]);
    for (const e of matches)
      highest.set(id(e.principal), Math.max(highest.get(id(e.principal)) ?? -1, e.kvno));
    matches = matches.filter((e) => e.kvno === highest.get(id(e.principal)));
  }
  if (options.etype !== undefined) matches = matches.filter((e) => e.key.etype === options.etype);
  return matches;
}
