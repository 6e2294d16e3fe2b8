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
import { getEnctype } from '../providers/kerberos/crypto/registry.ts';
import { type ClientSecret, getInitialTicket } from '../providers/kerberos/kdc/as-exchange.ts';
import { acquireServiceTicket, newCcache } from '../providers/kerberos/kdc/ccache-workflow.ts';
import { defaultSalt, formatPrincipal, parsePrincipal } from '../providers/kerberos/kdc/principal-name.ts';
import { findKeys, type KeytabEntry, parseKeytab, serializeKeytab } from '../providers/kerberos/keytab.ts';
import { decodeTicket } from '../providers/kerberos/messages/index.ts';
import { flag, parseInteger, parseOptions, UsageError, valued } from './args.ts';
import type { CliIo } from './io.ts';
import { expandShortFlags, runTool, type ToolContext, toolContext } from './kerberos-tools/context.ts';
import {
  formatKlistEntry,
  mitEnctypeName,
  mitTimestamp,
  parseEnctypeName,
} from './kerberos-tools/mit-format.ts';

const KINIT_USAGE = `usage: gssock kinit [-c cache] [-f|-F] [-r renew-life] [-l lifetime] [-k [-t keytab] | --keytab keytab] principal
  The password is read from standard input (first line).
`;
const KLIST_USAGE = `usage: gssock klist [-e] [-f] [-c cache | cache]
       gssock klist -k [-e] [-t] [-K] [keytab] | --keytab keytab
`;
const KVNO_USAGE = 'usage: gssock kvno [-c cache] [-q] service1 service2 ...\n';
const KTUTIL_USAGE = `usage: gssock ktutil add --keytab FILE --principal P (--password-stdin | --password PW)
                          --kvno N [--enctypes e1,e2] [--salt S]
       gssock ktutil list --keytab FILE [-e] [-t] [-K]
`;

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

async function firstLine(io: CliIo): Promise<string> {
  const text = await io.readStdin();
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw gssError('NO_CREDENTIALS', 'no password given on standard input');
  return line;
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

function listKeytab(
  ctx: ToolContext,
  file: string,
  o: { etypes: boolean; times: boolean; keys: boolean },
): string {
  const entries = parseKeytab(ctx.readFile(file, 'keytab')).entries;
  let out = `Keytab name: FILE:${file}\n`;
  out += o.times ? 'KVNO Timestamp         Principal\n' : 'KVNO Principal\n';
  out += o.times
    ? '---- ----------------- --------------------------------------------------------\n'
    : '---- --------------------------------------------------------------------------\n';
  for (const e of entries) {
    out += `${String(e.kvno).padStart(4)} `;
    if (o.times) out += `${mitTimestamp(e.timestamp)} `;
    out += formatPrincipal(e.principal);
    if (o.etypes) out += ` (${mitEnctypeName(e.key.etype)}) `;
    if (o.keys) out += ` (0x${[...e.key.value].map((b) => b.toString(16).padStart(2, '0')).join('')})`;
    out += '\n';
  }
  return out;
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

function parseEnctypes(text: string, allowRc4: boolean): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((n) => {
      const e = parseEnctypeName(n);
      if (e === undefined) throw new UsageError(`unknown enctype "${n}"`);
      getEnctype(e, { allowRc4 });
      return e;
    });
}

/** `gssock ktutil add|list`: keytab entries from a password (with the right salt), or a listing. */
export async function ktutil(args: string[], io: CliIo): Promise<number> {
  return runTool('ktutil', io, KTUTIL_USAGE, async () => {
    const [sub, ...rest] = args;
    let keytab: string | undefined;
    let principal: string | undefined;
    let password: string | undefined;
    let passwordStdin = false;
    let kvnoValue: number | undefined;
    let enctypes: string | undefined;
    let salt: string | undefined;
    const show = { etypes: true, times: false, keys: false };
    const left = parseOptions(expandShortFlags(rest, 'etK'), {
      '--keytab': valued((v) => (keytab = v)),
      '-k': valued((v) => (keytab = v)),
      '--principal': valued((v) => (principal = v)),
      '-p': valued((v) => (principal = v)),
      '--password': valued((v) => (password = v)),
      '--password-stdin': flag(() => (passwordStdin = true)),
      '--kvno': valued((v) => (kvnoValue = parseInteger(v, 'kvno', 0, 0xffffffff))),
      '--enctypes': valued((v) => (enctypes = v)),
      '-e': flag(() => (show.etypes = true)),
      '-t': flag(() => (show.times = true)),
      '-K': flag(() => (show.keys = true)),
      '--salt': valued((v) => (salt = v)),
    });
    if (left.length > 0) throw new UsageError(`unexpected argument "${left[0]}"`);
    if (!keytab) throw new UsageError('--keytab is required');
    const ctx = toolContext(io);
    const file = ctx.path(keytab.replace(/^(WR)?FILE:/, ''));
    if (sub === 'list') {
      io.stdout(listKeytab(ctx, file, show));
      return 0;
    }
    if (sub !== 'add') throw new UsageError(`unknown ktutil command "${sub ?? ''}"`);
    if (!principal) throw new UsageError('--principal is required');
    if (kvnoValue === undefined) throw new UsageError('--kvno is required');
    if (password === undefined && !passwordStdin)
      throw new UsageError('--password-stdin or --password is required');
    const pw = password ?? (await firstLine(io));
    const p = parsePrincipal(principal, ctx.config.libdefaults.defaultRealm);
    const allowRc4 = true; // writing an RC4 key is an explicit request; using it stays gated
    const list = enctypes ? parseEnctypes(enctypes, allowRc4) : [18, 17];
    const existing = existsSync(file) ? parseKeytab(ctx.readFile(file, 'keytab')).entries : [];
    const now = Date.now();
    const added: KeytabEntry[] = list.map((etype) => ({
      principal: p,
      timestamp: now,
      kvno: kvnoValue!,
      key: getEnctype(etype, { allowRc4 }).stringToKey(pw, salt ?? defaultSalt(p)),
    }));
    ctx.writeSecretFile(file, serializeKeytab({ version: 2, entries: [...existing, ...added] }));
    return 0;
  });
}
