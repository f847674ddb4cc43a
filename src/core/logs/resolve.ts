/**
 * Which log stream holds each container's output, read from the task definition's
 * logConfiguration. The awslogs driver names a stream `<awslogs-stream-prefix>/<container
 * name>/<task id>`; without a prefix (allowed on EC2 only) the stream is named after the Docker
 * container id (ECS reports it as the container's runtimeId). See "Using the awslogs log driver"
 * in the Amazon ECS Developer Guide:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html
 */
import { taskIdOf } from '../arn';
import type { LogSource, LogTask, LogTaskDefinition } from './types';
import { whereLogsGo } from './where';

export interface ResolveOptions {
  /** The Region the session reads; awslogs-region may name another. */
  region: string;
  /** Only this container (by name). */
  container?: string | undefined;
}

export type Resolved = { sources: LogSource[] } | { error: string; choices: string[] };

/** The log source of each container of the task (in the task definition's order), or why the request cannot be answered. */
export function resolveLogSources(task: LogTask, taskDef: LogTaskDefinition | undefined, options: ResolveOptions): Resolved {
  const defs = taskDef?.containerDefinitions ?? [];
  const names = defs.map((d) => d.name).filter((n): n is string => !!n);
  // Containers the task reports but the definition does not list (should not happen) are left out: nothing says where they log.
  const wanted = options.container?.trim();
  if (wanted && !names.includes(wanted)) {
    return { error: `The task has no container named "${wanted}"; its containers are ${names.join(', ') || '(none)'}.`, choices: names };
  }
  const taskId = task.taskArn ? taskIdOf(task.taskArn) : '';
  const sources: LogSource[] = [];
  for (const def of defs) {
    const name = def.name;
    if (!name || (wanted && name !== wanted)) continue;
    const lc = def.logConfiguration;
    if (!lc || lc.logDriver !== 'awslogs') {
      sources.push({ kind: 'elsewhere', container: name, driver: lc?.logDriver, ...whereLogsGo(name, lc, taskDef) });
      continue;
    }
    const o = lc.options ?? {};
    const group = o['awslogs-group'];
    if (!group) {
      sources.push({
        kind: 'elsewhere',
        container: name,
        driver: 'awslogs',
        where: `${name} uses the awslogs driver without an awslogs-group option, so ECS cannot have sent its output anywhere.`,
        change: 'Set the awslogs-group, awslogs-region and awslogs-stream-prefix options of its logConfiguration.',
      });
      continue;
    }
    const region = o['awslogs-region'] || options.region;
    const prefix = o['awslogs-stream-prefix'] || undefined;
    const runtimeId = task.containers?.find((c) => c.name === name)?.runtimeId;
    const stream = prefix ? `${prefix}/${name}/${taskId}` : runtimeId;
    if (!stream) {
      sources.push({
        kind: 'elsewhere',
        container: name,
        driver: 'awslogs',
        where: `${name} logs to ${group} in ${region} without an awslogs-stream-prefix, so its stream is named after the Docker container id, which ECS has not reported for this task.`,
        change: `Set awslogs-stream-prefix (for example "ecs") so each stream is named prefix/${name}/<task id>; meanwhile look for the newest stream in ${group}.`,
      });
      continue;
    }
    sources.push({ kind: 'awslogs', container: name, group, region, stream, prefix, createGroup: o['awslogs-create-group'] === 'true' });
  }
  return { sources };
}
