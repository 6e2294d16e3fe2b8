/**
 * Where the KDCs of a realm are: the `kdc` lines of krb5.conf's [realms] section
 * (MIT syntax: `host`, `host:port`, `[v6addr]:port`, optionally prefixed `udp/` or `tcp/`),
 * then, when dns_lookup_kdc is on and the config names none, DNS SRV records
 * `_kerberos._udp.REALM` and `_kerberos._tcp.REALM` (RFC 4120 §7.2.3.2) through an
 * injected resolver, so this file does no I/O.
 */
import { gssError } from '../../../core/errors.ts';
import { KERBEROS_PORT, type KdcAddress } from './transport.ts';

/** RFC 2782 SRV record, as node:dns resolveSrv returns it. */
export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export type SrvResolver = (name: string) => Promise<SrvRecord[]>;

/** Parses one krb5.conf `kdc =` value. HTTPS (MS-KKDCP) entries are not supported here. */
export function parseKdcAddress(value: string): KdcAddress {
  let rest = value.trim();
  let protocol: KdcAddress['protocol'] = 'any';
  const prefix = /^(udp|tcp)\//i.exec(rest);
  if (prefix) {
    protocol = prefix[1]!.toLowerCase() as 'udp' | 'tcp';
    rest = rest.slice(prefix[0].length);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest))
    throw gssError('NOT_SUPPORTED', `KDC URL not supported: ${value}`, { details: { kdc: value } });
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    host = rest; // bare IPv6 address, no port
  } else {
    const colon = rest.indexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? undefined : rest.slice(colon + 1);
  }
  const port = portText === undefined ? KERBEROS_PORT : Number(portText);
  if (!host || !/^[A-Za-z0-9._:%-]+$/.test(host) || !Number.isInteger(port) || port < 1 || port > 65535)
    throw gssError('INVALID_ARGUMENT', `invalid KDC address in configuration: ${value}`, {
      details: { kdc: value },
    });
  return { host, port, protocol };
}

/** RFC 2782 order: lowest priority first; within a priority, heavier weight first
 *  (deterministic instead of RFC 2782's weighted random pick, so retries are stable). */
export function sortSrvRecords(records: SrvRecord[]): SrvRecord[] {
  return [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight);
}

export interface LocateKdcsOptions {
  realm: string;
  /** The `kdc` values of the realm from krb5.conf, in order. */
  configuredKdcs?: string[];
  /** libdefaults dns_lookup_kdc (MIT default true; only used when nothing is configured). */
  dnsLookupKdc?: boolean;
  resolveSrv?: SrvResolver;
}

/** The realm's KDCs in preference order; throws NO-KDC (IO_ERROR) when none are found. */
export async function locateKdcs(options: LocateKdcsOptions): Promise<KdcAddress[]> {
  const configured = (options.configuredKdcs ?? []).map(parseKdcAddress);
  if (configured.length > 0) return configured;
  const found: KdcAddress[] = [];
  const tried: string[] = [];
  if ((options.dnsLookupKdc ?? true) && options.resolveSrv) {
    for (const protocol of ['udp', 'tcp'] as const) {
      const name = `_kerberos._${protocol}.${options.realm}`;
      tried.push(name);
      let records: SrvRecord[];
      try {
        records = await options.resolveSrv(name);
      } catch {
        continue; // NXDOMAIN and friends: the other protocol may still have records
      }
      for (const r of sortSrvRecords(records)) {
        // RFC 2782: a target of "." means the service is decidedly not available.
        if (r.name === '.' || r.name === '') continue;
        if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) continue;
        found.push({ host: r.name.replace(/\.$/, ''), port: r.port, protocol });
      }
    }
  }
  if (found.length === 0)
    throw gssError('IO_ERROR', `cannot find a KDC for realm ${options.realm}`, {
      details: { realm: options.realm, kdcs: [], srvNamesTried: tried },
    });
  return found;
}
