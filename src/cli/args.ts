/**
 * Command-line parsing the way MIT's gss-sample programs do it: options one at a time,
 * in order (so `-na -nw` and `-nw -na` differ exactly as in gss-client.c), single-dash
 * names, a value as the next argument; options end at the first argument that is not
 * an option. gssock's own extras use double dashes and also accept `--name=value`.
 */
import { GssockError } from '../core/errors.ts';

export interface OptionHandler {
  /** Whether the option takes a value (the next argument, or `--name=value`). */
  value: boolean;
  apply(value: string): void;
}

export type OptionTable = Record<string, OptionHandler>;

/** A command-line mistake: the command prints it with its usage text, exit code 2. */
export class UsageError extends GssockError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
    this.name = 'UsageError';
  }
}

export const flag = (apply: () => void): OptionHandler => ({ value: false, apply: () => apply() });
export const valued = (apply: (value: string) => void): OptionHandler => ({ value: true, apply });

/** Applies the options in `args` and returns the arguments left after them. */
export function parseOptions(args: string[], table: OptionTable): string[] {
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg === '--') return args.slice(i + 1);
    if (!arg.startsWith('-') || arg === '-') break;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const handler = table[name];
    if (!handler) throw new UsageError(`unknown option ${name}`);
    if (handler.value) {
      let value: string | undefined;
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        value = args[i + 1];
        i++;
      }
      if (value === undefined) throw new UsageError(`option ${name} needs a value`);
      handler.apply(value);
    } else {
      if (eq > 0) throw new UsageError(`option ${name} takes no value`);
      handler.apply('');
    }
    i++;
  }
  return args.slice(i);
}

/** A decimal integer within bounds (MIT uses atoi; we refuse garbage instead of reading 0). */
export function parseInteger(text: string, what: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${what} must be a number, got "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${what} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Framings the sample commands speak: MIT's flag byte + length, or a bare length prefix. */
export type FramingName = 'gss-sample' | 'u32be' | 'u32le';

export function parseFraming(text: string): FramingName {
  if (text === 'gss-sample' || text === 'u32be' || text === 'u32le') return text;
  throw new UsageError(`unknown framing "${text}" (gss-sample, u32be or u32le)`);
}
