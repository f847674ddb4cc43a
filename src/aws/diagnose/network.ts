import type { RouteTableFacts, SubnetFacts, VpcEndpointFacts } from '../../core/diagnose/facts';
import type { LookupContext } from './context';
import { call } from './guard';

export async function ec2(ctx: LookupContext) {
  const mod = await import('@aws-sdk/client-ec2');
  return { mod, client: ctx.session.client(mod.EC2Client) };
}

/** One subnet (EC2 DescribeSubnets), memoised per diagnosis: several checks read the task's subnet. */
export function subnetOf(ctx: LookupContext, subnetId: string): Promise<SubnetFacts | undefined> {
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
export function routeTableOf(ctx: LookupContext, subnet: SubnetFacts): Promise<RouteTableFacts | undefined> {
  return ctx.once(`route-table:${subnet.subnetId}`, () => readRouteTable(ctx, subnet));
}

async function readRouteTable(ctx: LookupContext, subnet: SubnetFacts): Promise<RouteTableFacts | undefined> {
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
export function endpointsOf(ctx: LookupContext, vpcId: string): Promise<VpcEndpointFacts[]> {
  return ctx.once(`endpoints:${vpcId}`, () => readEndpoints(ctx, vpcId));
}

async function readEndpoints(ctx: LookupContext, vpcId: string): Promise<VpcEndpointFacts[]> {
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
