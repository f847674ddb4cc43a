// Amazon EC2 (ec2Query: form-encoded Action=...&Version=2016-11-15, XML answers with lowerCamel
// names and <item> lists): the network facts a diagnosis reads: subnets (free IP count), route
// tables (NAT / internet gateway routes), VPC endpoints and security groups.
// State: the scenario's `ec2` section. Owned by the stopped-task diagnosis; ECS Exec adds to it.
import { paginate, SimError, type OpContext, type SimService } from '../protocol';
import type { ScenarioEc2 } from '../types';

type Filter = { Name?: string; Value?: string[] };

/** Filter.N.Name / Filter.N.Value.M, and the id list parameter (SubnetId.N, ...). */
function filters(ctx: OpContext): Filter[] {
  const f = ctx.params.Filter;
  return Array.isArray(f) ? (f as Filter[]) : [];
}

function ids(ctx: OpContext, key: string): string[] {
  const v = ctx.params[key];
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}

/** Keep items matching every filter; `fields` maps a filter name to the item's values. */
function applyFilters<T>(items: T[], fs: Filter[], fields: Record<string, (t: T) => Array<string | undefined>>): T[] {
  for (const f of fs) {
    const get = f.Name ? fields[f.Name] : undefined;
    if (!get) throw new SimError('InvalidParameterValue', `The filter '${f.Name ?? ''}' is invalid`);
    const want = f.Value ?? [];
    items = items.filter((t) => get(t).some((v) => v !== undefined && want.some((w) => (w.includes('*') ? wildcard(w).test(v) : w === v))));
  }
  return items;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function byIds<T>(items: T[], wanted: string[], id: (t: T) => string, notFound: (missing: string) => SimError): T[] {
  if (!wanted.length) return items;
  for (const w of wanted) if (!items.some((t) => id(t) === w)) throw notFound(w);
  return items.filter((t) => wanted.includes(id(t)));
}

function page<T>(ctx: OpContext, items: T[], key: string): { page: T[]; nextToken?: string } {
  return paginate(items, {
    maxResults: ctx.params.MaxResults,
    nextToken: ctx.params.NextToken,
    defaultSize: 1000,
    maxSize: 1000,
    filterKey: key,
    validation: 'InvalidParameterValue',
  });
}

const ec2State = (ctx: OpContext): ScenarioEc2 => ctx.state.ec2;

/** The gateway endpoints (S3, DynamoDB) add a prefix-list route to the tables they are associated with. */
const PREFIX_LISTS: Record<string, string> = { s3: 'pl-63a5400a', dynamodb: 'pl-02cd2c6b' };

export const ec2: SimService = {
  name: 'ec2',
  signingName: 'ec2',
  protocol: 'ec2query',
  apiVersion: '2016-11-15',
  xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  operations: {
    DescribeSubnets(ctx) {
      const all = ec2State(ctx).subnets ?? [];
      let items = byIds(all, ids(ctx, 'SubnetId'), (s) => s.subnetId, (m) => new SimError('InvalidSubnetID.NotFound', `The subnet ID '${m}' does not exist`));
      items = applyFilters(items, filters(ctx), {
        'subnet-id': (s) => [s.subnetId],
        'vpc-id': (s) => [s.vpcId],
        'availability-zone': (s) => [s.availabilityZone],
        'cidr-block': (s) => [s.cidrBlock],
      });
      const { page: p, nextToken } = page(ctx, items, JSON.stringify(ctx.params.Filter ?? []));
      return {
        subnetSet: p.map((s) => ({
          subnetId: s.subnetId,
          subnetArn: `arn:aws:ec2:${ctx.state.region}:${ctx.state.accountId}:subnet/${s.subnetId}`,
          vpcId: s.vpcId,
          state: 'available',
          availabilityZone: s.availabilityZone ?? `${ctx.state.region}a`,
          cidrBlock: s.cidrBlock ?? '10.0.0.0/24',
          availableIpAddressCount: s.availableIpAddressCount ?? 250,
          mapPublicIpOnLaunch: s.mapPublicIpOnLaunch ?? false,
          defaultForAz: false,
          ownerId: ctx.state.accountId,
        })),
        nextToken,
      };
    },
    DescribeRouteTables(ctx) {
      const s = ec2State(ctx);
      const all = s.routeTables ?? [];
      let items = byIds(all, ids(ctx, 'RouteTableId'), (r) => r.routeTableId, (m) => new SimError('InvalidRouteTableID.NotFound', `The routeTable ID '${m}' does not exist`));
      items = applyFilters(items, filters(ctx), {
        'route-table-id': (r) => [r.routeTableId],
        'vpc-id': (r) => [r.vpcId],
        'association.subnet-id': (r) => r.subnetIds ?? [],
        'association.main': (r) => [r.main ? 'true' : 'false'],
        'route.nat-gateway-id': (r) => (r.routes ?? []).map((x) => x.natGatewayId),
        'route.gateway-id': (r) => (r.routes ?? []).map((x) => x.gatewayId),
      });
      const { page: p, nextToken } = page(ctx, items, JSON.stringify(ctx.params.Filter ?? []));
      return {
        routeTableSet: p.map((r) => {
          const vpc = s.vpcs?.find((v) => v.vpcId === r.vpcId);
          const gatewayRoutes = (s.vpcEndpoints ?? [])
            .filter((e) => (e.vpcEndpointType ?? 'Interface') === 'Gateway' && (e.routeTableIds ?? []).includes(r.routeTableId))
            .map((e) => ({ destinationPrefixListId: PREFIX_LISTS[e.serviceName.split('.').pop() ?? ''] ?? 'pl-00000000', gatewayId: e.vpcEndpointId, state: 'active', origin: 'CreateRoute' }));
          return {
            routeTableId: r.routeTableId,
            vpcId: r.vpcId,
            ownerId: ctx.state.accountId,
            routeSet: [
              { destinationCidrBlock: vpc?.cidrBlock ?? '10.0.0.0/16', gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' },
              ...(r.routes ?? []).map((x) => ({ ...x, state: x.state ?? 'active', origin: 'CreateRoute' })),
              ...gatewayRoutes,
            ],
            associationSet: [
              ...(r.main ? [{ routeTableAssociationId: `rtbassoc-${r.routeTableId.slice(4)}m`, routeTableId: r.routeTableId, main: true, associationState: { state: 'associated' } }] : []),
              ...(r.subnetIds ?? []).map((sid, i) => ({
                routeTableAssociationId: `rtbassoc-${r.routeTableId.slice(4)}${i}`,
                routeTableId: r.routeTableId,
                subnetId: sid,
                main: false,
                associationState: { state: 'associated' },
              })),
            ],
          };
        }),
        nextToken,
      };
    },
    DescribeVpcEndpoints(ctx) {
      const all = ec2State(ctx).vpcEndpoints ?? [];
      let items = byIds(all, ids(ctx, 'VpcEndpointId'), (e) => e.vpcEndpointId, (m) => new SimError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${m}' does not exist`));
      items = applyFilters(items, filters(ctx), {
        'vpc-id': (e) => [e.vpcId],
        'service-name': (e) => [e.serviceName],
        'vpc-endpoint-id': (e) => [e.vpcEndpointId],
        'vpc-endpoint-state': (e) => [(e.state ?? 'available').toLowerCase()],
        'vpc-endpoint-type': (e) => [e.vpcEndpointType ?? 'Interface'],
      });
      const { page: p, nextToken } = page(ctx, items, JSON.stringify(ctx.params.Filter ?? []));
      return {
        vpcEndpointSet: p.map((e) => {
          const gateway = (e.vpcEndpointType ?? 'Interface') === 'Gateway';
          return {
            vpcEndpointId: e.vpcEndpointId,
            vpcEndpointType: e.vpcEndpointType ?? 'Interface',
            vpcId: e.vpcId,
            serviceName: e.serviceName,
            state: (e.state ?? 'available').toLowerCase(),
            routeTableIdSet: gateway ? (e.routeTableIds ?? []) : [],
            subnetIdSet: gateway ? [] : (e.subnetIds ?? []),
            groupSet: gateway ? [] : (e.securityGroupIds ?? []).map((groupId) => ({ groupId, groupName: groupId })),
            privateDnsEnabled: gateway ? false : (e.privateDnsEnabled ?? true),
            requesterManaged: false,
            creationTimestamp: ctx.state.time('-30d'),
            ownerId: ctx.state.accountId,
          };
        }),
        nextToken,
      };
    },
    DescribeSecurityGroups(ctx) {
      const all = ec2State(ctx).securityGroups ?? [];
      let items = byIds(all, ids(ctx, 'GroupId'), (g) => g.groupId, (m) => new SimError('InvalidGroup.NotFound', `The security group '${m}' does not exist`));
      items = applyFilters(items, filters(ctx), {
        'group-id': (g) => [g.groupId],
        'group-name': (g) => [g.groupName ?? g.groupId],
        'vpc-id': (g) => [g.vpcId],
      });
      const perm = (r: { ipProtocol: string; fromPort?: number; toPort?: number; cidrIp?: string; sourceGroupId?: string }) => ({
        ipProtocol: r.ipProtocol,
        ...(r.fromPort !== undefined ? { fromPort: r.fromPort } : {}),
        ...(r.toPort !== undefined ? { toPort: r.toPort } : {}),
        groups: r.sourceGroupId ? [{ groupId: r.sourceGroupId, userId: ctx.state.accountId }] : [],
        ipRanges: r.cidrIp ? [{ cidrIp: r.cidrIp }] : [],
      });
      const { page: p, nextToken } = page(ctx, items, JSON.stringify(ctx.params.Filter ?? []));
      return {
        securityGroupInfo: p.map((g) => ({
          groupId: g.groupId,
          groupName: g.groupName ?? g.groupId,
          groupDescription: g.groupName ?? g.groupId,
          vpcId: g.vpcId,
          ownerId: ctx.state.accountId,
          ipPermissions: (g.ingress ?? []).map(perm),
          ipPermissionsEgress: (g.egress ?? [{ ipProtocol: '-1', cidrIp: '0.0.0.0/0' }]).map(perm),
        })),
        nextToken,
      };
    },
  },
};
