/**
 * The health-check arithmetic people get lost in: how long a container and a load balancer give a
 * task before calling it unhealthy, against how long the tasks actually lived.
 *
 * - Container health check (task definition): failures count only after `startPeriod` (0 by
 *   default); then `retries` failures `interval` seconds apart make it UNHEALTHY, so a container
 *   that never passes is UNHEALTHY about startPeriod + interval * retries seconds after it starts.
 *   Defaults: interval 30, timeout 5, retries 3
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html).
 * - Load balancer: after registration the target needs HealthyThresholdCount passes to be healthy
 *   and UnhealthyThresholdCount failures, HealthCheckIntervalSeconds apart, to be unhealthy. The
 *   service's `healthCheckGracePeriodSeconds` is how long the scheduler ignores those failures
 *   after the task starts (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html).
 *   ALB defaults: interval 30, timeout 5, healthy 5, unhealthy 2
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).
 * - `startPeriod` and the grace period are different settings: the first is for the container's own
 *   check, the second for the load balancer's; setting one does not set the other.
 */
import type { HealthCheckFacts, TargetGroupFacts, TaskDefFacts } from '../facts';
import type { ArithmeticLine, StoppedGroup } from './types';
import { duration } from './time';

export interface ArithmeticInput {
  taskDef?: TaskDefFacts;
  /** The container the load balancer sends to (service loadBalancers[].containerName). */
  lbContainer?: string;
  gracePeriod?: number;
  hasLoadBalancer: boolean;
  targetGroup?: TargetGroupFacts;
  /** Stopped groups, for how long tasks lived. */
  groups: readonly StoppedGroup[];
}

export interface ArithmeticResult {
  lines: ArithmeticLine[];
  /** The container's declared start-up time (startPeriod), if any essential container sets one. */
  startPeriod?: number;
  containerBudget?: number;
  lbBudget?: number;
  /** True when the grace period is shorter than what the app needs (its startPeriod, or the observed lifetimes of health-check stops). */
  graceTooShort: boolean;
  /** The grace period the numbers suggest (seconds), when graceTooShort. */
  suggestedGrace?: number;
  /** True when a load balancer's tasks have no grace period and no container startPeriod. */
  noStartAllowance: boolean;
}

function essentialCheck(td: TaskDefFacts | undefined, prefer?: string): { name: string; hc: HealthCheckFacts } | undefined {
  if (!td) return undefined;
  const withHc = td.containers.filter((c) => c.healthCheck && c.essential !== false);
  const c = withHc.find((x) => x.name === prefer) ?? withHc[0];
  return c?.healthCheck ? { name: c.name, hc: c.healthCheck } : undefined;
}

export function healthArithmetic(input: ArithmeticInput): ArithmeticResult {
  const lines: ArithmeticLine[] = [];
  const result: ArithmeticResult = { lines, graceTooShort: false, noStartAllowance: false };
  const ch = essentialCheck(input.taskDef, input.lbContainer);
  if (ch) {
    const interval = ch.hc.interval ?? 30;
    const retries = ch.hc.retries ?? 3;
    const timeout = ch.hc.timeout ?? 5;
    const sp = ch.hc.startPeriod ?? 0;
    result.startPeriod = sp;
    result.containerBudget = sp + interval * retries;
    lines.push({ label: `Container ${ch.name}: startPeriod`, seconds: sp, text: sp ? `${sp} s in which failed checks do not count` : 'not set (0): checks count from the start' });
    lines.push({
      label: `Container ${ch.name}: interval × retries`,
      seconds: interval * retries,
      text: `${interval} s × ${retries} = ${interval * retries} s of failures (timeout ${timeout} s each) before UNHEALTHY; a container that never passes is UNHEALTHY about ${duration(result.containerBudget)} after it starts`,
    });
  } else if (input.taskDef) {
    lines.push({ label: 'Container health check', text: 'none on an essential container: ECS reports its health as UNKNOWN and never stops it for health' });
  }
  if (input.hasLoadBalancer) {
    const grace = input.gracePeriod ?? 0;
    lines.push({
      label: 'Service healthCheckGracePeriodSeconds',
      seconds: grace,
      text: input.gracePeriod === undefined ? 'not reported (0 assumed): load-balancer failures count from the start' : grace ? `${grace} s in which the scheduler ignores load-balancer health checks` : '0: load-balancer failures count from the start',
    });
    const tg = input.targetGroup;
    if (tg) {
      const i = tg.healthCheckIntervalSeconds ?? 30;
      const un = tg.unhealthyThresholdCount ?? 2;
      const ok = tg.healthyThresholdCount ?? 5;
      const to = tg.healthCheckTimeoutSeconds ?? 5;
      result.lbBudget = grace + i * un;
      lines.push({
        label: `Target group ${tg.targetGroupName ?? ''}`.trim(),
        seconds: i * un,
        text: `interval ${i} s, timeout ${to} s: healthy after ${ok} passes (${i * ok} s), unhealthy after ${un} failures (${i * un} s); a task that never passes is stopped about ${duration(result.lbBudget)} after it starts`,
      });
    }
    const sp = result.startPeriod;
    const healthStops = input.groups.filter((g) => g.category === 'ElbHealthCheckFailed' && g.lifetimes.median !== undefined);
    const lived = healthStops.length ? Math.max(...healthStops.map((g) => g.lifetimes.median!)) : undefined;
    if (lived !== undefined) lines.push({ label: 'Observed: tasks stopped by the load balancer lived', seconds: lived, text: `${duration(lived)} (median)` });
    if (sp !== undefined && sp > grace) {
      result.graceTooShort = true;
      result.suggestedGrace = sp + (tg?.healthCheckIntervalSeconds ?? 30) * (tg?.healthyThresholdCount ?? 5);
      lines.push({ label: 'Grace period vs start-up', warn: true, text: `The grace period (${grace} s) is shorter than the app's declared start-up time (startPeriod ${sp} s): the load balancer can get tasks stopped before they have started.` });
    } else if (lived !== undefined && result.lbBudget !== undefined && lived <= result.lbBudget + (tg?.healthCheckIntervalSeconds ?? 30) * 2 && grace < lived) {
      // Stopped right when the load balancer's budget ran out: they never passed within it.
      result.graceTooShort = grace === 0 || grace < 60;
      if (result.graceTooShort) {
        result.suggestedGrace = Math.max(60, Math.ceil((lived * 2) / 30) * 30);
        lines.push({ label: 'Grace period vs observed', warn: true, text: `Tasks were stopped about when the grace period plus the unhealthy threshold ran out (${duration(result.lbBudget)}): they never passed in time. If the app is slow to start, a longer grace period helps; if the target health says a wrong code, it will not.` });
      }
    }
    if (!grace && !sp) result.noStartAllowance = true;
    lines.push({ label: 'Note', text: 'The container healthCheck.startPeriod and the service healthCheckGracePeriodSeconds are different settings: the first only delays the container check, the second only the load balancer\'s. Setting one does not set the other.' });
  }
  return result;
}
