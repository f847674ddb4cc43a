/**
 * Security groups, only where they can explain the stop: for an ELB health-check failure, the
 * task's groups against the load balancer; for a start-up failure (pull, secrets, logs), the
 * task's outbound 443 and the VPC endpoints' inbound 443.
 */
import { targetGroupNameOf } from '../../arn';
import type { LoadBalancerFacts, SecurityGroupFacts, SubnetFacts, TargetHealthFacts, VpcEndpointFacts } from '../facts';
import { failedEvidence, needsTaskDef, noSubnet, type CheckFacts, type Collect, type Judge } from '../live';
import type { Evidence } from '../types';
import { requiredEndpoints, type EndpointService } from './refs';
import { allowedBy, describeGroups, ruleLines, type Peer } from './securityGroupRules';
import { targetGroupBindings } from './targetGroup';
import { list, plural } from './text';

/**
 * ELB health-check failures: the task's security groups must let the load balancer in on the
 * port it probes (the health-check port; the container port when that is "traffic-port"), from
 * the load balancer's security groups or from CIDRs covering its subnets (the source of its
 * health checks). Confirms or rules out the catalogue cause 'sg-blocks-lb'.
 */
export function judgeLbSecurityGroups(input: {
  taskGroups: SecurityGroupFacts[];
  /** Where the task's groups came from, e.g. "service web's network configuration". */
  groupsFrom: string;
  targetGroupName: string;
  targetGroupArn?: string;
  loadBalancers: LoadBalancerFacts[];
  /** The load balancers' subnets and their CIDRs (undefined when not known). */
  lbSubnets: Array<{ subnetId: string; cidrBlock?: string }>;
  /** The ports the load balancer must reach, with why (e.g. "health-check port (traffic-port) 8080"). */
  ports: Array<{ port: number; why: string }>;
  /**
   * The target group's live health (DescribeTargetHealth), when read and the task's groups are its
   * service's: healthy targets behind the same groups on the probed port show the way in is open.
   */
  targetHealth?: TargetHealthFacts[];
}): Evidence {
  const { taskGroups, loadBalancers, ports } = input;
  const title = `Security groups: load balancer to the task (${input.targetGroupName})`;
  const taskIds = taskGroups.map((g) => g.groupId);
  const command = describeGroups([...taskIds, ...new Set(loadBalancers.flatMap((l) => l.securityGroups))]);
  const lbSgs = [...new Set(loadBalancers.flatMap((l) => l.securityGroups))];
  const cidrs = input.lbSubnets.map((s) => s.cidrBlock).filter((c): c is string => !!c);
  const cidrsKnown = input.lbSubnets.length > 0 && cidrs.length === input.lbSubnets.length;
  const peer: Peer = { groupIds: lbSgs };
  if (cidrsKnown) peer.cidrs = cidrs;
  const ingress = taskGroups.flatMap((g) => g.ingress);
  const sgsUnknown = loadBalancers.some((l) => l.securityGroupsUnknown);
  const lbText = `${list(loadBalancers.map((l) => l.name ?? l.loadBalancerArn))}${lbSgs.length ? ` (${lbSgs.join(', ')})` : sgsUnknown ? ' (its security groups were not reported)' : ' (no security groups)'}`;
  const lines = [...ruleLines(taskGroups, 'ingress'), ...(cidrs.length ? [`load balancer subnets: ${input.lbSubnets.map((s) => `${s.subnetId} ${s.cidrBlock ?? '?'}`).join(', ')}`] : [])];
  const verdicts = ports.map((p) => ({ ...p, by: allowedBy(ingress, p.port, peer) }));
  const blocked = verdicts.filter((v) => !v.by);
  const healthy = (input.targetHealth ?? []).filter((t) => t.state === 'healthy' && (t.port === undefined || blocked.some((b) => b.port === t.port)));
  if (blocked.length && healthy.length) {
    // The live state outweighs the rule reading: the load balancer reaches these targets.
    return {
      check: 'security-groups',
      title,
      status: 'pass',
      causes: ['sg-blocks-lb'],
      detail: `${plural(healthy.length, 'target')} of ${input.targetGroupName} ${healthy.length === 1 ? 'is' : 'are'} healthy now (${healthy.map((t) => `${t.id ?? '?'}:${t.port ?? '?'}`).join(', ')}) behind the same security group${taskIds.length === 1 ? '' : 's'} ${taskIds.join(', ')} (from ${input.groupsFrom}), so the load balancer's health checks get through on TCP ${blocked.map((b) => b.port).join(', ')}${sgsUnknown || !lbSgs.length ? '' : ' (by a rule this check does not read, e.g. a network ACL or a prefix list)'}.`,
      lines,
      command: `${command}\naws elbv2 describe-target-health --target-group-arn ${input.targetGroupArn ?? input.targetGroupName}`,
    };
  }
  if (blocked.length && sgsUnknown && !cidrsKnown) {
    return {
      check: 'security-groups',
      title,
      status: 'skipped',
      causes: [],
      detail: `Not checked: the task's security group${taskIds.length === 1 ? '' : 's'} ${taskIds.join(', ')} ${taskIds.length === 1 ? 'has' : 'have'} no rule for TCP ${blocked.map((b) => b.port).join(', ')} from the load balancer's subnets, but the endpoint did not report load balancer ${lbText}'s security groups, which a rule may name.`,
      lines,
      command: `aws elbv2 describe-load-balancers --load-balancer-arns ${loadBalancers.map((l) => l.loadBalancerArn).join(' ')} --query 'LoadBalancers[*].SecurityGroups'\n${command}`,
    };
  }
  if (blocked.length) {
    const fixes: string[] = [];
    const target = taskIds[0] ?? '<task-security-group-id>';
    for (const b of blocked) {
      if (lbSgs.length) for (const sg of lbSgs) fixes.push(`aws ec2 authorize-security-group-ingress --group-id ${target} --protocol tcp --port ${b.port} --source-group ${sg}`);
      else for (const c of cidrs.length ? cidrs : ['<load-balancer-subnet-cidr>']) fixes.push(`aws ec2 authorize-security-group-ingress --group-id ${target} --protocol tcp --port ${b.port} --cidr ${c}`);
    }
    const from = lbSgs.length ? `the load balancer's security group${lbSgs.length === 1 ? '' : 's'} ${lbSgs.join(', ')}` : `the load balancer's subnets (${cidrs.join(', ') || 'unknown CIDRs'})`;
    return {
      check: 'security-groups',
      title,
      status: 'fail',
      causes: ['sg-blocks-lb'],
      detail: `The task's security group${taskIds.length === 1 ? '' : 's'} ${taskIds.join(', ')} (from ${input.groupsFrom}) do${taskIds.length === 1 ? 'es' : ''} not allow TCP ${blocked.map((b) => `${b.port} (${b.why})`).join(' or ')} from ${loadBalancers.length ? `load balancer ${lbText}` : 'the load balancer'}${cidrs.length ? ' or from CIDRs covering its subnets' : ''}: its health checks cannot reach the task. Add an inbound rule from ${from}.`,
      lines,
      command,
      fix: { text: `Let ${from} reach the task: add the inbound rule to ${target}.`, command: fixes.join('\n') },
    };
  }
  return {
    check: 'security-groups',
    title,
    status: 'pass',
    causes: ['sg-blocks-lb'],
    detail: `The task's security group${taskIds.length === 1 ? '' : 's'} ${taskIds.join(', ')} let${taskIds.length === 1 ? 's' : ''} load balancer ${lbText} in: ${verdicts.map((v) => `TCP ${v.port} (${v.why}) by ${v.by}`).join('; ')}.`,
    lines,
    command,
  };
}

/** One AWS service a task needs at start-up and how it reaches it. */
export interface EndpointPath {
  service: EndpointService;
  why: string;
  /** The usable VPC endpoint that serves it, if any (interface or gateway). */
  endpoint?: VpcEndpointFacts;
  /** The interface endpoint's security groups, as read. */
  endpointGroups?: SecurityGroupFacts[];
  /** CIDRs of the interface endpoint's subnets, where known. */
  endpointSubnetCidrs?: string[];
}

/**
 * Start-up failures (pull, secrets, logs): the task's security groups must let HTTPS (443) out to
 * each service it needs (an interface endpoint, the S3 prefix list, or 0.0.0.0/0 through a NAT or
 * internet gateway; the default allow-all egress counts), and each interface endpoint's security
 * groups must let 443 in from the task's groups or subnet. Two rows: 'task-sg-egress' and 'endpoint-sg'.
 */
export function judgeEndpointSecurityGroups(input: {
  taskGroups: SecurityGroupFacts[];
  groupsFrom: string;
  subnet: SubnetFacts;
  paths: EndpointPath[];
  /** The subnet has a working default route (NAT, or an internet gateway with a public IP). */
  hasRoute: boolean;
}): Evidence[] {
  const { taskGroups, subnet, paths } = input;
  const taskIds = taskGroups.map((g) => g.groupId);
  const egress = taskGroups.flatMap((g) => g.egress);
  const target = taskIds[0] ?? '<task-security-group-id>';
  const its = `The task's security group${taskIds.length === 1 ? '' : 's'} ${taskIds.join(', ')} (from ${input.groupsFrom})`;
  const interfaceOf = (p: EndpointPath) => p.endpoint && (p.endpoint.vpcEndpointType ?? 'Interface').toLowerCase() !== 'gateway';

  // Outbound 443 from the task.
  const blockedOut: Array<{ service: string; to: string; permission: string }> = [];
  const allowedOut: string[] = [];
  const unreachable: string[] = [];
  for (const p of paths) {
    let peer: Peer;
    let to: string;
    let permission: string;
    if (interfaceOf(p)) {
      const groups = (p.endpointGroups ?? []).map((g) => g.groupId);
      peer = { groupIds: groups, cidrs: p.endpointSubnetCidrs?.length ? p.endpointSubnetCidrs : ['0.0.0.0/0'] };
      to = `endpoint ${p.endpoint!.vpcEndpointId}`;
      permission = groups[0] ? `UserIdGroupPairs=[{GroupId=${groups[0]}}]` : 'IpRanges=[{CidrIp=0.0.0.0/0}]';
    } else if (p.endpoint) {
      peer = { prefixList: true, cidrs: ['0.0.0.0/0'] };
      to = `the ${p.service} prefix list (gateway endpoint ${p.endpoint.vpcEndpointId})`;
      permission = 'IpRanges=[{CidrIp=0.0.0.0/0}]';
    } else if (input.hasRoute) {
      peer = { cidrs: ['0.0.0.0/0'] };
      to = '0.0.0.0/0 (through the default route)';
      permission = 'IpRanges=[{CidrIp=0.0.0.0/0}]';
    } else {
      unreachable.push(p.service);
      continue;
    }
    if (allowedBy(egress, 443, peer)) allowedOut.push(p.service);
    else blockedOut.push({ service: p.service, to, permission });
  }
  const rows: Evidence[] = [];
  const outTitle = 'Security groups: outbound HTTPS from the task';
  const outLines = [...ruleLines(taskGroups, 'egress'), ...(unreachable.length ? [`no endpoint and no route (see the route check): ${unreachable.join(', ')}`] : [])];
  if (blockedOut.length) {
    const perms = [...new Set(blockedOut.map((b) => b.permission))];
    rows.push({
      check: 'security-groups',
      title: outTitle,
      status: 'fail',
      causes: ['task-sg-egress'],
      detail: `${its} do${taskIds.length === 1 ? 'es' : ''} not allow outbound TCP 443 to ${blockedOut.map((b) => `${b.service} (${b.to})`).join('; ')}: the task cannot reach ${list([...new Set(blockedOut.map((b) => b.service))])} at start-up.`,
      lines: outLines,
      command: describeGroups(taskIds),
      fix: {
        text: `Allow outbound HTTPS (443) from the task's security group ${target}.`,
        command: perms.map((perm) => `aws ec2 authorize-security-group-egress --group-id ${target} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,${perm}'`).join('\n'),
      },
    });
  } else {
    rows.push({
      check: 'security-groups',
      title: outTitle,
      status: 'pass',
      causes: ['task-sg-egress'],
      detail: allowedOut.length
        ? `${its} allow${taskIds.length === 1 ? 's' : ''} outbound TCP 443 to every service the task needs (${allowedOut.join(', ')}).`
        : `${its} were not the problem: the task has no way out to the services it needs (see the route check).`,
      lines: outLines,
      command: describeGroups(taskIds),
    });
  }

  // Inbound 443 on each interface endpoint.
  const inTitle = 'Security groups: VPC endpoints accept HTTPS from the task';
  const peer: Peer = { groupIds: taskIds };
  if (subnet.cidrBlock) peer.cidrs = [subnet.cidrBlock];
  const endpoints = paths.filter(interfaceOf);
  const blockedIn: Array<{ path: EndpointPath; groups: string[] }> = [];
  const allowedIn: string[] = [];
  const unknown: string[] = [];
  for (const p of endpoints) {
    const groups = p.endpointGroups ?? [];
    if (!groups.length) {
      unknown.push(`${p.service} (${p.endpoint!.vpcEndpointId}: no security groups reported)`);
      continue;
    }
    const by = allowedBy(groups.flatMap((g) => g.ingress), 443, peer);
    if (by) allowedIn.push(`${p.service} by ${by}`);
    else blockedIn.push({ path: p, groups: groups.map((g) => g.groupId) });
  }
  const endpointGroups = [...new Map(endpoints.flatMap((p) => p.endpointGroups ?? []).map((g) => [g.groupId, g])).values()];
  const inLines = [...ruleLines(endpointGroups, 'ingress'), ...unknown.map((u) => `not checked: ${u}`)];
  const from = `${taskIds.join(', ')}${subnet.cidrBlock ? ` or subnet ${subnet.subnetId} (${subnet.cidrBlock})` : ''}`;
  if (blockedIn.length) {
    const fixGroups = [...new Set(blockedIn.flatMap((b) => b.groups))];
    rows.push({
      check: 'security-groups',
      title: inTitle,
      status: 'fail',
      causes: ['endpoint-sg'],
      detail: `${blockedIn.map((b) => `the ${b.path.service} endpoint ${b.path.endpoint!.vpcEndpointId} (${b.groups.join(', ')})`).join('; ')} ${blockedIn.length === 1 ? 'does' : 'do'} not allow inbound TCP 443 from the task (${from}): the connection to ${list(blockedIn.map((b) => b.path.service))} times out.`.replace(/^./, (c) => c.toUpperCase()),
      lines: inLines,
      command: describeGroups(fixGroups),
      fix: {
        text: `Allow inbound HTTPS (443) from the task's security group ${target} on the endpoints' security group${fixGroups.length === 1 ? '' : 's'} ${fixGroups.join(', ')}.`,
        command: fixGroups.map((g) => `aws ec2 authorize-security-group-ingress --group-id ${g} --protocol tcp --port 443 --source-group ${target}`).join('\n'),
      },
    });
  } else if (endpoints.length) {
    const ev: Evidence = {
      check: 'security-groups',
      title: inTitle,
      status: unknown.length && !allowedIn.length ? 'skipped' : 'pass',
      causes: ['endpoint-sg'],
      detail: allowedIn.length
        ? `Every interface endpoint the task uses allows inbound TCP 443 from it: ${allowedIn.join('; ')}.${unknown.length ? ` Not checked: ${unknown.join('; ')}.` : ''}`
        : `The endpoints' security groups were not reported: ${unknown.join('; ')}.`,
      lines: inLines,
      command: describeGroups(endpointGroups.map((g) => g.groupId)),
    };
    if (ev.status === 'skipped') ev.causes = [];
    rows.push(ev);
  } else {
    rows.push({
      check: 'security-groups',
      title: inTitle,
      status: 'pass',
      causes: ['endpoint-sg'],
      detail: `The task uses no interface VPC endpoint in ${subnet.vpcId ?? 'its VPC'}, so no endpoint security group is in the way.`,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The check: which part runs, and the facts each part looks up

const CHECK = 'security-groups';
const describeCommand = (ids: readonly string[]) =>
  `aws ec2 describe-security-groups --group-ids ${ids.length ? ids.join(' ') : '<security-group-id>'} --query 'SecurityGroups[*].{Id:GroupId,In:IpPermissions,Out:IpPermissionsEgress}'`;

/** The catalogue causes this check can confirm or rule out, by the part of the check that judges them. */
const LB_CAUSES = ['sg-blocks-lb'];
const ENDPOINT_CAUSES = ['endpoint-sg', 'task-sg-egress'];

/**
 * Which part of the check runs. It follows the diagnosis' causes: the load balancer part for
 * 'sg-blocks-lb', the endpoint part for 'endpoint-sg' or 'task-sg-egress'. Without a diagnosis:
 * the load balancer part for a load-balanced task, else the endpoint part.
 */
export function securityGroupParts(facts: CheckFacts): { loadBalancer: boolean; endpoints: boolean } {
  const causeIds = facts.diagnosis?.causes.map((c) => c.id);
  const loadBalancer = causeIds ? causeIds.some((c) => LB_CAUSES.includes(c)) : targetGroupBindings(facts).length > 0;
  const endpoints = causeIds ? causeIds.some((c) => ENDPOINT_CAUSES.includes(c)) : !loadBalancer;
  return { loadBalancer, endpoints };
}

export const checkSecurityGroups: Judge = async (facts, collect) => {
  const parts = securityGroupParts(facts);
  if (!parts.loadBalancer && !parts.endpoints) return [{ check: CHECK, status: 'skipped', detail: 'No security-group cause applies to this stop.', causes: [] }];
  if (!facts.taskDef) return [needsTaskDef(facts, CHECK)];
  if (facts.taskDef.networkMode !== 'awsvpc' && facts.task.launchType !== 'FARGATE') {
    return [
      {
        check: CHECK,
        status: 'skipped',
        detail: `The task has no network interface of its own (network mode ${facts.taskDef.networkMode ?? 'bridge'}): the container instance's security groups apply.`,
        causes: [],
      },
    ];
  }
  const subnetId = facts.task.subnetId ?? facts.service?.subnets?.[0];
  if (!subnetId) return [noSubnet(facts, CHECK)];
  let subnet: SubnetFacts | undefined;
  try {
    subnet = await collect('subnet', subnetId);
  } catch (err) {
    return [failedEvidence(CHECK, err, { command: `aws ec2 describe-subnets --subnet-ids ${subnetId}` })];
  }
  if (!subnet) return [{ check: CHECK, status: 'skipped', detail: `The task's subnet ${subnetId} no longer exists.`, causes: [] }];
  const mine = await taskGroups(facts, collect, subnet);
  if ('skipped' in mine) return [mine.skipped];
  const out: Evidence[] = [];
  if (parts.loadBalancer) out.push(...(await loadBalancerPart(facts, collect, mine)));
  if (parts.endpoints) out.push(...(await endpointPart(facts, collect, subnet, mine)));
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
async function taskGroups(facts: CheckFacts, collect: Collect, subnet: SubnetFacts): Promise<TaskGroups | { skipped: Evidence }> {
  if (!facts.service) {
    if (facts.serviceMissing) return { skipped: { ...facts.serviceMissing, check: CHECK } };
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
  const ids = facts.service.securityGroups ?? [];
  const from = ids.length ? `service ${facts.service.name}'s network configuration` : `service ${facts.service.name}, which sets none, so the VPC's default group`;
  try {
    const groups = ids.length ? await collect('security-groups', { groupIds: ids }) : subnet.vpcId ? await collect('security-groups', { defaultOfVpc: subnet.vpcId }) : [];
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

/** Load balancer -> task, for each target group the task is registered in. */
async function loadBalancerPart(facts: CheckFacts, collect: Collect, mine: TaskGroups): Promise<Evidence[]> {
  const bindings = targetGroupBindings(facts);
  if (!bindings.length) return [{ check: CHECK, status: 'skipped', detail: 'The task is not in a service behind a load balancer target group.', causes: [] }];
  const out: Evidence[] = [];
  for (const b of bindings) {
    const arn = b.targetGroupArn!;
    const tgName = targetGroupNameOf(arn);
    const title = `Security groups: load balancer to the task (${tgName})`;
    try {
      const tg = await collect('target-group', arn);
      if (!tg) {
        out.push({ check: CHECK, title, status: 'skipped', detail: `The target group ${arn} no longer exists.`, causes: [] });
        continue;
      }
      const containerName = b.containerName ?? facts.taskDef?.containers.find((c) => c.portMappings.length)?.name;
      const def = facts.taskDef?.containers.find((c) => c.name === containerName);
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
      const loadBalancers = await collect('load-balancers', lbArns);
      const lbSubnets: Array<{ subnetId: string; cidrBlock?: string }> = [];
      for (const id of [...new Set(loadBalancers.flatMap((l) => l.subnetIds))]) {
        // The CIDRs only widen what counts as allowed; a lookup that fails leaves them unknown.
        const s = await collect('subnet', id).catch(() => undefined);
        lbSubnets.push(s?.cidrBlock ? { subnetId: id, cidrBlock: s.cidrBlock } : { subnetId: id });
      }
      // The live state: healthy targets of the same service (so behind the same groups) show the
      // way in is open. Only a service's tasks share the groups; a failed read leaves the rules.
      const targetHealth = facts.service ? await collect('target-health', arn).catch(() => undefined) : undefined;
      const mineIp = facts.task.privateIp;
      const others = targetHealth?.filter((t) => !mineIp || t.id !== mineIp);
      out.push({ ...judgeLbSecurityGroups({ taskGroups: mine.groups, groupsFrom: mine.from, targetGroupName: tg.targetGroupName ?? tgName, targetGroupArn: arn, loadBalancers, lbSubnets, ports, ...(others ? { targetHealth: others } : {}) }), title });
    } catch (err) {
      out.push(failedEvidence(CHECK, err, { title, command: describeCommand(mine.groups.map((g) => g.groupId)) }));
    }
  }
  return out;
}

/** Task -> AWS services (VPC endpoints or the default route). */
async function endpointPart(facts: CheckFacts, collect: Collect, subnet: SubnetFacts, mine: TaskGroups): Promise<Evidence[]> {
  const taskIds = mine.groups.map((g) => g.groupId);
  try {
    const required = requiredEndpoints(facts.taskDef!, { region: facts.region, execEnabled: facts.task.enableExecuteCommand === true });
    if (!required.length) return [{ check: CHECK, status: 'pass', detail: 'The task needs no AWS endpoint at start-up (no ECR image, awslogs or secrets).', causes: ENDPOINT_CAUSES }];
    const rt = await collect('route-table', subnet);
    const route = rt?.routes.find((r) => r.destinationCidrBlock === '0.0.0.0/0');
    const hasRoute = !!route && route.state !== 'blackhole' && !!(route.natGatewayId || route.transitGatewayId || route.instanceId || route.networkInterfaceId || (route.gatewayId?.startsWith('igw-') && facts.service?.assignPublicIp !== 'DISABLED'));
    const endpoints = subnet.vpcId ? await collect('vpc-endpoints', subnet.vpcId) : [];
    const paths: EndpointPath[] = required.map((need) => {
      const name = `com.amazonaws.${facts.region}.${need.service}`;
      const usable = endpoints.filter((e) => e.serviceName === name && (!e.state || e.state.toLowerCase() === 'available'));
      const endpoint = usable.find((e) =>
        (e.vpcEndpointType ?? '').toLowerCase() === 'gateway' ? !rt || (e.routeTableIds ?? []).includes(rt.routeTableId) : e.privateDnsEnabled !== false,
      );
      return endpoint ? { service: need.service, why: need.why, endpoint } : { service: need.service, why: need.why };
    });
    const interfaces = paths.filter((p) => p.endpoint && (p.endpoint.vpcEndpointType ?? 'Interface').toLowerCase() !== 'gateway');
    const groupIds = [...new Set(interfaces.flatMap((p) => p.endpoint!.securityGroupIds ?? []))];
    const groups = groupIds.length ? await collect('security-groups', { groupIds }) : [];
    const cidrOf = new Map<string, string | undefined>();
    for (const id of new Set(interfaces.flatMap((p) => p.endpoint!.subnetIds ?? []))) {
      const s = await collect('subnet', id).catch(() => undefined);
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
