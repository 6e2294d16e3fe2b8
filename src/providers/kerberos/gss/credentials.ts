/**
 * Where the initiator's tickets come from, in MIT's order (init_sec_context.c
 * get_credentials -> krb5_get_credentials):
 * 1. a valid service ticket in the credential cache;
 * 2. else the cache's TGT, with a TGS exchange, the new ticket stored back into the cache
 *    (and handed to `onCcacheUpdate`, so the CLI can write the file as MIT does);
 * 3. else a TGT from the KDC first (AS exchange with a password or a client keytab), kept
 *    in an in-memory cache for the mechanism's lifetime.
 * A forwarded TGT for delegation comes from the TGT the same way (tgs-exchange.ts).
 */
import { gssError } from '../../../core/errors.ts';
import { type Ccache, type CcacheCredential, parseCcache, serializeCcache } from '../ccache.ts';
import { addCredential, findCredential } from '../ccache-helpers.ts';
import { TicketFlags } from '../constants.ts';
import { type ClientSecret, getInitialTicket } from '../kdc/as-exchange.ts';
import { credentialFromCcache, credentialToCcache, findTgt, newCcache } from '../kdc/ccache-workflow.ts';
import type { KerberosCredential } from '../kdc/credential.ts';
import type { KdcClientOptions } from '../kdc/kdc-client.ts';
import { formatPrincipal, parsePrincipal } from '../kdc/principal-name.ts';
import { getForwardedTgt, getServiceTicket } from '../kdc/tgs-exchange.ts';
import { findKeys, type Keytab, parseKeytab } from '../keytab.ts';
import type { Principal } from '../types.ts';

export interface InitiatorCredentialOptions {
  /** An MIT FILE credential cache (v4/v3 bytes) or a parsed one. */
  ccache?: Uint8Array | Ccache;
  /** Called with the cache's new bytes after a ticket from the KDC was added to it. */
  onCcacheUpdate?: (bytes: Uint8Array) => void | Promise<void>;
  /** Client principal (`alice`, `alice@REALM`) for password or client-keytab logon. */
  principal?: string;
  password?: string;
  /** Client keytab (MIT KRB5_CLIENT_KTNAME): bytes or parsed. */
  clientKeytab?: Uint8Array | Keytab;
  /** How to reach the KDC (transport, KDC list, enctypes). Without it only cached tickets work. */
  kdc?: KdcClientOptions;
  /** Realm for names without one. */
  defaultRealm?: string;
}

const fromCcache = new WeakMap<CcacheCredential, KerberosCredential>();

export class InitiatorCredentials {
  readonly #o: InitiatorCredentialOptions;
  #cache: Ccache | undefined;
  /** Whether the cache came from the caller (then updates are reported back). */
  readonly #external: boolean;
  #keytab: Keytab | undefined;

  constructor(options: InitiatorCredentialOptions) {
    this.#o = options;
    const cc = options.ccache;
    this.#cache = cc === undefined ? undefined : cc instanceof Uint8Array ? parseCcache(cc) : cc;
    this.#external = this.#cache !== undefined;
    const kt = options.clientKeytab;
    this.#keytab = kt === undefined ? undefined : kt instanceof Uint8Array ? parseKeytab(kt) : kt;
  }

  /** The client's realm: the cache's principal, the configured principal, or the default. */
  get clientRealm(): string | undefined {
    return this.#cache?.defaultPrincipal.realm ?? this.#configuredClient()?.realm ?? this.#o.defaultRealm;
  }

  #configuredClient(): Principal | undefined {
    if (this.#o.principal !== undefined) return parsePrincipal(this.#o.principal, this.#o.defaultRealm);
    const first = this.#keytab?.entries[0];
    return first?.principal;
  }

  /** A ticket for `server` valid at `now`. */
  async serviceTicket(server: Principal, now: number): Promise<KerberosCredential> {
    const cached = this.#cache && findCredential(this.#cache, server, { now });
    if (cached && (cached.starttime || cached.authtime) <= now + 5 * 60_000) {
      // One conversion per cache entry (it decodes the ticket), not one per context.
      let credential = fromCcache.get(cached);
      if (!credential) {
        credential = credentialFromCcache(cached);
        fromCcache.set(cached, credential);
      }
      return credential;
    }
    const tgt = await this.tgt(now);
    const credential = await getServiceTicket({
      ...this.#kdc('a service ticket'),
      tgt,
      server,
      options: {
        forwardable: (tgt.flags & TicketFlags.FORWARDABLE) !== 0,
      },
    });
    await this.#store(credential);
    return credential;
  }

  /** A forwarded TGT (RFC 4120 §2.6) for delegation to the acceptor. */
  async forwardedTgt(now: number): Promise<KerberosCredential> {
    const tgt = await this.tgt(now);
    return getForwardedTgt({ ...this.#kdc('a forwarded TGT for delegation'), tgt });
  }

  /** The TGT: from the cache, or from an AS exchange with a password or client keytab. */
  async tgt(now: number): Promise<KerberosCredential> {
    const cached = this.#cache && findTgt(this.#cache, now);
    if (cached) return cached;
    const client = this.#configuredClient();
    const keys = this.#keytab && client ? findKeys(this.#keytab, client).map((e) => e.key) : [];
    const secret: ClientSecret | undefined =
      this.#o.password !== undefined
        ? { password: this.#o.password }
        : keys.length > 0
          ? { keys }
          : undefined;
    if (!client || !secret) {
      const who = this.#cache ? formatPrincipal(this.#cache.defaultPrincipal) : 'the initiator';
      throw gssError(
        'NO_CREDENTIALS',
        `no valid ticket-granting ticket for ${who} and no password or keytab`,
        {
          details: { client: who },
        },
      );
    }
    const tgt = await getInitialTicket({
      ...this.#kdc('a ticket-granting ticket'),
      client,
      secret,
      options: { forwardable: true },
    });
    if (!this.#cache || this.#cache.defaultPrincipal.realm !== tgt.client.realm) this.#cache = newCcache(tgt);
    else this.#cache = addCredential(this.#cache, credentialToCcache(tgt));
    if (this.#external) await this.#o.onCcacheUpdate?.(serializeCcache(this.#cache));
    return tgt;
  }

  #kdc(what: string): KdcClientOptions {
    if (!this.#o.kdc)
      throw gssError('NO_CREDENTIALS', `getting ${what} needs the KDC, and no KDC transport was configured`);
    return this.#o.kdc;
  }

  async #store(c: KerberosCredential): Promise<void> {
    this.#cache = this.#cache ? addCredential(this.#cache, credentialToCcache(c)) : newCcache(c);
    if (this.#external) await this.#o.onCcacheUpdate?.(serializeCcache(this.#cache));
  }
}
