/**
 * What each level of the explorer tree lists, and how: the root (clusters, or one Region group per
 * scope), a Region's clusters, a cluster's services (then its standalone-tasks group), a service's
 * tasks (then its events and stopped-tasks groups), the standalone tasks and the stopped tasks.
 * Each level is a ListSpec for the shared list load (listLoad.ts); node details come from
 * details.ts.
 */
import { clusterNameOf, serviceNameOf } from '../arn';
import { timeOf, type EcsCluster, type EcsService, type EcsTask } from '../ecsTypes';
import { serviceHealth } from '../health';
import type { ModelContext } from './context';
import { applyTask, knownTaskHealth, makeEventsGroup, makeTask, syncEvents, updateClusterHealth, updateServiceHealth } from './details';
import { loadList } from './listLoad';
import type { ClusterNode, EventsGroupNode, LoadableNode, RegionNode, RootNode, Scope, ServiceNode, StandaloneGroupNode, StoppedGroupNode, TaskNode } from './nodes';

/** Loads a node's children; `listed` is called once every child's name is in. */
export async function loadNode(ctx: ModelContext, node: LoadableNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
  switch (node.kind) {
    case 'root': {
      const scopes = ctx.scopes;
      if (scopes.length === 1) return loadClusters(ctx, node, scopes[0]!, refresh, listed, signal);
      // One Region group per scope; each loads its clusters when expanded.
      const existing = new Map((node.children ?? []).map((c) => [c.id, c]));
      const regions: RegionNode[] = scopes.map(
        (s) => (existing.get(`region|${s.id}`) as RegionNode | undefined) ?? { kind: 'region', id: `region|${s.id}`, parent: node, scope: s, state: 'idle', region: s.region },
      );
      node.children = [...(ctx.header ? [ctx.header] : []), ...regions];
      node.state = 'loaded';
      listed();
      ctx.fire(node, true);
      return;
    }
    case 'region':
      return loadClusters(ctx, node, node.scope!, refresh, listed, signal);
    case 'cluster':
      return loadServices(ctx, node, refresh, listed, signal);
    case 'service':
      return loadServiceTasks(ctx, node, refresh, listed, signal);
    case 'standaloneGroup':
      return loadStandalone(ctx, node, refresh, listed, signal);
    case 'stoppedGroup':
      return loadStopped(ctx, node, refresh, listed, signal);
  }
}

function loadClusters(ctx: ModelContext, owner: RootNode | RegionNode, scope: Scope, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
  const prefix = owner.kind === 'root' && ctx.header ? [ctx.header] : [];
  return loadList<EcsCluster, ClusterNode>(ctx, owner, refresh, listed, {
    what: `clusters in ${scope.region}`,
    empty: `No clusters in ${scope.region}`,
    prefix,
    suffix: [],
    isItem: (n): n is ClusterNode => n.kind === 'cluster',
    arnOf: (n) => n.clusterArn,
    itemArn: (c) => c.clusterArn,
    make: (arn) => ({ kind: 'cluster', id: `${scope.id}|cluster|${arn}`, parent: owner, scope, state: 'idle', region: scope.region, clusterArn: arn, clusterName: clusterNameOf(arn) }),
    showBeforeDetails: true,
    apply: (n, c) => {
      n.cluster = c;
      if (c.clusterName) n.clusterName = c.clusterName;
    },
    sort: (a, b) => cmp(a.clusterName, b.clusterName),
    run: (h) => scope.source.clusters(h, { signal }),
  });
}

function loadServices(ctx: ModelContext, cluster: ClusterNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
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
  return loadList<EcsService, ServiceNode>(ctx, cluster, refresh, listed, {
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
      serviceName: serviceNameOf(arn),
    }),
    showBeforeDetails: true,
    apply: (n, s) => {
      n.service = s;
      if (s.serviceName) n.serviceName = s.serviceName;
      n.health = serviceHealth(s, knownTaskHealth(n), ctx.now());
      syncEvents(ctx, n);
    },
    sort: (a, b) => cmp(a.serviceName, b.serviceName),
    run: (h) => scope.source.services(cluster.clusterArn, h, { signal }),
    afterBatch: () => updateClusterHealth(ctx, cluster),
  }).then(() => updateClusterHealth(ctx, cluster));
}

function loadServiceTasks(ctx: ModelContext, service: ServiceNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
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
  syncEvents(ctx, service, events);
  return loadList<EcsTask, TaskNode>(ctx, service, refresh, listed, {
    what: `tasks of ${service.serviceName}`,
    empty: 'No running tasks',
    prefix: [],
    suffix: [events, stopped],
    isItem: (n): n is TaskNode => n.kind === 'task',
    arnOf: (n) => n.taskArn,
    itemArn: (t) => t.taskArn,
    make: (arn) => makeTask(service, arn, service.serviceName),
    showBeforeDetails: true,
    apply: (n, t) => applyTask(ctx, n, t, signal),
    sort: (a, b) => cmp(a.taskId, b.taskId),
    run: (h) => scope.source.tasks(service.clusterArn, { serviceName: service.serviceName, desiredStatus: 'RUNNING' }, h, { signal }),
    afterBatch: () => updateServiceHealth(ctx, service),
  }).then(() => updateServiceHealth(ctx, service));
}

function loadStandalone(ctx: ModelContext, group: StandaloneGroupNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
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
  return loadList<EcsTask, TaskNode>(ctx, group, refresh, listed, {
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
    apply: (n, t) => applyTask(ctx, n, t, signal),
    sort: (a, b) => cmp(a.taskId, b.taskId),
    run: (h) => scope.source.tasks(group.clusterArn, { desiredStatus: 'RUNNING' }, h, { signal }),
  });
}

function loadStopped(ctx: ModelContext, group: StoppedGroupNode, refresh: boolean, listed: () => void, signal: AbortSignal): Promise<void> {
  const scope = group.scope!;
  const serviceName = group.serviceName;
  return loadList<EcsTask, TaskNode>(ctx, group, refresh, listed, {
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
    apply: (n, t) => applyTask(ctx, n, t, signal),
    // Newest first.
    sort: (a, b) => stoppedTime(b) - stoppedTime(a) || cmp(a.taskId, b.taskId),
    run: (h) => scope.source.tasks(group.clusterArn, { ...(serviceName ? { serviceName } : {}), desiredStatus: 'STOPPED' }, h, { signal }),
  });
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
