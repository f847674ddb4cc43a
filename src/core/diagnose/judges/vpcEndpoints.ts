/** The task's way out to AWS services: a NAT route, a public IP, or the VPC endpoints it needs. */
import type { RouteFacts, RouteTableFacts, SubnetFacts, VpcEndpointFacts } from '../facts';
import { failedEvidence, needsTaskDef, noSubnet, type Judge } from '../live';
import type { Evidence } from '../types';
import { imagesNeedingInternet, requiredEndpoints, type EndpointService } from './refs';

/** A default route (IPv4 0.0.0.0/0) that is not a black hole. */
function defaultRoute(rt: RouteTableFacts | undefined): RouteFacts | undefined {
  return rt?.routes.find((r) => r.destinationCidrBlock === '0.0.0.0/0');
}

/**
 * Can the task reach ECR, CloudWatch Logs, Secrets Manager and SSM? Through a NAT route, an
 * internet gateway with a public IP, or the VPC endpoints the task needs.
 */
export function judgeNetwork(input: {
  subnet: SubnetFacts;
  routeTable?: RouteTableFacts;
  endpoints: VpcEndpointFacts[];
  required: Array<{ service: EndpointService; why: string }>;
  region: string;
  /** From the service's awsvpcConfiguration; undefined when unknown. */
  assignPublicIp?: string;
  /** Images that no VPC endpoint serves (imagesNeedingInternet). */
  internetImages?: Array<{ container: string; where: string }>;
}): Evidence {
  const { subnet, routeTable: rt, region } = input;
  const describeEndpoints = `aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=${subnet.vpcId ?? '<vpc-id>'} --query 'VpcEndpoints[*].{Service:ServiceName,State:State,Type:VpcEndpointType}'`;
  const describeRoutes = `aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=${subnet.subnetId}`;
  const route = defaultRoute(rt);
  const via = route?.natGatewayId ?? route?.gatewayId ?? route?.transitGatewayId ?? route?.instanceId ?? route?.networkInterfaceId ?? route?.vpcPeeringConnectionId;
  const where = `Subnet ${subnet.subnetId}${rt ? ` (route table ${rt.routeTableId}${rt.main ? ', the VPC main table' : ''})` : ''}`;
  if (route && route.state === 'blackhole') {
    return endpointVerdict(input, `${where} sends 0.0.0.0/0 to ${via ?? 'a target'} that no longer exists (blackhole)`, describeRoutes, ['no-route']);
  }
  if (route?.natGatewayId) {
    return { check: 'vpc-endpoints', status: 'pass', causes: [...EGRESS_CAUSES], detail: `${where} routes 0.0.0.0/0 through NAT gateway ${route.natGatewayId}, so the task can reach ECR, CloudWatch Logs and Secrets Manager without VPC endpoints.`, command: describeRoutes };
  }
  if (route?.gatewayId?.startsWith('igw-')) {
    if (input.assignPublicIp === 'ENABLED') {
      return { check: 'vpc-endpoints', status: 'pass', causes: [...EGRESS_CAUSES], detail: `${where} is public (0.0.0.0/0 to ${route.gatewayId}) and the task gets a public IP (assignPublicIp ENABLED).`, command: describeRoutes };
    }
    if (input.assignPublicIp === 'DISABLED') {
      return withoutInternet(
        input,
        endpointVerdict(input, `${where} is public (0.0.0.0/0 to ${route.gatewayId}) but assignPublicIp is DISABLED, so the task has no public IP to use it`, describeRoutes, ['public-ip-disabled', 'no-route']),
        `${where} is public (0.0.0.0/0 to ${route.gatewayId}) but assignPublicIp is DISABLED`,
        ['public-ip-disabled', 'no-route'],
        describeRoutes,
      );
    }
    return {
      check: 'vpc-endpoints',
      status: 'pass',
      causes: [], // inconclusive: whether the task had a public IP is unknown
      detail: `${where} is public (0.0.0.0/0 to ${route.gatewayId}); the task reaches AWS only if it has a public IP (assignPublicIp ENABLED), which could not be read for a task outside a service.`,
      command: describeRoutes,
    };
  }
  if (route && via) {
    return { check: 'vpc-endpoints', status: 'pass', causes: [], detail: `${where} routes 0.0.0.0/0 to ${via} (a transit gateway, instance or appliance): egress goes through it and was not checked further.`, command: describeRoutes };
  }
  void region;
  const situation = `${where} is private (no 0.0.0.0/0 route to a NAT or internet gateway)`;
  return withoutInternet(input, endpointVerdict(input, situation, describeEndpoints), situation, ['no-route'], describeRoutes);
}

/**
 * No way out to the internet: an image outside this Region's ECR cannot be pulled, whatever VPC
 * endpoints exist (the classic Docker Hub image in a private subnet without NAT).
 */
function withoutInternet(
  input: { internetImages?: Array<{ container: string; where: string }>; subnet: SubnetFacts },
  endpoints: Evidence,
  situation: string,
  causes: string[],
  command: string,
): Evidence {
  const outside = input.internetImages ?? [];
  if (!outside.length) return endpoints;
  const images = outside.map((i) => `${i.container}: ${i.where}`).join('; ');
  return {
    check: 'vpc-endpoints',
    status: 'fail',
    causes: [...new Set([...causes, ...(endpoints.status === 'fail' ? (endpoints.causes ?? []) : [])])],
    detail: `${situation}, so the task cannot pull an image that no VPC endpoint serves (${images}): it needs a NAT gateway route, or a public subnet and a public IP.${endpoints.status === 'fail' ? ` Also: ${endpoints.detail}` : ''}`,
    command,
  };
}

function endpointVerdict(
  input: { subnet: SubnetFacts; routeTable?: RouteTableFacts; endpoints: VpcEndpointFacts[]; required: Array<{ service: EndpointService; why: string }>; region: string },
  situation: string,
  command: string,
  because: string[] = [],
): Evidence {
  const { endpoints, required, region, routeTable: rt, subnet } = input;
  if (!required.length) {
    // A registry outside AWS still needs a route to the internet: nothing is ruled out.
    return { check: 'vpc-endpoints', status: 'pass', causes: [], detail: `${situation}, but the task needs no AWS endpoint (no ECR image, awslogs or secrets).`, command };
  }
  const missing: string[] = [];
  const broken: string[] = [];
  const present: string[] = [];
  for (const need of required) {
    const name = `com.amazonaws.${region}.${need.service}`;
    const found = endpoints.filter((e) => e.serviceName === name);
    const usable = found.filter((e) => !e.state || e.state.toLowerCase() === 'available');
    if (!found.length) {
      missing.push(`${need.service} (${need.why})`);
      continue;
    }
    if (!usable.length) {
      broken.push(`${need.service} is ${found.map((e) => e.state).join('/')}`);
      continue;
    }
    const ep = usable[0]!;
    const gateway = (ep.vpcEndpointType ?? '').toLowerCase() === 'gateway';
    if (gateway && rt && !usable.some((e) => (e.routeTableIds ?? []).includes(rt.routeTableId))) {
      broken.push(`${need.service} gateway endpoint ${ep.vpcEndpointId} is not associated with route table ${rt.routeTableId}`);
      continue;
    }
    if (!gateway && !usable.some((e) => e.privateDnsEnabled !== false)) {
      broken.push(`${need.service} endpoint ${ep.vpcEndpointId} has private DNS disabled, so the task still resolves the public name`);
      continue;
    }
    present.push(need.service);
  }
  const problems = [...missing.map((m) => `missing ${m}`), ...broken];
  if (problems.length) {
    // Name the causes this confirms, so a failing route does not also "confirm" unrelated ones.
    const causes = new Set(because);
    if (missing.length || broken.some((b) => / is [a-zA-Z]+$/.test(b))) causes.add('no-route');
    if ([...missing, ...broken].some((m) => m.startsWith('s3'))) causes.add('no-s3-endpoint');
    if (broken.some((b) => b.includes('private DNS'))) {
      causes.add('endpoint-sg');
      causes.add('vpc-dns');
    }
    return {
      causes: [...causes],
      check: 'vpc-endpoints',
      status: 'fail',
      detail: `${situation}, and it lacks the VPC endpoints the task needs: ${problems.join('; ')}.`,
      lines: present.length ? [`present: ${present.join(', ')}`] : undefined,
      command: `${command}\naws ec2 create-vpc-endpoint --vpc-id ${subnet.vpcId ?? '<vpc-id>'} --vpc-endpoint-type Interface --service-name com.amazonaws.${region}.<service> --subnet-ids ${subnet.subnetId} --security-group-ids <sg-allowing-443-from-the-task> --private-dns-enabled`,
    } as Evidence;
  }
  // The endpoints carry an ECR pull (and S3 layers) but not a pull from a registry outside AWS.
  const ruledOut = required.some((r) => r.service === 'ecr.dkr') ? ['no-route', 'no-s3-endpoint'] : present.includes('s3') ? ['no-s3-endpoint'] : [];
  return { check: 'vpc-endpoints', status: 'pass', causes: ruledOut, detail: `${situation}; it has every VPC endpoint the task needs (${present.join(', ')}).`, command };
}

/** A NAT route, or an internet gateway with a public IP: the task can reach any registry and AWS service. */
const EGRESS_CAUSES = ['no-route', 'public-ip-disabled', 'no-s3-endpoint'] as const;

/**
 * The subnet and its route table; the VPC's endpoints only when the route gives no way out
 * (a NAT gateway, or an internet gateway with a public IP makes them irrelevant).
 */
export const checkVpcEndpoints: Judge = async (facts, collect) => {
  const subnetId = facts.task.subnetId ?? facts.service?.subnets?.[0];
  if (!subnetId) return [noSubnet(facts, 'vpc-endpoints')];
  if (!facts.taskDef) return [needsTaskDef(facts, 'vpc-endpoints')];
  const command = `aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=${subnetId}`;
  try {
    const subnet = await collect('subnet', subnetId);
    if (!subnet) return [{ check: 'vpc-endpoints', status: 'fail', detail: `The task's subnet ${subnetId} no longer exists.`, command: `aws ec2 describe-subnets --subnet-ids ${subnetId}` }];
    const routeTable = await collect('route-table', subnet);
    const required = requiredEndpoints(facts.taskDef, { region: facts.region, execEnabled: facts.task.enableExecuteCommand === true });
    const route = routeTable?.routes.find((r) => r.destinationCidrBlock === '0.0.0.0/0');
    const egress = route && route.state !== 'blackhole' && (route.natGatewayId || (route.gatewayId?.startsWith('igw-') && facts.service?.assignPublicIp !== 'DISABLED'));
    // Endpoints matter only when there is no usable way out; skip the lookup otherwise.
    const endpoints = !egress && required.length && subnet.vpcId ? await collect('vpc-endpoints', subnet.vpcId) : [];
    const input: Parameters<typeof judgeNetwork>[0] = { subnet, endpoints, required, region: facts.region, internetImages: imagesNeedingInternet(facts.taskDef, facts.region) };
    if (routeTable) input.routeTable = routeTable;
    if (facts.service?.assignPublicIp) input.assignPublicIp = facts.service.assignPublicIp;
    return [judgeNetwork(input)];
  } catch (err) {
    return [failedEvidence('vpc-endpoints', err, { command })];
  }
};
