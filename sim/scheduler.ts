// The service scheduler: what ECS does to a service between two API calls. It replaces stopped
// tasks (desiredCount), starts tasks through PROVISIONING -> PENDING -> RUNNING, rolls deployments
// within deploymentConfiguration.minimumHealthyPercent / maximumPercent, stops and replaces tasks
// whose essential container health check fails or whose load-balancer target is unhealthy (after
// healthCheckGracePeriodSeconds), registers and deregisters targets with the reasons ELBv2
// reports, fails placement with ECS's event text, trips the deployment circuit breaker and rolls
// back, and writes service events as ECS words them (newest first, 100 kept).
//
// It is a discrete-event simulation on the simulator's clock: every future change is an entry in
// a queue with its time, processed in time order (ties in the order they were queued) whenever
// the simulator answers a call (`advance(now)`). It sets no timers and draws no random numbers, so
// a ManualClock drives it exactly and the same scenario gives the same tasks, ids and events on
// every run. A scenario can run it fast (`scheduler.speed` divides every duration it waits) and
// can start it in the past (`scheduler.historySeconds`) so a service loads with its history.
//
// Behaviour follows the Amazon ECS Developer Guide: "Amazon ECS service event messages" and
// "Amazon ECS service unhealthy event messages" for the wording, "How the Amazon ECS deployment
// circuit breaker detects failures" (threshold 0.5 x desired count, at least 3, at most 200, as in
// the API reference's ServiceDeploymentCircuitBreaker), "Deploy Amazon ECS services by replacing
// tasks" (minimumHealthyPercent / maximumPercent), the service definition's
// healthCheckGracePeriodSeconds, the task definition's HealthCheck, and Elastic Load Balancing's
// TargetHealth reason codes.
import type { Deployment, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { digitsId, hexId, uuidId } from './protocol';
import { addTaskToCluster } from './scenario';
import { STOPPED_TASK_RETENTION_MS, stopNow } from './services/ecs';
import { targetGroupArn } from './services/elbv2';
import type { ClusterState, ScenarioData, ScenarioElbv2, ServiceSchedulerSpec, SimState, TaskBehaviour, Time } from './types';

type Tg = NonNullable<ScenarioElbv2['targetGroups']>[number];

export interface SchedulerOptions {
  /** Divides every duration the scheduler waits. Default 1. */
  speed?: number;
  /** Also run any service that UpdateService or StopTask touches (default behaviour: healthy). */
  adopt?: boolean;
}

/** Defaults of what the scheduler waits, in seconds (before `speed`). */
export const SCHEDULER_DEFAULTS = {
  provisioningSeconds: 10,
  pendingSeconds: 20,
  /** From RUNNING to a target's first health check (Elb.RegistrationInProgress -> Elb.InitialHealthChecking). */
  registrationSeconds: 10,
  /** From SIGTERM to STOPPED. */
  stopSeconds: 5,
  /** ELBv2 deregistration_delay.timeout_seconds default. */
  deregistrationDelaySeconds: 300,
  /** Retry a placement that failed after this long. */
  placementRetrySeconds: 60,
  /** Repeat the placement-failure event at most this often. */
  placementEventSeconds: 600,
};

/** The circuit breaker's failure threshold for a desired count (API reference, ServiceDeploymentCircuitBreaker). */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

interface QueueItem {
  at: number;
  seq: number;
  fn: () => void;
}

interface TrackTarget {
  tgArn: string;
  id: string;
  port: number;
}

/** The scheduler's view of one task of a service it runs. */
interface Track {
  task: Task;
  cluster: string;
  service: string;
  behaviour: TaskBehaviour;
  /** Started by the scheduler (purged after the retention window), or adopted from the scenario. */
  own: boolean;
  targets: TrackTarget[];
  /** Every target group reports it healthy. */
  elbHealthy: boolean;
  /** Why the scheduler will replace it (set once the grace period is over). */
  failing?: { kind: 'container' | 'elb'; tgArn?: string };
  /** The "is unhealthy in target-group" event was written. */
  unhealthyReported: boolean;
  /** A failure of this task was counted (circuit breaker, consecutive failures). */
  counted: boolean;
  /** The awslogs streams its containers write to (live until the task stops). */
  logStreams: Array<{ live?: { until?: Time } }>;
}

interface Managed {
  cluster: string;
  name: string;
  spec: ServiceSchedulerSpec;
  steady: boolean;
  consecutiveFailures: number;
  lastPlacementEventAt?: number;
  retryQueued: boolean;
  counter: number;
}

const key = (cluster: string, name: string) => `${cluster}/${name}`;
const taskId = (t: Task) => t.taskArn!.slice(t.taskArn!.lastIndexOf('/') + 1);

export class Scheduler {
  private readonly queue: QueueItem[] = [];
  private seq = 0;
  private time: number;
  private readonly services = new Map<string, Managed>();
  private readonly tracks = new Map<string, Track>();
  private readonly dirty = new Set<string>();
  private eventCounter = 0;
  private lastPurge = 0;
  private readonly speed: number;
  readonly adopt: boolean;

  constructor(
    private readonly state: SimState,
    start: number,
    opts: SchedulerOptions = {},
  ) {
    this.time = start;
    this.speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
    this.adopt = !!opts.adopt;
  }

  /**
   * The scheduler for a loaded scenario: runs the services with a `scheduler` section (and, with
   * `adopt`, any service an UpdateService or StopTask touches). Undefined when there is nothing
   * to run. Starts `historySeconds` before `now`; call advance(now) to bring it up to date.
   */
  static forScenario(state: SimState, data: ScenarioData, now: number, opts: { adopt?: boolean } = {}): Scheduler | undefined {
    const specs: { cluster: string; name: string; spec: ServiceSchedulerSpec }[] = [];
    for (const c of data.clusters ?? []) for (const s of c.services ?? []) if (s.scheduler) specs.push({ cluster: c.name, name: s.name, spec: s.scheduler });
    if (!specs.length && !opts.adopt) return undefined;
    const history = Math.max(0, data.scheduler?.historySeconds ?? 0) * 1000;
    const sched = new Scheduler(state, now - history, { speed: data.scheduler?.speed, adopt: opts.adopt });
    for (const s of specs) sched.manage(s.cluster, s.name, s.spec);
    return sched;
  }

  /** The scheduler's time (epoch ms): the last time it was advanced to. */
  get now(): number {
    return this.time;
  }

  /** Changes waiting in the queue. */
  get pending(): number {
    return this.queue.length;
  }

  isManaged(cluster: string, service: string): boolean {
    return this.services.has(key(cluster, service));
  }

  /** Processes every change due by `now`, in time order, then reconciles what they touched. */
  advance(now: number): void {
    for (;;) {
      const first = this.earliest();
      if (!first || first.at > now) break;
      // Everything due at this instant (also what it queues for the same instant), then one
      // reconcile: two tasks that turn healthy together let two old ones go together.
      this.time = Math.max(this.time, first.at);
      for (let next: QueueItem | undefined = first; next && next.at <= this.time; next = this.earliest()) {
        this.queue.splice(this.queue.indexOf(next), 1);
        next.fn();
      }
      this.flush();
    }
    this.time = Math.max(this.time, now);
    this.flush();
    if (this.time - this.lastPurge >= 60_000) this.purge();
  }

  /** An API call changed the service (UpdateService) or one of its tasks (StopTask): reconcile it now. */
  poke(cluster: string, service: string, now: number): void {
    const k = key(cluster, service);
    if (!this.services.has(k)) {
      if (!this.adopt) return;
      this.manage(cluster, service, {});
    }
    this.at(now, () => this.dirty.add(k));
  }

  /** Starts running a service: adopts its tasks and reconciles it at the scheduler's time. */
  manage(cluster: string, name: string, spec: ServiceSchedulerSpec): void {
    const st = this.state.ecs.clusters.get(cluster);
    const s = st?.services.get(name);
    if (!st || !s) throw new Error(`scheduler: service ${name} is not in cluster ${cluster}.`);
    const k = key(cluster, name);
    if (this.services.has(k)) return;
    this.services.set(k, { cluster, name, spec, steady: false, consecutiveFailures: 0, retryQueued: false, counter: 0 });
    // Counts are computed from the tasks from now on.
    delete s.runningCount;
    delete s.pendingCount;
    for (const d of s.deployments ?? []) {
      delete d.runningCount;
      delete d.pendingCount;
    }
    s.events ??= [];
    for (const t of st.tasks.values()) {
      if (t.group !== `service:${name}` || t.lastStatus === 'STOPPED' || t.desiredStatus === 'STOPPED') continue;
      this.adoptTask(st, s, t);
    }
    this.at(this.time, () => this.dirty.add(k));
  }

  // -------------------------------------------------------------------------------------------
  // Queue
  // -------------------------------------------------------------------------------------------

  private at(when: number, fn: () => void): void {
    this.queue.push({ at: Math.max(when, this.time), seq: this.seq++, fn });
  }

  private earliest(): QueueItem | undefined {
    let best: QueueItem | undefined;
    for (const q of this.queue) if (!best || q.at < best.at || (q.at === best.at && q.seq < best.seq)) best = q;
    return best;
  }

  private sec(seconds: number): number {
    return (seconds * 1000) / this.speed;
  }

  private flush(): void {
    while (this.dirty.size) {
      const [k] = this.dirty;
      this.dirty.delete(k!);
      const m = this.services.get(k!);
      if (m) this.reconcile(m);
    }
  }

  private purge(): void {
    this.lastPurge = this.time;
    const keep = (this.state.ecs.stoppedTaskRetentionMs ?? STOPPED_TASK_RETENTION_MS) + 600_000;
    for (const [k, tr] of this.tracks) {
      const t = tr.task;
      if (!tr.own || t.lastStatus !== 'STOPPED' || !t.stoppedAt || this.time - t.stoppedAt.getTime() <= keep) continue;
      this.state.ecs.clusters.get(tr.cluster)?.tasks.delete(taskId(t));
      this.tracks.delete(k);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Lookups
  // -------------------------------------------------------------------------------------------

  private behaviourFor(m: Managed, tdArn: string | undefined): TaskBehaviour {
    const short = tdArn ? tdArn.slice(tdArn.indexOf('task-definition/') + 16) : '';
    return { ...m.spec.behaviour, ...(m.spec.byTaskDefinition?.[short] ?? {}) };
  }

  private taskDefinition(arn: string | undefined): TaskDefinition | undefined {
    if (!arn) return undefined;
    return this.state.ecs.taskDefinitions.get(arn.slice(arn.indexOf('task-definition/') + 16));
  }

  private targetGroup(arn: string | undefined): Tg | undefined {
    if (!arn) return undefined;
    return (this.state.elbv2.targetGroups ?? []).find((t) => targetGroupArn({ state: this.state }, t) === arn);
  }

  private service(m: Managed): { st: ClusterState; s: Service } | undefined {
    const st = this.state.ecs.clusters.get(m.cluster);
    const s = st?.services.get(m.name);
    return st && s ? { st, s } : undefined;
  }

  private managedOf(tr: Track): Managed | undefined {
    return this.services.get(key(tr.cluster, tr.service));
  }

  private event(s: Service, message: string): void {
    const events = (s.events ??= []);
    const createdAt = new Date(this.time);
    events.unshift({ id: uuidId(`sched-event:${s.serviceArn}/${this.eventCounter++}`), createdAt, message });
    if (events.length > 1 && events[1]!.createdAt! > createdAt) events.sort((a, b) => b.createdAt!.getTime() - a.createdAt!.getTime());
    if (events.length > 100) events.length = 100;
  }

  /** Task health as ECS computes it: from the essential containers only. */
  private rollUpHealth(t: Task): void {
    const td = this.taskDefinition(t.taskDefinitionArn);
    const essential = new Set((td?.containerDefinitions ?? []).filter((d) => d.essential !== false).map((d) => d.name));
    const cs = (t.containers ?? []).filter((c) => essential.has(c.name));
    t.healthStatus = cs.some((c) => c.healthStatus === 'UNHEALTHY') ? 'UNHEALTHY' : cs.some((c) => c.healthStatus !== 'HEALTHY') ? 'UNKNOWN' : 'HEALTHY';
  }

  /** Counts toward minimumHealthyPercent and a deployment's completion. */
  private healthy(t: Task): boolean {
    if (t.lastStatus !== 'RUNNING' || t.desiredStatus !== 'RUNNING') return false;
    const tr = this.tracks.get(t.taskArn!);
    if (tr?.failing) return false;
    const td = this.taskDefinition(t.taskDefinitionArn);
    const checked = (td?.containerDefinitions ?? []).some((d) => d.essential !== false && d.healthCheck);
    if (checked && t.healthStatus !== 'HEALTHY') return false;
    if (!checked && t.healthStatus === 'UNHEALTHY') return false;
    return tr ? tr.elbHealthy : true;
  }

  // -------------------------------------------------------------------------------------------
  // Tasks
  // -------------------------------------------------------------------------------------------

  private newTrack(t: Task, m: Managed, own: boolean): Track {
    const tr: Track = {
      task: t,
      cluster: m.cluster,
      service: m.name,
      behaviour: this.behaviourFor(m, t.taskDefinitionArn),
      own,
      targets: [],
      elbHealthy: true,
      unhealthyReported: false,
      counted: false,
      logStreams: [],
    };
    this.tracks.set(t.taskArn!, tr);
    return tr;
  }

  private live(tr: Track): boolean {
    return tr.task.desiredStatus === 'RUNNING' && tr.task.lastStatus !== 'STOPPED';
  }

  /** A task the scenario put there: the scheduler runs its health from its startedAt on. */
  private adoptTask(st: ClusterState, s: Service, t: Task): void {
    const m = this.services.get(key(st.cluster.clusterName!, s.serviceName!))!;
    const tr = this.newTrack(t, m, false);
    if (t.lastStatus !== 'RUNNING') {
      // Not started yet: start it the scheduler's way from here.
      this.at(this.time + this.sec(tr.behaviour.pendingSeconds ?? SCHEDULER_DEFAULTS.pendingSeconds), () => this.toRunning(tr));
      return;
    }
    const r = t.startedAt?.getTime() ?? this.time;
    this.startLogging(tr, r);
    this.runningTimeline(tr, s, r, true);
  }

  /** Starts one task of the PRIMARY deployment (PROVISIONING), on `containerInstance` for EC2. */
  private startTask(m: Managed, st: ClusterState, s: Service, dep: Deployment, containerInstance?: string): Task {
    const seed = `sched:${m.name}#${m.counter++}`;
    const t = addTaskToCluster(this.state, st, {
      service: m.name,
      deployment: (s.deployments ?? []).indexOf(dep),
      taskDefinition: dep.taskDefinition,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      createdAt: new Date(this.time),
      ...(containerInstance ? { containerInstance } : {}),
    }, seed);
    t.version = 1;
    delete t.connectivity;
    delete t.connectivityAt;
    t.healthStatus = 'UNKNOWN';
    for (const c of t.containers ?? []) c.healthStatus = 'UNKNOWN';
    const tr = this.newTrack(t, m, true);
    const b = tr.behaviour;
    const pendingAt = this.time + this.sec(b.provisioningSeconds ?? SCHEDULER_DEFAULTS.provisioningSeconds);
    this.at(pendingAt, () => {
      if (!this.live(tr)) return;
      t.lastStatus = 'PENDING';
      t.connectivity = 'CONNECTED';
      t.connectivityAt = new Date(this.time);
      t.pullStartedAt = new Date(this.time);
      t.version = (t.version ?? 1) + 1;
    });
    this.at(pendingAt + this.sec(b.pendingSeconds ?? SCHEDULER_DEFAULTS.pendingSeconds), () => this.toRunning(tr));
    return t;
  }

  private toRunning(tr: Track): void {
    const t = tr.task;
    if (!this.live(tr)) return;
    const m = this.managedOf(tr);
    const svc = m && this.service(m);
    if (!m || !svc) return;
    const now = new Date(this.time);
    if (tr.behaviour.failToStart) {
      t.stopCode = 'TaskFailedToStart';
      t.stoppedReason = tr.behaviour.failToStart;
      t.stoppingAt = now;
      for (const c of t.containers ?? []) c.reason = tr.behaviour.failToStart;
      stopNow(t, now);
      this.failed(tr);
      return;
    }
    t.lastStatus = 'RUNNING';
    t.startedAt = now;
    t.pullStoppedAt = now;
    t.version = (t.version ?? 1) + 1;
    const fargate = t.launchType === 'FARGATE';
    for (const a of t.attachments ?? []) if (a.type === 'ElasticNetworkInterface') a.status = 'ATTACHED';
    for (const c of t.containers ?? []) {
      c.lastStatus = 'RUNNING';
      c.runtimeId ??= fargate ? `${taskId(t)}-${digitsId(`rt:${t.taskArn}/${c.name}`, 10)}` : hexId(`docker:${t.taskArn}/${c.name}`, 64);
      c.imageDigest ??= `sha256:${hexId(`digest:${c.image}`, 64)}`;
      if (t.enableExecuteCommand && !c.managedAgents?.length) c.managedAgents = [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING', lastStartedAt: now }];
    }
    this.startLogging(tr);
    this.runningTimeline(tr, svc.s, this.time, false);
    this.dirty.add(key(m.cluster, m.name));
  }

  /**
   * The awslogs output of a task that just started: each awslogs container writes to
   * PREFIX/CONTAINER/TASK_ID in its group, on the simulator's clock, until the task stops.
   */
  private startLogging(tr: Track, from = this.time): void {
    const t = tr.task;
    const td = this.taskDefinition(t.taskDefinitionArn);
    const spec = tr.behaviour.logs;
    for (const d of td?.containerDefinitions ?? []) {
      const o = d.logConfiguration?.logDriver === 'awslogs' ? d.logConfiguration.options : undefined;
      const groupName = o?.['awslogs-group'];
      if (!groupName) continue;
      const groups = (this.state.logs.groups ??= []);
      let g = groups.find((x) => x.logGroupName === groupName);
      if (!g) {
        // Without its group, awslogs in non-blocking mode (ECS's default) runs the container and
        // drops its lines; awslogs-create-group "true" creates the group.
        if (o?.['awslogs-create-group'] !== 'true') continue;
        g = { logGroupName: groupName, creationTime: new Date(this.time), streams: [] };
        groups.push(g);
      }
      const name = `${o?.['awslogs-stream-prefix'] ?? 'ecs'}/${d.name}/${taskId(t)}`;
      // A task the scenario gave its own stream keeps it.
      if (g.streams?.some((x) => x.logStreamName === name)) continue;
      const port = d.portMappings?.[0]?.containerPort;
      const lines = spec?.lines?.length ? spec.lines : [`${d.name} started${port ? `, listening on :${port}` : ''}`, `GET /health 200 {n}ms`, `GET / 200`];
      const stream = {
        logStreamName: name,
        live: { everyMs: this.sec(spec?.everySeconds ?? 15), messages: lines, from: new Date(from) } as { everyMs: number; messages: string[]; from: Time; until?: Time },
      };
      (g.streams ??= []).push(stream);
      tr.logStreams.push(stream);
    }
  }

  /** A stopped task writes no more. */
  private endLogging(tr: Track): void {
    const at = tr.task.stoppedAt ?? tr.task.stoppingAt;
    if (!at) return;
    for (const s of tr.logStreams) if (s.live && s.live.until === undefined) s.live.until = at;
  }

  /**
   * What happens to a RUNNING task from `r` (its start) on: the essential containers' health
   * checks, the essential container's exit, and its load-balancer targets.
   */
  private runningTimeline(tr: Track, s: Service, r: number, adopted: boolean): void {
    const t = tr.task;
    const b = tr.behaviour;
    const td = this.taskDefinition(t.taskDefinitionArn);
    const defs = td?.containerDefinitions ?? [];
    const grace = (s.healthCheckGracePeriodSeconds ?? 0) * 1000 / this.speed;
    const graceUntil = r + grace;

    // Container health checks (HealthCheck: interval default 30, retries 3, startPeriod 0).
    const checked = defs.filter((d) => d.healthCheck);
    if (checked.length) {
      const hc = checked.find((d) => d.essential !== false)?.healthCheck ?? checked[0]!.healthCheck!;
      const interval = this.sec(hc.interval ?? 30);
      const retries = hc.retries ?? 3;
      const startPeriod = this.sec(hc.startPeriod ?? 0);
      const mode = b.containerHealth ?? 'healthy';
      const set = (status: 'HEALTHY' | 'UNHEALTHY', essentialOnly: boolean) => {
        if (!this.live(tr) || t.lastStatus !== 'RUNNING') return;
        for (const c of t.containers ?? []) {
          const d = defs.find((x) => x.name === c.name);
          if (!d?.healthCheck) continue;
          if (essentialOnly && d.essential === false) continue;
          c.healthStatus = status;
        }
        this.rollUpHealth(t);
        t.version = (t.version ?? 1) + 1;
        if (t.healthStatus === 'HEALTHY') {
          const m = this.managedOf(tr);
          if (m) m.consecutiveFailures = 0;
        }
        if (t.healthStatus === 'UNHEALTHY') this.whenGraceOver(tr, graceUntil, { kind: 'container' });
        this.dirty.add(key(tr.cluster, tr.service));
      };
      if (mode !== 'unhealthy') this.at(r + interval, () => set('HEALTHY', false));
      if (mode === 'unhealthy') this.at(r + startPeriod + interval * retries, () => set('UNHEALTHY', true));
      else if (typeof mode === 'object') this.at(r + Math.max(this.sec(mode.healthyForSeconds), interval) + interval * retries, () => set('UNHEALTHY', true));
    }

    // The essential container exits.
    if (b.exitAfterSeconds !== undefined) {
      this.at(r + this.sec(b.exitAfterSeconds), () => {
        if (!this.live(tr) || t.lastStatus !== 'RUNNING') return;
        const now = new Date(this.time);
        const essential = defs.find((d) => d.essential !== false);
        const c = t.containers?.find((x) => x.name === essential?.name);
        if (c) c.exitCode = b.exitCode ?? 1;
        t.stopCode = 'EssentialContainerExited';
        t.stoppedReason = 'Essential container in task exited';
        t.stoppingAt = now;
        stopNow(t, now);
        this.endLogging(tr);
        const svc = this.managedOf(tr) && this.service(this.managedOf(tr)!);
        if (svc) this.deregister(tr, svc.s, true);
        this.failed(tr);
      });
    }

    // Load balancers: register, first health checks, the outcome.
    for (const lb of s.loadBalancers ?? []) {
      const tg = this.targetGroup(lb.targetGroupArn);
      if (!tg) continue;
      const tgArn = lb.targetGroupArn!;
      const ip = t.attachments?.find((a) => a.type === 'ElasticNetworkInterface')?.details?.find((d) => d.name === 'privateIPv4Address')?.value;
      const ci = t.containerInstanceArn ? [...(this.state.ecs.clusters.get(tr.cluster)?.containerInstances.values() ?? [])].find((x) => x.containerInstanceArn === t.containerInstanceArn) : undefined;
      const id = ip ?? ci?.ec2InstanceId;
      if (!id) continue;
      const binding = t.containers?.find((c) => c.name === lb.containerName)?.networkBindings?.find((nb) => nb.containerPort === lb.containerPort);
      const port = ip ? (lb.containerPort ?? tg.port ?? 80) : (binding?.hostPort ?? lb.containerPort ?? 80);
      const target: TrackTarget = { tgArn, id, port };
      tr.targets.push(target);
      tr.elbHealthy = false;
      const hc = tg.healthCheck ?? {};
      const interval = this.sec(hc.intervalSeconds ?? 30);
      const healthyAfter = interval * (hc.healthyThresholdCount ?? 5);
      const unhealthyAfter = interval * (hc.unhealthyThresholdCount ?? 2);
      const existing = (tg.targets ?? []).find((x) => x.id === id);
      const mode = b.elbHealth ?? 'healthy';
      const setState = (state: string, reason?: string, description?: string) => {
        if (!this.live(tr)) return;
        const x = (tg.targets ??= []).find((y) => y.id === id);
        if (!x) return;
        x.state = state;
        if (reason) x.reason = reason;
        else delete x.reason;
        if (description) x.description = description;
        else delete x.description;
      };
      const healthyNow = () => {
        setState('healthy');
        tr.elbHealthy = tr.targets.every((tt) => (this.targetGroup(tt.tgArn)?.targets ?? []).find((y) => y.id === tt.id)?.state === 'healthy');
        if (tr.elbHealthy) {
          const m = this.managedOf(tr);
          if (m) m.consecutiveFailures = 0;
        }
        this.dirty.add(key(tr.cluster, tr.service));
      };
      const failNow = (how: 'timeout' | 'failed' | number) => {
        if (!this.live(tr)) return;
        const [reason, description] =
          how === 'timeout'
            ? ['Target.Timeout', 'Request timed out']
            : how === 'failed'
              ? ['Target.FailedHealthChecks', 'Health checks failed']
              : ['Target.ResponseCodeMismatch', `Health checks failed with these codes: [${how}]`];
        setState('unhealthy', reason, description);
        tr.elbHealthy = false;
        if (!tr.unhealthyReported) {
          tr.unhealthyReported = true;
          this.event(s, `(service ${s.serviceName}) (task ${taskId(t)}) (port ${port}) is unhealthy in (target-group ${tgArn}) due to (reason ${description}).`);
        }
        this.whenGraceOver(tr, graceUntil, { kind: 'elb', tgArn });
        this.dirty.add(key(tr.cluster, tr.service));
      };
      if (existing && adopted) {
        // Already registered by the scenario: keep what it says until the behaviour changes it.
        tr.elbHealthy = existing.state === 'healthy';
      } else {
        this.at(r, () => {
          if (!this.live(tr)) return;
          const list = (tg.targets ??= []);
          if (!list.some((y) => y.id === id)) list.push({ id, port, state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' });
          if (!adopted) this.event(s, `(service ${s.serviceName}) registered 1 targets in (target-group ${tgArn})`);
        });
        this.at(r + this.sec(SCHEDULER_DEFAULTS.registrationSeconds), () => setState('initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress'));
      }
      const checksFrom = r + this.sec(SCHEDULER_DEFAULTS.registrationSeconds);
      if (mode === 'healthy') {
        if (!(existing && adopted && existing.state === 'healthy')) this.at(checksFrom + healthyAfter, healthyNow);
      } else if (typeof mode === 'object') {
        if (!(existing && adopted && existing.state === 'healthy')) this.at(checksFrom + healthyAfter, healthyNow);
        this.at(Math.max(checksFrom + healthyAfter, r + this.sec(mode.healthyForSeconds)) + unhealthyAfter, () => failNow(mode.then));
      } else {
        this.at(checksFrom + unhealthyAfter, () => failNow(mode));
      }
    }
  }

  /** Marks the task for replacement once the service's grace period is over (and if it is still unhealthy then). */
  private whenGraceOver(tr: Track, graceUntil: number, why: NonNullable<Track['failing']>): void {
    const mark = () => {
      if (!this.live(tr) || tr.failing) return;
      const stillBad = why.kind === 'container' ? tr.task.healthStatus === 'UNHEALTHY' : !tr.elbHealthy;
      if (!stillBad) return;
      tr.failing = why;
      this.dirty.add(key(tr.cluster, tr.service));
    };
    if (this.time >= graceUntil) mark();
    else this.at(graceUntil, mark);
  }

  /** A task of the service failed (never started, exited, or failed health checks): counts toward the circuit breaker. */
  private failed(tr: Track): void {
    if (tr.counted) return;
    tr.counted = true;
    const m = this.managedOf(tr);
    const svc = m && this.service(m);
    if (!m || !svc) return;
    const { s } = svc;
    m.consecutiveFailures++;
    const dep = (s.deployments ?? []).find((d) => d.id === tr.task.startedBy);
    if (dep && dep.rolloutState === 'IN_PROGRESS') {
      dep.failedTasks = (dep.failedTasks ?? 0) + 1;
      dep.updatedAt = new Date(this.time);
      this.circuitBreaker(m, s, dep);
    }
    // ECS reports a service that keeps failing to start tasks (SERVICE_TASK_START_IMPAIRED); here:
    // on the third failure in a row, then every tenth.
    if (m.consecutiveFailures === 3 || (m.consecutiveFailures > 3 && (m.consecutiveFailures - 3) % 10 === 0)) {
      this.event(s, `(service ${s.serviceName}) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`);
    }
    this.dirty.add(key(m.cluster, m.name));
  }

  private circuitBreaker(m: Managed, s: Service, dep: Deployment): void {
    const cb = s.deploymentConfiguration?.deploymentCircuitBreaker;
    if (!cb?.enable || dep.status !== 'PRIMARY') return;
    if ((dep.failedTasks ?? 0) < circuitBreakerThreshold(s.desiredCount ?? 0)) return;
    const now = new Date(this.time);
    dep.rolloutState = 'FAILED';
    dep.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    dep.updatedAt = now;
    this.event(s, `(service ${s.serviceName}) (deployment ${dep.id}) deployment failed: tasks failed to start.`);
    if (!cb.rollback) return;
    const deps = s.deployments ?? [];
    const target = deps.find((d) => d !== dep && d.rolloutState === 'COMPLETED');
    if (!target) return;
    dep.status = 'ACTIVE';
    target.status = 'PRIMARY';
    target.rolloutState = 'IN_PROGRESS';
    target.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deployment ${target.id}.`;
    target.desiredCount = s.desiredCount;
    target.updatedAt = now;
    s.deployments = [target, ...deps.filter((d) => d !== target)];
    s.taskDefinition = target.taskDefinition;
    this.event(s, `(service ${s.serviceName}) rolling back to deployment ${target.id}.`);
    this.dirty.add(key(m.cluster, m.name));
  }

  /** Takes the task's targets out of their target groups (draining), with ECS's event. */
  private deregister(tr: Track, s: Service, immediate: boolean): number {
    const byTg = new Map<string, number>();
    for (const tt of tr.targets) {
      const tg = this.targetGroup(tt.tgArn);
      const x = tg?.targets?.find((y) => y.id === tt.id);
      if (!tg || !x) continue;
      x.state = 'draining';
      x.reason = 'Target.DeregistrationInProgress';
      x.description = 'Target deregistration is in progress';
      byTg.set(tt.tgArn, (byTg.get(tt.tgArn) ?? 0) + 1);
      const delay = immediate ? 0 : this.sec(tg.deregistrationDelaySeconds ?? SCHEDULER_DEFAULTS.deregistrationDelaySeconds);
      this.at(this.time + delay, () => {
        tg.targets = (tg.targets ?? []).filter((y) => y !== x);
      });
    }
    for (const [tgArn, n] of byTg) this.event(s, `(service ${s.serviceName}) deregistered ${n} targets in (target-group ${tgArn})`);
    tr.targets = [];
    tr.elbHealthy = false;
    return byTg.size;
  }

  /** The scheduler stops a task: SIGTERM after draining its targets; STOPPED a few seconds later. True when it drains targets. */
  private stopTask(tr: Track, s: Service, reason: string): boolean {
    const t = tr.task;
    const now = new Date(this.time);
    t.desiredStatus = 'STOPPED';
    t.stopCode = 'ServiceSchedulerInitiated';
    t.stoppedReason = reason;
    t.stoppingAt = now;
    t.version = (t.version ?? 1) + 1;
    const tgs = tr.targets.map((tt) => this.targetGroup(tt.tgArn)).filter((x): x is Tg => !!x);
    const hadTargets = this.deregister(tr, s, false) > 0;
    const drain = hadTargets ? Math.max(...tgs.map((tg) => this.sec(tg.deregistrationDelaySeconds ?? SCHEDULER_DEFAULTS.deregistrationDelaySeconds))) : 0;
    if (hadTargets) t.lastStatus = 'DEACTIVATING';
    else if (t.lastStatus === 'RUNNING') t.lastStatus = 'STOPPING';
    const stopAt = this.time + drain;
    if (hadTargets) {
      this.at(stopAt, () => {
        if (t.lastStatus !== 'STOPPED') t.lastStatus = 'STOPPING';
      });
    }
    this.at(stopAt + this.sec(SCHEDULER_DEFAULTS.stopSeconds), () => {
      stopNow(t, new Date(this.time));
      this.endLogging(tr);
    });
    return hadTargets;
  }

  // -------------------------------------------------------------------------------------------
  // Placement
  // -------------------------------------------------------------------------------------------

  private place(m: Managed, st: ClusterState, s: Service, td: TaskDefinition | undefined): { ok: true; containerInstance?: string } | { ok: false; text: string } {
    if (m.spec.placementFailure) return { ok: false, text: m.spec.placementFailure };
    const fargate = s.launchType === 'FARGATE' || (s.capacityProviderStrategy ?? []).some((c) => c.capacityProvider?.startsWith('FARGATE'));
    if (fargate) return { ok: true };
    const instances = [...st.containerInstances.entries()].filter(([, ci]) => ci.status === 'ACTIVE' && ci.agentConnected !== false);
    if (!instances.length) return { ok: false, text: 'Reason: No Container Instances were found in your cluster.' };
    const defs = td?.containerDefinitions ?? [];
    const needMem = Number(td?.memory ?? defs.reduce((a, d) => a + (d.memory ?? d.memoryReservation ?? 0), 0));
    const needCpu = Number(td?.cpu ?? defs.reduce((a, d) => a + (d.cpu ?? 0), 0));
    let closest: { id: string; lacks: string } | undefined;
    for (const [id, ci] of instances) {
      const reg = (name: string) => ci.registeredResources?.find((r) => r.name === name)?.integerValue ?? 0;
      let mem = 0;
      let cpu = 0;
      for (const t of st.tasks.values()) {
        if (t.containerInstanceArn !== ci.containerInstanceArn || t.lastStatus === 'STOPPED') continue;
        mem += Number(t.memory ?? 0);
        cpu += Number(t.cpu ?? 0);
      }
      const memOk = mem + needMem <= reg('MEMORY');
      const cpuOk = cpu + needCpu <= reg('CPU');
      if (memOk && cpuOk) return { ok: true, containerInstance: id };
      closest ??= { id, lacks: memOk ? 'CPU units' : 'memory' };
    }
    return { ok: false, text: `The closest matching (container-instance ${closest!.id}) has insufficient ${closest!.lacks} available.` };
  }

  // -------------------------------------------------------------------------------------------
  // Reconcile: the service scheduler's pass over one service
  // -------------------------------------------------------------------------------------------

  private reconcile(m: Managed): void {
    const svc = this.service(m);
    if (!svc) return;
    const { st, s } = svc;
    if (s.status !== 'ACTIVE') return;
    const group = `service:${m.name}`;
    const tasks = [...st.tasks.values()].filter((t) => t.group === group);
    // Tasks stopped by someone else (StopTask, an exit) leave their target groups and stop logging.
    for (const t of tasks) {
      const tr = this.tracks.get(t.taskArn!);
      if (tr && t.lastStatus === 'STOPPED') this.endLogging(tr);
      if (tr && tr.targets.length && t.desiredStatus === 'STOPPED' && t.stopCode !== 'ServiceSchedulerInitiated') this.deregister(tr, s, t.lastStatus === 'STOPPED');
    }
    for (const t of tasks) {
      if (t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED' && !this.tracks.has(t.taskArn!)) this.adoptTask(st, s, t);
    }
    const deps = s.deployments ?? [];
    const primary = deps.find((d) => d.status === 'PRIMARY');
    if (!primary) return;
    const desired = s.desiredCount ?? 0;
    const cfg = s.deploymentConfiguration ?? {};
    const maxTotal = Math.floor((desired * (cfg.maximumPercent ?? 200)) / 100);
    const minHealthy = Math.ceil((desired * (cfg.minimumHealthyPercent ?? 100)) / 100);

    const active = tasks.filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED');
    const failing = active.filter((t) => this.tracks.get(t.taskArn!)?.failing);
    const standing = active.filter((t) => !failing.includes(t));
    let prim = standing.filter((t) => t.startedBy === primary.id);
    const old = standing.filter((t) => t.startedBy !== primary.id);

    // Too many tasks of the PRIMARY deployment (desired count lowered): stop the newest.
    const stopped: Task[] = [];
    let draining = 0;
    if (prim.length > desired) {
      const extra = [...prim].sort((a, b) => Number(this.healthy(a)) - Number(this.healthy(b)) || b.createdAt!.getTime() - a.createdAt!.getTime()).slice(0, prim.length - desired);
      for (const t of extra) {
        if (this.stopTask(this.tracks.get(t.taskArn!) ?? this.newTrack(t, m, false), s, `Scaling activity initiated by (deployment ${primary.id})`)) draining++;
        stopped.push(t);
      }
      prim = prim.filter((t) => !extra.includes(t));
    }

    // Start what the PRIMARY deployment lacks, within maximumPercent.
    const started: Task[] = [];
    let unplaced: string | undefined;
    const want = desired - prim.length;
    if (want > 0 && primary.rolloutState !== 'FAILED') {
      const room = Math.max(0, maxTotal - (standing.length - stopped.length));
      const td = this.taskDefinition(primary.taskDefinition);
      for (let i = 0; i < Math.min(want, room); i++) {
        const where = this.place(m, st, s, td);
        if (!where.ok) {
          if (m.lastPlacementEventAt === undefined || this.time - m.lastPlacementEventAt >= this.sec(SCHEDULER_DEFAULTS.placementEventSeconds)) {
            m.lastPlacementEventAt = this.time;
            unplaced = `(service ${m.name}) was unable to place a task because no container instance met all of its requirements. ${where.text} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`;
          }
          if (!m.retryQueued) {
            m.retryQueued = true;
            this.at(this.time + this.sec(SCHEDULER_DEFAULTS.placementRetrySeconds), () => {
              m.retryQueued = false;
              this.dirty.add(key(m.cluster, m.name));
            });
          }
          break;
        }
        started.push(this.startTask(m, st, s, primary, where.containerInstance));
      }
      prim = [...prim, ...started];
    }
    if (started.length) {
      const replaced = failing.length ? ` Amazon ECS replaced ${failing.length} tasks due to an unhealthy status.` : '';
      this.event(s, `(service ${m.name}) has started ${started.length} tasks: ${started.map((t) => `(task ${taskId(t)})`).join(' ')}.${replaced}`);
    }
    if (unplaced) this.event(s, unplaced);

    // Replace the tasks that failed their health checks.
    for (const t of failing) {
      const tr = this.tracks.get(t.taskArn!)!;
      if (tr.failing!.kind === 'container') {
        this.event(s, `(service ${m.name}) (task ${taskId(t)}) failed container health checks.`);
        if (this.stopTask(tr, s, 'Task failed container health checks')) draining++;
      } else if (this.stopTask(tr, s, `Task failed ELB health checks in (target-group ${tr.failing!.tgArn})`)) draining++;
      stopped.push(t);
      this.failed(tr);
    }

    // Stop old deployments' tasks while minimumHealthyPercent allows: the unhealthy ones first.
    let canStop = [...prim, ...old].filter((t) => this.healthy(t)).length - minHealthy;
    const oldOrdered = [...old].sort((a, b) => Number(this.healthy(a)) - Number(this.healthy(b)));
    for (const t of oldOrdered) {
      const isHealthy = this.healthy(t);
      if (isHealthy && canStop <= 0) continue;
      if (isHealthy) canStop--;
      if (this.stopTask(this.tracks.get(t.taskArn!) ?? this.newTrack(t, m, false), s, `Scaling activity initiated by (deployment ${primary.id})`)) draining++;
      stopped.push(t);
    }
    if (draining) this.event(s, `(service ${m.name}) has begun draining connections on ${draining} tasks.`);
    const remainingOld = old.filter((t) => !stopped.includes(t));
    if (stopped.length) {
      this.event(s, `(service ${m.name}) has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${taskId(t)})`).join(' ')}.`);
    }

    // Rollout complete: every PRIMARY task healthy and nothing else left.
    const primHealthy = prim.length === desired && prim.every((t) => this.healthy(t));
    if (primary.rolloutState === 'IN_PROGRESS' && primHealthy && remainingOld.length === 0) {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
      primary.updatedAt = new Date(this.time);
      s.deployments = [primary];
      this.event(s, `(service ${m.name}) (deployment ${primary.id}) deployment completed.`);
    }
    const steady = primary.rolloutState === 'COMPLETED' && primHealthy && remainingOld.length === 0;
    if (steady && !m.steady) this.event(s, `(service ${m.name}) has reached a steady state.`);
    m.steady = steady;
  }
}
