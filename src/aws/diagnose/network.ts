import type { RouteTableFacts, SubnetFacts, VpcEndpointFacts } from '../../core/diagnose/facts';
import { imagesNeedingInternet, judgeNetwork, judgeSubnetIps, requiredEndpoints } from '../../core/diagnose/judges';
import type { Evidence } from '../../core/diagnose/types';
import { call, failedEvidence } from './guard';
import { needsTaskDef, type Collector, type EvidenceContext } from './context';

export async function ec2(ctx: EvidenceContext) {
  const mod = await import('@aws-sdk/client-ec2');
  return { mod, client: ctx.session.client(mod.EC2Client) };
}

/** The task's subnet (EC2 DescribeSubnets), shared by both network checks. */
export function subnetOf(ctx: EvidenceContext, subnetId: string): Promise<SubnetFacts | undefined> {
  return ctx.once(`subnet:${subnetId}`, async () => {
    const { mod, client } = await ec2(ctx);
    const out = await call('ec2:DescribeSubnets', () => client.send(new mod.DescribeSubnetsCommand({ SubnetIds: [subnetId] })));
    const s = out.Subnets?.[0];
    if (!s) return undefined;
    const facts: SubnetFacts = { subnetId };
    if (s.VpcId) facts.vpcId = s.VpcId;
    if (s.AvailabilityZone) facts.availabilityZone = s.AvailabilityZone;
    if (s.CidrBlock) facts.cidrBlock = s.CidrBlock;
    if (s.AvailableIpAddressCount !== undefined) facts.availableIpAddressCount = s.AvailableIpAddressCount;
    if (s.MapPublicIpOnLaunch !== undefined) facts.mapPublicIpOnLaunch = s.MapPublicIpOnLaunch;
    return facts;
  });
}

/** The route table the subnet uses: its explicit association, else the VPC's main table. */
export function routeTableOf(ctx: EvidenceContext, subnet: SubnetFacts): Promise<RouteTableFacts | undefined> {
  return ctx.once(`route-table:${subnet.subnetId}`, () => readRouteTable(ctx, subnet));
}

async function readRouteTable(ctx: EvidenceContext, subnet: SubnetFacts): Promise<RouteTableFacts | undefined> {
  const { mod, client } = await ec2(ctx);
  const describe = (Filters: Array<{ Name: string; Values: string[] }>) =>
    call('ec2:DescribeRouteTables', () => client.send(new mod.DescribeRouteTablesCommand({ Filters })));
  let out = await describe([{ Name: 'association.subnet-id', Values: [subnet.subnetId] }]);
  let main = false;
  if (!out.RouteTables?.length && subnet.vpcId) {
    out = await describe([
      { Name: 'vpc-id', Values: [subnet.vpcId] },
      { Name: 'association.main', Values: ['true'] },
    ]);
    main = true;
  }
  const rt = out.RouteTables?.[0];
  if (!rt?.RouteTableId) return undefined;
  return {
    routeTableId: rt.RouteTableId,
    main: main || (rt.Associations ?? []).some((a) => a.Main),
    routes: (rt.Routes ?? []).map((r) => {
      const route: RouteTableFacts['routes'][number] = {};
      const fields = {
        destinationCidrBlock: r.DestinationCidrBlock,
        destinationPrefixListId: r.DestinationPrefixListId,
        gatewayId: r.GatewayId,
        natGatewayId: r.NatGatewayId,
        transitGatewayId: r.TransitGatewayId,
        instanceId: r.InstanceId,
        networkInterfaceId: r.NetworkInterfaceId,
        vpcPeeringConnectionId: r.VpcPeeringConnectionId,
        state: r.State,
      };
      for (const [k, v] of Object.entries(fields)) if (v) (route as Record<string, string>)[k] = v;
      return route;
    }),
  };
}

/** The VPC's endpoints (DescribeVpcEndpoints, every page), memoised per diagnosis. */
export function endpointsOf(ctx: EvidenceContext, vpcId: string): Promise<VpcEndpointFacts[]> {
  return ctx.once(`endpoints:${vpcId}`, () => readEndpoints(ctx, vpcId));
}

async function readEndpoints(ctx: EvidenceContext, vpcId: string): Promise<VpcEndpointFacts[]> {
  const { mod, client } = await ec2(ctx);
  const found: VpcEndpointFacts[] = [];
  let NextToken: string | undefined;
  do {
    const out = await call('ec2:DescribeVpcEndpoints', () =>
      client.send(new mod.DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], NextToken })),
    );
    for (const e of out.VpcEndpoints ?? []) {
      const f: VpcEndpointFacts = { vpcEndpointId: e.VpcEndpointId ?? '?', serviceName: e.ServiceName ?? '' };
      if (e.VpcEndpointType) f.vpcEndpointType = e.VpcEndpointType;
      if (e.State) f.state = e.State;
      if (e.PrivateDnsEnabled !== undefined) f.privateDnsEnabled = e.PrivateDnsEnabled;
      if (e.RouteTableIds) f.routeTableIds = e.RouteTableIds;
      if (e.SubnetIds) f.subnetIds = e.SubnetIds;
      const groups = (e.Groups ?? []).map((g) => g.GroupId).filter((g): g is string => !!g);
      if (groups.length) f.securityGroupIds = groups;
      found.push(f);
    }
    NextToken = out.NextToken;
  } while (NextToken);
  return found;
}

export function noSubnet(ctx: EvidenceContext, check: Evidence['check']): Evidence {
  return {
    check,
    status: 'skipped',
    detail:
      ctx.task.launchType === 'EC2' || ctx.taskDef?.networkMode !== 'awsvpc'
        ? `The task has no network interface of its own (network mode ${ctx.taskDef?.networkMode ?? 'not awsvpc'}): check the container instance's subnet instead.`
        : 'The task reports no subnet (it stopped before its network interface was attached).',
    causes: [],
  };
}

/** Private subnet: a NAT route or the VPC endpoints the task needs (ecr.api, ecr.dkr, s3, logs, secretsmanager, ssm, ssmmessages). */
export const collectVpcEndpoints: Collector = async (ctx) => {
  const subnetId = ctx.task.subnetId ?? ctx.service?.subnets?.[0];
  if (!subnetId) return [noSubnet(ctx, 'vpc-endpoints')];
  if (!ctx.taskDef) return [needsTaskDef(ctx, 'vpc-endpoints')];
  const command = `aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=${subnetId}`;
  try {
    const subnet = await subnetOf(ctx, subnetId);
    if (!subnet) return [{ check: 'vpc-endpoints', status: 'fail', detail: `The task's subnet ${subnetId} no longer exists.`, command: `aws ec2 describe-subnets --subnet-ids ${subnetId}` }];
    const routeTable = await routeTableOf(ctx, subnet);
    const required = requiredEndpoints(ctx.taskDef, { region: ctx.region, execEnabled: ctx.task.enableExecuteCommand === true });
    const route = routeTable?.routes.find((r) => r.destinationCidrBlock === '0.0.0.0/0');
    const egress = route && route.state !== 'blackhole' && (route.natGatewayId || (route.gatewayId?.startsWith('igw-') && ctx.service?.assignPublicIp !== 'DISABLED'));
    // Endpoints matter only when there is no usable way out; skip the call otherwise.
    const endpoints = !egress && required.length && subnet.vpcId ? await endpointsOf(ctx, subnet.vpcId) : [];
    const input: Parameters<typeof judgeNetwork>[0] = { subnet, endpoints, required, region: ctx.region, internetImages: imagesNeedingInternet(ctx.taskDef, ctx.region) };
    if (routeTable) input.routeTable = routeTable;
    if (ctx.service?.assignPublicIp) input.assignPublicIp = ctx.service.assignPublicIp;
    return [judgeNetwork(input)];
  } catch (err) {
    return [failedEvidence('vpc-endpoints', err, { command })];
  }
};

/** The subnet's free IP count (EC2 DescribeSubnets AvailableIpAddressCount). */
export const collectSubnetIps: Collector = async (ctx) => {
  const subnetIds = ctx.task.subnetId ? [ctx.task.subnetId] : (ctx.service?.subnets ?? []);
  if (!subnetIds.length) return [noSubnet(ctx, 'subnet-ips')];
  const out: Evidence[] = [];
  for (const id of subnetIds) {
    try {
      const subnet = await subnetOf(ctx, id);
      out.push(subnet ? judgeSubnetIps(subnet) : { check: 'subnet-ips', status: 'fail', detail: `Subnet ${id} no longer exists.` });
    } catch (err) {
      out.push(failedEvidence('subnet-ips', err, { command: `aws ec2 describe-subnets --subnet-ids ${id}` }));
    }
  }
  return out;
};
