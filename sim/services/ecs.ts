// Amazon ECS (AWS JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.<Op>).
// Answers from state.ecs; limits, defaults and errors follow the Amazon ECS API Reference
// (each operation's maxResults and batch limits): ListServices pages 10 by default, others 100; Describe batch
// limits; unknown names in failures[] with reason MISSING; names or ARNs everywhere.
import type {
  Cluster,
  ContainerInstance,
  Deployment,
  KeyValuePair,
  Service,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { SimError, digitsId, paginate, uuidId, type OpContext, type SimService } from '../protocol';
import { arn } from '../scenario';
import type { ClusterState, SimState } from '../types';

/** How long a STOPPED task stays visible to ListTasks/DescribeTasks (ECS: about one hour). */
export const STOPPED_TASK_RETENTION_MS = 3_600_000;

const PENDINGISH = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

function invalid(message: string): never {
  throw new SimError('InvalidParameterException', message);
}
function clusterNotFound(): never {
  throw new SimError('ClusterNotFoundException', 'Cluster not found.');
}
function serviceNotFound(): never {
  throw new SimError('ServiceNotFoundException', 'Service not found.');
}

function str(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') invalid(`${field} must be a string.`);
  return v;
}
function strList(v: unknown, field: string, required: boolean): string[] {
  if (v === undefined || v === null) {
    if (required) invalid(`${field} can not be empty.`);
    return [];
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) invalid(`${field} must be a list of strings.`);
  if (required && v.length === 0) invalid(`${field} can not be empty.`);
  return v as string[];
}
function includes(ctx: OpContext): Set<string> {
  return new Set(strList(ctx.params.include, 'include', false));
}

/** A name, or the last path segment of an ECS ARN of `kind` in this account and Region (undefined when it is another account's). */
function nameFromRef(state: SimState, ref: string, kind: string): { name: string; cluster?: string } | undefined {
  if (!ref.startsWith('arn:')) return { name: ref };
  const [, region, account, refKind, resource] = /^arn:aws[a-z-]*:ecs:([^:]*):([^:]*):([a-z-]+)\/(.+)$/.exec(ref) ?? [];
  if (resource === undefined || refKind !== kind || region !== state.region || account !== state.accountId) return undefined;
  const [first = '', ...rest] = resource.split('/');
  return rest.length ? { cluster: first, name: rest.join('/') } : { name: first };
}

export function findCluster(state: SimState, ref: unknown): ClusterState {
  const r = str(ref, 'cluster') || 'default';
  const n = nameFromRef(state, r, 'cluster');
  const st = n ? state.ecs.clusters.get(n.name) : undefined;
  if (!st || st.cluster.status === 'INACTIVE') clusterNotFound();
  return st;
}

export function findTask(state: SimState, st: ClusterState, ref: string): Task | undefined {
  const n = nameFromRef(state, ref, 'task');
  if (!n || (n.cluster && n.cluster !== st.cluster.clusterName)) return undefined;
  return st.tasks.get(n.name);
}

/** A thin endpoint's lookup: the task ARN's own cluster, when its name starts with the one asked for. */
function findTaskLoosely(state: SimState, st: ClusterState, ref: string): Task | undefined {
  const n = nameFromRef(state, ref, 'task');
  if (!n?.cluster || !n.cluster.startsWith(st.cluster.clusterName!)) return undefined;
  return state.ecs.clusters.get(n.cluster)?.tasks.get(n.name);
}

function findService(state: SimState, st: ClusterState, ref: string): Service | undefined {
  const n = nameFromRef(state, ref, 'service');
  if (!n || (n.cluster && n.cluster !== st.cluster.clusterName)) return undefined;
  return st.services.get(n.name);
}

function visible(t: Task, now: number, retention: number): boolean {
  return !(t.lastStatus === 'STOPPED' && t.stoppedAt && now - t.stoppedAt.getTime() > retention);
}

/** Resolve "family", "family:revision" or an ARN. */
export function findTaskDefinition(state: SimState, ref: string): TaskDefinition | undefined {
  let key = ref;
  if (ref.startsWith('arn:')) {
    const n = nameFromRef(state, ref, 'task-definition');
    if (!n) return undefined;
    key = n.name;
  }
  if (key.includes(':')) return state.ecs.taskDefinitions.get(key);
  let best: TaskDefinition | undefined;
  for (const td of state.ecs.taskDefinitions.values()) {
    if (td.family === key && td.status === 'ACTIVE' && (!best || td.revision! > best.revision!)) best = td;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Views: stored objects plus the fields ECS computes
// ---------------------------------------------------------------------------------------------

interface Counts {
  running: number;
  pending: number;
}

function taskCounts(st: ClusterState): { byService: Map<string, Counts>; byStartedBy: Map<string, Counts>; byInstance: Map<string, Counts> } {
  const byService = new Map<string, Counts>();
  const byStartedBy = new Map<string, Counts>();
  const byInstance = new Map<string, Counts>();
  const bump = (m: Map<string, Counts>, k: string | undefined, running: boolean) => {
    if (!k) return;
    let c = m.get(k);
    if (!c) m.set(k, (c = { running: 0, pending: 0 }));
    if (running) c.running++;
    else c.pending++;
  };
  for (const t of st.tasks.values()) {
    const running = t.lastStatus === 'RUNNING';
    if (!running && !PENDINGISH.has(t.lastStatus ?? '')) continue;
    bump(byService, t.group?.startsWith('service:') ? t.group.slice(8) : undefined, running);
    bump(byStartedBy, t.startedBy, running);
    bump(byInstance, t.containerInstanceArn, running);
  }
  return { byService, byStartedBy, byInstance };
}

function clusterView(st: ClusterState, include: Set<string>): Cluster {
  let running = 0;
  let pending = 0;
  const stats = { runningEC2: 0, runningFargate: 0, pendingEC2: 0, pendingFargate: 0 };
  for (const t of st.tasks.values()) {
    const fargate = t.launchType === 'FARGATE' || (t.capacityProviderName ?? '').startsWith('FARGATE');
    if (t.lastStatus === 'RUNNING') {
      running++;
      if (fargate) stats.runningFargate++;
      else stats.runningEC2++;
    } else if (PENDINGISH.has(t.lastStatus ?? '')) {
      pending++;
      if (fargate) stats.pendingFargate++;
      else stats.pendingEC2++;
    }
  }
  let active = 0;
  let activeFargate = 0;
  let drainingServices = 0;
  for (const s of st.services.values()) {
    if (s.status === 'ACTIVE') {
      active++;
      if (s.launchType === 'FARGATE' || s.capacityProviderStrategy?.some((c) => c.capacityProvider?.startsWith('FARGATE'))) activeFargate++;
    } else if (s.status === 'DRAINING') drainingServices++;
  }
  const c = st.cluster;
  const out: Cluster = {
    clusterArn: c.clusterArn,
    clusterName: c.clusterName,
    status: c.status,
    registeredContainerInstancesCount: [...st.containerInstances.values()].filter((i) => i.status !== 'DEREGISTERED').length,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: active,
    statistics: [],
    tags: [],
    capacityProviders: c.capacityProviders ?? [],
    defaultCapacityProviderStrategy: c.defaultCapacityProviderStrategy ?? [],
  };
  if (include.has('STATISTICS')) {
    const kv = (name: string, v: number): KeyValuePair => ({ name, value: String(v) });
    out.statistics = [
      kv('runningEC2TasksCount', stats.runningEC2),
      kv('runningFargateTasksCount', stats.runningFargate),
      kv('pendingEC2TasksCount', stats.pendingEC2),
      kv('pendingFargateTasksCount', stats.pendingFargate),
      kv('activeEC2ServiceCount', active - activeFargate),
      kv('activeFargateServiceCount', activeFargate),
      kv('drainingEC2ServiceCount', 0),
      kv('drainingFargateServiceCount', drainingServices),
    ];
  }
  if (include.has('TAGS')) out.tags = c.tags ?? [];
  if (include.has('SETTINGS')) out.settings = c.settings ?? [];
  if (include.has('CONFIGURATIONS') && c.configuration) out.configuration = c.configuration;
  if (include.has('ATTACHMENTS')) {
    out.attachments = c.attachments ?? [];
    out.attachmentsStatus = 'UPDATE_COMPLETE';
  }
  return out;
}

function serviceView(s: Service, counts: ReturnType<typeof taskCounts>, withTags: boolean): Service {
  const own = counts.byService.get(s.serviceName!) ?? { running: 0, pending: 0 };
  const out: Service = {
    ...s,
    runningCount: s.runningCount ?? own.running,
    pendingCount: s.pendingCount ?? own.pending,
    deployments: (s.deployments ?? []).map((d): Deployment => {
      const c = counts.byStartedBy.get(d.id!) ?? { running: 0, pending: 0 };
      return { ...d, runningCount: d.runningCount ?? c.running, pendingCount: d.pendingCount ?? c.pending };
    }),
  };
  // Key order like the API (status before counts) does not matter on the wire; tags only on request.
  if (!withTags) delete out.tags;
  else out.tags ??= [];
  return out;
}

function taskView(t: Task, withTags: boolean): Task {
  const out = { ...t };
  if (!withTags) delete out.tags;
  return out;
}

function instanceView(ci: ContainerInstance, counts: ReturnType<typeof taskCounts>, include: Set<string>): ContainerInstance {
  const c = counts.byInstance.get(ci.containerInstanceArn!) ?? { running: 0, pending: 0 };
  const out: ContainerInstance = { ...ci, runningTasksCount: c.running, pendingTasksCount: c.pending };
  if (!include.has('TAGS')) delete out.tags;
  if (include.has('CONTAINER_INSTANCE_HEALTH')) {
    out.healthStatus = {
      overallStatus: ci.agentConnected ? 'OK' : 'IMPAIRED',
      details: [{ type: 'CONTAINER_RUNTIME', status: ci.agentConnected ? 'OK' : 'IMPAIRED' }],
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

function retention(ctx: OpContext): number {
  return ctx.state.ecs.stoppedTaskRetentionMs ?? STOPPED_TASK_RETENTION_MS;
}

const operations: SimService['operations'] = {
  ListClusters(ctx) {
    const arns = [...ctx.state.ecs.clusters.values()].filter((c) => c.cluster.status !== 'INACTIVE').map((c) => c.cluster.clusterArn!);
    const { page, nextToken } = paginate(arns, { ...ctx.params, defaultSize: 100, maxSize: 100, filterKey: 'ListClusters' } as never);
    return { clusterArns: page, ...(nextToken ? { nextToken } : {}) };
  },

  DescribeClusters(ctx) {
    const refs = strList(ctx.params.clusters, 'clusters', false);
    if (refs.length > 100) invalid('clusters can have at most 100 items.');
    const include = includes(ctx);
    const clusters: Cluster[] = [];
    const failures = [];
    for (const ref of refs.length ? refs : ['default']) {
      const n = nameFromRef(ctx.state, ref, 'cluster');
      const st = n ? ctx.state.ecs.clusters.get(n.name) : undefined;
      if (st) clusters.push(clusterView(st, include));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : arn.cluster(ctx.state, ref), reason: 'MISSING' });
    }
    return { clusters, failures };
  },

  ListServices(ctx) {
    const st = findCluster(ctx.state, ctx.params.cluster);
    const launchType = str(ctx.params.launchType, 'launchType');
    const scheduling = str(ctx.params.schedulingStrategy, 'schedulingStrategy');
    const arns: string[] = [];
    for (const s of st.services.values()) {
      if (s.status === 'INACTIVE') continue;
      if (launchType && s.launchType !== launchType) continue;
      if (scheduling && s.schedulingStrategy !== scheduling) continue;
      arns.push(s.serviceArn!);
    }
    const { page, nextToken } = paginate(arns, {
      maxResults: ctx.params.maxResults,
      nextToken: ctx.params.nextToken,
      defaultSize: 10,
      maxSize: 100,
      filterKey: `ListServices|${st.cluster.clusterName}|${launchType ?? ''}|${scheduling ?? ''}`,
    });
    return { serviceArns: page, ...(nextToken ? { nextToken } : {}) };
  },

  DescribeServices(ctx) {
    const refs = strList(ctx.params.services, 'services', true);
    if (refs.length > 10) invalid('services can have at most 10 items.');
    const st = findCluster(ctx.state, ctx.params.cluster);
    const withTags = includes(ctx).has('TAGS');
    const counts = taskCounts(st);
    const services: Service[] = [];
    const failures = [];
    for (const ref of refs) {
      const s = findService(ctx.state, st, ref);
      if (s) services.push(serviceView(s, counts, withTags));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : arn.service(ctx.state, st.cluster.clusterName!, ref), reason: 'MISSING' });
    }
    return { services, failures };
  },

  ListTasks(ctx) {
    const p = ctx.params;
    const st = findCluster(ctx.state, p.cluster);
    const serviceName = str(p.serviceName, 'serviceName');
    const family = str(p.family, 'family');
    const startedBy = str(p.startedBy, 'startedBy');
    const launchType = str(p.launchType, 'launchType');
    const ciRef = str(p.containerInstance, 'containerInstance');
    const thin = ctx.faults.thin;
    // ECS lists desiredStatus RUNNING unless asked; a thin endpoint lists every task.
    const desired = str(p.desiredStatus, 'desiredStatus') ?? (thin ? '*' : 'RUNNING');
    if (!['RUNNING', 'PENDING', 'STOPPED', '*'].includes(desired)) invalid(`desiredStatus must be one of RUNNING, PENDING, STOPPED.`);
    let group: string | undefined;
    if (serviceName) {
      const s = findService(ctx.state, st, serviceName);
      if (!s) serviceNotFound();
      group = `service:${s.serviceName}`;
    }
    let ciArn: string | undefined;
    if (ciRef) {
      const n = nameFromRef(ctx.state, ciRef, 'container-instance');
      const ci = n ? st.containerInstances.get(n.name) : undefined;
      if (!ci) invalid('The referenced container instance was not found.');
      ciArn = ci.containerInstanceArn;
    }
    const now = ctx.now();
    const keep = retention(ctx);
    const arns: string[] = [];
    // A thin endpoint matches the cluster name as a prefix: `prod` also lists `prod-2`'s tasks.
    const clusters = thin ? [...ctx.state.ecs.clusters.values()].filter((c) => c === st || c.cluster.clusterName!.startsWith(st.cluster.clusterName!)) : [st];
    for (const t of clusters.flatMap((c) => [...c.tasks.values()])) {
      if (desired !== '*' && t.desiredStatus !== desired) continue;
      if (!visible(t, now, keep)) continue;
      if (group && t.group !== group) continue;
      if (startedBy && t.startedBy !== startedBy) continue;
      if (launchType && t.launchType !== launchType) continue;
      if (ciArn && t.containerInstanceArn !== ciArn) continue;
      if (family && !t.taskDefinitionArn!.includes(`:task-definition/${family}:`)) continue;
      arns.push(t.taskArn!);
    }
    const { page, nextToken } = paginate(arns, {
      maxResults: p.maxResults,
      nextToken: p.nextToken,
      defaultSize: 100,
      maxSize: 100,
      filterKey: `ListTasks|${st.cluster.clusterName}|${group ?? ''}|${family ?? ''}|${startedBy ?? ''}|${launchType ?? ''}|${ciArn ?? ''}|${desired}`,
    });
    return { taskArns: page, ...(nextToken ? { nextToken } : {}) };
  },

  DescribeTasks(ctx) {
    const refs = strList(ctx.params.tasks, 'tasks', true);
    if (refs.length > 100) invalid('tasks can have at most 100 items.');
    const st = findCluster(ctx.state, ctx.params.cluster);
    const withTags = includes(ctx).has('TAGS');
    const now = ctx.now();
    const keep = retention(ctx);
    const tasks: Task[] = [];
    const failures = [];
    for (const ref of refs) {
      const t = findTask(ctx.state, st, ref) ?? (ctx.faults.thin ? findTaskLoosely(ctx.state, st, ref) : undefined);
      if (t && visible(t, now, keep)) tasks.push(taskView(t, withTags));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : arn.task(ctx.state, st.cluster.clusterName!, ref), reason: 'MISSING' });
    }
    return { tasks, failures };
  },

  DescribeTaskDefinition(ctx) {
    const ref = str(ctx.params.taskDefinition, 'taskDefinition');
    if (!ref) invalid('taskDefinition can not be empty.');
    const td = findTaskDefinition(ctx.state, ref);
    if (!td) throw new SimError('ClientException', 'Unable to describe task definition.');
    return { taskDefinition: td, ...(includes(ctx).has('TAGS') ? { tags: [] } : {}) };
  },

  ListTaskDefinitions(ctx) {
    const family = str(ctx.params.familyPrefix, 'familyPrefix');
    const status = str(ctx.params.status, 'status') ?? 'ACTIVE';
    const sort = str(ctx.params.sort, 'sort') ?? 'ASC';
    if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status)) invalid('status must be one of ACTIVE, INACTIVE, DELETE_IN_PROGRESS.');
    if (sort !== 'ASC' && sort !== 'DESC') invalid('sort must be ASC or DESC.');
    const tds = [...ctx.state.ecs.taskDefinitions.values()]
      .filter((td) => td.status === status && (!family || td.family === family))
      .sort((a, b) => (a.family! < b.family! ? -1 : a.family! > b.family! ? 1 : a.revision! - b.revision!));
    if (sort === 'DESC') tds.reverse();
    const { page, nextToken } = paginate(
      tds.map((t) => t.taskDefinitionArn!),
      { maxResults: ctx.params.maxResults, nextToken: ctx.params.nextToken, defaultSize: 100, maxSize: 100, filterKey: `ListTaskDefinitions|${family ?? ''}|${status}|${sort}` },
    );
    return { taskDefinitionArns: page, ...(nextToken ? { nextToken } : {}) };
  },

  ListContainerInstances(ctx) {
    const st = findCluster(ctx.state, ctx.params.cluster);
    if (ctx.params.filter) invalid('The ECS Doctor simulator does not evaluate cluster query language filters; list without filter.');
    const status = str(ctx.params.status, 'status');
    const arns = [...st.containerInstances.values()]
      .filter((ci) => (status ? ci.status === status : ci.status !== 'DEREGISTERED'))
      .map((ci) => ci.containerInstanceArn!);
    const { page, nextToken } = paginate(arns, {
      maxResults: ctx.params.maxResults,
      nextToken: ctx.params.nextToken,
      defaultSize: 100,
      maxSize: 100,
      filterKey: `ListContainerInstances|${st.cluster.clusterName}|${status ?? ''}`,
    });
    return { containerInstanceArns: page, ...(nextToken ? { nextToken } : {}) };
  },

  DescribeContainerInstances(ctx) {
    const refs = strList(ctx.params.containerInstances, 'containerInstances', true);
    if (refs.length > 100) invalid('containerInstances can have at most 100 items.');
    const st = findCluster(ctx.state, ctx.params.cluster);
    const include = includes(ctx);
    const counts = taskCounts(st);
    const containerInstances: ContainerInstance[] = [];
    const failures = [];
    for (const ref of refs) {
      const n = nameFromRef(ctx.state, ref, 'container-instance');
      const ci = n && (!n.cluster || n.cluster === st.cluster.clusterName) ? st.containerInstances.get(n.name) : undefined;
      if (ci) containerInstances.push(instanceView(ci, counts, include));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : arn.containerInstance(ctx.state, st.cluster.clusterName!, ref), reason: 'MISSING' });
    }
    return { containerInstances, failures };
  },

  StopTask(ctx) {
    const st = findCluster(ctx.state, ctx.params.cluster);
    const ref = str(ctx.params.task, 'task');
    if (!ref) invalid('task can not be empty.');
    const reason = str(ctx.params.reason, 'reason');
    if (reason && reason.length > 255) invalid('reason can not be longer than 255 characters.');
    const t = findTask(ctx.state, st, ref);
    if (!t || !visible(t, ctx.now(), retention(ctx))) invalid('The referenced task was not found.');
    if (t.desiredStatus !== 'STOPPED') {
      const now = new Date(ctx.now());
      t.desiredStatus = 'STOPPED';
      t.stopCode = 'UserInitiated';
      t.stoppedReason = reason || 'Task stopped by user';
      t.stoppingAt = now;
      t.version = (t.version ?? 1) + 1;
      const answer = taskView(t, false);
      // The agent stops the containers after the call returns (SIGTERM: exit 143).
      ctx.after(() => stopNow(t, new Date(ctx.now())));
      // The service scheduler replaces a service's task (sim/scheduler.ts).
      if (t.group?.startsWith('service:')) ctx.state.scheduler?.poke(st.cluster.clusterName!, t.group.slice(8), ctx.now());
      return { task: answer };
    }
    return { task: taskView(t, false) };
  },

  UpdateService(ctx) {
    const p = ctx.params;
    const st = findCluster(ctx.state, p.cluster);
    const ref = str(p.service, 'service');
    if (!ref) invalid('service can not be empty.');
    const s = findService(ctx.state, st, ref);
    if (!s) serviceNotFound();
    if (s.status !== 'ACTIVE') throw new SimError('ServiceNotActiveException', 'Service was not ACTIVE.');
    if (p.desiredCount !== undefined && (!Number.isInteger(p.desiredCount) || p.desiredCount < 0)) invalid('desiredCount must be a non-negative integer.');
    if (p.enableExecuteCommand !== undefined && typeof p.enableExecuteCommand !== 'boolean') invalid('enableExecuteCommand must be a boolean.');
    let newTd: TaskDefinition | undefined;
    if (p.taskDefinition !== undefined) {
      newTd = findTaskDefinition(ctx.state, String(p.taskDefinition));
      if (!newTd) throw new SimError('ClientException', 'TaskDefinition not found.');
    }
    const now = new Date(ctx.now());
    const deploymentChange =
      p.forceNewDeployment === true ||
      (newTd && newTd.taskDefinitionArn !== s.taskDefinition) ||
      (p.enableExecuteCommand !== undefined && p.enableExecuteCommand !== s.enableExecuteCommand);
    if (p.desiredCount !== undefined) s.desiredCount = p.desiredCount;
    if (p.enableExecuteCommand !== undefined) s.enableExecuteCommand = p.enableExecuteCommand;
    if (newTd) s.taskDefinition = newTd.taskDefinitionArn;
    if (p.healthCheckGracePeriodSeconds !== undefined) s.healthCheckGracePeriodSeconds = p.healthCheckGracePeriodSeconds;
    const deps = s.deployments ?? [];
    if (deploymentChange) {
      const primary = deps.find((d) => d.status === 'PRIMARY');
      if (primary) {
        primary.status = 'ACTIVE';
        primary.updatedAt = now;
      }
      const dep: Deployment = {
        id: `ecs-svc/${digitsId(`${s.serviceArn}/${ctx.newId('deployment')}`)}`,
        status: 'PRIMARY',
        taskDefinition: s.taskDefinition,
        desiredCount: s.desiredCount,
        failedTasks: 0,
        createdAt: now,
        updatedAt: now,
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: 'ECS deployment in progress: desired count updated.',
        ...(s.launchType ? { launchType: s.launchType } : {}),
        ...(s.capacityProviderStrategy ? { capacityProviderStrategy: s.capacityProviderStrategy } : {}),
        ...(s.platformVersion ? { platformVersion: primary?.platformVersion ?? '1.4.0', platformFamily: 'Linux' } : {}),
        ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration } : {}),
      };
      s.deployments = [dep, ...deps];
      s.events = [
        { id: uuidId(`event:${ctx.newId('event')}`), createdAt: now, message: `(service ${s.serviceName}) has begun draining connections on 0 tasks.` },
        ...(s.events ?? []),
      ].slice(0, 100);
    } else if (p.desiredCount !== undefined) {
      const primary = deps.find((d) => d.status === 'PRIMARY');
      if (primary) {
        primary.desiredCount = p.desiredCount;
        primary.updatedAt = now;
      }
    }
    ctx.state.scheduler?.poke(st.cluster.clusterName!, s.serviceName!, ctx.now());
    return { service: serviceView(s, taskCounts(st), false) };
  },

  ExecuteCommand(ctx) {
    const p = ctx.params;
    const st = findCluster(ctx.state, p.cluster);
    const ref = str(p.task, 'task');
    if (!ref) invalid('task can not be empty.');
    const command = str(p.command, 'command');
    if (!command) invalid('command can not be empty.');
    if (p.interactive !== true) invalid('Interactive is the only mode supported currently.');
    const t = findTask(ctx.state, st, ref);
    if (!t || !visible(t, ctx.now(), retention(ctx))) invalid('The specified task was not found.');
    const containers = t.containers ?? [];
    const cname = str(p.container, 'container');
    if (!cname && containers.length > 1) {
      invalid('The container name is required when the task has more than one container. Specify a container name and try again.');
    }
    const c = cname ? containers.find((x) => x.name === cname) : containers[0];
    if (!c) invalid(`The specified container ${cname} was not found in the task.`);
    if (t.lastStatus !== 'RUNNING') invalid('The execute command failed because the task is not in RUNNING state.');
    const agent = c.managedAgents?.find((m) => m.name === 'ExecuteCommandAgent');
    if (!t.enableExecuteCommand || !agent) {
      invalid(
        'The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try again or run a new task with execute command enabled and try again.',
      );
    }
    if (agent.lastStatus !== 'RUNNING' || c.lastStatus !== 'RUNNING') {
      throw new SimError('TargetNotConnectedException', 'The execute command failed due to an internal error. Try again later.');
    }
    const taskId = t.taskArn!.slice(t.taskArn!.lastIndexOf('/') + 1);
    const sessionId = `ecs-execute-command-${ctx.newId('session').slice(0, 17)}`;
    return {
      clusterArn: st.cluster.clusterArn,
      containerArn: c.containerArn,
      containerName: c.name,
      interactive: true,
      session: {
        sessionId,
        streamUrl: `wss://ssmmessages.${ctx.state.region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=${ctx.newId('cell').slice(0, 12)}`,
        tokenValue: `AAEAA${Buffer.from(`${sessionId}:${taskId}:${ctx.newId('token')}`).toString('base64')}`,
      },
      taskArn: t.taskArn,
    };
  },
};

/** Move a task to STOPPED the way the agent reports it after a stop (containers get SIGTERM: 143). */
export function stopNow(t: Task, at: Date): void {
  if (t.lastStatus === 'STOPPED') return;
  t.lastStatus = 'STOPPED';
  t.desiredStatus = 'STOPPED';
  t.executionStoppedAt = at;
  t.stoppedAt = at;
  t.version = (t.version ?? 1) + 1;
  for (const c of t.containers ?? []) {
    if (c.lastStatus === 'RUNNING' && c.exitCode === undefined) c.exitCode = 143;
    c.lastStatus = 'STOPPED';
    for (const m of c.managedAgents ?? []) m.lastStatus = 'STOPPED';
  }
  for (const a of t.attachments ?? []) if (a.type === 'ElasticNetworkInterface') a.status = 'DELETED';
  t.connectivity = 'DISCONNECTED';
}

const GROUPS: Record<string, string> = {
  ListClusters: 'cluster-read',
  DescribeClusters: 'cluster-read',
  ListServices: 'service-read',
  DescribeServices: 'service-read',
  ListTasks: 'cluster-resource-read',
  DescribeTasks: 'cluster-resource-read',
  ListContainerInstances: 'cluster-resource-read',
  DescribeContainerInstances: 'cluster-resource-read',
  DescribeTaskDefinition: 'task-definition-read',
  ListTaskDefinitions: 'task-definition-read',
  ExecuteCommand: 'cluster-resource-modify',
  StopTask: 'cluster-resource-modify',
  RunTask: 'cluster-resource-modify',
  UpdateService: 'service-modify',
};

export const ecs: SimService = {
  name: 'ecs',
  signingName: 'ecs',
  protocol: 'json',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  operations,
  // Burst (bucket size) / sustained (refill per second), per account and Region, as documented in
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/request-throttling.html.
  throttleGroups: {
    'cluster-read': { burst: 50, rate: 20 },
    'service-read': { burst: 100, rate: 20 },
    'cluster-resource-read': { burst: 100, rate: 20 },
    'task-definition-read': { burst: 50, rate: 20 },
    'cluster-resource-modify': { burst: 100, rate: 40 },
    'service-modify': { burst: 50, rate: 5 },
  },
  throttleGroup: (op) => GROUPS[op],
  errors: {
    server: { type: 'ServerException', status: 500, message: 'Service Unavailable. Please try again later.' },
    accessDenied: { type: 'AccessDeniedException', status: 400, message: '' },
  },
};
