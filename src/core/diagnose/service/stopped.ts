/**
 * Stopped tasks grouped by stop family and variant, with the task diagnosis' own classifier
 * (classify/), so a group says what the single-task report would say. A group counts its tasks,
 * those stopped in the last hour, its newest example and how long its tasks lived
 * (startedAt -> stoppedAt).
 */
import { classify } from '../classify';
import type { TaskFacts } from '../facts';
import type { StopCategory, StopInput } from '../types';
import { HOUR_MS, ms } from './time';
import type { StoppedGroup } from './types';

/** Stops that are not failures: a deployment or scale-in, a user's StopTask, capacity reclaimed or host maintenance. */
const NOT_FAILURES = new Set<StopCategory>(['ServiceSchedulerInitiated', 'UserInitiated', 'SpotInterruption', 'InfrastructureMaintenance']);

export function isFailureCategory(c: StopCategory): boolean {
  return !NOT_FAILURES.has(c);
}

/** The classifier's input from a stopped task's facts. */
export function stopInputOf(t: TaskFacts): StopInput {
  const input: StopInput = {
    taskArn: t.taskArn,
    containers: t.containers.map((c) => {
      const out: NonNullable<StopInput['containers']>[number] = { name: c.name, exitCode: c.exitCode };
      if (c.reason) out.reason = c.reason;
      if (c.lastStatus) out.lastStatus = c.lastStatus;
      if (c.healthStatus) out.healthStatus = c.healthStatus;
      if (c.image) out.image = c.image;
      return out;
    }),
  };
  if (t.stoppedReason) input.stoppedReason = t.stoppedReason;
  if (t.stopCode) input.stopCode = t.stopCode;
  if (t.lastStatus) input.lastStatus = t.lastStatus;
  if (t.group) input.group = t.group;
  if (t.launchType) input.launchType = t.launchType;
  if (t.taskDefinitionArn) input.taskDefinitionArn = t.taskDefinitionArn;
  if (t.startedAt) input.startedAt = t.startedAt;
  if (t.stoppedAt) input.stoppedAt = t.stoppedAt;
  return input;
}

/** Seconds a task ran (startedAt -> stoppedAt), if it started. */
export function lifetimeOf(t: TaskFacts): number | undefined {
  const a = ms(t.startedAt);
  const b = ms(t.stoppedAt ?? t.stoppingAt);
  return a !== undefined && b !== undefined && b >= a ? (b - a) / 1000 : undefined;
}

function median(sorted: number[]): number | undefined {
  if (!sorted.length) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** When a task stopped (stoppedAt, else stoppingAt), epoch ms. */
export function stoppedAtOf(t: TaskFacts): number | undefined {
  return ms(t.stoppedAt ?? t.stoppingAt);
}

/**
 * What the classifier's family, variant and title depend on: the stop reason and code, the task's
 * status and its containers. Not the task's ARN, times or group, which only fill the words of its
 * causes and fixes (none of which a group keeps).
 */
function classKey(t: TaskFacts): string {
  let k = `${t.stoppedReason ?? ''}\u0000${t.stopCode ?? ''}\u0000${t.lastStatus ?? ''}`;
  for (const c of t.containers) k += `\u0000${c.name}\u0001${c.exitCode ?? ''}\u0001${c.reason ?? ''}\u0001${c.lastStatus ?? ''}\u0001${c.healthStatus ?? ''}\u0001${c.image ?? ''}`;
  return k;
}

type Classified = Pick<ReturnType<typeof classify>, 'category' | 'variant' | 'title' | 'exitCode'>;

/**
 * Groups stopped tasks by family/variant: failures first, then by count, then by the newest stop.
 * A service's stopped tasks mostly share a few stop reasons, so each distinct reason is classified
 * once: a thousand tasks of one restart loop are one classification, not a thousand.
 */
export function groupStopped(tasks: readonly TaskFacts[], now: number): StoppedGroup[] {
  const groups = new Map<string, StoppedGroup & { _lifetimes: number[]; _newestAt: number }>();
  const classified = new Map<string, Classified>();
  for (const t of tasks) {
    const ck = classKey(t);
    let d = classified.get(ck);
    if (!d) {
      const full = classify(stopInputOf(t));
      d = { category: full.category, variant: full.variant, title: full.title, exitCode: full.exitCode };
      classified.set(ck, d);
    }
    const key = `${d.category}/${d.variant}`;
    let g = groups.get(key);
    const at = stoppedAtOf(t) ?? -Infinity;
    if (!g) {
      g = {
        category: d.category,
        variant: d.variant,
        title: d.title,
        failure: isFailureCategory(d.category),
        count: 0,
        lastHour: 0,
        newest: { taskArn: t.taskArn },
        lifetimes: { count: 0 },
        neverStarted: 0,
        taskArns: [],
        _lifetimes: [],
        _newestAt: -Infinity,
      };
      groups.set(key, g);
    }
    g.count++;
    g.taskArns.push(t.taskArn);
    if (at !== -Infinity && now - at <= HOUR_MS) g.lastHour++;
    const life = lifetimeOf(t);
    if (life === undefined) {
      if (!t.startedAt) g.neverStarted++;
    } else g._lifetimes.push(life);
    if (at > g._newestAt || g.count === 1) {
      g._newestAt = at;
      const newest: StoppedGroup['newest'] = { taskArn: t.taskArn };
      if (t.stoppedAt) newest.stoppedAt = t.stoppedAt;
      if (t.stoppedReason) newest.stoppedReason = t.stoppedReason;
      if (d.exitCode !== undefined) newest.exitCode = d.exitCode;
      if (t.taskDefinitionArn) newest.taskDefinitionArn = t.taskDefinitionArn;
      g.newest = newest;
    }
  }
  const out: StoppedGroup[] = [];
  for (const g of groups.values()) {
    const l = g._lifetimes.sort((a, b) => a - b);
    const { _lifetimes, _newestAt, ...group } = g;
    group.lifetimes = l.length ? { count: l.length, min: l[0]!, median: median(l)!, max: l[l.length - 1]! } : { count: 0 };
    out.push(group);
  }
  const newestOf = (g: StoppedGroup) => ms(g.newest.stoppedAt) ?? 0;
  return out.sort((a, b) => Number(b.failure) - Number(a.failure) || b.count - a.count || newestOf(b) - newestOf(a));
}

/** The group that explains the most failures (the first failure group), if any. */
export function dominantGroup(groups: readonly StoppedGroup[]): StoppedGroup | undefined {
  return groups.find((g) => g.failure);
}

/** Counts by stop family: { OutOfMemoryError: 12, ElbHealthCheckFailed: 2 }. */
export function byCategory(groups: readonly StoppedGroup[], lastHourOnly = true): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of groups) {
    const n = lastHourOnly ? g.lastHour : g.count;
    if (n) out[g.category] = (out[g.category] ?? 0) + n;
  }
  return out;
}
