/**
 * `gssock client`: a drop-in for MIT's gss-client (src/appl/gss-sample/gss-client.c).
 * Same options, same defaults (port 4444, MUTUAL|REPLAY requested), same stdout; one
 * TCP connection and one context per -ccount, one after another, -mcount messages each;
 * exit 1 at the first failure. gssock's extras are double-dash options.
 *
 * Difference from MIT on purpose: when mutual authentication is requested (the default)
 * and the server does not prove itself, the engine fails the handshake (MIT's sample only
 * leaves GSS_C_MUTUAL_FLAG out of its flag lines).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { toGssockError } from '../core/errors.ts';
import { DEFAULT_FLAGS, Flags } from '../core/flags.ts';
import { utf8 } from '../core/bytes.ts';
import { connect } from '../transport/adapters/auto.ts';
import { frameChannel } from '../transport/frame-channel.ts';
import { codecByName } from '../transport/framing/index.ts';
import {
  type FramingName,
  type OptionTable,
  UsageError,
  flag,
  parseFraming,
  parseInteger,
  parseOptions,
  valued,
} from './args.ts';
import { receiveDeadline } from './gss-sample/channel-tools.ts';
import { runSampleClient } from './gss-sample/client-session.ts';
import { displayStatus } from './gss-sample/mit-text.ts';
import { isTransportError, stageOf } from './gss-sample/protocol-common.ts';
import type { CliIo } from './io.ts';
import { EXIT_USAGE } from './io.ts';
import { type MockMisbehave, findMechanism, parseMockMisbehave } from './mechanisms.ts';
import { MechOids } from './oids.ts';
import { CLIENT_USAGE } from './usage.ts';

export interface ClientSettings {
  port: number;
  host: string;
  service: string;
  msg: string;
  mech: string;
  flags: number;
  auth: boolean;
  wrap: boolean;
  encrypt: boolean;
  mic: boolean;
  v1: boolean;
  useFile: boolean;
  verbose: boolean;
  ccount: number;
  mcount: number;
  user?: string;
  password?: string;
  framing: FramingName;
  mockSecret?: string;
  mockMisbehave?: MockMisbehave;
  timeoutMs: number;
}

/** Parses gss-client's command line (plus gssock's extras) in MIT's order-sensitive way. */
export function parseClientArgs(args: string[]): ClientSettings {
  const s: Partial<ClientSettings> & Omit<ClientSettings, 'host' | 'service' | 'msg'> = {
    port: 4444,
    mech: 'kerberos',
    flags: DEFAULT_FLAGS,
    auth: true,
    wrap: true,
    encrypt: true,
    mic: true,
    v1: false,
    useFile: false,
    verbose: true,
    ccount: 1,
    mcount: 1,
    framing: 'gss-sample',
    timeoutMs: 10_000,
  };
  let spnego = false;
  const table: OptionTable = {
    '-port': valued((v) => (s.port = parseInteger(v, '-port', 0, 65535))),
    '-mech': valued((v) => (s.mech = v)),
    '-spnego': flag(() => (spnego = true)),
    '-iakerb': flag(() => (s.mech = MechOids.IAKERB)),
    '-krb5': flag(() => (s.mech = MechOids.KERBEROS_OLD)),
    '-d': flag(() => (s.flags |= Flags.DELEGATE)),
    '-seq': flag(() => (s.flags |= Flags.SEQUENCE)),
    '-noreplay': flag(() => (s.flags &= ~Flags.REPLAY)),
    '-nomutual': flag(() => (s.flags &= ~Flags.MUTUAL)),
    '-user': valued((v) => (s.user = v)),
    '-pass': valued((v) => (s.password = v)),
    '-f': flag(() => (s.useFile = true)),
    '-q': flag(() => (s.verbose = false)),
    '-ccount': valued((v) => (s.ccount = parseInteger(v, '-ccount', 1, 1_000_000))),
    '-mcount': valued((v) => (s.mcount = parseInteger(v, '-mcount', 0, 1_000_000_000))),
    '-na': flag(() => (s.auth = s.wrap = s.encrypt = s.mic = false)),
    '-nw': flag(() => (s.wrap = false)),
    '-nx': flag(() => (s.encrypt = false)),
    '-nm': flag(() => (s.mic = false)),
    '-v1': flag(() => (s.v1 = true)),
    '--mech': valued((v) => (s.mech = v)),
    '--framing': valued((v) => (s.framing = parseFraming(v))),
    '--mock-secret': valued((v) => (s.mockSecret = v)),
    '--mock-misbehave': valued((v) => (s.mockMisbehave = parseMockMisbehave(v))),
    '--timeout': valued((v) => (s.timeoutMs = parseInteger(v, '--timeout', 0, 86_400_000))),
  };
  const rest = parseOptions(args, table);
  if (rest.length !== 3)
    throw new UsageError(`expected host, service and msg, got ${rest.length} argument(s)`);
  // -spnego wins over -mech, as in client_establish_context() (-mech then only narrows SPNEGO).
  if (spnego) s.mech = 'negotiate';
  const flagless = s.v1 || s.framing !== 'gss-sample';
  if (flagless && !s.auth)
    throw new UsageError('-na needs the gss-sample flag bytes (not with -v1 or --framing u32be/u32le)');
  if (flagless && (!s.wrap || !s.mic))
    throw new UsageError(
      '-nw and -nm need the gss-sample flag bytes: without them the server always unwraps and signs',
    );
  const [host, service, msg] = rest as [string, string, string];
  return { ...s, host, service, msg };
}

/** gss-client's main(): returns the exit code. */
export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(CLIENT_USAGE);
    return 0;
  }
  let settings: ClientSettings;
  try {
    settings = parseClientArgs(args);
  } catch (e) {
    io.stderr(`gssock client: ${toGssockError(e).message}\n${CLIENT_USAGE}`);
    return EXIT_USAGE;
  }
  return runClient(settings, io);
}

/** Runs the -ccount connections; 0 when every one succeeded. */
export async function runClient(settings: ClientSettings, io: CliIo): Promise<number> {
  let message: Uint8Array;
  if (settings.useFile) {
    try {
      message = new Uint8Array(readFileSync(resolve(io.cwd, settings.msg)));
    } catch (e) {
      io.stderr(`open: ${toGssockError(e).message}\nCouldn't open file ${settings.msg}\n`);
      return 1;
    }
  } else message = utf8(settings.msg);

  const entry = (() => {
    try {
      return findMechanism(settings.mech);
    } catch (e) {
      io.stdout(displayStatus('str_to_oid', e));
      return undefined;
    }
  })();
  if (!entry) return 1;
  let mechanism: Awaited<ReturnType<typeof entry.factory>> | undefined;
  if (settings.auth) {
    try {
      mechanism = await entry.factory({
        role: 'initiator',
        ...(settings.user !== undefined ? { user: settings.user } : {}),
        ...(settings.password !== undefined ? { password: settings.password } : {}),
        ...(settings.mockSecret !== undefined ? { mockSecret: settings.mockSecret } : {}),
        ...(settings.mockMisbehave ? { mockMisbehave: settings.mockMisbehave } : {}),
        env: io.env,
        cwd: io.cwd,
      });
    } catch (e) {
      io.stdout(displayStatus('acquiring creds', e));
      return 1;
    }
  }

  const flagless = settings.v1 || settings.framing !== 'gss-sample';
  const out = settings.verbose ? (text: string) => io.stdout(text) : undefined;
  for (let i = 0; i < settings.ccount; i++) {
    let stream: Awaited<ReturnType<typeof connect>>;
    try {
      stream = await connect({ host: settings.host, port: settings.port });
    } catch (e) {
      io.stderr(`connecting to server: ${toGssockError(e).message}\n`);
      return 1;
    }
    const channel = receiveDeadline(frameChannel(stream, codecByName(settings.framing)), settings.timeoutMs);
    try {
      const context = mechanism
        ? await mechanism.createContext('initiator', { target: settings.service, flags: settings.flags })
        : null;
      await runSampleClient({
        channel,
        context,
        requiredFlags: settings.flags & Flags.MUTUAL,
        flagless,
        wrap: settings.wrap,
        encrypt: settings.encrypt,
        mic: settings.mic,
        message,
        count: settings.mcount,
        timeoutMs: settings.timeoutMs,
        ...(out ? { out } : {}),
        nameTypes: { source: entry.sourceNameType, supported: entry.nameTypes },
      });
    } catch (e) {
      const error = toGssockError(e);
      const stage = stageOf(error) ?? 'initializing context';
      io.stdout(isTransportError(error) ? `${stage}: ${error.message}\n` : displayStatus(stage, error));
      return 1;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
  return 0;
}
