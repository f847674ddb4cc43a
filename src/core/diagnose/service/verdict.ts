/**
 * The one verdict for a service, from what ECS says (deployments, events, counts, stopped and
 * running tasks) and, when they could be read, the target health. Order: a failed deployment
 * (circuit breaker), a stuck rollout, a restart loop, unhealthy tasks, too few tasks, healthy.
 * Never surer than the evidence: each branch needs ECS's own fields, and what was not read is
 * left out of the reasoning rather than assumed fine or broken.
 *
 * Deployment fields and the circuit breaker: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
 * and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html.
 * minimumHealthyPercent / maximumPercent: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html.
 */
import { lastSegment } from '../../arn';
import type { TaskFacts } from '../facts';
import { plural } from '../judges/text';
import { recent, unresolvedPlacement, type ReadEvent } from './events';
import { stoppedAtOf } from './stopped';
import { duration, HOUR_MS, ms } from './time';
import type { DeploymentInput, ServiceInput, ServiceVerdict, StoppedGroup } from './types';

/** Failure stops in the last hour at or above this make a restart loop. */
export const LOOP_THRESHOLD = 3;
/** A rollout with no visible cause is called stuck after this long. */
export const STUCK_AFTER_MS = 30 * 60_000;

export interface VerdictInput {
  name: string;
  now: number;
  service: ServiceInput;
  events: readonly ReadEvent[];
  /** Undefined: the stopped tasks could not be read. */
  groups?: readonly StoppedGroup[];
  /** The stopped tasks themselves (for "since the deployment"). */
  stopped?: readonly TaskFacts[];
  /** Undefined: the running tasks could not be read. */
  running?: readonly TaskFacts[];
  /** Unhealthy targets across the service's target groups; undefined when not read. */
  unhealthyTargets?: number;
}

export interface VerdictDetail extends ServiceVerdict {
  primary?: DeploymentInput;
  failed?: DeploymentInput;
  failuresLastHour: number;
  sinceDeployment?: number;
  /** The rollout cannot progress under its deployment configuration. */
  configurationBlocks?: boolean;
  placement?: ReadEvent[];
}

export function primaryOf(svc: ServiceInput): DeploymentInput | undefined {
  const ds = svc.deployments ?? [];
  return ds.find((d) => d.status === 'PRIMARY') ?? ds[0];
}

const rev = (td: string | undefined) => (td ? lastSegment(td) : undefined);

/** True when min/max percent let the scheduler neither start an extra task nor stop an old one first. */
export function configurationBlocks(svc: ServiceInput, desired: number | undefined): boolean {
  const c = svc.deploymentConfiguration;
  if (!c || c.minimumHealthyPercent === undefined || c.maximumPercent === undefined || !desired) return false;
  const maxTasks = Math.floor((c.maximumPercent * desired) / 100);
  const minTasks = Math.ceil((c.minimumHealthyPercent * desired) / 100);
  return maxTasks <= desired && minTasks >= desired;
}

/**
 * The service's running count. Thin endpoints (moto, LocalStack) report runningCount 0 while
 * tasks run: then the RUNNING tasks ECS listed are counted instead.
 */
export function runningCountOf(svc: ServiceInput, running: readonly TaskFacts[] | undefined): number | undefined {
  const listed = running?.filter((t) => t.lastStatus === 'RUNNING').length;
  return svc.runningCount === 0 && listed ? listed : svc.runningCount;
}

export function decideVerdict(v: VerdictInput): VerdictDetail {
  const { service: svc, now, events } = v;
  const deployments = svc.deployments ?? [];
  const primary = primaryOf(svc);
  const hourAgo = now - HOUR_MS;
  const failures = (v.groups ?? []).filter((g) => g.failure);
  const failuresLastHour = failures.reduce((n, g) => n + g.lastHour, 0);
  const primaryAt = ms(primary?.createdAt);
  const failedArns = new Set(failures.flatMap((g) => g.taskArns));
  const failedStops = (v.stopped ?? []).filter((t) => failedArns.has(t.taskArn));
  const sinceDeployment = primaryAt !== undefined && v.stopped ? failedStops.filter((t) => (stoppedAtOf(t) ?? 0) >= primaryAt).length : undefined;
  const base = { failuresLastHour, ...(sinceDeployment !== undefined ? { sinceDeployment } : {}), ...(primary ? { primary } : {}) };
  const top = failures[0];
  const topText = top ? ` Most stops: ${top.title} (${top.count}).` : '';
  const lived = top?.lifetimes.median !== undefined ? ` They lived ${duration(top.lifetimes.median)} (median).` : '';

  // 1. The circuit breaker failed a deployment (and maybe rolled back).
  const failedDep = deployments.find((d) => d.rolloutState === 'FAILED');
  const failedEvent = recent(events, 'deployment-failed', hourAgo)[0];
  if (failedDep || failedEvent) {
    const back = recent(events, 'rolling-back', hourAgo)[0];
    const failed = failedDep ?? deployments.find((d) => d.id && d.id === failedEvent?.deployment);
    const rolledTo = back?.deployment ? deployments.find((d) => d.id === back.deployment) : undefined;
    const toDep = rolledTo ?? (primary && primary !== failed ? primary : undefined);
    const from = rev(failed?.taskDefinition);
    const to = rev(toDep?.taskDefinition);
    const why = failed?.rolloutStateReason ?? failedEvent?.message ?? 'the deployment failed';
    const summary =
      `The deployment${from ? ` of ${from}` : ''} failed (${why})` +
      (to ? ` and ECS rolled back to ${to}.` : failed && failed === primary ? '; rollback is off, so the service stays on the failed revision.' : '.') +
      topText;
    const out: VerdictDetail = { kind: 'deployment-failed', summary, why, ...base };
    if (from) out.from = from;
    if (to) out.to = to;
    if (failed) out.failed = failed;
    return out;
  }

  // 2. A rollout in progress that makes no progress.
  if (primary?.rolloutState === 'IN_PROGRESS' || (primary && deployments.length > 1 && !primary.rolloutState)) {
    const since = primaryAt ?? hourAgo;
    const age = primaryAt !== undefined ? now - primaryAt : undefined;
    const desired = primary.desiredCount ?? svc.desiredCount;
    const unplaced = unresolvedPlacement(events, since);
    // Unless every new task runs (an unknown desired count cannot say so).
    const placement = unplaced && (desired === undefined || (primary.runningCount ?? 0) < desired) ? [unplaced] : [];
    const oldRunning = deployments.some((d) => d !== primary && (d.runningCount ?? 0) > 0);
    const blocks = oldRunning && configurationBlocks(svc, desired);
    const newFailing = (sinceDeployment ?? 0) >= 2 || (primary.failedTasks ?? 0) >= 2;
    const ageText = age !== undefined ? ` for ${duration(age / 1000)}` : '';
    const counts = `${primary.runningCount ?? '?'} of ${desired ?? '?'} new tasks running`;
    let why: string | undefined;
    if (placement.length) why = `tasks cannot be placed: ${placement[0]!.placement ?? placement[0]!.message}`;
    else if (newFailing) why = `new tasks keep failing (${plural(sinceDeployment ?? primary.failedTasks ?? 0, 'failed task')} since it began)${top ? `: ${top.title}` : ''}`;
    else if (blocks) {
      const c = svc.deploymentConfiguration!;
      why = `the deployment configuration cannot make progress: desired ${desired} with minimumHealthyPercent ${c.minimumHealthyPercent} and maximumPercent ${c.maximumPercent} lets the scheduler neither start an extra task nor stop an old one first`;
    } else if (age !== undefined && age >= STUCK_AFTER_MS && (primary.runningCount ?? 0) < (desired ?? 0)) why = 'no progress, and ECS reports no placement failure or failed task: look at the events and the new tasks';
    if (why) {
      return { kind: 'deployment-stuck', summary: `The rollout of ${rev(primary.taskDefinition) ?? 'the new revision'} has been in progress${ageText} (${counts}): ${why}.${lived}`, why, ...base, configurationBlocks: blocks, placement };
    }
    return { kind: 'healthy', summary: `A rollout of ${rev(primary.taskDefinition) ?? 'a new revision'} is in progress${ageText} (${counts}), with no failures so far.`, ...base };
  }

  // 3. Tasks keep being replaced.
  if (failuresLastHour >= LOOP_THRESHOLD) {
    const since = sinceDeployment !== undefined ? ` (${sinceDeployment} since the last deployment)` : '';
    return { kind: 'restart-loop', summary: `Tasks keep being replaced: ${failuresLastHour} stopped for a failure in the last hour${since}.${lived}${topText}`, ...base };
  }
  if (!v.groups) {
    // The stopped tasks could not be read: the events alone can still show a loop.
    const starts = recent(events, 'started', hourAgo).length;
    const unhealthyEv = recent(events, 'unhealthy-target', hourAgo).length + recent(events, 'failed-container-health', hourAgo).length;
    if (starts >= LOOP_THRESHOLD && unhealthyEv) {
      return { kind: 'restart-loop', summary: `The service events show ${starts} task starts and ${unhealthyEv} health-check failures in the last hour (the stopped tasks themselves were not read).`, ...base };
    }
  }

  // 4. Running but unhealthy.
  const unhealthyTasks = (v.running ?? []).filter((t) => t.healthStatus === 'UNHEALTHY');
  const recentUnhealthy = recent(events, 'unhealthy-target', now - 15 * 60_000);
  // A health-check stop counts as current only when it is recent (the newest within 15 minutes).
  const recentHealthStops = failures.filter((g) => /HealthCheck/.test(g.category) && (ms(g.newest.stoppedAt) ?? 0) >= now - 15 * 60_000);
  if (unhealthyTasks.length || (v.unhealthyTargets ?? 0) > 0 || recentUnhealthy.length || recentHealthStops.length) {
    const parts: string[] = [];
    if (unhealthyTasks.length) parts.push(`${plural(unhealthyTasks.length, 'running task')} UNHEALTHY`);
    if (v.unhealthyTargets) parts.push(`${plural(v.unhealthyTargets, 'target')} unhealthy in the load balancer`);
    if (recentUnhealthy.length && !v.unhealthyTargets) parts.push(`the events report targets unhealthy: ${recentUnhealthy[0]!.reason ?? 'see the events'}`);
    if (!parts.length) parts.push(`${plural(recentHealthStops.reduce((n, g) => n + g.lastHour, 0), 'task')} stopped for failed health checks in the last hour, the newest in the last 15 minutes`);
    return { kind: 'unhealthy', summary: `Tasks are running but failing health checks: ${parts.join('; ')}.`, ...base };
  }

  // 5. Fewer tasks than desired.
  const desired = svc.desiredCount;
  const running = runningCountOf(svc, v.running);
  if (desired !== undefined && running !== undefined && running < desired) {
    // ECS repeats an event message only when its cause changed or after six hours.
    const unplaced = unresolvedPlacement(events, now - 6 * HOUR_MS);
    const placement = unplaced ? [unplaced] : [];
    const why = placement.length ? `tasks cannot be placed: ${placement[0]!.placement ?? placement[0]!.message}` : failuresLastHour ? `${plural(failuresLastHour, 'task')} stopped for a failure in the last hour` : svc.pendingCount ? `${svc.pendingCount} pending` : 'ECS reports no reason';
    return { kind: 'under-capacity', summary: `${running} of ${desired} tasks running: ${why}.`, why, ...base, placement };
  }

  const known = desired !== undefined && running !== undefined;
  const summary = known
    ? `${running} of ${desired} tasks running${failuresLastHour ? `; ${plural(failuresLastHour, 'failure stop')} in the last hour, below a loop` : ', no failure stops in the last hour'}.`
    : 'No problem in what ECS reported, but it did not report the desired and running counts (not checked).';
  return { kind: 'healthy', summary, ...base };
}
