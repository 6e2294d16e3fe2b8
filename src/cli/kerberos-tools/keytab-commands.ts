/**
 * Keytab commands: `gssock ktutil add|list` and the keytab listing `gssock klist -k` shares.
 * Keys from a password use the RFC 4120 §4 default salt (realm + name components) unless
 * --salt is given, and each enctype's default string-to-key parameters, as MIT ktutil does.
 */
import { existsSync } from 'node:fs';
import { getEnctype } from '../../providers/kerberos/crypto/registry.ts';
import { defaultSalt, formatPrincipal, parsePrincipal } from '../../providers/kerberos/kdc/principal-name.ts';
import { type KeytabEntry, parseKeytab, serializeKeytab } from '../../providers/kerberos/keytab.ts';
import { flag, parseInteger, parseOptions, UsageError, valued } from '../args.ts';
import type { CliIo } from '../io.ts';
import { expandShortFlags, firstLine, runTool, type ToolContext, toolContext } from './context.ts';
import { mitEnctypeName, mitTimestamp, parseEnctypeName } from './mit-format.ts';

const KTUTIL_USAGE = `usage: gssock ktutil add --keytab FILE --principal P (--password-stdin | --password PW)
                          --kvno N [--enctypes e1,e2] [--salt S]
       gssock ktutil list --keytab FILE [-e] [-t] [-K]
`;

/** MIT klist -k layout (-e enctypes, -t timestamps, -K key bytes). */
export function listKeytab(
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
