/**
 * The service doctor's gathering: DescribeServices, then side by side the service's STOPPED and
 * RUNNING tasks (ListTasks pages, each described as it arrives), the running revision's task
 * definition and its target groups' settings and health; then, from the stopped tasks, memory over
 * time (only for out-of-memory stops) and the task diagnosis of the dominant group's newest task.
 * Every ECS call goes through the data layer (src/aws/ecs.ts). A read that fails becomes "not
 * checked" with the permission it needs; only the service itself must be readable.
 */
import type { Service, Task } from '@aws-sdk/client-ecs';
import { clusterNameOf, lastSegment } from '../../core/arn';
import { userMessage } from '../../core/awsErrors';
import { Denied } from '../../core/diagnose/live';
import { diagnose, type DiagnoseResult, type GatheredTask, type TaskDefinitionRead } from '../../core/diagnose/pipeline';
import { diagnoseService as judgeService, dominantGroup, groupStopped, type Read, type ServiceGathered, type ServiceReport, type TargetGroupRead } from '../../core/diagnose/service';
import type { TaskDefFacts, TaskFacts } from '../../core/diagnose/facts';
import { q } from '../../core/diagnose/judges/text';
import { ecsDataOf, EcsError, type EcsData } from '../ecs';
import type { AwsSession } from '../session';
import { awsCollector } from './collect';
import { memo } from './context';
import { toServiceFacts, toStopInput, toTaskDefFacts, toTaskFacts } from './facts';
import { call } from './guard';
import { memorySeries } from './metrics';
import { describeTargetGroup, targetHealth } from './targetGroup';

/** The service was not found (deleted, a typo, another cluster or Region). */
export class ServiceNotFoundError extends Error {
  override name = 'ServiceNotFoundError';
}

export interface ServiceDiagnoseOptions {
  /** "Now" for the last-hour counts (default Date.now()); tests pass the simulator's clock. */
  now?: number;
  /** Skip the task diagnosis of the dominant group (the bench measures the floor without it). */
  explainDominant?: boolean;
}

function failedRead(err: unknown, action: string, command: string): Extract<Read<never>, { ok: false }> {
  const cause = err instanceof EcsError && err.cause !== undefined ? err.cause : err;
  if (err instanceof Denied) return { ok: false, reason: `needs ${err.action}`, missingPermission: err.action, command };
  if (err instanceof EcsError && err.kind === 'access-denied') return { ok: false, reason: `needs ${action}`, missingPermission: action, command };
  return { ok: false, reason: userMessage(cause), command };
}

/** A service's tasks of one status: listed and described page by page through the data layer. */
async function tasksOf(ecs: EcsData, cluster: string, service: string, status: 'STOPPED' | 'RUNNING', raw: Map<string, Task>): Promise<Read<TaskFacts[]>> {
  const command = `aws ecs list-tasks --cluster ${q(clusterNameOf(cluster))} --service-name ${q(service)} --desired-status ${status}`;
  try {
    // Each page becomes facts as it arrives, while the next page is still on its way.
    const facts: TaskFacts[] = [];
    const res = await ecs.tasks(
      cluster,
      { serviceName: service, desiredStatus: status },
      {
        onItems: (items) => {
          for (const t of items) {
            if (t.taskArn) raw.set(t.taskArn, t as Task);
            facts.push(toTaskFacts(t as Task));
          }
        },
      },
    );
    const denied = res.errors.find((e) => e.error.kind === 'access-denied');
    if (denied) return failedRead(denied.error, 'ecs:DescribeTasks', command);
    if (res.errors.length && !res.items.length) return failedRead(res.errors[0]!.error, 'ecs:DescribeTasks', command);
    return { ok: true, value: facts };
  } catch (err) {
    return failedRead(err, 'ecs:ListTasks', command);
  }
}

async function readTaskDef(ecs: EcsData, arn: string): Promise<Read<{ facts: TaskDefFacts; document: unknown }>> {
  const command = `aws ecs describe-task-definition --task-definition ${q(lastSegment(arn))}`;
  try {
    const td = await call('ecs:DescribeTaskDefinition', () => ecs.describeTaskDefinition(arn));
    if (!td) return { ok: false, reason: `${lastSegment(arn)} was not returned`, command };
    return { ok: true, value: { facts: toTaskDefFacts(td), document: td } };
  } catch (err) {
    return failedRead(err, 'ecs:DescribeTaskDefinition', command);
  }
}

async function readTargetGroup(session: AwsSession, arn: string): Promise<TargetGroupRead> {
  const ctx = { session, once: memo() };
  const [group, health] = await Promise.all([
    describeTargetGroup(ctx, arn).then(
      (value): Read<Awaited<ReturnType<typeof describeTargetGroup>>> => ({ ok: true, value }),
      (err) => failedRead(err, 'elasticloadbalancing:DescribeTargetGroups', `aws elbv2 describe-target-groups --target-group-arns ${q(arn)}`),
    ),
    targetHealth(ctx, arn).then(
      (value): Read<Awaited<ReturnType<typeof targetHealth>>> => ({ ok: true, value }),
      (err) => failedRead(err, 'elasticloadbalancing:DescribeTargetHealth', `aws elbv2 describe-target-health --target-group-arn ${q(arn)}`),
    ),
  ]);
  return { arn, group, health };
}

/**
 * The live service diagnosis. Throws ServiceNotFoundError, Denied (ecs:DescribeServices) or the
 * service's error only when the service itself cannot be read.
 */
export async function diagnoseService(session: AwsSession, cluster: string, service: string, opts: ServiceDiagnoseOptions = {}): Promise<ServiceReport> {
  const c = cluster.trim();
  const s = service.trim();
  if (!c) throw new Error('A cluster name or ARN is needed.');
  if (!s) throw new Error('A service name or ARN is needed.');
  const ecs = await ecsDataOf(session);
  const described = call('ecs:DescribeServices', () => ecs.describeService(c, s));
  // Load the ELBv2 client while DescribeServices is in flight: loading it later would hold up the
  // first ListTasks pages (the slow, sequential part) by the time it takes to load.
  const warm = import('@aws-sdk/client-elastic-load-balancing-v2').catch(() => undefined);
  const [svc, region] = await Promise.all([described, session.region(), warm]);
  if (!svc || svc.status === 'INACTIVE') throw new ServiceNotFoundError(`Service ${lastSegment(s)} was not found in cluster ${clusterNameOf(c)}${svc ? ' (it was deleted)' : ''}.`);
  const now = opts.now ?? Date.now();
  const name = svc.serviceName ?? lastSegment(s);
  const raw = new Map<string, Task>();
  const primary = svc.deployments?.find((d) => d.status === 'PRIMARY') ?? svc.deployments?.[0];
  const tdArn = primary?.taskDefinition ?? svc.taskDefinition;
  const tgArns = [...new Set((svc.loadBalancers ?? []).map((l) => l.targetGroupArn).filter((a): a is string => !!a))];

  const [stopped, running, taskDefinition, targetGroups] = await Promise.all([
    tasksOf(ecs, c, name, 'STOPPED', raw),
    tasksOf(ecs, c, name, 'RUNNING', raw),
    tdArn ? readTaskDef(ecs, tdArn) : Promise.resolve<Read<never>>({ ok: false, reason: 'the service names no task definition' }),
    Promise.all(tgArns.map((arn) => readTargetGroup(session, arn))),
  ]);

  // What the stopped tasks call for: memory for out-of-memory stops, the task diagnosis for the dominant group.
  const groups = stopped.ok ? groupStopped(stopped.value, now) : [];
  const oom = groups.some((g) => g.category === 'OutOfMemoryError' || /137/.test(g.variant));
  const top = dominantGroup(groups);
  const [memory, dominantDiagnosis] = await Promise.all([
    oom
      ? memorySeries(session, c, name, now).then(
          (value): Read<typeof value> => ({ ok: true, value }),
          (err) => failedRead(err, 'cloudwatch:GetMetricData', `aws cloudwatch get-metric-data --metric-data-queries '[{"Id":"m","MetricStat":{"Metric":{"Namespace":"AWS/ECS","MetricName":"MemoryUtilization","Dimensions":[{"Name":"ClusterName","Value":"${clusterNameOf(c)}"},{"Name":"ServiceName","Value":"${name}"}]},"Period":60,"Stat":"Maximum"}}]' --start-time ${new Date(now - 3_600_000).toISOString()} --end-time ${new Date(now).toISOString()}`),
        )
      : Promise.resolve(undefined),
    top && opts.explainDominant !== false ? explainNewest(session, ecs, c, region, svc, raw.get(top.newest.taskArn), taskDefinition) : Promise.resolve(undefined),
  ]);

  const gathered: ServiceGathered = { region, cluster: c, now, service: svc, stopped, running, taskDefinition, targetGroups };
  if (stopped.ok) gathered.stoppedGroups = groups;
  if (memory) gathered.memory = memory;
  if (dominantDiagnosis) gathered.dominantDiagnosis = dominantDiagnosis;
  return judgeService(gathered);
}

/** The task diagnosis (core pipeline with the AWS collector) of one stopped task already described. */
async function explainNewest(
  session: AwsSession,
  ecs: EcsData,
  cluster: string,
  region: string,
  svc: Service,
  task: Task | undefined,
  primaryTd: Read<{ facts: TaskDefFacts; document: unknown }>,
): Promise<DiagnoseResult | undefined> {
  if (!task) return undefined;
  try {
    const arn = task.taskDefinitionArn;
    let taskDefinition: TaskDefinitionRead = { kind: 'none' };
    if (arn) {
      const read = primaryTd.ok && primaryTd.value.facts.arn === arn ? primaryTd : await readTaskDef(ecs, arn);
      taskDefinition = read.ok ? { kind: 'read', arn, facts: read.value.facts } : { kind: 'failed', arn, error: new Error(read.reason) };
    }
    const facts = taskDefinition.kind === 'read' ? taskDefinition.facts : undefined;
    const gathered: GatheredTask = {
      region,
      cluster,
      task: toTaskFacts(task),
      stop: toStopInput(task, facts),
      taskDefinition,
      service: { kind: 'read', name: svc.serviceName ?? '?', cluster, facts: toServiceFacts(svc) },
    };
    return await diagnose(gathered, awsCollector({ session, once: memo() }));
  } catch {
    return undefined;
  }
}

/** A one-line, secret-free message for a service diagnosis that could not start. */
export function serviceDiagnoseErrorMessage(err: unknown, ctx: { profile?: string | undefined } = {}): string {
  if (err instanceof Denied) return `Could not read the service (needs ${err.action}).`;
  if (err instanceof ServiceNotFoundError) return err.message;
  return userMessage(err, ctx.profile ? { profile: ctx.profile } : {});
}
