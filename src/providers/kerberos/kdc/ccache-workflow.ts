/**
 * Credential caches and the exchanges together, the way an MIT application uses them:
 * look for a valid ticket for the target in the cache; if there is none, use the cache's
 * TGT to get one from the KDC and store it. Pure over bytes: the caller reads and writes
 * the file (so the same code serves FILE caches on every runtime and in-memory caches).
 */
import { gssError } from '../../../core/errors.ts';
import { type Ccache, type CcacheCredential, parseCcache, serializeCcache } from '../ccache.ts';
import { addCredential, findCredential } from '../ccache-helpers.ts';
import { TicketFlags } from '../constants.ts';
import { decodeTicket } from '../messages/index.ts';
import type { Principal } from '../types.ts';
import type { KerberosCredential } from './credential.ts';
import { clockOf, type KdcClientOptions } from './kdc-client.ts';
import { formatPrincipal, tgsPrincipal } from './principal-name.ts';
import { getServiceTicket, type ServiceTicketOptions } from './tgs-exchange.ts';

/** The ccache form of a credential (MIT keeps times in seconds; ours are ms either way). */
export function credentialToCcache(c: KerberosCredential): CcacheCredential {
  return {
    client: c.client,
    server: c.server,
    key: c.key,
    authtime: c.authTime,
    starttime: c.startTime ?? 0,
    endtime: c.endTime,
    renewTill: c.renewTill ?? 0,
    isSkey: false,
    ticketFlags: c.flags >>> 0,
    addresses: c.addresses ?? [],
    authdata: [],
    ticket: c.ticket,
    secondTicket: new Uint8Array(0),
  };
}

/** A credential from a ccache entry; the ticket is decoded only for its enctype and kvno. */
export function credentialFromCcache(c: CcacheCredential): KerberosCredential {
  const ticket = decodeTicket(c.ticket);
  const out: KerberosCredential = {
    client: c.client,
    server: c.server,
    key: c.key,
    authTime: c.authtime,
    endTime: c.endtime,
    flags: c.ticketFlags >>> 0,
    ticket: c.ticket,
    ticketEtype: ticket.encPart.etype,
  };
  if (c.starttime) out.startTime = c.starttime;
  if (c.renewTill) out.renewTill = c.renewTill;
  if (ticket.encPart.kvno !== undefined) out.ticketKvno = ticket.encPart.kvno;
  if (c.addresses.length) out.addresses = c.addresses;
  return out;
}

/** A fresh v4 cache holding `tgt` (what kinit writes). */
export function newCcache(tgt: KerberosCredential): Ccache {
  return { version: 4, defaultPrincipal: tgt.client, credentials: [credentialToCcache(tgt)] };
}

/** The cache's TGT for its default principal's realm, if still valid at `now`. */
export function findTgt(cc: Ccache, now: number): KerberosCredential | undefined {
  const realm = cc.defaultPrincipal.realm;
  const found = findCredential(cc, tgsPrincipal(realm), { now });
  return found ? credentialFromCcache(found) : undefined;
}

export interface AcquireServiceTicketOptions extends KdcClientOptions {
  /** The cache, as file bytes or parsed. */
  ccache: Uint8Array | Ccache;
  server: Principal;
  options?: ServiceTicketOptions;
}

export interface AcquiredServiceTicket {
  credential: KerberosCredential;
  /** True when the ticket came from the cache and no KDC was asked. */
  fromCache: boolean;
  /** The updated cache (unchanged content when fromCache). */
  ccache: Ccache;
  ccacheBytes: Uint8Array;
}

/** A valid service ticket from the cache, or a new one from the KDC stored into the cache. */
export async function acquireServiceTicket(o: AcquireServiceTicketOptions): Promise<AcquiredServiceTicket> {
  const cc = o.ccache instanceof Uint8Array ? parseCcache(o.ccache) : o.ccache;
  const now = clockOf(o)();
  const cached = findCredential(cc, o.server, { now });
  if (cached && (cached.starttime || cached.authtime) <= now + 5 * 60_000) {
    return {
      credential: credentialFromCcache(cached),
      fromCache: true,
      ccache: cc,
      ccacheBytes: o.ccache instanceof Uint8Array ? o.ccache : serializeCcache(cc),
    };
  }
  const tgt = findTgt(cc, now);
  if (!tgt)
    throw gssError(
      'NO_CREDENTIALS',
      `no valid TGT for ${formatPrincipal(cc.defaultPrincipal)} in the credential cache`,
      {
        details: { client: formatPrincipal(cc.defaultPrincipal) },
      },
    );
  // Like MIT's kvno: ask for the flags the TGT can pass on.
  const inherited: ServiceTicketOptions = {
    forwardable: (tgt.flags & TicketFlags.FORWARDABLE) !== 0,
    renewable: (tgt.flags & TicketFlags.RENEWABLE) !== 0,
  };
  const credential = await getServiceTicket({
    ...o,
    tgt,
    server: o.server,
    options: { ...inherited, ...o.options },
  });
  const updated = addCredential(cc, credentialToCcache(credential));
  return { credential, fromCache: false, ccache: updated, ccacheBytes: serializeCcache(updated) };
}
