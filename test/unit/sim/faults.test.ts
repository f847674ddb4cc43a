import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import { DescribeClustersCommand, DescribeServicesCommand, ECSClient, ListClustersCommand, ListServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { seededRandom, throttleKeys, TokenBucket, resourceMatches } from '../../../sim/faults';
import { ManualClock, startSimulator, type Simulator } from '../../../sim/server';
import { pagingScenario } from '../helpers/simFixture';

type AwsErr = Error & { $metadata?: { httpStatusCode?: number }; $retryable?: unknown };

async function error(p: Promise<unknown>): Promise<AwsErr> {
  try {
    await p;
  } catch (e) {
    return e as AwsErr;
  }
  assert.fail('expected the call to fail');
}

const reset = { latencyMs: 0, latencyByOperation: {}, throttle: false, throttleLimits: {}, throttleNext: {}, accessDenied: [], errorRate: 0, dropRate: 0, stallRate: 0, stallMs: 0, faultOperations: [], seed: 1 };

describe('simulator faults', () => {
  let sim: Simulator;
  let ecs: ECSClient;
  // The simulator's time moves only when a test advances it: latency, timed stalls and token
  // refills are exact, whatever the machine's speed.
  const clock = new ManualClock();
  const cluster = 'prod';

  before(async () => {
    sim = await startSimulator({ scenario: pagingScenario(), clock });
    // The request time-out only bounds a hang.
    ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1, requestHandler: new NodeHttpHandler({ requestTimeout: 30_000 }) });
  });
  after(async () => {
    ecs.destroy();
    await sim.stop();
  });
  afterEach(() => {
    sim.setFaults(reset);
    sim.clearCalls();
  });

  it('latency is a timer on the simulator clock: 20 concurrent calls at 100 ms are answered together, at 100 ms', async () => {
    sim.setLatency(100);
    const answered: number[] = [];
    const all = Array.from({ length: 20 }, (_, i) => ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-01'] })).then(() => void answered.push(i)));
    await clock.waitForTimers(20); // every call has arrived and waits out its latency
    assert.equal(sim.calls.length, 20);
    assert.equal(sim.inFlight, 20, 'latency must not serialise: all 20 wait at once');
    await clock.advance(99);
    assert.deepEqual(answered, [], 'nothing is answered before 100 ms');
    assert.ok(sim.calls.every((c) => c.status === 0));
    await clock.advance(1);
    await Promise.all(all);
    assert.equal(answered.length, 20);
    assert.deepEqual(
      sim.calls.map((c) => [c.status, c.durationMs]),
      Array.from({ length: 20 }, () => [200, 100]),
    );
  });

  it('latencyByOperation overrides the default for one operation', async () => {
    sim.setFaults({ latencyMs: 0, latencyByOperation: { 'ecs:ListClusters': 120 } });
    await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-01'] }));
    assert.equal(sim.calls[0]!.durationMs, 0, 'answered without the clock moving');
    const slow = ecs.send(new ListClustersCommand({}));
    await clock.waitForTimers(1);
    await clock.advance(119);
    assert.equal(sim.calls[1]!.status, 0);
    await clock.advance(1);
    await slow;
    assert.equal(sim.calls[1]!.durationMs, 120);
  });

  it('throttling: a burst of 50 UpdateService calls, then ThrottlingException (400); 5 per second refill', async () => {
    sim.setFaults({ throttle: true });
    const ok: number[] = [];
    for (let i = 0; i < 50; i++) {
      await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 }));
      ok.push(i);
    }
    const e = await error(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 })));
    assert.equal(e.name, 'ThrottlingException');
    assert.equal(e.message, 'Rate exceeded');
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.equal(sim.calls.at(-1)!.fault, 'throttle');
    // Other groups have their own buckets.
    await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-07'] }));
    await clock.advance(1_000); // one second: 5 tokens
    for (let i = 0; i < 5; i++) await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 }));
    assert.equal((await error(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 })))).name, 'ThrottlingException');
  });

  it('throttling: ListClusters and DescribeClusters share the cluster-read bucket (burst 50, 20/s)', async () => {
    sim.setFaults({ throttle: true });
    for (let i = 0; i < 25; i++) await ecs.send(new ListClustersCommand({}));
    for (let i = 0; i < 25; i++) await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
    assert.equal((await error(ecs.send(new ListClustersCommand({})))).name, 'ThrottlingException');
    await clock.advance(500);
    let passed = 0;
    for (let i = 0; i < 15; i++) {
      try {
        await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
        passed++;
      } catch (e) {
        assert.equal((e as Error).name, 'ThrottlingException');
      }
    }
    assert.equal(passed, 10, 'half a second refills 10 tokens');
  });

  it('throttling: limits can be overridden per bucket and switched off at run time', async () => {
    sim.setFaults({ throttle: true, throttleLimits: { 'ecs:service-read': { burst: 3, rate: 0 } } });
    for (let i = 0; i < 3; i++) await ecs.send(new ListServicesCommand({ cluster }));
    assert.equal((await error(ecs.send(new ListServicesCommand({ cluster })))).name, 'ThrottlingException');
    sim.setFaults({ throttle: false });
    await ecs.send(new ListServicesCommand({ cluster }));
  });

  it('throttleNext: exactly the next N calls of an operation, then of a bucket, with or without the buckets', async () => {
    sim.setFaults({ throttleNext: { DescribeServices: 2, 'ecs:service-read': 1 } });
    const outcome = async (p: Promise<unknown>) => p.then(() => 'ok', (e: Error) => e.name);
    const seen: string[] = [];
    seen.push(`ListServices ${await outcome(ecs.send(new ListServicesCommand({ cluster })))}`); // the bucket's one
    for (let i = 0; i < 3; i++) seen.push(`DescribeServices ${await outcome(ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-01'] })))}`);
    seen.push(`ListServices ${await outcome(ecs.send(new ListServicesCommand({ cluster })))}`);
    seen.push(`ListClusters ${await outcome(ecs.send(new ListClustersCommand({})))}`); // another bucket
    assert.deepEqual(seen, [
      'ListServices ThrottlingException',
      'DescribeServices ThrottlingException',
      'DescribeServices ThrottlingException',
      'DescribeServices ok',
      'ListServices ok',
      'ListClusters ok',
    ]);
    const throttled = sim.calls.filter((c) => c.fault === 'throttle');
    assert.equal(throttled.length, 3);
    assert.ok(throttled.every((c) => c.status === 400 && c.errorType === 'ThrottlingException'));
  });

  it('throttleNext: the answer is the real one, and other fault settings leave the count alone', async () => {
    sim.setFaults({ throttleNext: { 'ecs:UpdateService': 2 } });
    const e = await error(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 })));
    assert.equal(e.name, 'ThrottlingException');
    assert.equal(e.message, 'Rate exceeded');
    assert.equal(e.$metadata?.httpStatusCode, 400);
    sim.setLatency(0);
    sim.setFaults({ errorRate: 0, accessDenied: [] });
    assert.equal((await error(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 })))).name, 'ThrottlingException', 'the second of two');
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 }));
    sim.setFaults({ throttleNext: { 'ecs:UpdateService': 1 } }); // armed again
    assert.equal((await error(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 })))).name, 'ThrottlingException');
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 }));
  });

  it('throttleNext takes no token from the bucket it empties', async () => {
    sim.setFaults({ throttle: true, throttleLimits: { 'ecs:service-read': { burst: 2, rate: 0 } }, throttleNext: { ListServices: 1 } });
    const names: string[] = [];
    for (let i = 0; i < 4; i++) names.push(await ecs.send(new ListServicesCommand({ cluster })).then(() => 'ok', (e: Error) => e.name));
    assert.deepEqual(names, ['ThrottlingException', 'ok', 'ok', 'ThrottlingException'], 'the counted throttle, the two tokens, then the empty bucket');
  });

  it('throttleNext refuses what names no operation or bucket, and keeps the settings in force', async () => {
    sim.setFaults({ latencyMs: 0 });
    assert.throws(() => sim.setFaults({ throttleNext: { 'ecs:service-reads': 1 } }), /throttleNext ecs:service-reads: no such operation .* or throttle bucket/);
    assert.throws(() => sim.setFaults({ throttleNext: { DescribeServices: 1.5 } }), /whole number of calls/);
    assert.deepEqual(sim.faults.throttleNext, {});
    await ecs.send(new ListServicesCommand({ cluster }));
    assert.deepEqual(throttleKeys({ name: 'ecs', throttleGroup: () => 'service-read' }, 'ListServices'), ['ecs:ListServices', 'ListServices', 'ecs:service-read']);
  });

  it('AccessDeniedException on a chosen cluster (by name or inside an ARN), other clusters unaffected', async () => {
    sim.setFaults({ accessDenied: ['prod'] });
    const e = await error(ecs.send(new DescribeServicesCommand({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', services: ['svc-01'] })));
    assert.equal(e.name, 'AccessDeniedException');
    assert.match(e.message, /is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:us-east-1:123456789012:cluster\/prod/);
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.equal((await error(ecs.send(new ListServicesCommand({ cluster: 'prod' })))).name, 'AccessDeniedException');
    await ecs.send(new ListServicesCommand({ cluster: 'staging' }));
    await ecs.send(new ListClustersCommand({}));
    assert.equal(sim.calls.filter((c) => c.fault === 'accessDenied').length, 2);
  });

  it('AccessDeniedException on a chosen operation', async () => {
    sim.setFaults({ accessDenied: [{ operation: 'ecs:UpdateService' }] });
    assert.equal((await error(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-01', desiredCount: 1 })))).name, 'AccessDeniedException');
    await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-01'] }));
  });

  it('5xx at a rate: ServerException (500), reproducible with the same seed', async () => {
    sim.setFaults({ errorRate: 1 });
    const e = await error(ecs.send(new ListClustersCommand({})));
    assert.equal(e.name, 'ServerException');
    assert.equal(e.$metadata?.httpStatusCode, 500);
    const pattern = async () => {
      sim.setFaults({ errorRate: 0.3, seed: 42 });
      const out: string[] = [];
      for (let i = 0; i < 40; i++) {
        try {
          await ecs.send(new ListClustersCommand({}));
          out.push('ok');
        } catch (err) {
          out.push((err as Error).name);
        }
      }
      return out;
    };
    const a = await pattern();
    const b = await pattern();
    assert.deepEqual(a, b);
    const errors = a.filter((x) => x !== 'ok').length;
    assert.ok(errors > 4 && errors < 22, `${errors} of 40 at 30%`);
  });

  it('dropped connections: the client sees a network error and the log says drop', async () => {
    sim.setFaults({ dropRate: 1 });
    const e = await error(ecs.send(new ListClustersCommand({})));
    assert.ok(!e.$metadata?.httpStatusCode, `no HTTP answer, got ${e.name}: ${e.message}`);
    assert.equal(sim.calls.at(-1)!.fault, 'drop');
    assert.equal(sim.calls.at(-1)!.status, 0);
  });

  it('stalls: no answer until the client times out, or an answer after stallMs on the simulator clock', async () => {
    sim.setFaults({ stallRate: 1 });
    const impatient = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1, requestHandler: new NodeHttpHandler({ requestTimeout: 150, throwOnRequestTimeout: true }) });
    try {
      const e = await error(impatient.send(new ListClustersCommand({})));
      assert.match(`${e.name} ${e.message}`, /timeout|timed out/i);
      assert.equal(sim.calls.at(-1)!.fault, 'stall');
      assert.equal(sim.calls.at(-1)!.status, 0, 'never answered');
    } finally {
      impatient.destroy();
    }
    sim.setFaults({ stallRate: 1, stallMs: 120 });
    const p = ecs.send(new ListClustersCommand({}));
    await clock.waitForTimers(1);
    await clock.advance(119);
    assert.equal(sim.calls.at(-1)!.status, 0, 'still stalled at 119 ms');
    await clock.advance(1);
    const r = await p;
    assert.equal(r.clusterArns!.length, 2);
    assert.equal(sim.calls.at(-1)!.durationMs, 120);
  });

  it('hold: calls of an operation wait unanswered until released; the others are answered meanwhile', async () => {
    const hold = sim.hold('ecs:ListClusters');
    try {
      const first = ecs.send(new ListClustersCommand({}));
      const second = ecs.send(new ListClustersCommand({}));
      const held = await hold.caught(2);
      assert.deepEqual(held.map((c) => [c.operation, c.fault, c.status]), [['ListClusters', 'hold', 0], ['ListClusters', 'hold', 0]]);
      assert.equal(hold.waiting, 2);
      assert.equal(sim.inFlight, 2);
      await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-01'] }));
      assert.equal(sim.callsTo('DescribeServices')[0]!.status, 200, 'not held');
      assert.equal(sim.maxInFlight, 3, 'it arrived while the two waited');
      hold.release();
      const [a, b] = await Promise.all([first, second]);
      assert.equal(a.clusterArns!.length, 2);
      assert.equal(b.clusterArns!.length, 2);
      assert.equal(hold.waiting, 0);
      await sim.until(() => sim.inFlight === 0);
      // Still holding: the next call waits too, until the hold ends.
      const third = ecs.send(new ListClustersCommand({}));
      await hold.caught(3);
      hold.end();
      await third;
      await ecs.send(new ListClustersCommand({}));
      assert.equal(hold.calls.length, 3, 'an ended hold catches nothing');
      await sim.until(() => sim.inFlight === 0);
      sim.clearCalls();
      assert.equal(sim.maxInFlight, 0, 'clearCalls() starts the high-water mark again');
    } finally {
      hold.end();
    }
  });

  it('hold: a held call its client abandons is no longer held or in flight', async () => {
    const hold = sim.hold('*');
    try {
      const ac = new AbortController();
      const p = ecs.send(new ListClustersCommand({}), { abortSignal: ac.signal });
      await hold.caught(1);
      ac.abort();
      await assert.rejects(p, /abort/i);
      await sim.until(() => sim.inFlight === 0);
      assert.equal(hold.waiting, 0);
      hold.release();
      assert.equal(sim.calls[0]!.status, 0, 'never answered');
    } finally {
      hold.end();
    }
  });

  it('until() answers at once when true, rejects when its test throws', async () => {
    await sim.until(() => true);
    await assert.rejects(
      sim.until(() => {
        throw new Error('bad test');
      }),
      /bad test/,
    );
  });

  it('faultOperations limits random faults to the operations named', async () => {
    sim.setFaults({ errorRate: 1, faultOperations: ['DescribeServices'] });
    await ecs.send(new ListClustersCommand({}));
    assert.equal((await error(ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-01'] })))).name, 'ServerException');
  });

  it('a scenario carries its own faults; run-time settings win and survive load()', async () => {
    const s = await startSimulator({ scenario: { ...pagingScenario(), faults: { accessDenied: ['staging'] } } });
    const c = new ECSClient({ ...s.clientConfig(), maxAttempts: 1 });
    try {
      assert.equal((await error(c.send(new ListServicesCommand({ cluster: 'staging' })))).name, 'AccessDeniedException');
      s.setFaults({ latencyMs: 1 });
      s.load({ ...pagingScenario(), faults: {} });
      await c.send(new ListServicesCommand({ cluster: 'staging' }));
      assert.equal(s.faults.latencyMs, 1);
      assert.throws(() => s.setFaults({ errorRate: 2 }), /errorRate must be a number from 0 to 1/);
    } finally {
      c.destroy();
      await s.stop();
    }
  });

  it('a scenario can arm throttleNext; each load() arms it again', async () => {
    const scenario = { ...pagingScenario(), faults: { throttleNext: { ListClusters: 1 } } };
    const s = await startSimulator({ scenario });
    const c = new ECSClient({ ...s.clientConfig(), maxAttempts: 1 });
    try {
      assert.equal((await error(c.send(new ListClustersCommand({})))).name, 'ThrottlingException');
      await c.send(new ListClustersCommand({}));
      s.load(scenario);
      assert.equal((await error(c.send(new ListClustersCommand({})))).name, 'ThrottlingException');
      await c.send(new ListClustersCommand({}));
    } finally {
      c.destroy();
      await s.stop();
    }
  });

  it('start options: latencyMs, throttle and faults', async () => {
    const s = await startSimulator({ scenario: 'empty', latencyMs: 30, throttle: true, faults: { seed: 7 } });
    try {
      assert.equal(s.faults.latencyMs, 30);
      assert.equal(s.faults.throttle, true);
      assert.equal(s.faults.seed, 7);
    } finally {
      await s.stop();
    }
  });
});

describe('fault helpers', () => {
  it('seededRandom is reproducible and uniform enough', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs.slice(0, 10), Array.from({ length: 10 }, () => b()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(mean > 0.45 && mean < 0.55);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });

  it('TokenBucket holds burst and refills at rate', () => {
    const b = new TokenBucket({ burst: 2, rate: 1 }, 0);
    assert.equal(b.take(0), true);
    assert.equal(b.take(0), true);
    assert.equal(b.take(0), false);
    assert.equal(b.take(999), false);
    assert.equal(b.take(1000), true);
    assert.equal(b.take(60_000), true);
    assert.equal(b.take(60_000), true);
    assert.equal(b.take(60_000), false, 'never more than burst');
  });

  it('resourceMatches names, ARN segments, not prefixes', () => {
    assert.ok(resourceMatches('prod', 'prod'));
    assert.ok(resourceMatches('arn:aws:ecs:us-east-1:1:cluster/prod', 'prod'));
    assert.ok(resourceMatches('arn:aws:ecs:us-east-1:1:task/prod/abc', 'prod'));
    assert.ok(!resourceMatches('arn:aws:ecs:us-east-1:1:cluster/prod-2', 'prod'));
    assert.ok(!resourceMatches('production', 'prod'));
  });
});
