/**
 * `kerberos(options)`: the Kerberos V5 GSS-API mechanism (RFC 4121, OID 1.2.840.113554.1.2.2)
 * as a gssock Mechanism. One object holds the credentials of either role or both:
 * - initiator: a credential cache, or a password / client keytab with a KDC transport
 *   (tickets obtained are cached in memory for the mechanism's lifetime);
 * - acceptor: a keytab, the names to accept as, a replay cache (in-memory by default).
 *
 * @example
 * ```ts
 * const client = kerberos({ ccache: readFileSync('/tmp/krb5cc_1000') });
 * const ctx = await client.createContext('initiator', { target: 'host@server.example.com' });
 * const server = kerberos({ keytab: readFileSync('/etc/krb5.keytab') });
 * ```
 */
import { gssError } from '../../../core/errors.ts';
import type {
  Clock,
  ContextOptions,
  Mechanism,
  RandomSource,
  Role,
  SecurityContext,
} from '../../../core/mechanism.ts';
import { defaultClock, defaultRandom } from '../../../core/random.ts';
import { targetToPrincipal } from '../../../spn/target.ts';
import { NameType } from '../constants.ts';
import { type Keytab, parseKeytab } from '../keytab.ts';
import { KRB5_MECH_OID } from '../messages/gss-token.ts';
import type { Principal } from '../types.ts';
import { type AcceptorSettings, KerberosAcceptor } from './acceptor.ts';
import { parseAcceptorName } from './acceptor-names.ts';
import { InitiatorCredentials, type InitiatorCredentialOptions } from './credentials.ts';
import { KerberosInitiator, type InitiatorSettings } from './initiator.ts';
import { memoryReplayCache, type ReplayCache } from './replay-cache.ts';
import { DecryptedTickets } from './ticket-cache.ts';

export const KERBEROS_OID = KRB5_MECH_OID;

export interface KerberosOptions extends InitiatorCredentialOptions {
  /** Acceptor: the service keys (MIT keytab bytes or parsed). Every kvno and enctype is usable. */
  keytab?: Uint8Array | Keytab;
  /**
   * Acceptor: names to accept as (`host@server`, `HTTP/web.example.com@REALM`); default any
   * principal in the keytab. ContextOptions.acceptorName narrows it per context.
   */
  acceptorNames?: string[];
  /** Acceptor: replay cache; default a fresh in-memory one; `false` turns it off. */
  replayCache?: ReplayCache | false;
  /**
   * Acceptor: keep decrypted service tickets (ticket-cache.ts) so a client presenting the
   * same ticket again costs no ticket decryption or decoding; every per-AP-REQ check still
   * runs. Default on with TICKET_CACHE_SIZE entries; `false` turns it off.
   */
  ticketCache?: boolean | { maxEntries: number };
  /** Acceptor with channel bindings: refuse initiators that sent none (MIT accepts them). */
  requireChannelBindings?: boolean;
  /** Permit arcfour-hmac (23) tickets, keys and RFC 4757 tokens. Default false. */
  allowRc4?: boolean;
  /** Allowed clock difference in seconds (default 300, MIT's clockskew). */
  clockSkewSeconds?: number;
  /**
   * Initiator: the realm of a target host when the target names none ([domain_realm] of
   * krb5.conf); default: the client's realm, as MIT with referrals ends up using.
   */
  realmForHost?: (host: string) => string | undefined;
  /** Default clock and randomness of every context (ContextOptions may override them). */
  clock?: Clock;
  random?: RandomSource;
}

/** Resolves an initiator target to the server principal to ask the KDC for. */
export function resolveTarget(
  target: string,
  clientRealm: string | undefined,
  realmForHost?: (host: string) => string | undefined,
): Principal {
  // A sentinel default tells "no realm written" apart from an explicit @REALM.
  const SENTINEL = ' ';
  const p = targetToPrincipal(target, { inferRealm: false, defaultRealm: SENTINEL });
  let realm = p.realm;
  if (realm === SENTINEL) {
    const host = p.components[1]?.replace(/:\d+$/, '');
    const mapped = host === undefined ? undefined : realmForHost?.(host);
    realm = mapped ?? clientRealm ?? '';
    if (realm === '')
      throw gssError(
        'BAD_NAME',
        `cannot tell the realm of ${JSON.stringify(target)}: no default realm known`,
      );
  }
  return {
    realm,
    name: { nameType: p.nameType ?? NameType.NT_SRV_INST, nameString: p.components },
  };
}

function initiatorSettingsFor(
  options: KerberosOptions,
  allowRc4: boolean,
  clock: Clock,
  random: RandomSource,
): InitiatorSettings {
  const credentials = new InitiatorCredentials(options);
  return {
    credentials,
    resolveTarget: (t) => resolveTarget(t, credentials.clientRealm, options.realmForHost),
    mechOid: KERBEROS_OID,
    allowRc4,
    clock,
    random,
  };
}

/** The Kerberos mechanism. */
export function kerberos(options: KerberosOptions = {}): Mechanism {
  const clock = options.clock ?? defaultClock;
  const random = options.random ?? defaultRandom;
  const allowRc4 = options.allowRc4 ?? false;
  const skewSeconds = options.clockSkewSeconds ?? 300;
  if (!(skewSeconds >= 0)) throw gssError('INVALID_ARGUMENT', 'clockSkewSeconds must be >= 0');
  const keytab =
    options.keytab === undefined
      ? undefined
      : options.keytab instanceof Uint8Array
        ? parseKeytab(options.keytab)
        : options.keytab;
  const baseNames = (options.acceptorNames ?? []).map(parseAcceptorName);
  const replayCache =
    options.replayCache === false ? undefined : (options.replayCache ?? memoryReplayCache({ clock }));
  // Made once (with the credentials) and shared by every initiator context.
  let initiatorSettings: InitiatorSettings | undefined;
  let acceptorSettings: AcceptorSettings | undefined;
  const tc = options.ticketCache ?? true;
  const tickets = tc === false ? undefined : new DecryptedTickets(tc === true ? undefined : tc.maxEntries);
  const hasInitiatorCreds =
    options.ccache !== undefined || options.password !== undefined || options.clientKeytab !== undefined;

  return {
    name: 'kerberos',
    oid: KERBEROS_OID,
    async createContext(role: Role, ctx: ContextOptions = {}): Promise<SecurityContext> {
      if (role === 'initiator') {
        if (!hasInitiatorCreds)
          throw gssError(
            'NO_CREDENTIALS',
            'no Kerberos initiator credentials (ccache, password or client keytab)',
          );
        initiatorSettings ??= initiatorSettingsFor(options, allowRc4, clock, random);
        return new KerberosInitiator(initiatorSettings, ctx);
      }
      if (role !== 'acceptor') throw gssError('INVALID_ARGUMENT', `unknown role ${String(role)}`);
      if (!keytab || keytab.entries.length === 0)
        throw gssError('NO_CREDENTIALS', 'no Kerberos acceptor keys (keytab) configured');
      acceptorSettings ??= {
        keytab,
        names: baseNames,
        replayCache,
        clockSkewMs: skewSeconds * 1000,
        allowRc4,
        requireChannelBindings: options.requireChannelBindings ?? false,
        clock,
        random,
        ...(tickets ? { tickets } : {}),
      };
      if (ctx.acceptorName === undefined) return new KerberosAcceptor(acceptorSettings, ctx, baseNames);
      const names = [parseAcceptorName(ctx.acceptorName)];
      return new KerberosAcceptor({ ...acceptorSettings, names }, ctx, names);
    },
  };
}
