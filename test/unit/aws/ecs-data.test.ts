import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EcsData, EcsError } from '../../../src/aws/ecs';
import { Pacer } from '../../../src/aws/pacer';
import { ManualClock, startSimulator, type Simulator } from '../../../sim/server';
import type { ScenarioData } from '../../../sim/types';
import { pagingScenario } from '../helpers/simFixture';

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
    sim.setFaults({ accessDenied: [], errorRate: 0, stallRate: 0, dropRate: 0, throttle: false, throttleNext: {}, latencyMs: 0, faultOperations: [] });
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
    // The data layer's timers run on a clock the test moves: the time-out fires when the test
    // says so, never because the machine was slow to answer ListClusters.
    const clock = new ManualClock();
    const data = new EcsData(client, { attemptTimeoutMs: 150, errorAttempts: 2, backoffBaseMs: 5, clock });
    const errors: EcsError[] = [];
    const done = data.clusters({ onError: (e) => errors.push(e as EcsError) });
    const describes = () => sim.callsTo('DescribeClusters').length;
    await sim.until(() => describes() === 1);
    await clock.advance(149);
    assert.equal(describes(), 1, 'not abandoned before the time-out');
    await clock.advance(1); // the first attempt times out
    await clock.waitForTimers(1); // its back-off (jittered, at most 5 ms)
    await clock.advance(5);
    await sim.until(() => describes() === 2);
    await clock.advance(150); // the retry times out too: no attempt left
    const r = await done;
    assert.equal(r.arns.length, 2, 'the list itself was not stalled');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.kind, 'timeout');
    assert.equal(describes(), 2);
    assert.ok(sim.callsTo('DescribeClusters').every((c) => c.fault === 'stall' && c.status === 0));
  });

  it('cancels through the signal', async () => {
    // The List is held unanswered at the simulator, so the abort lands while it is in flight.
    const hold = sim.hold('ListServices');
    try {
      const data = new EcsData(client);
      const ac = new AbortController();
      const p = data.services(CLUSTER, {}, { signal: ac.signal });
      await hold.caught(1);
      ac.abort();
      await assert.rejects(p, (e: Error) => e.name === 'AbortError' || (e as EcsError).kind === 'cancelled');
      assert.equal(sim.callsTo('DescribeServices').length, 0, 'nothing described after the cancel');
      assert.equal(sim.callsTo('ListServices').length, 1, 'and nothing retried');
    } finally {
      hold.end();
    }
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

/**
 * Runs `work` with `clock` moved only while no call is on its way to the simulator: the next timer
 * fires once every call the data layer has sent has arrived. The client's pacer and the server's
 * buckets, both on `clock`, then see each call at the same instant, however slow the machine is.
 */
async function onSharedClock<T>(clock: ManualClock, data: EcsData, sim: Simulator, work: Promise<T>): Promise<T> {
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  finished.catch(() => undefined);
  const sent = () => Object.values(data.stats.calls).reduce((a, n) => a + n, 0);
  while (!done) {
    if (sent() === sim.calls.length && clock.pending > 0) await clock.next();
    else await new Promise((r) => setImmediate(r)); // let the calls in flight go on
  }
  return finished;
}

describe('EcsData pacing against the throttling simulator', () => {
  // Wall-clock ratios against the floors are `npm run bench`'s job; these tests check the
  // structure that makes them reachable, on counts and order, never on time.
  it('never surfaces a throttle when paced at the server rates, and shows names before details', async () => {
    // A scaled-down service-read bucket keeps the test short; the ratios are what matter. Client
    // and server share one manual clock (see onSharedClock), so the only way the server can
    // throttle is the client's pacing letting too many calls through.
    const limit = { burst: 20, rate: 100 };
    const clock = new ManualClock();
    const sim = await startSimulator({ scenario: bigScenario(500, 10), clock, throttle: true, faults: { throttleLimits: { 'ecs:service-read': limit } } });
    const client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      const data = new EcsData(client, { pacer: new Pacer({ 'service-read': limit }, clock) });
      const events: string[] = [];
      const started = clock.now();
      const r = await onSharedClock(clock, data, sim, data.services('big', { onListed: () => events.push('listed'), onItems: () => events.push('items') }));
      assert.equal(r.items.length, 500);
      assert.equal(sim.calls.filter((c) => c.errorType === 'ThrottlingException').length, 0, 'no throttle at all');
      assert.equal(sim.callsTo('ListServices').length, 5, 'five pages of 100');
      assert.equal(sim.callsTo('DescribeServices').length, 50, 'batches of 10, none repeated');
      // The pacer did hold calls back: 55 calls through a 20-token bucket take (55 - 20) / 100 s at least.
      assert.ok(clock.now() - started >= 350, `${clock.now() - started} ms on the shared clock`);
      // Every name is in before the last batch of details arrives.
      assert.ok(events.includes('listed'));
      assert.ok(events.indexOf('listed') < events.lastIndexOf('items'), events.join(','));
    } finally {
      client.destroy();
      await sim.stop();
    }
  });

  it('when the server throttles anyway (a shared account), retries absorb it', async () => {
    // The server throttles the first two List pages and the first six Describe batches that reach
    // it, whatever the timing: fewer than the ten attempts a call gets, even if one call meets them all.
    const sim = await startSimulator({ scenario: bigScenario(300, 10), faults: { throttleNext: { 'ecs:ListServices': 2, 'ecs:DescribeServices': 6 } } });
    const client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      const data = new EcsData(client, { backoffBaseMs: 5 }); // believes the documented 100 burst
      const r = await data.services('big');
      assert.equal(r.items.length, 300);
      assert.deepEqual(r.errors, []);
      const throttled = sim.calls.filter((c) => c.fault === 'throttle');
      assert.equal(throttled.filter((c) => c.operation === 'ListServices').length, 2);
      assert.equal(throttled.filter((c) => c.operation === 'DescribeServices').length, 6);
      assert.ok(throttled.every((c) => c.errorType === 'ThrottlingException' && c.status === 400));
      assert.equal(data.stats.throttled, 8, 'the layer saw every throttle');
      assert.equal(data.stats.retries, 8, 'and retried each one, nothing else');
      assert.equal(sim.callsTo('ListServices').length, 3 + 2, 'three pages, two of them twice');
      assert.equal(sim.callsTo('DescribeServices').length, 30 + 6, 'thirty batches, six of them twice');
    } finally {
      client.destroy();
      await sim.stop();
    }
  });

  it('a 1,000-task service: ten sequential pages, DescribeTasks batches of 100 sent while listing goes on', async () => {
    const sim = await startSimulator({ scenario: bigScenario(1, 1000), throttle: true });
    const client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    // The second page is held at the simulator until the first batch has been described: a layer
    // that waited for every page before describing would never send it.
    const pages = sim.hold('ListTasks');
    try {
      const data = new EcsData(client);
      const done = data.tasks('one', { serviceName: 'many' });
      await pages.caught(1);
      pages.release();
      await pages.caught(2);
      await sim.until(() => sim.callsTo('DescribeTasks').length > 0);
      assert.equal(sim.callsTo('ListTasks').length, 2, 'the first batch is described while the second page is still being listed');
      pages.end();
      const r = await done;
      assert.equal(r.items.length, 1000);
      const lists = sim.callsTo('ListTasks');
      assert.equal(lists.length, 10);
      assert.equal(lists[0]!.params.nextToken, undefined);
      assert.ok(lists.slice(1).every((c) => typeof c.params.nextToken === 'string'), 'each page asks for the next');
      const describes = sim.callsTo('DescribeTasks');
      assert.equal(describes.length, 10);
      assert.ok(describes.every((c) => (c.params.tasks as string[]).length === 100));
    } finally {
      pages.end();
      client.destroy();
      await sim.stop();
    }
  });
});

describe('TokenBucket', () => {
  it('gives the burst at once, then the sustained rate', async () => {
    const { TokenBucket } = await import('../../../src/aws/pacer');
    const clock = new ManualClock(0);
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
    const clock = new ManualClock(0);
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
    const clock = new ManualClock(0);
    const b = new TokenBucket({ burst: 1, rate: 1 }, clock);
    await b.take();
    const ac = new AbortController();
    const p = b.take(0, ac.signal);
    ac.abort();
    await assert.rejects(p, /cancelled/);
  });
});
