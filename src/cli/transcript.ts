/**
 * A readable, line-oriented record of an authentication: facts (target, mechanism), each
 * token or protocol message with its direction and size, the established contexts, and
 * the application messages. The demo prints one; a Kerberos demo adds its AS/TGS
 * exchanges with `exchange()`. Entries are kept as data (`entries`) so tests and other
 * front ends can read them without parsing text; `sink` streams lines as they are added.
 */
import { type ContextFlags, flagNames } from '../core/flags.ts';

export type TranscriptEntry =
  | { kind: 'section'; title: string }
  | { kind: 'fact'; label: string; value: string }
  | { kind: 'token'; from: string; to: string; leg: number; size: number; label?: string }
  | { kind: 'exchange'; from: string; to: string; label: string; size: number; detail?: string }
  | { kind: 'established'; side: string; peer: string; flags: ContextFlags; mechanism: string }
  | {
      kind: 'message';
      from: string;
      to: string;
      text: string;
      size: number;
      protectedSize?: number;
      sealed: boolean;
    }
  | { kind: 'note'; text: string };

export interface TranscriptOptions {
  /** Receives each line (without '\n') as soon as it is added. */
  sink?: (line: string) => void;
  /** Width of the "from -> to" column. */
  directionWidth?: number;
}

export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  readonly #lines: string[] = [];
  readonly #sink: ((line: string) => void) | undefined;
  readonly #width: number;

  constructor(options: TranscriptOptions = {}) {
    this.#sink = options.sink;
    this.#width = options.directionWidth ?? 24;
  }

  section(title: string): void {
    this.#add({ kind: 'section', title }, this.entries.length ? ['', title] : [title]);
  }

  fact(label: string, value: string): void {
    this.#add({ kind: 'fact', label, value }, [`  ${label.padEnd(11)} ${value}`]);
  }

  /** A security token of the handshake (leg numbers count from 1 across both sides). */
  token(from: string, to: string, leg: number, size: number, label?: string): void {
    const what = label ? `${label} (token ${leg})` : `token ${leg}`;
    this.#add({ kind: 'token', from, to, leg, size, ...(label ? { label } : {}) }, [
      `  ${this.#direction(from, to)} ${what.padEnd(22)} ${bytes(size)}`,
    ]);
  }

  /** A protocol exchange outside the security context (a KDC's AS-REQ/AS-REP, TGS-REQ/TGS-REP). */
  exchange(from: string, to: string, label: string, size: number, detail?: string): void {
    this.#add({ kind: 'exchange', from, to, label, size, ...(detail ? { detail } : {}) }, [
      `  ${this.#direction(from, to)} ${label.padEnd(22)} ${bytes(size)}${detail ? `  ${detail}` : ''}`,
    ]);
  }

  established(side: string, peer: string, flags: ContextFlags, mechanism: string): void {
    this.#add({ kind: 'established', side, peer, flags, mechanism }, [
      `  ${side} established with "${peer}" (${mechanism})`,
      `  ${''.padEnd(side.length)} granted flags: ${flagNames(flags).join(' ') || '(none)'}`,
    ]);
  }

  message(from: string, to: string, text: string, size: number, protectedSize?: number, sealed = true): void {
    const wire =
      protectedSize === undefined
        ? ''
        : `, ${bytes(protectedSize)} ${sealed ? 'sealed' : 'signed'} on the wire`;
    this.#add(
      {
        kind: 'message',
        from,
        to,
        text,
        size,
        sealed,
        ...(protectedSize !== undefined ? { protectedSize } : {}),
      },
      [`  ${this.#direction(from, to)} ${JSON.stringify(text)} (${bytes(size)}${wire})`],
    );
  }

  note(text: string): void {
    this.#add({ kind: 'note', text }, [text]);
  }

  lines(): string[] {
    return [...this.#lines];
  }

  toString(): string {
    return this.#lines.map((l) => `${l}\n`).join('');
  }

  #direction(from: string, to: string): string {
    return `${from} -> ${to}`.padEnd(this.#width);
  }

  #add(entry: TranscriptEntry, lines: string[]): void {
    this.entries.push(entry);
    for (const line of lines) {
      this.#lines.push(line);
      this.#sink?.(line);
    }
  }
}

function bytes(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}
