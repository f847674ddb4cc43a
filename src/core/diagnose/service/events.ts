/**
 * Reading service events, whose text is all ECS says about placement, target health and the
 * circuit breaker. The wordings are those of "Amazon ECS service event messages" in the Amazon
 * ECS Developer Guide (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html).
 * Event text is data: it is matched, never interpreted as markup.
 */
import { ms } from './time';
import type { ServiceInput } from './types';

export type EventKind =
  | 'steady-state'
  | 'started'
  | 'stopped'
  | 'unhealthy-target'
  | 'failed-container-health'
  | 'placement'
  | 'deployment-failed'
  | 'rolling-back'
  | 'deployment-completed'
  | 'start-impaired'
  | 'other';

export interface ReadEvent {
  at?: number;
  message: string;
  kind: EventKind;
  /** unhealthy-target: the codes of "Health checks failed with these codes: [404]". */
  codes?: string[];
  /** unhealthy-target: the reason text in "(reason ...)". */
  reason?: string;
  port?: number;
  targetGroup?: string;
  /** placement: what the closest instance lacked ("insufficient memory available"), or the whole clause. */
  placement?: string;
  /** deployment-failed / rolling-back: the deployment named. */
  deployment?: string;
}

const RULES: Array<[EventKind, RegExp]> = [
  ['steady-state', /has reached a steady state/i],
  ['deployment-failed', /deployment failed/i],
  ['rolling-back', /rolling back to deployment/i],
  ['deployment-completed', /deployment completed/i],
  ['placement', /(?:was|is) unable to place a task/i],
  ['unhealthy-target', /is unhealthy in \(?target-group/i],
  ['failed-container-health', /failed container health checks/i],
  ['start-impaired', /is unable to consistently start tasks successfully/i],
  ['started', /has started \d+ tasks?/i],
  ['stopped', /has stopped \d+ running tasks?/i],
];

export function readEvent(e: { createdAt?: unknown; message?: string }): ReadEvent {
  const message = e.message ?? '';
  const kind = RULES.find(([, re]) => re.test(message))?.[0] ?? 'other';
  const out: ReadEvent = { message, kind };
  const at = ms(e.createdAt as Date | string | undefined);
  if (at !== undefined) out.at = at;
  if (kind === 'unhealthy-target') {
    const codes = /failed with these codes:\s*\[([^\]]*)\]/i.exec(message);
    if (codes?.[1]) out.codes = codes[1].split(/[,\s]+/).filter(Boolean);
    const reason = /due to \(reason ([^)]*)\)/i.exec(message);
    if (reason?.[1]) out.reason = reason[1].trim();
    const port = /\(port (\d+)\)/i.exec(message);
    if (port?.[1]) out.port = Number(port[1]);
    const tg = /target-group ([^)\s]+)/i.exec(message);
    if (tg?.[1]) out.targetGroup = tg[1];
  }
  if (kind === 'placement') {
    const why =
      /has (insufficient [a-z ]+? available|no [^.]+?available)/i.exec(message) ??
      /Reason: (.+?)\.?(?: For more information|$)/i.exec(message) ??
      /because (.+?)\.?$/i.exec(message);
    if (why?.[1]) out.placement = why[1].trim();
  }
  if (kind === 'deployment-failed' || kind === 'rolling-back') {
    const dep = /deployment (ecs-svc\/[0-9A-Za-z]+)/i.exec(message);
    if (dep?.[1]) out.deployment = dep[1];
  }
  return out;
}

export function readEvents(svc: ServiceInput): ReadEvent[] {
  return (svc.events ?? []).map(readEvent);
}

/**
 * The placement failure ECS still stands by: the newest "unable to place a task" event since
 * `since`, unless the service reached a steady state after it. A "has started N tasks" after it
 * does not clear it: ECS does not repeat an event message until its cause is resolved or six
 * hours pass, so a rollout that could place some of its tasks keeps the one failure for the rest
 * (the caller checks whether tasks are still missing).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html
 * Newest first, as DescribeServices lists events; dated events are ordered by their time, undated
 * ones keep their place in the list.
 */
export function unresolvedPlacement(events: readonly ReadEvent[], since: number): ReadEvent | undefined {
  const ordered = events.every((e) => e.at !== undefined) ? [...events].sort((a, b) => b.at! - a.at!) : events;
  for (const e of ordered) {
    if (e.at !== undefined && e.at < since) break;
    if (e.kind === 'steady-state') return undefined;
    if (e.kind === 'placement') return e;
  }
  return undefined;
}

/** Events of a kind since `since` (epoch ms); events without a time count as recent. */
export function recent(events: readonly ReadEvent[], kind: EventKind, since: number): ReadEvent[] {
  return events.filter((e) => e.kind === kind && (e.at === undefined || e.at >= since));
}

/**
 * What the load balancer's answer means. A list of HTTP codes means the task answered: the path,
 * port or matcher is wrong (or the app answers an error), not a dead app. A time-out means nothing
 * answered in time: the app is not listening on that port (yet), or a security group drops it.
 */
export function meaningOfCodes(codes: readonly string[]): string {
  const list = codes.join(', ');
  if (codes.some((c) => c === '404')) return `The target answered ${list}: it is up and answering HTTP, but not on the health-check path. Check the target group's path (and port) against what the app serves.`;
  if (codes.some((c) => /^30\d$/.test(c))) return `The target answered ${list}: a redirect (often HTTP to HTTPS, or a missing trailing slash). Point the health check at a path that answers 200, or widen the matcher.`;
  if (codes.some((c) => c === '401' || c === '403')) return `The target answered ${list}: the health-check path needs authentication. Use an unauthenticated health path.`;
  if (codes.some((c) => /^5\d\d$/.test(c))) return `The target answered ${list}: the app is up but fails on the health-check path (a dependency down, a start-up not finished). Its logs say why.`;
  return `The target answered ${list}, which the matcher does not accept: the app is up; the path, port or matcher disagrees with it.`;
}
