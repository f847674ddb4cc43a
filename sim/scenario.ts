// Scenario files -> live simulator state. A scenario is data (sim/scenarios/<name>.json) written
// compactly: names instead of ARNs, task definitions once, tasks that inherit from their service.
// This module fills in everything a real account would show (ARNs, ENI attachments, runtime ids,
// managed agents, deployments, health roll-up) deterministically: the same file gives the same ids.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type {
  Attachment,
  Attribute,
  Container,
  ContainerDefinition,
  ContainerInstance,
  Deployment,
  Service,
  ServiceEvent,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { digitsId, hexId, uuidId } from './protocol';
import type {
  ClusterState,
  GenerateSpec,
  ScenarioCluster,
  ScenarioData,
  ScenarioService,
  ScenarioTask,
  SimState,
  Time,
} from './types';

export const DEFAULT_ACCOUNT = '123456789012';
export const DEFAULT_REGION = 'us-east-1';

/** Where the scenario files are: sim/scenarios, found from the source or the built (out/) module. */
export function scenarioDir(): string {
  const built = path.resolve(__dirname, '../../sim/scenarios');
  const candidates = [path.resolve(__dirname, 'scenarios'), built, path.resolve(process.cwd(), 'sim/scenarios')];
  return candidates.find((d) => existsSync(path.join(d, 'empty.json'))) ?? built;
}

/** Scenario names available (file names without .json). */
export function listScenarios(): string[] {
  const dir = scenarioDir();
  try {
    return require('node:fs')
      .readdirSync(dir)
      .filter((f: string) => f.endsWith('.json'))
      .map((f: string) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

/** Read a scenario by name ("demo") or by path to a .json file. */
export function readScenario(nameOrPath: string): ScenarioData {
  const isPath = nameOrPath.endsWith('.json') || nameOrPath.includes('/') || nameOrPath.includes(path.sep);
  if (!isPath && !/^[A-Za-z0-9_-]+$/.test(nameOrPath)) {
    throw new Error(`Scenario name "${nameOrPath}" is not valid: use letters, digits, "-" and "_", or a path to a .json file.`);
  }
  const file = isPath ? path.resolve(nameOrPath) : path.join(scenarioDir(), `${nameOrPath}.json`);
  if (!existsSync(file)) {
    const known = listScenarios();
    throw new Error(`Scenario "${nameOrPath}" not found (${file}).${known.length ? ` Known scenarios: ${known.join(', ')}.` : ''}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Scenario file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`Scenario file ${file} must hold a JSON object.`);
  return data as ScenarioData;
}

const REL = /^-(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function resolveTime(t: Time, anchor: number): Date {
  if (t instanceof Date) return new Date(t.getTime());
  if (typeof t === 'number') return new Date(t);
  if (t === 'now') return new Date(anchor);
  const [, amount, unit] = REL.exec(t) ?? [];
  const ms = unit === undefined ? undefined : UNIT[unit];
  if (amount !== undefined && ms !== undefined) return new Date(anchor - Number(amount) * ms);
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new Error(`Scenario time "${t}" is neither ISO 8601 nor relative like "-5m".`);
  return d;
}

/**
 * One account from two scenarios: `extra`'s clusters, task definitions, target groups, load
 * balancers and log groups are added to `base` (whose name, network and everything else stay), and
 * `extra`'s scheduler settings are used. How the playground shows the `services` scenario's live
 * services beside the demo account without changing the demo.
 */
export function mergeScenarios(base: ScenarioData, extra: ScenarioData): ScenarioData {
  const out: ScenarioData = structuredClone(base);
  out.taskDefinitions = [...(out.taskDefinitions ?? []), ...structuredClone(extra.taskDefinitions ?? [])];
  out.clusters = [...(out.clusters ?? []), ...structuredClone(extra.clusters ?? [])];
  out.elbv2 = {
    ...out.elbv2,
    loadBalancers: [...(out.elbv2?.loadBalancers ?? []), ...structuredClone(extra.elbv2?.loadBalancers ?? [])],
    targetGroups: [...(out.elbv2?.targetGroups ?? []), ...structuredClone(extra.elbv2?.targetGroups ?? [])],
  };
  out.logs = { ...out.logs, groups: [...(out.logs?.groups ?? []), ...structuredClone(extra.logs?.groups ?? [])] };
  if (extra.scheduler) out.scheduler = { ...extra.scheduler };
  return out;
}

/**
 * Adds a task to a cluster as the scenario loader does (ids, ENI, containers derived from `seed`):
 * how the service scheduler (sim/scheduler.ts) starts a task.
 */
export function addTaskToCluster(state: SimState, st: ClusterState, src: ScenarioTask, seed: string): Task {
  return new Builder(state, { ec2: state.ec2 }).addTask(st, src, seed);
}

/** Build state from scenario data. `now` anchors relative times. */
export function buildState(data: ScenarioData, now: number): SimState {
  const accountId = data.accountId ?? DEFAULT_ACCOUNT;
  const region = data.region ?? DEFAULT_REGION;
  const time = (t: Time) => resolveTime(t, now);
  const clone = <T>(v: T | undefined, dflt: T): T => (v === undefined ? dflt : (structuredClone(v) as T));
  const state: SimState = {
    accountId,
    region,
    loadedAt: now,
    time,
    ecs: { clusters: new Map(), taskDefinitions: new Map() },
    logs: clone(data.logs, {}),
    ecr: clone(data.ecr, {}),
    ec2: clone(data.ec2, {}),
    elbv2: clone(data.elbv2, {}),
    ssm: clone(data.ssm, {}),
    secretsManager: clone(data.secretsManager, {}),
    iam: clone(data.iam, {}),
    sts: clone(data.sts, {}),
  };
  const b = new Builder(state, data);
  for (const td of data.taskDefinitions ?? []) b.addTaskDefinition(td);
  for (const c of data.clusters ?? []) b.addCluster(c);
  return state;
}

export const arn = {
  cluster: (s: SimState, name: string) => `arn:aws:ecs:${s.region}:${s.accountId}:cluster/${name}`,
  service: (s: SimState, cluster: string, name: string) => `arn:aws:ecs:${s.region}:${s.accountId}:service/${cluster}/${name}`,
  task: (s: SimState, cluster: string, id: string) => `arn:aws:ecs:${s.region}:${s.accountId}:task/${cluster}/${id}`,
  containerInstance: (s: SimState, cluster: string, id: string) =>
    `arn:aws:ecs:${s.region}:${s.accountId}:container-instance/${cluster}/${id}`,
  taskDefinition: (s: SimState, family: string, revision: number) =>
    `arn:aws:ecs:${s.region}:${s.accountId}:task-definition/${family}:${revision}`,
  container: (s: SimState, cluster: string, taskId: string, seed: string) =>
    `arn:aws:ecs:${s.region}:${s.accountId}:container/${cluster}/${taskId}/${uuidId(seed)}`,
};

const RUNNINGISH = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING']);

class Builder {
  constructor(
    private readonly s: SimState,
    private readonly data: ScenarioData,
  ) {}

  private t(v: Time | undefined, dflt: Time): Date {
    return this.s.time(v ?? dflt);
  }

  addTaskDefinition(src: ScenarioData['taskDefinitions'] extends (infer U)[] | undefined ? U : never): void {
    if (!src.family || !Number.isInteger(src.revision)) throw new Error('Every scenario task definition needs a family and an integer revision.');
    const td = structuredClone(src) as unknown as TaskDefinition & Record<string, unknown>;
    td.taskDefinitionArn = arn.taskDefinition(this.s, src.family, src.revision);
    td.status ??= 'ACTIVE';
    td.registeredAt = this.t(src.registeredAt, '-30d');
    if (src.deregisteredAt) td.deregisteredAt = this.t(src.deregisteredAt, 'now');
    td.registeredBy ??= `arn:aws:iam::${this.s.accountId}:user/deployer`;
    td.networkMode ??= 'bridge';
    td.requiresCompatibilities ??= [];
    td.compatibilities ??= [...new Set(['EC2', ...(td.networkMode === 'awsvpc' ? ['FARGATE'] : []), ...td.requiresCompatibilities])] as TaskDefinition['compatibilities'];
    td.volumes ??= [];
    td.placementConstraints ??= [];
    td.containerDefinitions = (td.containerDefinitions ?? []).map((c: ContainerDefinition) => ({
      cpu: 0,
      essential: true,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      ...c,
      portMappings: (c.portMappings ?? []).map((p) => ({
        ...p,
        hostPort: p.hostPort ?? (td.networkMode === 'awsvpc' || td.networkMode === 'host' ? p.containerPort : 0),
        protocol: p.protocol ?? 'tcp',
      })),
    }));
    if (td.containerDefinitions.length === 0) throw new Error(`Task definition ${src.family}:${src.revision} has no containerDefinitions.`);
    this.s.ecs.taskDefinitions.set(`${src.family}:${src.revision}`, td);
  }

  /** "family:rev", "family" (latest ACTIVE) or an ARN -> the task definition. */
  taskDefinition(ref: string, where: string): TaskDefinition {
    const key = ref.startsWith('arn:') ? ref.slice(ref.indexOf('task-definition/') + 16) : ref;
    if (key.includes(':')) {
      const td = this.s.ecs.taskDefinitions.get(key);
      if (td) return td;
    } else {
      let best: TaskDefinition | undefined;
      for (const td of this.s.ecs.taskDefinitions.values()) {
        if (td.family === key && td.status === 'ACTIVE' && (!best || (td.revision ?? 0) > (best.revision ?? 0))) best = td;
      }
      if (best) return best;
    }
    throw new Error(`${where}: task definition "${ref}" is not in the scenario's taskDefinitions.`);
  }

  addCluster(c: ScenarioCluster): void {
    if (!c.name) throw new Error('Every scenario cluster needs a name.');
    const st: ClusterState = {
      cluster: {
        clusterArn: arn.cluster(this.s, c.name),
        clusterName: c.name,
        status: c.status ?? 'ACTIVE',
        settings: c.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
        capacityProviders: c.capacityProviders ?? [],
        defaultCapacityProviderStrategy: c.defaultCapacityProviderStrategy ?? [],
        tags: c.tags ?? [],
        attachments: [],
        ...(c.configuration ? { configuration: structuredClone(c.configuration) } : {}),
      },
      services: new Map(),
      tasks: new Map(),
      containerInstances: new Map(),
    };
    this.s.ecs.clusters.set(c.name, st);
    for (const ci of c.containerInstances ?? []) this.addContainerInstance(st, ci);
    for (const svc of c.services ?? []) this.addService(st, svc);
    const counters = new Map<string, number>();
    for (const t of c.tasks ?? []) {
      const n = t.count ?? 1;
      for (let i = 0; i < n; i++) {
        const k = t.service ?? `standalone:${t.taskDefinition ?? ''}`;
        const idx = counters.get(k) ?? 0;
        counters.set(k, idx + 1);
        this.addTask(st, n > 1 ? { ...t, id: undefined } : t, `${k}#${idx}`);
      }
    }
    for (const g of c.generate ?? []) this.generate(st, g);
  }

  private addContainerInstance(st: ClusterState, ci: NonNullable<ScenarioCluster['containerInstances']>[number]): void {
    const cluster = st.cluster.clusterName!;
    const id = ci.id ?? hexId(`ci:${cluster}:${ci.ec2InstanceId}`);
    const az = ci.availabilityZone ?? `${this.s.region}a`;
    const cpu = ci.cpu ?? 2048;
    const mem = ci.memory ?? 7680;
    const version = ci.agentVersion ?? '1.86.0';
    const std: Attribute[] = [
      { name: 'ecs.ami-id', value: 'ami-0abcdef1234567890' },
      { name: 'ecs.availability-zone', value: az },
      { name: 'ecs.instance-type', value: ci.instanceType ?? 'm5.large' },
      { name: 'ecs.os-type', value: 'linux' },
      { name: 'ecs.os-family', value: 'LINUX' },
      { name: 'ecs.cpu-architecture', value: 'x86_64' },
      { name: 'ecs.capability.execution-role-awslogs' },
      { name: 'ecs.capability.execution-role-ecr-pull' },
      { name: 'ecs.capability.secrets.asm.environment-variables' },
      { name: 'ecs.capability.secrets.ssm.environment-variables' },
      { name: 'ecs.capability.task-eni' },
      { name: 'ecs.capability.container-health-check' },
      { name: 'ecs.capability.exec' },
      { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.44' },
      { name: 'com.amazonaws.ecs.capability.task-iam-role' },
    ];
    const extra = ci.attributes ?? [];
    const rec: ContainerInstance = {
      containerInstanceArn: arn.containerInstance(this.s, cluster, id),
      ec2InstanceId: ci.ec2InstanceId,
      version: 12,
      versionInfo: { agentVersion: version, agentHash: hexId(version, 8), dockerVersion: 'DockerVersion: 25.0.6' },
      registeredResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: cpu, doubleValue: 0, longValue: 0 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: mem, doubleValue: 0, longValue: 0 },
        { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375', '2376', '51678', '51679'], doubleValue: 0, longValue: 0, integerValue: 0 },
      ],
      remainingResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: cpu, doubleValue: 0, longValue: 0 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: mem, doubleValue: 0, longValue: 0 },
        { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375', '2376', '51678', '51679'], doubleValue: 0, longValue: 0, integerValue: 0 },
      ],
      status: ci.status ?? 'ACTIVE',
      agentConnected: ci.agentConnected ?? true,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      attributes: [...std.filter((a) => !extra.some((e) => e.name === a.name)), ...extra],
      registeredAt: this.t(ci.registeredAt, '-20d'),
      attachments: [],
      tags: [],
      ...(ci.statusReason ? { statusReason: ci.statusReason } : {}),
      ...(ci.capacityProviderName ? { capacityProviderName: ci.capacityProviderName } : {}),
    };
    st.containerInstances.set(id, rec);
  }

  private addService(st: ClusterState, src: ScenarioService): void {
    const cluster = st.cluster.clusterName!;
    if (!src.name) throw new Error(`Cluster ${cluster}: every service needs a name.`);
    if (!src.taskDefinition) throw new Error(`Service ${src.name}: taskDefinition is required.`);
    const td = this.taskDefinition(src.taskDefinition, `Service ${src.name}`);
    const { name, deployments, events, runningTasks, scheduler: _scheduler, ...rest } = src;
    const usesCp = !!src.capacityProviderStrategy?.length;
    const launchType = usesCp ? undefined : (src.launchType ?? 'FARGATE');
    const fargate = launchType === 'FARGATE' || (usesCp && src.capacityProviderStrategy!.some((c) => c.capacityProvider?.startsWith('FARGATE')));
    const createdAt = this.t(src.createdAt, '-60d');
    const svc: Service = {
      ...(rest as Service),
      serviceArn: arn.service(this.s, cluster, name),
      serviceName: name,
      clusterArn: st.cluster.clusterArn,
      loadBalancers: src.loadBalancers ?? [],
      serviceRegistries: [],
      status: src.status ?? 'ACTIVE',
      desiredCount: src.desiredCount ?? runningTasks ?? 1,
      taskDefinition: td.taskDefinitionArn,
      deploymentConfiguration: src.deploymentConfiguration ?? {
        deploymentCircuitBreaker: { enable: false, rollback: false },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
      roleArn: src.roleArn ?? `arn:aws:iam::${this.s.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
      createdAt,
      createdBy: src.createdBy ?? `arn:aws:iam::${this.s.accountId}:role/deployer`,
      placementConstraints: [],
      placementStrategy: [],
      schedulingStrategy: (src.schedulingStrategy as Service['schedulingStrategy']) ?? 'REPLICA',
      deploymentController: { type: 'ECS' },
      enableECSManagedTags: src.enableECSManagedTags ?? false,
      propagateTags: (src.propagateTags as Service['propagateTags']) ?? 'NONE',
      enableExecuteCommand: src.enableExecuteCommand ?? false,
      events: [],
      deployments: [],
    };
    delete (svc as Record<string, unknown>).runningCount;
    delete (svc as Record<string, unknown>).pendingCount;
    if (src.runningCount !== undefined) svc.runningCount = src.runningCount;
    if (src.pendingCount !== undefined) svc.pendingCount = src.pendingCount;
    if (launchType) svc.launchType = launchType as Service['launchType'];
    if (fargate) {
      svc.platformVersion = src.platformVersion ?? 'LATEST';
      svc.platformFamily = src.platformFamily ?? 'Linux';
    }
    if (src.healthCheckGracePeriodSeconds === undefined && svc.loadBalancers!.length > 0) svc.healthCheckGracePeriodSeconds = 0;
    const deps: Deployment[] = (deployments ?? [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }]).map((d, i) => {
      const dtd = d.taskDefinition ? this.taskDefinition(d.taskDefinition, `Service ${name} deployment ${i}`) : td;
      const dep: Deployment = {
        ...(d as unknown as Deployment),
        id: d.id ?? `ecs-svc/${digitsId(`${cluster}/${name}/${i}`)}`,
        status: d.status ?? (i === 0 ? 'PRIMARY' : 'ACTIVE'),
        taskDefinition: dtd.taskDefinitionArn,
        desiredCount: d.desiredCount ?? (i === 0 ? svc.desiredCount : 0),
        failedTasks: d.failedTasks ?? 0,
        createdAt: this.t(d.createdAt, i === 0 ? (deployments ? '-10m' : '-7d') : '-3d'),
        updatedAt: this.t(d.updatedAt ?? d.createdAt, i === 0 ? (deployments ? '-2m' : '-7d') : '-3d'),
        rolloutState: (d.rolloutState as Deployment['rolloutState']) ?? 'COMPLETED',
      };
      if (d.rolloutStateReason === undefined) {
        if (dep.rolloutState === 'COMPLETED') dep.rolloutStateReason = `ECS deployment ${dep.id} completed.`;
        else delete dep.rolloutStateReason;
      }
      if (svc.launchType) dep.launchType = svc.launchType;
      if (svc.capacityProviderStrategy) dep.capacityProviderStrategy = svc.capacityProviderStrategy;
      if (svc.platformVersion) {
        dep.platformVersion = d.platformVersion ?? '1.4.0';
        dep.platformFamily = 'Linux';
      }
      if (svc.networkConfiguration) dep.networkConfiguration = svc.networkConfiguration;
      return dep;
    });
    svc.deployments = deps;
    const evs: ServiceEvent[] = (events ?? []).map((e, i) => ({
      id: e.id ?? uuidId(`event:${cluster}/${name}/${i}`),
      createdAt: this.t(e.createdAt, 'now'),
      message: e.message,
    }));
    if (!events) {
      evs.push({
        id: uuidId(`event:${cluster}/${name}/steady`),
        createdAt: this.t(undefined, '-6h'),
        message: `(service ${name}) has reached a steady state.`,
      });
    }
    evs.sort((a, b) => b.createdAt!.getTime() - a.createdAt!.getTime());
    svc.events = evs;
    st.services.set(name, svc);
    for (let i = 0; i < (runningTasks ?? 0); i++) this.addTask(st, { service: name }, `${name}#gen${i}`);
  }

  addTask(st: ClusterState, src: ScenarioTask, seed: string): Task {
    const s = this.s;
    const cluster = st.cluster.clusterName!;
    const svc = src.service ? st.services.get(src.service) : undefined;
    if (src.service && !svc) throw new Error(`Cluster ${cluster}: a task names service "${src.service}", which is not in the cluster.`);
    const dep = svc ? svc.deployments![src.deployment ?? 0] : undefined;
    if (svc && !dep) throw new Error(`Service ${src.service}: a task names deployment ${src.deployment}, which does not exist.`);
    const tdRef = src.taskDefinition ?? dep?.taskDefinition ?? svc?.taskDefinition;
    if (!tdRef) throw new Error(`Cluster ${cluster}: a standalone task needs a taskDefinition.`);
    const td = this.taskDefinition(tdRef, `Task in ${cluster}`);
    const id = src.id ?? hexId(`task:${cluster}:${seed}`);
    if (!/^[0-9a-f]{32}$/.test(id)) throw new Error(`Task id "${id}" must be 32 lowercase hex characters.`);
    const taskArn = arn.task(s, cluster, id);
    const capacityProviderName =
      src.capacityProviderName ?? svc?.capacityProviderStrategy?.[0]?.capacityProvider;
    // Tasks always carry a launch type, also when a capacity provider placed them (FARGATE_SPOT -> FARGATE).
    const launchType = (src.launchType ??
      svc?.launchType ??
      (capacityProviderName && !capacityProviderName.startsWith('FARGATE') ? 'EC2' : 'FARGATE')) as Task['launchType'];
    const fargate = launchType === 'FARGATE' || (capacityProviderName ?? '').startsWith('FARGATE');
    const lastStatus = src.lastStatus ?? 'RUNNING';
    const stopped = lastStatus === 'STOPPED' || lastStatus === 'DEPROVISIONING' || lastStatus === 'STOPPING';
    const desiredStatus = src.desiredStatus ?? (stopped ? 'STOPPED' : 'RUNNING');
    const createdAt = this.t(src.createdAt, stopped ? '-40m' : '-2d');
    const neverStarted = stopped && src.startedAt === undefined && src.stopCode === 'TaskFailedToStart';
    const startedAt = lastStatus === 'RUNNING' || (stopped && !neverStarted) ? this.t(src.startedAt, new Date(createdAt.getTime() + 45_000)) : undefined;
    const enableExec = src.enableExecuteCommand ?? svc?.enableExecuteCommand ?? false;
    const awsvpc = td.networkMode === 'awsvpc';
    const defaultSubnet = 'subnet-0a1b2c3d4e5f60001';
    const subnets = svc?.networkConfiguration?.awsvpcConfiguration?.subnets ?? [defaultSubnet];
    // (a service whose subnet list is empty gets the default subnet too)
    const subnetId = src.subnetId ?? subnets[parseInt(hexId(seed, 4), 16) % subnets.length] ?? defaultSubnet;
    const ipSeed = parseInt(hexId(`ip:${seed}`, 4), 16);
    const privateIp = src.privateIp ?? `10.0.${(ipSeed >> 8) % 64 + (subnets.indexOf(subnetId) + 1) * 64 - 64}.${(ipSeed % 250) + 4}`;
    const eniId = `eni-${hexId(`eni:${seed}`, 17)}`;
    const az = src.availabilityZone ?? this.azOf(subnetId);
    let containerInstanceArn: string | undefined;
    if (!fargate) {
      const ciId = src.containerInstance ?? [...st.containerInstances.keys()][parseInt(hexId(`ci:${seed}`, 4), 16) % Math.max(1, st.containerInstances.size)];
      if (!ciId || !st.containerInstances.has(ciId)) throw new Error(`Task ${id} in ${cluster} runs on EC2 but container instance "${ciId ?? ''}" is not in the cluster.`);
      containerInstanceArn = st.containerInstances.get(ciId)!.containerInstanceArn;
    }
    const byName = new Map((src.containers ?? []).map((c) => [c.name, c]));
    for (const n of byName.keys()) {
      if (!td.containerDefinitions!.some((d) => d.name === n)) throw new Error(`Task ${id}: container "${n}" is not in ${td.family}:${td.revision}.`);
    }
    const containers: Container[] = td.containerDefinitions!.map((def) => {
      const over = byName.get(def.name!);
      const cStatus = over?.lastStatus ?? (stopped ? 'STOPPED' : lastStatus === 'RUNNING' ? 'RUNNING' : 'PENDING');
      const started = cStatus === 'RUNNING' || (cStatus === 'STOPPED' && startedAt && over?.exitCode !== null);
      const c: Container = {
        containerArn: arn.container(s, cluster, id, `${seed}/${def.name}`),
        taskArn,
        name: def.name,
        image: def.image,
        lastStatus: cStatus,
        networkInterfaces: awsvpc ? [{ attachmentId: uuidId(`att:${seed}`), privateIpv4Address: privateIp }] : [],
        healthStatus: (over?.healthStatus ?? (def.healthCheck ? (cStatus === 'RUNNING' ? 'HEALTHY' : 'UNKNOWN') : 'UNKNOWN')) as Container['healthStatus'],
        cpu: String(def.cpu ?? 0),
        ...(def.memory !== undefined ? { memory: String(def.memory) } : {}),
        ...(def.memoryReservation !== undefined ? { memoryReservation: String(def.memoryReservation) } : {}),
      };
      if (started) {
        c.runtimeId = fargate ? `${id}-${digitsId(`rt:${seed}/${def.name}`, 10)}` : hexId(`docker:${seed}/${def.name}`, 64);
        c.imageDigest = `sha256:${hexId(`digest:${def.image}`, 64)}`;
      }
      if (over?.runtimeId !== undefined) c.runtimeId = over.runtimeId;
      if (over?.imageDigest !== undefined) c.imageDigest = over.imageDigest;
      if (over?.exitCode !== undefined && over.exitCode !== null) c.exitCode = over.exitCode;
      if (over?.reason !== undefined) c.reason = over.reason;
      if (!awsvpc && started && (def.portMappings ?? []).length) {
        c.networkBindings = def.portMappings!.map((p, i) => ({
          bindIP: '0.0.0.0',
          containerPort: p.containerPort,
          hostPort: p.hostPort || 32768 + (parseInt(hexId(`port:${seed}/${i}`, 4), 16) % 28000),
          protocol: p.protocol ?? 'tcp',
        }));
      }
      if (over?.managedAgents) {
        c.managedAgents = over.managedAgents.map((m) => ({
          ...(m as Record<string, unknown>),
          ...(m.lastStartedAt !== undefined ? { lastStartedAt: this.t(m.lastStartedAt, 'now') } : {}),
        })) as Container['managedAgents'];
      } else if (enableExec && started) {
        c.managedAgents = [
          {
            name: 'ExecuteCommandAgent',
            lastStatus: cStatus === 'RUNNING' ? 'RUNNING' : 'STOPPED',
            lastStartedAt: startedAt,
          },
        ];
      }
      return c;
    });
    const essentials = td.containerDefinitions!.filter((d) => d.essential !== false).map((d) => containers.find((c) => c.name === d.name)!);
    const health: Task['healthStatus'] = essentials.some((c) => c.healthStatus === 'UNHEALTHY')
      ? 'UNHEALTHY'
      : essentials.some((c) => c.healthStatus !== 'HEALTHY')
        ? 'UNKNOWN'
        : 'HEALTHY';
    const attachments: Attachment[] = awsvpc
      ? [
          {
            id: uuidId(`att:${seed}`),
            type: 'ElasticNetworkInterface',
            status: stopped ? 'DELETED' : lastStatus === 'RUNNING' ? 'ATTACHED' : 'PRECREATED',
            details: [
              { name: 'subnetId', value: subnetId },
              { name: 'networkInterfaceId', value: eniId },
              { name: 'macAddress', value: macOf(seed) },
              { name: 'privateDnsName', value: `ip-${privateIp.replace(/\./g, '-')}.ec2.internal` },
              { name: 'privateIPv4Address', value: privateIp },
            ],
          },
        ]
      : [];
    const task: Task = {
      attachments,
      attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
      availabilityZone: az,
      clusterArn: st.cluster.clusterArn,
      connectivity: stopped && neverStarted ? 'DISCONNECTED' : 'CONNECTED',
      connectivityAt: new Date(createdAt.getTime() + 5_000),
      containers,
      cpu: td.cpu ?? String(td.containerDefinitions!.reduce((a, d) => a + (d.cpu ?? 0), 0)),
      memory: td.memory ?? String(td.containerDefinitions!.reduce((a, d) => a + (d.memory ?? d.memoryReservation ?? 0), 0)),
      createdAt,
      desiredStatus,
      enableExecuteCommand: enableExec,
      group: svc ? `service:${svc.serviceName}` : (src.group ?? `family:${td.family}`),
      healthStatus: (src.healthStatus as Task['healthStatus']) ?? health,
      lastStatus,
      overrides: src.overrides ?? { containerOverrides: td.containerDefinitions!.map((d) => ({ name: d.name })), inferenceAcceleratorOverrides: [] },
      taskArn,
      taskDefinitionArn: td.taskDefinitionArn,
      version: stopped ? 5 : 3,
      tags: (src.tags as Task['tags']) ?? [],
    };
    if (launchType) task.launchType = launchType;
    if (capacityProviderName) task.capacityProviderName = capacityProviderName;
    if (fargate) {
      task.platformVersion = src.platformVersion ?? '1.4.0';
      task.platformFamily = src.platformFamily ?? 'Linux';
      task.ephemeralStorage = { sizeInGiB: 20 };
      task.fargateEphemeralStorage = { sizeInGiB: 20 };
    }
    if (containerInstanceArn) task.containerInstanceArn = containerInstanceArn;
    const startedBy = src.startedBy ?? dep?.id;
    if (startedBy) task.startedBy = startedBy;
    if (startedAt) {
      task.pullStartedAt = new Date(createdAt.getTime() + 10_000);
      task.pullStoppedAt = new Date(startedAt.getTime() - 5_000);
      task.startedAt = startedAt;
    } else if (src.pullStartedAt) {
      task.pullStartedAt = this.t(src.pullStartedAt, 'now');
    }
    if (stopped) {
      const stoppedAt = this.t(src.stoppedAt, '-15m');
      task.stoppingAt = this.t(src.stoppingAt, new Date(stoppedAt.getTime() - 30_000));
      task.executionStoppedAt = this.t(src.executionStoppedAt, new Date(stoppedAt.getTime() - 20_000));
      if (lastStatus === 'STOPPED') task.stoppedAt = stoppedAt;
      if (src.stopCode) task.stopCode = src.stopCode as Task['stopCode'];
      if (src.stoppedReason) task.stoppedReason = src.stoppedReason;
    }
    st.tasks.set(id, task);
    return task;
  }

  private azOf(subnetId: string): string {
    const sn = this.data.ec2?.subnets?.find((x) => x.subnetId === subnetId);
    if (sn?.availabilityZone) return sn.availabilityZone;
    return `${this.s.region}${'abc'[parseInt(hexId(subnetId, 2), 16) % 3]}`;
  }

  private generate(st: ClusterState, g: GenerateSpec): void {
    if (!g.servicePrefix || !Number.isInteger(g.count) || g.count < 0 || !Number.isInteger(g.tasksPerService) || g.tasksPerService < 0) {
      throw new Error(`Cluster ${st.cluster.clusterName}: generate needs servicePrefix, count and tasksPerService (whole numbers).`);
    }
    const width = String(g.count).length;
    for (let i = 1; i <= g.count; i++) {
      const name = `${g.servicePrefix}-${String(i).padStart(Math.max(4, width), '0')}`;
      this.addService(st, {
        name,
        taskDefinition: g.taskDefinition,
        launchType: (g.launchType ?? 'FARGATE') as Service['launchType'],
        desiredCount: g.tasksPerService,
        runningTasks: g.tasksPerService,
        networkConfiguration: {
          awsvpcConfiguration: { subnets: g.subnets ?? ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], securityGroups: ['sg-0123456789abcdef0'], assignPublicIp: 'DISABLED' },
        },
        events: [{ createdAt: '-3h', message: `(service ${name}) has reached a steady state.` }],
      });
    }
  }
}

function macOf(seed: string): string {
  const h = hexId(`mac:${seed}`, 10);
  return `0e:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}:${h.slice(8, 10)}`;
}

/** True when a task is in a state ListTasks counts as desired RUNNING (not yet told to stop). */
export function isRunningish(t: Task): boolean {
  return RUNNINGISH.has(t.lastStatus ?? '');
}
