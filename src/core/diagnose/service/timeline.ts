/**
 * Deployments, service events and task starts/stops on one time axis: the data of the report's
 * chart (people read a picture of a loop faster than sixty event lines). Pure; the webview draws it.
 */
import type { TaskFacts } from '../facts';
import type { ReadEvent } from './events';
import { ms } from './time';
import type { DeploymentInput, StoppedGroup, TimelineItem } from './types';
import { lastSegment } from '../../arn';

/** At most this many task bars (the newest); the rest are counted as truncated. */
export const MAX_TASK_BARS = 150;

export interface TimelineInput {
  now: number;
  deployments: readonly DeploymentInput[];
  events: readonly ReadEvent[];
  stopped: readonly TaskFacts[];
  running: readonly TaskFacts[];
  groups: readonly StoppedGroup[];
  /** How far back to draw (default: one hour, or to the oldest item within three hours). */
  windowMs?: number;
}

const PROBLEM = new Set(['unhealthy-target', 'failed-container-health', 'placement', 'deployment-failed', 'rolling-back', 'start-impaired']);

export function buildTimeline(input: TimelineInput): { from: number; to: number; items: TimelineItem[]; truncated: number } {
  const to = input.now;
  const from = to - (input.windowMs ?? 3_600_000);
  const items: TimelineItem[] = [];
  for (const d of input.deployments) {
    const start = ms(d.createdAt);
    if (start === undefined) continue;
    const end = d.status === 'PRIMARY' || d.rolloutState === 'IN_PROGRESS' ? to : (ms(d.updatedAt) ?? to);
    if (end < from) continue;
    items.push({ kind: 'deployment', start: Math.max(start, from), end, label: `${d.status ?? 'deployment'} ${d.taskDefinition ? lastSegment(d.taskDefinition) : ''} ${d.rolloutState ?? ''}`.replace(/\s+/g, ' ').trim(), tone: d.status === 'PRIMARY' ? 'primary' : 'old' });
  }
  for (const e of input.events) {
    if (e.at === undefined || e.at < from || e.at > to) continue;
    items.push({ kind: 'event', start: e.at, label: e.message, tone: PROBLEM.has(e.kind) ? 'problem' : 'info' });
  }
  const groupOf = new Map<string, StoppedGroup>();
  for (const g of input.groups) for (const a of g.taskArns) groupOf.set(a, g);
  const tasks: TimelineItem[] = [];
  for (const t of input.stopped) {
    const end = ms(t.stoppedAt ?? t.stoppingAt);
    const start = ms(t.startedAt) ?? ms(t.createdAt) ?? end;
    if (start === undefined || end === undefined || end < from) continue;
    const g = groupOf.get(t.taskArn);
    tasks.push({ kind: 'task', start: Math.max(start, from), end, label: `${lastSegment(t.taskArn)}: ${g?.title ?? t.stoppedReason ?? 'stopped'}`, tone: g?.failure ? 'failed' : 'stopped', ...(g ? { group: `${g.category}/${g.variant}` } : {}) });
  }
  for (const t of input.running) {
    const start = ms(t.startedAt) ?? ms(t.createdAt);
    if (start === undefined) continue;
    tasks.push({ kind: 'task', start: Math.max(start, from), end: to, label: `${lastSegment(t.taskArn)}: running${t.healthStatus ? ` (${t.healthStatus})` : ''}`, tone: 'running' });
  }
  tasks.sort((a, b) => (b.end ?? b.start) - (a.end ?? a.start));
  const kept = tasks.slice(0, MAX_TASK_BARS).sort((a, b) => a.start - b.start);
  items.push(...kept);
  return { from, to, items, truncated: tasks.length - kept.length };
}
