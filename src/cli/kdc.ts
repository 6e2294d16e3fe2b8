/**
 * `gssock kdc`: the gssock KDC as a loopback server for MIT tools and other processes.
 * Reads a small realm file, listens on 127.0.0.1 (TCP and UDP, one port), prints the
 * krb5.conf lines MIT's tools need, writes service keytabs where the file asks, and runs
 * until Ctrl-C (SIGINT) or SIGTERM.
 *
 * Realm file, JSON:
 *   { "realm": "EXAMPLE.TEST", "enctypes": ["aes256-cts-hmac-sha1-96"], "allowRc4": false,
 *     "port": 8888,
 *     "principals": { "alice": { "password": "secret" },
 *                     "host/localhost": { "randkey": true, "keytab": "host.keytab" } } }
 * or the same as lines (`#` comments):
 *   realm EXAMPLE.TEST
 *   enctypes aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
 *   allow_rc4
 *   port 8888
 *   principal alice password=secret
 *   principal host/localhost randkey keytab=host.keytab
 * Principal attributes (both forms): password, randkey, keytab, requiresPreauth,
 * forwardable, renewable, maxLifeSeconds, rid, groups (JSON array / comma list).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { isAbsolute, join } from 'node:path';
import { toGssockError } from '../core/errors.ts';
import { type PrincipalSpec, type RunningKdc, startKdc } from '../kdc/index.ts';
import { type OptionTable, UsageError, parseInteger, parseOptions, valued } from './args.ts';
import type { CliIo } from './io.ts';
import { EXIT_USAGE } from './io.ts';

export const KDC_USAGE = `Usage: gssock kdc [--realm-file file] [--port port] [--host address] [--krb5-conf file]
  Runs the gssock KDC on loopback TCP and UDP until Ctrl-C, and prints the krb5.conf
  lines MIT's tools need (KRB5_CONFIG=file kinit alice). Without a realm file: realm
  GSSOCK.TEST with alice (password "alice") and host/localhost (random keys).
  --realm-file  JSON or text realm description (see the docs of src/cli/kdc.ts)
  --port        port for TCP and UDP (default: the file's, else a free one)
  --host        address to bind (default 127.0.0.1)
  --krb5-conf   also write the krb5.conf lines to this file
`;

interface PrincipalFileEntry extends PrincipalSpec {
  randkey?: boolean;
  keytab?: string;
}

export interface RealmFile {
  realm: string;
  enctypes?: string[];
  allowRc4?: boolean;
  port?: number;
  principals: Record<string, PrincipalFileEntry>;
}

const DEFAULT_REALM: RealmFile = {
  realm: 'GSSOCK.TEST',
  principals: { alice: { password: 'alice' }, 'host/localhost': { randkey: true } },
};

function attribute(entry: PrincipalFileEntry, key: string, value: string | undefined, line: number): void {
  const bool = () => value === undefined || value === 'true' || value === 'yes';
  const num = () => parseInteger(value ?? '', `line ${line}: ${key}`, 0, 0x7fffffff);
  switch (key) {
    case 'password':
      if (value === undefined) throw new UsageError(`line ${line}: password needs =value`);
      entry.password = value;
      return;
    case 'randkey':
      entry.randkey = true;
      return;
    case 'keytab':
      if (!value) throw new UsageError(`line ${line}: keytab needs =file`);
      entry.keytab = value;
      return;
    case 'requiresPreauth':
    case 'forwardable':
    case 'renewable':
      entry[key] = bool();
      return;
    case 'maxLifeSeconds':
    case 'rid':
      entry[key] = num();
      return;
    case 'groups':
      entry.groups = (value ?? '')
        .split(',')
        .map((g) => parseInteger(g, `line ${line}: groups`, 0, 0x7fffffff));
      return;
    default:
      throw new UsageError(`line ${line}: unknown principal attribute "${key}"`);
  }
}

/** Parses a realm file (JSON when it starts with '{', else the line format). */
export function parseRealmFile(text: string): RealmFile {
  if (text.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`realm file is not valid JSON: ${(e as Error).message}`);
    }
    const o = json as Partial<RealmFile>;
    if (typeof o.realm !== 'string') throw new UsageError('realm file: "realm" (a string) is required');
    if (typeof o.principals !== 'object' || o.principals === null)
      throw new UsageError('realm file: "principals" (an object) is required');
    return o as RealmFile;
  }
  const out: Partial<RealmFile> & { principals: Record<string, PrincipalFileEntry> } = { principals: {} };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [word, ...rest] = line.split(/\s+/);
    if (word === 'realm') out.realm = rest[0];
    else if (word === 'enctypes') out.enctypes = rest;
    else if (word === 'allow_rc4') out.allowRc4 = true;
    else if (word === 'port') out.port = parseInteger(rest[0] ?? '', `line ${i + 1}: port`, 0, 65535);
    else if (word === 'principal') {
      const [name, ...attrs] = rest;
      if (!name) throw new UsageError(`line ${i + 1}: principal needs a name`);
      const entry: PrincipalFileEntry = {};
      for (const a of attrs) {
        const eq = a.indexOf('=');
        attribute(entry, eq < 0 ? a : a.slice(0, eq), eq < 0 ? undefined : a.slice(eq + 1), i + 1);
      }
      out.principals[name] = entry;
    } else throw new UsageError(`line ${i + 1}: unknown keyword "${word}"`);
  });
  if (!out.realm) throw new UsageError('realm file: a "realm NAME" line is required');
  return out as RealmFile;
}

export interface KdcCommandOptions {
  /** Stops the server (tests); default: SIGINT / SIGTERM. */
  signal?: AbortSignal;
  /** Called once listening (tests). */
  onListening?: (kdc: RunningKdc) => void;
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function main(args: string[], io: CliIo, options: KdcCommandOptions = {}): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(KDC_USAGE);
    return 0;
  }
  const path = (p: string) => (isAbsolute(p) ? p : join(io.cwd, p));
  let file: RealmFile = DEFAULT_REALM;
  let port: number | undefined;
  let host = '127.0.0.1';
  let confOut: string | undefined;
  const table: OptionTable = {
    '--realm-file': valued((v) => (file = parseRealmFile(readFileSync(path(v), 'utf8')))),
    '--port': valued((v) => (port = parseInteger(v, '--port', 0, 65535))),
    '--host': valued((v) => (host = v)),
    '--krb5-conf': valued((v) => (confOut = v)),
  };
  try {
    const rest = parseOptions(args, table);
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  } catch (e) {
    io.stderr(`gssock kdc: ${toGssockError(e).message}\n${KDC_USAGE}`);
    return EXIT_USAGE;
  }
  let kdc: RunningKdc;
  try {
    const principals: Record<string, PrincipalSpec> = {};
    for (const [name, { keytab: _keytab, randkey: _randkey, ...spec }] of Object.entries(file.principals))
      principals[name] = spec;
    kdc = await startKdc({
      realm: file.realm,
      principals,
      ...(file.enctypes ? { enctypes: file.enctypes } : {}),
      ...(file.allowRc4 ? { allowRc4: true } : {}),
      listen: { host, port: port ?? file.port ?? 0 },
    });
  } catch (e) {
    io.stderr(`gssock kdc: ${toGssockError(e).message}\n`);
    return 1;
  }
  try {
    const conf = kdc.krb5Conf();
    io.stdout(`gssock KDC for ${kdc.realm} on ${kdc.address!.host}:${kdc.address!.port} (TCP and UDP)\n`);
    io.stdout(`krb5.conf for MIT tools (KRB5_CONFIG=<file>):\n\n${conf}\n`);
    if (confOut) {
      writeFileSync(path(confOut), conf);
      io.stdout(`wrote ${confOut}\n`);
    }
    for (const [name, entry] of Object.entries(file.principals)) {
      if (!entry.keytab) continue;
      writeFileSync(path(entry.keytab), kdc.exportKeytab(name), { mode: 0o600 });
      io.stdout(`wrote keytab ${entry.keytab} for ${kdc.state.db.require(name).text}\n`);
    }
    io.stdout('press Ctrl-C to stop\n');
    options.onListening?.(kdc);
    await waitForStop(options.signal);
    io.stdout('gssock KDC stopped\n');
    return 0;
  } catch (e) {
    io.stderr(`gssock kdc: ${toGssockError(e).message}\n`);
    return 1;
  } finally {
    await kdc.stop();
  }
}
