// The data layer's calls for one thing (the ECS Exec preflight, the diagnosis): each is paced in
// its ECS throttle group, throws the service's own error, and ECS Exec and the diagnosis reach
// ECS only through the layer of the session they are given.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { ECSClient } from '@aws-sdk/client-ecs';
import { diagnoseTask, listDiagnosableTasks } from '../../../src/aws/diagnose';
import { EcsData, EcsError, ecsDataFor, ecsDataOf } from '../../../src/aws/ecs';
import { gatherExecFacts, listClusterArns, listRunningTasks } from '../../../src/aws/exec';
import { ECS_THROTTLE_LIMITS, Pacer, ecsThrottleGroup, type EcsThrottleGroup } from '../../../src/aws/pacer';
import { AwsSession } from '../../../src/aws/session';
import { isAccessDenied } from '../../../src/core/awsErrors';
import { startSimulator, type Simulator } from '../../../sim/server';
import { pagingScenario } from '../helpers/simFixture';

process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

const E = (n: string) => `e${n.padStart(31, '0')}`;
const INSTANCE = 'c0000000000000000000000000000001';
const GROUPS = Object.keys(ECS_THROTTLE_LIMITS) as EcsThrottleGroup[];
const PLUGIN = { path: undefined, searched: [] };

describe('EcsData: one thing read or changed', () => {
  let sim: Simulator;
  let client: ECSClient;
  before(async () => {
    sim = await startSimulator({ scenario: 'exec' });
    client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await sim.stop();
  });

  it('each call draws one token from its ECS throttle group', async () => {
    // Buckets that do not refill during the test, so the tokens taken can be counted.
    const pacer = new Pacer(Object.fromEntries(GROUPS.map((g) => [g, { burst: 50, rate: 0.001 }])));
    const data = new EcsData(client, { pacer });
    const left = () => Object.fromEntries(GROUPS.map((g) => [g, 50 - Math.floor(pacer.bucket(g).available())]));

    const task = (await data.describeTask('exec', E('1'))).task!;
    assert.ok(task.taskArn?.endsWith(E('1')), 'the task');
    await data.describeTaskList('exec', [E('1'), E('2')]);
    await data.listTaskArns('exec', { desiredStatus: 'RUNNING' });
    await data.describeContainerInstance('exec', INSTANCE);
    await data.listClusterArns();
    await data.describeClusterConfiguration('exec');
    await data.describeService('exec', 'ready');
    await data.describeTaskDefinition(task.taskDefinitionArn!);
    await data.executeCommand({ cluster: 'exec', task: E('1'), container: task.containers![0]!.name!, command: '/bin/sh', interactive: true });
    await data.updateService({ cluster: 'exec', service: 'legacy', enableExecuteCommand: true, forceNewDeployment: true });

    assert.deepEqual(left(), {
      'cluster-read': 2, // ListClusters, DescribeClusters
      'service-read': 1, // DescribeServices
      'cluster-resource-read': 4, // DescribeTasks x2, ListTasks, DescribeContainerInstances
      'task-definition-read': 1, // DescribeTaskDefinition
      'cluster-resource-modify': 1, // ExecuteCommand
      'service-modify': 1, // UpdateService
      other: 0,
    });
    assert.equal(ecsThrottleGroup('StopTask'), 'cluster-resource-modify');
    assert.deepEqual(data.stats.calls, {
      DescribeTasks: 2,
      ListTasks: 1,
      DescribeContainerInstances: 1,
      ListClusters: 1,
      DescribeClusters: 1,
      DescribeServices: 1,
      DescribeTaskDefinition: 1,
      ExecuteCommand: 1,
      UpdateService: 1,
    });
    assert.deepEqual(sim.callsTo('DescribeClusters').at(-1)!.params.include, ['CONFIGURATIONS']);
  });

  it('says what ECS answered instead of the thing asked for', async () => {
    const data = new EcsData(client);
    const missing = await data.describeTask('exec', 'f'.repeat(32));
    assert.equal(missing.task, undefined);
    assert.equal(missing.failure?.reason, 'MISSING');
    assert.equal(await data.describeService('exec', 'no-such-service'), undefined);
    assert.equal((await data.describeClusterConfiguration('no-such-cluster')).failure?.reason, 'MISSING');
  });

  it("throws the service's own error once the retries are spent, not an EcsError", async () => {
    const data = new EcsData(client);
    await assert.rejects(data.describeTask('no-such-cluster', E('1')), (err: unknown) => {
      assert.equal((err as Error).name, 'ClusterNotFoundException');
      assert.ok(!(err instanceof EcsError));
      return true;
    });
    sim.setFaults({ accessDenied: [{ operation: 'ecs:DescribeServices' }] });
    try {
      await assert.rejects(data.describeService('exec', 'ready'), (err: unknown) => isAccessDenied(err) && !(err instanceof EcsError));
    } finally {
      sim.setFaults({ accessDenied: [] });
    }
  });
});

describe('EcsData: lists for the pickers', () => {
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

  it('pages ListTasks to the end, or stops after the page that reaches max', async () => {
    const data = new EcsData(client);
    sim.clearCalls();
    assert.equal((await data.listTaskArns('prod', { serviceName: 'wide' })).length, 250);
    assert.deepEqual(
      sim.callsTo('ListTasks').map((c) => c.params.maxResults),
      [100, 100, 100],
    );
    sim.clearCalls();
    assert.equal((await data.listTaskArns('prod', { serviceName: 'wide' }, { max: 150 })).length, 200);
    assert.equal(sim.callsTo('ListTasks').length, 2);
  });

  it('describes a list of tasks 100 a call, in the order asked', async () => {
    const data = new EcsData(client);
    const arns = await data.listTaskArns('prod', { serviceName: 'wide' });
    sim.clearCalls();
    const tasks = await data.describeTaskList('prod', arns);
    assert.deepEqual(
      tasks.map((t) => t.taskArn),
      arns,
    );
    assert.deepEqual(
      sim.callsTo('DescribeTasks').map((c) => (c.params.tasks as string[]).length).sort((a, b) => b - a),
      [100, 100, 50],
    );
  });
});

describe('ECS Exec and the diagnosis call ECS through the data layer of the session they are given', () => {
  let sim: Simulator;
  let home: AwsSession;
  let other: AwsSession;
  before(async () => {
    sim = await startSimulator({ scenario: 'exec' });
    home = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
    other = new AwsSession({ endpoint: sim.url, region: 'eu-west-1', maxAttempts: 1 });
  });
  after(async () => {
    home.dispose();
    other.dispose();
    await sim.stop();
  });

  it("a session's layer is one, whoever asks first, with the session's logger", async () => {
    const first = await ecsDataOf(home);
    assert.equal(ecsDataFor(home, { logger: home.logger, region: 'us-east-1' }), first, 'the explorer gets the same layer');
    assert.equal(await ecsDataOf(home), first);
    assert.notEqual(await ecsDataOf(other), first, 'another Region has its own');
  });

  it('the Exec preflight and the pickers use the layer of their session, not another', async () => {
    const before = { ...ecsDataFor(home).stats.calls };
    await gatherExecFacts(other, { cluster: 'exec', task: E('8') }, PLUGIN);
    await listClusterArns(other);
    await listRunningTasks(other, 'exec');
    const calls = ecsDataFor(other).stats.calls;
    for (const op of ['DescribeTasks', 'DescribeClusters', 'DescribeTaskDefinition', 'DescribeContainerInstances', 'ListClusters', 'ListTasks']) {
      assert.ok((calls[op] ?? 0) >= 1, `${op} through the other Region's layer`);
    }
    assert.deepEqual(ecsDataFor(home).stats.calls, before, 'nothing through the home session');
  });

  it('the diagnosis and its task picker use the layer of their session', async () => {
    const data = await ecsDataOf(home);
    const before = { ...data.stats.calls };
    await diagnoseTask(home, 'exec', E('2'));
    await listDiagnosableTasks(home, 'exec');
    const delta = (op: string) => (data.stats.calls[op] ?? 0) - (before[op] ?? 0);
    assert.equal(delta('DescribeTaskDefinition'), 1);
    assert.equal(delta('DescribeServices'), 1, 'the task of service legacy');
    assert.equal(delta('ListTasks'), 2, 'STOPPED and RUNNING');
    assert.ok(delta('DescribeTasks') >= 2);
  });
});
