// The reconciliation race where a signal is swapped out from under its waiters: thousands of
// overlapping refresh triggers with random latencies, against the scheduler and against the
// explorer model. Refreshes never overlap, every waiter is answered (none left hanging), each
// answer comes from a refresh that started after its trigger, and the final state reflects the
// last trigger. Latency is a seeded number of macrotask turns, not milliseconds: each run
// interleaves the same way on any machine, so a failure replays from its seed.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ExplorerModel, type ServiceNode } from '../../src/core/explorer/model';
import type { EcsSource, StreamHandlers, StreamResult } from '../../src/core/ecsSource';
import type { EcsCluster, EcsService, EcsTask } from '../../src/core/ecsTypes';
import { RefreshCancelledError, RefreshScheduler } from '../../src/core/refresh';
import { turns } from '../../sim/clock';
import { seededRandom } from '../../sim/faults';
import { trackUnhandled } from './helpers';

const unhandled = trackUnhandled();

/** Settles every promise or fails after `ms` naming how many were left hanging. */
async function allAnswered<T>(promises: Promise<T>[], ms: number): Promise<PromiseSettledResult<T>[]> {
  let timer: NodeJS.Timeout | undefined;
  let settled = 0;
  for (const p of promises) p.then(() => settled++, () => settled++);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${promises.length - settled} of ${promises.length} waiters never answered`)), ms);
  });
  try {
    return await Promise.race([Promise.allSettled(promises), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class RunFailed extends Error {
  constructor(readonly startedAt: number) {
    super(`run that started at version ${startedAt} failed`);
  }
}

describe('refresh race: RefreshScheduler', () => {
  for (const [label, failureRate, seed] of [
    ['random latencies', 0, 1],
    ['random latencies and 10% failing runs', 0.1, 2],
    ['random latencies, another seed', 0, 3],
  ] as const) {
    it(`5,000 overlapping triggers, ${label}`, async () => {
      const rnd = seededRandom(seed);
      let version = 0; // the "world": bumped before every trigger
      let state = -1; // what the last successful refresh saw
      let active = 0;
      let maxActive = 0;
      let runs = 0;
      const scheduler = new RefreshScheduler<number>(async () => {
        active++;
        runs++;
        maxActive = Math.max(maxActive, active);
        const seen = version;
        try {
          // Random latency: sometimes a microtask, sometimes a few macrotask turns.
          const r = rnd();
          if (r < 0.2) await Promise.resolve();
          else await turns(Math.floor(rnd() * 4));
          if (rnd() < failureRate) throw new RunFailed(seen);
          state = seen;
          return seen;
        } finally {
          active--;
        }
      });

      const triggers: { v: number; p: Promise<number> }[] = [];
      for (let i = 0; i < 5000; i++) {
        const v = ++version;
        const p = scheduler.trigger();
        p.catch(() => undefined); // observed now; its outcome is checked below
        triggers.push({ v, p });
        const r = rnd();
        if (r < 0.3) await turns(Math.floor(rnd() * 3));
        else if (r < 0.5) await Promise.resolve();
      }
      const results = await allAnswered(triggers.map((t) => t.p), 60_000);

      assert.equal(maxActive, 1, 'two refreshes overlapped');
      assert.ok(runs < triggers.length, `triggers coalesce (${runs} runs for ${triggers.length} triggers)`);
      results.forEach((r, i) => {
        const v = triggers[i]!.v;
        if (r.status === 'fulfilled') assert.ok(r.value >= v, `waiter ${v} answered by a run that started before it (saw ${r.value})`);
        else {
          assert.ok(r.reason instanceof RunFailed, `waiter ${v} rejected with ${String(r.reason)}`);
          assert.ok(r.reason.startedAt >= v, `waiter ${v} got the failure of a run that started before it`);
        }
      });
      const last = results[results.length - 1]!;
      if (failureRate === 0) assert.equal(last.status, 'fulfilled');
      if (last.status === 'fulfilled') {
        assert.equal(last.value, version, 'the last waiter sees the last trigger');
        assert.equal(state, version, 'the final state reflects the last trigger');
      }
      assert.equal(scheduler.running, false);
      assert.equal(scheduler.pending, false);
      assert.deepEqual(unhandled.take(), []);
    });
  }

  it('dispose() in the middle of a storm answers every waiter (cancelled), and later triggers at once', async () => {
    const rnd = seededRandom(9);
    const scheduler = new RefreshScheduler<void>(async (signal) => {
      await turns(Math.floor(rnd() * 3));
      if (signal.aborted) throw new Error('aborted');
    });
    const ps: Promise<void>[] = [];
    for (let i = 0; i < 2000; i++) {
      const p = scheduler.trigger();
      p.catch(() => undefined);
      ps.push(p);
      if (i === 1500) scheduler.dispose();
      if (rnd() < 0.2) await turns(1);
    }
    const results = await allAnswered(ps, 30_000);
    const cancelled = results.filter((r) => r.status === 'rejected' && r.reason instanceof RefreshCancelledError).length;
    assert.ok(cancelled >= 2000 - 1501, `${cancelled} cancelled`);
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof RefreshCancelledError, String(r.reason));
    await assert.rejects(scheduler.trigger(), RefreshCancelledError);
    assert.deepEqual(unhandled.take(), []);
  });
});

/**
 * An in-memory ECS with random latency per call: clusters c0..c2, one service each whose
 * desiredCount is the world's version when the read starts (like a real read). Counts reads in
 * flight to detect overlapping refreshes.
 */
class RacySource implements EcsSource {
  version = 0;
  inFlightServices = 0;
  overlaps = 0;
  clusterCalls = 0;
  constructor(private readonly rnd: () => number) {}

  private async delay(): Promise<void> {
    const r = this.rnd();
    if (r < 0.25) return;
    await turns(Math.floor(this.rnd() * 4));
  }

  async clusters(h: StreamHandlers<EcsCluster> = {}): Promise<StreamResult<EcsCluster>> {
    // A refresh reads the root first; a root read while the previous refresh still reads
    // services means two refreshes overlap.
    if (this.inFlightServices > 0) this.overlaps++;
    this.clusterCalls++;
    await this.delay();
    const arns = [0, 1, 2].map((i) => `arn:aws:ecs:us-east-1:123456789012:cluster/c${i}`);
    h.onNames?.(arns);
    h.onListed?.(arns);
    const items = arns.map((clusterArn, i) => ({ clusterArn, clusterName: `c${i}`, status: 'ACTIVE' }));
    h.onItems?.(items);
    return { arns, items, failures: [], errors: [] };
  }

  async services(cluster: string, h: StreamHandlers<EcsService> = {}): Promise<StreamResult<EcsService>> {
    this.inFlightServices++;
    try {
      const seen = this.version;
      await this.delay();
      const name = cluster.slice(cluster.lastIndexOf('/') + 1);
      const arn = `arn:aws:ecs:us-east-1:123456789012:service/${name}/web`;
      h.onNames?.([arn]);
      h.onListed?.([arn]);
      await this.delay();
      const svc: EcsService = { serviceArn: arn, serviceName: 'web', status: 'ACTIVE', desiredCount: seen, runningCount: seen, pendingCount: 0, deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }], events: [] };
      h.onItems?.([svc]);
      return { arns: [arn], items: [svc], failures: [], errors: [] };
    } finally {
      this.inFlightServices--;
    }
  }

  async tasks(): Promise<StreamResult<EcsTask>> {
    return { arns: [], items: [], failures: [], errors: [] };
  }

  async describeClusters(): Promise<StreamResult<EcsCluster>> {
    return { arns: [], items: [], failures: [], errors: [] };
  }

  async taskDefinition(): Promise<never> {
    throw new Error('not used');
  }
}

describe('refresh race: the explorer model', () => {
  it('3,000 overlapping refreshes with random latencies: no overlap, all answered, the tree shows the last trigger', async () => {
    const source = new RacySource(seededRandom(42));
    const model = new ExplorerModel({ scopes: [{ id: 'race@us-east-1', profile: undefined, region: 'us-east-1', source }] });
    try {
      await model.expand(model.root);
      const clusters = model.all('cluster');
      assert.equal(clusters.length, 3);
      await Promise.all(clusters.map((c) => model.expand(c)));
      const rnd = seededRandom(43);
      const waiters: Promise<void>[] = [];
      for (let i = 1; i <= 3000; i++) {
        source.version = i;
        const p = model.refresh();
        p.catch(() => undefined);
        waiters.push(p);
        const r = rnd();
        if (r < 0.3) await turns(Math.floor(rnd() * 3));
        else if (r < 0.5) await Promise.resolve();
      }
      const results = await allAnswered(waiters, 120_000);
      assert.deepEqual(results.filter((r) => r.status === 'rejected'), [], 'every waiter answered with success');
      assert.equal(source.overlaps, 0, 'a refresh started while the previous one was still reading');
      assert.ok(source.clusterCalls < 3000, `coalesced: ${source.clusterCalls} root reads for 3,000 triggers`);
      const services = model.all('service') as ServiceNode[];
      assert.equal(services.length, 3);
      for (const s of services) assert.equal(s.service?.desiredCount, 3000, `${s.id} shows the last trigger's state`);
      assert.deepEqual(unhandled.take(), []);
    } finally {
      model.dispose();
    }
  });
});
