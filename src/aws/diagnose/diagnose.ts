import type { Task } from '@aws-sdk/client-ecs';
import { clusterNameOf, taskIdOf } from '../../core/arn';
import { diagnosableTasks, type TaskChoice } from '../../core/diagnose/choices';
import { Denied } from '../../core/diagnose/live';
import { diagnose, type CollectOptions, type DiagnoseResult, type GatheredTask, type ServiceRead, type TaskDefinitionRead } from '../../core/diagnose/pipeline';
import { userMessage } from '../../core/awsErrors';
import { redact } from '../../core/redact';
import { ecsDataOf, type EcsData } from '../ecs';
import type { AwsSession } from '../session';
import { awsCollector } from './collect';
import { memo } from './context';
import { toServiceFacts, toStopInput, toTaskDefFacts, toTaskFacts } from './facts';
import { call } from './guard';

/** A task ECS Doctor could not find: gone (stopped tasks stay visible about an hour) or a typo. */
export class TaskNotFoundError extends Error {
  override name = 'TaskNotFoundError';
}

/**
 * The live diagnosis of one task: gathers it (describe-tasks, its task definition and service),
 * then hands it to the core pipeline with the AWS collector, which answers the lookups the
 * checks ask for (read-only, bounded concurrency). Throws TaskNotFoundError, Denied
 * (ecs:DescribeTasks) or the SDK's error only when the task itself cannot be read; every other
 * failure becomes a skipped check.
 */
export async function diagnoseTask(session: AwsSession, cluster: string, task: string, opts: CollectOptions = {}): Promise<DiagnoseResult> {
  return diagnose(await gatherTask(session, cluster, task), awsCollector({ session, once: memo() }), opts);
}

/**
 * describe-tasks for one task, then its task definition and its service (for service tasks) side
 * by side, through the session's ECS data layer (paced with the explorer's calls).
 */
async function gatherTask(session: AwsSession, cluster: string, task: string): Promise<GatheredTask> {
  const c = cluster.trim();
  const t = task.trim();
  if (!c) throw new Error('A cluster name or ARN is needed.');
  if (!t) throw new Error('A task id or ARN is needed.');
  const ecs = await ecsDataOf(session);
  const [out, region] = await Promise.all([call('ecs:DescribeTasks', () => ecs.describeTask(c, t)), session.region()]);
  const raw = out.task;
  if (!raw) {
    const reason = out.failure?.reason;
    throw new TaskNotFoundError(
      `Task ${taskIdOf(t)} was not found in cluster ${clusterNameOf(c)}${reason ? ` (${reason})` : ''}. Stopped tasks stay visible for about an hour after they stop.`,
    );
  }
  const [taskDefinition, service] = await Promise.all([readTaskDefinition(ecs, raw), readService(ecs, raw, c)]);
  const gathered: GatheredTask = {
    region,
    cluster: c,
    task: toTaskFacts(raw),
    stop: toStopInput(raw, taskDefinition.kind === 'read' ? taskDefinition.facts : undefined),
    taskDefinition,
  };
  if (service) gathered.service = service;
  return gathered;
}

async function readTaskDefinition(ecs: EcsData, raw: Task): Promise<TaskDefinitionRead> {
  const arn = raw.taskDefinitionArn;
  if (!arn) return { kind: 'none' };
  try {
    const td = await call('ecs:DescribeTaskDefinition', () => ecs.describeTaskDefinition(arn));
    return td ? { kind: 'read', arn, facts: toTaskDefFacts(td) } : { kind: 'not-returned', arn };
  } catch (error) {
    return { kind: 'failed', arn, error };
  }
}

/** The service that started the task (its group is "service:NAME"); undefined for other tasks. */
async function readService(ecs: EcsData, raw: Task, asked: string): Promise<ServiceRead | undefined> {
  const name = raw.group?.startsWith('service:') ? raw.group.slice('service:'.length) : undefined;
  if (!name) return undefined;
  const cluster = raw.clusterArn ?? asked;
  try {
    const svc = await call('ecs:DescribeServices', () => ecs.describeService(cluster, name));
    return svc ? { kind: 'read', name, cluster, facts: toServiceFacts(svc) } : { kind: 'gone', name, cluster };
  } catch (error) {
    return { kind: 'failed', name, cluster, error };
  }
}

/**
 * The tasks worth diagnosing in a cluster, newest first: recent STOPPED tasks (ECS keeps them
 * about an hour) and RUNNING tasks whose health is UNHEALTHY. At most `max` (default 100).
 */
export async function listDiagnosableTasks(session: AwsSession, cluster: string, opts: { max?: number } = {}): Promise<TaskChoice[]> {
  const max = Math.max(1, Math.min(opts.max ?? 100, 100));
  const ecs = await ecsDataOf(session);
  const list = (desiredStatus: 'STOPPED' | 'RUNNING') => call('ecs:ListTasks', () => ecs.listTaskArns(cluster, { desiredStatus }, { max: 300 }));
  const [stopped, running] = await Promise.all([list('STOPPED'), list('RUNNING')]);
  const describe = (arns: string[]) => call('ecs:DescribeTasks', () => ecs.describeTaskList(cluster, arns));
  const [stoppedTasks, runningTasks] = await Promise.all([describe(stopped), describe(running)]);
  return diagnosableTasks(stoppedTasks.map(toTaskFacts), runningTasks.map(toTaskFacts), max);
}

/** A one-line, secret-free message in words for a diagnosis that could not start. */
export function diagnoseErrorMessage(err: unknown, ctx: { profile?: string | undefined } = {}): string {
  if (err instanceof Denied) return `Could not read the task (needs ${err.action}).`;
  if (err instanceof TaskNotFoundError) return redact(err.message);
  return userMessage(err, ctx.profile ? { profile: ctx.profile } : {});
}

export type { DiagnoseResult, TaskChoice };
