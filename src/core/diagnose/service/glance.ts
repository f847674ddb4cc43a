/**
 * The tree's one-line flag for a service, from what the explorer already reads (the service's
 * description) plus at most one ListTasks page of its STOPPED tasks (up to 100 ARNs, and the
 * described tasks of that page when it has them). Pure and cheap: no classification beyond
 * stopCode, no other calls. Undefined when nothing looks wrong.
 *
 * The explorer shows `text` as the description and flags the node; `kind` picks the icon.
 */
import { plural } from '../judges/text';
import { recent, readEvents } from './events';
import { primaryOf, STUCK_AFTER_MS } from './verdict';
import { duration, HOUR_MS, ms } from './time';
import type { ServiceInput } from './types';

export interface ServiceGlance {
  kind: 'restarting' | 'deployment-stuck' | 'deployment-failed' | 'under-capacity';
  /** "restarting: 14 stopped in 1 h". */
  text: string;
}

export interface GlanceStoppedPage {
  /** The page's task ARNs (ListTasks desiredStatus STOPPED, serviceName). */
  taskArns: readonly string[];
  /** True when ListTasks said there are more (a nextToken). */
  more?: boolean;
  /** The page's tasks if described (stopCode, stoppedAt); without them every ARN counts. */
  tasks?: ReadonlyArray<{ taskArn?: string; stopCode?: string; stoppedAt?: Date | string | number; stoppedReason?: string }>;
}

/** Stops that are not failures (a deployment's or a user's, capacity reclaimed). */
const NOT_FAILURE_CODES = new Set(['UserInitiated', 'SpotInterruption', 'TerminationNotice']);
const LOOP = 3;

export function serviceGlance(svc: ServiceInput, page: GlanceStoppedPage | undefined, now: number): ServiceGlance | undefined {
  const deployments = svc.deployments ?? [];
  const events = readEvents(svc);
  if (deployments.some((d) => d.rolloutState === 'FAILED') || recent(events, 'deployment-failed', now - HOUR_MS).length) {
    return { kind: 'deployment-failed', text: 'deployment failed (rolled back)' };
  }
  const primary = primaryOf(svc);
  const at = ms(primary?.createdAt);
  if (primary?.rolloutState === 'IN_PROGRESS' && at !== undefined && now - at >= STUCK_AFTER_MS) {
    return { kind: 'deployment-stuck', text: `deployment stuck: ${duration((now - at) / 1000)} in progress` };
  }
  if (page) {
    let n: number;
    if (page.tasks) {
      n = page.tasks.filter((t) => {
        if (t.stopCode && NOT_FAILURE_CODES.has(t.stopCode)) return false;
        if (t.stopCode === 'ServiceSchedulerInitiated' && !/health check/i.test(t.stoppedReason ?? '')) return false;
        const s = ms(t.stoppedAt as Date | string | undefined);
        return s === undefined || now - s <= HOUR_MS;
      }).length;
    } else {
      // Without the tasks, a deployment's replaced tasks would count: leave out one generation of them.
      const deployedLately = deployments.some((d) => {
        const c = ms(d.createdAt);
        return c !== undefined && now - c <= HOUR_MS;
      });
      n = page.taskArns.length - (deployedLately ? (svc.desiredCount ?? 0) : 0);
    }
    if (n >= LOOP) return { kind: 'restarting', text: `restarting: ${n}${page.more ? '+' : ''} stopped in 1 h` };
  }
  if (svc.desiredCount !== undefined && svc.runningCount !== undefined && svc.runningCount < svc.desiredCount && primary?.rolloutState !== 'IN_PROGRESS') {
    return { kind: 'under-capacity', text: `${svc.runningCount} of ${plural(svc.desiredCount, 'task')} running` };
  }
  return undefined;
}
