/** Which tasks of a cluster are worth diagnosing, newest first (the editor's task picker). */
import { taskIdOf } from '../arn';
import type { TaskFacts } from './facts';

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
 * The stopped tasks (ECS keeps them about an hour) and the running tasks whose health is
 * UNHEALTHY, newest first, at most `max`.
 */
export function diagnosableTasks(stopped: readonly TaskFacts[], running: readonly TaskFacts[], max: number): TaskChoice[] {
  const unhealthy = running.filter((t) => t.healthStatus === 'UNHEALTHY' || t.containers.some((c) => c.healthStatus === 'UNHEALTHY'));
  const when = (t: TaskFacts) => new Date(t.stoppedAt ?? t.stoppingAt ?? t.startedAt ?? t.createdAt ?? 0).getTime();
  return [...stopped, ...unhealthy]
    .sort((a, b) => when(b) - when(a))
    .slice(0, max)
    .map((t) => {
      const choice: TaskChoice = { taskArn: t.taskArn, taskId: taskIdOf(t.taskArn) };
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
      const failed = t.containers.find((c) => c.reason || (c.exitCode !== undefined && c.exitCode !== null && c.exitCode !== 0) || c.healthStatus === 'UNHEALTHY');
      if (failed) {
        choice.container = { name: failed.name, exitCode: failed.exitCode ?? null };
        if (failed.reason) choice.container.reason = failed.reason;
      }
      return choice;
    });
}
