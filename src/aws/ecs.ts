/**
 * The ECS data layer shared by the explorer, `ecs-doctor status` and the other features.
 *
 * - The fewest calls the API allows: every List* at maxResults 100 (ListServices too: its default
 *   is 10), every Describe* batched at its maximum (clusters 100, services 10, tasks 100).
 * - Streaming: names come from the ARNs of each List page (onNames) before any Describe call
 *   returns; each Describe batch is sent as soon as its page is in and reported as it returns
 *   (onItems), so a long list appears at the speed of its sequential pages and health fills in
 *   batch by batch.
 * - Paced per ECS throttle group (src/aws/pacer.ts), with retry and back-off on throttling,
 *   5xx, dropped connections and time-outs: a ThrottlingException never reaches the caller
 *   (if ECS keeps throttling past the retries, the error says so in words).
 * - Task definitions are cached by ARN (they never change), and concurrent asks share one call.
 * - Errors are per node: a Describe batch that fails is reported for its ARNs (onError) and the
 *   rest still loads; a List that fails rejects with an EcsError naming the cause.
 * - ECS Exec and the diagnosis call ECS here too (describeTask, executeCommand, updateService, ...),
 *   through the layer of the session they are given (ecsDataOf): one pacer per session.
 */
import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ExecuteCommandCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import type { Cluster, ContainerInstance, ExecuteCommandCommandInput, ExecuteCommandCommandOutput, Service, Task, TaskDefinition, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { classifyAwsError, type AwsErrorKind } from '../core/awsErrors';
import type { CallOptions, EcsSource, StreamHandlers, StreamResult, TaskFilter } from '../core/ecsSource';
import type { EcsCluster, EcsFailure, EcsService, EcsTask, EcsTaskDefinition } from '../core/ecsTypes';

export type { CallOptions, EcsSource, StreamHandlers, StreamResult, TaskFilter } from '../core/ecsSource';
import type { Logger } from '../core/logger';
import { silentLogger } from '../core/logger';
import { clusterNameOf } from '../core/arn';
import { setMaxListeners } from 'node:events';
import { AbortedError, Pacer, Priority, realClock, Semaphore, type Clock } from './pacer';
import type { AwsSession } from './session';

/** The part of an SDK client the data layer uses (an ECSClient, or a fake in tests). */
export interface EcsSender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** An ECS call that failed for good, with the cause in words (`message`) and its kind. */
export class EcsError extends Error {
  override name = 'EcsError';
  constructor(
    message: string,
    readonly kind: AwsErrorKind,
    readonly operation: string,
    /** The AWS error name (AccessDeniedException, ClusterNotFoundException, ...). */
    readonly code: string | undefined,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export interface EcsDataOptions {
  /** Shared pacer; one per (account, Region). Default: a new one with ECS's documented rates. */
  pacer?: Pacer;
  logger?: Logger;
  /** Requests in flight at once (default 24). */
  concurrency?: number;
  /** Per-attempt time-out in ms (default 10 s): a stalled call is abandoned and retried. */
  attemptTimeoutMs?: number;
  /** Attempts for throttled calls (default 10) and for 5xx / network / time-out (default 5). */
  throttleAttempts?: number;
  errorAttempts?: number;
  /** Back-off base in ms (default 100); doubled per attempt, capped at 3 s, with full jitter. */
  backoffBaseMs?: number;
  /** For messages: the profile and Region this layer talks to. */
  profile?: string;
  region?: string;
  /** Timers for attempt time-outs and back-off, and the default pacer's clock (default: the real clock; tests pass one they move by hand). */
  clock?: Clock;
}

/** Counters for tests and benchmarks. */
export interface EcsDataStats {
  calls: Record<string, number>;
  retries: number;
  throttled: number;
}

const DESCRIBE_MAX = { clusters: 100, services: 10, tasks: 100 } as const;
const PAGE = 100;
/** Describe calls one stream keeps in flight while it is still paging its List. */
const LISTING_DESCRIBES = 3;

export class EcsData implements EcsSource {
  readonly pacer: Pacer;
  private readonly logger: Logger;
  private readonly semaphore: Semaphore;
  private readonly taskDefs = new Map<string, Promise<EcsTaskDefinition>>();
  private readonly signals = new WeakSet<AbortSignal>();
  private readonly clock: Clock;
  readonly stats: EcsDataStats = { calls: {}, retries: 0, throttled: 0 };

  constructor(
    private readonly client: EcsSender,
    private readonly options: EcsDataOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.pacer = options.pacer ?? new Pacer({}, this.clock);
    this.logger = options.logger ?? silentLogger;
    this.semaphore = new Semaphore(options.concurrency ?? 24);
  }

  // ---------------------------------------------------------------------------------------------
  // Streamed reads: list, then describe each page as it arrives
  // ---------------------------------------------------------------------------------------------

  /** Every cluster of the account in this Region. */
  clusters(handlers: StreamHandlers<EcsCluster> = {}, opts: CallOptions = {}): Promise<StreamResult<EcsCluster>> {
    return this.stream<EcsCluster>(
      'ListClusters',
      (nextToken) => new ListClustersCommand({ maxResults: PAGE, nextToken }),
      (out) => (out as { clusterArns?: string[] }).clusterArns ?? [],
      (arns) => this.describeClustersBatch(arns, opts),
      DESCRIBE_MAX.clusters,
      handlers,
      opts,
    );
  }

  /** Every service of a cluster (name or ARN). */
  services(cluster: string, handlers: StreamHandlers<EcsService> = {}, opts: CallOptions = {}): Promise<StreamResult<EcsService>> {
    return this.stream<EcsService>(
      'ListServices',
      (nextToken) => new ListServicesCommand({ cluster, maxResults: PAGE, nextToken }),
      (out) => (out as { serviceArns?: string[] }).serviceArns ?? [],
      (arns) => this.describeServicesBatch(cluster, arns, opts),
      DESCRIBE_MAX.services,
      handlers,
      opts,
    );
  }

  /**
   * Tasks of a cluster, optionally of one service, RUNNING (default) or STOPPED. desiredStatus is
   * always sent: a thin endpoint (moto, LocalStack) lists tasks of every status without it.
   */
  tasks(cluster: string, filter: TaskFilter = {}, handlers: StreamHandlers<EcsTask> = {}, opts: CallOptions = {}): Promise<StreamResult<EcsTask>> {
    return this.stream<EcsTask>(
      'ListTasks',
      (nextToken) =>
        new ListTasksCommand({
          cluster,
          maxResults: PAGE,
          nextToken,
          ...(filter.serviceName ? { serviceName: filter.serviceName } : {}),
          desiredStatus: filter.desiredStatus ?? 'RUNNING',
          ...(filter.family ? { family: filter.family } : {}),
          ...(filter.startedBy ? { startedBy: filter.startedBy } : {}),
        }),
      (out) => (out as { taskArns?: string[] }).taskArns ?? [],
      (arns) => this.describeTasksBatch(cluster, arns, opts),
      DESCRIBE_MAX.tasks,
      handlers,
      opts,
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Describe by ARN (batched at the maximum, in parallel)
  // ---------------------------------------------------------------------------------------------

  describeClusters(arns: string[], handlers: StreamHandlers<EcsCluster> = {}, opts: CallOptions = {}): Promise<StreamResult<EcsCluster>> {
    return this.describeAll(arns, DESCRIBE_MAX.clusters, (b) => this.describeClustersBatch(b, opts), handlers);
  }

  describeServices(cluster: string, arns: string[], handlers: StreamHandlers<EcsService> = {}, opts: CallOptions = {}): Promise<StreamResult<EcsService>> {
    return this.describeAll(arns, DESCRIBE_MAX.services, (b) => this.describeServicesBatch(cluster, b, opts), handlers);
  }

  describeTasks(cluster: string, arns: string[], handlers: StreamHandlers<EcsTask> = {}, opts: CallOptions = {}): Promise<StreamResult<EcsTask>> {
    return this.describeAll(arns, DESCRIBE_MAX.tasks, (b) => this.describeTasksBatch(cluster, b, opts), handlers);
  }

  /** A task definition by ARN (or family:revision), cached: they never change. */
  taskDefinition(arn: string, opts: CallOptions = {}): Promise<EcsTaskDefinition> {
    let p = this.taskDefs.get(arn);
    if (!p) {
      p = this.call<{ taskDefinition?: EcsTaskDefinition }>(
        'DescribeTaskDefinition',
        new DescribeTaskDefinitionCommand({ taskDefinition: arn }),
        Priority.lookup,
        opts.signal,
      ).then((out) => {
        if (!out.taskDefinition) throw new EcsError(`Task definition ${arn} was not returned`, 'not-found', 'DescribeTaskDefinition', undefined);
        return out.taskDefinition;
      });
      this.taskDefs.set(arn, p);
      p.catch(() => this.taskDefs.delete(arn));
    }
    return p;
  }

  /** The cached task definition, if it has been read. */
  cachedTaskDefinition(arn: string): Promise<EcsTaskDefinition> | undefined {
    return this.taskDefs.get(arn);
  }

  // ---------------------------------------------------------------------------------------------
  // One thing read or changed, for the Exec preflight and the diagnosis. Paced and retried like
  // every call, but once the retries are spent these throw the service's own error
  // (ClusterNotFoundException, AccessDeniedException, ...), not an EcsError: their callers judge
  // the error by its name and put it in words with their own context.
  // ---------------------------------------------------------------------------------------------

  /** DescribeTasks for one task (cluster-resource read): the task, or what ECS said instead (MISSING). */
  async describeTask(cluster: string, task: string, opts: CallOptions = {}): Promise<{ task?: Task; failure?: EcsFailure }> {
    const out = await this.rawCall<{ tasks?: Task[]; failures?: EcsFailure[] }>('DescribeTasks', new DescribeTasksCommand({ cluster, tasks: [task] }), opts);
    return { task: this.ofCluster(cluster, out.tasks ?? [])[0], failure: out.failures?.[0] };
  }

  /** DescribeTasks for many tasks (cluster-resource read), 100 a call, in the ARNs' order. */
  async describeTaskList(cluster: string, arns: readonly string[], opts: CallOptions = {}): Promise<Task[]> {
    const batches: Array<Promise<Task[]>> = [];
    for (let i = 0; i < arns.length; i += DESCRIBE_MAX.tasks) {
      const tasks = arns.slice(i, i + DESCRIBE_MAX.tasks);
      batches.push(this.rawCall<{ tasks?: Task[] }>('DescribeTasks', new DescribeTasksCommand({ cluster, tasks }), opts, Priority.describe).then((out) => this.ofCluster(cluster, out.tasks ?? [])));
    }
    return (await Promise.all(batches)).flat();
  }

  /** ListTasks page by page (cluster-resource read), RUNNING unless asked; stops after the page that reaches `max`. */
  async listTaskArns(cluster: string, filter: TaskFilter = {}, opts: CallOptions & { max?: number } = {}): Promise<string[]> {
    return this.listArns(
      'ListTasks',
      (nextToken) => new ListTasksCommand({ cluster, maxResults: PAGE, ...filter, desiredStatus: filter.desiredStatus ?? 'RUNNING', ...(nextToken ? { nextToken } : {}) }),
      (out) => (out as { taskArns?: string[] }).taskArns ?? [],
      opts,
    );
  }

  /** Every cluster ARN of the account in this Region, without describing them (cluster read). */
  listClusterArns(opts: CallOptions = {}): Promise<string[]> {
    return this.listArns('ListClusters', (nextToken) => new ListClustersCommand({ maxResults: PAGE, ...(nextToken ? { nextToken } : {}) }), (out) => (out as { clusterArns?: string[] }).clusterArns ?? [], opts);
  }

  /** DescribeClusters for one cluster with its configuration (ECS Exec's KMS key and logging) (cluster read). */
  async describeClusterConfiguration(cluster: string, opts: CallOptions = {}): Promise<{ cluster?: Cluster; failure?: EcsFailure }> {
    const out = await this.rawCall<{ clusters?: Cluster[]; failures?: EcsFailure[] }>('DescribeClusters', new DescribeClustersCommand({ clusters: [cluster], include: ['CONFIGURATIONS'] }), opts);
    return { cluster: out.clusters?.[0], failure: out.failures?.[0] };
  }

  /** DescribeServices for one service (service read); undefined when ECS does not return it. */
  async describeService(cluster: string, service: string, opts: CallOptions = {}): Promise<Service | undefined> {
    const out = await this.rawCall<{ services?: Service[] }>('DescribeServices', new DescribeServicesCommand({ cluster, services: [service] }), opts);
    return out.services?.[0];
  }

  /** DescribeContainerInstances for one instance (cluster-resource read). */
  async describeContainerInstance(cluster: string, containerInstance: string, opts: CallOptions = {}): Promise<{ containerInstance?: ContainerInstance; failure?: EcsFailure }> {
    const out = await this.rawCall<{ containerInstances?: ContainerInstance[]; failures?: EcsFailure[] }>(
      'DescribeContainerInstances',
      new DescribeContainerInstancesCommand({ cluster, containerInstances: [containerInstance] }),
      opts,
    );
    return { containerInstance: out.containerInstances?.[0], failure: out.failures?.[0] };
  }

  /**
   * DescribeTaskDefinition (task-definition read), not cached: unlike taskDefinition(), the answer
   * also says whether the caller may read it now. Undefined when ECS answers without one.
   */
  async describeTaskDefinition(taskDefinition: string, opts: CallOptions = {}): Promise<TaskDefinition | undefined> {
    const out = await this.rawCall<{ taskDefinition?: TaskDefinition }>('DescribeTaskDefinition', new DescribeTaskDefinitionCommand({ taskDefinition }), opts);
    return out.taskDefinition;
  }

  /** ExecuteCommand (cluster-resource modify). The answer holds the session token: never log it. */
  executeCommand(input: ExecuteCommandCommandInput, opts: CallOptions = {}): Promise<ExecuteCommandCommandOutput> {
    return this.rawCall<ExecuteCommandCommandOutput>('ExecuteCommand', new ExecuteCommandCommand(input), opts);
  }

  /** UpdateService (service modify): the service as updated. */
  async updateService(input: UpdateServiceCommandInput, opts: CallOptions = {}): Promise<Service | undefined> {
    const out = await this.rawCall<{ service?: Service }>('UpdateService', new UpdateServiceCommand(input), opts);
    return out.service;
  }

  /** A List* paged to the end, or until `max` ARNs are in (whole pages), throwing the service's own error. */
  private async listArns(operation: string, page: (nextToken: string | undefined) => unknown, arnsOf: (out: unknown) => string[], opts: CallOptions & { max?: number }): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.rawCall<{ nextToken?: string }>(operation, page(nextToken), opts, Priority.list);
      arns.push(...arnsOf(out));
      nextToken = out.nextToken || undefined;
    } while (nextToken && arns.length < (opts.max ?? Infinity));
    return arns;
  }

  /** call(), throwing the service's error the EcsError carries (see the block comment above). */
  private async rawCall<O>(operation: string, command: unknown, opts: CallOptions, priority: number = Priority.lookup): Promise<O> {
    try {
      return await this.call<O>(operation, command, priority, opts.signal);
    } catch (err) {
      throw err instanceof EcsError && err.cause !== undefined ? err.cause : err;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Internals
  // ---------------------------------------------------------------------------------------------

  private async stream<T>(
    listOperation: string,
    page: (nextToken: string | undefined) => unknown,
    arnsOf: (out: unknown) => string[],
    describe: (arns: string[]) => Promise<{ items: T[]; failures: EcsFailure[] }>,
    batchSize: number,
    handlers: StreamHandlers<T>,
    opts: CallOptions,
  ): Promise<StreamResult<T>> {
    const result: StreamResult<T> = { arns: [], items: [], failures: [], errors: [] };
    const pending: Promise<void>[] = [];
    // Keep a few tokens for our next page while the Describe batches drain the bucket, and keep
    // only a few Describe calls in flight while paging, so the sequential pages never wait for
    // the CPU either. The bucket keeps filling meanwhile; the rest go out when the last page is in.
    const release = this.pacer.forOperation(listOperation).hold();
    const gate = new Semaphore(LISTING_DESCRIBES);
    try {
      const list = (token: string | undefined) => this.call<{ nextToken?: string }>(listOperation, page(token), Priority.list, opts.signal);
      let next: Promise<{ nextToken?: string }> | undefined = list(undefined);
      let pages = 0;
      while (next) {
        const out: { nextToken?: string } = await next;
        pages++;
        // Ask for the next page first: the pages are the sequential part, everything else overlaps them.
        const token = out.nextToken || undefined;
        if (token && opts.maxPages !== undefined && pages >= opts.maxPages) result.truncated = true;
        next = token && !result.truncated ? list(token) : undefined;
        // A failed later page must not leave this one's promise unobserved.
        next?.catch(() => undefined);
        const arns = arnsOf(out);
        result.arns.push(...arns);
        if (arns.length) handlers.onNames?.(arns);
        for (let i = 0; i < arns.length; i += batchSize) {
          const batch = arns.slice(i, i + batchSize);
          pending.push(gate.run(() => this.describeInto(batch, describe, handlers, result)));
        }
      }
      gate.setLimit(Number.MAX_SAFE_INTEGER);
      handlers.onListed?.(result.arns);
    } catch (err) {
      release();
      gate.setLimit(Number.MAX_SAFE_INTEGER);
      await Promise.all(pending); // they never reject; do not leave them running unobserved
      throw err;
    }
    release();
    await Promise.all(pending);
    return result;
  }

  private async describeAll<T>(
    arns: string[],
    batchSize: number,
    describe: (arns: string[]) => Promise<{ items: T[]; failures: EcsFailure[] }>,
    handlers: StreamHandlers<T>,
  ): Promise<StreamResult<T>> {
    const result: StreamResult<T> = { arns: [...arns], items: [], failures: [], errors: [] };
    const unique = [...new Set(arns)];
    const pending: Promise<void>[] = [];
    for (let i = 0; i < unique.length; i += batchSize) pending.push(this.describeInto(unique.slice(i, i + batchSize), describe, handlers, result));
    await Promise.all(pending);
    return result;
  }

  /** One Describe batch; never rejects: errors go to onError and the result. */
  private async describeInto<T>(
    arns: string[],
    describe: (arns: string[]) => Promise<{ items: T[]; failures: EcsFailure[] }>,
    handlers: StreamHandlers<T>,
    result: StreamResult<T>,
  ): Promise<void> {
    try {
      const { items, failures } = await describe(arns);
      result.items.push(...items);
      result.failures.push(...failures);
      if (items.length) handlers.onItems?.(items);
      if (failures.length) handlers.onFailures?.(failures);
    } catch (err) {
      const error = this.toEcsError(err, 'Describe');
      result.errors.push({ error, arns });
      try {
        handlers.onError?.(error, arns);
      } catch (handlerErr) {
        this.logger.warn(`ECS: an onError handler threw: ${String(handlerErr)}`);
      }
    }
  }

  private async describeClustersBatch(arns: string[], opts: CallOptions) {
    const out = await this.call<{ clusters?: EcsCluster[]; failures?: EcsFailure[] }>(
      'DescribeClusters',
      new DescribeClustersCommand({ clusters: arns }),
      Priority.describe,
      opts.signal,
    );
    return { items: out.clusters ?? [], failures: out.failures ?? [] };
  }

  private async describeServicesBatch(cluster: string, arns: string[], opts: CallOptions) {
    const out = await this.call<{ services?: EcsService[]; failures?: EcsFailure[] }>(
      'DescribeServices',
      new DescribeServicesCommand({ cluster, services: arns }),
      Priority.describe,
      opts.signal,
    );
    return { items: out.services ?? [], failures: out.failures ?? [] };
  }

  private async describeTasksBatch(cluster: string, arns: string[], opts: CallOptions) {
    const out = await this.call<{ tasks?: EcsTask[]; failures?: EcsFailure[] }>(
      'DescribeTasks',
      new DescribeTasksCommand({ cluster, tasks: arns }),
      Priority.describe,
      opts.signal,
    );
    return { items: this.ofCluster(cluster, out.tasks ?? []), failures: out.failures ?? [] };
  }

  /**
   * The tasks that belong to the cluster asked for. A thin endpoint (moto, LocalStack) may list
   * and describe tasks of another cluster whose name starts with this one's; a task whose
   * clusterArn names another cluster is dropped and logged. A task without clusterArn is kept.
   */
  private ofCluster<T extends { clusterArn?: string; taskArn?: string }>(cluster: string, tasks: T[]): T[] {
    const wanted = clusterNameOf(cluster);
    const whole = cluster.startsWith('arn:') ? cluster : undefined;
    return tasks.filter((t) => {
      if (!t.clusterArn) return true;
      const same = whole && t.clusterArn.startsWith('arn:') ? t.clusterArn === whole : clusterNameOf(t.clusterArn) === wanted;
      if (!same) this.logger.warn(`ECS DescribeTasks: dropped ${t.taskArn ?? 'a task'} of ${t.clusterArn}, not of the cluster asked for (${cluster})`);
      return same;
    });
  }

  /** One paced ECS call, retried with back-off on throttling, 5xx, dropped connections and time-outs. */
  async call<O>(operation: string, command: unknown, priority: number, signal?: AbortSignal): Promise<O> {
    const bucket = this.pacer.forOperation(operation);
    // One signal (a refresh, a view) is shared by hundreds of calls in flight.
    if (signal && !this.signals.has(signal)) {
      this.signals.add(signal);
      setMaxListeners(0, signal);
    }
    const throttleAttempts = this.options.throttleAttempts ?? 10;
    const errorAttempts = this.options.errorAttempts ?? 5;
    let throttles = 0;
    let errors = 0;
    for (;;) {
      await bucket.take(priority, signal);
      this.stats.calls[operation] = (this.stats.calls[operation] ?? 0) + 1;
      try {
        return (await this.semaphore.run(() => this.sendOnce(command, signal))) as O;
      } catch (err) {
        if (signal?.aborted) throw new AbortedError();
        const c = classifyAwsError(err, { profile: this.options.profile, region: this.options.region });
        if (c.kind === 'throttled') {
          this.stats.throttled++;
          bucket.empty();
          throttles++;
        } else if (c.retryable) {
          errors++;
        }
        const exhausted = c.kind === 'throttled' ? throttles >= throttleAttempts : errors >= errorAttempts;
        if (!c.retryable || exhausted) throw this.toEcsError(err, operation);
        this.stats.retries++;
        const attempt = c.kind === 'throttled' ? throttles : errors;
        const delay = backoff(attempt, this.options.backoffBaseMs ?? 100);
        this.logger.debug(`ECS ${operation}: ${c.kind}, retry ${attempt} in ${delay} ms`);
        await sleep(this.clock, delay, signal);
      }
    }
  }

  /** Sends once, abandoning the attempt after attemptTimeoutMs. */
  private async sendOnce(command: unknown, signal?: AbortSignal): Promise<unknown> {
    const timeoutMs = this.options.attemptTimeoutMs ?? 10_000;
    const attempt = new AbortController();
    const onAbort = () => attempt.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = this.clock.setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, timeoutMs);
    try {
      return await this.client.send(command, { abortSignal: attempt.signal });
    } catch (err) {
      if (timedOut) {
        const e = new Error(`No answer within ${Math.round(timeoutMs / 1000)} s`);
        e.name = 'TimeoutError';
        throw e;
      }
      throw err;
    } finally {
      this.clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private toEcsError(err: unknown, operation: string): EcsError {
    if (err instanceof EcsError) return err;
    // An API operation ("ListTasks") names the call in a non-AWS answer's message.
    const api = /^[A-Z][a-z]+[A-Z]\w*$/.test(operation) ? { operation: `ecs:${operation}` } : {};
    const c = classifyAwsError(err, { profile: this.options.profile, region: this.options.region, ...api });
    const code = (err as { name?: string })?.name;
    return new EcsError(c.message, c.kind, operation, code, err);
  }
}

function backoff(attempt: number, baseMs: number): number {
  const cap = Math.min(3000, baseMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const t = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(t);
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const perSession = new WeakMap<AwsSession, EcsData>();

/**
 * The data layer of a session, memoised: everything that reads ECS through one session shares
 * one pacer and one task-definition cache. Its ECS client has the SDK's own retries off (the
 * layer paces and retries itself, so a retry waits for a token like any call).
 */
export function ecsDataFor(session: AwsSession, options: Omit<EcsDataOptions, 'profile'> = {}): EcsData {
  let d = perSession.get(session);
  if (!d) {
    d = new EcsData(session.client(ECSClient, { maxAttempts: 1 }), { profile: session.profile, ...options });
    perSession.set(session, d);
  }
  return d;
}

/**
 * The data layer of a session for a command (ECS Exec, the diagnosis), made with the options the
 * explorer and `ecs-doctor status` give it (the session's logger; its Region, for messages), so
 * whichever asks first, every feature of a session shares one layer, configured the same way.
 */
export async function ecsDataOf(session: AwsSession): Promise<EcsData> {
  const region = await session.region().catch(() => undefined);
  return ecsDataFor(session, region ? { logger: session.logger, region } : { logger: session.logger });
}
