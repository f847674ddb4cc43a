/**
 * The judgement of the live checks: fetched facts in, Evidence out. Pure (no SDK, no I/O), so
 * the knowledge of what "wrong" looks like lives in core and is tested without AWS; the
 * collectors in src/aws/diagnose/ only fetch and call these.
 */
import type { Evidence } from '../types';
import { describeRegistry, registryOfImage } from '../registry';
import type {
  ContainerDefFacts,
  EcrImageRef,
  LoadBalancerFacts,
  LogLookup,
  RouteFacts,
  RouteTableFacts,
  SecretLookup,
  SecretRef,
  SecurityGroupFacts,
  SecurityGroupRuleFacts,
  ServiceFacts,
  SubnetFacts,
  TargetGroupFacts,
  TargetHealthFacts,
  TaskDefFacts,
  TaskFacts,
  VpcEndpointFacts,
} from '../facts';

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
 * A private ECR image reference: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repo>[:tag|@digest]`
 * or the dual-stack form `<account>.dkr-ecr[-fips].<region>.on.aws/<repo>[:tag|@digest]`.
 * Anything else (Docker Hub, ECR Public, another registry) returns undefined.
 */
export function parseEcrImage(image: string | undefined): EcrImageRef | undefined {
  if (!image) return undefined;
  const m = /^(\d{12})\.dkr(?:\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|-ecr(?:-fips)?\.([a-z0-9-]+)\.on\.aws)\/([^:@\s]+)(?::([^@\s]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(
    image.trim(),
  );
  if (!m) return undefined;
  const ref: EcrImageRef = { registryId: m[1]!, region: (m[2] ?? m[3])!, repository: m[4]! };
  if (m[6]) ref.digest = m[6];
  if (m[5]) ref.tag = m[5];
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

/**
 * The containers whose image VPC endpoints cannot bring: anything but private ECR in this Region
 * (Docker Hub, ECR Public, other registries, ECR in another Region). They need a route out.
 */
export function imagesNeedingInternet(td: TaskDefFacts, region: string): Array<{ container: string; where: string }> {
  const out: Array<{ container: string; where: string }> = [];
  for (const c of td.containers) {
    if (!c.image) continue;
    const ecr = parseEcrImage(c.image);
    if (ecr?.region === region) continue;
    const where = ecr ? `Amazon ECR in ${ecr.region} (${c.image})` : (() => {
      const r = registryOfImage(c.image);
      return r ? describeRegistry(r) : c.image;
    })();
    out.push({ container: c.name, where });
  }
  return out;
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
      causes: ['log-group-missing'],
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
      // A finding worth showing, but not evidence for any listed cause (an exit 143 on a Spot
      // interruption does not mean the application ignored SIGTERM).
      causes: [],
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

// ---------------------------------------------------------------------------------------------
// Security groups

/** An IPv4 CIDR (or a bare address, as /32): its network address and prefix length. */
function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (bits > 32) return undefined;
  const ip = octets.reduce((n, o) => n * 256 + o, 0);
  return { base: Number((BigInt(ip) & maskOf(bits)).toString()), bits };
}

function maskOf(bits: number): bigint {
  return bits === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - bits)) - 1n);
}

/** True when the IPv4 range `outer` contains every address of `inner` (CIDRs or addresses). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || i.bits < o.bits) return false;
  return Number((BigInt(i.base) & maskOf(o.bits)).toString()) === o.base;
}

/** Does the rule let TCP through to `port`? ("-1" is all traffic; a TCP rule without ports is all ports.) */
export function ruleAllowsTcp(rule: SecurityGroupRuleFacts, port: number): boolean {
  const p = rule.ipProtocol.toLowerCase();
  if (p === '-1' || p === 'all') return true;
  if (p !== 'tcp' && p !== '6') return false;
  const from = rule.fromPort === undefined || rule.fromPort < 0 ? 0 : rule.fromPort;
  const to = rule.toPort === undefined || rule.toPort < 0 ? 65535 : rule.toPort;
  return from <= port && port <= to;
}

/** The other side of a connection: a rule matches it by group, or by CIDRs covering every one of `cidrs`. */
interface Peer {
  groupIds?: readonly string[];
  cidrs?: readonly string[];
  /** A managed prefix list (the S3 gateway endpoint) is an acceptable destination. */
  prefixList?: boolean;
}

/** How the rules let TCP `port` to/from `peer`, as a short phrase; undefined when they do not. */
function allowedBy(rules: readonly SecurityGroupRuleFacts[], port: number, peer: Peer): string | undefined {
  const open = rules.filter((r) => ruleAllowsTcp(r, port));
  for (const r of open) {
    const g = r.groupIds.find((id) => peer.groupIds?.includes(id));
    if (g) return `${ruleText(r)} (${g})`;
  }
  if (peer.prefixList) {
    const r = open.find((x) => x.prefixListIds.length);
    if (r) return `${ruleText(r)} (prefix list ${r.prefixListIds.join(', ')})`;
  }
  if (peer.cidrs?.length) {
    const used = new Set<string>();
    const covered = peer.cidrs.every((c) => {
      for (const r of open) {
        const hit = r.cidrs.find((x) => cidrContains(x, c));
        if (hit) {
          used.add(`${protoText(r)} ${hit}`);
          return true;
        }
      }
      return false;
    });
    if (covered) return [...used].join(', ');
  }
  return undefined;
}

function protoText(r: SecurityGroupRuleFacts): string {
  const p = r.ipProtocol.toLowerCase();
  if (p === '-1' || p === 'all') return 'all traffic';
  const name = p === '6' ? 'tcp' : p === '17' ? 'udp' : p;
  if (r.fromPort === undefined || r.fromPort < 0) return `${name} all ports`;
  return `${name} ${r.fromPort === r.toPort || r.toPort === undefined ? r.fromPort : `${r.fromPort}-${r.toPort}`}`;
}

function ruleText(r: SecurityGroupRuleFacts): string {
  const peers = [...r.groupIds, ...r.cidrs, ...r.prefixListIds];
  return `${protoText(r)} ${peers.length ? peers.join(', ') : 'nowhere'}`;
}

function groupName(g: SecurityGroupFacts): string {
  return g.groupName && g.groupName !== g.groupId ? `${g.groupId} (${g.groupName})` : g.groupId;
}

/** The rules of some groups, one line per group, for the evidence row. */
function ruleLines(groups: readonly SecurityGroupFacts[], dir: 'ingress' | 'egress'): string[] {
  return groups.map((g) => `${groupName(g)} ${dir === 'ingress' ? 'inbound' : 'outbound'}: ${g[dir].length ? g[dir].map(ruleText).join('; ') : 'no rules'}`);
}

const describeGroups = (ids: readonly string[]) =>
  `aws ec2 describe-security-groups --group-ids ${ids.join(' ')} --query 'SecurityGroups[*].{Id:GroupId,In:IpPermissions,Out:IpPermissionsEgress}'`;

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
  loadBalancers: LoadBalancerFacts[];
  /** The load balancers' subnets and their CIDRs (undefined when not known). */
  lbSubnets: Array<{ subnetId: string; cidrBlock?: string }>;
  /** The ports the load balancer must reach, with why (e.g. "health-check port (traffic-port) 8080"). */
  ports: Array<{ port: number; why: string }>;
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
  const lbText = `${list(loadBalancers.map((l) => l.name ?? l.loadBalancerArn))}${lbSgs.length ? ` (${lbSgs.join(', ')})` : ' (no security groups)'}`;
  const lines = [...ruleLines(taskGroups, 'ingress'), ...(cidrs.length ? [`load balancer subnets: ${input.lbSubnets.map((s) => `${s.subnetId} ${s.cidrBlock ?? '?'}`).join(', ')}`] : [])];
  const verdicts = ports.map((p) => ({ ...p, by: allowedBy(ingress, p.port, peer) }));
  const blocked = verdicts.filter((v) => !v.by);
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
