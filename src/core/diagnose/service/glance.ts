/**
 * A rollout that is not making progress, read from the service's own description (its PRIMARY
 * deployment and its events), so the tree and `ecs-doctor status` can flag it with no call of their
 * own. Conservative: the service doctor's verdict (verdict.ts) reads much more (stopped tasks,
 * the deployment configuration) and says why; this says only what the description proves:
 * - ECS reported that it could not place a task since the rollout began, the service has not
 *   reached a steady state since, and new tasks are missing (or their count is unknown); or
 * - the rollout has been IN_PROGRESS for STUCK_AFTER_MS without its new tasks all running.
 */
import { readEvents, unresolvedPlacement } from './events';
import { duration, HOUR_MS, ms } from './time';
import type { ServiceInput } from './types';
import { primaryOf, STUCK_AFTER_MS } from './verdict';

export interface StuckDeployment {
  why: 'placement' | 'no-progress';
  /** How long the rollout has been in progress, ms (undefined when ECS gave no createdAt). */
  ageMs: number | undefined;
  /** The row's words: "deployment stuck: 2 h in progress", "deployment stuck: tasks cannot be placed". */
  text: string;
}

export function stuckDeployment(svc: ServiceInput, now: number): StuckDeployment | undefined {
  const primary = primaryOf(svc);
  if (primary?.rolloutState !== 'IN_PROGRESS') return undefined;
  const at = ms(primary.createdAt);
  const ageMs = at !== undefined ? Math.max(0, now - at) : undefined;
  // Events since the rollout began (or in the last half hour when its start is unknown).
  const since = at ?? now - STUCK_AFTER_MS;
  const desired = primary.desiredCount ?? svc.desiredCount;
  // New tasks still missing (undefined: the endpoint reported no desired count).
  const behind = desired === undefined ? undefined : (primary.runningCount ?? 0) < desired;
  // A placement failure ECS has not got past since, unless every new task runs.
  if (behind !== false && unresolvedPlacement(readEvents(svc), since)) return { why: 'placement', ageMs, text: 'deployment stuck: tasks cannot be placed' };
  if (ageMs !== undefined && ageMs >= STUCK_AFTER_MS && behind === true) {
    return { why: 'no-progress', ageMs, text: `deployment stuck: ${duration(ageMs / 1000)} in progress` };
  }
  return undefined;
}

/**
 * The circuit breaker rolled a deployment back in the last hour: ECS said "rolling back to
 * deployment ..." in the service's events. Once the rollback completes, the PRIMARY deployment is
 * the old revision, COMPLETED, and only the events still tell. An event without a time does not
 * count: it could be days old.
 */
export function rolledBackLately(svc: ServiceInput, now: number): boolean {
  return readEvents(svc).some((e) => e.kind === 'rolling-back' && e.at !== undefined && now - e.at <= HOUR_MS);
}
