/**
 * Filling in a node from its description: a task's health (fetching its task definition when ECS
 * gives none) and containers, a service's events, and the health roll-up from tasks to their
 * service to its cluster. Also the children that need no call of their own (a task's containers,
 * the events group's placeholder). Plain functions over the model's context (context.ts).
 */
import { classifyAwsError } from '../awsErrors';
import { taskIdOf } from '../arn';
import { timeOf, type EcsTask, type EcsTaskDefinition } from '../ecsTypes';
import { clusterHealth, serviceHealth, taskHealth, needsTaskDefinition, type ServiceHealth } from '../health';
import type { ModelContext } from './context';
import type { ClusterNode, ContainerNode, EventNode, EventsGroupNode, ExplorerNode, ServiceNode, TaskNode } from './nodes';

/** A task node (details to come) for an ARN listed under `parent`. */
export function makeTask(parent: ExplorerNode, arn: string, serviceName: string | undefined): TaskNode {
  const scope = parent.scope!;
  const p = parent as { region?: string; clusterArn?: string };
  return {
    kind: 'task',
    id: `${scope.id}|task|${arn}`,
    parent,
    scope,
    state: 'loaded',
    region: p.region ?? scope.region,
    clusterArn: p.clusterArn ?? '',
    taskArn: arn,
    taskId: taskIdOf(arn),
    serviceName,
  };
}

/** Applies a described task to its node: health (now, or once its task definition is in) and containers. */
export function applyTask(ctx: ModelContext, n: TaskNode, t: EcsTask, signal: AbortSignal): void {
  n.task = t;
  n.taskDefinitionArn = t.taskDefinitionArn;
  if (!n.serviceName && t.group?.startsWith('service:')) n.serviceName = t.group.slice('service:'.length);
  if (needsTaskDefinition(t) && t.taskDefinitionArn && !n.essential) {
    // ECS gave no task health: compute it from the essential containers, which needs the
    // task definition (cached by ARN in the data layer: one call per revision).
    n.health = undefined;
    const arn = t.taskDefinitionArn;
    n.scope!.source.taskDefinition(arn, { signal }).then(
      (td) => {
        if (ctx.disposed || n.task !== t) return;
        setEssential(n, td);
        setTaskHealth(ctx, n, t, td);
      },
      (err: unknown) => {
        if (ctx.disposed || n.task !== t) return;
        ctx.logger.warn(`Explorer: task definition ${arn}: ${classifyAwsError(err).message}; counting every container as essential`);
        setTaskHealth(ctx, n, t, undefined);
      },
    );
  } else {
    // The essential flags already read (a refresh) stand for the task definition.
    const known = n.essential ? { containerDefinitions: Object.entries(n.essential).map(([name, essential]) => ({ name, essential })) } : undefined;
    const h = taskHealth(t, known);
    n.health = h.health;
    n.healthSource = h.source;
    if (!n.essential && t.taskDefinitionArn && (t.containers?.length ?? 0) > 1) {
      // ECS gave the task's health; the task definition (one cached read per revision) still
      // says which containers are non-essential sidecars, for their "non-essential" marker.
      const arn = t.taskDefinitionArn;
      n.scope!.source.taskDefinition(arn, { signal }).then(
        (td) => {
          if (ctx.disposed || n.task !== t) return;
          setEssential(n, td);
          syncContainers(ctx, n);
        },
        (err: unknown) => ctx.logger.debug(`Explorer: task definition ${arn}: ${classifyAwsError(err).message}`),
      );
    }
  }
  syncContainers(ctx, n);
}

function setEssential(n: TaskNode, td: EcsTaskDefinition): void {
  n.essential = {};
  for (const d of td.containerDefinitions ?? []) if (d.name) n.essential[d.name] = d.essential !== false;
}

function setTaskHealth(ctx: ModelContext, n: TaskNode, t: EcsTask, td: EcsTaskDefinition | undefined): void {
  const h = taskHealth(t, td);
  n.health = h.health;
  n.healthSource = h.source;
  syncContainers(ctx, n);
  ctx.fire(n);
  if (n.parent?.kind === 'service') updateServiceHealth(ctx, n.parent);
}

/** A task's container children follow its description (kept by id, fired when they change). */
function syncContainers(ctx: ModelContext, n: TaskNode): void {
  const t = n.task;
  if (!t) return;
  const existing = new Map((n.children ?? []).map((c) => [c.id, c]));
  const next: ContainerNode[] = (t.containers ?? []).map((c, i) => {
    const name = c.name ?? `container-${i + 1}`;
    const id = `${n.id}|container|${name}`;
    const old = existing.get(id) as ContainerNode | undefined;
    const node: ContainerNode = old ?? {
      kind: 'container',
      id,
      parent: n,
      scope: n.scope,
      state: 'loaded',
      region: n.region,
      clusterArn: n.clusterArn,
      taskArn: n.taskArn,
      containerName: name,
      serviceName: n.serviceName,
      container: c,
      taskStatus: t.lastStatus,
      essential: undefined,
    };
    node.container = c;
    node.taskStatus = t.lastStatus;
    node.serviceName = n.serviceName;
    node.essential = n.essential ? n.essential[name] !== false : undefined;
    if (old) ctx.fire(node);
    return node;
  });
  const changed = next.length !== existing.size || next.some((c) => !existing.has(c.id));
  n.children = next;
  if (changed) ctx.fire(n, true);
}

export function makeEventsGroup(service: ServiceNode): EventsGroupNode {
  return { kind: 'eventsGroup', id: `${service.id}|events`, parent: service, scope: service.scope, state: 'loaded', region: service.region, clusterArn: service.clusterArn, serviceName: service.serviceName, children: [] };
}

/** The events group's children follow the service's description (no call of their own). */
export function syncEvents(ctx: ModelContext, service: ServiceNode, group?: EventsGroupNode): void {
  const g = group ?? (service.children?.find((c) => c.kind === 'eventsGroup') as EventsGroupNode | undefined);
  if (!g) return;
  const max = ctx.maxEvents;
  const events = [...(service.service?.events ?? [])].sort((a, b) => (timeOf(b.createdAt) ?? 0) - (timeOf(a.createdAt) ?? 0)).slice(0, max);
  const before = (g.children ?? []).map((c) => c.id).join(',');
  g.children = events.map(
    (e, i): EventNode => ({ kind: 'event', id: `${g.id}|${e.id ?? `${timeOf(e.createdAt) ?? 0}-${i}`}`, parent: g, scope: g.scope, state: 'loaded', event: e }),
  );
  if (g.children.map((c) => c.id).join(',') !== before) ctx.fire(g, true);
}

/** The health of a service's tasks, once every listed task has it (undefined until then). */
export function knownTaskHealth(service: ServiceNode) {
  // Not while its task names are still coming (an empty list so far is not "no tasks"), nor after the list failed.
  if (service.state === 'idle' || service.state === 'loading' || service.state === 'error' || !service.children) return undefined;
  const tasks = service.children.filter((c): c is TaskNode => c.kind === 'task');
  if (service.state !== 'loaded' && tasks.some((t) => !t.task)) return undefined;
  if (tasks.some((t) => t.task && t.health === undefined)) return undefined;
  return tasks.filter((t) => t.task).map((t) => ({ task: t.task!, health: t.health! }));
}

export function updateServiceHealth(ctx: ModelContext, service: ServiceNode): void {
  if (!service.service) return;
  const next = serviceHealth(service.service, knownTaskHealth(service), ctx.now());
  if (!sameHealth(service.health, next)) {
    service.health = next;
    ctx.fire(service);
    if (service.parent?.kind === 'cluster') updateClusterHealth(ctx, service.parent);
  }
}

export function updateClusterHealth(ctx: ModelContext, cluster: ClusterNode): void {
  const services = (cluster.children ?? []).filter((c): c is ServiceNode => c.kind === 'service');
  const known = services.map((s) => s.health).filter((h): h is ServiceHealth => h !== undefined);
  cluster.health = known.length || cluster.state === 'loaded' ? clusterHealth(known) : undefined;
  ctx.fire(cluster);
}

/** The children of a node that is not loaded by a List of its own. */
export function derivedChildren(ctx: ModelContext, node: ExplorerNode): ExplorerNode[] {
  if (node.kind === 'task') {
    if (!node.children && node.task) syncContainers(ctx, node);
    return node.children ?? [];
  }
  if (node.kind === 'eventsGroup') {
    if (node.children?.length === 0) {
      return [{ kind: 'placeholder', id: `${node.id}|empty`, parent: node, scope: node.scope, state: 'loaded', label: 'No recent events' }];
    }
    return node.children ?? [];
  }
  return node.children ?? [];
}

function sameHealth(a: ServiceHealth | undefined, b: ServiceHealth): boolean {
  return !!a && JSON.stringify(a) === JSON.stringify(b);
}
