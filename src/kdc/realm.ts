/**
 * The principal database of the gssock KDC: names, long-term keys and the few attributes
 * a small realm needs. Kept in memory; nothing here does I/O.
 *
 * - Keys: one per enabled enctype (RFC 3961 §3 string-to-key of the password with the
 *   default salt, RFC 4120 §4: realm followed by the name components unseparated), or
 *   independent random keys (random-to-key), as `kadmin addprinc -randkey` makes them.
 * - Lookup ignores the name type (RFC 4120 §6.2: it is a hint) and is case-sensitive, as
 *   MIT's is.
 * - Each principal gets a relative id (RID) under the realm's domain SID for the PAC:
 *   krbtgt 502 (MS-PAC / well-known RIDs), users from 1100 upwards unless given.
 */
import { gssError } from '../core/errors.ts';
import type { RandomSource } from '../core/mechanism.ts';
import { enctypeFromName } from '../providers/kerberos/crypto/numbers.ts';
import { DEFAULT_ENCTYPES, getEnctype } from '../providers/kerberos/crypto/registry.ts';
import { NameType } from '../providers/kerberos/constants.ts';
import { defaultSalt, formatPrincipal, parsePrincipal } from '../providers/kerberos/kdc/principal-name.ts';
import type { EncryptionKey, Principal } from '../providers/kerberos/types.ts';

/** How a principal is created. */
export interface PrincipalSpec {
  /** Derive the keys from this password. Without it the keys are random. */
  password?: string;
  /** Explicit keys (e.g. from an existing keytab); overrides password and random keys. */
  keys?: EncryptionKey[];
  /** Key version number (default 1). */
  kvno?: number;
  /** Refuse AS requests without PA-ENC-TIMESTAMP. Default: true with a password (like AD). */
  requiresPreauth?: boolean;
  /** Tickets for/of this principal may be forwardable (default true). */
  forwardable?: boolean;
  /** Tickets may be renewable (default true). */
  renewable?: boolean;
  /** Set OK-AS-DELEGATE on tickets for this service (default false). */
  okAsDelegate?: boolean;
  /** Longest ticket lifetime involving this principal, seconds (default: the realm's). */
  maxLifeSeconds?: number;
  /** Longest renewable lifetime, seconds (default: the realm's). */
  maxRenewableLifeSeconds?: number;
  /** Restrict this principal's keys to these enctypes (numbers or MIT names). */
  enctypes?: Array<number | string>;
  /** Relative id in the domain (PAC UserId). */
  rid?: number;
  /** Group RIDs in the domain (PAC GroupIds); default [513] (Domain Users). */
  groups?: number[];
  /** Primary group RID (default 513). */
  primaryGroup?: number;
  /** Extra SIDs (PAC ExtraSids), e.g. 'S-1-18-1'. */
  extraSids?: string[];
  /** Display name (PAC FullName). */
  fullName?: string;
  /** Refuse every request from or for this principal (KDC_ERR_CLIENT_REVOKED). */
  disabled?: boolean;
}

export interface PrincipalEntry {
  principal: Principal;
  /** `name@REALM` text. */
  text: string;
  kvno: number;
  /** One key per enctype, in the realm's preference order. */
  keys: EncryptionKey[];
  /** The salt the password keys were made with (ETYPE-INFO2). */
  salt: string;
  hasPassword: boolean;
  requiresPreauth: boolean;
  forwardable: boolean;
  renewable: boolean;
  okAsDelegate: boolean;
  maxLifeMs?: number;
  maxRenewableLifeMs?: number;
  rid: number;
  groups: number[];
  primaryGroup: number;
  extraSids: string[];
  fullName: string;
  disabled: boolean;
}

export interface RealmDatabaseOptions {
  realm: string;
  /** Enabled enctypes, preferred first (default 20, 19, 18, 17; 23 added with allowRc4). */
  enctypes?: Array<number | string>;
  allowRc4?: boolean;
  random: RandomSource;
}

const DOMAIN_USERS = 513;
const KRBTGT_RID = 502;
const FIRST_USER_RID = 1100;

/** Parses enctype names or numbers; throws INVALID_ARGUMENT for unknown or unsupported ones. */
export function resolveEnctypes(list: ReadonlyArray<number | string>, allowRc4: boolean): number[] {
  const out: number[] = [];
  for (const item of list) {
    const etype = typeof item === 'number' ? item : enctypeFromName(item.trim());
    if (etype === undefined) throw gssError('INVALID_ARGUMENT', `unknown enctype "${item}"`);
    getEnctype(etype, { allowRc4 }); // throws ETYPE_NOT_SUPPORTED when not implemented / not allowed
    if (!out.includes(etype)) out.push(etype);
  }
  if (out.length === 0) throw gssError('INVALID_ARGUMENT', 'a realm needs at least one enctype');
  return out;
}

const lookupKey = (nameString: readonly string[]) => JSON.stringify(nameString);

export class RealmDatabase {
  readonly realm: string;
  readonly enctypes: readonly number[];
  readonly allowRc4: boolean;
  readonly #random: RandomSource;
  readonly #entries = new Map<string, PrincipalEntry>();
  #nextRid = FIRST_USER_RID;

  constructor(options: RealmDatabaseOptions) {
    if (!/^[A-Za-z0-9._-]{1,255}$/.test(options.realm))
      throw gssError('INVALID_ARGUMENT', `realm "${options.realm}" must be letters, digits, '.', '_' or '-'`);
    this.realm = options.realm;
    this.allowRc4 = options.allowRc4 ?? false;
    this.enctypes = resolveEnctypes(
      options.enctypes ?? [...DEFAULT_ENCTYPES, ...(this.allowRc4 ? [23] : [])],
      this.allowRc4,
    );
    this.#random = options.random;
    this.add(`krbtgt/${this.realm}`, { rid: KRBTGT_RID, requiresPreauth: false });
  }

  /** Parses `name` or `name@REALM` (the realm must be ours). */
  parse(name: string): Principal {
    const p = parsePrincipal(name, this.realm);
    if (p.realm !== this.realm)
      throw gssError('BAD_NAME', `${name} is not in realm ${this.realm}`, { details: { name } });
    return p;
  }

  /** Adds (or replaces) a principal; returns its entry. */
  add(name: string, spec: PrincipalSpec = {}): PrincipalEntry {
    const principal = this.parse(name);
    if (principal.name.nameString.length === 2 && principal.name.nameString[0] === 'krbtgt')
      principal.name.nameType = NameType.NT_SRV_INST;
    else if (principal.name.nameString.length > 1) principal.name.nameType = NameType.NT_SRV_HST;
    const enctypes = spec.enctypes ? resolveEnctypes(spec.enctypes, this.allowRc4) : [...this.enctypes];
    const salt = defaultSalt(principal);
    let keys: EncryptionKey[];
    if (spec.keys) {
      keys = spec.keys.map((k) => ({ etype: k.etype, value: k.value.slice() }));
      for (const k of keys) getEnctype(k.etype, { allowRc4: this.allowRc4 });
    } else if (spec.password !== undefined) {
      keys = enctypes.map((e) =>
        getEnctype(e, { allowRc4: this.allowRc4 }).stringToKey(spec.password!, salt),
      );
    } else {
      keys = enctypes.map((e) => {
        const enctype = getEnctype(e, { allowRc4: this.allowRc4 });
        return enctype.randomToKey(this.#random(enctype.keyBytes));
      });
    }
    // Keep the realm's preference order (the ticket key is the first one the service has).
    keys.sort((a, b) => rank(this.enctypes, a.etype) - rank(this.enctypes, b.etype));
    const previous = this.#entries.get(lookupKey(principal.name.nameString));
    const entry: PrincipalEntry = {
      principal,
      text: formatPrincipal(principal),
      kvno: spec.kvno ?? (previous ? previous.kvno + 1 : 1),
      keys,
      salt,
      hasPassword: spec.password !== undefined,
      requiresPreauth: spec.requiresPreauth ?? spec.password !== undefined,
      forwardable: spec.forwardable ?? true,
      renewable: spec.renewable ?? true,
      okAsDelegate: spec.okAsDelegate ?? false,
      rid: spec.rid ?? previous?.rid ?? this.#nextRid++,
      groups: spec.groups ?? [DOMAIN_USERS],
      primaryGroup: spec.primaryGroup ?? DOMAIN_USERS,
      extraSids: spec.extraSids ?? [],
      fullName: spec.fullName ?? '',
      disabled: spec.disabled ?? false,
    };
    if (spec.maxLifeSeconds !== undefined) entry.maxLifeMs = spec.maxLifeSeconds * 1000;
    if (spec.maxRenewableLifeSeconds !== undefined)
      entry.maxRenewableLifeMs = spec.maxRenewableLifeSeconds * 1000;
    this.#entries.set(lookupKey(principal.name.nameString), entry);
    return entry;
  }

  /** The entry for a principal of our realm (name type ignored), if any. */
  get(principal: Principal): PrincipalEntry | undefined {
    if (principal.realm !== this.realm) return undefined;
    return this.#entries.get(lookupKey(principal.name.nameString));
  }

  /** The entry for `name`, or throws BAD_NAME. */
  require(name: string): PrincipalEntry {
    const entry = this.get(this.parse(name));
    if (!entry) throw gssError('BAD_NAME', `no principal ${name} in realm ${this.realm}`);
    return entry;
  }

  /** krbtgt/REALM@REALM. */
  get tgs(): PrincipalEntry {
    return this.require(`krbtgt/${this.realm}`);
  }

  entries(): PrincipalEntry[] {
    return [...this.#entries.values()];
  }
}

function rank(order: readonly number[], etype: number): number {
  const i = order.indexOf(etype);
  return i < 0 ? order.length : i;
}

/** The principal's key of `etype`, if it has one. */
export function keyOf(entry: PrincipalEntry, etype: number): EncryptionKey | undefined {
  return entry.keys.find((k) => k.etype === etype);
}

/** The first etype of `requested` that `entry` has a key for (client key choice). */
export function firstKeyFor(entry: PrincipalEntry, requested: readonly number[]): EncryptionKey | undefined {
  for (const etype of requested) {
    const key = keyOf(entry, etype);
    if (key) return key;
  }
  return undefined;
}
