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
 *
 * This file is the model itself: its state, its listeners, which loads are in flight and the
 * refresh over them. The rest of the explorer's core:
 * - levels.ts: what each level lists (clusters, services, tasks, standalone and stopped tasks);
 * - listLoad.ts: the list load they share (names, details by batch, keep-or-replace on refresh);
 * - details.ts: a node's details (task health and containers, events, the health roll-up);
 * - context.ts: what those helpers see of the model; nodes.ts and present.ts: the nodes and
 *   their presentation.
 */
import { classifyAwsError } from '../awsErrors';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { RefreshScheduler } from '../refresh';
import type { ModelContext } from './context';
import { derivedChildren } from './details';
import { loadNode } from './levels';
import { serviceGlance } from './glance';
import type { ClusterNode, ExplorerNode, HeaderNode, LoadableNode, RootNode, Scope, ServiceNode } from './nodes';
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
  /**
   * Reads the health and recent trouble of a loaded cluster's services in the background, so a
   * service's icon is never greener than what is known without expanding it: its running tasks
   * (as expanding it would) and one ListTasks page of its STOPPED tasks, on load and on every
   * refresh. `maxServices` caps the services read per cluster (the rows a sidebar shows first),
   * `concurrency` the service reads in flight at once, so the pacer's buckets stay for the user's
   * own clicks. Off unless given (the editor turns it on).
   */
  background?: { maxServices?: number; concurrency?: number } | undefined;
  /** The clock for the glance's "18m ago" (tests pass a fixed one). */
  now?: () => number;
}

/** A tiny FIFO limiter: at most `limit` background reads at once. */
class Gate {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

type Listener = (node: ExplorerNode) => void;

/** Internal per-load bookkeeping. */
interface Running {
  promise: Promise<void>;
  listed: Promise<void>;
}

export class ExplorerModel {
  readonly root: RootNode;
  private readonly listeners = new Set<Listener>();
  private readonly running = new Map<ExplorerNode, Running>();
  private readonly sigs = new WeakMap<ExplorerNode, string>();
  private readonly abort = new AbortController();
  private readonly scheduler: RefreshScheduler<void>;
  private readonly logger: Logger;
  /** What the loaders and detail helpers see of this model. */
  private readonly ctx: ModelContext;
  private disposed = false;
  private readonly gate: Gate | undefined;
  /** Per service: the newest stopped-page read started, and the newest one applied (a stale answer never overwrites a newer one). */
  private readonly glanceStarted = new WeakMap<ServiceNode, number>();
  private readonly glanceApplied = new WeakMap<ServiceNode, number>();
  private readonly glanceRunning = new Map<ServiceNode, Promise<void>>();

  constructor(private readonly options: ExplorerModelOptions) {
    this.logger = options.logger ?? silentLogger;
    this.gate = options.background ? new Gate(Math.max(1, options.background.concurrency ?? 2)) : undefined;
    this.root = { kind: 'root', id: 'root', parent: undefined, scope: options.scopes.length === 1 ? options.scopes[0] : undefined, state: 'idle' };
    let header: HeaderNode | undefined;
    if (options.showHeader !== false) {
      header = {
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
      header,
      get maxEvents() {
        return options.maxEvents ?? 25;
      },
      logger: this.logger,
      now: () => (options.now ?? Date.now)(),
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
    const promise = loadNode(this.ctx, node, refresh, listedResolve, this.abort.signal)
      .catch((err: unknown) => this.logger.warn(`Explorer: loading ${node.id} failed: ${classifyAwsError(err).message}`))
      .finally(() => {
        listedResolve();
        if (this.running.get(node)?.promise === promise) this.running.delete(node);
        if (node.kind === 'cluster') void this.fillCluster(node);
      });
    const r = { promise, listed };
    this.running.set(node, r);
    return r;
  }

  private loadableAncestor(node: ExplorerNode): LoadableNode | undefined {
    let n: ExplorerNode | undefined = node.parent;
    while (n && !isLoadable(n)) n = n.parent;
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Background health and recent trouble of the visible services
  // ---------------------------------------------------------------------------------------------

  /** Reads the first services of a loaded cluster in the background (after its load and each refresh of it). */
  private async fillCluster(cluster: ClusterNode): Promise<void> {
    const bg = this.options.background;
    if (!bg || !this.gate || this.disposed || cluster.state !== 'loaded') return;
    const services = (cluster.children ?? []).filter((c): c is ServiceNode => c.kind === 'service').slice(0, bg.maxServices ?? 40);
    await Promise.all(services.map((s) => this.fillService(s)));
  }

  private async fillService(service: ServiceNode): Promise<void> {
    const gate = this.gate!;
    // Its running tasks, as expanding it would (a loaded service is re-read by the refresh itself).
    const tasks = gate.run(async () => {
      if (!this.disposed && service.state === 'idle' && !this.running.has(service)) await this.load(service, false).promise;
    });
    await Promise.all([tasks, this.readStopped(service)]);
  }

  /**
   * One ListTasks page of the service's STOPPED tasks, described, into its glance. Single-flight
   * per service (a refresh joins the read in flight); answers are numbered and one older than the
   * newest applied is dropped.
   */
  readStopped(service: ServiceNode): Promise<void> {
    const inFlight = this.glanceRunning.get(service);
    if (inFlight) return inFlight;
    const seq = (this.glanceStarted.get(service) ?? 0) + 1;
    this.glanceStarted.set(service, seq);
    const run = (this.gate ?? new Gate(1))
      .run(async () => {
        if (this.disposed) return;
        const r = await service.scope!.source.tasks(service.clusterArn, { serviceName: service.serviceName, desiredStatus: 'STOPPED' }, {}, { signal: this.abort.signal, maxPages: 1 });
        if (this.disposed || seq < (this.glanceApplied.get(service) ?? 0)) return;
        this.glanceApplied.set(service, seq);
        service.glance = serviceGlance(r.items, (this.options.now ?? Date.now)(), { more: !!r.truncated });
        this.fire(service);
        const group = service.children?.find((c) => c.kind === 'stoppedGroup');
        if (group) this.fire(group);
        // The cluster's icon and tooltip name a restarting service.
        if (service.parent?.kind === 'cluster') this.fire(service.parent);
      })
      .catch((err: unknown) => this.logger.debug(`Explorer: stopped tasks of ${service.serviceName}: ${classifyAwsError(err).message}`))
      .finally(() => {
        if (this.glanceRunning.get(service) === run) this.glanceRunning.delete(service);
      });
    this.glanceRunning.set(service, run);
    return run;
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
    // One load per node at a time: join the one in flight rather than start an overlapping one.
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
