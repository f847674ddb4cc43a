// The simulator's thin mode (faults.thin, `npm run sim -- --thin`): the fields moto and LocalStack
// leave out or fill differently, their HTML 500 pages for what they do not implement
// (faults.notImplemented), and Regions: each call's Region recorded from its SigV4 credential
// scope, clusters served only in their own Region.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListClustersCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSimulator, type Simulator } from '../../../sim/server';
import { thinScenario } from '../helpers/thinScenario';

const MAIN = path.resolve(__dirname, '../../../sim/main.js');
const WORKER_TASK = '3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f'; // demo: prod/worker, its container UNHEALTHY
const SIMULATE = new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::123456789012:user/demo-operator', ActionNames: ['ecs:ExecuteCommand'] });

describe('simulator: thin mode', () => {
  let sim: Simulator;
  let ecs: ECSClient;
  before(async () => {
    sim = await startSimulator({ scenario: thinScenario() });
    ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
  });
  after(async () => {
    ecs.destroy();
    await sim.stop();
  });

  it('off: ECS answers (health, stopCode, managedAgents, counts, RUNNING by default, exact clusters)', async () => {
    sim.setFaults({ thin: false });
    const t = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [WORKER_TASK] }))).tasks![0]!;
    assert.equal(t.containers![0]!.healthStatus, 'UNHEALTHY');
    assert.equal(t.containers![0]!.exitCode, undefined);
    const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
    assert.equal(s.runningCount, 3);
    const arns = (await ecs.send(new ListTasksCommand({ cluster: 'prod' }))).taskArns!;
    assert.ok(arns.every((a) => a.includes(':task/prod/')), 'no prod-2 task');
  });

  it('on: no health, no stopCode, no managedAgents, exitCode 0 on running containers, runningCount 0', async () => {
    sim.setFaults({ thin: true });
    const t = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [WORKER_TASK] }))).tasks![0]!;
    assert.equal(t.lastStatus, 'RUNNING');
    assert.equal(t.healthStatus, undefined);
    assert.equal(t.containers![0]!.healthStatus, undefined);
    assert.equal(t.containers![0]!.managedAgents, undefined);
    assert.equal(t.containers![0]!.exitCode, 0);
    const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
    assert.equal(s.runningCount, 0);
    assert.equal(s.desiredCount, 3);
    // the live state is untouched: the same scenario reads the same with thin off
    assert.equal(sim.task(WORKER_TASK)!.containers![0]!.healthStatus, 'UNHEALTHY');
    const stopped = (await ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }))).taskArns!;
    const d = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: stopped.slice(0, 100) }))).tasks!;
    assert.ok(d.length > 0 && d.every((x) => x.stopCode === undefined), 'no stopCode on stopped tasks');
  });

  it('on: ListTasks without desiredStatus lists every status, and matches the cluster name as a prefix', async () => {
    sim.setFaults({ thin: true });
    const arns = (await ecs.send(new ListTasksCommand({ cluster: 'prod' }))).taskArns!;
    const d = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns.slice(0, 100) }))).tasks!;
    assert.ok(d.some((t) => t.lastStatus === 'STOPPED'), 'stopped tasks without desiredStatus');
    assert.ok(arns.some((a) => a.includes(':task/prod-2/')), "prod-2's task under prod");
  });

  it('on: iam:SimulatePrincipalPolicy answers HTTP 500 with an HTML page, which the SDK cannot parse', async () => {
    sim.setFaults({ thin: true });
    sim.clearCalls();
    const iam = new IAMClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      await assert.rejects(iam.send(SIMULATE), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.$metadata?.httpStatusCode, 500);
        assert.match(e.message, /XML parse error: mismatched tags <html> and <\/title>/);
        return true;
      });
    } finally {
      iam.destroy();
    }
    const [call] = sim.callsTo('iam:SimulatePrincipalPolicy');
    assert.equal(call?.status, 500);
    assert.equal(call?.fault, 'notImplemented');
    sim.setFaults({ thin: false });
  });
});

describe('simulator: faults.notImplemented', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ scenario: 'demo', faults: { notImplemented: ['GetCallerIdentity'] } });
  });
  after(() => sim.stop());

  it('answers a listed operation with an HTML 500 page, of any protocol, and the others as usual', async () => {
    const sts = new STSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    const iam = new IAMClient({ ...sim.clientConfig(), maxAttempts: 1 });
    const ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      await assert.rejects(sts.send(new GetCallerIdentityCommand({})), /XML parse error/);
      const r = await iam.send(SIMULATE);
      assert.ok(r.EvaluationResults?.length, 'not listed: simulated');
      sim.setFaults({ notImplemented: ['ecs:ListClusters'] });
      await assert.rejects(ecs.send(new ListClustersCommand({})), (e: Error) => /not valid JSON/.test(e.message));
      const raw = await fetch(sim.url, { method: 'POST', headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' }, body: '{}' });
      assert.equal(raw.status, 500);
      assert.match(raw.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await raw.text(), /^<!doctype html>/);
    } finally {
      sts.destroy();
      iam.destroy();
      ecs.destroy();
    }
  });
});

describe('simulator: Regions', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ scenario: thinScenario() });
  });
  after(() => sim.stop());

  async function clusters(region: string): Promise<string[]> {
    const ecs = new ECSClient({ ...sim.clientConfig(region), maxAttempts: 1 });
    try {
      return (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
    } finally {
      ecs.destroy();
    }
  }

  it('records the Region each call was signed for', async () => {
    sim.clearCalls();
    await clusters('us-west-2');
    await clusters('us-east-1');
    assert.deepEqual(sim.callsTo('ListClusters').map((c) => c.region), ['us-west-2', 'us-east-1']);
  });

  it("serves a cluster only in its Region, with that Region's ARNs; a Region the scenario does not name has none", async () => {
    const east = await clusters('us-east-1');
    const west = await clusters('us-west-2');
    assert.ok(east.includes('arn:aws:ecs:us-east-1:123456789012:cluster/prod'));
    assert.ok(!east.some((a) => a.endsWith('/west')), 'west is not in us-east-1');
    assert.deepEqual(west, ['arn:aws:ecs:us-west-2:123456789012:cluster/west']);
    assert.deepEqual(await clusters('eu-west-1'), []);
    assert.equal(sim.cluster('west')?.clusterArn, 'arn:aws:ecs:us-west-2:123456789012:cluster/west');
    assert.equal(sim.stateOf('us-west-2').region, 'us-west-2');
  });

  it('a scenario without other Regions answers every Region alike (as before)', async () => {
    const plain = await startSimulator({ scenario: 'demo' });
    try {
      const ecs = new ECSClient({ ...plain.clientConfig('eu-west-1'), maxAttempts: 1 });
      const arns = (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
      ecs.destroy();
      assert.ok(arns.some((a) => a.endsWith('/prod')));
    } finally {
      await plain.stop();
    }
  });
});

describe('npm run sim -- --thin', () => {
  it('starts in thin mode: services report runningCount 0 and IAM simulation an HTML 500', async () => {
    const child = spawn(process.execPath, [MAIN, '--scenario', 'demo', '--thin', '--not-implemented', 'ecs:ListClusters'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const config = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIASIM', secretAccessKey: 'x' }, maxAttempts: 1 };
      const ecs = new ECSClient(config);
      const iam = new IAMClient(config);
      try {
        const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
        assert.equal(s.runningCount, 0);
        await assert.rejects(iam.send(SIMULATE), /XML parse error/);
        await assert.rejects(ecs.send(new ListClustersCommand({})), /not valid JSON/);
      } finally {
        ecs.destroy();
        iam.destroy();
      }
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});
