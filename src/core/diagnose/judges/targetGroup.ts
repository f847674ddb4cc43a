/** The load balancer side of an ELB health-check failure: the target group and its targets. */
import { findTargetGroupArn, targetGroupNameOf } from '../../arn';
import { errorName } from '../../awsErrors';
import type { ServiceFacts, TargetGroupFacts, TargetHealthFacts } from '../facts';
import { failedEvidence, type CheckFacts, type Judge } from '../live';
import type { Evidence } from '../types';
import { plural } from './text';

/**
 * The load balancer side of an ELB health-check failure: target type, health-check port and path
 * against the container port, the grace period, and the targets' health.
 */
export function judgeTargetGroup(input: {
  tg: TargetGroupFacts;
  networkMode?: string;
  containerName?: string;
  containerPort?: number;
  gracePeriod?: number;
  startPeriod?: number;
  targets?: TargetHealthFacts[];
  taskIp?: string;
}): Evidence[] {
  const { tg } = input;
  const name = tg.targetGroupName ?? targetGroupNameOf(tg.targetGroupArn);
  const out: Evidence[] = [];
  const describe = `aws elbv2 describe-target-groups --target-group-arns ${tg.targetGroupArn}`;
  const awsvpc = input.networkMode === 'awsvpc';
  if (tg.targetType) {
    const want = awsvpc ? 'ip' : 'instance';
    const ok = tg.targetType === want || (!awsvpc && tg.targetType === 'instance');
    out.push(
      ok
        ? { check: 'target-group', title: `Target type of ${name}`, status: 'pass', causes: ['target-type'], detail: `Target type ${tg.targetType}, as ${awsvpc ? 'awsvpc (Fargate) tasks need' : `${input.networkMode ?? 'this'} network mode needs`}.`, command: describe }
        : {
            check: 'target-group',
            title: `Target type of ${name}`,
            status: 'fail',
            causes: ['target-type'],
            detail: `Target type is ${tg.targetType}, but ${awsvpc ? 'awsvpc (Fargate) tasks register by IP and need' : 'tasks in this network mode need'} ${want}. The type cannot be changed: create a new target group.`,
            command: describe,
          },
    );
  }
  const hcPort = tg.healthCheckPort && tg.healthCheckPort !== 'traffic-port' ? Number(tg.healthCheckPort) : undefined;
  const path = tg.healthCheckProtocol?.startsWith('HTTP') ? ` path ${tg.healthCheckPath ?? '/'} expecting ${tg.matcher ?? '200'}` : '';
  const hcShape = `${tg.healthCheckProtocol ?? '?'} on ${hcPort ?? 'the traffic port'}${path}, every ${tg.healthCheckIntervalSeconds ?? 30} s, unhealthy after ${tg.unhealthyThresholdCount ?? 2} failures`;
  if (input.containerPort !== undefined && hcPort !== undefined && awsvpc && hcPort !== input.containerPort) {
    out.push({
      check: 'target-group',
      title: `Health-check port of ${name}`,
      status: 'fail',
      causes: ['path-or-port', 'wrong-port'],
      detail: `The health check probes port ${hcPort}, but ${input.containerName ?? 'the container'} listens on ${input.containerPort}. (${hcShape}.)`,
      command: `aws elbv2 modify-target-group --target-group-arn ${tg.targetGroupArn} --health-check-port traffic-port`,
    });
  } else {
    out.push({
      check: 'target-group',
      title: `Health-check settings of ${name}`,
      status: 'pass',
      causes: ['wrong-port'],
      detail: `${hcShape}${input.containerPort !== undefined ? `; ${input.containerName ?? 'the container'} port ${input.containerPort}` : ''}. Whether the app answers${path ? ` ${tg.healthCheckPath ?? '/'}` : ''} can only be tried from inside the VPC.`,
      command: describe,
    });
  }
  const grace = input.gracePeriod ?? 0;
  const start = input.startPeriod;
  if (grace === 0) {
    out.push({
      check: 'target-group',
      title: 'Health-check grace period',
      status: 'fail',
      causes: ['grace-period', 'slow-start'],
      detail: `The service has no healthCheckGracePeriodSeconds, so load-balancer failures count from the moment the task registers${start ? ` (the container's startPeriod of ${start} s does not cover the load balancer)` : ''}: a slow start is killed.`,
      command: 'aws ecs update-service --cluster <cluster> --service <service> --health-check-grace-period-seconds 60',
    });
  } else {
    out.push({ check: 'target-group', title: 'Health-check grace period', status: 'pass', causes: ['grace-period'], detail: `The service ignores load-balancer failures for ${grace} s after a task starts${start !== undefined ? `; container startPeriod ${start} s` : ''}.` });
  }
  if (input.targets) {
    const healthCommand = `aws elbv2 describe-target-health --target-group-arn ${tg.targetGroupArn}`;
    const mine = input.taskIp ? input.targets.find((t) => t.id === input.taskIp) : undefined;
    const unhealthy = input.targets.filter((t) => t.state === 'unhealthy');
    const causesOf = (t: TargetHealthFacts | undefined): string[] => {
      const r = `${t?.reason ?? ''} ${t?.description ?? ''}`;
      if (/ResponseCodeMismatch/.test(r)) return /\b40[13]\b/.test(r) ? ['auth-on-path', 'path-or-port'] : ['wrong-path', 'path-or-port'];
      if (/Timeout|FailedHealthChecks/.test(r)) return ['sg-blocks-lb', 'wrong-port', 'slow-start', 'path-or-port'];
      return ['path-or-port'];
    };
    const describeT = (t: TargetHealthFacts) => `${t.id ?? '?'}:${t.port ?? '?'} ${t.state ?? '?'}${t.reason ? ` ${t.reason}` : ''}${t.description ? ` (${t.description})` : ''}`;
    if (mine && mine.state === 'unhealthy') {
      out.push({ check: 'target-group', title: 'Target health', status: 'fail', causes: causesOf(mine), detail: `The task's target ${describeT(mine)}.`, lines: input.targets.map(describeT), command: healthCommand });
    } else if (!mine && unhealthy.length) {
      out.push({
        check: 'target-group',
        title: 'Target health',
        status: 'fail',
        causes: causesOf(unhealthy[0]),
        detail: `The task is no longer registered; ${plural(unhealthy.length, 'other target')} of ${input.targets.length} ${unhealthy.length === 1 ? 'is' : 'are'} unhealthy: ${describeT(unhealthy[0]!)}.`,
        lines: input.targets.map(describeT),
        command: healthCommand,
      });
    } else {
      out.push({
        check: 'target-group',
        title: 'Target health',
        status: 'pass',
        detail: mine ? `The task's target ${describeT(mine)}.` : input.targets.length ? `No target is unhealthy now (${plural(input.targets.length, 'target')}); the task is no longer registered.` : 'The target group has no registered targets now.',
        lines: input.targets.map(describeT),
        command: healthCommand,
        causes: [],
      });
    }
  }
  return out;
}

/** "Task failed ELB health checks in (target-group arn:...)" names the target group even without the service. */
export function targetGroupFromReason(reason: string | undefined): string | undefined {
  return findTargetGroupArn(reason);
}

/** The service's target groups, and the one the stop reason names (first) when the service does not list it. */
export function targetGroupBindings(facts: CheckFacts): ServiceFacts['loadBalancers'] {
  const bindings = (facts.service?.loadBalancers ?? []).filter((l) => l.targetGroupArn);
  const fromReason = targetGroupFromReason(facts.task.stoppedReason);
  if (fromReason && !bindings.some((b) => b.targetGroupArn === fromReason)) bindings.unshift({ targetGroupArn: fromReason });
  return bindings;
}

/**
 * For ELB health-check failures: the target group's type, health-check port/path against the
 * container port, the container's startPeriod and the service's grace period, and target health.
 */
export const checkTargetGroup: Judge = async (facts, collect) => {
  const bindings = targetGroupBindings(facts);
  if (!bindings.length) {
    if (facts.serviceMissing) return [{ ...facts.serviceMissing, check: 'target-group' }];
    return [{ check: 'target-group', status: 'skipped', detail: facts.service ? `The service ${facts.service.name} has no load balancer target group.` : 'The task is not in a service behind a load balancer.', causes: [] }];
  }
  const out: Evidence[] = [];
  for (const b of bindings) {
    const arn = b.targetGroupArn!;
    const command = `aws elbv2 describe-target-groups --target-group-arns ${arn}`;
    try {
      const tg = await collect('target-group', arn);
      if (!tg) {
        out.push({ check: 'target-group', status: 'fail', detail: `The target group ${arn} no longer exists.`, command });
        continue;
      }
      let targets: TargetHealthFacts[] | undefined;
      let healthError: Evidence | undefined;
      try {
        targets = await collect('target-health', arn);
      } catch (err) {
        healthError = failedEvidence('target-group', err, { title: 'Target health', command: `aws elbv2 describe-target-health --target-group-arn ${arn}` });
      }
      const containerName = b.containerName ?? facts.taskDef?.containers.find((c) => c.portMappings.length)?.name;
      const def = facts.taskDef?.containers.find((c) => c.name === containerName);
      const input: Parameters<typeof judgeTargetGroup>[0] = { tg };
      if (facts.taskDef?.networkMode) input.networkMode = facts.taskDef.networkMode;
      else if (facts.task.launchType === 'FARGATE') input.networkMode = 'awsvpc';
      if (containerName) input.containerName = containerName;
      const port = b.containerPort ?? def?.portMappings[0]?.containerPort;
      if (port !== undefined) input.containerPort = port;
      if (facts.service) input.gracePeriod = facts.service.healthCheckGracePeriodSeconds ?? 0;
      if (def?.healthCheck) input.startPeriod = def.healthCheck.startPeriod ?? 0;
      if (targets) input.targets = targets;
      if (facts.task.privateIp) input.taskIp = facts.task.privateIp;
      let rows = judgeTargetGroup(input);
      // Without the service the grace period is unknown: do not guess it.
      if (!facts.service) rows = rows.filter((r) => r.title !== 'Health-check grace period');
      out.push(...rows);
      if (healthError) out.push(healthError);
    } catch (err) {
      if (errorName(err) === 'TargetGroupNotFoundException') out.push({ check: 'target-group', status: 'fail', detail: `The target group ${arn} no longer exists.`, command });
      else out.push(failedEvidence('target-group', err, { command }));
    }
  }
  return out;
};
