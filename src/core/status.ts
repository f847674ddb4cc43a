/**
 * The explorer's tree as data, for `ecs-doctor status`: clusters -> services -> tasks ->
 * containers with the same health roll-up (src/core/health.ts), read through an EcsSource with
 * the fewest calls: per cluster one ListServices/DescribeServices stream and one ListTasks/
 * DescribeTasks stream for ALL its tasks (grouped by "service:NAME"), instead of one per service.
 */
import type { EcsSource, SourceError } from './ecsSource';
import { clusterNameOf, serviceNameOf, taskIdOf } from './arn';
import { taskDefinitionLabel, timeOf, type EcsCluster, type EcsService, type EcsTask, type EcsTaskDefinition, type HealthStatus } from './ecsTypes';
import { clusterHealth, containerHealth, isEssential, needsTaskDefinition, serviceHealth, taskHealth, type ServiceHealth } from './health';
import { classifyAwsError } from './awsErrors';

export interface StatusOptions {
  /** Cluster name or ARN; all clusters when absent. */
  cluster?: string;
  /** Service name or ARN; all services when absent (standalone tasks are then left out). */
  service?: string;
  includeStopped?: boolean;
  signal?: AbortSignal;
  /** The time now (ms since the epoch), for "deployment stuck" (default Date.now()). */
  now?: number;
}

export interface StatusContainer {
  name: string;
  lastStatus: string | null;
  health: HealthStatus;
  exitCode: number | null;
  reason: string | null;
  essential?: boolean;
}

export interface StatusTask {
  id: string;
  arn: string;
  lastStatus: string | null;
  health: HealthStatus;
  stopCode: string | null;
  stoppedReason: string | null;
  containers: StatusContainer[];
  taskDefinition?: string | null;
  startedAt?: string | null;
  stoppedAt?: string | null;
}

export interface StatusService {
  name: string;
  arn: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  rolloutState: string | null;
  /** Present (true) only when the deployment circuit breaker rolled a deployment back. */
  rolledBack?: true;
  /** Present only when the rollout makes no progress: "deployment stuck: 2 h in progress". */
  deploymentStuck?: string;
  health: HealthStatus | null;
  tasks: StatusTask[];
  /** Present only when something failed for this service. */
  error?: string;
}

export interface StatusCluster {
  name: string;
  arn: string;
  health: HealthStatus | null;
  services: StatusService[];
  tasks: StatusTask[];
  error?: string;
}

export interface StatusReport {
  clusters: StatusCluster[];
}

/** A readable failure of part of the tree. */
function msg(err: unknown): string {
  const e = err as Partial<SourceError> | undefined;
  if (e && typeof e.message === 'string' && typeof e.kind === 'string') return e.message;
  return classifyAwsError(err).message;
}

function iso(t: Date | string | number | undefined | null): string | null {
  const ms = timeOf(t);
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** Reads the tree. Never throws for part of it: failures are recorded on the node (`error`). */
export async function collectStatus(source: EcsSource, opts: StatusOptions = {}): Promise<StatusReport> {
  const signal = opts.signal;
  let clusters: EcsCluster[];
  const clusterErrors = new Map<string, string>();
  if (opts.cluster) {
    const r = await source.describeClusters([opts.cluster], {}, { signal });
    if (r.errors.length) throw new Error(`Cannot read cluster "${opts.cluster}": ${r.errors[0]!.error.message}`);
    const missing = r.failures.find((f) => f.reason === 'MISSING');
    if (!r.items.length || missing) throw new Error(`Cluster "${opts.cluster}" not found (check the name, the Region and the profile)`);
    clusters = r.items;
  } else {
    const r = await source.clusters({}, { signal });
    clusters = [...r.items];
    // Clusters whose details failed still show, by name, with the error.
    for (const e of r.errors) {
      for (const arn of e.arns) {
        clusters.push({ clusterArn: arn, clusterName: clusterNameOf(arn) });
        clusterErrors.set(arn, e.error.message);
      }
    }
  }
  clusters.sort((a, b) => (a.clusterName ?? '').localeCompare(b.clusterName ?? ''));
  const taskDefs = new Map<string, Promise<EcsTaskDefinition | undefined>>();
  const taskDef = (arn: string) => {
    let p = taskDefs.get(arn);
    if (!p) {
      p = source.taskDefinition(arn, { signal }).then(
        (td) => td,
        () => undefined,
      );
      taskDefs.set(arn, p);
    }
    return p;
  };
  const out = await Promise.all(
    clusters.map(async (c): Promise<StatusCluster> => {
      const arn = c.clusterArn ?? '';
      const name = c.clusterName ?? clusterNameOf(arn);
      const base: StatusCluster = { name, arn, health: null, services: [], tasks: [] };
      if (clusterErrors.has(arn)) return { ...base, error: clusterErrors.get(arn)! };
      try {
        return await collectCluster(source, arn || name, base, opts, taskDef);
      } catch (err) {
        return { ...base, error: msg(err) };
      }
    }),
  );
  if (opts.service && !out.some((c) => c.services.length)) {
    const where = opts.cluster ? `cluster "${opts.cluster}"` : 'any cluster';
    const errs = out.filter((c) => c.error);
    if (!errs.length) throw new Error(`Service "${opts.service}" not found in ${where}`);
  }
  return { clusters: opts.service ? out.filter((c) => c.services.length || c.error) : out };
}

async function collectCluster(
  source: EcsSource,
  cluster: string,
  base: StatusCluster,
  opts: StatusOptions,
  taskDef: (arn: string) => Promise<EcsTaskDefinition | undefined>,
): Promise<StatusCluster> {
  const signal = opts.signal;
  const wanted = opts.service;
  const matches = (s: EcsService) => !wanted || s.serviceName === wanted || s.serviceArn === wanted;
  const servicesP = source.services(cluster, {}, { signal });
  // All tasks of the cluster in one stream (or of the one service asked for).
  const serviceName = wanted ? serviceNameOf(wanted) : undefined;
  const filter = serviceName ? { serviceName } : {};
  // desiredStatus always said: a thin endpoint (moto, LocalStack) lists every task without it.
  const runningP = source.tasks(cluster, { ...filter, desiredStatus: 'RUNNING' }, {}, { signal });
  const stoppedP = opts.includeStopped ? source.tasks(cluster, { ...filter, desiredStatus: 'STOPPED' }, {}, { signal }) : undefined;
  const [servicesR, runningR, stoppedR] = await Promise.all([
    servicesP,
    runningP.catch((err: unknown) => err as Error),
    stoppedP?.catch((err: unknown) => err as Error),
  ]);
  const services = servicesR.items.filter(matches).sort((a, b) => (a.serviceName ?? '').localeCompare(b.serviceName ?? ''));
  const taskError = runningR instanceof Error ? msg(runningR) : runningR.errors.map((e) => e.error.message)[0];
  const stoppedError = stoppedR instanceof Error ? msg(stoppedR) : stoppedR?.errors.map((e) => e.error.message)[0];
  const tasks = [...(runningR instanceof Error ? [] : runningR.items), ...(stoppedR && !(stoppedR instanceof Error) ? stoppedR.items : [])];
  const seen = new Set<string>();
  const unique = tasks.filter((t) => (t.taskArn && !seen.has(t.taskArn) ? (seen.add(t.taskArn), true) : false));

  // Task health; ECS gives it, or the essential flags from the task definition decide.
  const rows = await Promise.all(
    unique.map(async (t) => {
      const td = needsTaskDefinition(t) && t.taskDefinitionArn ? await taskDef(t.taskDefinitionArn) : undefined;
      return { task: t, health: taskHealth(t, td).health, td };
    }),
  );
  const byGroup = new Map<string, typeof rows>();
  for (const r of rows) {
    const g = r.task.group ?? '';
    const list = byGroup.get(g) ?? [];
    list.push(r);
    byGroup.set(g, list);
  }
  const healths: ServiceHealth[] = [];
  const statusServices: StatusService[] = services.map((s) => {
    const mine = byGroup.get(`service:${s.serviceName}`) ?? [];
    const h = serviceHealth(s, taskError ? undefined : mine, opts.now ?? Date.now());
    healths.push(h);
    const row: StatusService = {
      name: s.serviceName ?? serviceNameOf(s.serviceArn ?? ''),
      arn: s.serviceArn ?? '',
      desiredCount: h.desired,
      runningCount: h.running,
      pendingCount: h.pending,
      rolloutState: h.rolloutState ?? null,
      ...(h.rolledBack ? { rolledBack: true as const } : {}),
      ...(h.stuck ? { deploymentStuck: h.stuck.text } : {}),
      health: h.health ?? null,
      tasks: sortTasks(mine).map(taskRow),
    };
    const err = taskError ?? stoppedError;
    if (err) row.error = err;
    return row;
  });
  const standalone = wanted ? [] : rows.filter((r) => !(r.task.group ?? '').startsWith('service:'));
  const describeErrors = servicesR.errors.map((e) => e.error.message);
  const result: StatusCluster = {
    ...base,
    health: clusterHealth(healths).health ?? null,
    services: statusServices,
    tasks: sortTasks(standalone).map(taskRow),
  };
  const errors = [...describeErrors, ...(taskError ? [taskError] : []), ...(stoppedError ? [stoppedError] : [])];
  if (errors.length) result.error = [...new Set(errors)].join('; ');
  return result;
}

/** Running first (by id), then stopped newest first. */
function sortTasks<T extends { task: EcsTask }>(rows: T[]): T[] {
  const stopped = (t: EcsTask) => t.lastStatus === 'STOPPED';
  return [...rows].sort((a, b) => {
    const sa = stopped(a.task);
    const sb = stopped(b.task);
    if (sa !== sb) return sa ? 1 : -1;
    if (sa) return (timeOf(b.task.stoppedAt) ?? 0) - (timeOf(a.task.stoppedAt) ?? 0);
    return (a.task.taskArn ?? '').localeCompare(b.task.taskArn ?? '');
  });
}

function taskRow(r: { task: EcsTask; health: HealthStatus; td?: EcsTaskDefinition | undefined }): StatusTask {
  const t = r.task;
  return {
    id: taskIdOf(t.taskArn ?? ''),
    arn: t.taskArn ?? '',
    lastStatus: t.lastStatus ?? null,
    health: r.health,
    stopCode: t.stopCode ?? null,
    stoppedReason: t.stoppedReason ?? null,
    containers: (t.containers ?? []).map((c) => ({
      name: c.name ?? '',
      lastStatus: c.lastStatus ?? null,
      health: containerHealth(c),
      // A running container has not exited: a thin endpoint's exitCode 0 on one is not an exit.
      exitCode: c.lastStatus === 'RUNNING' ? null : (c.exitCode ?? null),
      reason: c.reason ?? null,
      ...(r.td ? { essential: isEssential(c.name, r.td) } : {}),
    })),
    taskDefinition: taskDefinitionLabel(t.taskDefinitionArn) ?? null,
    startedAt: iso(t.startedAt),
    stoppedAt: iso(t.stoppedAt),
  };
}

/** Whether anything in the report failed. */
export function statusHasErrors(r: StatusReport): boolean {
  return r.clusters.some((c) => c.error || c.services.some((s) => s.error));
}

const HEALTH_MARK: Record<string, string> = { HEALTHY: 'ok', UNHEALTHY: 'UNHEALTHY', UNKNOWN: '?' };

/** The tree as indented text. */
export function statusText(r: StatusReport): string {
  const out: string[] = [];
  if (!r.clusters.length) return 'No clusters.\n';
  for (const c of r.clusters) {
    const below = c.services.filter((s) => s.runningCount < s.desiredCount).length;
    out.push(
      `cluster ${c.name}  health ${c.health ?? '-'}  ${c.services.length} service${c.services.length === 1 ? '' : 's'}${below ? `, ${below} below desired` : ''}`,
    );
    if (c.error) out.push(`  ! ${c.error}`);
    for (const s of c.services) {
      const parts = [`${s.runningCount}/${s.desiredCount} running`];
      if (s.pendingCount) parts.push(`${s.pendingCount} pending`);
      if (s.rolloutState) parts.push(`rollout ${s.rolloutState}`);
      if (s.rolledBack) parts.push('circuit breaker rolled back');
      if (s.deploymentStuck) parts.push(s.deploymentStuck);
      parts.push(`health ${s.health ?? '-'}`);
      out.push(`  service ${s.name}  ${parts.join('  ')}${s.runningCount < s.desiredCount ? '  (below desired)' : ''}`);
      if (s.error) out.push(`    ! ${s.error}`);
      for (const t of s.tasks) taskLines(t, '    ', out);
    }
    if (c.tasks.length) {
      out.push('  standalone tasks');
      for (const t of c.tasks) taskLines(t, '    ', out);
    }
  }
  return out.join('\n') + '\n';
}

function taskLines(t: StatusTask, indent: string, out: string[]): void {
  const parts = [t.lastStatus ?? '?', `health ${HEALTH_MARK[t.health] === 'ok' ? 'HEALTHY' : t.health}`];
  if (t.taskDefinition) parts.push(t.taskDefinition);
  if (t.stopCode) parts.push(t.stopCode);
  out.push(`${indent}task ${t.id}  ${parts.join('  ')}`);
  if (t.stoppedReason) out.push(`${indent}  reason: ${t.stoppedReason}`);
  for (const c of t.containers) {
    const cp = [c.lastStatus ?? '?', c.health];
    if (c.lastStatus === 'STOPPED') cp.push(c.exitCode === null ? 'never started' : `exit ${c.exitCode}`);
    if (c.essential === false) cp.push('non-essential');
    out.push(`${indent}  container ${c.name}  ${cp.join('  ')}${c.reason ? `  (${c.reason})` : ''}`);
  }
}

/** The JSON of the issue: exactly its keys (plus `error` where a part failed). */
export function statusJson(r: StatusReport): StatusReport {
  const task = (t: StatusTask) => ({
    id: t.id,
    arn: t.arn,
    lastStatus: t.lastStatus,
    health: t.health,
    stopCode: t.stopCode,
    stoppedReason: t.stoppedReason,
    containers: t.containers.map((c) => ({ name: c.name, lastStatus: c.lastStatus, health: c.health, exitCode: c.exitCode, reason: c.reason })),
  });
  return {
    clusters: r.clusters.map((c) => ({
      name: c.name,
      arn: c.arn,
      health: c.health,
      services: c.services.map((s) => ({
        name: s.name,
        arn: s.arn,
        desiredCount: s.desiredCount,
        runningCount: s.runningCount,
        pendingCount: s.pendingCount,
        rolloutState: s.rolloutState,
        ...(s.rolledBack ? { rolledBack: true } : {}),
        ...(s.deploymentStuck ? { deploymentStuck: s.deploymentStuck } : {}),
        health: s.health,
        tasks: s.tasks.map(task),
        ...(s.error ? { error: s.error } : {}),
      })),
      tasks: c.tasks.map(task),
      ...(c.error ? { error: c.error } : {}),
    })),
  };
}
