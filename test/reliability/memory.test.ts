// Memory: the `large` scenario, as the benchmark opens it (the 2,000-service cluster with every
// service's health, the 1,000-task service with every task and container), refreshed 100 times
// while ECS changes under it. The heap after 100 refreshes stays within HEAP_BOUND_MB of the heap
// after the first one (measured after full collections), and does not keep climbing.
import { strict as assert } from 'node:assert';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import { Pacer } from '../../src/aws/pacer';
import { ExplorerModel, type ClusterNode, type ServiceNode } from '../../src/core/explorer/model';
import { readScenario } from '../../sim/scenario';
import { startSimulator } from '../../sim/server';
import { simData } from '../../bench/common';
import { guardDns, sandboxEnv } from './helpers';

guardDns();

/** The bound this suite states: growth over 100 refreshes of the large tree. */
export const HEAP_BOUND_MB = 8;

const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();

async function heapMb(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

describe('memory', () => {
  it(`the large tree refreshed 100 times grows the heap by less than ${HEAP_BOUND_MB} MB`, async () => {
    const restore = sandboxEnv();
    // Heap, not time: no latency, no server throttling, client buckets that do not hold calls back.
    const sim = await startSimulator({ scenario: readScenario('large'), latencyMs: 0, throttle: false, maxCallLog: 100 });
    const roomy = { burst: 1e6, rate: 1e6 };
    const { session, data } = simData(sim.url, { data: { pacer: new Pacer({ 'cluster-read': roomy, 'service-read': roomy, 'cluster-resource-read': roomy, 'task-definition-read': roomy }) } });
    const model = new ExplorerModel({ scopes: [{ id: 'mem@us-east-1', profile: undefined, region: 'us-east-1', source: data }] });
    let fired = 0;
    model.onDidChange(() => fired++);
    try {
      await model.expand(model.root);
      const clusters = model.all('cluster') as ClusterNode[];
      await Promise.all(clusters.map((c) => model.expand(c)));
      const wide = model.all('service').find((s) => s.serviceName === 'wide') as ServiceNode;
      await model.expand(wide);
      for (const t of model.all('task')) model.children(t);
      assert.equal(model.all('service').length, 2001);
      assert.equal(model.all('task').length, 1000);

      const wideTasks = [...sim.state.ecs.clusters.get('large-wide')!.tasks.values()];
      const bigServices = [...sim.state.ecs.clusters.get('large')!.services.values()];
      const samples: number[] = [];
      const t0 = performance.now();
      for (let i = 1; i <= 100; i++) {
        // ECS changes between refreshes: a task's health flips, a service's counts move.
        const t = wideTasks[i % wideTasks.length]!;
        t.healthStatus = t.healthStatus === 'HEALTHY' ? 'UNHEALTHY' : 'HEALTHY';
        const s = bigServices[(i * 37) % bigServices.length]!;
        s.runningCount = (s.runningCount ?? 0) === 2 ? 1 : 2;
        await model.refresh();
        if (i === 1 || i % 25 === 0) samples.push(await heapMb());
      }
      const ms = performance.now() - t0;
      const [first, ...rest] = samples;
      const last = rest[rest.length - 1]!;
      const growth = last - first!;
      process.stdout.write(
        `memory: heap after refresh 1 ${first!.toFixed(1)} MB, after 25/50/75/100 ${rest.map((x) => x.toFixed(1)).join('/')} MB; growth ${growth.toFixed(2)} MB (bound ${HEAP_BOUND_MB} MB); 100 refreshes in ${(ms / 1000).toFixed(1)} s, ${fired} change events\n`,
      );
      assert.ok(growth < HEAP_BOUND_MB, `heap grew ${growth.toFixed(2)} MB over 100 refreshes`);
      // No steady climb: the second half grows no more than a quarter of the bound.
      assert.ok(last - rest[1]! < HEAP_BOUND_MB / 4, `heap still climbing: ${rest.map((x) => x.toFixed(1)).join(' -> ')} MB`);
      assert.equal(model.all('service').length, 2001, 'the tree is intact');
      assert.equal(model.all('task').length, 1000);
      assert.ok(fired > 0, 'changes were seen');
    } finally {
      model.dispose();
      session.dispose();
      await sim.stop();
      restore();
    }
  });
});
