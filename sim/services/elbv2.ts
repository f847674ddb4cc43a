// Elastic Load Balancing v2 (awsQuery, Version 2015-12-01): the target group facts an ELB
// health-check failure is diagnosed from: DescribeTargetGroups, DescribeTargetHealth and
// DescribeLoadBalancers. State: the scenario's `elbv2` section. Fault rules use "elbv2:<Op>".
import { hexId, paginate, SimError, type OpContext, type SimService } from '../protocol';
import type { ScenarioElbv2 } from '../types';

type Tg = NonNullable<ScenarioElbv2['targetGroups']>[number];
type Lb = NonNullable<ScenarioElbv2['loadBalancers']>[number];

export function targetGroupArn(ctx: Pick<OpContext, 'state'>, tg: Tg): string {
  return tg.arn ?? `arn:aws:elasticloadbalancing:${ctx.state.region}:${ctx.state.accountId}:targetgroup/${tg.name}/${hexId(`tg:${tg.name}`, 16)}`;
}

function lbArn(ctx: OpContext, lb: Lb): string {
  const kind = (lb.type ?? 'application') === 'network' ? 'net' : 'app';
  return lb.arn ?? `arn:aws:elasticloadbalancing:${ctx.state.region}:${ctx.state.accountId}:loadbalancer/${kind}/${lb.name}/${hexId(`lb:${lb.name}`, 16)}`;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);

function pageOf<T>(ctx: OpContext, items: T[], key: string) {
  // ELBv2 pages with Marker/NextMarker and PageSize (1-400).
  return paginate(items, { maxResults: ctx.params.PageSize, nextToken: ctx.params.Marker, defaultSize: 400, maxSize: 400, filterKey: key, validation: 'ValidationError' });
}

function findTg(ctx: OpContext, arn: string): Tg {
  const tg = (ctx.state.elbv2.targetGroups ?? []).find((t) => targetGroupArn(ctx, t) === arn);
  if (!tg) throw new SimError('TargetGroupNotFound', `Target groups '${arn}' not found`);
  return tg;
}

export const elbv2: SimService = {
  name: 'elbv2',
  signingName: 'elasticloadbalancing',
  protocol: 'query',
  apiVersion: '2015-12-01',
  xmlNamespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  operations: {
    DescribeTargetGroups(ctx) {
      const all = ctx.state.elbv2.targetGroups ?? [];
      const arns = list(ctx.params.TargetGroupArns);
      const names = list(ctx.params.Names);
      let items = all;
      if (arns.length) items = arns.map((a) => findTg(ctx, a));
      if (names.length) {
        items = names.map((n) => {
          const tg = all.find((t) => t.name === n);
          if (!tg) throw new SimError('TargetGroupNotFound', `One or more target groups not found`);
          return tg;
        });
      }
      if (typeof ctx.params.LoadBalancerArn === 'string') items = items.filter((t) => (t.loadBalancerArns ?? []).includes(ctx.params.LoadBalancerArn));
      const { page, nextToken } = pageOf(ctx, items, JSON.stringify([arns, names, ctx.params.LoadBalancerArn]));
      return {
        TargetGroups: page.map((t) => {
          const hc = t.healthCheck ?? {};
          const protocol = t.protocol ?? 'HTTP';
          const http = (hc.protocol ?? protocol).startsWith('HTTP');
          return {
            TargetGroupArn: targetGroupArn(ctx, t),
            TargetGroupName: t.name,
            Protocol: protocol,
            Port: t.port ?? 80,
            VpcId: t.vpcId ?? 'vpc-00000000',
            HealthCheckProtocol: hc.protocol ?? protocol,
            HealthCheckPort: hc.port ?? 'traffic-port',
            HealthCheckEnabled: true,
            HealthCheckIntervalSeconds: hc.intervalSeconds ?? 30,
            HealthCheckTimeoutSeconds: hc.timeoutSeconds ?? 5,
            HealthyThresholdCount: hc.healthyThresholdCount ?? 5,
            UnhealthyThresholdCount: hc.unhealthyThresholdCount ?? 2,
            ...(http ? { HealthCheckPath: hc.path ?? '/', Matcher: { HttpCode: hc.matcher ?? '200' } } : {}),
            LoadBalancerArns: t.loadBalancerArns ?? [],
            TargetType: t.targetType ?? 'instance',
            IpAddressType: 'ipv4',
          };
        }),
        NextMarker: nextToken,
      };
    },
    DescribeTargetHealth(ctx) {
      const arn = ctx.params.TargetGroupArn;
      if (typeof arn !== 'string') throw new SimError('ValidationError', "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null");
      const tg = findTg(ctx, arn);
      const wanted = Array.isArray(ctx.params.Targets) ? (ctx.params.Targets as Array<{ Id?: string }>).map((t) => t.Id) : [];
      const targets = (tg.targets ?? []).filter((t) => !wanted.length || wanted.includes(t.id));
      const unknown = wanted.filter((w) => !(tg.targets ?? []).some((t) => t.id === w));
      return {
        TargetHealthDescriptions: [
          ...targets.map((t) => ({
            Target: { Id: t.id, Port: t.port ?? tg.port ?? 80 },
            HealthCheckPort: tg.healthCheck?.port && tg.healthCheck.port !== 'traffic-port' ? tg.healthCheck.port : String(t.port ?? tg.port ?? 80),
            TargetHealth: { State: t.state, ...(t.reason ? { Reason: t.reason } : {}), ...(t.description ? { Description: t.description } : {}) },
          })),
          ...unknown.map((id) => ({
            Target: { Id: id },
            TargetHealth: { State: 'unavailable', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
          })),
        ],
      };
    },
    DescribeLoadBalancers(ctx) {
      const all = ctx.state.elbv2.loadBalancers ?? [];
      const arns = list(ctx.params.LoadBalancerArns);
      const names = list(ctx.params.Names);
      let items = all;
      if (arns.length || names.length) {
        items = all.filter((lb) => arns.includes(lbArn(ctx, lb)) || names.includes(lb.name));
        if (items.length < arns.length + names.length) throw new SimError('LoadBalancerNotFound', 'One or more load balancers not found');
      }
      const { page, nextToken } = pageOf(ctx, items, JSON.stringify([arns, names]));
      return {
        LoadBalancers: page.map((lb) => ({
          LoadBalancerArn: lbArn(ctx, lb),
          LoadBalancerName: lb.name,
          DNSName: lb.dnsName ?? `${lb.name}-${hexId(lb.name, 8)}.${ctx.state.region}.elb.amazonaws.com`,
          Scheme: lb.scheme ?? 'internet-facing',
          VpcId: lb.vpcId ?? 'vpc-00000000',
          State: { Code: lb.state ?? 'active' },
          Type: lb.type ?? 'application',
          IpAddressType: 'ipv4',
          ...(lb.securityGroups?.length ? { SecurityGroups: lb.securityGroups } : {}),
          AvailabilityZones: (lb.subnetIds ?? []).map((SubnetId) => ({
            SubnetId,
            ZoneName: ctx.state.ec2.subnets?.find((s) => s.subnetId === SubnetId)?.availabilityZone ?? `${ctx.state.region}a`,
          })),
          CreatedTime: ctx.state.time('-30d'),
        })),
        NextMarker: nextToken,
      };
    },
  },
};
