/**
 * Words for a container whose lines ECS Doctor cannot read: where its output goes instead and
 * what to change, and why an awslogs group or stream is missing. Pure.
 *
 * Sources: the Amazon ECS Developer Guide, "Using the awslogs log driver" (stream names, the
 * execution role's logs:CreateLogStream and logs:PutLogEvents, awslogs-create-group and
 * logs:CreateLogGroup), "Custom log routing" (FireLens, `awsfirelens` with Fluent Bit outputs),
 * and LogConfiguration in the ECS API reference (the drivers).
 */
import { timeOf } from '../ecsTypes';
import type { AwsLogsSource, LogContainerDefinition, LogTask, LogTaskDefinition } from './types';

const TO_AWSLOGS = 'To read it here, use logDriver "awslogs" with the options awslogs-group, awslogs-region and awslogs-stream-prefix.';

/** Where a container that does not use awslogs sends its output, and what to change. */
export function whereLogsGo(name: string, lc: LogContainerDefinition['logConfiguration'], taskDef?: LogTaskDefinition): { where: string; change: string } {
  const fargate = taskDef?.requiresCompatibilities?.includes('FARGATE') ?? false;
  const o = lc?.options ?? {};
  const driver = lc?.logDriver;
  if (!lc || !driver) {
    return {
      where: `${name} has no logConfiguration: its output is not sent to CloudWatch Logs${fargate ? ' and, on Fargate, is not kept anywhere' : ' (on EC2 the Docker daemon\'s default driver keeps it on the container instance, readable with docker logs)'}.`,
      change: `Add a logConfiguration to ${name}. ${TO_AWSLOGS}`,
    };
  }
  switch (driver) {
    case 'none':
      return { where: `${name} uses logDriver "none": its output is discarded.`, change: TO_AWSLOGS };
    case 'awsfirelens': {
      const out = (o.Name ?? o.name ?? '').toLowerCase();
      let dest: string;
      if (out === 'cloudwatch' || out === 'cloudwatch_logs') {
        dest = `Fluent Bit's ${out} output to log group ${o.log_group_name ?? '(not set)'}${o.region ? ` in ${o.region}` : ''}${o.log_stream_prefix ? ` (stream prefix ${o.log_stream_prefix})` : o.log_stream_name ? ` (stream ${o.log_stream_name})` : ''}`;
      } else if (out === 'firehose' || out === 'kinesis_firehose') dest = `Kinesis Data Firehose delivery stream ${o.delivery_stream ?? '(not set)'}`;
      else if (out === 'kinesis' || out === 'kinesis_streams') dest = `Kinesis data stream ${o.stream ?? '(not set)'}`;
      else if (out === 's3') dest = `S3 bucket ${o.bucket ?? '(not set)'}`;
      else if (out === 'es' || out === 'opensearch') dest = `OpenSearch at ${o.Host ?? o.host ?? '(not set)'}`;
      else if (out) dest = `the Fluent Bit/Fluentd output "${o.Name ?? o.name}"`;
      else dest = 'the outputs of the log router\'s own configuration file';
      return {
        where: `${name} sends its output through FireLens (the log router container of this task) to ${dest}.`,
        change: `ECS Doctor reads awslogs streams. Read it where FireLens delivers it, or log ${name} with awslogs instead. The log router's own output (its errors) is worth reading when lines are missing.`,
      };
    }
    case 'splunk':
      return { where: `${name} sends its output to Splunk${o['splunk-url'] ? ` at ${o['splunk-url']}` : ''}.`, change: `Search it in Splunk${o['splunk-index'] ? ` (index ${o['splunk-index']})` : ''}. ${TO_AWSLOGS}` };
    case 'json-file':
    case 'journald':
    case 'local':
      return { where: `${name} uses logDriver "${driver}": its output stays on the container instance (docker logs ${driver === 'journald' ? 'or journalctl' : ''}).`.replace(' )', ')'), change: TO_AWSLOGS };
    case 'syslog':
      return { where: `${name} sends its output to syslog${o['syslog-address'] ? ` at ${o['syslog-address']}` : ' on the container instance'}.`, change: TO_AWSLOGS };
    case 'gelf':
      return { where: `${name} sends its output as GELF${o['gelf-address'] ? ` to ${o['gelf-address']}` : ''}.`, change: TO_AWSLOGS };
    case 'fluentd':
      return { where: `${name} sends its output to Fluentd${o['fluentd-address'] ? ` at ${o['fluentd-address']}` : ' on the container instance'}.`, change: TO_AWSLOGS };
    default:
      return { where: `${name} uses logDriver "${driver}", which does not write to CloudWatch Logs.`, change: TO_AWSLOGS };
  }
}

export interface MissingFacts {
  /** Which is missing. */
  missing: 'group' | 'stream';
  source: AwsLogsSource;
  task: LogTask;
  taskDef?: LogTaskDefinition | undefined;
  /** Streams in the group that end with /<container>/<task id> (another prefix wrote them). */
  similar?: string[] | undefined;
}

/** Which of group and stream is missing, and the likely reason, with what to do. */
export function explainMissing(f: MissingFacts): string {
  const { source: s, task } = f;
  const role = f.taskDef?.executionRoleArn;
  const c = task.containers?.find((x) => x.name === s.container);
  const started = timeOf(task.startedAt) !== undefined || (c?.exitCode !== undefined && c.exitCode !== null);
  const notYet = !started && ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(task.lastStatus ?? '');
  if (f.missing === 'group') {
    const create = s.createGroup
      ? `awslogs-create-group is "true", so awslogs creates it when the container starts, if the execution role${role ? ` (${role})` : ''} may logs:CreateLogGroup.`
      : 'awslogs does not create groups (awslogs-create-group is not "true"), so a container logging to it cannot start.';
    return `${s.container}: log group ${s.group} does not exist in ${s.region}. ${create} Create it (aws logs create-log-group --log-group-name ${s.group} --region ${s.region}) or fix awslogs-group.`;
  }
  const head = `${s.container}: log stream ${s.stream} does not exist in ${s.group}.`;
  if (f.similar?.length) {
    return `${head} The group has ${f.similar.join(', ')}: this task's lines were written with another awslogs-stream-prefix than the task definition's "${s.prefix ?? ''}" (the prefix differs).`;
  }
  if (notYet) return `${head} The task is ${task.lastStatus} and its containers have not started yet; awslogs creates the stream when ${s.container} starts.`;
  if (!started) return `${head} ${s.container} never started (the task stopped before it ran), so awslogs never created its stream.${task.stoppedReason ? ` The task stopped: ${task.stoppedReason}` : ''}`;
  return `${head} awslogs creates it when the container starts, with the task execution role${role ? ` (${role})` : ' (the task definition names none)'}: that role needs logs:CreateLogStream and logs:PutLogEvents on ${s.group}. If the container wrote nothing yet, the stream may also simply be empty and uncreated.`;
}
