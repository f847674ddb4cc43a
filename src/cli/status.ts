/**
 * `ecs-doctor status [--cluster C] [--service S] [--include-stopped] [--profile P] [--region R]
 * [--endpoint-url URL] [--format text|json]`: the explorer's tree in a terminal, through the same
 * data layer (paced, batched, retried) and the same health roll-up.
 */
import { classifyAwsError } from '../core/awsErrors';
import { redact, redactValue } from '../core/redact';
import { collectStatus, statusHasErrors, statusJson, statusText } from '../core/status';
import { formatFlag, UsageError, type CliCommand, type CliIO } from './io';
import { openSession } from './session';
import { parseAwsFlags } from './target';

const FORMATS = ['text', 'json'] as const;

const usage = `Usage: ecs-doctor status [--cluster C] [--service S] [--include-stopped] [--profile P]
                        [--region R] [--endpoint-url URL] [--format text|json] [--verbose]

Prints clusters -> services -> tasks -> containers with their health, like the ECS Doctor
explorer: task health from the essential containers (UNHEALTHY over UNKNOWN over HEALTHY),
services and clusters rolled up over their running tasks, running < desired shown apart.

Options:
  --cluster <c>        one cluster (name or ARN); default: every cluster in the Region
  --service <s>        one service (name or ARN); default: every service, plus standalone tasks
  --include-stopped    also list tasks stopped in about the last hour (stopCode, stoppedReason)
  --profile <p>        AWS profile (default: AWS_PROFILE, then "default")
  --region <r>         AWS Region (default: AWS_REGION, then the profile's)
  --endpoint-url <u>   one endpoint for every service (LocalStack, the ECS Doctor simulator)
  --format <f>         text (default) or json:
                       {"clusters":[{"name","arn","health","services":[{"name","arn","desiredCount",
                       "runningCount","pendingCount","rolloutState","health","tasks":[...]}],
                       "tasks":[standalone tasks]}]}; a task is {"id","arn","lastStatus","health",
                       "stopCode","stoppedReason","containers":[{"name","lastStatus","health",
                       "exitCode","reason"}]}; a part that failed carries "error".

Exit codes: 0 read completely, 1 a part could not be read (the reason is printed), 2 bad usage.`;

export const command: CliCommand = {
  name: 'status',
  summary: 'print clusters, services, tasks and containers with their health',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const values = parseAwsFlags(
      args,
      {
        cluster: { type: 'string' },
        service: { type: 'string' },
        'include-stopped': { type: 'boolean' },
        format: { type: 'string' },
      },
      true,
    );
    const format = formatFlag(values.format, FORMATS);
    for (const k of ['cluster', 'service', 'profile', 'region', 'endpoint-url'] as const) {
      const v = values[k];
      if (v !== undefined && !v.trim()) throw new UsageError(`--${k} needs a value`);
    }
    const { aws, session, logger, profile } = await openSession(values, io);
    try {
      let region: string | undefined;
      try {
        region = await session.region();
      } catch (err) {
        io.stderr(`ecs-doctor status: ${classifyAwsError(err, { profile }).message}\n`);
        return 1;
      }
      const data = aws.ecsDataFor(session, { logger, region });
      let report;
      try {
        report = await collectStatus(data, { cluster: values.cluster, service: values.service, includeStopped: values['include-stopped'] });
      } catch (err) {
        const e = err as { kind?: string; message?: string };
        // EcsError (cause in words), collectStatus's own messages (plain Error), or an SDK error.
        const text = e?.kind || (err instanceof Error && err.name === 'Error') ? e.message : classifyAwsError(err, { profile: values.profile, region }).message;
        io.stderr(`ecs-doctor status: ${redact(String(text))}\n`);
        return 1;
      }
      if (format === 'json') io.stdout(JSON.stringify(redactValue(statusJson(report)), null, 2) + '\n');
      else io.stdout(redact(statusText(report)));
      if (statusHasErrors(report)) {
        const first = report.clusters.find((c) => c.error) ?? report.clusters.flatMap((c) => c.services).find((s) => s.error);
        io.stderr(`ecs-doctor status: part of the tree could not be read: ${redact(first?.error ?? 'see above')}\n`);
        return 1;
      }
      return 0;
    } finally {
      session.dispose();
    }
  },
};
