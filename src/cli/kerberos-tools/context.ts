/**
 * What the Kerberos CLI tools share: krb5.conf and the MIT environment variables read
 * through CliIo's env, files through node:fs (present on Node, Deno and Bun), the network
 * KDC transport, and MIT-style error reporting ("kinit: <message>", exit 1).
 */
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import process from 'node:process';
import { gssError, isGssockError } from '../../core/errors.ts';
import { loadKrb5Conf, type Krb5Config } from '../../providers/kerberos/config/krb5-conf.ts';
import { type Krb5Environment, resolveKrb5Env } from '../../providers/kerberos/config/krb5-env.ts';
import { kdcOptionsFromConfig } from '../../providers/kerberos/kdc/from-config.ts';
import type { KdcClientOptions } from '../../providers/kerberos/kdc/kdc-client.ts';
import { createNetTransport } from '../../providers/kerberos/kdc/net-transport.ts';
import type { CliIo } from '../io.ts';

export interface ToolContext {
  io: CliIo;
  config: Krb5Config;
  env: Krb5Environment;
  /** Absolute path for a user-given path (relative to io.cwd). */
  path(p: string): string;
  kdc(purpose: 'tkt' | 'tgs'): KdcClientOptions;
  readFile(path: string, what: string): Uint8Array;
  /** Writes with mode 0600 through a temporary file and a rename (no half-written cache). */
  writeSecretFile(path: string, bytes: Uint8Array): void;
}

export function toolContext(io: CliIo): ToolContext {
  const path = (p: string) => (isAbsolute(p) ? p : join(io.cwd, p));
  const paths = (io.env.KRB5_CONFIG ?? '/etc/krb5.conf').split(':').filter(Boolean).map(path);
  const config = loadKrb5Conf(paths, {
    readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
    listDir: (d) => (existsSync(d) ? readdirSync(d) : []),
  });
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const env = resolveKrb5Env(io.env, { ...(uid === undefined ? {} : { uid }), config });
  const udpLimit = config.libdefaults.udpPreferenceLimit;
  return {
    io,
    config,
    env,
    path,
    kdc: (purpose) =>
      kdcOptionsFromConfig(config, createNetTransport({ udpPreferenceLimit: udpLimit }), { purpose }),
    readFile(p, what) {
      const full = path(p);
      try {
        return new Uint8Array(readFileSync(full));
      } catch (e) {
        const code = (e as { code?: string }).code;
        throw gssError(
          code === 'ENOENT' ? 'NO_CREDENTIALS' : 'IO_ERROR',
          `No ${what} found (filename: ${full})`,
          {
            cause: e,
            details: { path: full, errno: code },
          },
        );
      }
    },
    writeSecretFile(p, bytes) {
      const full = path(p);
      const tmp = `${full}.gssock-${process.pid}-${Date.now()}`;
      writeFileSync(tmp, bytes, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, full);
    },
  };
}

/** Runs a tool body; prints errors MIT-style and maps them to exit codes (usage 2, else 1). */
export async function runTool(
  name: string,
  io: CliIo,
  usage: string,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (e) {
    // GssockError's brand makes `instanceof UsageError` true for every GssockError: use the name.
    if (isGssockError(e) && e.name === 'UsageError') {
      io.stderr(`${name}: ${e.message}\n${usage}`);
      return 2;
    }
    if (isGssockError(e)) {
      io.stderr(`${name}: ${e.message}\n`);
      return 1;
    }
    io.stderr(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/** MIT getopt lets boolean flags be grouped (`-ef`); split those our tables know. */
export function expandShortFlags(args: string[], booleans: string): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (/^-[A-Za-z]{2,}$/.test(a) && [...a.slice(1)].every((c) => booleans.includes(c)))
      for (const c of a.slice(1)) out.push(`-${c}`);
    else out.push(a);
  }
  return out;
}

/** The first line of standard input (a password); NO_CREDENTIALS when there is none. */
export async function firstLine(io: CliIo): Promise<string> {
  const text = await io.readStdin();
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw gssError('NO_CREDENTIALS', 'no password given on standard input');
  return line;
}
