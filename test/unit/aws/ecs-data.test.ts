import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EcsData, EcsError } from '../../../src/aws/ecs';
import { Pacer } from '../../../src/aws/pacer';
import { startSimulator, type Simulator } from '../../sim/server';
import type { ScenarioData } from '../../sim/types';
import { pagingScenario } from '../sim/fixture';

const CLUSTER = 'prod';

describe('EcsData over the simulator: batching, paging, streaming', () => {
  let sim: Simulator;
  let client: ECSClient;
  before(async () => {
    sim = await startSimulator({ scenario: pagingScenario() });
    client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await sim.stop();
  });
  beforeEach(() => {
    sim.setFaults({ accessDenied: [], errorRate: 0, stallRate: 0, dropRate: 0, throttle: false, latencyMs: 0, faultOperations: [] });
    sim.clearCalls();
  });

  it('lists services at maxResults 100 and describes them 10 at a time, names first', async () => {
    const data = new EcsData(client);
    const order: string[] = [];
    const r = await data.services(CLUSTER, {
      onNames: (arns) => order.push(`names:${arns.length}`),
      onListed: (arns) => order.push(`listed:${arns.length}`),
      onItems: (items) => order.push(`items:${items.length}`),
    });
    assert.equal(r.arns.length, 26);
    assert.equal(r.items.length, 26);
    assert.deepEqual(r.errors, []);
    assert.equal(order[0], 'names:26', 'names before any details');
    assert.equal(order[1], 'listed:26');
    assert.deepEqual(order.slice(2).sort(), ['items:10', 'items:10', 'items:6']);
    const lists = sim.callsTo('ListServices');
    assert.equal(lists.length, 1);
    assert.equal(lists[0]!.params.maxResults, 100);
    const describes = sim.callsTo('DescribeServices');
    assert.equal(describes.length, 3, 'ceil(26 / 10) DescribeServices calls');
    for (const c of describes) assert.ok((c.params.services as string[]).length <= 10);
  });

  it('pages ListTasks by 100 and describes 100 tasks per call, in parallel with the paging', async () => {
    const data = new EcsData(client);
    const r = await data.tasks(CLUSTER, { serviceName: 'wide' });
    assert.equal(r.items.length, 250);
    assert.ok(r.items.every((t) => t.group === 'service:wide'));
    assert.deepEqual(
      sim.callsTo('ListTasks').map((c) => c.params.maxResults),
      [100, 100, 100],
    );
    assert.deepEqual(
      sim.callsTo('DescribeTasks').map((c) => (c.params.tasks as string[]).length).sort(),
      [100, 100, 50],
    );
  });

  it('asks for STOPPED tasks when told to', async () => {
    const data = new EcsData(client);
    const r = await data.tasks(CLUSTER, { serviceName: 'svc-02', desiredStatus: 'STOPPED' });
    assert.equal(r.items.length, 1);
    assert.equal(r.items[0]!.stopCode, 'EssentialContainerExited');
    assert.equal(sim.callsTo('ListTasks')[0]!.params.desiredStatus, 'STOPPED');
  });

  it('reads each task definition once, however many ask at once', async () => {
    const data = new EcsData(client);
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:3';
    const [a, b] = await Promise.all([data.taskDefinition(arn), data.taskDefinition(arn)]);
    await data.taskDefinition(arn);
    assert.equal(a, b);
    assert.equal(a.containerDefinitions?.[1]?.essential, false);
    assert.equal(sim.callsTo('DescribeTaskDefinition').length, 1);
  });

  it('an AccessDenied cluster rejects with a cause in words; other clusters still load', async () => {
    sim.setFaults({ accessDenied: ['staging'] });
    const data = new EcsData(client);
    await assert.rejects(data.services('staging'), (err: unknown) => {
      assert.ok(err instanceof EcsError);
      assert.equal(err.kind, 'access-denied');
      assert.match(err.message, /Access denied/);
      assert.equal(err.code, 'AccessDeniedException');
      return true;
    });
    const ok = await data.services(CLUSTER);
    assert.equal(ok.items.length, 26);
  });

  it('retries 5xx and dropped connections until the answer is complete', async () => {
    sim.setFaults({ errorRate: 0.3, dropRate: 0.1, seed: 7 });
    const data = new EcsData(client, { backoffBaseMs: 5, errorAttempts: 10 });
    const r = await data.tasks(CLUSTER, { serviceName: 'wide' });
    assert.equal(r.items.length, 250);
    assert.deepEqual(r.errors, []);
    assert.ok(data.stats.retries > 0, 'faults were injected and retried');
  });

  it('a Describe batch that keeps failing becomes a per-batch error; the other batches load', async () => {
    sim.setFaults({ accessDenied: [{ resource: 'svc-05', operation: 'DescribeServices' }] });
    const data = new EcsData(client);
    const failed: string[][] = [];
    const r = await data.services(CLUSTER, { onError: (e, arns) => (assert.equal(e.kind, 'access-denied'), failed.push(arns)) });
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.length, 10);
    assert.equal(r.items.length, 16);
    assert.equal(r.errors.length, 1);
  });

  it('a stalled call is abandoned after the attempt time-out and retried', async () => {
    sim.setFaults({ stallRate: 1, stallMs: 0, faultOperations: ['DescribeClusters'] });
    const data = new EcsData(client, { attemptTimeoutMs: 150, errorAttempts: 2, backoffBaseMs: 5 });
    const started = Date.now();
    const errors: EcsError[] = [];
    const r = await data.clusters({ onError: (e) => errors.push(e as EcsError) });
    assert.equal(r.arns.length, 2, 'the list itself was not stalled');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.kind, 'timeout');
    assert.ok(Date.now() - started < 2000);
    assert.equal(sim.callsTo('DescribeClusters').length, 2);
  });

  it('cancels through the signal', async () => {
    sim.setLatency(200);
    const data = new EcsData(client);
    const ac = new AbortController();
    const p = data.services(CLUSTER, {}, { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(p, (e: Error) => e.name === 'AbortError' || (e as EcsError).kind === 'cancelled');
  });
});

/** `count` services of `tasks` tasks each, in cluster "big". */
function bigScenario(count: number, tasks: number): ScenarioData {
  return {
    name: 'big',
    taskDefinitions: [{ family: 'web', revision: 1, containerDefinitions: [{ name: 'web', image: 'web:1', essential: true, healthCheck: { command: ['CMD', 'true'] } }] }],
    clusters: [
      { name: 'big', generate: [{ servicePrefix: 'svc', count, tasksPerService: 1, taskDefinition: 'web:1' }] },
      { name: 'one', services: [{ name: 'many', taskDefinition: 'web:1', desiredCount: tasks, runningTasks: tasks }] },
    ],
  };
}

describe('EcsData pacing against the throttling simulator', () => {
  // Wall-clock ratios against the floors are `npm run bench`'s job; these tests check the
  // structure that makes them reachable, which does not depend on how loaded the machine is.
  it('never surfaces a throttle when paced at the server rates, and shows names before details', async () => {
    // A scaled-down service-read bucket keeps the test short; the ratios are what matter.
    const limit = { burst: 20, rate: 100 };
    const sim = await startSimulator({ scenario: bigScenario(500, 10), latencyMs: 20, throttle: true, faults: { throttleLimits: { 'ecs:service-read': limit } } });
    const client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      const data = new EcsData(client, { pacer: new Pacer({ 'service-read': limit }) });
      const events: string[] = [];
      const r = await data.services('big', { onListed: () => events.push('listed'), onItems: () => events.push('items') });
      assert.equal(r.items.length, 500);
      assert.equal(sim.calls.filter((c) => c.errorType === 'ThrottlingException').length, 0, 'no throttle at all');
      assert.equal(sim.callsTo('ListServices').length, 5, 'five pages of 100');
      assert.equal(sim.callsTo('DescribeServices').length, 50, 'batches of 10, none repeated');
      // Every name is in before the last batch of details arrives.
      assert.ok(events.includes('listed'));
      assert.ok(events.indexOf('listed') < events.lastIndexOf('items'), events.join(','));
    } finally {
      client.destroy();
      await sim.stop();
    }
  });

  it('when the server throttles anyway (a shared account), retries absorb it', async () => {
    const sim = await startSimulator({ scenario: bigScenario(300, 10), throttle: true, faults: { throttleLimits: { 'ecs:service-read': { burst: 5, rate: 200 } } } });
    const client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      const data = new EcsData(client, { backoffBaseMs: 5 }); // believes the documented 100 burst
      const r = await data.services('big');
      assert.equal(r.items.length, 300);
      assert.deepEqual(r.errors, []);
      assert.ok(data.stats.throttled > 0, 'the server did throttle');
    } finally {
      client.destroy();
      await sim.stop();
    }
  });

  it('a 1,000-task service: ten sequential pages, DescribeTasks batches of 100 sent while listing goes on', async () => {
    const latency = 30;
    const sim = await startSimulator({ scenario: bigScenario(1, 1000), latencyMs: latency, throttle: true });
    const client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      const data = new EcsData(client);
      const r = await data.tasks('one', { serviceName: 'many' });
      assert.equal(r.items.length, 1000);
      assert.equal(sim.callsTo('ListTasks').length, 10);
      const describes = sim.callsTo('DescribeTasks');
      assert.equal(describes.length, 10);
      // Describing streams with listing: the first batch is sent while later pages are still being
      // listed, so the whole takes the pages plus about one DescribeTasks round trip, not twice.
      const lists = sim.callsTo('ListTasks');
      const lastListSent = Math.max(...lists.map((c) => c.time));
      const firstDescribeSent = Math.min(...describes.map((c) => c.time));
      assert.ok(firstDescribeSent < lastListSent, `first DescribeTasks at ${firstDescribeSent}, last ListTasks at ${lastListSent}`);
    } finally {
      client.destroy();
      await sim.stop();
    }
  });
});

describe('TokenBucket', () => {
  /** A clock the test moves by hand. */
  function fakeClock() {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    return {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        const t = { at: now + ms, fn };
        timers.push(t);
        return t;
      },
      clearTimeout: (h: unknown) => {
        const i = timers.indexOf(h as (typeof timers)[number]);
        if (i >= 0) timers.splice(i, 1);
      },
      async advance(ms: number) {
        const end = now + ms;
        for (;;) {
          timers.sort((a, b) => a.at - b.at);
          const t = timers[0];
          if (!t || t.at > end) break;
          timers.shift();
          now = t.at;
          t.fn();
          await Promise.resolve();
        }
        now = end;
        await Promise.resolve();
      },
    };
  }

  it('gives the burst at once, then the sustained rate', async () => {
    const { TokenBucket } = await import('../../../src/aws/pacer');
    const clock = fakeClock();
    const b = new TokenBucket({ burst: 10, rate: 20 }, clock);
    let got = 0;
    for (let i = 0; i < 20; i++) void b.take().then(() => got++);
    await clock.advance(0);
    assert.ok(got >= 9 && got <= 10, `burst: ${got}`);
    await clock.advance(1000);
    assert.ok(got >= 20 - 1, `after 1 s at 20/s: ${got}`);
  });

  it('serves list waiters first and keeps a reserve for them while held', async () => {
    const { TokenBucket, Priority } = await import('../../../src/aws/pacer');
    const clock = fakeClock();
    const b = new TokenBucket({ burst: 6, rate: 10 }, clock, 3);
    const release = b.hold();
    const order: string[] = [];
    for (let i = 0; i < 6; i++) void b.take(Priority.describe).then(() => order.push('d'));
    await clock.advance(0);
    assert.ok(order.length <= 3, `describes leave the reserve: ${order.length}`);
    void b.take(Priority.list).then(() => order.push('L'));
    await clock.advance(0);
    assert.equal(order.at(-1), 'L', 'the list page did not wait');
    release();
    await clock.advance(2000);
    assert.equal(order.filter((o) => o === 'd').length, 6);
  });

  it('an aborted waiter leaves the queue', async () => {
    const { TokenBucket } = await import('../../../src/aws/pacer');
    const clock = fakeClock();
    const b = new TokenBucket({ burst: 1, rate: 1 }, clock);
    await b.take();
    const ac = new AbortController();
    const p = b.take(0, ac.signal);
    ac.abort();
    await assert.rejects(p, /cancelled/);
  });
});
