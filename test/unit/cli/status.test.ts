import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';
import { startSimulator, type Simulator } from '../../../sim/server';
import { sandboxEnv } from '../../awsSandbox';
import { pagingScenario } from '../helpers/simFixture';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => '', env: process.env, cwd: process.cwd() };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

describe('ecs-doctor status against the simulator', () => {
  let sim: Simulator;
  let restoreEnv: () => void = () => undefined;
  before(async () => {
    const scenario = pagingScenario();
    // A task that is unhealthy only through its essential container.
    scenario.clusters![0]!.tasks!.push({ service: 'svc-04', containers: [{ name: 'app', healthStatus: 'UNHEALTHY' }] });
    scenario.clusters!.push({ name: 'locked' });
    sim = await startSimulator({ scenario });
    restoreEnv = sandboxEnv();
  });
  after(async () => {
    restoreEnv();
    await sim.stop();
  });
  const base = () => ['--region', 'us-east-1', '--endpoint-url', sim.url];

  it('prints the JSON shape of the issue, with health rolled up', async () => {
    const o = io();
    sim.clearCalls();
    const code = await main(['status', ...base(), '--cluster', 'prod', '--format', 'json'], o.cli);
    assert.equal(code, 0, o.err());
    const json = JSON.parse(o.out()) as { clusters: any[] };
    assert.equal(json.clusters.length, 1);
    const prod = json.clusters[0];
    assert.deepEqual(Object.keys(prod), ['name', 'arn', 'health', 'services', 'tasks']);
    assert.equal(prod.name, 'prod');
    assert.equal(prod.services.length, 26);
    const svc = prod.services.find((s: any) => s.name === 'svc-01');
    assert.deepEqual(Object.keys(svc), ['name', 'arn', 'desiredCount', 'runningCount', 'pendingCount', 'rolloutState', 'health', 'tasks']);
    assert.equal(svc.health, 'HEALTHY');
    assert.equal(svc.rolloutState, 'COMPLETED');
    const task = svc.tasks[0];
    assert.deepEqual(Object.keys(task), ['id', 'arn', 'lastStatus', 'health', 'stopCode', 'stoppedReason', 'containers']);
    assert.deepEqual(Object.keys(task.containers[0]), ['name', 'lastStatus', 'health', 'exitCode', 'reason']);
    const svc4 = prod.services.find((s: any) => s.name === 'svc-04');
    assert.equal(svc4.health, 'UNHEALTHY');
    assert.equal(prod.health, 'UNHEALTHY', 'the cluster is the worst of its services');
    assert.equal(prod.tasks.length, 1, 'the standalone task');
    // One task stream for the whole cluster, not one per service.
    const lists = sim.callsTo('ListTasks');
    assert.equal(lists.length, 3, '~280 tasks: three pages of 100');
    assert.ok(lists.every((c) => c.params.serviceName === undefined && c.params.maxResults === 100));
    assert.equal(sim.callsTo('DescribeServices').length, 3);
  });

  it('--service narrows to one service; --include-stopped adds stopped tasks', async () => {
    const o = io();
    const code = await main(['status', ...base(), '--cluster', 'prod', '--service', 'svc-02', '--include-stopped', '--format', 'json'], o.cli);
    assert.equal(code, 0, o.err());
    const json = JSON.parse(o.out());
    const svc = json.clusters[0].services;
    assert.equal(svc.length, 1);
    const stopped = svc[0].tasks.find((t: any) => t.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    assert.match(stopped.stoppedReason, /Essential container/);
    assert.equal(stopped.containers[0].exitCode, 1);
    assert.deepEqual(json.clusters[0].tasks, [], 'standalone tasks are left out with --service');
  });

  it('prints a readable text tree', async () => {
    const o = io();
    assert.equal(await main(['status', ...base(), '--cluster', 'prod'], o.cli), 0);
    assert.match(o.out(), /^cluster prod {2}health UNHEALTHY {2}26 services/m);
    assert.match(o.out(), /^ {2}service svc-01 {2}1\/1 running {2}rollout COMPLETED {2}health HEALTHY$/m);
    assert.match(o.out(), /^ {4}task [0-9a-f]{32} {2}RUNNING/m);
    assert.match(o.out(), /^ {2}standalone tasks$/m);
  });

  it('an unknown cluster exits 1 with one line', async () => {
    const o = io();
    assert.equal(await main(['status', ...base(), '--cluster', 'nope'], o.cli), 1);
    assert.equal(o.err().trim().split('\n').length, 1);
    assert.match(o.err(), /Cluster "nope" not found/);
  });

  it('an AccessDenied cluster is an error on that cluster; the others print; exit 1', async () => {
    sim.setFaults({ accessDenied: [{ resource: 'locked', operation: 'ListServices' }] });
    try {
      const o = io();
      const code = await main(['status', ...base(), '--format', 'json'], o.cli);
      assert.equal(code, 1);
      const json = JSON.parse(o.out());
      const locked = json.clusters.find((c: any) => c.name === 'locked');
      assert.match(locked.error, /Access denied/);
      assert.equal(json.clusters.find((c: any) => c.name === 'prod').services.length, 26);
      assert.match(o.err(), /could not be read: Access denied/);
    } finally {
      sim.setFaults({ accessDenied: [] });
    }
  });

  it('throttling storms never reach the output', async () => {
    const args = ['status', ...base(), '--cluster', 'prod', '--format', 'json'];
    const calm = io();
    assert.equal(await main(args, calm.cli), 0, calm.err());
    // Every List and Describe of the cluster's services and tasks meets throttling: the first calls
    // of each that reach the server are throttled, however fast they come (fewer than the retries
    // one call may make, even if one call meets them all).
    const storm = { 'ecs:ListServices': 2, 'ecs:DescribeServices': 3, 'ecs:ListTasks': 2, 'ecs:DescribeTasks': 3 };
    sim.clearCalls();
    sim.setFaults({ throttleNext: storm });
    try {
      const o = io();
      const code = await main(args, o.cli);
      assert.equal(code, 0, o.err());
      assert.doesNotMatch(o.out() + o.err(), /Throttl/i);
      assert.equal(o.out(), calm.out(), 'every cluster, service and task, exactly as without throttling');
      const throttled = sim.calls.filter((c) => c.fault === 'throttle');
      assert.ok(throttled.every((c) => c.errorType === 'ThrottlingException'));
      const byOperation = Object.fromEntries(Object.keys(storm).map((k) => [k, throttled.filter((c) => `ecs:${c.operation}` === k).length]));
      assert.deepEqual(byOperation, storm, 'the simulator throttled exactly these calls');
      assert.equal(throttled.length, 10);
    } finally {
      sim.setFaults({ throttleNext: {} });
    }
  });

  it('bad usage exits 2', async () => {
    const o = io();
    assert.equal(await main(['status', '--format', 'xml'], o.cli), 2);
    assert.equal(await main(['status', '--endpoint-url', 'not a url'], io().cli), 2);
  });
});

describe('ecs-doctor status: a deployment the circuit breaker rolled back', () => {
  let sim: Simulator;
  let restoreEnv: () => void = () => undefined;
  before(async () => {
    sim = await startSimulator({ scenario: 'demo' });
    restoreEnv = sandboxEnv();
  });
  after(async () => {
    restoreEnv();
    await sim.stop();
  });

  it('says so in JSON (rolledBack) and in text, and only for that service', async () => {
    const args = ['status', '--region', 'us-east-1', '--endpoint-url', sim.url, '--cluster', 'prod'];
    const j = io();
    assert.equal(await main([...args, '--format', 'json'], j.cli), 0, j.err());
    const services = (JSON.parse(j.out()) as { clusters: { services: { name: string; rolledBack?: boolean }[] }[] }).clusters[0]!.services;
    assert.equal(services.find((s) => s.name === 'checkout')?.rolledBack, true);
    assert.deepEqual(services.filter((s) => s.rolledBack).map((s) => s.name), ['checkout']);
    const t = io();
    assert.equal(await main(args, t.cli), 0, t.err());
    const line = t.out().split('\n').find((l) => l.includes('service checkout'));
    assert.match(line ?? '', /circuit breaker rolled back/);
    assert.doesNotMatch(t.out().split('\n').find((l) => l.includes('service web ')) ?? '', /rolled back/);
  });
});

// moto and LocalStack answer ListTasks without desiredStatus with every task, and match the
// cluster name as a prefix: the simulator's `thin` setting behaves so.
describe('ecs-doctor status against a thin endpoint (ListTasks lists every status, matches clusters by prefix)', () => {
  let sim: Simulator;
  let restoreEnv: () => void = () => undefined;
  before(async () => {
    const scenario = pagingScenario();
    scenario.clusters!.push({ name: 'prod-2', tasks: [{ taskDefinition: 'app:3', startedBy: 'other-cluster' }] });
    sim = await startSimulator({ scenario, faults: { thin: true } });
    restoreEnv = sandboxEnv();
  });
  after(async () => {
    restoreEnv();
    await sim.stop();
  });
  const base = () => ['--region', 'us-east-1', '--endpoint-url', sim.url];
  type J = { clusters: { services: { tasks: { arn: string; lastStatus: string }[] }[]; tasks: { arn: string; lastStatus: string }[] }[] };

  it('without --include-stopped shows no STOPPED task: every ListTasks says which status it means', async () => {
    const o = io();
    sim.clearCalls();
    assert.equal(await main(['status', ...base(), '--cluster', 'prod', '--format', 'json'], o.cli), 0, o.err());
    const json = JSON.parse(o.out()) as J;
    const all = json.clusters.flatMap((c) => [...c.tasks, ...c.services.flatMap((s) => s.tasks)]);
    assert.ok(all.length > 250);
    assert.deepEqual(all.filter((t) => t.lastStatus === 'STOPPED'), []);
    assert.ok(sim.callsTo('ListTasks').every((c) => c.params.desiredStatus === 'RUNNING'));
  });

  it('a task of another cluster that the endpoint listed and described is not shown as a standalone task', async () => {
    const o = io();
    sim.clearCalls();
    assert.equal(await main(['status', ...base(), '--cluster', 'prod', '--format', 'json'], o.cli), 0, o.err());
    const json = JSON.parse(o.out()) as J;
    assert.ok(sim.callsTo('ListTasks').some((c) => c.status === 200), 'the endpoint answered');
    const prod = json.clusters[0]!;
    assert.ok(prod.tasks.length >= 1, 'prod\'s own standalone task stays');
    const all = [...prod.tasks, ...prod.services.flatMap((s) => s.tasks)];
    assert.deepEqual(all.filter((t) => t.arn.includes('/prod-2/')), []);
  });
});

describe('ecs-doctor status flags a rollout that makes no progress', () => {
  let sim: Simulator;
  let restoreEnv: () => void = () => undefined;
  before(async () => {
    // The service doctor's live services, as loaded (their rollouts as the scenario leaves them).
    sim = await startSimulator({ scenario: 'services' });
    restoreEnv = sandboxEnv();
  });
  after(async () => {
    restoreEnv();
    await sim.stop();
  });

  it('"deployment stuck" in text and deploymentStuck in JSON, for the stuck services only', async () => {
    const args = ['status', '--region', 'us-east-1', '--endpoint-url', sim.url, '--cluster', 'live'];
    const j = io();
    await main([...args, '--format', 'json'], j.cli);
    const services = (JSON.parse(j.out()) as { clusters: Array<{ services: Array<{ name: string; deploymentStuck?: string }> }> }).clusters[0]!.services;
    const stuck = Object.fromEntries(services.filter((s) => s.deploymentStuck).map((s) => [s.name, s.deploymentStuck]));
    assert.deepEqual(Object.keys(stuck).sort(), ['stuck-config', 'stuck-failing', 'stuck-placement']);
    assert.equal(stuck['stuck-placement'], 'deployment stuck: tasks cannot be placed');
    assert.match(stuck['stuck-config']!, /^deployment stuck: \d+ (min|h)( \d+ min)? in progress$/);
    const t = io();
    await main([...args, '--format', 'text'], t.cli);
    assert.match(t.out(), /service stuck-config .*deployment stuck: .* in progress/);
    assert.doesNotMatch(t.out(), /service healthy-web .*stuck/);
  });
});
