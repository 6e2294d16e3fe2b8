/**
 * Per-message protection of an established Kerberos context: RFC 4121 tokens for every
 * enctype but arcfour-hmac, RFC 4757 tokens for arcfour-hmac (23), with the replay and
 * sequence window of the flags granted.
 *
 * Keys (RFC 4121 §2, MIT init_sec_context.c mutual_auth): the acceptor subkey when the
 * AP-REP carried one (and it is to be used), else the initiator's subkey (or the ticket
 * session key when there was none). The token format follows the key in use: an AES
 * acceptor subkey upgrades an RC4 ticket's context to RFC 4121 tokens, as MIT does.
 * Sequence numbers: each side sends from its own initial number (Authenticator /
 * EncAPRepPart seq-number); without an AP-REP both directions use the initiator's.
 */
import { gssError, GssockError } from '../../../core/errors.ts';
import type { UnwrapResult, WrapOptions } from '../../../core/mechanism.ts';
import { wipe } from '../../../core/bytes.ts';
import { forgetDerivedKeys } from '../crypto/derived-keys.ts';
import { getEnctype } from '../crypto/registry.ts';
import { KRB5_MECH_OID } from '../messages/gss-token.ts';
import type { EncryptionKey } from '../types.ts';
import { type CfxKeys, getMicCfx, unwrapCfx, verifyMicCfx, wrapCfx } from './cfx-tokens.ts';
import { getMicRc4, unwrapRc4, verifyMicRc4, wrapRc4 } from './rfc4757-tokens.ts';
import { SequenceWindow } from './sequence-window.ts';

const RC4 = 23;

export interface ProtectionOptions {
  acceptor: boolean;
  /** Initiator subkey, or the ticket session key. */
  initiatorKey: EncryptionKey;
  acceptorSubkey?: EncryptionKey;
  /** Our first sequence number and the peer's. */
  sendSeq: number;
  recvSeq: number;
  replay: boolean;
  sequence: boolean;
  allowRc4: boolean;
  /** The context's mechanism OID (frames RFC 4757 tokens); default krb5. */
  mechOid?: string;
}

export class Protection {
  readonly acceptor: boolean;
  readonly rfc4757: boolean;
  readonly #cfx: CfxKeys | undefined;
  readonly #rc4Key: EncryptionKey | undefined;
  readonly #keys: EncryptionKey[];
  #sendSeq: bigint;
  readonly #window: SequenceWindow;
  readonly #mechOid: string;

  constructor(o: ProtectionOptions) {
    this.acceptor = o.acceptor;
    this.#mechOid = o.mechOid ?? KRB5_MECH_OID;
    const effective = o.acceptorSubkey ?? o.initiatorKey;
    this.rfc4757 = effective.etype === RC4;
    this.#keys = [o.initiatorKey, ...(o.acceptorSubkey ? [o.acceptorSubkey] : [])];
    if (this.rfc4757) {
      enctypeOf(effective, o.allowRc4);
      this.#rc4Key = effective;
    } else {
      this.#cfx = {
        initiatorKey: { key: o.initiatorKey, enctype: enctypeOf(o.initiatorKey, o.allowRc4) },
        ...(o.acceptorSubkey
          ? { acceptorSubkey: { key: o.acceptorSubkey, enctype: enctypeOf(o.acceptorSubkey, o.allowRc4) } }
          : {}),
      };
    }
    const modulus = this.rfc4757 ? 1n << 32n : 1n << 64n;
    this.#sendSeq = BigInt(o.sendSeq >>> 0);
    this.#window = new SequenceWindow({
      initial: BigInt(o.recvSeq >>> 0),
      replay: o.replay,
      sequence: o.sequence,
      modulus,
    });
  }

  /** The key messages are protected with (SSPI SECPKG_ATTR_SESSION_KEY equivalent). */
  get sessionKey(): EncryptionKey {
    return this.#rc4Key ?? this.#cfx!.acceptorSubkey?.key ?? this.#cfx!.initiatorKey.key;
  }

  #nextSeq(): bigint {
    const s = this.#sendSeq;
    this.#sendSeq = this.rfc4757 ? (s + 1n) & 0xffffffffn : BigInt.asUintN(64, s + 1n);
    return s;
  }

  wrap(message: Uint8Array, options: WrapOptions = {}): Uint8Array {
    checkQop(options.qop);
    const conf = options.confidential ?? true;
    const seq = this.#nextSeq();
    if (this.#rc4Key)
      return wrapRc4(
        { key: this.#rc4Key, acceptor: this.acceptor, mechOid: this.#mechOid },
        Number(seq),
        message,
        conf,
      );
    return wrapCfx({ keys: this.#cfx!, acceptor: this.acceptor }, seq, message, conf);
  }

  unwrap(token: Uint8Array): UnwrapResult {
    return peerGuard(() => {
      if (this.#rc4Key) {
        const r = unwrapRc4({ key: this.#rc4Key, acceptor: this.acceptor, mechOid: this.#mechOid }, token);
        this.#window.check(BigInt(r.seq));
        return { message: r.message, confidential: r.confidential, qop: 0 };
      }
      const r = unwrapCfx({ keys: this.#cfx!, acceptor: this.acceptor }, token);
      this.#window.check(r.seq);
      return { message: r.message, confidential: r.confidential, qop: 0 };
    });
  }

  getMic(message: Uint8Array, qop?: number): Uint8Array {
    checkQop(qop);
    const seq = this.#nextSeq();
    if (this.#rc4Key)
      return getMicRc4(
        { key: this.#rc4Key, acceptor: this.acceptor, mechOid: this.#mechOid },
        Number(seq),
        message,
      );
    return getMicCfx({ keys: this.#cfx!, acceptor: this.acceptor }, seq, message);
  }

  verifyMic(message: Uint8Array, mic: Uint8Array): void {
    peerGuard(() => {
      const seq = this.#rc4Key
        ? BigInt(
            verifyMicRc4(
              { key: this.#rc4Key, acceptor: this.acceptor, mechOid: this.#mechOid },
              message,
              mic,
            ),
          )
        : verifyMicCfx({ keys: this.#cfx!, acceptor: this.acceptor }, message, mic);
      this.#window.check(seq);
    });
  }

  dispose(): void {
    for (const k of this.#keys) {
      forgetDerivedKeys(k.value);
      wipe(k.value);
    }
  }
}

// A module function, not a closure per constructor call (context setup is per handshake).
function enctypeOf(k: EncryptionKey, allowRc4: boolean) {
  return getEnctype(k.etype, { allowRc4 });
}

function checkQop(qop: number | undefined): void {
  if (qop !== undefined && qop !== 0)
    throw gssError('INVALID_ARGUMENT', `Kerberos supports only the default QOP (0), got ${qop}`);
}

/** Anything unexpected while reading a peer's token is the token's fault, never a crash. */
function peerGuard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GssockError) throw e;
    throw gssError('DEFECTIVE_TOKEN', `malformed per-message token: ${(e as Error)?.message ?? e}`, {
      origin: 'peer',
      cause: e,
    });
  }
}
