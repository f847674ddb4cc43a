import type { ServiceFacts, TargetGroupFacts, TargetHealthFacts } from '../../core/diagnose/facts';
import { judgeTargetGroup } from '../../core/diagnose/judges';
import type { Evidence } from '../../core/diagnose/types';
import { call, errorName, failedEvidence } from './guard';
import { type Collector, type EvidenceContext } from './context';

/** "Task failed ELB health checks in (target-group arn:...)" names the target group even without the service. */
export function targetGroupFromReason(reason: string | undefined): string | undefined {
  return /(arn:aws[a-z-]*:elasticloadbalancing:[^\s)]+:targetgroup\/[^\s)]+)/.exec(reason ?? '')?.[1];
}

/** The service's target groups, and the one the stop reason names (first) when the service does not list it. */
export function targetGroupBindings(ctx: EvidenceContext): ServiceFacts['loadBalancers'] {
  const bindings = (ctx.service?.loadBalancers ?? []).filter((l) => l.targetGroupArn);
  const fromReason = targetGroupFromReason(ctx.task.stoppedReason);
  if (fromReason && !bindings.some((b) => b.targetGroupArn === fromReason)) bindings.unshift({ targetGroupArn: fromReason });
  return bindings;
}

/**
 * For ELB health-check failures: the target group's type, health-check port/path against the
 * container port, the container's startPeriod and the service's grace period, and target health.
 */
export const collectTargetGroup: Collector = async (ctx) => {
  const bindings = targetGroupBindings(ctx);
  if (!bindings.length) {
    if (ctx.serviceMissing) return [{ ...ctx.serviceMissing, check: 'target-group' }];
    return [{ check: 'target-group', status: 'skipped', detail: ctx.service ? `The service ${ctx.service.name} has no load balancer target group.` : 'The task is not in a service behind a load balancer.', causes: [] }];
  }
  const out: Evidence[] = [];
  for (const b of bindings) {
    const arn = b.targetGroupArn!;
    const command = `aws elbv2 describe-target-groups --target-group-arns ${arn}`;
    try {
      const tg = await describeTargetGroup(ctx, arn);
      if (!tg) {
        out.push({ check: 'target-group', status: 'fail', detail: `The target group ${arn} no longer exists.`, command });
        continue;
      }
      let targets: TargetHealthFacts[] | undefined;
      let healthError: Evidence | undefined;
      try {
        targets = await targetHealth(ctx, arn);
      } catch (err) {
        healthError = failedEvidence('target-group', err, { title: 'Target health', command: `aws elbv2 describe-target-health --target-group-arn ${arn}` });
      }
      const containerName = b.containerName ?? ctx.taskDef?.containers.find((c) => c.portMappings.length)?.name;
      const def = ctx.taskDef?.containers.find((c) => c.name === containerName);
      const input: Parameters<typeof judgeTargetGroup>[0] = { tg };
      if (ctx.taskDef?.networkMode) input.networkMode = ctx.taskDef.networkMode;
      else if (ctx.task.launchType === 'FARGATE') input.networkMode = 'awsvpc';
      if (containerName) input.containerName = containerName;
      const port = b.containerPort ?? def?.portMappings[0]?.containerPort;
      if (port !== undefined) input.containerPort = port;
      if (ctx.service) input.gracePeriod = ctx.service.healthCheckGracePeriodSeconds ?? 0;
      if (def?.healthCheck) input.startPeriod = def.healthCheck.startPeriod ?? 0;
      if (targets) input.targets = targets;
      if (ctx.task.privateIp) input.taskIp = ctx.task.privateIp;
      let rows = judgeTargetGroup(input);
      // Without the service the grace period is unknown: do not guess it.
      if (!ctx.service) rows = rows.filter((r) => r.title !== 'Health-check grace period');
      out.push(...rows);
      if (healthError) out.push(healthError);
    } catch (err) {
      if (errorName(err) === 'TargetGroupNotFoundException') out.push({ check: 'target-group', status: 'fail', detail: `The target group ${arn} no longer exists.`, command });
      else out.push(failedEvidence('target-group', err, { command }));
    }
  }
  return out;
};

export async function elb(ctx: EvidenceContext) {
  const mod = await import('@aws-sdk/client-elastic-load-balancing-v2');
  return { mod, client: ctx.session.client(mod.ElasticLoadBalancingV2Client) };
}

/** DescribeTargetGroups for one ARN, memoised per diagnosis (the security-group check reads it too). */
export function describeTargetGroup(ctx: EvidenceContext, arn: string): Promise<TargetGroupFacts | undefined> {
  return ctx.once(`target-group:${arn}`, () => readTargetGroup(ctx, arn));
}

async function readTargetGroup(ctx: EvidenceContext, arn: string): Promise<TargetGroupFacts | undefined> {
  const { mod, client } = await elb(ctx);
  const out = await call('elasticloadbalancing:DescribeTargetGroups', () => client.send(new mod.DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })));
  const g = out.TargetGroups?.[0];
  if (!g) return undefined;
  const facts: TargetGroupFacts = { targetGroupArn: g.TargetGroupArn ?? arn };
  const fields = {
    targetGroupName: g.TargetGroupName,
    targetType: g.TargetType,
    protocol: g.Protocol,
    port: g.Port,
    healthCheckProtocol: g.HealthCheckProtocol,
    healthCheckPort: g.HealthCheckPort,
    healthCheckPath: g.HealthCheckPath,
    matcher: g.Matcher?.HttpCode ?? g.Matcher?.GrpcCode,
    healthCheckIntervalSeconds: g.HealthCheckIntervalSeconds,
    healthCheckTimeoutSeconds: g.HealthCheckTimeoutSeconds,
    healthyThresholdCount: g.HealthyThresholdCount,
    unhealthyThresholdCount: g.UnhealthyThresholdCount,
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) (facts as unknown as Record<string, unknown>)[k] = v;
  if (g.LoadBalancerArns?.length) facts.loadBalancerArns = g.LoadBalancerArns;
  return facts;
}

async function targetHealth(ctx: EvidenceContext, arn: string): Promise<TargetHealthFacts[]> {
  const { mod, client } = await elb(ctx);
  const out = await call('elasticloadbalancing:DescribeTargetHealth', () => client.send(new mod.DescribeTargetHealthCommand({ TargetGroupArn: arn })));
  return (out.TargetHealthDescriptions ?? []).map((d) => {
    const t: TargetHealthFacts = {};
    if (d.Target?.Id) t.id = d.Target.Id;
    if (d.Target?.Port !== undefined) t.port = d.Target.Port;
    if (d.TargetHealth?.State) t.state = d.TargetHealth.State;
    if (d.TargetHealth?.Reason) t.reason = d.TargetHealth.Reason;
    if (d.TargetHealth?.Description) t.description = d.TargetHealth.Description;
    return t;
  });
}
