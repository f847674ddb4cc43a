import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EcsData } from '../../../../src/aws/ecs';
import { ExplorerModel, present, type ClusterNode, type ExplorerNode, type ServiceNode, type TaskNode } from '../../../../src/core/explorer/model';
import { escapeMarkdown } from '../../../../src/core/explorer/present';
import { startSimulator, type Simulator } from '../../../../sim/server';
import { pagingScenario } from '../../helpers/simFixture';

/** Resolves once `test()` holds: checked now and after each change the model fires. */
function until(model: ExplorerModel, test: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (test()) return resolve();
    const off = model.onDidChange(() => {
      if (!test()) return;
      off();
      resolve();
    });
  });
}

function byLabel(nodes: ExplorerNode[], label: string): ExplorerNode {
  const n = nodes.find((c) => present(c).label === label);
  assert.ok(n, `no node "${label}" among ${nodes.map((c) => present(c).label).join(', ')}`);
  return n;
}

describe('ExplorerModel over the simulator', () => {
  let sim: Simulator;
  let client: ECSClient;
  let model: ExplorerModel;
  let data: EcsData;
  const fired: ExplorerNode[] = [];

  before(async () => {
    const scenario = pagingScenario();
    // A non-essential sidecar that is UNHEALTHY must not make svc-03's task unhealthy.
    scenario.clusters![0]!.tasks!.push({ service: 'svc-03', healthStatus: undefined as never, containers: [{ name: 'app', healthStatus: 'HEALTHY' }, { name: 'log-router', healthStatus: 'UNHEALTHY' }] });
    sim = await startSimulator({ scenario });
    // svc-05's task reports only its non-essential sidecar, HEALTHY, and no task health (a thin endpoint's answer).
    const lone = [...sim.state.ecs.clusters.get('prod')!.tasks.values()].find((t) => t.group === 'service:svc-05')!;
    lone.containers = lone.containers!.filter((c) => c.name === 'log-router').map((c) => ({ ...c, healthStatus: 'HEALTHY' }));
    delete lone.healthStatus;
    client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    data = new EcsData(client);
    model = new ExplorerModel({ scopes: [{ id: 'test@us-east-1', profile: 'test', region: 'us-east-1', source: data }], profile: 'test' });
    model.onDidChange((n) => fired.push(n));
  });
  after(async () => {
    model.dispose();
    client.destroy();
    await sim.stop();
  });

  it('shows the profile and Region first, then the clusters', async () => {
    await model.expand();
    const top = model.children();
    assert.equal(top[0]!.kind, 'header');
    assert.equal(present(top[0]!).label, 'Profile: test', 'the profile row never reads like a cluster name');
    assert.equal(present(top[0]!).description, 'us-east-1');
    assert.deepEqual(top.slice(1).map((n) => present(n).label), ['prod', 'staging']);
    const prod = top[1] as ClusterNode;
    assert.equal(prod.cluster?.activeServicesCount, 26);
    assert.equal(present(prod).contextValue, 'ecsDoctor.cluster');
  });

  it('names come before details; then every service has its health', async () => {
    const prod = byLabel(model.children(), 'prod') as ClusterNode;
    const listed = model.whenListed(prod);
    await listed;
    const names = model.children(prod).filter((n) => n.kind === 'service');
    assert.equal(names.length, 26, 'every name is in once the List is done');
    await model.expand(prod);
    const services = model.children(prod).filter((n): n is ServiceNode => n.kind === 'service');
    assert.ok(services.every((s) => s.health !== undefined));
    const svc1 = services.find((s) => s.serviceName === 'svc-01')!;
    // Its tasks are not read yet (no background reads in this model): neutral, never a pass.
    const p = present(svc1);
    assert.equal(p.description, '1/1 running · health not read');
    assert.deepEqual(p.icon, { id: 'clock', color: 'disabledForeground' });
    assert.equal(p.contextValue, 'ecsDoctor.service.unknown');
    assert.equal(model.children(prod).at(-1)!.kind, 'standaloneGroup');
    assert.ok(prod.health, 'the cluster rolls up its services');
  });

  it('a service lists its tasks with health, containers, events and a Stopped group', async () => {
    const prod = byLabel(model.children(), 'prod');
    const svc = byLabel(model.children(prod), 'svc-01') as ServiceNode;
    await model.expand(svc);
    const kids = model.children(svc);
    assert.deepEqual(kids.map((k) => k.kind), ['task', 'eventsGroup', 'stoppedGroup']);
    const task = kids[0] as TaskNode;
    assert.equal(task.health, 'HEALTHY');
    const tp = present(task);
    assert.equal(tp.contextValue, 'ecsDoctor.task.running.exec');
    assert.match(tp.description!, /^RUNNING · HEALTHY · app:3$/);
    const containers = model.children(task);
    assert.deepEqual(containers.map((c) => present(c).label), ['app', 'log-router']);
    assert.equal(present(containers[0]!).contextValue, 'ecsDoctor.container.running');
    assert.equal(svc.health?.health, 'HEALTHY', 'service health now comes from its running tasks');
    assert.deepEqual(present(svc).icon, { id: 'pass', color: 'testing.iconPassed' });
    assert.equal(present(svc).contextValue, 'ecsDoctor.service.healthy');
  });

  it('a non-essential sidecar never makes a task unhealthy (computed with the task definition)', async () => {
    const prod = byLabel(model.children(), 'prod');
    const svc = byLabel(model.children(prod), 'svc-03') as ServiceNode;
    await model.expand(svc);
    const tasks = model.children(svc).filter((n): n is TaskNode => n.kind === 'task');
    const withSidecar = tasks.find((t) => t.task?.containers?.some((c) => c.healthStatus === 'UNHEALTHY'));
    assert.ok(withSidecar);
    // Wait for the task definition read that the computation needs: the model fires the task's
    // change once its health is computed.
    await until(model, () => withSidecar.health !== undefined);
    if (withSidecar.task?.healthStatus) assert.equal(withSidecar.healthSource, 'task');
    else {
      assert.equal(withSidecar.health, 'HEALTHY');
      assert.equal(withSidecar.healthSource, 'computed');
      const sidecar = model.children(withSidecar).find((c) => present(c).label === 'log-router')!;
      assert.match(present(sidecar).description!, /non-essential/);
    }
  });

  it('a task whose only reported container is a non-essential sidecar is UNKNOWN, not HEALTHY', async () => {
    const prod = byLabel(model.children(), 'prod');
    const svc = byLabel(model.children(prod), 'svc-05') as ServiceNode;
    await model.expand(svc);
    const tasks = model.children(svc).filter((n): n is TaskNode => n.kind === 'task');
    const lone = tasks.find((t) => t.task?.containers?.length === 1 && t.task.containers[0]!.name === 'log-router');
    assert.ok(lone, 'the simulator reports the sidecar alone');
    await until(model, () => lone.health !== undefined);
    assert.equal(lone.health, 'UNKNOWN');
    // A refresh keeps what the task definition said (the essential flags it has read).
    await model.reload(svc);
    await model.expand(svc);
    const again = model.children(svc).find((n): n is TaskNode => n.kind === 'task' && n.taskArn === lone.taskArn)!;
    await until(model, () => again.health !== undefined);
    assert.equal(again.health, 'UNKNOWN');
  });

  it('stopped tasks: newest first, stopCode and reason, contextValue .stopped', async () => {
    const prod = byLabel(model.children(), 'prod');
    const svc = byLabel(model.children(prod), 'svc-02') as ServiceNode;
    await model.expand(svc);
    const stopped = model.children(svc).find((n) => n.kind === 'stoppedGroup')!;
    await model.expand(stopped);
    const tasks = model.children(stopped);
    assert.equal(tasks.length, 1);
    const p = present(tasks[0]!);
    assert.equal(p.contextValue, 'ecsDoctor.task.stopped');
    assert.match(p.description!, /^EssentialContainerExited · Essential container in task exited/);
    assert.deepEqual(p.icon, { id: 'error', color: 'testing.iconFailed' });
    const container = model.children(tasks[0]!)[0]!;
    assert.match(present(container).description!, /STOPPED · exit 1/);
  });

  it('standalone tasks appear under their cluster', async () => {
    const prod = byLabel(model.children(), 'prod');
    const group = model.children(prod).find((n) => n.kind === 'standaloneGroup')!;
    await model.expand(group);
    const tasks = model.children(group).filter((n): n is TaskNode => n.kind === 'task');
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0]!.task?.startedBy, 'nightly');
    assert.equal(model.children(group).at(-1)!.kind, 'stoppedGroup');
  });

  it('an empty list says so', async () => {
    const staging = byLabel(model.children(), 'staging');
    await model.expand(staging);
    const kids = model.children(staging);
    assert.equal(kids[0]!.kind, 'placeholder');
    assert.equal(present(kids[0]!).label, 'No services');
  });

  it('refresh keeps node identity and fires only what changed', async () => {
    const prod = byLabel(model.children(), 'prod');
    const svc = byLabel(model.children(prod), 'svc-01') as ServiceNode;
    const task = model.children(svc)[0] as TaskNode;
    await model.refresh(); // settle
    fired.length = 0;
    await model.refresh();
    assert.deepEqual(fired.map((n) => n.id), [], 'nothing changed, nothing fired');
    const live = sim.task(task.taskId)!;
    live.containers![0]!.healthStatus = 'UNHEALTHY';
    live.healthStatus = 'UNHEALTHY';
    fired.length = 0;
    await model.refresh();
    assert.equal(model.children(svc)[0], task, 'same node object');
    assert.equal(task.health, 'UNHEALTHY');
    assert.ok(fired.includes(task));
    assert.ok(fired.includes(svc), 'the service rolled up the change');
    assert.ok(!fired.some((n) => n.kind === 'service' && n !== svc), 'other services did not fire');
    assert.equal(present(svc).contextValue, 'ecsDoctor.service.failed.attention');
  });

  it('an AccessDenied cluster becomes an error node; the rest still works', async () => {
    sim.setFaults({ accessDenied: [{ resource: 'staging', operation: 'ListServices' }] });
    const m = new ExplorerModel({ scopes: [{ id: 'x', profile: undefined, region: 'us-east-1', source: new EcsData(client) }], showHeader: false });
    try {
      await m.expand();
      const staging = byLabel(m.children(), 'staging');
      await m.expand(staging);
      const err = m.children(staging)[0]!;
      assert.equal(err.kind, 'error');
      const p = present(err);
      assert.match(p.label, /Failed to load services of staging/);
      assert.match(p.description!, /Access denied/);
      assert.equal(p.command?.id, 'ecsDoctor.showLog');
      const prod = byLabel(m.children(), 'prod');
      await m.expand(prod);
      assert.equal(m.children(prod).filter((n) => n.kind === 'service').length, 26);
    } finally {
      m.dispose();
      sim.setFaults({ accessDenied: [] });
    }
  });
});

describe('presentation', () => {
  it('tooltips show names as text', () => {
    assert.equal(escapeMarkdown('[x](http://e) *b* `c` $(bug) <img>'), '\\[x\\]\\(http://e\\) \\*b\\* \\`c\\` \\$\\(bug\\) &lt;img&gt;');
  });
});
