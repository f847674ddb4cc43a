import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import type { ServiceFacts, TaskDefFacts, TaskFacts } from '../../core/diagnose/facts';
import { describeError, redact } from '../../core/redact';
import { classify } from '../../core/diagnose/classify';
import { applyEvidence } from '../../core/diagnose/verdict';
import type { Diagnosis, Evidence, EvidenceCheckId } from '../../core/diagnose/types';
import type { AwsSession } from '../session';
import { collectEvidence, type CollectOptions } from './collect';
import { memo, type EvidenceContext } from './context';
import { toServiceFacts, toStopInput, toTaskDefFacts, toTaskFacts } from './facts';
import { call, deniedEvidence, Denied, failedEvidence } from './guard';

/** A task ECS Doctor could not find: gone (stopped tasks stay visible about an hour) or a typo. */
export class TaskNotFoundError extends Error {
  override name = 'TaskNotFoundError';
}

export interface DiagnoseResult {
  diagnosis: Diagnosis;
  task: TaskFacts;
  taskDefinition?: TaskDefFacts;
  service?: ServiceFacts;
  region: string;
}

const taskIdOf = (t: string) => t.split('/').pop() ?? t;
const clusterNameOf = (c: string) => c.split('/').pop() ?? c;

/**
 * The live diagnosis of one task: describe it, read its task definition and service, classify
 * the stop (core), run the checks the diagnosis asks for (read-only, bounded concurrency) and
 * fold their evidence into it (core). Also diagnoses a RUNNING task whose containers fail
 * their health checks. Throws TaskNotFoundError, Denied (ecs:DescribeTasks) or the SDK's error
 * only when the task itself cannot be read; every other failure becomes a skipped check.
 */
export async function diagnoseTask(session: AwsSession, cluster: string, task: string, opts: CollectOptions = {}): Promise<DiagnoseResult> {
  const c = cluster.trim();
  const t = task.trim();
  if (!c) throw new Error('A cluster name or ARN is needed.');
  if (!t) throw new Error('A task id or ARN is needed.');
  const [out, region] = await Promise.all([
    call('ecs:DescribeTasks', () => session.ecs.send(new DescribeTasksCommand({ cluster: c, tasks: [t] }))),
    session.region(),
  ]);
  const raw = out.tasks?.[0];
  if (!raw) {
    const reason = out.failures?.[0]?.reason;
    throw new TaskNotFoundError(
      `Task ${taskIdOf(t)} was not found in cluster ${clusterNameOf(c)}${reason ? ` (${reason})` : ''}. Stopped tasks stay visible for about an hour after they stop.`,
    );
  }
  const facts = toTaskFacts(raw);
  const ctx: EvidenceContext = { session, region, cluster: c, task: facts, once: memo() };
  await Promise.all([readTaskDefinition(ctx, raw), readService(ctx, raw)]);

  let diagnosis = classify(toStopInput(raw, ctx.taskDef));
  ctx.diagnosis = diagnosis;
  const checks = checksFor(diagnosis, ctx);
  const evidence = await collectEvidence(ctx, checks, opts);
  diagnosis = applyEvidence({ ...diagnosis, taskArn: facts.taskArn }, evidence);
  const result: DiagnoseResult = { diagnosis, task: facts, region };
  if (ctx.taskDef) result.taskDefinition = ctx.taskDef;
  if (ctx.service) result.service = ctx.service;
  return result;
}

/** The checks the diagnosis asks for, plus those a running-but-unhealthy task needs. */
function checksFor(d: Diagnosis, ctx: EvidenceContext): EvidenceCheckId[] {
  const checks = [...d.checks];
  const running = ctx.task.lastStatus !== 'STOPPED';
  if (running && ctx.task.containers.some((x) => x.healthStatus === 'UNHEALTHY')) checks.push('container-health-check', 'logs');
  if (running && ctx.service?.loadBalancers.length) checks.push('target-group');
  if (ctx.service) checks.push('service-events');
  return [...new Set(checks)];
}

async function readTaskDefinition(ctx: EvidenceContext, raw: Task): Promise<void> {
  const arn = raw.taskDefinitionArn;
  if (!arn) {
    ctx.taskDefMissing = { check: 'task-definition', status: 'skipped', detail: 'The task reports no task definition.' };
    return;
  }
  const command = `aws ecs describe-task-definition --task-definition ${arn}`;
  try {
    const out = await call('ecs:DescribeTaskDefinition', () => ctx.session.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })));
    if (out.taskDefinition) ctx.taskDef = toTaskDefFacts(out.taskDefinition);
    else ctx.taskDefMissing = { check: 'task-definition', status: 'skipped', detail: `${arn} was not returned.`, command };
  } catch (err) {
    ctx.taskDefMissing = err instanceof Denied ? deniedEvidence('task-definition', err.action, { command, what: 'the task definition' }) : failedEvidence('task-definition', err, { command });
  }
}

async function readService(ctx: EvidenceContext, raw: Task): Promise<void> {
  const name = raw.group?.startsWith('service:') ? raw.group.slice('service:'.length) : undefined;
  if (!name) return;
  const cluster = raw.clusterArn ?? ctx.cluster;
  const command = `aws ecs describe-services --cluster ${clusterNameOf(cluster)} --services ${name}`;
  try {
    const out = await call('ecs:DescribeServices', () => ctx.session.ecs.send(new DescribeServicesCommand({ cluster, services: [name] })));
    const svc = out.services?.[0];
    if (svc) ctx.service = toServiceFacts(svc);
    else ctx.serviceMissing = { check: 'service-events', status: 'skipped', detail: `The service ${name} no longer exists.`, command, causes: [] };
  } catch (err) {
    ctx.serviceMissing = err instanceof Denied ? deniedEvidence('service-events', err.action, { command, what: `the service ${name}` }) : failedEvidence('service-events', err, { command });
  }
}

// ---------------------------------------------------------------------------------------------
// Picking a task

export interface TaskChoice {
  taskArn: string;
  taskId: string;
  clusterArn?: string;
  lastStatus?: string;
  stopCode?: string;
  stoppedReason?: string;
  /** The service name, for service tasks. */
  service?: string;
  group?: string;
  /** When it stopped (or started, for a running task), ISO. */
  time?: string;
  healthStatus?: string;
  /** The first container that failed: name, exit code and reason. */
  container?: { name: string; exitCode?: number | null; reason?: string };
}

/**
 * The tasks worth diagnosing in a cluster, newest first: recent STOPPED tasks (ECS keeps them
 * about an hour) and RUNNING tasks whose health is UNHEALTHY. At most `max` (default 100).
 */
export async function listDiagnosableTasks(session: AwsSession, cluster: string, opts: { max?: number } = {}): Promise<TaskChoice[]> {
  const max = Math.max(1, Math.min(opts.max ?? 100, 100));
  const list = async (desiredStatus: 'STOPPED' | 'RUNNING') => {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await call('ecs:ListTasks', () => session.ecs.send(new ListTasksCommand({ cluster, desiredStatus, maxResults: 100, nextToken })));
      arns.push(...(out.taskArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken && arns.length < 300);
    return arns;
  };
  const [stopped, running] = await Promise.all([list('STOPPED'), list('RUNNING')]);
  const describe = async (arns: string[]) => {
    const tasks: Task[] = [];
    for (let i = 0; i < arns.length; i += 100) {
      const out = await call('ecs:DescribeTasks', () => session.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) })));
      tasks.push(...(out.tasks ?? []));
    }
    return tasks;
  };
  const [stoppedTasks, runningTasks] = await Promise.all([describe(stopped), describe(running)]);
  const unhealthy = runningTasks.filter((t) => t.healthStatus === 'UNHEALTHY' || (t.containers ?? []).some((c) => c.healthStatus === 'UNHEALTHY'));
  const when = (t: Task) => new Date(t.stoppedAt ?? t.stoppingAt ?? t.startedAt ?? t.createdAt ?? 0).getTime();
  return [...stoppedTasks, ...unhealthy]
    .sort((a, b) => when(b) - when(a))
    .slice(0, max)
    .map((t) => {
      const choice: TaskChoice = { taskArn: t.taskArn ?? '', taskId: taskIdOf(t.taskArn ?? '') };
      const time = t.stoppedAt ?? t.stoppingAt ?? t.startedAt ?? t.createdAt;
      const fields = {
        clusterArn: t.clusterArn,
        lastStatus: t.lastStatus,
        stopCode: t.stopCode,
        stoppedReason: t.stoppedReason,
        group: t.group,
        service: t.group?.startsWith('service:') ? t.group.slice(8) : undefined,
        time: time ? new Date(time).toISOString() : undefined,
        healthStatus: t.healthStatus,
      };
      for (const [k, v] of Object.entries(fields)) if (v) (choice as unknown as Record<string, unknown>)[k] = v;
      const failed = (t.containers ?? []).find((c) => c.reason || (c.exitCode !== undefined && c.exitCode !== null && c.exitCode !== 0) || c.healthStatus === 'UNHEALTHY');
      if (failed) {
        choice.container = { name: failed.name ?? '?', exitCode: failed.exitCode ?? null };
        if (failed.reason) choice.container.reason = failed.reason;
      }
      return choice;
    });
}

/** A one-line, secret-free message for a diagnosis that could not start. */
export function diagnoseErrorMessage(err: unknown): string {
  if (err instanceof Denied) return `Could not read the task (needs ${err.action}).`;
  if (err instanceof TaskNotFoundError) return redact(err.message);
  return describeError(err);
}

export type { Evidence };
