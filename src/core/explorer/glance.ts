/**
 * A service's recent trouble at a glance, for its tree row: how many of its tasks stopped in the
 * last hour (ECS keeps stopped tasks visible for about that long), how long ago the newest one
 * stopped and the family of its stop reason (the same classifier as the stopped-task diagnosis),
 * and a "restarting" flag when tasks keep being replaced. Pure: the model passes the one page of
 * STOPPED tasks it read (ListTasks desiredStatus STOPPED, then DescribeTasks) and the time now.
 */
import { classify } from '../diagnose/classify';
import type { StopCategory, StopInput } from '../diagnose/types';
import { timeOf, type EcsTask } from '../ecsTypes';

/** Stops that are not trouble by themselves: a person or the scheduler (scale-in, deployment) asked. */
const ROUTINE = new Set<StopCategory>(['UserInitiated', 'ServiceSchedulerInitiated']);

/** This many trouble stops in the last hour make a service "restarting" (a loop, not one bad task). */
export const RESTARTING_AT = 3;

const HOUR = 3_600_000;

export interface ServiceGlance {
  /** Tasks stopped in the last hour (of the page read). */
  stopped: number;
  /** The page was full: there may be more ("100+"). */
  more: boolean;
  /** Of those, stops for a reason other than a person's or the scheduler's request. */
  trouble: number;
  /** The newest stop: its age and its family (the classifier's category). */
  newest?: { ageMs: number; category: StopCategory; title: string } | undefined;
  /** Tasks keep being replaced: RESTARTING_AT or more trouble stops in the last hour. */
  restarting: boolean;
  /** The row's text ("1 stopped 18m ago · OutOfMemoryError", "restarting: 14 stopped in 1 h"); undefined when nothing stopped. */
  text: string | undefined;
}

/** "45s", "18m", "2 h" (ages in the tree are as of the last refresh). */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.round(m / 60);
  return `${h} h`;
}

function stopInput(t: EcsTask): StopInput {
  return {
    stoppedReason: t.stoppedReason,
    stopCode: t.stopCode,
    lastStatus: t.lastStatus,
    group: t.group,
    containers: (t.containers ?? []).map((c, i) => ({ name: c.name ?? `container-${i + 1}`, reason: c.reason, exitCode: c.exitCode, lastStatus: c.lastStatus })),
  };
}

function stoppedTime(t: EcsTask): number | undefined {
  return timeOf(t.stoppedAt) ?? timeOf(t.stoppingAt);
}

/** The glance over one page of a service's STOPPED tasks, as of `now` (ms since the epoch). */
export function serviceGlance(stoppedTasks: readonly EcsTask[], now: number, opts: { more?: boolean } = {}): ServiceGlance {
  const recent = stoppedTasks
    .map((t) => ({ t, at: stoppedTime(t) }))
    // A stopped task without a time is still one ECS listed as stopped recently: count it, oldest.
    .filter((x) => x.at === undefined || now - x.at <= HOUR)
    .sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
  const classified = recent.map((x) => ({ ...x, d: classify(stopInput(x.t)) }));
  const trouble = classified.filter((x) => !ROUTINE.has(x.d.category)).length;
  const first = classified[0];
  const newest = first ? { ageMs: first.at === undefined ? Number.NaN : Math.max(0, now - first.at), category: first.d.category, title: first.d.title } : undefined;
  const restarting = trouble >= RESTARTING_AT;
  const n = `${recent.length}${opts.more ? '+' : ''}`;
  let text: string | undefined;
  if (recent.length && restarting) text = `restarting: ${n} stopped in 1 h`;
  else if (recent.length) {
    const age = newest && !Number.isNaN(newest.ageMs) ? ` ${formatAge(newest.ageMs)} ago` : '';
    text = `${n} stopped${recent.length > 1 ? ' in 1 h, newest' : ''}${age} · ${newest!.category}`;
  }
  return { stopped: recent.length, more: !!opts.more, trouble, newest, restarting, text };
}

