/**
 * The initiator: expect-nothing -> (send AP-REQ) -> expect-ap-rep -> established.
 *
 * 1. A service ticket for the target (credentials.ts), a fresh subkey of the session key's
 *    enctype and a random 30-bit sequence number (MIT's krb5_generate_seq_number range).
 * 2. Authenticator { crealm, cname, cksum 0x8003 (bindings hash, flags, optional KRB-CRED),
 *    ctime/cusec, subkey, seq-number } encrypted in the session key (usage 11); AP-REQ with
 *    mutual-required when MUTUAL is asked; GSS-framed with TOK_ID 01 00.
 * 3. With MUTUAL: the reply must be an AP-REP whose EncAPRepPart (usage 12) decrypts and
 *    repeats our ctime/cusec; anything else fails closed with MutualAuthRequiredError.
 *    A KRB-ERROR (03 00) becomes its typed error (CLOCK_SKEW, DUPLICATE_TOKEN, ...).
 *    Without MUTUAL the context is ready at once (PROT_READY), as MIT's is.
 */
import { gssError, type GssockError, MutualAuthRequiredError } from '../../../core/errors.ts';
import { Flags } from '../../../core/flags.ts';
import type { ContextOptions, RandomSource, StepResult } from '../../../core/mechanism.ts';
import { ApOptions, KeyUsage } from '../constants.ts';
import type { Enctype } from '../crypto/enctype.ts';
import { getEnctype } from '../crypto/registry.ts';
import type { KerberosCredential } from '../kdc/credential.ts';
import { formatPrincipal } from '../kdc/principal-name.ts';
import {
  decodeApRep,
  decodeEncApRepPart,
  decodeKrb5ContextToken,
  decodeKrbError,
  decodeTicket,
  apReqAsn,
  encodeAuthenticator,
  encodeKrb5ContextTokenOf,
} from '../messages/index.ts';
import type { EncryptionKey, Principal } from '../types.ts';
import { receivedKrbError } from './ap-errors.ts';
import { channelBindingsHash } from './channel-bindings.ts';
import { encodeGssChecksum, GSS_CHECKSUM_TYPE } from './checksum-8003.ts';
import { KerberosContextBase } from './context.ts';
import type { InitiatorCredentials } from './credentials.ts';
import { makeKrbCred } from './delegation.ts';
import { Protection } from './protection.ts';

/** Flags the initiator passes on from the request (MIT kg_new_connection). */
const PASSED_ON =
  Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE | Flags.DELEGATE | Flags.IDENTIFY | Flags.EXTENDED_ERROR;
/** Always offered: every Kerberos context can protect messages. */
const ALWAYS = Flags.CONF | Flags.INTEG | Flags.TRANS;

export interface InitiatorSettings {
  credentials: InitiatorCredentials;
  /** The server principal for ContextOptions.target. */
  resolveTarget: (target: string) => Principal;
  mechOid: string;
  allowRc4: boolean;
  clock: () => number;
  random: RandomSource;
}

interface Pending {
  credential: KerberosCredential;
  enctype: Enctype;
  subkey: EncryptionKey;
  seq: number;
  ctime: number;
  cusec: number;
  flags: number;
  server: Principal;
}

/** Decoded tickets by their DER (the same cached ticket serves many contexts; DER decoding
 *  is a large share of a handshake's cost). */
const ticketCache = new WeakMap<Uint8Array, ReturnType<typeof decodeTicket>>();
function decodedTicket(der: Uint8Array): ReturnType<typeof decodeTicket> {
  let t = ticketCache.get(der);
  if (!t) {
    t = decodeTicket(der);
    ticketCache.set(der, t);
  }
  return t;
}

export class KerberosInitiator extends KerberosContextBase {
  readonly role = 'initiator' as const;
  readonly #s: InitiatorSettings;
  readonly #o: ContextOptions;
  #pending: Pending | undefined;

  constructor(settings: InitiatorSettings, options: ContextOptions) {
    super();
    this.#s = settings;
    this.#o = options;
  }

  protected async runStep(input: Uint8Array | null): Promise<StepResult> {
    if (!this.#pending) {
      if (input !== null && input.length > 0)
        throw gssError('INVALID_STATE', 'the initiator takes no input token on its first step');
      return this.#start();
    }
    if (!input) throw gssError('INVALID_STATE', 'the initiator expects the AP-REP');
    this.#finish(input, this.#pending);
    return { done: true };
  }

  async #start(): Promise<StepResult> {
    const s = this.#s;
    const target = this.#o.target;
    if (!target) throw gssError('BAD_NAME', 'the Kerberos initiator needs a target (SPN or service@host)');
    const server = s.resolveTarget(target);
    const clock = this.#o.clock ?? s.clock;
    const random = this.#o.random ?? s.random;
    const requested = this.#o.flags ?? Flags.MUTUAL | Flags.REPLAY;
    const credential = await s.credentials.serviceTicket(server, clock());
    const key = credential.key;
    const enctype = getEnctype(key.etype, { allowRc4: s.allowRc4 });
    let flags = ALWAYS | (requested & PASSED_ON);
    if (requested & Flags.DCE_STYLE)
      throw gssError('NOT_SUPPORTED', 'DCE-style Kerberos contexts are not supported');

    let delegation: Uint8Array | undefined;
    if (flags & Flags.DELEGATE) {
      try {
        const tgt = await s.credentials.forwardedTgt(clock());
        delegation = makeKrbCred(tgt, key, random, s.allowRc4);
      } catch {
        // MIT: "don't fail here; just don't do the delegation" (make_gss_checksum).
        flags &= ~Flags.DELEGATE;
      }
    }
    const subkey = enctype.randomToKey(random(enctype.keyBytes));
    const seqBytes = random(4);
    const seq =
      ((seqBytes[0]! << 24) | (seqBytes[1]! << 16) | (seqBytes[2]! << 8) | seqBytes[3]!) & 0x3fffffff;
    const now = clock();
    const ctime = Math.floor(now / 1000) * 1000;
    // Microseconds: the clock's milliseconds plus random sub-millisecond digits, so two
    // authenticators in one millisecond differ (RFC 4120 §5.5.1 cusec).
    const sub = random(2);
    const cusec = (Math.floor(now) % 1000) * 1000 + (((sub[0]! << 8) | sub[1]!) % 1000);
    const checksum = encodeGssChecksum({
      bindingsHash: channelBindingsHash(this.#o.channelBindings),
      flags,
      ...(delegation ? { delegation } : {}),
    });
    const authenticator = encodeAuthenticator({
      crealm: credential.client.realm,
      cname: credential.client.name,
      cksum: { cksumtype: GSS_CHECKSUM_TYPE, checksum },
      cusec,
      ctime,
      subkey,
      seqNumber: seq,
    });
    const cipher = enctype.encrypt(key, KeyUsage.AP_REQ_AUTHENTICATOR, authenticator);
    authenticator.fill(0);
    const mutual = (flags & Flags.MUTUAL) !== 0;
    // The ticket is checked once (decoded, cached by its DER) and sent as it came: no
    // decode and re-encode of it per context.
    decodedTicket(credential.ticket);
    const apReq = apReqAsn({
      apOptions: mutual ? ApOptions.MUTUAL_REQUIRED : 0,
      ticket: credential.ticket,
      authenticator: { etype: key.etype, cipher },
    });
    const outputToken = encodeKrb5ContextTokenOf('AP-REQ', apReq, s.mechOid);
    this.#pending = { credential, enctype, subkey, seq, ctime, cusec, flags, server };
    if (mutual) return { outputToken, done: false };

    // No AP-REP will come: both directions count from our number (MIT, RFC 4121 §4.2.3).
    this.protection = new Protection({
      acceptor: false,
      initiatorKey: subkey,
      sendSeq: seq,
      recvSeq: seq,
      replay: (flags & Flags.REPLAY) !== 0,
      sequence: (flags & Flags.SEQUENCE) !== 0,
      allowRc4: s.allowRc4,
      mechOid: s.mechOid,
    });
    this.#setFacts(flags | Flags.PROT_READY);
    this.markEstablished();
    return { outputToken, done: true };
  }

  #finish(token: Uint8Array, p: Pending): void {
    let message: Uint8Array;
    let kind: string;
    try {
      const t = decodeKrb5ContextToken(token);
      message = t.message;
      kind = t.kind;
    } catch (e) {
      throw new MutualAuthRequiredError(
        'the acceptor answered with something that is not a Kerberos AP-REP',
        {
          cause: e,
        },
      );
    }
    if (kind === 'KRB-ERROR') {
      let error: GssockError;
      try {
        error = receivedKrbError(decodeKrbError(message));
      } catch (e) {
        throw new MutualAuthRequiredError('the acceptor sent a malformed KRB-ERROR', { cause: e });
      }
      throw error;
    }
    if (kind !== 'AP-REP')
      throw new MutualAuthRequiredError(`the acceptor answered with an ${kind}, not an AP-REP`);
    let part: ReturnType<typeof decodeEncApRepPart>;
    try {
      const rep = decodeApRep(message);
      const key = p.credential.key;
      if (rep.encPart.etype !== key.etype)
        throw gssError('ETYPE_NOT_SUPPORTED', 'AP-REP etype is not the session key etype');
      part = decodeEncApRepPart(p.enctype.decrypt(key, KeyUsage.AP_REP_ENC_PART, rep.encPart.cipher));
    } catch (e) {
      throw new MutualAuthRequiredError(
        'the AP-REP does not decrypt with the session key: the acceptor is not who it claims',
        {
          cause: e,
        },
      );
    }
    // RFC 4120 §3.2.5: the reply must repeat the authenticator's time exactly.
    if (part.ctime !== p.ctime || part.cusec !== p.cusec)
      throw new MutualAuthRequiredError('the AP-REP does not answer our authenticator (ctime/cusec differ)');
    // MIT keeps the acceptor subkey for RFC 4121 contexts, or when its enctype differs
    // (an RFC 4537 upgrade); an RC4 context with a same-enctype subkey keeps using ours.
    const sub = part.subkey;
    let acceptorSubkey: EncryptionKey | undefined;
    if (sub && (p.subkey.etype !== 23 || sub.etype !== p.subkey.etype)) {
      try {
        const e = getEnctype(sub.etype, { allowRc4: this.#s.allowRc4 });
        if (sub.value.length !== e.keySize)
          throw gssError('MALFORMED', 'acceptor subkey has the wrong length');
      } catch (e) {
        throw new MutualAuthRequiredError('the acceptor subkey is unusable', { cause: e });
      }
      acceptorSubkey = sub;
    }
    this.protection = new Protection({
      acceptor: false,
      initiatorKey: p.subkey,
      ...(acceptorSubkey ? { acceptorSubkey } : {}),
      sendSeq: p.seq,
      recvSeq: part.seqNumber ?? 0,
      replay: (p.flags & Flags.REPLAY) !== 0,
      sequence: (p.flags & Flags.SEQUENCE) !== 0,
      allowRc4: this.#s.allowRc4,
      mechOid: this.#s.mechOid,
    });
    // MIT's mutual_auth leaves PROT_READY out of the flags it reports (gss-client prints them).
    this.#setFacts(p.flags);
    this.markEstablished();
  }

  #setFacts(flags: number): void {
    const p = this.#pending!;
    this.facts = {
      flags,
      peerName: formatPrincipal(p.server),
      localName: formatPrincipal(p.credential.client),
      mechanismOid: this.#s.mechOid,
      expiresAt: p.credential.endTime,
      extra: {
        ticketFlags: p.credential.flags,
        ticketEnctype: p.credential.key.etype,
        delegated: (flags & Flags.DELEGATE) !== 0,
      },
    };
  }

  protected disposeSecrets(): void {
    this.#pending?.subkey.value.fill(0);
  }
}
