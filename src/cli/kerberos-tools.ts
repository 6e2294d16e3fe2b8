/**
 * `gssock kinit | klist | kvno | ktutil`: MIT-compatible Kerberos tools in pure TypeScript.
 * They read and write the same FILE ccaches and keytabs as MIT (KRB5CCNAME, KRB5_KTNAME,
 * KRB5_CONFIG), print what MIT prints, and talk to the KDC through the gssock KDC client.
 */
import { existsSync } from 'node:fs';
import { gssError } from '../core/errors.ts';
import { type Ccache, parseCcache, serializeCcache } from '../providers/kerberos/ccache.ts';
import { ccacheTickets } from '../providers/kerberos/ccache-helpers.ts';
import { requireFilePath } from '../providers/kerberos/config/krb5-env.ts';
import { type ClientSecret, getInitialTicket } from '../providers/kerberos/kdc/as-exchange.ts';
import { acquireServiceTicket, newCcache } from '../providers/kerberos/kdc/ccache-workflow.ts';
import { formatPrincipal, parsePrincipal } from '../providers/kerberos/kdc/principal-name.ts';
import { findKeys, parseKeytab } from '../providers/kerberos/keytab.ts';
import { decodeTicket } from '../providers/kerberos/messages/index.ts';
import { flag, parseOptions, UsageError, valued } from './args.ts';
import type { CliIo } from './io.ts';
import {
  expandShortFlags,
  firstLine,
  runTool,
  type ToolContext,
  toolContext,
} from './kerberos-tools/context.ts';
import { listKeytab } from './kerberos-tools/keytab-commands.ts';
import { formatKlistEntry } from './kerberos-tools/mit-format.ts';

const KINIT_USAGE = `usage: gssock kinit [-c cache] [-f|-F] [-r renew-life] [-l lifetime] [-k [-t keytab] | --keytab keytab] principal
  The password is read from standard input (first line).
`;
const KLIST_USAGE = `usage: gssock klist [-e] [-f] [-c cache | cache]
       gssock klist -k [-e] [-t] [-K] [keytab] | --keytab keytab
`;
const KVNO_USAGE = 'usage: gssock kvno [-c cache] [-q] service1 service2 ...\n';

const ccacheLabel = (ctx: ToolContext, override?: string) =>
  override
    ? /^[A-Za-z]+:/.test(override)
      ? override
      : `FILE:${override}`
    : ctx.env.ccache.name.includes(':')
      ? ctx.env.ccache.name
      : `FILE:${ctx.env.ccache.name}`;

function ccachePath(ctx: ToolContext, override?: string): string {
  if (override) return ctx.path(override.replace(/^FILE:/, ''));
  return ctx.path(requireFilePath(ctx.env.ccache));
}

function keytabPath(ctx: ToolContext, override?: string, client = false): string {
  if (override) return ctx.path(override.replace(/^(WR)?FILE:/, ''));
  return ctx.path(requireFilePath(client ? ctx.env.clientKeytab : ctx.env.keytab));
}

function parseLifetime(text: string, what: string): number {
  const m = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(text.trim());
  if (/^\d+$/.test(text.trim())) return Number(text);
  if (!m || text.trim() === '') throw new UsageError(`bad ${what} "${text}"`);
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

/** `gssock kinit PRINCIPAL`: a TGT from a password on stdin or a keytab, into the ccache. */
export async function kinit(args: string[], io: CliIo): Promise<number> {
  return runTool('kinit', io, KINIT_USAGE, async () => {
    let cache: string | undefined;
    let useKeytab = false;
    let keytab: string | undefined;
    let forwardable: boolean | undefined;
    let renew: number | undefined;
    let lifetime: number | undefined;
    const rest = parseOptions(expandShortFlags(args, 'kfF'), {
      '-c': valued((v) => (cache = v)),
      '-k': flag(() => (useKeytab = true)),
      '-t': valued((v) => (keytab = v)),
      '--keytab': valued((v) => {
        useKeytab = true;
        keytab = v;
      }),
      '-f': flag(() => (forwardable = true)),
      '-F': flag(() => (forwardable = false)),
      '-r': valued((v) => (renew = parseLifetime(v, 'renewable lifetime'))),
      '-l': valued((v) => (lifetime = parseLifetime(v, 'lifetime'))),
      '--help': flag(() => {
        throw new UsageError('help requested');
      }),
    });
    if (rest.length > 1) throw new UsageError('too many arguments');
    const ctx = toolContext(io);
    const lib = ctx.config.libdefaults;
    let secret: ClientSecret;
    let clientText = rest[0];
    if (useKeytab) {
      const entries = parseKeytab(ctx.readFile(keytabPath(ctx, keytab, true), 'keytab')).entries;
      if (clientText === undefined) {
        if (!entries[0]) throw gssError('NO_CREDENTIALS', 'the keytab is empty');
        clientText = formatPrincipal(entries[0].principal);
      }
      const client = parsePrincipal(clientText, lib.defaultRealm);
      const keys = findKeys(entries, client).map((e) => e.key);
      if (keys.length === 0)
        throw gssError('NO_CREDENTIALS', `Keytab contains no suitable keys for ${formatPrincipal(client)}`);
      secret = { keys };
    } else {
      if (clientText === undefined) throw new UsageError('a principal is required');
      secret = { password: await firstLine(io) };
    }
    const client = parsePrincipal(clientText, lib.defaultRealm);
    const tgt = await getInitialTicket({
      ...ctx.kdc('tkt'),
      client,
      secret,
      options: {
        forwardable: forwardable ?? lib.forwardable,
        ...(renew ? { renewable: true, renewableLifetimeSeconds: renew } : {}),
        lifetimeSeconds: lifetime ?? Math.floor(lib.ticketLifetime / 1000),
      },
    });
    ctx.writeSecretFile(ccachePath(ctx, cache), serializeCcache(newCcache(tgt)));
    return 0;
  });
}

/** `gssock klist`: the ccache (or with -k a keytab), printed as MIT's klist prints it. */
export async function klist(args: string[], io: CliIo): Promise<number> {
  return runTool('klist', io, KLIST_USAGE, async () => {
    let cache: string | undefined;
    let keytabMode = false;
    let keytab: string | undefined;
    const show = { etypes: false, flags: false, times: false, keys: false };
    const rest = parseOptions(expandShortFlags(args, 'efkKtAa'), {
      '-c': valued((v) => (cache = v)),
      '-e': flag(() => (show.etypes = true)),
      '-f': flag(() => (show.flags = true)),
      '-a': flag(() => {}),
      '-k': flag(() => (keytabMode = true)),
      '-t': flag(() => (show.times = true)),
      '-K': flag(() => (show.keys = true)),
      '--keytab': valued((v) => {
        keytabMode = true;
        keytab = v;
      }),
    });
    if (rest.length > 1) throw new UsageError('too many arguments');
    const ctx = toolContext(io);
    if (keytabMode) {
      io.stdout(listKeytab(ctx, keytabPath(ctx, keytab ?? rest[0]), show));
      return 0;
    }
    const name = cache ?? rest[0];
    const file = ccachePath(ctx, name);
    if (!existsSync(file)) throw gssError('NO_CREDENTIALS', `No credentials cache found (filename: ${file})`);
    const cc: Ccache = parseCcache(ctx.readFile(file, 'credentials cache'));
    const label = name ? ccacheLabel(ctx, name) : ccacheLabel(ctx);
    const def = formatPrincipal(cc.defaultPrincipal);
    let out = `Ticket cache: ${label}\nDefault principal: ${def}\n\n`;
    out += 'Valid starting     Expires            Service principal\n';
    for (const c of ccacheTickets(cc)) {
      let ticketEtype: number | undefined;
      try {
        ticketEtype = decodeTicket(c.ticket).encPart.etype;
      } catch {
        ticketEtype = undefined;
      }
      const client = formatPrincipal(c.client);
      out += formatKlistEntry(
        {
          server: formatPrincipal(c.server),
          ...(client !== def ? { client } : {}),
          authTime: c.authtime,
          ...(c.starttime ? { startTime: c.starttime } : {}),
          endTime: c.endtime,
          ...(c.renewTill ? { renewTill: c.renewTill } : {}),
          flags: c.ticketFlags,
          sessionEtype: c.key.etype,
          ...(ticketEtype === undefined ? {} : { ticketEtype }),
        },
        show,
      );
    }
    io.stdout(out);
    return 0;
  });
}

/** `gssock kvno SPN...`: a service ticket per name into the ccache; prints MIT's line. */
export async function kvno(args: string[], io: CliIo): Promise<number> {
  return runTool('kvno', io, KVNO_USAGE, async () => {
    let cache: string | undefined;
    let quiet = false;
    const names = parseOptions(args, {
      '-c': valued((v) => (cache = v)),
      '-q': flag(() => (quiet = true)),
    });
    if (names.length === 0) throw new UsageError('no service names given');
    const ctx = toolContext(io);
    const file = ccachePath(ctx, cache);
    let bytes = ctx.readFile(file, 'credentials cache');
    let failed = 0;
    for (const name of names) {
      try {
        const server = parsePrincipal(name, ctx.config.libdefaults.defaultRealm);
        const got = await acquireServiceTicket({ ...ctx.kdc('tgs'), ccache: bytes, server });
        if (!got.fromCache) {
          bytes = got.ccacheBytes;
          ctx.writeSecretFile(file, bytes);
        }
        if (!quiet) io.stdout(`${formatPrincipal(server)}: kvno = ${got.credential.ticketKvno ?? 0}\n`);
      } catch (e) {
        failed++;
        io.stderr(
          `kvno: ${e instanceof Error ? e.message : String(e)} while getting credentials for ${name}\n`,
        );
      }
    }
    return failed ? 1 : 0;
  });
}

export { ktutil } from './kerberos-tools/keytab-commands.ts';
