/**
 * Working with a parsed ccache: configuration entries, finding and replacing credentials.
 * Configuration entry names hold a principal in MIT's krb5_unparse_name form (formatPrincipal).
 */
import { CCACHE_CONF_PREFIX, CCACHE_CONF_REALM, NameType } from './constants.ts';
import type { Ccache, CcacheCredential } from './ccache.ts';
import { formatPrincipal, samePrincipal } from './kdc/principal-name.ts';
import type { Principal } from './types.ts';

/**
 * @deprecated The same function as formatPrincipal (kdc/principal-name.ts), MIT's
 * krb5_unparse_name text form; this name stays for the public API.
 */
export const principalToString: (p: Principal) => string = formatPrincipal;

export function isConfigEntry(c: CcacheCredential): boolean {
  return c.server.realm === CCACHE_CONF_REALM && c.server.name.nameString[0] === CCACHE_CONF_PREFIX;
}

/** The tickets (configuration entries left out). */
export const ccacheTickets = (cc: Ccache): CcacheCredential[] =>
  cc.credentials.filter((c) => !isConfigEntry(c));

function configServer(key: string, principal?: Principal): Principal {
  const nameString = [CCACHE_CONF_PREFIX, key];
  if (principal) nameString.push(formatPrincipal(principal));
  return { realm: CCACHE_CONF_REALM, name: { nameType: NameType.NT_UNKNOWN, nameString } };
}

/** A configuration value (e.g. 'pa_type' for the krbtgt principal, or 'fast_avail'). */
export function getCcacheConfig(cc: Ccache, key: string, principal?: Principal): Uint8Array | undefined {
  const server = configServer(key, principal);
  return cc.credentials.find((c) => isConfigEntry(c) && samePrincipal(c.server, server))?.ticket;
}

/** Returns a new cache with the configuration value set (replacing an older one). */
export function setCcacheConfig(cc: Ccache, key: string, value: Uint8Array, principal?: Principal): Ccache {
  const server = configServer(key, principal);
  const entry: CcacheCredential = {
    client: cc.defaultPrincipal,
    server,
    key: { etype: 0, value: new Uint8Array(0) },
    authtime: 0,
    starttime: 0,
    endtime: 0,
    renewTill: 0,
    isSkey: false,
    ticketFlags: 0,
    addresses: [],
    authdata: [],
    ticket: value,
    secondTicket: new Uint8Array(0),
  };
  const others = cc.credentials.filter((c) => !(isConfigEntry(c) && samePrincipal(c.server, server)));
  return { ...cc, credentials: [...others, entry] };
}

/**
 * Returns a new cache with `cred` added; a ticket for the same client and server (and the
 * same is_skey / second ticket use) is replaced, like MIT's krb5_cc_store with removal.
 */
export function addCredential(cc: Ccache, cred: CcacheCredential): Ccache {
  const others = cc.credentials.filter(
    (c) =>
      isConfigEntry(c) ||
      !(
        samePrincipal(c.client, cred.client) &&
        samePrincipal(c.server, cred.server) &&
        c.isSkey === cred.isSkey
      ),
  );
  return { ...cc, credentials: [...others, cred] };
}

export interface FindCredentialOptions {
  /** Client principal; default the cache's default principal. */
  client?: Principal;
  /** When given, credentials whose endtime is not after `now` (ms) are skipped. */
  now?: number;
  /** Enctype the session key must have. */
  etype?: number;
}

/** The newest matching ticket for `server` (name type ignored, as MIT compares). */
export function findCredential(
  cc: Ccache,
  server: Principal,
  options: FindCredentialOptions = {},
): CcacheCredential | undefined {
  const client = options.client ?? cc.defaultPrincipal;
  let best: CcacheCredential | undefined;
  for (const c of cc.credentials) {
    if (isConfigEntry(c) || !samePrincipal(c.server, server) || !samePrincipal(c.client, client)) continue;
    if (options.now !== undefined && c.endtime <= options.now) continue;
    if (options.etype !== undefined && c.key.etype !== options.etype) continue;
    if (!best || c.endtime >= best.endtime) best = c;
  }
  return best;
}
