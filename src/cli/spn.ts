/**
 * `gssock spn ...`: compose, crack and convert SPNs from the command line. One result per
 * line on stdout; invalid input prints one clear line on stderr and exits 2 (EXIT_USAGE).
 */
import { isGssockError } from '../core/errors.ts';
import { crackSpn } from '../spn/crack.ts';
import { getSpns, type SpnInstance, type SpnTypeName, spnNameType } from '../spn/get.ts';
import { makeSpn } from '../spn/make.ts';
import { unparsePrincipal } from '../spn/principal.ts';
import { rnrServiceDn } from '../spn/rnr.ts';
import { targetToPrincipal } from '../spn/target.ts';
import { parsePortText } from '../spn/validate.ts';
import { type CliIo, EXIT_USAGE } from './io.ts';

export const SPN_USAGE = `Usage:
  gssock spn make --class C --service S [--instance I] [--port N] [--referrer R]
  gssock spn get --type dns-host|dn-host|nb-host|domain|nb-domain|service --class C [--service S]
                 [--instance HOST[:PORT]]... [--port N] [--local-fqdn F] [--local-netbios N]
  gssock spn crack SPN
  gssock spn rnr NAME --domain DNS-OR-DN
  gssock spn principal SPN-OR-SERVICE@HOST [--realm R] [--default-realm R]
`;

class UsageError extends Error {}

interface ParsedArgs {
  positional: string[];
  options: Map<string, string[]>;
}

/** `--name value`, `--name=value`; every option takes a value; repeated options accumulate. */
function parseArgs(args: readonly string[], known: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { positional, options };
}

function single(p: ParsedArgs, name: string, required: true): string;
function single(p: ParsedArgs, name: string, required?: false): string | undefined;
function single(p: ParsedArgs, name: string, required = false): string | undefined {
  const values = p.options.get(name);
  if (values === undefined) {
    if (required) throw new UsageError(`--${name} is required`);
    return undefined;
  }
  if (values.length > 1) throw new UsageError(`--${name} given more than once`);
  return values[0];
}

function portOption(p: ParsedArgs, name: string): number | undefined {
  const text = single(p, name);
  return text === undefined ? undefined : parsePortText(`--${name}`, text);
}

function onePositional(p: ParsedArgs, what: string): string {
  if (p.positional.length !== 1) throw new UsageError(`expected exactly one ${what}`);
  return p.positional[0]!;
}

function noPositional(p: ParsedArgs): void {
  if (p.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[0])}`);
}

/** `HOST`, `HOST:PORT`, `[v6]` or `[v6]:PORT`. */
function parseInstance(text: string): SpnInstance {
  const close = text.startsWith('[') ? text.indexOf(']') : -1;
  const colon = text.indexOf(':', close + 1);
  if (colon < 0 || (close < 0 && text.indexOf(':') !== text.lastIndexOf(':'))) return { name: text };
  return { name: text.slice(0, colon), port: parsePortText('--instance port', text.slice(colon + 1)) };
}

function run(args: string[], io: CliIo): number {
  const [command, ...rest] = args;
  const out = (line: string): void => io.stdout(`${line}\n`);
  switch (command) {
    case 'make': {
      const p = parseArgs(rest, ['class', 'service', 'instance', 'port', 'referrer']);
      noPositional(p);
      const spn = makeSpn({
        serviceClass: single(p, 'class', true),
        serviceName: single(p, 'service', true),
        instanceName: single(p, 'instance'),
        instancePort: portOption(p, 'port') ?? 0,
        referrer: single(p, 'referrer'),
      });
      out(spn);
      return 0;
    }
    case 'get': {
      const p = parseArgs(rest, [
        'type',
        'class',
        'service',
        'instance',
        'port',
        'local-fqdn',
        'local-netbios',
      ]);
      noPositional(p);
      const typeText = single(p, 'type', true);
      const spns = getSpns({
        type: spnNameType(typeText as SpnTypeName),
        serviceClass: single(p, 'class', true),
        serviceName: single(p, 'service'),
        instancePort: portOption(p, 'port') ?? 0,
        instances: (p.options.get('instance') ?? []).map(parseInstance),
        localFqdn: single(p, 'local-fqdn'),
        localNetbios: single(p, 'local-netbios'),
      });
      for (const spn of spns) out(spn);
      return 0;
    }
    case 'crack': {
      const p = parseArgs(rest, []);
      const c = crackSpn(onePositional(p, 'SPN'));
      out(
        JSON.stringify({
          serviceClass: c.serviceClass,
          serviceName: c.serviceName,
          instanceName: c.instanceName,
          instancePort: c.instancePort,
        }),
      );
      return 0;
    }
    case 'rnr': {
      const p = parseArgs(rest, ['domain']);
      out(rnrServiceDn(onePositional(p, 'NAME'), single(p, 'domain', true)));
      return 0;
    }
    case 'principal': {
      const p = parseArgs(rest, ['realm', 'default-realm']);
      const principal = targetToPrincipal(onePositional(p, 'SPN or service@host'), {
        realm: single(p, 'realm'),
        defaultRealm: single(p, 'default-realm'),
      });
      out(unparsePrincipal(principal));
      return 0;
    }
    default:
      throw new UsageError(
        command === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(command)}`,
      );
  }
}

/**
 * Runs `gssock spn <subcommand> ...` (args exclude the word `spn`).
 *
 * @example
 * ```ts
 * await main(['rnr', 'WinSockRnRSampleService', '--domain', 'fabrikam.com'], io);
 * // prints cn=WinSockRnRSampleService,cn=WinsockServices,cn=System,DC=fabrikam,DC=com
 * ```
 */
export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h' || args[0] === 'help')) {
    io.stdout(SPN_USAGE);
    return 0;
  }
  try {
    return run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`gssock spn: ${e.message}\n${SPN_USAGE}`);
      return EXIT_USAGE;
    }
    if (isGssockError(e, 'BAD_NAME') || isGssockError(e, 'INVALID_ARGUMENT')) {
      io.stderr(`gssock spn: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
