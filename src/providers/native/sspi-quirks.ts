/**
 * Where Wine's secur32 differs from Windows, as named switches of SspiContext. The default
 * (WINDOWS_SSPI) is what Windows documents and does; WINE_SSPI is what Wine 8.0 needs.
 * gssock never guesses: a caller (the Wine test path, test/wine) chooses the profile
 * explicitly, e.g. after seeing ntdll export `wine_get_version`. Facts: references §7.
 *
 * 1. `kerberosWrapLayout` — how a Kerberos EncryptMessage/DecryptMessage token maps onto
 *    SecBuffers (RFC 4121 §4.2.6.2 token, references §1.8):
 *    - 'windows': EncryptMessage(TOKEN[cbSecurityTrailer], DATA, PADDING[cbBlockSize]) and
 *      the wire token is TOKEN ‖ DATA ‖ PADDING (Windows rotates the token, RRC ≠ 0, so the
 *      trailer comes first); DecryptMessage(STREAM = whole token, DATA = output).
 *    - 'wine': Wine 8.0 calls gss_wrap and cuts MIT's RRC=0 token after len(DATA) bytes:
 *      the first part goes into DATA, the rest into TOKEN, so the wire token is DATA ‖ TOKEN
 *      and PADDING is left untouched. Its DecryptMessage takes no STREAM buffer: it glues
 *      DATA ‖ TOKEN back, unwraps, and copies len(DATA) bytes of plaintext into DATA, so
 *      DATA must be exactly as long as the plaintext (see wineSplit).
 * 2. `trailerFloor` — Wine reports cbSecurityTrailer 49 (a constant) where an AES token
 *    needs 60 (aes*-sha1: header 16 + confounder 16 + header copy 16 + HMAC 12) or 72
 *    (aes256-sha384: 24-byte HMAC); it refuses a smaller TOKEN with SEC_E_BUFFER_TOO_SMALL.
 * 3. `signatureFloor` — Wine reports cbMaxSignature 37 and copies MIT's MIC into the TOKEN
 *    buffer WITHOUT checking its size: a 40-byte aes256-sha384 MIC would overrun 37 bytes.
 * 4. `kerberosChecksumBytes` — (wine layout) the HMAC length assumed for sealed tokens
 *    until the context has shown its own (from its first MakeSignature or EncryptMessage):
 *    12 for aes*-cts-hmac-sha1-96, the enctypes Windows and AD use.
 * 5. `allocateTokens` — Windows honours ISC_REQ_ALLOCATE_MEMORY / ASC_REQ_ALLOCATE_MEMORY
 *    (SSPI allocates the output token, freed with FreeContextBuffer). Wine 8.0 ignores the
 *    flag ("flags 0x100 not supported") and fails with SEC_E_INCOMPLETE_MESSAGE when the
 *    TOKEN buffer is empty: there gssock passes a buffer of the package's cbMaxToken
 *    (QuerySecurityPackageInfoW), as Microsoft's samples do (references §1.7).
 * Other Wine 8.0 deviations, handled where they bite: SECPKG_ATTR_NAMES is unsupported
 * (info() names are then empty); Negotiate emits raw Kerberos or NTLM tokens, no SPNEGO;
 * the NTLM acceptor needs ntlm_auth to be given the password and seals with zero keys.
 */
import { gssError } from '../../core/errors.ts';

export interface SspiQuirks {
  kerberosWrapLayout: 'windows' | 'wine';
  trailerFloor: number;
  signatureFloor: number;
  kerberosChecksumBytes: number;
  allocateTokens: boolean;
}

/** Windows as documented: trust SECPKG_ATTR_SIZES, TOKEN-first tokens. The default. */
export const WINDOWS_SSPI: Readonly<SspiQuirks> = Object.freeze({
  kerberosWrapLayout: 'windows',
  trailerFloor: 0,
  signatureFloor: 0,
  kerberosChecksumBytes: 12,
  allocateTokens: true,
});

/** Wine 8.0's secur32 (Kerberos over MIT's libgssapi_krb5). */
export const WINE_SSPI: Readonly<SspiQuirks> = Object.freeze({
  kerberosWrapLayout: 'wine',
  trailerFloor: 72,
  signatureFloor: 40,
  kerberosChecksumBytes: 12,
  allocateTokens: false,
});

export function resolveQuirks(q: 'windows' | 'wine' | Partial<SspiQuirks> | undefined): SspiQuirks {
  if (q === undefined || q === 'windows') return { ...WINDOWS_SSPI };
  if (q === 'wine') return { ...WINE_SSPI };
  return { ...WINDOWS_SSPI, ...q };
}

/** The RFC 4121 §4.2.6.2 header fields the wine layout needs. */
export interface CfxHeader {
  sealed: boolean;
  ec: number;
}

/** Parses a CFX wrap token header (TOK_ID 05 04); DEFECTIVE_TOKEN (peer) otherwise. */
export function cfxWrapHeader(token: Uint8Array): CfxHeader {
  if (token.length < 16 || token[0] !== 0x05 || token[1] !== 0x04 || token[3] !== 0xff)
    throw gssError(
      'DEFECTIVE_TOKEN',
      'not an RFC 4121 wrap token (the wine Kerberos layout handles CFX tokens only; RFC 4757 RC4 tokens are not supported there)',
      { origin: 'peer' },
    );
  return { sealed: (token[2]! & 0x02) !== 0, ec: (token[4]! << 8) | token[5]! };
}

/**
 * Wine layout: how many leading bytes of a received token must go into DATA so that
 * len(DATA) equals the plaintext length. Unsealed: header 16 + plaintext + EC checksum
 * bytes. Sealed: header 16 + E(confounder 16 + plaintext + EC filler + header copy 16) +
 * HMAC (RFC 4121 §4.2.4; AES confounder = one block, RFC 3962).
 */
export function wineSplit(token: Uint8Array, checksumBytes: number): number {
  const h = cfxWrapHeader(token);
  const overhead = h.sealed ? 16 + 16 + h.ec + 16 + checksumBytes : 16 + h.ec;
  const data = token.length - overhead;
  if (data < 0)
    throw gssError('DEFECTIVE_TOKEN', `wrap token of ${token.length} bytes is shorter than its overhead`, {
      origin: 'peer',
    });
  return data;
}

/** The HMAC length a CFX MIC token (16-byte header + checksum) shows. */
export function checksumOfMic(mic: Uint8Array): number | undefined {
  return mic.length > 16 && mic[0] === 0x04 && mic[1] === 0x04 ? mic.length - 16 : undefined;
}

/** The HMAC length our own sealed CFX wrap token (DATA ‖ TOKEN) shows, given its plaintext length. */
export function checksumOfWrap(token: Uint8Array, plaintextLength: number): number | undefined {
  if (token.length < 16 || token[0] !== 0x05 || token[1] !== 0x04) return undefined;
  const h = cfxWrapHeader(token);
  if (!h.sealed) return undefined;
  const c = token.length - plaintextLength - 48 - h.ec;
  return c > 0 ? c : undefined;
}
