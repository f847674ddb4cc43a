/**
 * The flag handling the AWS-facing commands share: the AWS flags (--profile, --region,
 * --endpoint-url, --verbose) parsed with each command's own, and the task a command works on
 * (--cluster, --task, --container), with the same usage errors (exit 2) everywhere.
 */
import type { ParseArgsConfig } from 'node:util';
import type { AwsModule } from '../awsLoader';
import { awsFlags, parseFlags, UsageError, type CliIO } from './io';

/** The flags that name one container of one task. */
export const taskFlags = {
  cluster: { type: 'string' },
  task: { type: 'string' },
  container: { type: 'string' },
} as const;

/**
 * parseFlags with the AWS flags added to `options`. With `allowPositionals`, an argument that is
 * not a flag is still bad usage, said in our words ("unexpected argument").
 */
export function parseAwsFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = false) {
  const { values, positionals } = parseFlags(args, { ...awsFlags, ...options }, allowPositionals);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  return values;
}

/** The task a command works on: --cluster and --task (trimmed) are required, --container as given. */
export interface TaskTarget {
  cluster: string;
  task: string;
  container: string | undefined;
}

export function taskTarget(values: { cluster?: string; task?: string; container?: string }): TaskTarget {
  const cluster = values.cluster?.trim();
  const task = values.task?.trim();
  if (!cluster) throw new UsageError('--cluster is required');
  if (!task) throw new UsageError('--task is required');
  return { cluster, task, container: values.container };
}

/**
 * Runs `resolve` (which finds the task and its container through the AWS layer). When the target
 * cannot be resolved (ExecInputError: no such cluster or task, or several containers and no
 * --container), prints why and gives the exit code: 2 when the user must choose a container, 1
 * otherwise.
 */
export async function resolveTarget<T>(
  name: string,
  io: CliIO,
  aws: Pick<AwsModule, 'ExecInputError'>,
  resolve: () => Promise<T>,
): Promise<{ resolved: T } | { exitCode: number }> {
  try {
    return { resolved: await resolve() };
  } catch (err) {
    if (err instanceof aws.ExecInputError) {
      io.stderr(`ecs-doctor ${name}: ${err.message}\n`);
      return { exitCode: err.choices.length ? 2 : 1 };
    }
    throw err;
  }
}
