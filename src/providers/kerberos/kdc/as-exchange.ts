/**
 * The AS exchange (RFC 4120 §3.1), as MIT's kinit and Windows do it against a KDC that
 * requires pre-authentication (Active Directory, MIT with +requires_preauth):
 *
 * 1. AS-REQ without pre-authentication, with PA-PAC-REQUEST include=TRUE (MS-KILE §2.2.3).
 * 2. KRB-ERROR KDC_ERR_PREAUTH_REQUIRED (25): its e-data is METHOD-DATA with PA-ETYPE-INFO2
 *    (RFC 4120 §5.2.7.5) naming the etype, salt and s2kparams to use. Derive the key from the
 *    password (or take the keytab key of that etype), encrypt PA-ENC-TS-ENC under key usage 1
 *    and send the AS-REQ again with PA-ENC-TIMESTAMP.
 * 3. AS-REP: decrypt the enc-part with usage 3 (accepting an EncTGSRepPart tag too), check
 *    nonce and names (kdc-reply.ts). A KDC that does not require pre-authentication answers
 *    step 1 with the AS-REP directly; the salt then comes from the reply's PA-ETYPE-INFO2,
 *    or is the default salt (realm + name components, RFC 4120 §4).
 * Any other KRB-ERROR becomes a typed GssockError carrying the RFC name and number.
 */
import { gssError } from '../../../core/errors.ts';
import { KdcOptions, KeyUsage, PaDataType } from '../constants.ts';
import { KerberosErrorCode } from '../error-codes.ts';
import { getEnctype, isEnctypeSupported } from '../crypto/registry.ts';
import {
  decodeEtypeInfo,
  decodeEtypeInfo2,
  decodeMethodData,
  encodeAsReq,
  encodeEncryptedData,
  encodePaEncTsEnc,
  type EtypeInfo2Entry,
  findPaData,
  type KdcReqBody,
  paEncTimestamp,
  paPacRequest,
} from '../messages/index.ts';
import type { EncryptionKey, PaData, Principal } from '../types.ts';
import type { KerberosCredential } from './credential.ts';
import { clockOf, enctypesOf, type KdcClientOptions, makeNonce, randomOf, sendToKdc } from './kdc-client.ts';
import { type KdcReply, openKdcRep, parseKdcReply } from './kdc-reply.ts';
import { krbErrorToGssock } from './krb-error.ts';
import { defaultSalt, formatPrincipal, tgsPrincipal } from './principal-name.ts';

/** The client's long-term secret: a password, or keys (from a keytab). */
export type ClientSecret = { password: string } | { keys: EncryptionKey[] };

export interface InitialTicketOptions {
  forwardable?: boolean;
  proxiable?: boolean;
  renewable?: boolean;
  /** Requested lifetime (default 10 h, MIT's usual ticket_lifetime). */
  lifetimeSeconds?: number;
  /** Requested renewable lifetime when `renewable` (default 7 days). */
  renewableLifetimeSeconds?: number;
  /** Service to get a ticket for (default krbtgt/REALM@REALM). */
  service?: Principal;
  /** Ask for the PAC (MS-KILE PA-PAC-REQUEST); default true. */
  includePac?: boolean;
}

export interface GetInitialTicketOptions extends KdcClientOptions {
  client: Principal;
  secret: ClientSecret;
  options?: InitialTicketOptions;
}

interface KeyChoice {
  key: EncryptionKey;
  entry?: EtypeInfo2Entry;
}

/** Requested etypes we can actually use: supported, permitted, and (with keys) keyed. */
function requestEtypes(o: GetInitialTicketOptions): number[] {
  const allowRc4 = o.allowRc4 ?? false;
  const list = enctypesOf(o).filter((e) => isEnctypeSupported(e, { allowRc4 }));
  const usable =
    'keys' in o.secret
      ? list.filter((e) => (o.secret as { keys: EncryptionKey[] }).keys.some((k) => k.etype === e))
      : list;
  if (usable.length === 0)
    throw gssError(
      'ETYPE_NOT_SUPPORTED',
      `no usable enctype for ${formatPrincipal(o.client)} (requested ${enctypesOf(o).join(', ')})`,
      {
        details: { enctypes: [...enctypesOf(o)] },
      },
    );
  return usable;
}

/** Salt/s2kparams hints from PA-ETYPE-INFO2 (or the older PA-ETYPE-INFO) in `padata`. */
export function etypeHints(padata: readonly PaData[] | undefined): EtypeInfo2Entry[] {
  const info2 = findPaData(padata, PaDataType.PA_ETYPE_INFO2);
  if (info2) return decodeEtypeInfo2(info2.padataValue);
  const info = findPaData(padata, PaDataType.PA_ETYPE_INFO);
  if (info)
    return decodeEtypeInfo(info.padataValue).map((e) => {
      const out: EtypeInfo2Entry = { etype: e.etype };
      if (e.salt) out.salt = new TextDecoder().decode(e.salt);
      return out;
    });
  return [];
}

function deriveKey(
  o: GetInitialTicketOptions,
  etype: number,
  hint: EtypeInfo2Entry | undefined,
): EncryptionKey {
  if ('keys' in o.secret) {
    const key = o.secret.keys.find((k) => k.etype === etype);
    if (!key)
      throw gssError('NO_CREDENTIALS', `no key of etype ${etype} for ${formatPrincipal(o.client)}`, {
        details: { etype },
      });
    return key;
  }
  const enctype = getEnctype(etype, { allowRc4: o.allowRc4 ?? false });
  return enctype.stringToKey(o.secret.password, hint?.salt ?? defaultSalt(o.client), hint?.s2kparams);
}

/** Picks the first hinted etype (KDC preference) that we requested and can use. */
function chooseKey(o: GetInitialTicketOptions, hints: EtypeInfo2Entry[], etypes: number[]): KeyChoice {
  for (const entry of hints) {
    if (etypes.includes(entry.etype)) return { key: deriveKey(o, entry.etype, entry), entry };
  }
  if (hints.length === 0) return { key: deriveKey(o, etypes[0]!, undefined) };
  throw gssError(
    'ETYPE_NOT_SUPPORTED',
    `KDC offers only etypes ${hints.map((h) => h.etype).join(', ')} for ${formatPrincipal(o.client)}`,
    {
      origin: 'peer',
      details: { offered: hints.map((h) => h.etype), requested: etypes },
    },
  );
}

function encryptedTimestamp(o: GetInitialTicketOptions, key: EncryptionKey): PaData {
  const now = clockOf(o)();
  const ts = encodePaEncTsEnc({ patimestamp: now, pausec: (Math.floor(now) % 1000) * 1000 });
  const enctype = getEnctype(key.etype, { allowRc4: o.allowRc4 ?? false });
  const cipher = enctype.encrypt(key, KeyUsage.AS_REQ_PA_ENC_TIMESTAMP, ts, {
    confounder: randomOf(o)(enctype.confounderSize),
  });
  return paEncTimestamp(encodeEncryptedData({ etype: key.etype, cipher }));
}

/** Gets an initial ticket (a TGT by default) with a password or keytab keys. */
export async function getInitialTicket(o: GetInitialTicketOptions): Promise<KerberosCredential> {
  const opts = o.options ?? {};
  const realm = o.client.realm;
  const server = opts.service ?? tgsPrincipal(realm);
  const etypes = requestEtypes(o);
  const now = clockOf(o)();
  let kdcOptions = 0;
  if (opts.forwardable) kdcOptions |= KdcOptions.FORWARDABLE;
  if (opts.proxiable) kdcOptions |= KdcOptions.PROXIABLE;
  if (opts.renewable) kdcOptions |= KdcOptions.RENEWABLE;
  const pac = paPacRequest(opts.includePac ?? true);

  let padata: PaData[] = [pac];
  let choice: KeyChoice | undefined;
  for (let round = 0; round < 2; round++) {
    const nonce = makeNonce(randomOf(o));
    const body: KdcReqBody = {
      kdcOptions: kdcOptions >>> 0,
      cname: o.client.name,
      realm,
      sname: server.name,
      till: now + (opts.lifetimeSeconds ?? 36000) * 1000,
      nonce,
      etype: etypes,
    };
    if (opts.renewable) body.rtime = now + (opts.renewableLifetimeSeconds ?? 7 * 86400) * 1000;
    const reply: KdcReply = parseKdcReply(
      await sendToKdc(o, realm, encodeAsReq({ padata, reqBody: body })),
      'AS',
    );
    if (reply.kind === 'error') {
      const err = reply.error;
      if (err.errorCode === KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED && round === 0) {
        const methods = err.eData ? decodeMethodData(err.eData) : [];
        choice = chooseKey(o, etypeHints(methods), etypes);
        padata = [encryptedTimestamp(o, choice.key), pac];
        continue;
      }
      throw krbErrorToGssock(
        {
          errorCode: err.errorCode,
          ...(err.eText ? { eText: err.eText } : {}),
          ...(err.errorCode === KerberosErrorCode.KDC_ERR_WRONG_REALM
            ? { realm: err.crealm ?? err.realm }
            : {}),
          client: formatPrincipal(o.client),
        },
        'AS',
      );
    }
    const rep = reply.rep;
    // Without pre-authentication, the reply's own etype hints say how to make the key.
    let key = choice?.key;
    if (!key || key.etype !== rep.encPart.etype) {
      const hint =
        etypeHints(rep.padata).find((h) => h.etype === rep.encPart.etype) ??
        (choice?.entry?.etype === rep.encPart.etype ? choice.entry : undefined);
      if (!etypes.includes(rep.encPart.etype))
        throw gssError(
          'ETYPE_NOT_SUPPORTED',
          `AS-REP uses etype ${rep.encPart.etype}, which we did not request`,
          {
            origin: 'peer',
          },
        );
      key = deriveKey(o, rep.encPart.etype, hint);
    }
    return openKdcRep(rep, key, KeyUsage.AS_REP_ENC_PART, {
      exchange: 'AS',
      nonce,
      client: o.client,
      server,
      allowRc4: o.allowRc4 ?? false,
    });
  }
  throw gssError('PROTOCOL_ERROR', 'KDC asked for pre-authentication twice', { origin: 'peer' });
}
