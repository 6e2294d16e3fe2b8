/**
 * The krb5.conf subset gssock uses (MIT krb5.conf(5)): [libdefaults], [realms] and
 * [domain_realm], typed, with MIT's defaults filled in. Pure: `include`/`includedir` go
 * through the injected readFile/listDir (see profile.ts for the syntax rules).
 *
 * Booleans follow MIT's profile parser (y/yes/true/t/1/on, n/no/false/nil/0/off, any case);
 * an unparsable boolean or duration falls back to the default as MIT does. Durations
 * (clockskew, ticket_lifetime, renew_lifetime) accept '300', '10h', '1d 2h 3m 4s', 'h:m[:s]'
 * and are returned in milliseconds like every time in gssock.
 */
import {
  first,
  type ProfileNode,
  type ProfileReadOptions,
  parseProfile,
  sections,
  strings,
} from './profile.ts';

export interface Krb5Libdefaults {
  defaultRealm?: string;
  dnsLookupKdc: boolean;
  dnsLookupRealm: boolean;
  udpPreferenceLimit: number;
  allowWeakCrypto: boolean;
  allowRc4: boolean;
  rdns: boolean;
  dnsCanonicalizeHostname: boolean | 'fallback';
  /** Unset means MIT's default (the first DNS search domain), which we cannot know here. */
  qualifyShortname?: string;
  forwardable: boolean;
  /** Enctype names as written (mapping to numbers is the crypto registry's job). */
  defaultTktEnctypes?: string[];
  defaultTgsEnctypes?: string[];
  permittedEnctypes?: string[];
  /** Milliseconds. */
  clockskew: number;
  ticketLifetime: number;
  renewLifetime: number;
  defaultCcacheName?: string;
  defaultKeytabName?: string;
  defaultClientKeytabName?: string;
}

export interface Krb5Realm {
  /** 'host', 'host:port', '[v6]:port', optionally 'tcp/' or 'udp/' prefixed, in order
   *  (as written; kdc/locator.ts parseKdcAddress reads them). */
  kdc: string[];
  adminServer: string[];
  defaultDomain?: string;
}

export interface Krb5Config {
  libdefaults: Krb5Libdefaults;
  realms: Record<string, Krb5Realm>;
  /** [domain_realm] in file order: tag (lower-cased) -> realm. */
  domainRealm: Array<[string, string]>;
  /** The raw tree for anything not typed here. */
  profile: ProfileNode;
}

const TRUE = new Set(['y', 'yes', 'true', 't', '1', 'on']);
const FALSE = new Set(['n', 'no', 'false', 'nil', '0', 'off']);

function bool(v: string | undefined, def: boolean): boolean {
  if (v === undefined) return def;
  const l = v.toLowerCase();
  return TRUE.has(l) ? true : FALSE.has(l) ? false : def;
}

/** MIT krb5_string_to_deltat forms; returns ms or undefined when unparsable. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t) * 1000;
  const colon = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(t);
  if (colon) return (Number(colon[1]) * 3600 + Number(colon[2]) * 60 + Number(colon[3] ?? 0)) * 1000;
  const compact = t.replace(/\s+/g, '').toLowerCase();
  if (!/^(\d+[dhms])+$/.test(compact)) return undefined;
  const units: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const m of compact.matchAll(/(\d+)([dhms])/g)) total += Number(m[1]) * units[m[2]!]!;
  return total * 1000;
}

const duration = (v: string | undefined, defMs: number) =>
  v === undefined ? defMs : (parseDuration(v) ?? defMs);

const enctypeList = (v: string | undefined) =>
  v === undefined ? undefined : v.split(/[\s,]+/).filter(Boolean);

function typedLibdefaults(node: ProfileNode | undefined): Krb5Libdefaults {
  const s = (tag: string) => first(node, tag);
  const canon = s('dns_canonicalize_hostname');
  const udp = Number.parseInt(s('udp_preference_limit') ?? '', 10);
  const out: Krb5Libdefaults = {
    dnsLookupKdc: bool(s('dns_lookup_kdc'), true),
    dnsLookupRealm: bool(s('dns_lookup_realm'), false),
    udpPreferenceLimit: Number.isFinite(udp) && udp >= 0 ? udp : 1465,
    allowWeakCrypto: bool(s('allow_weak_crypto'), false),
    allowRc4: bool(s('allow_rc4'), false),
    rdns: bool(s('rdns'), true),
    dnsCanonicalizeHostname: canon?.toLowerCase() === 'fallback' ? 'fallback' : bool(canon, true),
    forwardable: bool(s('forwardable'), false),
    clockskew: duration(s('clockskew'), 300_000),
    ticketLifetime: duration(s('ticket_lifetime'), 86_400_000),
    renewLifetime: duration(s('renew_lifetime'), 0),
  };
  const optional: Array<[keyof Krb5Libdefaults, unknown]> = [
    ['defaultRealm', s('default_realm')],
    ['qualifyShortname', s('qualify_shortname')],
    ['defaultTktEnctypes', enctypeList(s('default_tkt_enctypes'))],
    ['defaultTgsEnctypes', enctypeList(s('default_tgs_enctypes'))],
    ['permittedEnctypes', enctypeList(s('permitted_enctypes'))],
    ['defaultCcacheName', s('default_ccache_name')],
    ['defaultKeytabName', s('default_keytab_name')],
    ['defaultClientKeytabName', s('default_client_keytab_name')],
  ];
  for (const [k, v] of optional) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/** Builds the typed view from a parsed profile tree. */
export function krb5ConfigFromProfile(profile: ProfileNode): Krb5Config {
  const root = (name: string) => sections(profile, name)[0];
  const realms: Record<string, Krb5Realm> = {};
  const realmsNode = root('realms');
  for (const [name, values] of realmsNode?.relations ?? []) {
    const r: Krb5Realm = realms[name] ?? { kdc: [], adminServer: [] };
    for (const v of values) {
      if (typeof v !== 'object') continue;
      r.kdc.push(...strings(v, 'kdc'));
      r.adminServer.push(...strings(v, 'admin_server'));
      const dd = first(v, 'default_domain');
      if (dd !== undefined && r.defaultDomain === undefined) r.defaultDomain = dd;
    }
    realms[name] = r;
  }
  const domainRealm: Array<[string, string]> = [];
  for (const [tag, values] of root('domain_realm')?.relations ?? []) {
    const v = values.find((x): x is string => typeof x === 'string');
    if (v !== undefined) domainRealm.push([tag.toLowerCase(), v]);
  }
  return { libdefaults: typedLibdefaults(root('libdefaults')), realms, domainRealm, profile };
}

/** Parses krb5.conf text; `include`/`includedir` use the injected readers. */
export function parseKrb5Conf(text: string, options: ProfileReadOptions = {}): Krb5Config {
  return krb5ConfigFromProfile(parseProfile(text, options));
}

/**
 * Loads KRB5_CONFIG-style lists: each path read in order (missing files skipped, as MIT
 * does), all merged into one profile where earlier files win single-valued lookups.
 */
export function loadKrb5Conf(paths: readonly string[], options: ProfileReadOptions): Krb5Config {
  let tree: ProfileNode | undefined;
  for (const path of paths) {
    const text = options.readFile?.(path);
    if (text === undefined) continue;
    tree = parseProfile(text, { ...options, path }, tree);
  }
  return krb5ConfigFromProfile(tree ?? parseProfile(''));
}

/**
 * Realm of a host per [domain_realm] (krb5.conf(5)): the exact host name, then '.domain'
 * entries from the most specific parent up; else the default realm.
 */
export function realmForHost(config: Krb5Config, host: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  const map = new Map(config.domainRealm);
  const exact = map.get(h);
  if (exact !== undefined) return exact;
  for (let i = h.indexOf('.'); i !== -1; i = h.indexOf('.', i + 1)) {
    const hit = map.get(h.slice(i));
    if (hit !== undefined) return hit;
  }
  return config.libdefaults.defaultRealm;
}
