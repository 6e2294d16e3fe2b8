/**
 * gssock's own real tokens, made deterministically (seeded randomness, fixed clock) so a
 * fuzz run replays from its fast-check seed: a Kerberos exchange against the in-process KDC
 * (AP-REQ, AP-REP, wrap, MIC, the ticket's PAC), an NTLM exchange (NEGOTIATE, CHALLENGE,
 * AUTHENTICATE, sealed messages), SPNEGO around NTLM, and the mock's three legs.
 * The mechanisms and credentials are handed out too, for the step() targets.
 */
import type { Mechanism, SecurityContext } from '../../../src/core/mechanism.ts';
import { kerberos } from '../../../src/providers/kerberos/gss/mechanism.ts';
import { mock } from '../../../src/providers/mock/index.ts';
import { MemoryCredentialStore } from '../../../src/providers/ntlm/credential-store.ts';
import { ntlm } from '../../../src/providers/ntlm/mechanism.ts';
import { negotiate } from '../../../src/providers/spnego/mechanism.ts';
import { createTestRealm, type TestRealm } from '../../../src/testing/kerberos.ts';
import { seededRandom } from '../../../src/testing/inject.ts';
import { innerKrb5, MIT_KDC_REPLIES } from '../corpus.ts';

/** The fixed time of every own token: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const clock = () => T0;

/** Drives two contexts to completion; returns the tokens in wire order. */
export async function exchange(i: SecurityContext, a: SecurityContext): Promise<Uint8Array[]> {
  const tokens: Uint8Array[] = [];
  let r = await i.step(null);
  let next = a;
  while (r.outputToken) {
    tokens.push(r.outputToken);
    if (next.established) break;
    r = await next.step(r.outputToken);
    next = next === a ? i : a;
  }
  return tokens;
}

export interface OwnTokens {
  realm: TestRealm;
  krbClient: () => Mechanism;
  krbServer: () => Mechanism;
  krbTokens: Uint8Array[];
  krbInner: Uint8Array[];
  krbWrap: Uint8Array[];
  krbErrors: Uint8Array[];
  pacs: Uint8Array[];
  ntlmClient: () => Mechanism;
  ntlmServer: () => Mechanism;
  ntlm: Uint8Array[];
  ntlmWrap: Uint8Array[];
  spnego: Uint8Array[];
  mock: Uint8Array[];
  mockWrap: Uint8Array[];
}

let made: Promise<OwnTokens> | undefined;

export function ownTokens(): Promise<OwnTokens> {
  made ??= make();
  return made;
}

async function make(): Promise<OwnTokens> {
  const realm = await createTestRealm({ clock, random: seededRandom('fuzz-kdc'), password: 'fuzz-password' });
  // One client mechanism for the seeds and the targets: the service ticket it fetched stays
  // in its cache, so a context made later with the same random replays the same AP-REQ.
  const krbClientMech = kerberos({
    ccache: realm.user.ccache,
    kdc: { ...realm.clientOptions(), clock },
    clock,
    random: seededRandom('krb-i'),
  });
  const krbServer = () =>
    kerberos({ keytab: realm.service.keytab, clock, replayCache: false, random: seededRandom('krb-a') });
  const krbClient = () => krbClientMech;
  const ki = await krbClient().createContext('initiator', {
    target: realm.service.target,
    random: seededRandom('ki'),
  });
  const ka = await krbServer().createContext('acceptor', { random: seededRandom('ka') });
  const krbTokens = await exchange(ki, ka);
  const msg = new TextEncoder().encode('fuzz corpus message');
  const krbWrap = [await ki.wrap(msg), await ki.wrap(msg, { confidential: false }), await ki.getMic(msg)];
  const pac = ka.info().extra?.pac;

  const users = new MemoryCredentialStore([{ user: 'alice', domain: 'FUZZ', password: 'fuzz-password' }]);
  const ntlmClient = () =>
    ntlm({ user: 'alice', domain: 'FUZZ', password: 'fuzz-password', clock, random: seededRandom('ntlm-i') });
  const ntlmServer = () =>
    ntlm({ credentials: users, clock, random: seededRandom('ntlm-a'), warn: () => undefined });
  const ni = await ntlmClient().createContext('initiator', {
    target: 'host@server',
    random: seededRandom('ni'),
  });
  const na = await ntlmServer().createContext('acceptor', { random: seededRandom('na') });
  const ntlmTokens = await exchange(ni, na);
  const ntlmWrap = [await ni.wrap(msg), await ni.getMic(msg)];

  const si = await negotiate({ mechanisms: [ntlmClient()] }).createContext('initiator', {
    target: 'host@server',
    random: seededRandom('si'),
  });
  const sa = await negotiate({ mechanisms: [ntlmServer()] }).createContext('acceptor', {
    random: seededRandom('sa'),
  });
  const spnego = await exchange(si, sa);

  const mi = await mock().createContext('initiator', {
    target: 'host/server@MOCK',
    random: seededRandom('mi'),
    clock,
  });
  const ma = await mock().createContext('acceptor', { random: seededRandom('ma'), clock });
  const mockTokens = await exchange(mi, ma);
  const mockWrap = [await mi.wrap(msg), await mi.getMic(msg)];

  return {
    realm,
    krbClient,
    krbServer,
    krbTokens,
    krbInner: krbTokens.map(innerKrb5),
    krbWrap,
    krbErrors: MIT_KDC_REPLIES.filter((r) => r[0] === 0x7e),
    pacs: pac instanceof Uint8Array ? [pac] : [],
    ntlmClient,
    ntlmServer,
    ntlm: ntlmTokens,
    ntlmWrap,
    spnego,
    mock: mockTokens,
    mockWrap,
  };
}
