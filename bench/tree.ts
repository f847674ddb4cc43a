// Tree benchmarks on the simulator's `large` scenario, through the same data layer (AwsSession +
// ecsDataFor: pacer, batching, retries) and the same vscode-free tree model the explorer uses,
// with 50 ms per call and ECS's documented throttle buckets on the simulator side.
//
// Floors come from the scenario's own parameters: the number of services and tasks, the page and
// batch sizes, the latency per call and the simulator's token buckets.
import { SERVICES, startSimulator } from '../sim/server';
import { readScenario } from '../sim/scenario';
import type { ScenarioData } from '../sim/types';
import { ExplorerModel, type ClusterNode, type ExplorerNode, type ServiceNode, type TaskNode } from '../src/core/explorer/model';
import { Pacer } from '../src/aws/pacer';
import { collectStatus } from '../src/core/status';
import { sandboxEnv } from '../test/awsSandbox';
import { median, round, settledHeapMb, simData } from './common';
import { startSimulatorProcess, type CallSummary, type SimProcess } from './simProcess';

export const LIST_PAGE = 100;
export const DESCRIBE_SERVICES_MAX = 10;
export const DESCRIBE_TASKS_MAX = 100;

export interface TreeRun {
  servicesVisibleMs: number;
  healthFilledMs: number;
  tasks1000Ms: number;
  apiCalls: number;
  serverThrottles: number;
  throttlesSurfaced: number;
}

export interface TreeFloors {
  services: number;
  tasks: number;
  latencyMs: number;
  servicesVisibleFloorMs: number;
  healthFilledFloorMs: number;
  tasks1000FloorMs: number;
  apiCallsFloor: number;
}

const BIG_CLUSTER = 'large';
const WIDE_CLUSTER = 'large-wide';
const WIDE_SERVICE = 'wide';

function bucketOf(group: string): { burst: number; rate: number } {
  const ecs = SERVICES.find((s) => s.name === 'ecs');
  const b = ecs?.throttleGroups?.[group];
  if (!b) throw new Error(`the simulator has no ECS throttle group ${group}`);
  return b;
}

/** Earliest time the last of `calls` calls can be answered: sequential pages, or the token bucket, whichever binds. */
function floorMs(pages: number, calls: number, describeAfterLastPage: boolean, latencyMs: number, bucket: { burst: number; rate: number }): number {
  const sequential = (pages + (describeAfterLastPage ? 1 : 0)) * latencyMs;
  const paced = (Math.max(0, calls - bucket.burst) / bucket.rate) * 1000 + latencyMs;
  return Math.max(sequential, paced);
}

export function treeFloors(data: ScenarioData, latencyMs: number): TreeFloors {
  const big = data.clusters?.find((c) => c.name === BIG_CLUSTER);
  const services = (big?.generate ?? []).reduce((a, g) => a + g.count, 0) + (big?.services?.length ?? 0);
  const wide = data.clusters?.find((c) => c.name === WIDE_CLUSTER)?.services?.find((s) => s.name === WIDE_SERVICE);
  const tasks = wide?.runningTasks ?? 0;
  if (!services || !tasks) throw new Error('the large scenario must have cluster "large" with services and "large-wide"/"wide" with tasks');
  const sPages = Math.ceil(services / LIST_PAGE);
  const sBatches = Math.ceil(services / DESCRIBE_SERVICES_MAX);
  const tPages = Math.ceil(tasks / LIST_PAGE);
  const tBatches = Math.ceil(tasks / DESCRIBE_TASKS_MAX);
  return {
    services,
    tasks,
    latencyMs,
    servicesVisibleFloorMs: floorMs(sPages, sPages, false, latencyMs, bucketOf('service-read')),
    healthFilledFloorMs: floorMs(sPages, sPages + sBatches, true, latencyMs, bucketOf('service-read')),
    tasks1000FloorMs: floorMs(tPages, tPages + tBatches, true, latencyMs, bucketOf('cluster-resource-read')),
    // + the wide service's task definition, read once (cached per revision): ECS reports its tasks'
    // health UNKNOWN (no container health check), so the tree rolls it up from the essential
    // containers, which only the task definition names.
    apiCallsFloor: sPages + sBatches + tPages + tBatches + 1,
  };
}

async function ecsCallsSince(sim: SimProcess, from: number): Promise<CallSummary[]> {
  return (await sim.calls()).slice(from).filter((c) => c.service === 'ecs');
}

/** Error text anywhere in the tree that names a throttle (it must never reach the user). */
function throttleErrors(model: ExplorerModel): number {
  let n = 0;
  const walk = (node: ExplorerNode) => {
    const text = `${node.error?.message ?? ''} ${node.error?.kind ?? ''} ${node.kind === 'error' ? `${node.message} ${node.errorKind}` : ''}`;
    if (/throttl/i.test(text)) n++;
    for (const c of node.children ?? []) walk(c);
  };
  walk(model.root);
  return n;
}

function find<T extends ExplorerNode>(nodes: ExplorerNode[] | undefined, pred: (n: ExplorerNode) => boolean): T {
  const n = nodes?.find(pred);
  if (!n) throw new Error('benchmark: expected node not found in the tree');
  return n as T;
}

/** One measured run on a freshly loaded simulator (full buckets on both sides). */
export async function treeRun(sim: SimProcess): Promise<TreeRun> {
  await sim.reset(); // the scenario afresh: the simulator's token buckets full, no calls
  const counts = await sim.counts();
  const { session, data: source } = simData(sim.url);
  const model = new ExplorerModel({ scopes: [{ id: 'bench@us-east-1', profile: undefined, region: 'us-east-1', source }], showHeader: true });
  try {
    await model.expand(model.root);
    const big = find<ClusterNode>(model.root.children, (n) => n.kind === 'cluster' && n.clusterName === BIG_CLUSTER);
    const wideCluster = find<ClusterNode>(model.root.children, (n) => n.kind === 'cluster' && n.clusterName === WIDE_CLUSTER);
    const expected = counts[BIG_CLUSTER]!.services;
    const expectedTasks = counts[WIDE_CLUSTER]!.tasks;

    // Steps 1 and 2: expand the 2,000-service cluster.
    let servicesVisibleMs = NaN;
    let healthFilledMs = NaN;
    const withHealth = new Set<string>();
    const calls0 = (await sim.calls()).length;
    const t0 = performance.now();
    const off = model.onDidChange((node) => {
      if (node === big && Number.isNaN(servicesVisibleMs)) {
        const names = (big.children ?? []).filter((c) => c.kind === 'service' && (c as ServiceNode).serviceName).length;
        if (names === expected) servicesVisibleMs = performance.now() - t0;
      } else if (node.kind === 'service' && node.parent === big && node.health && !withHealth.has(node.id)) {
        withHealth.add(node.id);
        if (withHealth.size === expected) healthFilledMs = performance.now() - t0;
      }
    });
    await model.expand(big);
    off();
    const calls1 = await ecsCallsSince(sim, calls0);
    if (withHealth.size !== expected || Number.isNaN(servicesVisibleMs)) {
      throw new Error(`benchmark: ${withHealth.size} of ${expected} services got their health (names ${Number.isNaN(servicesVisibleMs) ? 'incomplete' : 'complete'})`);
    }

    // Step 3: expand the 1,000-task service (its cluster is opened first, untimed).
    await model.expand(wideCluster);
    const wide = find<ServiceNode>(wideCluster.children, (n) => n.kind === 'service' && n.serviceName === WIDE_SERVICE);
    let tasks1000Ms = NaN;
    const healthy = new Set<string>();
    const calls2 = (await sim.calls()).length;
    const t1 = performance.now();
    const off2 = model.onDidChange((node) => {
      if (node.kind === 'task' && node.parent === wide && node.health && !healthy.has(node.id)) {
        healthy.add(node.id);
        if (healthy.size === expectedTasks) tasks1000Ms = performance.now() - t1;
      }
    });
    // Tasks whose health arrived in the same batch as their node are fired as part of their parent.
    const offParent = model.onDidChange((node) => {
      if (node !== wide) return;
      for (const c of wide.children ?? []) if (c.kind === 'task' && (c as TaskNode).health && !healthy.has(c.id)) healthy.add(c.id);
      if (healthy.size === expectedTasks && Number.isNaN(tasks1000Ms)) tasks1000Ms = performance.now() - t1;
    });
    await model.expand(wide);
    off2();
    offParent();
    const calls3 = await ecsCallsSince(sim, calls2);
    if (healthy.size !== expectedTasks) throw new Error(`benchmark: ${healthy.size} of ${expectedTasks} tasks got their health`);

    const all = [...calls1, ...calls3];
    return {
      servicesVisibleMs,
      healthFilledMs,
      tasks1000Ms,
      apiCalls: all.length,
      serverThrottles: all.filter((c) => c.errorType === 'ThrottlingException').length,
      throttlesSurfaced: throttleErrors(model),
    };
  } finally {
    model.dispose();
    session.dispose();
  }
}

/** `ecs-doctor status`'s reader over the whole throttled `large` scenario: throttles that reached its report. */
export async function statusThrottles(sim: SimProcess): Promise<{ surfaced: number; ms: number }> {
  await sim.reset();
  const { session, data: source } = simData(sim.url);
  try {
    const t0 = performance.now();
    const report = await collectStatus(source, { cluster: BIG_CLUSTER });
    const ms = performance.now() - t0;
    const text = JSON.stringify(report);
    return { surfaced: (text.match(/throttl/gi) ?? []).length, ms };
  } finally {
    session.dispose();
  }
}

/** Heap held by a tree model with every cluster, service, task and container of `large` loaded. */
export async function treeHeapMb(data: ScenarioData): Promise<{ heapMb: number; nodes: number }> {
  // Heap, not time: no latency, no throttling, and a pacer that does not hold the calls back.
  const sim = await startSimulator({ scenario: data, latencyMs: 0, throttle: false, maxCallLog: 10 });
  const fast = { burst: 1e6, rate: 1e6 };
  const limits = { 'cluster-read': fast, 'service-read': fast, 'cluster-resource-read': fast, 'task-definition-read': fast };
  try {
    const base = await settledHeapMb();
    const { session, data: source } = simData(sim.url, { data: { pacer: new Pacer(limits) } });
    let model: ExplorerModel | undefined = new ExplorerModel({ scopes: [{ id: 'bench@us-east-1', profile: undefined, region: 'us-east-1', source }] });
    try {
      await loadEverything(model);
      sim.clearCalls();
      const nodes = countNodes(model.root);
      const held = await settledHeapMb();
      model.dispose();
      model = undefined;
      return { heapMb: held - base, nodes };
    } finally {
      model?.dispose();
      session.dispose();
    }
  } finally {
    await sim.stop();
  }
}

/** Expands every cluster, service and standalone group, and derives every task's containers. */
export async function loadEverything(model: ExplorerModel): Promise<void> {
  await model.expand(model.root);
  const clusters = (model.root.children ?? []).filter((c): c is ClusterNode => c.kind === 'cluster');
  await Promise.all(clusters.map((c) => model.expand(c)));
  const groups = clusters.flatMap((c) => (c.children ?? []).filter((n) => n.kind === 'service' || n.kind === 'standaloneGroup'));
  await Promise.all(groups.map((g) => model.expand(g)));
  for (const t of model.all('task')) model.children(t);
}

export function countNodes(n: ExplorerNode): number {
  let k = 1;
  for (const c of n.children ?? []) k += countNodes(c);
  return k;
}

export interface TreeResults {
  [key: string]: number;
}

export async function benchTree(runs: number, log: (m: string) => void = () => undefined): Promise<TreeResults> {
  sandboxEnv(); // for the whole benchmark process: nothing to restore
  const data = readScenario('large');
  const latencyMs = 50;
  const floors = treeFloors(data, latencyMs);
  // The simulator in its own process (bench/simProcess.ts): its work (scanning a 2,000-service
  // cluster's tasks for each DescribeServices, building 100 described tasks a page) is the
  // endpoint's, not the explorer's being measured.
  const sim = await startSimulatorProcess({ scenario: data, latencyMs, throttle: true, maxCallLog: 20_000 });
  const results: TreeRun[] = [];
  let status: { surfaced: number; ms: number };
  try {
    for (let i = 0; i < runs; i++) {
      const r = await treeRun(sim);
      log(`tree run ${i + 1}/${runs}: names ${r.servicesVisibleMs.toFixed(0)} ms, health ${r.healthFilledMs.toFixed(0)} ms, 1,000 tasks ${r.tasks1000Ms.toFixed(0)} ms, ${r.apiCalls} calls, ${r.serverThrottles} throttled by the server`);
      results.push(r);
    }
    status = await statusThrottles(sim);
    log(`status over the large cluster: ${status.ms.toFixed(0)} ms, ${status.surfaced} throttles in its report`);
  } finally {
    await sim.stop();
  }
  const heap = await treeHeapMb(data);
  log(`tree heap: ${heap.heapMb.toFixed(1)} MB for ${heap.nodes} nodes`);
  const m = (k: keyof TreeRun) => median(results.map((r) => r[k]));
  return {
    'tree.servicesVisibleMs': round(m('servicesVisibleMs')),
    'tree.servicesVisibleFloorMs': round(floors.servicesVisibleFloorMs),
    'tree.healthFilledMs': round(m('healthFilledMs')),
    'tree.healthFilledFloorMs': round(floors.healthFilledFloorMs),
    'tree.tasks1000Ms': round(m('tasks1000Ms')),
    'tree.tasks1000FloorMs': round(floors.tasks1000FloorMs),
    'tree.apiCalls': Math.max(...results.map((r) => r.apiCalls)),
    'tree.apiCallsFloor': floors.apiCallsFloor,
    'tree.throttlesSurfaced': Math.max(...results.map((r) => r.throttlesSurfaced)) + status.surfaced,
    'tree.serverThrottles': Math.max(...results.map((r) => r.serverThrottles)),
    'tree.heapMb': round(heap.heapMb),
    'tree.heapNodes': heap.nodes,
    'tree.latencyMs': latencyMs,
    'tree.runs': runs,
    'status.largeClusterMs': round(status.ms),
  };
}
