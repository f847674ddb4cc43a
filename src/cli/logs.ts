/**
 * `ecs-doctor logs --cluster C --task T [--container N] [--since 10m] [--limit N] [--follow]
 * [--format text|json]`: a task's container logs from CloudWatch Logs (awslogs), every container
 * merged by time, as the editor's logs document shows them. Read-only; lines go to stdout only.
 */
import { formatJsonLine, formatLine, parseSince, type LogLine } from '../core/logs';
import { formatFlag, UsageError, type CliCommand, type CliIO } from './io';
import { openSession } from './session';
import { parseAwsFlags, taskFlags, taskTarget } from './target';

const FORMATS = ['text', 'json'] as const;

const usage = `Usage: ecs-doctor logs --cluster <name|arn> --task <id|arn> [--container <name>] [--since 10m]
                      [--limit N] [--follow] [--format text|json] [--profile P] [--region R]
                      [--endpoint-url URL] [--verbose]

Prints a task's container logs: each container's awslogs stream (named from the task
definition's logConfiguration: awslogs-group, awslogs-region, awslogs-stream-prefix), merged by
time, oldest first. Containers that log elsewhere (FireLens, splunk, none) and missing groups or
streams are explained on stderr. Control characters and terminal escapes in log lines are
neutralised.

Options:
  --cluster <c>        cluster name or ARN (required)
  --task <t>           task id or ARN (required; stopped tasks stay visible about an hour)
  --container <n>      one container (default: every container of the task)
  --since <d>          only lines newer than this: 30s, 10m, 2h, 1d, or an ISO 8601 time
  --limit <n>          newest lines per container (default 200, at most 10000)
  --follow, -f         keep printing new lines (CloudWatch Logs Live Tail, or polling where the
                       endpoint does not serve it) until Ctrl-C or the task stops
  --format <f>         text (default): "timestamp container message" a line;
                       json: one {"timestamp","container","message"} object a line
  --profile, --region, --endpoint-url, --verbose   as for the other commands

Exit codes: 0 lines printed (or none in the range), 1 no container's logs could be read,
2 bad usage.`;

export const command: CliCommand = {
  name: 'logs',
  summary: 'print (and follow) a task\'s container logs from CloudWatch Logs, merged by time',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const values = parseAwsFlags(args, {
      ...taskFlags,
      since: { type: 'string' },
      limit: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
      format: { type: 'string' },
    });
    const format = formatFlag(values.format, FORMATS);
    const { cluster, task, container } = taskTarget(values);
    let since: number | undefined;
    if (values.since !== undefined) {
      since = parseSince(values.since, Date.now());
      if (since === undefined) throw new UsageError(`--since must be a duration like 30s, 10m, 2h, 1d or an ISO 8601 time (got "${values.since}")`);
    }
    let limit: number | undefined;
    if (values.limit !== undefined) {
      limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError(`--limit must be a whole number from 1 to 10000 (got "${values.limit}")`);
    }
    const { aws, session } = await openSession(values, io);
    try {
      let opened;
      try {
        opened = await aws.openTaskLogs(session, { cluster, task, container }, { ...(limit ? { limit } : {}), ...(since !== undefined ? { since } : {}) });
      } catch (err) {
        if (err instanceof aws.LogsInputError) {
          io.stderr(`ecs-doctor logs: ${err.message}\n`);
          return 1;
        }
        throw err;
      }
      for (const n of opened.notices) io.stderr(`note: ${n}\n`);
      const width = Math.max(0, ...opened.sources.map((s) => s.container.length));
      const print = (lines: LogLine[]) => {
        if (!lines.length) return;
        io.stdout(lines.map((l) => (format === 'json' ? formatJsonLine(l) : formatLine(l, width))).join('\n') + '\n');
      };
      print(opened.lines);
      if (!opened.cursors.length) return 1;
      if (!values.follow) return 0;
      const { signal, done } = interruptSignal(io);
      try {
        await aws.followLogs(session, opened, {
          onLines: print,
          onStatus: (s) => io.stderr(`${s}\n`),
          onFallback: (why) => {
            if (values.verbose) io.stderr(`Live Tail not used: ${why}\n`);
          },
          signal,
        });
      } finally {
        done();
      }
      return 0;
    } finally {
      session.dispose();
    }
  },
};

/** The IO's interrupt signal, or one that Ctrl-C (SIGINT) aborts while following. */
function interruptSignal(io: CliIO): { signal: AbortSignal; done: () => void } {
  if (io.interrupted) return { signal: io.interrupted, done: () => undefined };
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  return { signal: ac.signal, done: () => process.off('SIGINT', onInt) };
}
