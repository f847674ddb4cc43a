/**
 * Health roll-up: container -> task -> service -> cluster, following ECS's own rule
 * (HealthCheck reference): a task's health comes from its ESSENTIAL containers only, with the
 * priority UNHEALTHY > UNKNOWN > HEALTHY; a non-essential sidecar never makes a task unhealthy.
 * Services and clusters roll up the same way over their RUNNING tasks, and report a shortfall
 * (running < desired), a failed rollout or a circuit-breaker rollback separately.
 */
import { rolledBackLately, stuckDeployment, type StuckDeployment } from './diagnose/service/glance';
import type { EcsContainer, EcsService, EcsTask, EcsTaskDefinition, HealthStatus } from './ecsTypes';

const RANK: Record<HealthStatus, number> = { HEALTHY: 0, UNKNOWN: 1, UNHEALTHY: 2 };

/** A health value from the API: anything other than HEALTHY/UNHEALTHY (missing included) is UNKNOWN. */
export function normalizeHealth(h: string | undefined | null): HealthStatus {
  return h === 'HEALTHY' || h === 'UNHEALTHY' ? h : 'UNKNOWN';
}

/**
 * The ECS priority over a set of health values: any UNHEALTHY -> UNHEALTHY; else any UNKNOWN ->
 * UNKNOWN; else HEALTHY. An empty set has no health (undefined): nothing is there to be unhealthy.
 */
export function worstHealth(values: Iterable<HealthStatus | string | undefined>): HealthStatus | undefined {
  let worst: HealthStatus | undefined;
  for (const v of values) {
    const h = normalizeHealth(v);
    if (worst === undefined || RANK[h] > RANK[worst]) worst = h;
    if (worst === 'UNHEALTHY') break;
  }
  return worst;
}

/** A container with no health check reports UNKNOWN (or nothing at all); both are UNKNOWN. */
export function containerHealth(c: EcsContainer): HealthStatus {
  return normalizeHealth(c.healthStatus);
}

/**
 * Whether the container named `name` is essential, from the task definition. `essential`
 * defaults to true; without the task definition every container counts as essential.
 */
export function isEssential(name: string | undefined, taskDef: EcsTaskDefinition | undefined): boolean {
  if (!taskDef?.containerDefinitions) return true;
  const def = taskDef.containerDefinitions.find((d) => d.name === name);
  return def?.essential !== false;
}

export interface TaskHealth {
  health: HealthStatus;
  /** 'task': ECS's own healthStatus; 'computed': from the essential containers. */
  source: 'task' | 'computed';
}

/** The health values ECS's API uses for a task; anything else (missing, empty) means "not given". */
function givenHealth(h: string | undefined): HealthStatus | undefined {
  return h === 'HEALTHY' || h === 'UNHEALTHY' || h === 'UNKNOWN' ? h : undefined;
}

/**
 * A task's health: ECS's own `healthStatus` when it gives one, otherwise computed from the
 * essential containers (essential flags from the task definition when known).
 */
export function taskHealth(task: EcsTask, taskDef?: EcsTaskDefinition): TaskHealth {
  const given = givenHealth(task.healthStatus);
  if (given) return { health: given, source: 'task' };
  return { health: computeTaskHealth(task.containers ?? [], taskDef), source: 'computed' };
}

/** ECS's rule over the essential containers; a task with no essential container known is UNKNOWN. */
export function computeTaskHealth(containers: readonly EcsContainer[], taskDef?: EcsTaskDefinition): HealthStatus {
  const essential = containers.filter((c) => isEssential(c.name, taskDef));
  return worstHealth(essential.map(containerHealth)) ?? 'UNKNOWN';
}

/**
 * Whether computing a task's health needs its task definition (ECS gave no task health). Even
 * one reported container needs it: it may be a non-essential sidecar, with the essential
 * containers unreported (then UNKNOWN), and only the task definition says which is which.
 */
export function needsTaskDefinition(task: EcsTask): boolean {
  return givenHealth(task.healthStatus) === undefined && (task.containers?.length ?? 0) > 0;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** What the tree, the CLI and the reports show for a service. */
export interface ServiceHealth {
  /** The roll-up over its running tasks' health; undefined when the tasks are not known or none runs. */
  health: HealthStatus | undefined;
  desired: number;
  running: number;
  pending: number;
  /** running < desired: shown separately from the health. */
  belowDesired: boolean;
  /** The PRIMARY deployment's rolloutState. */
  rolloutState: RolloutState | undefined;
  rolloutStateReason: string | undefined;
  /** A deployment circuit breaker rolled back (or is rolling back) a failed deployment; with `now`, also one it rolled back in the last hour. */
  rolledBack: boolean;
  /** How many running tasks are UNHEALTHY (when the tasks are known). */
  unhealthyTasks: number;
  /** The PRIMARY rollout makes no progress (only judged when the caller gives the time now). */
  stuck?: StuckDeployment;
  /** The overall condition for an icon: the worst of health, capacity and rollout. */
  condition: Condition;
}

/**
 * The single state an icon shows, worst first:
 * - failed:    unhealthy tasks, a FAILED rollout, or nothing running although tasks are desired;
 * - degraded:  running < desired, a rollback, or a rollout that makes no progress;
 * - deploying: a rollout IN_PROGRESS with capacity met;
 * - unknown:   ECS does not know the health (no health checks), or its tasks have not been read yet;
 * - healthy;
 * - idle:      nothing desired, nothing running.
 */
export type Condition = 'failed' | 'degraded' | 'deploying' | 'unknown' | 'healthy' | 'idle';

const CONDITION_RANK: Record<Condition, number> = { idle: 0, healthy: 1, unknown: 2, deploying: 3, degraded: 4, failed: 5 };

export function worstCondition(values: Iterable<Condition>): Condition | undefined {
  let worst: Condition | undefined;
  for (const v of values) if (worst === undefined || CONDITION_RANK[v] > CONDITION_RANK[worst]) worst = v;
  return worst;
}

/** The PRIMARY deployment (the one the service is moving to), or the first one listed. */
export function primaryDeployment(service: EcsService) {
  const ds = service.deployments ?? [];
  return ds.find((d) => d.status === 'PRIMARY') ?? ds[0];
}

function rolloutOf(s: string | undefined): RolloutState | undefined {
  return s === 'IN_PROGRESS' || s === 'COMPLETED' || s === 'FAILED' ? s : undefined;
}

/**
 * A service's health. `tasks` are its tasks when they have been read (any status: only RUNNING
 * ones count); without them the health is undefined and the condition comes from the counts
 * and the rollout alone.
 */
export function serviceHealth(
  service: EcsService,
  tasks?: readonly { task: EcsTask; health: HealthStatus }[],
  now?: number,
): ServiceHealth {
  const desired = service.desiredCount ?? 0;
  // The tasks seen RUNNING count too: a thin endpoint (moto, LocalStack) reports runningCount 0
  // (and pendingCount 0) for a service whose tasks it lists as RUNNING.
  const running = Math.max(service.runningCount ?? 0, tasks?.filter((t) => t.task.lastStatus === 'RUNNING').length ?? 0);
  const pending = Math.max(service.pendingCount ?? 0, tasks?.filter((t) => PENDING_STATES.has(t.task.lastStatus ?? '')).length ?? 0);
  const primary = primaryDeployment(service);
  const rolloutState = rolloutOf(primary?.rolloutState);
  const reason = primary?.rolloutStateReason;
  const rolledBack =
    /roll(ed|ing)?[ -]?back/i.test(reason ?? '') ||
    (service.deployments ?? []).some((d) => /roll(ed|ing)?[ -]?back/i.test(d.rolloutStateReason ?? '')) ||
    (now !== undefined && rolledBackLately(service, now));
  const runningTasks = tasks?.filter((t) => t.task.lastStatus === 'RUNNING') ?? [];
  const health = tasks ? worstHealth(runningTasks.map((t) => t.health)) : undefined;
  const unhealthyTasks = runningTasks.filter((t) => t.health === 'UNHEALTHY').length;
  const belowDesired = running < desired;
  const stuck = now !== undefined ? stuckDeployment(service, now) : undefined;

  let condition: Condition;
  if (health === 'UNHEALTHY' || rolloutState === 'FAILED' || (desired > 0 && running === 0)) condition = 'failed';
  else if (belowDesired || rolledBack || stuck) condition = 'degraded';
  else if (rolloutState === 'IN_PROGRESS') condition = 'deploying';
  else if (desired === 0 && running === 0) condition = 'idle';
  else if (health === 'HEALTHY') condition = 'healthy';
  else if (health === 'UNKNOWN') condition = 'unknown';
  // Tasks not read yet: capacity met and the rollout done says nothing about their health, so
  // the service is never shown greener than what is known.
  else condition = 'unknown';

  const out: ServiceHealth = { health, desired, running, pending, belowDesired, rolloutState, rolloutStateReason: reason, rolledBack, unhealthyTasks, condition };
  if (stuck) out.stuck = stuck;
  return out;
}

const PENDING_STATES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

/** The condition a task's icon shows. */
export function taskCondition(task: EcsTask, health: HealthStatus): Condition | 'stopped' | 'starting' | 'stopping' {
  const s = task.lastStatus ?? '';
  if (s === 'STOPPED') return 'stopped';
  if (s === 'PROVISIONING' || s === 'PENDING' || s === 'ACTIVATING') return 'starting';
  if (s === 'DEACTIVATING' || s === 'STOPPING' || s === 'DEPROVISIONING') return 'stopping';
  return health === 'UNHEALTHY' ? 'failed' : health === 'HEALTHY' ? 'healthy' : 'unknown';
}

export interface ClusterHealth {
  /** The ECS-rule roll-up over its services' task health (services whose tasks are known). */
  health: HealthStatus | undefined;
  /** The worst of its services' conditions; undefined until its services are read. */
  condition: Condition | undefined;
  services: number;
  belowDesired: number;
  failed: number;
}

/** A cluster is the worst of its services. */
export function clusterHealth(services: readonly ServiceHealth[]): ClusterHealth {
  return {
    health: worstHealth(services.map((s) => s.health).filter((h): h is HealthStatus => h !== undefined)),
    condition: worstCondition(services.map((s) => s.condition)),
    services: services.length,
    belowDesired: services.filter((s) => s.belowDesired).length,
    failed: services.filter((s) => s.condition === 'failed').length,
  };
}
