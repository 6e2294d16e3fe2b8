/**
 * The seam between CLI commands and the process. Each command module exports
 * `main(args, io): Promise<number>` (the exit code) and touches the process only
 * through `CliIo`, so tests run commands in-process and every runtime shares the code.
 */
export interface CliIo {
  /** Writes text to standard output as is (add '\n' yourself). */
  stdout(text: string): void;
  /** Writes text to standard error as is. */
  stderr(text: string): void;
  /** Reads all of standard input as UTF-8 (for passwords); '' when none. */
  readStdin(): Promise<string>;
  /** The environment (KRB5_CONFIG, KRB5CCNAME, KRB5_KTNAME, NTLM_USER_FILE, ...). */
  env: Record<string, string | undefined>;
  /** Working directory, for resolving relative paths. */
  cwd: string;
}

export type CommandMain = (args: string[], io: CliIo) => Promise<number>;

/** Exit code for invalid command-line input. */
export const EXIT_USAGE = 2;
