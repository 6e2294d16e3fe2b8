/**
 * Which server principals an acceptor answers for. MIT's gss-server takes a GSS host-based
 * name (`host@localhost`), imports it without a realm and accepts a ticket for
 * host/localhost in any realm its keytab has keys for; a full principal (`host/x@REALM`)
 * pins the realm. No name at all accepts any principal in the keytab (MIT's default
 * acceptor credential, GSS_C_NO_NAME).
 */
import { gssError } from '../../../core/errors.ts';
import { parsePrincipal } from '../kdc/principal-name.ts';
import type { Principal } from '../types.ts';

export interface AcceptorNamePattern {
  components: string[];
  /** Undefined: any realm. */
  realm?: string;
  /** The text it came from, for messages. */
  text: string;
}

/** Parses `service@host`, `service/host[@REALM]`, `service/host:port/name` or a user principal. */
export function parseAcceptorName(text: string): AcceptorNamePattern {
  if (text.length === 0) throw gssError('BAD_NAME', 'empty acceptor name');
  if (!text.includes('/') && !text.includes('\\')) {
    const at = text.lastIndexOf('@');
    if (at > 0 && at < text.length - 1) {
      // GSS_C_NT_HOSTBASED_SERVICE: host names compare lower-cased (MIT canonicalizes them).
      return { components: [text.slice(0, at), text.slice(at + 1).toLowerCase()], text };
    }
    if (at === -1) return { components: [text], text };
  }
  const hasRealm = /(^|[^\\])@/.test(text);
  const p = parsePrincipal(text, hasRealm ? undefined : '*');
  return {
    components: p.name.nameString,
    ...(hasRealm ? { realm: p.realm } : {}),
    text,
  };
}

/** True when `server` is one of `patterns` (or `patterns` is empty: anything). */
export function acceptorNameMatches(patterns: readonly AcceptorNamePattern[], server: Principal): boolean {
  if (patterns.length === 0) return true;
  const n = server.name.nameString;
  return patterns.some((p) => {
    if (p.realm !== undefined && p.realm !== server.realm) return false;
    // A bare service name (`host`) matches that service on any host, as GSS_C_NT_HOSTBASED_SERVICE
    // without a host would on the local machine; we cannot know the local host name here.
    if (p.components.length === 1 && n.length === 2) return n[0] === p.components[0];
    return p.components.length === n.length && p.components.every((c, i) => c === n[i]);
  });
}
