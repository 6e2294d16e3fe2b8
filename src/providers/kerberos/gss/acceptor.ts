/**
 * The acceptor: expect-ap-req -> established, in one step (RFC 4120 §3.2.3, RFC 4121 §4.1,
 * MIT accept_sec_context.c kg_accept_krb5):
 *
 * 1. Unframe the token (krb5 OID or the MS variant, TOK_ID 01 00) and decode the AP-REQ.
 * 2. The ticket's server must be one we accept as; its key comes from the keytab by
 *    principal, kvno and enctype. Decrypt the ticket (usage 2), then the authenticator
 *    with the session key (usage 11); the authenticator's client must be the ticket's.
 * 3. Times: the authenticator within the clock skew of now, the ticket valid now (both
 *    allowing the skew); then the replay cache (KRB_AP_ERR_REPEAT on a second sight).
 * 4. The 0x8003 checksum: channel bindings, flags, a delegated TGT.
 * 5. With MUTUAL (or mutual-required): an AP-REP with our own subkey (the initiator
 *    subkey's enctype; none for RC4, as MIT) and sequence number, encrypted in the session
 *    key (usage 12). Without: no output, both directions use the initiator's number.
 * A failure after the AP-REQ decoded, when the initiator waits for an answer, comes with a
 * KRB-ERROR context token in the error's `details.outputToken` (MIT does the same).
 */
import { gssError, isGssockError, toGssockError } from '../../../core/errors.ts';
import { Flags } from '../../../core/flags.ts';
import type { ChannelBindings, ContextOptions, RandomSource, StepResult } from '../../../core/mechanism.ts';
import { ApOptions, KeyUsage, TicketFlags } from '../constants.ts';
import { KerberosErrorCode as K } from '../error-codes.ts';
import { getEnctype } from '../crypto/registry.ts';
import { formatPrincipal, samePrincipal } from '../kdc/principal-name.ts';
import type { Keytab } from '../keytab.ts';
import {
  type ApReq,
  type Authenticator,
  decodeApReq,
  decodeAuthenticator,
  decodeEncTicketPart,
  decodeKrb5ContextToken,
  type EncTicketPart,
  apRepAsn,
  encodeEncApRepPart,
  encodeKrb5ContextTokenOf,
  findPacInAuthorizationData,
} from '../messages/index.ts';
import type { EncryptionKey, Principal } from '../types.ts';
import { type AcceptorNamePattern, acceptorNameMatches } from './acceptor-names.ts';
import { ApFailureSignal, apError, apFail, describeApError, krbErrorToken } from './ap-errors.ts';
import { checkChannelBindings } from './channel-bindings.ts';
import { decodeGssChecksum, GSS_CHECKSUM_TYPE, type GssChecksum } from './checksum-8003.ts';
import { KerberosContextBase } from './context.ts';
import { type DelegatedCredential, readKrbCred } from './delegation.ts';
import { Protection } from './protection.ts';
import { type ReplayCache, replayTag } from './replay-cache.ts';
import type { DecryptedTickets } from './ticket-cache.ts';

/** Flags the acceptor takes from the initiator's checksum (MIT INITIATOR_FLAGS, less DCE). */
const FROM_INITIATOR =
  Flags.DELEGATE |
  Flags.MUTUAL |
  Flags.REPLAY |
  Flags.SEQUENCE |
  Flags.CONF |
  Flags.INTEG |
  Flags.IDENTIFY |
  Flags.EXTENDED_ERROR;

export interface AcceptorSettings {
  keytab: Keytab;
  names: readonly AcceptorNamePattern[];
  replayCache: ReplayCache | undefined;
  clockSkewMs: number;
  allowRc4: boolean;
  requireChannelBindings: boolean;
  clock: () => number;
  random: RandomSource;
  /** Decrypted tickets shared by the Mechanism's acceptors (ticket-cache.ts): read-only. */
  tickets?: DecryptedTickets;
}

interface Verified {
  ticket: EncTicketPart;
  server: Principal;
  authenticator: Authenticator;
  checksum: GssChecksum;
  delegated?: DelegatedCredential;
  kvno?: number;
}

export class KerberosAcceptor extends KerberosContextBase {
  readonly role = 'acceptor' as const;
  readonly #s: AcceptorSettings;
  readonly #o: ContextOptions;
  readonly #names: readonly AcceptorNamePattern[];
  #delegated: DelegatedCredential | undefined;

  constructor(settings: AcceptorSettings, options: ContextOptions, names: readonly AcceptorNamePattern[]) {
    super();
    this.#s = settings;
    this.#o = options;
    this.#names = names;
  }

  protected async runStep(input: Uint8Array | null): Promise<StepResult> {
    if (!input || input.length === 0) throw gssError('INVALID_STATE', 'the acceptor needs the AP-REQ token');
    const clock = this.#o.clock ?? this.#s.clock;
    const random = this.#o.random ?? this.#s.random;
    let mechOid: string;
    let apReq: ApReq;
    try {
      const token = decodeKrb5ContextToken(input);
      mechOid = token.mechOid;
      if (token.kind !== 'AP-REQ')
        throw gssError('DEFECTIVE_TOKEN', `expected an AP-REQ, got a ${token.kind}`, { origin: 'peer' });
      apReq = decodeApReq(token.message);
    } catch (e) {
      throw toGssockError(e, 'DEFECTIVE_TOKEN', 'peer');
    }
    const wantsReply = (apReq.apOptions & ApOptions.MUTUAL_REQUIRED) !== 0;
    let verified: Verified | undefined;
    try {
      verified = await this.#verify(apReq, clock());
      return this.#complete(apReq, verified, mechOid, random);
    } catch (e) {
      if (!(e instanceof ApFailureSignal)) throw e;
      const server: Principal = { realm: apReq.ticket.realm, name: apReq.ticket.sname };
      const mutual = wantsReply || ((verified?.checksum.flags ?? 0) & Flags.MUTUAL) !== 0;
      const outputToken = mutual ? krbErrorToken(e.failure.errorCode, server, clock(), mechOid) : undefined;
      throw apError(e.failure, 'acceptor', outputToken ? { outputToken } : {});
    }
  }

  async #verify(apReq: ApReq, now: number): Promise<Verified> {
    const s = this.#s;
    const t = apReq.ticket;
    const server: Principal = { realm: t.realm, name: t.sname };
    if (!acceptorNameMatches(this.#names, server))
      apFail(
        K.KRB_AP_ERR_NOT_US,
        `the ticket is for ${formatPrincipal(server)}, not for ${this.#nameText()}`,
      );
    if (apReq.apOptions & ApOptions.USE_SESSION_KEY)
      apFail(K.KRB_AP_ERR_METHOD, 'user-to-user tickets are not supported');
    const entries = s.keytab.entries.filter((e) => samePrincipal(e.principal, server));
    if (entries.length === 0)
      apFail(K.KRB_AP_ERR_NOT_US, `no key for ${formatPrincipal(server)} in the keytab`);
    const kvno = t.encPart.kvno;
    // A keytab may hold only the low 8 bits of a large kvno (MIT: kvno8 without kvno32).
    const withKvno =
      kvno === undefined
        ? entries
        : entries.filter((e) => e.kvno === kvno || (e.kvno < 256 && e.kvno === (kvno & 0xff)));
    if (withKvno.length === 0)
      apFail(K.KRB_AP_ERR_BADKEYVER, `no key version ${kvno} for ${formatPrincipal(server)} in the keytab`);
    const candidates = withKvno
      .filter((e) => e.key.etype === t.encPart.etype)
      .sort((a, b) => b.kvno - a.kvno);
    if (candidates.length === 0)
      apFail(
        K.KRB_AP_ERR_NOKEY,
        `no enctype ${t.encPart.etype} key for ${formatPrincipal(server)} in the keytab`,
      );
    let ticket: EncTicketPart | undefined;
    for (const entry of candidates) {
      ticket = s.tickets?.get(entry.key, t.encPart.cipher, now);
      if (ticket) break;
    }
    for (const entry of ticket ? [] : candidates) {
      try {
        const enctype = getEnctype(entry.key.etype, { allowRc4: s.allowRc4 });
        ticket = decodeEncTicketPart(enctype.decrypt(entry.key, KeyUsage.KDC_REP_TICKET, t.encPart.cipher));
        s.tickets?.set(entry.key, t.encPart.cipher, ticket);
        break;
      } catch {
        // another entry with the same kvno and enctype may hold the right key
      }
    }
    if (!ticket) apFail(K.KRB_AP_ERR_BAD_INTEGRITY, 'the ticket does not decrypt with the keytab key');

    const sessionKey = ticket.key;
    if (apReq.authenticator.etype !== sessionKey.etype)
      apFail(K.KRB_AP_ERR_BAD_INTEGRITY, 'the authenticator is not encrypted in the session key enctype');
    let authenticator: Authenticator;
    try {
      const enctype = getEnctype(sessionKey.etype, { allowRc4: s.allowRc4 });
      authenticator = decodeAuthenticator(
        enctype.decrypt(sessionKey, KeyUsage.AP_REQ_AUTHENTICATOR, apReq.authenticator.cipher),
      );
    } catch (e) {
      return apFail(K.KRB_AP_ERR_BAD_INTEGRITY, 'the authenticator does not decrypt', { cause: e });
    }
    const client: Principal = { realm: ticket.crealm, name: ticket.cname };
    if (!samePrincipal(client, { realm: authenticator.crealm, name: authenticator.cname }))
      apFail(K.KRB_AP_ERR_BADMATCH, describeApError(K.KRB_AP_ERR_BADMATCH));

    const skew = s.clockSkewMs;
    const atime = authenticator.ctime + Math.floor(authenticator.cusec / 1000);
    if (Math.abs(now - atime) > skew)
      apFail(
        K.KRB_AP_ERR_SKEW,
        `authenticator time differs from ours by ${Math.round((atime - now) / 1000)} s`,
      );
    const start = ticket.starttime ?? ticket.authtime;
    if (start - skew > now || ticket.flags & TicketFlags.INVALID)
      apFail(K.KRB_AP_ERR_TKT_NYV, describeApError(K.KRB_AP_ERR_TKT_NYV));
    if (ticket.endtime + skew < now)
      apFail(K.KRB_AP_ERR_TKT_EXPIRED, describeApError(K.KRB_AP_ERR_TKT_EXPIRED));

    if (s.replayCache) {
      let fresh: boolean;
      try {
        fresh = await s.replayCache.checkAndStore(
          {
            client: formatPrincipal(client),
            server: formatPrincipal(server),
            ctime: authenticator.ctime,
            cusec: authenticator.cusec,
            tag: replayTag(apReq.authenticator.cipher),
          },
          atime + skew,
        );
      } catch (e) {
        // A replay cache that cannot answer (full, a shared store down) fails closed, and
        // the client is told so (a KRB-ERROR) instead of seeing the connection drop.
        return apFail(K.KRB_ERR_GENERIC, `replay cache: ${(e as Error)?.message ?? e}`, {
          code: isGssockError(e) ? e.code : 'FAILURE',
          origin: 'local',
          cause: e,
        });
      }
      if (!fresh) apFail(K.KRB_AP_ERR_REPEAT, describeApError(K.KRB_AP_ERR_REPEAT));
    }

    const ck = authenticator.cksum;
    if (!ck || ck.cksumtype !== GSS_CHECKSUM_TYPE)
      apFail(K.KRB_AP_ERR_INAPP_CKSUM, 'the authenticator carries no GSS (0x8003) checksum', {
        code: 'DEFECTIVE_TOKEN',
      });
    let checksum: GssChecksum;
    try {
      checksum = decodeGssChecksum(ck.checksum);
    } catch (e) {
      return apFail(K.KRB_ERR_GENERIC, 'malformed 0x8003 checksum', { code: 'DEFECTIVE_TOKEN', cause: e });
    }
    const bindings: ChannelBindings | undefined = this.#o.channelBindings;
    if (checkChannelBindings(checksum.bindingsHash, bindings, s.requireChannelBindings) === 'mismatch')
      apFail(K.KRB_ERR_GENERIC, 'channel bindings do not match', { code: 'BAD_BINDINGS' });

    const out: Verified = { ticket, server, authenticator, checksum };
    if (t.encPart.kvno !== undefined) out.kvno = t.encPart.kvno;
    if (checksum.flags & Flags.DELEGATE && checksum.delegation) {
      const keys: EncryptionKey[] = [sessionKey, ...(authenticator.subkey ? [authenticator.subkey] : [])];
      try {
        out.delegated = readKrbCred(checksum.delegation, keys, s.allowRc4);
      } catch (e) {
        return apFail(K.KRB_ERR_GENERIC, 'the delegated credential is unusable', { cause: e });
      }
    }
    return out;
  }

  #complete(apReq: ApReq, v: Verified, mechOid: string, random: RandomSource): StepResult {
    const s = this.#s;
    const auth = v.authenticator;
    // Protection wipes its keys on dispose; the ticket's session key may be the cached
    // one shared with other contexts (ticket-cache.ts), so it gets a copy.
    const initiatorKey = auth.subkey ?? { etype: v.ticket.key.etype, value: v.ticket.key.value.slice() };
    try {
      const e = getEnctype(initiatorKey.etype, { allowRc4: s.allowRc4 });
      if (initiatorKey.value.length !== e.keySize) throw gssError('MALFORMED', 'subkey length');
    } catch (e) {
      apFail(K.KDC_ERR_ETYPE_NOSUPP, 'the initiator subkey enctype is not usable', { cause: e });
    }
    let flags = (v.checksum.flags & FROM_INITIATOR) | Flags.TRANS | Flags.PROT_READY;
    if (!v.delegated) flags &= ~Flags.DELEGATE;
    this.#delegated = v.delegated;
    const recvSeq = auth.seqNumber ?? 0;
    const mutual = (flags & Flags.MUTUAL) !== 0 || (apReq.apOptions & ApOptions.MUTUAL_REQUIRED) !== 0;
    let outputToken: Uint8Array | undefined;
    let sendSeq = recvSeq;
    let acceptorSubkey: EncryptionKey | undefined;
    if (mutual) {
      flags |= Flags.MUTUAL;
      const sessionEnctype = getEnctype(v.ticket.key.etype, { allowRc4: s.allowRc4 });
      // MIT makes no acceptor subkey for RC4 contexts: RFC 1964 tokens cannot say which key.
      if (initiatorKey.etype !== 23) {
        const e = getEnctype(initiatorKey.etype, { allowRc4: s.allowRc4 });
        acceptorSubkey = e.randomToKey(random(e.keyBytes));
      }
      const b = random(4);
      sendSeq = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & 0x3fffffff;
      const part = encodeEncApRepPart({
        ctime: auth.ctime,
        cusec: auth.cusec,
        ...(acceptorSubkey ? { subkey: acceptorSubkey } : {}),
        seqNumber: sendSeq,
      });
      const cipher = sessionEnctype.encrypt(v.ticket.key, KeyUsage.AP_REP_ENC_PART, part);
      part.fill(0);
      outputToken = encodeKrb5ContextTokenOf(
        'AP-REP',
        apRepAsn({ encPart: { etype: v.ticket.key.etype, cipher } }),
        mechOid,
      );
    }
    this.protection = new Protection({
      acceptor: true,
      initiatorKey,
      ...(acceptorSubkey ? { acceptorSubkey } : {}),
      sendSeq,
      recvSeq,
      replay: (flags & Flags.REPLAY) !== 0,
      sequence: (flags & Flags.SEQUENCE) !== 0,
      allowRc4: s.allowRc4,
      mechOid,
    });
    const client: Principal = { realm: v.ticket.crealm, name: v.ticket.cname };
    const pac = findPacInAuthorizationData(v.ticket.authorizationData);
    this.facts = {
      flags,
      peerName: formatPrincipal(client),
      localName: formatPrincipal(v.server),
      mechanismOid: mechOid,
      expiresAt: v.ticket.endtime,
      extra: {
        clientPrincipal: client,
        serverPrincipal: v.server,
        ticketFlags: v.ticket.flags,
        authTime: v.ticket.authtime,
        ...(v.kvno !== undefined ? { keyVersion: v.kvno } : {}),
        ...(pac ? { pac } : {}),
        ...(v.ticket.authorizationData ? { ticketAuthorizationData: v.ticket.authorizationData } : {}),
        ...(auth.authorizationData ? { authenticatorAuthorizationData: auth.authorizationData } : {}),
        ...(v.delegated ? { delegatedCcache: v.delegated.ccache } : {}),
      },
    };
    this.markEstablished();
    return outputToken ? { outputToken, done: true } : { done: true };
  }

  #nameText(): string {
    return this.#names.map((n) => n.text).join(', ') || 'any principal';
  }

  protected disposeSecrets(): void {
    for (const c of this.#delegated?.parsed.credentials ?? []) c.key.value.fill(0);
  }
}
