/**
 * The explorer's tree state, without VS Code: clusters -> services -> tasks -> containers, the
 * stopped and events groups, standalone tasks, placeholders and error nodes, driven by an
 * EcsSource (src/aws/ecs.ts in the product, the simulator in tests and benchmarks).
 *
 * - `children(node)` returns what is known now and starts loading an idle node;
 *   `await expand(node)` loads it and settles when every child has its details;
 *   `await whenListed(node)` settles as soon as every child's NAME is in (List pages done).
 * - `onDidChange(listener)` is called once per changed node (the node whose presentation or
 *   children changed; the root for the top level). Nodes are mutated in place and keep their
 *   ids, so the editor keeps expansion state across refreshes.
 * - `refresh()` re-reads every loaded node through a single-flight RefreshScheduler (see
 *   src/core/refresh.ts): coalesced, never overlapping, every waiter answered. It fires only
 *   nodes whose presentation changed, adds new children and removes vanished ones.
 * - A List that fails becomes an error child naming the cause; a Describe batch that fails marks
 *   its nodes with the error; the rest of the tree keeps working.
 */
import { classifyAwsError } from '../awsErrors';
import { nameFromArn, timeOf, type EcsCluster, type EcsService, type EcsTask } from '../ecsTypes';
import { serviceHealth } from '../health';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { RefreshScheduler } from '../refresh';
import type { ModelContext } from './context';
import { applyTask, derivedChildren, knownTaskHealth, makeEventsGroup, makeTask, syncEvents, updateClusterHealth, updateServiceHealth } from './details';
import { loadList } from './listLoad';
import type {
  ClusterNode,
  EventsGroupNode,
  ExplorerNode,
  HeaderNode,
  LoadableNode,
  RegionNode,
  RootNode,
  Scope,
  ServiceNode,
  StandaloneGroupNode,
  StoppedGroupNode,
  TaskNode,
} from './nodes';
import { isLoadable } from './nodes';
import { present } from './present';

export * from './nodes';
export { present } from './present';

export interface ExplorerModelOptions {
  scopes: Scope[];
  /** Shown in the header row. */
  profile?: string | undefined;
  endpoint?: string | undefined;
  /** Show the profile/Region header row first (default true). */
  showHeader?: boolean;
  /** Newest service events shown per service (default 25). */
  maxEvents?: number;
  logger?: Logger;
}

type Listener = (node: ExplorerNode) => void;

/** Internal per-load bookkeeping. */
interface Running {
  promise: Promise<void>;
  listed: Promise<void>;
}

export class ExplorerModel {
  readonly root: RootNode;
  private readonly header: HeaderNode | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly running = new Map<ExplorerNode, Running>();
  private readonly sigs = new WeakMap<ExplorerNode, string>();
  private readonly abort = new AbortController();
  private readonly scheduler: RefreshScheduler<void>;
  private readonly logger: Logger;
  /** What the loaders and detail helpers see of this model. */
  private readonly ctx: ModelContext;
  private disposed = false;

  constructor(private readonly options: ExplorerModelOptions) {
    this.logger = options.logger ?? silentLogger;
    this.root = { kind: 'root', id: 'root', parent: undefined, scope: options.scopes.length === 1 ? options.scopes[0] : undefined, state: 'idle' };
    if (options.showHeader !== false) {
      this.header = {
        kind: 'header',
        id: 'header',
        parent: this.root,
        scope: undefined,
        state: 'loaded',
        profile: options.profile,
        regions: options.scopes.map((s) => s.region),
        endpoint: options.endpoint,
      };
    }
    const isDisposed = () => this.disposed;
    this.ctx = {
      get scopes() {
        return options.scopes;
      },
      header: this.header,
      get maxEvents() {
        return options.maxEvents ?? 25;
      },
      logger: this.logger,
      get disposed() {
        return isDisposed();
      },
      fire: (node, structural) => this.fire(node, structural),
    };
    this.scheduler = new RefreshScheduler((signal) => this.refreshAll(signal), {
      onError: (err) => this.logger.warn(`Explorer refresh failed: ${classifyAwsError(err).message}`),
    });
  }

  get scopes(): readonly Scope[] {
    return this.options.scopes;
  }

  /** Listens for changed nodes; returns the unsubscribe function. */
  onDidChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The children known now; an idle loadable node starts loading (answers arrive as change events). */
  children(node: ExplorerNode = this.root): ExplorerNode[] {
    if (isLoadable(node) && node.state === 'idle') void this.expand(node).catch(() => undefined);
    if (node.children) return node.children;
    return derivedChildren(this.ctx, node);
  }

  /** Loads a node's children (once) and settles when all of them have their details. */
  expand(node: ExplorerNode = this.root): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (!isLoadable(node)) {
      derivedChildren(this.ctx, node);
      return Promise.resolve();
    }
    const r = this.running.get(node);
    if (r) return r.promise;
    if (node.state !== 'idle') return Promise.resolve();
    return this.load(node, false).promise;
  }

  /** Settles when every child NAME of the node is in (its List pages are done). */
  whenListed(node: ExplorerNode = this.root): Promise<void> {
    const r = this.running.get(node);
    if (r) return r.listed;
    if (isLoadable(node) && node.state === 'idle') return this.load(node, false).listed;
    return Promise.resolve();
  }

  /** Re-reads every loaded node (single-flight: concurrent calls coalesce into at most one more run). */
  refresh(): Promise<void> {
    return this.scheduler.trigger();
  }

  /** Re-reads one node's subtree now. */
  async reload(node: ExplorerNode): Promise<void> {
    const target = isLoadable(node) ? node : this.loadableAncestor(node);
    if (!target) return;
    await this.running.get(target)?.promise.catch(() => undefined);
    await this.reloadTree(target, this.abort.signal);
  }

  /** The node with this id among the loaded ones. */
  findById(id: string): ExplorerNode | undefined {
    const walk = (n: ExplorerNode): ExplorerNode | undefined => {
      if (n.id === id) return n;
      for (const c of n.children ?? []) {
        const f = walk(c);
        if (f) return f;
      }
      return undefined;
    };
    return walk(this.root);
  }

  /** Every node of a kind among the loaded ones. */
  all<K extends ExplorerNode['kind']>(kind: K): Extract<ExplorerNode, { kind: K }>[] {
    const out: ExplorerNode[] = [];
    const walk = (n: ExplorerNode) => {
      if (n.kind === kind) out.push(n);
      for (const c of n.children ?? []) walk(c);
    };
    walk(this.root);
    return out as Extract<ExplorerNode, { kind: K }>[];
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.scheduler.dispose();
    this.abort.abort();
    this.listeners.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // Loading
  // ---------------------------------------------------------------------------------------------

  private load(node: LoadableNode, refresh: boolean): Running {
    let listedResolve!: () => void;
    const listed = new Promise<void>((r) => (listedResolve = r));
    const promise = this.loadNode(node, refresh, listedResolve, this.abort.signal)
      .catch((err: unknown) => this.logger.warn(`Explorer: loading ${node.id} failed: ${classifyAwsError(err).message}`))
      .finally(() => {
        listedResolve();
        if (this.running.get(node)?.promise === promise) this.running.delete(node);
      });
    const r = { promise, listed };
    this.running.set(node, r);
    return r;
  }

  private async loadNode(node: LoadableNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
    switch (node.kind) {
      case 'root': {
        const scopes = this.options.scopes;
        if (scopes.length === 1) return this.loadClusters(node, scopes[0]!, refresh, listed, signal);
        // One Region group per scope; each loads its clusters when expanded.
        const existing = new Map((node.children ?? []).map((c) => [c.id, c]));
        const regions: RegionNode[] = scopes.map(
          (s) => (existing.get(`region|${s.id}`) as RegionNode | undefined) ?? { kind: 'region', id: `region|${s.id}`, parent: node, scope: s, state: 'idle', region: s.region },
        );
        node.children = [...(this.header ? [this.header] : []), ...regions];
        node.state = 'loaded';
        listed();
        this.fire(node, true);
        return;
      }
      case 'region':
        return this.loadClusters(node, node.scope!, refresh, listed, signal);
      case 'cluster':
        return this.loadServices(node, refresh, listed, signal);
      case 'service':
        return this.loadServiceTasks(node, refresh, listed, signal);
      case 'standaloneGroup':
        return this.loadStandalone(node, refresh, listed, signal);
      case 'stoppedGroup':
        return this.loadStopped(node, refresh, listed, signal);
    }
  }

  private loadClusters(owner: RootNode | RegionNode, scope: Scope, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
    const prefix = owner.kind === 'root' && this.header ? [this.header] : [];
    return loadList<EcsCluster, ClusterNode>(this.ctx, owner, refresh, listed, {
      what: `clusters in ${scope.region}`,
      empty: `No clusters in ${scope.region}`,
      prefix,
      suffix: [],
      isItem: (n): n is ClusterNode => n.kind === 'cluster',
      arnOf: (n) => n.clusterArn,
      itemArn: (c) => c.clusterArn,
      make: (arn) => ({ kind: 'cluster', id: `${scope.id}|cluster|${arn}`, parent: owner, scope, state: 'idle', region: scope.region, clusterArn: arn, clusterName: nameFromArn(arn) }),
      showBeforeDetails: true,
      apply: (n, c) => {
        n.cluster = c;
        if (c.clusterName) n.clusterName = c.clusterName;
      },
      sort: (a, b) => cmp(a.clusterName, b.clusterName),
      run: (h) => scope.source.clusters(h, { signal }),
    });
  }

  private loadServices(cluster: ClusterNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
    const scope = cluster.scope!;
    const standalone = (cluster.children?.find((c) => c.kind === 'standaloneGroup') as StandaloneGroupNode | undefined) ?? {
      kind: 'standaloneGroup' as const,
      id: `${cluster.id}|standalone`,
      parent: cluster,
      scope,
      state: 'idle' as const,
      region: cluster.region,
      clusterArn: cluster.clusterArn,
    };
    return loadList<EcsService, ServiceNode>(this.ctx, cluster, refresh, listed, {
      what: `services of ${cluster.clusterName}`,
      empty: 'No services',
      prefix: [],
      suffix: [standalone],
      isItem: (n): n is ServiceNode => n.kind === 'service',
      arnOf: (n) => n.serviceArn,
      itemArn: (s) => s.serviceArn,
      make: (arn) => ({
        kind: 'service',
        id: `${cluster.id}|service|${arn}`,
        parent: cluster,
        scope,
        state: 'idle',
        region: cluster.region,
        clusterArn: cluster.clusterArn,
        serviceArn: arn,
        serviceName: nameFromArn(arn),
      }),
      showBeforeDetails: true,
      apply: (n, s) => {
        n.service = s;
        if (s.serviceName) n.serviceName = s.serviceName;
        n.health = serviceHealth(s, knownTaskHealth(n));
        syncEvents(this.ctx, n);
      },
      sort: (a, b) => cmp(a.serviceName, b.serviceName),
      run: (h) => scope.source.services(cluster.clusterArn, h, { signal }),
      afterBatch: () => updateClusterHealth(this.ctx, cluster),
    }).then(() => updateClusterHealth(this.ctx, cluster));
  }

  private loadServiceTasks(service: ServiceNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
    const scope = service.scope!;
    const events = (service.children?.find((c) => c.kind === 'eventsGroup') as EventsGroupNode | undefined) ?? makeEventsGroup(service);
    const stopped = (service.children?.find((c) => c.kind === 'stoppedGroup') as StoppedGroupNode | undefined) ?? {
      kind: 'stoppedGroup' as const,
      id: `${service.id}|stopped`,
      parent: service,
      scope,
      state: 'idle' as const,
      region: service.region,
      clusterArn: service.clusterArn,
      serviceName: service.serviceName,
    };
    syncEvents(this.ctx, service, events);
    return loadList<EcsTask, TaskNode>(this.ctx, service, refresh, listed, {
      what: `tasks of ${service.serviceName}`,
      empty: 'No running tasks',
      prefix: [],
      suffix: [events, stopped],
      isItem: (n): n is TaskNode => n.kind === 'task',
      arnOf: (n) => n.taskArn,
      itemArn: (t) => t.taskArn,
      make: (arn) => makeTask(service, arn, service.serviceName),
      showBeforeDetails: true,
      apply: (n, t) => applyTask(this.ctx, n, t, signal),
      sort: (a, b) => cmp(a.taskId, b.taskId),
      run: (h) => scope.source.tasks(service.clusterArn, { serviceName: service.serviceName }, h, { signal }),
      afterBatch: () => updateServiceHealth(this.ctx, service),
    }).then(() => updateServiceHealth(this.ctx, service));
  }

  private loadStandalone(group: StandaloneGroupNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
    const scope = group.scope!;
    const stopped = (group.children?.find((c) => c.kind === 'stoppedGroup') as StoppedGroupNode | undefined) ?? {
      kind: 'stoppedGroup' as const,
      id: `${group.id}|stopped`,
      parent: group,
      scope,
      state: 'idle' as const,
      region: group.region,
      clusterArn: group.clusterArn,
      serviceName: undefined,
    };
    return loadList<EcsTask, TaskNode>(this.ctx, group, refresh, listed, {
      what: 'standalone tasks',
      empty: 'No standalone tasks running',
      prefix: [],
      suffix: [stopped],
      isItem: (n): n is TaskNode => n.kind === 'task',
      arnOf: (n) => n.taskArn,
      itemArn: (t) => t.taskArn,
      make: (arn) => makeTask(group, arn, undefined),
      // Only DescribeTasks tells a service's task (group "service:NAME") from a standalone one.
      showBeforeDetails: false,
      accept: (t) => !isServiceTask(t),
      apply: (n, t) => applyTask(this.ctx, n, t, signal),
      sort: (a, b) => cmp(a.taskId, b.taskId),
      run: (h) => scope.source.tasks(group.clusterArn, {}, h, { signal }),
    });
  }

  private loadStopped(group: StoppedGroupNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
    const scope = group.scope!;
    const serviceName = group.serviceName;
    return loadList<EcsTask, TaskNode>(this.ctx, group, refresh, listed, {
      what: serviceName ? `stopped tasks of ${serviceName}` : 'stopped standalone tasks',
      empty: 'No tasks stopped in the last hour',
      prefix: [],
      suffix: [],
      isItem: (n): n is TaskNode => n.kind === 'task',
      arnOf: (n) => n.taskArn,
      itemArn: (t) => t.taskArn,
      make: (arn) => makeTask(group, arn, serviceName),
      showBeforeDetails: serviceName !== undefined,
      accept: serviceName ? undefined : (t) => !isServiceTask(t),
      apply: (n, t) => applyTask(this.ctx, n, t, signal),
      // Newest first.
      sort: (a, b) => stoppedTime(b) - stoppedTime(a) || cmp(a.taskId, b.taskId),
      run: (h) => scope.source.tasks(group.clusterArn, { ...(serviceName ? { serviceName } : {}), desiredStatus: 'STOPPED' }, h, { signal }),
    });
  }

  private loadableAncestor(node: ExplorerNode): LoadableNode | undefined {
    let n: ExplorerNode | undefined = node.parent;
    while (n && !isLoadable(n)) n = n.parent;
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Refresh
  // ---------------------------------------------------------------------------------------------

  private async refreshAll(signal: AbortSignal): Promise<void> {
    await this.reloadTree(this.root, signal);
  }

  /** Re-reads a loaded node, then (in parallel) its loaded loadable descendants. */
  private async reloadTree(node: LoadableNode, signal: AbortSignal): Promise<void> {
    if (this.disposed || signal.aborted) return;
    if (node.state === 'idle') return;
    const inFlight = this.running.get(node);
    if (inFlight) await inFlight.promise;
    else await this.load(node, true).promise;
    const next = (node.children ?? []).filter((c): c is LoadableNode => isLoadable(c) && c.state !== 'idle');
    // Tasks' own children are derived; stopped groups under a task list's suffix are loadable.
    await Promise.all(next.map((c) => this.reloadTree(c, signal)));
  }

  // ---------------------------------------------------------------------------------------------
  // Events
  // ---------------------------------------------------------------------------------------------

  /** Fires a node when its presentation (or, with `structural`, its children) changed. */
  private fire(node: ExplorerNode, structural = false): void {
    if (this.disposed) return;
    const sig = JSON.stringify(present(node));
    if (!structural && this.sigs.get(node) === sig) return;
    this.sigs.set(node, sig);
    for (const l of this.listeners) {
      try {
        l(node);
      } catch (err) {
        this.logger.warn(`Explorer listener failed: ${String(err)}`);
      }
    }
  }
}

function isServiceTask(t: EcsTask): boolean {
  return (t.group ?? '').startsWith('service:');
}

function stoppedTime(n: TaskNode): number {
  const t = n.task;
  return timeOf(t?.stoppedAt) ?? timeOf(t?.stoppingAt) ?? timeOf(t?.createdAt) ?? 0;
}

function cmp(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
