import type { LoadBalancerFacts, SecurityGroupFacts, SecurityGroupRuleFacts, SubnetFacts } from '../../core/diagnose/facts';
import { judgeEndpointSecurityGroups, judgeLbSecurityGroups, requiredEndpoints, type EndpointPath } from '../../core/diagnose/judges';
import type { Evidence } from '../../core/diagnose/types';
import { call, failedEvidence } from './guard';
import { needsTaskDef, type Collector, type EvidenceContext } from './context';
import { ec2, endpointsOf, noSubnet, routeTableOf, subnetOf } from './network';
import { describeTargetGroup, elb, targetGroupBindings } from './targetGroup';

const CHECK = 'security-groups';
const describeCommand = (ids: readonly string[]) =>
  `aws ec2 describe-security-groups --group-ids ${ids.length ? ids.join(' ') : '<security-group-id>'} --query 'SecurityGroups[*].{Id:GroupId,In:IpPermissions,Out:IpPermissionsEgress}'`;

/** The catalogue causes this check can confirm or rule out, by the part of the check that judges them. */
const LB_CAUSES = ['sg-blocks-lb'];
const ENDPOINT_CAUSES = ['endpoint-sg', 'task-sg-egress'];

/**
 * Security groups, only where they can explain the stop: for an ELB health-check failure, the
 * task's groups against the load balancer; for a start-up failure (pull, secrets, logs), the task's
 * outbound 443 and the VPC endpoints' inbound 443. Which part runs follows the diagnosis' causes
 * (without a diagnosis: the load balancer part for a load-balanced task, else the endpoint part).
 */
export const collectSecurityGroups: Collector = async (ctx) => {
  const causeIds = ctx.diagnosis?.causes.map((c) => c.id);
  const lbPart = causeIds ? causeIds.some((c) => LB_CAUSES.includes(c)) : targetGroupBindings(ctx).length > 0;
  const endpointPart = causeIds ? causeIds.some((c) => ENDPOINT_CAUSES.includes(c)) : !lbPart;
  if (!lbPart && !endpointPart) return [{ check: CHECK, status: 'skipped', detail: 'No security-group cause applies to this stop.', causes: [] }];
  if (!ctx.taskDef) return [needsTaskDef(ctx, CHECK)];
  if (ctx.taskDef.networkMode !== 'awsvpc' && ctx.task.launchType !== 'FARGATE') {
    return [
      {
        check: CHECK,
        status: 'skipped',
        detail: `The task has no network interface of its own (network mode ${ctx.taskDef.networkMode ?? 'bridge'}): the container instance's security groups apply.`,
        causes: [],
      },
    ];
  }
  const subnetId = ctx.task.subnetId ?? ctx.service?.subnets?.[0];
  if (!subnetId) return [noSubnet(ctx, CHECK)];
  let subnet: SubnetFacts | undefined;
  try {
    subnet = await subnetOf(ctx, subnetId);
  } catch (err) {
    return [failedEvidence(CHECK, err, { command: `aws ec2 describe-subnets --subnet-ids ${subnetId}` })];
  }
  if (!subnet) return [{ check: CHECK, status: 'skipped', detail: `The task's subnet ${subnetId} no longer exists.`, causes: [] }];
  const mine = await taskGroups(ctx, subnet);
  if ('skipped' in mine) return [mine.skipped];
  const out: Evidence[] = [];
  if (lbPart) out.push(...(await loadBalancerPart(ctx, mine)));
  if (endpointPart) out.push(...(await endpointChecks(ctx, subnet, mine)));
  return out;
};

interface TaskGroups {
  groups: SecurityGroupFacts[];
  from: string;
}

/**
 * The task's security groups: a stopped task's ENI is gone and describe-tasks does not list its
 * groups, so they come from the service's awsvpcConfiguration (none set: the VPC's default group).
 */
async function taskGroups(ctx: EvidenceContext, subnet: SubnetFacts): Promise<TaskGroups | { skipped: Evidence }> {
  if (!ctx.service) {
    if (ctx.serviceMissing) return { skipped: { ...ctx.serviceMissing, check: CHECK } };
    return {
      skipped: {
        check: CHECK,
        status: 'skipped',
        detail: "The task was not started by a service, and a stopped task does not record its security groups (they were in the run-task network configuration): check them by hand.",
        command: describeCommand([]),
        causes: [],
      },
    };
  }
  const ids = ctx.service.securityGroups ?? [];
  const from = ids.length ? `service ${ctx.service.name}'s network configuration` : `service ${ctx.service.name}, which sets none, so the VPC's default group`;
  try {
    const groups = ids.length
      ? await describeGroups(ctx, ids)
      : subnet.vpcId
        ? await describeGroups(ctx, [], [
            { Name: 'vpc-id', Values: [subnet.vpcId] },
            { Name: 'group-name', Values: ['default'] },
          ])
        : [];
    if (!groups.length) {
      return {
        skipped: {
          check: CHECK,
          status: 'skipped',
          detail: ids.length ? `The task's security groups ${ids.join(', ')} no longer exist.` : `The default security group of ${subnet.vpcId ?? "the task's VPC"} was not found.`,
          command: describeCommand(ids),
          causes: [],
        },
      };
    }
    const missing = ids.filter((id) => !groups.some((g) => g.groupId === id));
    return { groups, from: missing.length ? `${from}; ${missing.join(', ')} no longer exist${missing.length === 1 ? 's' : ''}` : from };
  } catch (err) {
    return { skipped: failedEvidence(CHECK, err, { command: describeCommand(ids) }) };
  }
}

/** DescribeSecurityGroups by group-id filter (a deleted group is left out rather than failing the call). */
async function describeGroups(ctx: EvidenceContext, ids: readonly string[], filters?: Array<{ Name: string; Values: string[] }>): Promise<SecurityGroupFacts[]> {
  const wanted = [...new Set(ids)].sort();
  const key = filters ? `sg-filter:${JSON.stringify(filters)}` : `sg:${wanted.join(',')}`;
  return ctx.once(key, async () => {
    const { mod, client } = await ec2(ctx);
    const Filters = filters ?? [{ Name: 'group-id', Values: wanted }];
    const found: SecurityGroupFacts[] = [];
    let NextToken: string | undefined;
    do {
      const out = await call('ec2:DescribeSecurityGroups', () => client.send(new mod.DescribeSecurityGroupsCommand({ Filters, NextToken })));
      for (const g of out.SecurityGroups ?? []) {
        if (!g.GroupId) continue;
        const facts: SecurityGroupFacts = { groupId: g.GroupId, ingress: (g.IpPermissions ?? []).map(toRule), egress: (g.IpPermissionsEgress ?? []).map(toRule) };
        if (g.GroupName) facts.groupName = g.GroupName;
        if (g.VpcId) facts.vpcId = g.VpcId;
        found.push(facts);
      }
      NextToken = out.NextToken;
    } while (NextToken);
    return found;
  });
}

function toRule(p: {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Array<{ CidrIp?: string }>;
  UserIdGroupPairs?: Array<{ GroupId?: string }>;
  PrefixListIds?: Array<{ PrefixListId?: string }>;
}): SecurityGroupRuleFacts {
  const rule: SecurityGroupRuleFacts = {
    ipProtocol: p.IpProtocol ?? '-1',
    cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp).filter((c): c is string => !!c),
    groupIds: (p.UserIdGroupPairs ?? []).map((g) => g.GroupId).filter((g): g is string => !!g),
    prefixListIds: (p.PrefixListIds ?? []).map((l) => l.PrefixListId).filter((l): l is string => !!l),
  };
  if (p.FromPort !== undefined) rule.fromPort = p.FromPort;
  if (p.ToPort !== undefined) rule.toPort = p.ToPort;
  return rule;
}

// ---------------------------------------------------------------------------------------------
// Load balancer -> task

async function loadBalancerPart(ctx: EvidenceContext, mine: TaskGroups): Promise<Evidence[]> {
  const bindings = targetGroupBindings(ctx);
  if (!bindings.length) return [{ check: CHECK, status: 'skipped', detail: 'The task is not in a service behind a load balancer target group.', causes: [] }];
  const out: Evidence[] = [];
  for (const b of bindings) {
    const arn = b.targetGroupArn!;
    const tgName = arn.split('/').slice(-2, -1)[0] ?? arn;
    const title = `Security groups: load balancer to the task (${tgName})`;
    try {
      const tg = await describeTargetGroup(ctx, arn);
      if (!tg) {
        out.push({ check: CHECK, title, status: 'skipped', detail: `The target group ${arn} no longer exists.`, causes: [] });
        continue;
      }
      const containerName = b.containerName ?? ctx.taskDef?.containers.find((c) => c.portMappings.length)?.name;
      const def = ctx.taskDef?.containers.find((c) => c.name === containerName);
      const containerPort = b.containerPort ?? def?.portMappings[0]?.containerPort;
      const hc = tg.healthCheckPort && tg.healthCheckPort !== 'traffic-port' ? Number(tg.healthCheckPort) : containerPort;
      if (hc === undefined || Number.isNaN(hc)) {
        out.push({ check: CHECK, title, status: 'skipped', detail: `The port ${tg.targetGroupName ?? tgName} probes is not known (no container port).`, causes: [] });
        continue;
      }
      const ports = [{ port: hc, why: tg.healthCheckPort && tg.healthCheckPort !== 'traffic-port' ? 'the health-check port' : 'the health-check port, traffic-port' }];
      if (containerPort !== undefined && containerPort !== hc) ports.push({ port: containerPort, why: 'the container port' });
      const lbArns = tg.loadBalancerArns ?? [];
      if (!lbArns.length) {
        out.push({ check: CHECK, title, status: 'skipped', detail: `The target group ${tg.targetGroupName ?? tgName} is not attached to a load balancer, so nothing sends it health checks.`, causes: [] });
        continue;
      }
      const loadBalancers = await describeLoadBalancers(ctx, lbArns);
      const lbSubnets: Array<{ subnetId: string; cidrBlock?: string }> = [];
      for (const id of [...new Set(loadBalancers.flatMap((l) => l.subnetIds))]) {
        // The CIDRs only widen what counts as allowed; a lookup that fails leaves them unknown.
        const s = await subnetOf(ctx, id).catch(() => undefined);
        lbSubnets.push(s?.cidrBlock ? { subnetId: id, cidrBlock: s.cidrBlock } : { subnetId: id });
      }
      out.push({ ...judgeLbSecurityGroups({ taskGroups: mine.groups, groupsFrom: mine.from, targetGroupName: tg.targetGroupName ?? tgName, loadBalancers, lbSubnets, ports }), title });
    } catch (err) {
      out.push(failedEvidence(CHECK, err, { title, command: describeCommand(mine.groups.map((g) => g.groupId)) }));
    }
  }
  return out;
}

async function describeLoadBalancers(ctx: EvidenceContext, arns: string[]): Promise<LoadBalancerFacts[]> {
  return ctx.once(`load-balancers:${arns.join(',')}`, async () => {
    const { mod, client } = await elb(ctx);
    const out = await call('elasticloadbalancing:DescribeLoadBalancers', () => client.send(new mod.DescribeLoadBalancersCommand({ LoadBalancerArns: arns })));
    return (out.LoadBalancers ?? []).map((l) => {
      const facts: LoadBalancerFacts = {
        loadBalancerArn: l.LoadBalancerArn ?? '?',
        securityGroups: l.SecurityGroups ?? [],
        subnetIds: (l.AvailabilityZones ?? []).map((z) => z.SubnetId).filter((s): s is string => !!s),
      };
      if (l.LoadBalancerName) facts.name = l.LoadBalancerName;
      if (l.Type) facts.type = l.Type;
      return facts;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Task -> AWS services (VPC endpoints or the default route)

async function endpointChecks(ctx: EvidenceContext, subnet: SubnetFacts, mine: TaskGroups): Promise<Evidence[]> {
  const taskIds = mine.groups.map((g) => g.groupId);
  try {
    const required = requiredEndpoints(ctx.taskDef!, { region: ctx.region, execEnabled: ctx.task.enableExecuteCommand === true });
    if (!required.length) return [{ check: CHECK, status: 'pass', detail: 'The task needs no AWS endpoint at start-up (no ECR image, awslogs or secrets).', causes: ENDPOINT_CAUSES }];
    const rt = await routeTableOf(ctx, subnet);
    const route = rt?.routes.find((r) => r.destinationCidrBlock === '0.0.0.0/0');
    const hasRoute = !!route && route.state !== 'blackhole' && !!(route.natGatewayId || route.transitGatewayId || route.instanceId || route.networkInterfaceId || (route.gatewayId?.startsWith('igw-') && ctx.service?.assignPublicIp !== 'DISABLED'));
    const endpoints = subnet.vpcId ? await endpointsOf(ctx, subnet.vpcId) : [];
    const paths: EndpointPath[] = required.map((need) => {
      const name = `com.amazonaws.${ctx.region}.${need.service}`;
      const usable = endpoints.filter((e) => e.serviceName === name && (!e.state || e.state.toLowerCase() === 'available'));
      const endpoint = usable.find((e) =>
        (e.vpcEndpointType ?? '').toLowerCase() === 'gateway' ? !rt || (e.routeTableIds ?? []).includes(rt.routeTableId) : e.privateDnsEnabled !== false,
      );
      return endpoint ? { service: need.service, why: need.why, endpoint } : { service: need.service, why: need.why };
    });
    const interfaces = paths.filter((p) => p.endpoint && (p.endpoint.vpcEndpointType ?? 'Interface').toLowerCase() !== 'gateway');
    const groupIds = [...new Set(interfaces.flatMap((p) => p.endpoint!.securityGroupIds ?? []))];
    const groups = groupIds.length ? await describeGroups(ctx, groupIds) : [];
    const cidrOf = new Map<string, string | undefined>();
    for (const id of new Set(interfaces.flatMap((p) => p.endpoint!.subnetIds ?? []))) {
      const s = await subnetOf(ctx, id).catch(() => undefined);
      cidrOf.set(id, s?.cidrBlock);
    }
    for (const p of interfaces) {
      p.endpointGroups = groups.filter((g) => (p.endpoint!.securityGroupIds ?? []).includes(g.groupId));
      const cidrs = (p.endpoint!.subnetIds ?? []).map((id) => cidrOf.get(id));
      if (cidrs.length && cidrs.every((c) => !!c)) p.endpointSubnetCidrs = cidrs as string[];
    }
    return judgeEndpointSecurityGroups({ taskGroups: mine.groups, groupsFrom: mine.from, subnet, paths, hasRoute });
  } catch (err) {
    return [failedEvidence(CHECK, err, { command: `${describeCommand(taskIds)}\naws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=${subnet.vpcId ?? '<vpc-id>'} --query 'VpcEndpoints[*].{Service:ServiceName,Groups:Groups[*].GroupId}'` })];
  }
}
