/**
 * The text MIT's gss-sample programs print, reproduced so scripts that parse the output
 * of gss-client / gss-server keep working. Each function names the gss-misc.c /
 * gss-client.c / gss-server.c routine whose output it copies; the exact strings were
 * checked against krb5 1.20's binaries (see references.md §6).
 */
import { type GssockError, toGssockError } from '../../core/errors.ts';
import { type ContextFlags, Flags } from '../../core/flags.ts';
import { fromUtf8 } from '../../core/bytes.ts';

/** display_ctx_flags(): one line per flag, CONF and INTEG with MIT's trailing space. */
export function displayCtxFlags(flags: ContextFlags): string {
  const lines: string[] = [];
  if (flags & Flags.DELEGATE) lines.push('context flag: GSS_C_DELEG_FLAG\n');
  if (flags & Flags.MUTUAL) lines.push('context flag: GSS_C_MUTUAL_FLAG\n');
  if (flags & Flags.REPLAY) lines.push('context flag: GSS_C_REPLAY_FLAG\n');
  if (flags & Flags.SEQUENCE) lines.push('context flag: GSS_C_SEQUENCE_FLAG\n');
  if (flags & Flags.CONF) lines.push('context flag: GSS_C_CONF_FLAG \n');
  if (flags & Flags.INTEG) lines.push('context flag: GSS_C_INTEG_FLAG \n');
  return lines.join('');
}

/** print_token(): "%02x " per byte, a newline after every 16th, then a final newline. */
export function printToken(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    out += `${(bytes[i] as number).toString(16).padStart(2, '0')} `;
    if (i % 16 === 15) out += '\n';
  }
  return `${out}\n`;
}

/** isprint() || isspace() in the C locale. */
function isTextByte(b: number | undefined): boolean {
  if (b === undefined) return true;
  return (b >= 0x20 && b <= 0x7e) || (b >= 0x09 && b <= 0x0d);
}

/** sign_server()'s "Received message: " line: quoted when the first two bytes look like text, else a hex dump. */
export function receivedMessage(message: Uint8Array): string {
  if (isTextByte(message[0]) && isTextByte(message[1])) return `Received message: "${fromUtf8(message)}"\n`;
  return `Received message: \n${printToken(message)}`;
}

/** gss_display_status() texts of the major codes (MIT mechglue g_dsp_status.c, as in libgssapi_krb5 1.20). */
const MAJOR_TEXT: Record<string, string> = {
  GSS_S_BAD_MECH: 'An unsupported mechanism was requested',
  GSS_S_BAD_NAME: 'An invalid name was supplied',
  GSS_S_BAD_NAMETYPE: 'A supplied name was of an unsupported type',
  GSS_S_BAD_BINDINGS: 'Incorrect channel bindings were supplied',
  GSS_S_BAD_STATUS: 'An invalid status code was supplied',
  GSS_S_BAD_SIG: 'A token had an invalid Message Integrity Check (MIC)',
  GSS_S_NO_CRED: 'No credentials were supplied, or the credentials were unavailable or inaccessible',
  GSS_S_NO_CONTEXT: 'No context has been established',
  GSS_S_DEFECTIVE_TOKEN: 'Invalid token was supplied',
  GSS_S_DEFECTIVE_CREDENTIAL: 'Invalid credential was supplied',
  GSS_S_CREDENTIALS_EXPIRED: 'The referenced credential has expired',
  GSS_S_CONTEXT_EXPIRED: 'The referenced context has expired',
  GSS_S_FAILURE: 'Unspecified GSS failure.  Minor code may provide more information',
  GSS_S_BAD_QOP: 'The quality-of-protection (QOP) requested could not be provided',
  GSS_S_UNAUTHORIZED: 'The operation is forbidden by local security policy',
  GSS_S_UNAVAILABLE: 'The operation or option is not available or unsupported',
  GSS_S_DUPLICATE_ELEMENT: 'The requested credential element already exists',
  GSS_S_NAME_NOT_MN: 'The provided name was not mechanism specific (MN)',
  GSS_S_DUPLICATE_TOKEN: 'The token was a duplicate of an earlier token',
  GSS_S_OLD_TOKEN: "The token's validity period has expired",
  GSS_S_UNSEQ_TOKEN: 'A later token has already been processed',
  GSS_S_GAP_TOKEN: 'An expected per-message token was not received',
};

/**
 * display_status(): "GSS-API error <where>: <major text>" then the same with the minor
 * (mechanism) text, which for gssock is the error's own message and code.
 */
export function displayStatus(where: string, error: unknown): string {
  const e: GssockError = toGssockError(error);
  const major = MAJOR_TEXT[e.gssMajor] ?? e.gssMajor;
  return `GSS-API error ${where}: ${major}\nGSS-API error ${where}: ${e.message} (${e.code})\n`;
}

/**
 * call_server()'s inquiry line:
 * `"alice@EXAMPLE.TEST" to "host/srv@EXAMPLE.TEST", lifetime 86399, flags 136, locally initiated, open`.
 * lifetime is seconds left (GSS_C_INDEFINITE, printed by %d as -1, when unknown).
 */
export function inquireLine(options: {
  source: string;
  target: string;
  lifetimeSeconds: number | undefined;
  flags: ContextFlags;
  locallyInitiated: boolean;
}): string {
  const life = options.lifetimeSeconds === undefined ? -1 : Math.max(0, Math.floor(options.lifetimeSeconds));
  const local = options.locallyInitiated ? 'locally initiated' : 'remotely initiated';
  return `"${options.source}" to "${options.target}", lifetime ${life}, flags ${(options.flags >>> 0).toString(16)}, ${local}, open\n`;
}
