import type { LoadBalancerFacts, TargetGroupFacts, TargetHealthFacts } from '../../core/diagnose/facts';
import type { LookupContext } from './context';
import { call } from './guard';

export async function elb(ctx: LookupContext) {
  const mod = await import('@aws-sdk/client-elastic-load-balancing-v2');
  return { mod, client: ctx.session.client(mod.ElasticLoadBalancingV2Client) };
}

/** DescribeTargetGroups for one ARN, memoised per diagnosis (the security-group check reads it too). */
export function describeTargetGroup(ctx: LookupContext, arn: string): Promise<TargetGroupFacts | undefined> {
  return ctx.once(`target-group:${arn}`, () => readTargetGroup(ctx, arn));
}

async function readTargetGroup(ctx: LookupContext, arn: string): Promise<TargetGroupFacts | undefined> {
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

/** DescribeTargetHealth for one target group. */
export async function targetHealth(ctx: LookupContext, arn: string): Promise<TargetHealthFacts[]> {
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

/** DescribeLoadBalancers for some ARNs, memoised per diagnosis. */
export function describeLoadBalancers(ctx: LookupContext, arns: readonly string[]): Promise<LoadBalancerFacts[]> {
  return ctx.once(`load-balancers:${arns.join(',')}`, async () => {
    const { mod, client } = await elb(ctx);
    const out = await call('elasticloadbalancing:DescribeLoadBalancers', () => client.send(new mod.DescribeLoadBalancersCommand({ LoadBalancerArns: [...arns] })));
    return (out.LoadBalancers ?? []).map((l) => {
      const facts: LoadBalancerFacts = {
        loadBalancerArn: l.LoadBalancerArn ?? '?',
        securityGroups: l.SecurityGroups ?? [],
        subnetIds: (l.AvailabilityZones ?? []).map((z) => z.SubnetId).filter((s): s is string => !!s),
      };
      if (l.LoadBalancerName) facts.name = l.LoadBalancerName;
      if (l.Type) facts.type = l.Type;
      // An application load balancer always has security groups: none in the answer means unread.
      if (!l.SecurityGroups?.length && (l.Type ?? 'application') === 'application') facts.securityGroupsUnknown = true;
      return facts;
    });
  });
}
