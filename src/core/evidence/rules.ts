/**
 * The judgement of the live checks: fetched facts in, Evidence out. Pure (no SDK, no I/O), so
 * the knowledge of what "wrong" looks like lives in core and is tested without AWS; the
 * collectors in src/aws/evidence/ only fetch and call these.
 */
import type { Evidence } from '../stopReasons/types';
import type {
  ContainerDefFacts,
  EcrImageRef,
  LogLookup,
  RouteFacts,
  RouteTableFacts,
  SecretLookup,
  SecretRef,
  ServiceFacts,
  SubnetFacts,
  TargetGroupFacts,
  TargetHealthFacts,
  TaskDefFacts,
  TaskFacts,
  VpcEndpointFacts,
} from './facts';

/** The endpoint short names the guide lists, in its order. */
export const ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager', 'ssm', 'ssmmessages'] as const;
export type EndpointService = (typeof ENDPOINT_SERVICES)[number];

const essential = (c: ContainerDefFacts) => c.essential !== false;
const q = (s: string) => (/^[A-Za-z0-9_./:@=+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const list = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** The task id (last ARN segment) of a task ARN or id. */
export function taskIdOf(taskArn: string): string {
  return taskArn.split('/').pop() ?? taskArn;
}

// ---------------------------------------------------------------------------------------------
// Parsing references

/**
 * A private ECR image reference: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repo>[:tag|@digest]`.
 * Anything else (Docker Hub, ECR Public, another registry) returns undefined.
 */
export function parseEcrImage(image: string | undefined): EcrImageRef | undefined {
  if (!image) return undefined;
  const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@\s]+)(?::([^@\s]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(
    image.trim(),
  );
  if (!m) return undefined;
  const ref: EcrImageRef = { registryId: m[1]!, region: m[2]!, repository: m[3]! };
  if (m[5]) ref.digest = m[5];
  if (m[4]) ref.tag = m[4];
  if (!ref.tag && !ref.digest) ref.tag = 'latest';
  return ref;
}

/**
 * Where a secrets[].valueFrom points. Secrets Manager ARNs may carry `:json-key:version-stage:version-id`
 * after the secret's own ARN; SSM takes a parameter ARN or, in the task's Region, a bare name.
 */
export function parseSecretRef(valueFrom: string): SecretRef {
  const v = valueFrom.trim();
  if (v.startsWith('arn:')) {
    const parts = v.split(':');
    const service = parts[2];
    const region = parts[3] || undefined;
    if (service === 'secretsmanager') {
      const ref: SecretRef = { service: 'secretsmanager', valueFrom: v, secretId: parts.slice(0, 7).join(':') };
      if (region) ref.region = region;
      if (parts[7]) ref.jsonKey = parts[7];
      return ref;
    }
    if (service === 'ssm') {
      const resource = parts.slice(5).join(':');
      const name = resource.replace(/^parameter/, '');
      const ref: SecretRef = { service: 'ssm', valueFrom: v, name: name.startsWith('/') && name.split('/').length === 2 ? name.slice(1) : name };
      if (region) ref.region = region;
      return ref;
    }
  }
  return { service: 'ssm', valueFrom: v, name: v };
}

/** Every secret reference of a task definition with the containers/variables that use it. */
export function secretRefsOf(td: TaskDefFacts): Array<{ ref: SecretRef; usedBy: string[] }> {
  const byValue = new Map<string, { ref: SecretRef; usedBy: string[] }>();
  const add = (valueFrom: string, who: string) => {
    const key = valueFrom.trim();
    if (!key) return;
    const entry = byValue.get(key) ?? { ref: parseSecretRef(key), usedBy: [] };
    entry.usedBy.push(who);
    byValue.set(key, entry);
  };
  for (const c of td.containers) {
    for (const s of c.secrets) add(s.valueFrom, `${c.name}: ${s.name}`);
    for (const s of c.logSecrets ?? []) add(s.valueFrom, `${c.name}: log option ${s.name}`);
    if (c.repositoryCredentials) add(c.repositoryCredentials, `${c.name}: repository credentials`);
  }
  return [...byValue.values()];
}

/** The VPC endpoints a task of this definition needs when it has no route to the internet. */
export function requiredEndpoints(td: TaskDefFacts, opts: { region: string; execEnabled?: boolean }): Array<{ service: EndpointService; why: string }> {
  const out: Array<{ service: EndpointService; why: string }> = [];
  const ecrHere = td.containers.filter((c) => parseEcrImage(c.image)?.region === opts.region);
  if (ecrHere.length) {
    const why = `image of ${list(ecrHere.map((c) => c.name))} is in ECR`;
    out.push({ service: 'ecr.api', why }, { service: 'ecr.dkr', why }, { service: 's3', why: 'ECR image layers are stored in S3' });
  }
  const awslogs = td.containers.filter((c) => c.logDriver === 'awslogs');
  if (awslogs.length) out.push({ service: 'logs', why: `${list(awslogs.map((c) => c.name))} log${awslogs.length === 1 ? 's' : ''} with awslogs` });
  const refs = secretRefsOf(td);
  const sm = refs.filter((r) => r.ref.service === 'secretsmanager');
  if (sm.length) out.push({ service: 'secretsmanager', why: `${plural(sm.length, 'secret')} from Secrets Manager` });
  const ssm = refs.filter((r) => r.ref.service === 'ssm');
  if (ssm.length) out.push({ service: 'ssm', why: `${plural(ssm.length, 'parameter')} from SSM Parameter Store` });
  if (opts.execEnabled) out.push({ service: 'ssmmessages', why: 'ECS Exec is enabled on the task' });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The checks

/** The five describe-tasks fields the guide reads first. Always "pass": it is the record itself. */
export function judgeTaskFields(task: TaskFacts): Evidence {
  const containers = task.containers.map((c) => {
    const exit = c.exitCode === null || c.exitCode === undefined ? (c.lastStatus === 'RUNNING' ? 'running' : 'no exit code (never started)') : `exit code ${c.exitCode}`;
    const reason = c.reason && c.reason !== task.stoppedReason ? `, reason "${c.reason}"` : '';
    return `${c.name}: ${c.lastStatus ?? '?'}, ${exit}${reason}${c.healthStatus && c.healthStatus !== 'UNKNOWN' ? `, health ${c.healthStatus}` : ''}`;
  });
  const code = task.stopCode ? `stopCode ${task.stopCode}` : 'no stopCode';
  return {
    check: 'task-fields',
    status: 'pass',
    detail: `lastStatus ${task.lastStatus ?? '?'}, ${code}${task.healthStatus && task.healthStatus !== 'UNKNOWN' ? `, health ${task.healthStatus}` : ''}; ${plural(task.containers.length, 'container')}.`,
    lines: containers,
    causes: [],
    command: `aws ecs describe-tasks --cluster ${q(task.clusterArn ?? '<cluster>')} --tasks ${q(task.taskArn)} --query 'tasks[0].{lastStatus:lastStatus,stoppedReason:stoppedReason,stopCode:stopCode,containers:containers[*].{name:name,reason:reason,exitCode:exitCode,lastStatus:lastStatus}}'`,
  };
}

/** Task definition: essential containers, log configuration, Fargate memory arithmetic, roles. */
export function judgeTaskDefinition(td: TaskDefFacts): Evidence {
  const problems: string[] = [];
  const fargate = td.requiresCompatibilities?.includes('FARGATE') ?? false;
  if (!td.containers.some(essential)) problems.push('no container is essential');
  for (const c of td.containers) {
    if (c.logDriver === 'awslogs') {
      const o = c.logOptions ?? {};
      const missing = ['awslogs-group', 'awslogs-region'].filter((k) => !o[k]);
      if (fargate && !o['awslogs-stream-prefix']) missing.push('awslogs-stream-prefix');
      if (missing.length) problems.push(`${c.name}: awslogs is missing ${missing.join(', ')}`);
    }
    if (c.memory !== undefined && c.memoryReservation !== undefined && c.memoryReservation > c.memory) {
      problems.push(`${c.name}: memoryReservation ${c.memoryReservation} MiB is above its hard limit memory ${c.memory} MiB`);
    }
    if (td.networkMode === 'awsvpc') {
      for (const p of c.portMappings) {
        if (p.hostPort !== undefined && p.containerPort !== undefined && p.hostPort !== 0 && p.hostPort !== p.containerPort) {
          problems.push(`${c.name}: hostPort ${p.hostPort} differs from containerPort ${p.containerPort} (awsvpc needs them equal)`);
        }
      }
    }
  }
  const taskMem = td.memory ? Number(td.memory) : undefined;
  if (fargate && taskMem) {
    const sum = td.containers.reduce((n, c) => n + (c.memory ?? c.memoryReservation ?? 0), 0);
    if (sum > taskMem) problems.push(`the containers' memory adds up to ${sum} MiB, above the task's ${taskMem} MiB`);
  }
  const logs = td.containers.map((c) => `${c.name}→${c.logDriver ? `${c.logDriver}${c.logOptions?.['awslogs-group'] ? ` ${c.logOptions['awslogs-group']}` : ''}` : 'no log driver'}`);
  const summary = [
    `${td.family ?? '?'}:${td.revision ?? '?'}`,
    td.networkMode ? `network ${td.networkMode}` : undefined,
    td.cpu || td.memory ? `cpu ${td.cpu ?? '-'} / memory ${td.memory ?? '-'}` : undefined,
    `execution role ${td.executionRoleArn ? roleName(td.executionRoleArn) : 'none'}`,
    `task role ${td.taskRoleArn ? roleName(td.taskRoleArn) : 'none'}`,
    `logs ${logs.join(', ')}`,
  ].filter(Boolean);
  const command = `aws ecs describe-task-definition --task-definition ${q(td.arn ?? `${td.family}:${td.revision}`)}`;
  if (problems.length) return { check: 'task-definition', status: 'fail', detail: `${capital(problems.join('; '))}.`, lines: summary as string[], command };
  return { check: 'task-definition', status: 'pass', detail: `${summary.join('; ')}.`, command };
}

/** An execution role is needed for private ECR pulls, awslogs, secrets and registry credentials. */
export function judgeExecutionRole(td: TaskDefFacts, region: string): Evidence {
  const needs: string[] = [];
  const ecr = td.containers.filter((c) => parseEcrImage(c.image));
  if (ecr.length) needs.push(`pull ${list(ecr.map((c) => c.name))} from ECR`);
  if (td.containers.some((c) => c.logDriver === 'awslogs')) needs.push('write awslogs');
  const refs = secretRefsOf(td);
  if (refs.length) needs.push(`fetch ${plural(refs.length, 'secret')}`);
  if (!td.executionRoleArn) {
    if (!needs.length) return { check: 'execution-role', status: 'pass', detail: 'No execution role is set, and none is needed (no ECR image, awslogs or secrets).' };
    return {
      check: 'execution-role',
      status: 'fail',
      detail: `No execution role (executionRoleArn) is set, but the ECS agent needs one to ${list(needs)}.`,
    };
  }
  void region;
  const name = roleName(td.executionRoleArn);
  return {
    check: 'execution-role',
    status: 'pass',
    detail: `Execution role ${name} is set${needs.length ? ` (the agent uses it to ${list(needs)})` : ''}. Its policies were not read: confirm it allows ${policyHint(td)}.`,
    command: `aws iam list-attached-role-policies --role-name ${q(name)}`,
  };
}

function policyHint(td: TaskDefFacts): string {
  const actions: string[] = [];
  if (td.containers.some((c) => parseEcrImage(c.image))) actions.push('ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer');
  if (td.containers.some((c) => c.logDriver === 'awslogs')) actions.push('logs:CreateLogStream, logs:PutLogEvents');
  const refs = secretRefsOf(td);
  if (refs.some((r) => r.ref.service === 'secretsmanager')) actions.push('secretsmanager:GetSecretValue');
  if (refs.some((r) => r.ref.service === 'ssm')) actions.push('ssm:GetParameters');
  return actions.length ? actions.join('; ') : 'what the task needs';
}

function roleName(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** The container health checks of the essential containers (startPeriod, timing). */
export function judgeContainerHealthChecks(td: TaskDefFacts, task?: TaskFacts): Evidence[] {
  const withCheck = td.containers.filter((c) => c.healthCheck);
  if (!withCheck.length) {
    return [{ check: 'container-health-check', status: 'pass', detail: 'No container defines a health check in the task definition (a HEALTHCHECK in the image is ignored by ECS).' }];
  }
  return withCheck.map((c) => {
    const h = c.healthCheck!;
    const interval = h.interval ?? 30;
    const timeout = h.timeout ?? 5;
    const retries = h.retries ?? 3;
    const start = h.startPeriod ?? 0;
    const live = task?.containers.find((x) => x.name === c.name);
    const problems: string[] = [];
    if (!h.command.length || !['CMD', 'CMD-SHELL', 'NONE'].includes(h.command[0]!)) problems.push('the command does not start with CMD or CMD-SHELL');
    if (h.command[0] === 'CMD' && h.command.length === 2 && /\s/.test(h.command[1]!)) {
      problems.push(`exec form with one argument containing spaces ("${h.command[1]}"): use CMD-SHELL or split the arguments`);
    }
    if (start === 0) problems.push(`no startPeriod, so failures count from the first second (unhealthy after about ${interval * retries} s)`);
    if (timeout >= interval) problems.push(`timeout ${timeout} s is not shorter than interval ${interval} s`);
    const shape = `${h.command[0] ?? '?'} "${h.command.slice(1).join(' ')}", interval ${interval} s, timeout ${timeout} s, retries ${retries}, startPeriod ${start} s`;
    const health = live?.healthStatus ? ` Last health status: ${live.healthStatus}.` : '';
    const title = `Health check of ${c.name}`;
    if (problems.length) return { check: 'container-health-check', title, status: 'fail', detail: `${capital(problems.join('; '))}. (${shape}.)${health}` };
    return { check: 'container-health-check', title, status: 'pass', detail: `${shape}.${health}` };
  });
}

/** Memory limits against what was killed: the OOM-killed (or exit 137) container's hard limit. */
export function judgeMemory(td: TaskDefFacts, task: TaskFacts): Evidence {
  const limits = td.containers.map(
    (c) => `${c.name}: ${c.memory !== undefined ? `hard limit ${c.memory} MiB` : 'no hard limit'}${c.memoryReservation !== undefined ? `, reservation ${c.memoryReservation} MiB` : ''}`,
  );
  const taskMem = td.memory ? `task memory ${td.memory} MiB` : 'no task-level memory';
  const killed = task.containers.filter((c) => /OutOfMemory/i.test(c.reason ?? '') || c.exitCode === 137);
  const oom = killed.filter((c) => /OutOfMemory/i.test(c.reason ?? ''));
  if (oom.length || /OutOfMemory/i.test(task.stoppedReason ?? '')) {
    const who = oom[0] ?? killed[0];
    const def = who ? td.containers.find((c) => c.name === who.name) : undefined;
    const limit = def?.memory !== undefined ? `its hard limit of ${def.memory} MiB` : td.memory ? `the task's ${td.memory} MiB` : 'its memory limit';
    return {
      check: 'memory',
      status: 'fail',
      detail: `${who ? who.name : 'A container'} was killed for using more memory than ${limit} (${taskMem}).`,
      lines: limits,
    };
  }
  if (killed.length) {
    const who = killed[0]!;
    const def = td.containers.find((c) => c.name === who.name);
    return {
      check: 'memory',
      status: 'pass',
      detail: `${who.name} exited with 137 (SIGKILL) but no out-of-memory reason was reported: more likely a stop that outlived stopTimeout (${def?.stopTimeout ?? 30} s) than memory. ${taskMem}.`,
      lines: limits,
    };
  }
  return { check: 'memory', status: 'pass', detail: `No container was killed for memory (${taskMem}).`, lines: limits };
}

const ERROR_LINE = /\b(error|exception|fatal|panic|traceback|segmentation fault|killed|denied|refused|not found|no such file|cannot|can't|could not|failed|unable to|invalid|missing|timed? ?out)\b/i;

/** The last log lines of one awslogs container. */
export function judgeLogs(container: string, lookup: LogLookup, exitCode?: number | null, lastStatus?: string): Evidence {
  const title = `Logs of ${container}`;
  const command = `aws logs get-log-events --log-group-name ${q(lookup.group)} --log-stream-name ${q(lookup.stream)} --limit 50 --no-start-from-head`;
  if (lookup.kind === 'no-group') {
    return {
      check: 'logs',
      title,
      status: 'fail',
      detail: `The log group ${lookup.group} does not exist: the awslogs driver cannot start the container unless the group exists (or awslogs-create-group is "true" and the execution role may logs:CreateLogGroup).`,
      command: `aws logs describe-log-groups --log-group-name-prefix ${q(lookup.group)}`,
    };
  }
  if (lookup.kind === 'no-stream') {
    const never = (exitCode === null || exitCode === undefined) && lastStatus !== 'RUNNING';
    const how = exitCode === null || exitCode === undefined ? 'is running' : `exited with ${exitCode}`;
    return {
      check: 'logs',
      title,
      status: never ? 'pass' : 'fail',
      detail: never
        ? `No log stream ${lookup.stream} in ${lookup.group}: ${container} never wrote a line (consistent with a container that never started).`
        : `No log stream ${lookup.stream} in ${lookup.group}, although ${container} ${how}: it ${lastStatus === 'RUNNING' ? 'has not written anything' : 'died before writing anything'}, or awslogs cannot write (execution role, logs endpoint).`,
      command,
    };
  }
  if (!lookup.lines.length) {
    return { check: 'logs', title, status: 'pass', detail: `The log stream ${lookup.stream} is empty.`, command };
  }
  const errors = lookup.lines.filter((l) => ERROR_LINE.test(l));
  const last = errors[errors.length - 1];
  if (last) {
    return {
      check: 'logs',
      title,
      status: 'fail',
      detail: `The last ${plural(lookup.lines.length, 'line')} of ${container} include an error: "${clip(last, 200)}".`,
      lines: lookup.lines.map((l) => clip(l, 300)),
      command,
    };
  }
  return {
    check: 'logs',
    title,
    status: 'pass',
    detail: `The last ${plural(lookup.lines.length, 'line')} of ${container} show no error.`,
    lines: lookup.lines.map((l) => clip(l, 300)),
    command,
  };
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+$/g, '');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** A container with no awslogs configuration: its output went nowhere ECS Doctor can read. */
export function judgeNoLogs(container: string, driver: string | undefined): Evidence {
  return {
    check: 'logs',
    title: `Logs of ${container}`,
    status: 'skipped',
    detail: driver
      ? `${container} logs with ${driver}, not awslogs: read its output where that driver sends it.`
      : `${container} has no log configuration, so its output was not kept: add awslogs to see why it stopped.`,
    causes: [],
  };
}

const BAD_EVENT = /unable to place|unhealthy|failed|rolling back|rolled back|circuit breaker|unable to|insufficient|error|deregistered .* because/i;

/** The service's recent events and the state of its deployments (circuit breaker). */
export function judgeService(svc: ServiceFacts, opts: { since?: string; max?: number } = {}): Evidence[] {
  const max = opts.max ?? 8;
  const since = opts.since ? Date.parse(opts.since) : undefined;
  const recent = svc.events.filter((e) => since === undefined || !e.createdAt || Date.parse(e.createdAt) >= since).slice(0, max);
  const shown = (recent.length ? recent : svc.events.slice(0, max)).map((e) => `${e.createdAt ? `${e.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z')}  ` : ''}${e.message}`);
  const bad = recent.filter((e) => BAD_EVENT.test(e.message));
  const command = `aws ecs describe-services --cluster <cluster> --services ${q(svc.name)} --query 'services[0].events[:10]'`;
  const events: Evidence = bad.length
    ? { check: 'service-events', title: 'Service events', status: 'fail', detail: `${plural(bad.length, 'recent event')} of ${svc.name} report a problem: "${clip(bad[0]!.message, 240)}".`, lines: shown, command }
    : {
        check: 'service-events',
        title: 'Service events',
        status: 'pass',
        detail: recent.length ? `The ${plural(recent.length, 'recent event')} of ${svc.name} report no problem.` : `${svc.name} has no recent events.`,
        lines: shown,
        command,
      };

  const primary = svc.deployments.find((d) => d.status === 'PRIMARY') ?? svc.deployments[0];
  const cb = svc.circuitBreaker;
  const cbText = cb?.enable ? `circuit breaker on${cb.rollback ? ' with rollback' : ' without rollback'}` : 'circuit breaker off';
  const failedTasks = svc.deployments.reduce((n, d) => n + (d.failedTasks ?? 0), 0);
  const state = primary
    ? `Deployment ${primary.id ?? ''} ${primary.rolloutState ?? primary.status ?? ''}${primary.rolloutStateReason ? ` (${primary.rolloutStateReason})` : ''}`.replace(/\s+/g, ' ').trim()
    : 'No deployment';
  const counts = `${svc.runningCount ?? 0}/${svc.desiredCount ?? 0} running, ${plural(failedTasks, 'failed task')}`;
  const deployCommand = `aws ecs describe-services --cluster <cluster> --services ${q(svc.name)} --query 'services[0].{deployments:deployments,circuitBreaker:deploymentConfiguration.deploymentCircuitBreaker}'`;
  let deployment: Evidence;
  if (primary?.rolloutState === 'FAILED') {
    deployment = { check: 'service-events', title: 'Deployment state', status: 'fail', detail: `${state}; ${cbText}; ${counts}.`, command: deployCommand };
  } else if (failedTasks > 0 && !cb?.enable) {
    deployment = {
      check: 'service-events',
      title: 'Deployment state',
      status: 'fail',
      detail: `${state}; ${counts}, and the ${cbText}: ECS keeps replacing failing tasks instead of stopping the rollout.`,
      command: deployCommand,
    };
  } else {
    deployment = { check: 'service-events', title: 'Deployment state', status: 'pass', detail: `${state}; ${cbText}; ${counts}.`, command: deployCommand, causes: [] };
  }
  return [events, deployment];
}

/** ECR DescribeImages outcome for the task's image. */
export function judgeEcrImage(container: string, ref: EcrImageRef, outcome: { kind: 'found'; tags?: string[]; pushedAt?: string } | { kind: 'image-not-found' } | { kind: 'repository-not-found' }): Evidence {
  const what = ref.digest ? `digest ${ref.digest.slice(0, 19)}…` : `tag ${ref.tag}`;
  const title = `Image of ${container} in ECR`;
  const command = `aws ecr describe-images --registry-id ${ref.registryId} --region ${ref.region} --repository-name ${q(ref.repository)} --image-ids ${ref.digest ? `imageDigest=${ref.digest}` : `imageTag=${q(ref.tag ?? 'latest')}`}`;
  if (outcome.kind === 'repository-not-found') {
    return { check: 'ecr-image', title, status: 'fail', detail: `The repository ${ref.repository} does not exist in registry ${ref.registryId} (${ref.region}).`, command };
  }
  if (outcome.kind === 'image-not-found') {
    return { check: 'ecr-image', title, status: 'fail', detail: `The repository ${ref.repository} has no image with ${what}: it was never pushed, was overwritten or expired by a lifecycle policy.`, command };
  }
  return {
    check: 'ecr-image',
    title,
    status: 'pass',
    detail: `${ref.repository} has the image with ${what}${outcome.pushedAt ? `, pushed ${outcome.pushedAt}` : ''}.`,
    command,
  };
}

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
    return { check: 'vpc-endpoints', status: 'pass', detail: `${where} routes 0.0.0.0/0 through NAT gateway ${route.natGatewayId}, so the task can reach ECR, CloudWatch Logs and Secrets Manager without VPC endpoints.`, command: describeRoutes };
  }
  if (route?.gatewayId?.startsWith('igw-')) {
    if (input.assignPublicIp === 'ENABLED') {
      return { check: 'vpc-endpoints', status: 'pass', detail: `${where} is public (0.0.0.0/0 to ${route.gatewayId}) and the task gets a public IP (assignPublicIp ENABLED).`, command: describeRoutes };
    }
    if (input.assignPublicIp === 'DISABLED') {
      return endpointVerdict(input, `${where} is public (0.0.0.0/0 to ${route.gatewayId}) but assignPublicIp is DISABLED, so the task has no public IP to use it`, describeRoutes, ['public-ip-disabled', 'no-route']);
    }
    return {
      check: 'vpc-endpoints',
      status: 'pass',
      detail: `${where} is public (0.0.0.0/0 to ${route.gatewayId}); the task reaches AWS only if it has a public IP (assignPublicIp ENABLED), which could not be read for a task outside a service.`,
      command: describeRoutes,
    };
  }
  if (route && via) {
    return { check: 'vpc-endpoints', status: 'pass', detail: `${where} routes 0.0.0.0/0 to ${via} (a transit gateway, instance or appliance): egress goes through it and was not checked further.`, command: describeRoutes };
  }
  void region;
  return endpointVerdict(input, `${where} is private (no 0.0.0.0/0 route to a NAT or internet gateway)`, describeEndpoints);
}

function endpointVerdict(
  input: { subnet: SubnetFacts; routeTable?: RouteTableFacts; endpoints: VpcEndpointFacts[]; required: Array<{ service: EndpointService; why: string }>; region: string },
  situation: string,
  command: string,
  because: string[] = [],
): Evidence {
  const { endpoints, required, region, routeTable: rt, subnet } = input;
  if (!required.length) {
    return { check: 'vpc-endpoints', status: 'pass', detail: `${situation}, but the task needs no AWS endpoint (no ECR image, awslogs or secrets).`, command };
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
  return { check: 'vpc-endpoints', status: 'pass', detail: `${situation}; it has every VPC endpoint the task needs (${present.join(', ')}).`, command };
}

/** Free IPv4 addresses: awsvpc tasks need one each; none left stops a task before it starts. */
export function judgeSubnetIps(subnet: SubnetFacts): Evidence {
  const n = subnet.availableIpAddressCount;
  const command = `aws ec2 describe-subnets --subnet-ids ${subnet.subnetId} --query 'Subnets[*].{CIDR:CidrBlock,Available:AvailableIpAddressCount}'`;
  const where = `Subnet ${subnet.subnetId}${subnet.cidrBlock ? ` (${subnet.cidrBlock}${subnet.availabilityZone ? `, ${subnet.availabilityZone}` : ''})` : ''}`;
  if (n === undefined) return { check: 'subnet-ips', status: 'skipped', detail: `${where}: the free address count was not reported.`, command };
  if (n === 0) return { check: 'subnet-ips', status: 'fail', detail: `${where} has no free IP address left: a new awsvpc task cannot get a network interface.`, command };
  return { check: 'subnet-ips', status: 'pass', detail: `${where} has ${plural(n, 'free IP address', 'free IP addresses')}${n < 5 ? ' (nearly exhausted)' : ''}.`, command };
}

/** Whether each secrets[].valueFrom exists (never reads a value). */
export function judgeSecrets(lookups: SecretLookup[], td: TaskDefFacts): Evidence {
  if (!lookups.length) return { check: 'secrets', status: 'pass', detail: 'The task definition references no secrets or parameters.' };
  const line = (l: SecretLookup) => `${l.ref.valueFrom} (${l.usedBy.join('; ')}): ${STATE_TEXT[l.state]}${l.note ? ` (${l.note})` : ''}`;
  const lines = lookups.map(line);
  const bad = lookups.filter((l) => l.state === 'missing' || l.state === 'deleted');
  const command = lookups
    .map((l) =>
      l.ref.service === 'secretsmanager'
        ? `aws secretsmanager describe-secret --secret-id ${q(l.ref.secretId)}`
        : `aws ssm get-parameters --names ${q(l.ref.name)} --query 'InvalidParameters'`,
    )
    .filter((c, i, all) => all.indexOf(c) === i)
    .join('\n');
  if (bad.length) {
    return { check: 'secrets', status: 'fail', detail: `${plural(bad.length, 'secret reference')} of ${lookups.length} ${bad.length === 1 ? 'does' : 'do'} not resolve: ${bad.map((b) => `${b.ref.valueFrom} is ${STATE_TEXT[b.state]}`).join('; ')}.`, lines, command };
  }
  const denied = lookups.filter((l) => l.state === 'denied');
  const unchecked = lookups.filter((l) => l.state !== 'exists');
  if (unchecked.length) {
    const ev: Evidence = {
      check: 'secrets',
      status: 'skipped',
      detail: `${plural(lookups.length - unchecked.length, 'reference')} of ${lookups.length} exist; ${plural(unchecked.length, 'other')} could not be checked${denied.length ? ` (needs ${[...new Set(denied.map((d) => d.note))].join(', ')})` : ''}.`,
      lines,
      command,
    };
    if (denied[0]?.note) ev.missingPermission = denied[0].note;
    return ev;
  }
  void td;
  return { check: 'secrets', status: 'pass', detail: `All ${plural(lookups.length, 'secret reference')} exist (values were not read).`, lines, command };
}

const STATE_TEXT: Record<SecretLookup['state'], string> = {
  exists: 'exists',
  missing: 'not found',
  deleted: 'scheduled for deletion',
  'other-region': 'in another Region, not checked',
  denied: 'access denied',
  error: 'could not be checked',
};

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
  const name = tg.targetGroupName ?? tg.targetGroupArn.split('/').slice(-2, -1)[0] ?? tg.targetGroupArn;
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
