import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a CLI command may touch; tests pass their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input (for `-` file arguments). */
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Calls `handler` on Ctrl-C (SIGINT) or SIGTERM until the returned function is called; commands
   * that stay in the foreground (`forward`) use it. Absent: the process's own signals.
   */
  onInterrupt?(handler: () => void): () => void;
}

export interface CliCommand {
  name: string;
  /** One line for `ecs-doctor --help`. */
  summary: string;
  /** The full usage text for `ecs-doctor <name> --help`. */
  usage: string;
  /** Returns the exit code: 0 success, 1 findings or failure, 2 bad usage or unreadable input. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Bad usage: the dispatcher prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** node:util parseArgs, with its errors turned into UsageError (exit 2, no stack trace). */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The flags every AWS-facing command shares. */
export const awsFlags = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

export function formatFlag(value: string | undefined, allowed: readonly string[]): string {
  const f = value ?? allowed[0]!;
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(', ')} (got "${f}")`);
  return f;
}
