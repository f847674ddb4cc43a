import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import { DescribeClustersCommand, DescribeServicesCommand, ECSClient, ListClustersCommand, ListServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { seededRandom, TokenBucket, resourceMatches } from '../../sim/faults';
import { startSimulator, type Simulator } from '../../sim/server';
import { pagingScenario } from './fixture';

type AwsErr = Error & { $metadata?: { httpStatusCode?: number }; $retryable?: unknown };

async function error(p: Promise<unknown>): Promise<AwsErr> {
  try {
    await p;
  } catch (e) {
    return e as AwsErr;
  }
  assert.fail('expected the call to fail');
}

const reset = { latencyMs: 0, latencyByOperation: {}, throttle: false, throttleLimits: {}, accessDenied: [], errorRate: 0, dropRate: 0, stallRate: 0, stallMs: 0, faultOperations: [], seed: 1 };

describe('simulator faults', () => {
  let sim: Simulator;
  let ecs: ECSClient;
  let clock = 1_700_000_000_000;
  const cluster = 'prod';

  before(async () => {
    sim = await startSimulator({ scenario: pagingScenario(), now: () => clock });
    ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1, requestHandler: new NodeHttpHandler({ requestTimeout: 2_000 }) });
  });
  after(async () => {
    ecs.destroy();
    await sim.stop();
  });
  afterEach(() => {
    sim.setFaults(reset);
    sim.clearCalls();
  });

  it('latency is a timer: 20 concurrent calls at 100 ms finish together', async () => {
    sim.setLatency(100);
    const t0 = performance.now();
    await ecs.send(new ListClustersCommand({}));
    const one = performance.now() - t0;
    assert.ok(one >= 95, `one call took ${one} ms`);
    const t1 = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-01'] }))));
    const all = performance.now() - t1;
    assert.ok(all < 600, `20 concurrent calls took ${all} ms: latency must not serialise`);
    assert.ok(sim.calls.every((c) => c.durationMs! >= 95));
  });

  it('latencyByOperation overrides the default for one operation', async () => {
    sim.setFaults({ latencyMs: 0, latencyByOperation: { 'ecs:ListClusters': 120 } });
    const t0 = performance.now();
    await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-01'] }));
    const fast = performance.now() - t0;
    const t1 = performance.now();
    await ecs.send(new ListClustersCommand({}));
    const slow = performance.now() - t1;
    assert.ok(fast < 100 && slow >= 115, `fast ${fast} slow ${slow}`);
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
    clock += 1_000; // one second: 5 tokens
    for (let i = 0; i < 5; i++) await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 }));
    assert.equal((await error(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-07', desiredCount: 1 })))).name, 'ThrottlingException');
  });

  it('throttling: ListClusters and DescribeClusters share the cluster-read bucket (burst 50, 20/s)', async () => {
    sim.setFaults({ throttle: true });
    for (let i = 0; i < 25; i++) await ecs.send(new ListClustersCommand({}));
    for (let i = 0; i < 25; i++) await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
    assert.equal((await error(ecs.send(new ListClustersCommand({})))).name, 'ThrottlingException');
    clock += 500;
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

  it('stalls: no answer until the client times out, or an answer after stallMs', async () => {
    sim.setFaults({ stallRate: 1 });
    const impatient = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1, requestHandler: new NodeHttpHandler({ requestTimeout: 150, throwOnRequestTimeout: true }) });
    try {
      const t0 = performance.now();
      const e = await error(impatient.send(new ListClustersCommand({})));
      assert.ok(performance.now() - t0 >= 140);
      assert.match(`${e.name} ${e.message}`, /timeout|timed out/i);
      assert.equal(sim.calls.at(-1)!.fault, 'stall');
    } finally {
      impatient.destroy();
    }
    sim.setFaults({ stallRate: 1, stallMs: 120 });
    const t1 = performance.now();
    const r = await ecs.send(new ListClustersCommand({}));
    assert.ok(performance.now() - t1 >= 115);
    assert.equal(r.clusterArns!.length, 2);
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
