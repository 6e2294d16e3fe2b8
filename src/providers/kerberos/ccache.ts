/**
 * MIT FILE credential caches (krb5 doc/formats/ccache_file_format.rst), versions 4 and 3,
 * read and written as bytes; file I/O and locking are the caller's.
 *
 *   file       ::= 0x05 0x04 header principal credential*      (v3: no header)
 *   header     ::= uint16 length { uint16 tag, uint16 length, value }*   (tag 1: KDC time offset)
 *   principal  ::= uint32 name_type, uint32 count, data realm, data component*count
 *   credential ::= principal client, principal server, keyblock, uint32 authtime, starttime,
 *                  endtime, renew_till, uint8 is_skey, uint32 ticket_flags,
 *                  uint32 count { uint16 addrtype, data }*, uint32 count { uint16 ad_type, data }*,
 *                  data ticket, data second_ticket
 *   keyblock   ::= uint16 enctype [twice in v3], data
 *   data       ::= uint32 length, bytes
 * All big-endian. Configuration entries are credentials whose server is
 * "krb5_ccache_conf_data/<key>[/<principal>]@X-CACHECONF:" with the value in `ticket`.
 */
import { gssError } from '../../core/errors.ts';
import { BinaryReader, BinaryWriter, utf8Bytes } from './messages/binary.ts';
import type { AuthorizationDataEntry, EncryptionKey, HostAddress, Principal } from './types.ts';

export interface CcacheCredential {
  client: Principal;
  server: Principal;
  key: EncryptionKey;
  /** ms since epoch; 0 when unset (as in the file). */
  authtime: number;
  starttime: number;
  endtime: number;
  renewTill: number;
  isSkey: boolean;
  /** TicketFlags as a uint32 (constants.ts TicketFlags). */
  ticketFlags: number;
  addresses: HostAddress[];
  authdata: AuthorizationDataEntry[];
  /** DER Ticket (or a config value for configuration entries). */
  ticket: Uint8Array;
  secondTicket: Uint8Array;
}

export interface CcacheHeaderField {
  tag: number;
  value: Uint8Array;
}

export interface Ccache {
  version: 3 | 4;
  /** Header tag 1: KDC time minus local time. */
  kdcOffset?: { seconds: number; microseconds: number };
  /** Header fields with tags we do not interpret, kept for writing back. */
  otherHeaderFields?: CcacheHeaderField[];
  defaultPrincipal: Principal;
  /** Tickets and configuration entries, in file order. */
  credentials: CcacheCredential[];
}

export interface CcacheLimits {
  maxSize?: number;
  maxCredentials?: number;
}

function readPrincipal(r: BinaryReader, path: string): Principal {
  const nameType = r.i32(`${path}.nameType`);
  const count = r.u32(`${path}.count`);
  if (count > r.remaining / 4) r.fail(`${path}.count`, `${count} components cannot fit`);
  const realm = r.utf8(r.u32(`${path}.realm`), `${path}.realm`);
  const nameString: string[] = [];
  for (let i = 0; i < count; i++)
    nameString.push(r.utf8(r.u32(`${path}.component`), `${path}.components[${i}]`));
  return { realm, name: { nameType, nameString } };
}

function readData(r: BinaryReader, path: string): Uint8Array {
  return r.bytesCopy(r.u32(path), path);
}

function readCredential(r: BinaryReader, version: 3 | 4, path: string): CcacheCredential {
  const client = readPrincipal(r, `${path}.client`);
  const server = readPrincipal(r, `${path}.server`);
  const etype = r.u16(`${path}.key.enctype`);
  if (version === 3) r.u16(`${path}.key.enctype2`);
  const key = { etype, value: readData(r, `${path}.key.value`) };
  const time = (name: string) => r.u32(`${path}.${name}`) * 1000;
  const authtime = time('authtime');
  const starttime = time('starttime');
  const endtime = time('endtime');
  const renewTill = time('renewTill');
  const skey = r.u8(`${path}.isSkey`);
  const ticketFlags = r.u32(`${path}.ticketFlags`);
  const addrCount = r.u32(`${path}.addresses`);
  if (addrCount > r.remaining / 6) r.fail(`${path}.addresses`, `${addrCount} addresses cannot fit`);
  const addresses: HostAddress[] = [];
  for (let i = 0; i < addrCount; i++)
    addresses.push({
      addrType: r.u16(`${path}.addresses[${i}]`),
      address: readData(r, `${path}.addresses[${i}]`),
    });
  const adCount = r.u32(`${path}.authdata`);
  if (adCount > r.remaining / 6) r.fail(`${path}.authdata`, `${adCount} entries cannot fit`);
  const authdata: AuthorizationDataEntry[] = [];
  for (let i = 0; i < adCount; i++)
    authdata.push({ adType: r.u16(`${path}.authdata[${i}]`), adData: readData(r, `${path}.authdata[${i}]`) });
  return {
    client,
    server,
    key,
    authtime,
    starttime,
    endtime,
    renewTill,
    isSkey: skey !== 0,
    ticketFlags,
    addresses,
    authdata,
    ticket: readData(r, `${path}.ticket`),
    secondTicket: readData(r, `${path}.secondTicket`),
  };
}

export function parseCcache(bytes: Uint8Array, limits: CcacheLimits = {}): Ccache {
  const maxSize = limits.maxSize ?? 64 << 20;
  const maxCredentials = limits.maxCredentials ?? 100_000;
  if (!(bytes instanceof Uint8Array)) throw gssError('INVALID_ARGUMENT', 'ccache must be a Uint8Array');
  if (bytes.length > maxSize)
    throw gssError('LIMIT_EXCEEDED', `ccache of ${bytes.length} bytes exceeds the limit of ${maxSize}`);
  const r = new BinaryReader(bytes);
  if (r.u8('ccache.magic') !== 5) r.fail('ccache.magic', 'not a ccache (first byte is not 5)');
  const v = r.u8('ccache.version');
  if (v !== 3 && v !== 4)
    r.fail('ccache.version', `unsupported version 0x05${v.toString(16).padStart(2, '0')} (only 3 and 4)`);
  const cc: Ccache = {
    version: v as 3 | 4,
    defaultPrincipal: undefined as unknown as Principal,
    credentials: [],
  };
  if (v === 4) {
    const headerLength = r.u16('ccache.header.length');
    r.need(headerLength, 'ccache.header');
    const h = new BinaryReader(bytes.subarray(r.offset, r.offset + headerLength));
    r.skip(headerLength, 'ccache.header');
    while (h.remaining > 0) {
      const tag = h.u16('ccache.header.tag');
      const value = h.bytesCopy(h.u16('ccache.header.field'), 'ccache.header.field');
      if (tag === 1 && value.length === 8) {
        const dv = new DataView(value.buffer);
        cc.kdcOffset = { seconds: dv.getInt32(0), microseconds: dv.getInt32(4) };
      } else (cc.otherHeaderFields ??= []).push({ tag, value });
    }
  }
  cc.defaultPrincipal = readPrincipal(r, 'ccache.defaultPrincipal');
  while (r.remaining > 0) {
    if (cc.credentials.length >= maxCredentials)
      throw gssError('LIMIT_EXCEEDED', `ccache has more than ${maxCredentials} credentials`);
    cc.credentials.push(readCredential(r, cc.version, `ccache.credentials[${cc.credentials.length}]`));
  }
  return cc;
}

function checkU(v: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw gssError('INVALID_ARGUMENT', `ccache ${what} ${v} out of range`);
  return v;
}

function writePrincipal(w: BinaryWriter, p: Principal): void {
  const data = (s: string) => {
    const b = utf8Bytes(s);
    w.u32(b.length).bytes(b);
  };
  w.i32(p.name.nameType).u32(p.name.nameString.length);
  data(p.realm);
  for (const c of p.name.nameString) data(c);
}

/** Writes the cache in format version 4 (what MIT writes by default). */
export function serializeCcache(cc: Ccache): Uint8Array {
  const w = new BinaryWriter().u8(5).u8(4);
  const fields: CcacheHeaderField[] = [];
  if (cc.kdcOffset) {
    const v = new Uint8Array(8);
    const dv = new DataView(v.buffer);
    dv.setInt32(0, cc.kdcOffset.seconds);
    dv.setInt32(4, cc.kdcOffset.microseconds);
    fields.push({ tag: 1, value: v });
  }
  fields.push(...(cc.otherHeaderFields ?? []));
  w.u16(
    checkU(
      fields.reduce((n, f) => n + 4 + f.value.length, 0),
      0xffff,
      'header length',
    ),
  );
  for (const f of fields) w.u16(f.tag).u16(f.value.length).bytes(f.value);
  writePrincipal(w, cc.defaultPrincipal);
  const time = (ms: number, what: string) => w.u32(checkU(Math.floor(ms / 1000), 0xffffffff, what));
  for (const c of cc.credentials) {
    writePrincipal(w, c.client);
    writePrincipal(w, c.server);
    w.u16(checkU(c.key.etype, 0xffff, 'enctype'))
      .u32(c.key.value.length)
      .bytes(c.key.value);
    time(c.authtime, 'authtime');
    time(c.starttime, 'starttime');
    time(c.endtime, 'endtime');
    time(c.renewTill, 'renewTill');
    w.u8(c.isSkey ? 1 : 0).u32(c.ticketFlags);
    w.u32(c.addresses.length);
    for (const a of c.addresses)
      w.u16(checkU(a.addrType, 0xffff, 'addrtype'))
        .u32(a.address.length)
        .bytes(a.address);
    w.u32(c.authdata.length);
    for (const a of c.authdata)
      w.u16(checkU(a.adType, 0xffff, 'ad_type'))
        .u32(a.adData.length)
        .bytes(a.adData);
    w.u32(c.ticket.length).bytes(c.ticket);
    w.u32(c.secondTicket.length).bytes(c.secondTicket);
  }
  return w.finish();
}

export {
  addCredential,
  ccacheTickets,
  findCredential,
  type FindCredentialOptions,
  getCcacheConfig,
  isConfigEntry,
  principalToString,
  setCcacheConfig,
} from './ccache-helpers.ts';
