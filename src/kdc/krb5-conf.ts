/**
 * The krb5.conf lines MIT's tools need to use a gssock KDC on loopback (references.md §6):
 * the realm's KDC at 127.0.0.1:PORT (UDP first, TCP on KRB_ERR_RESPONSE_TOO_BIG), no DNS
 * lookups or hostname canonicalization (else MIT qualifies `localhost` with the search
 * domain), `localhost` mapped to the realm, forwardable tickets, and allow_rc4 when the
 * realm enables arcfour-hmac (Debian's MIT refuses RC4 otherwise).
 */
export interface Krb5ConfInput {
  realm: string;
  host: string;
  port: number;
  allowRc4?: boolean;
  libdefaults?: Record<string, string>;
}

export function krb5ConfFor(o: Krb5ConfInput): string {
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  const extra = Object.entries(o.libdefaults ?? {})
    .map(([k, v]) => `  ${k} = ${v}\n`)
    .join('');
  return `[libdefaults]
  default_realm = ${o.realm}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  qualify_shortname = ""
  forwardable = true
${o.allowRc4 ? '  allow_rc4 = true\n' : ''}${extra}
[realms]
  ${o.realm} = {
    kdc = ${host}:${o.port}
  }

[domain_realm]
  localhost = ${o.realm}
  .localhost = ${o.realm}
`;
}
