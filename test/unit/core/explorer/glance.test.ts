import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EcsData } from '../../../../src/aws/ecs';
import { formatAge, serviceGlance } from '../../../../src/core/explorer/glance';
import { ExplorerModel, present, type ClusterNode, type ExplorerNode, type ServiceNode } from '../../../../src/core/explorer/model';
import { presentContainer } from '../../../../src/core/explorer/present';
import type { EcsTask } from '../../../../src/core/ecsTypes';
import { startSimulator, type Simulator } from '../../../../sim/server';
import type { ScenarioData } from '../../../../sim/types';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (min: number) => new Date(NOW - min * 60_000).toISOString();

describe('serviceGlance (one page of STOPPED tasks -> the service row)', () => {
  const oom: EcsTask = { lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'OutOfMemoryError: Container killed due to memory usage', stoppedAt: ago(18), containers: [{ name: 'app', exitCode: 137 }] };
  const scaleIn: EcsTask = { lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/123)', stoppedAt: ago(5) };

  it('nothing stopped: no text, not restarting', () => {
    const g = serviceGlance([], NOW);
    assert.equal(g.text, undefined);
    assert.equal(g.stopped, 0);
    assert.equal(g.restarting, false);
  });
  it('one stop: its age and its family', () => {
    const g = serviceGlance([oom], NOW);
    assert.equal(g.text, '1 stopped 18m ago · OutOfMemoryError');
    assert.equal(g.trouble, 1);
    assert.equal(g.restarting, false);
  });
  it('a scale-in is a stop but not trouble', () => {
    const g = serviceGlance([scaleIn], NOW);
    assert.equal(g.stopped, 1);
    assert.equal(g.trouble, 0);
    assert.equal(g.text, '1 stopped 5m ago · ServiceSchedulerInitiated');
  });
  it('many failing stops in the hour: restarting, with the count (and "+" for a full page)', () => {
    const many = Array.from({ length: 14 }, (_, i) => ({ ...oom, stoppedAt: ago(2 + i * 4) }));
    const g = serviceGlance(many, NOW);
    assert.equal(g.restarting, true);
    assert.equal(g.text, 'restarting: 14 stopped in 1 h');
    assert.equal(serviceGlance(many, NOW, { more: true }).text, 'restarting: 14+ stopped in 1 h');
    assert.equal(g.newest?.category, 'OutOfMemoryError');
    assert.equal(Math.round(g.newest!.ageMs / 60_000), 2, 'the newest is first');
  });
  it('stops older than an hour do not count', () => {
    const g = serviceGlance([{ ...oom, stoppedAt: ago(90) }], NOW);
    assert.equal(g.stopped, 0);
    assert.equal(g.text, undefined);
  });
  it('ages read short', () => {
    assert.equal(formatAge(45_000), '45s');
    assert.equal(formatAge(18 * 60_000), '18m');
    assert.equal(formatAge(2 * 3_600_000), '2 h');
  });
});

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

function scenario(): ScenarioData {
  const td = (family: string, containers: { name: string; essential?: boolean }[]) => ({
    family,
    revision: 1,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: containers.map((c) => ({ image: `${c.name}:1`, essential: c.essential ?? true, ...c })),
  });
  return {
    name: 'glance',
    taskDefinitions: [td('web', [{ name: 'app' }, { name: 'log-router', essential: false }]), td('worker', [{ name: 'worker' }])],
    clusters: [
      {
        name: 'prod',
        services: [
          { name: 'web', taskDefinition: 'web:1', desiredCount: 1, runningTasks: 1 },
          // Full capacity, one running task UNHEALTHY: the service is failing, expanded or not.
          { name: 'worker', taskDefinition: 'worker:1', desiredCount: 2, runningTasks: 0 },
          { name: 'crashy', taskDefinition: 'worker:1', desiredCount: 1, runningTasks: 1 },
        ],
        tasks: [
          { service: 'worker', taskDefinition: 'worker:1', healthStatus: 'HEALTHY', containers: [{ name: 'worker', healthStatus: 'HEALTHY' }] },
          { service: 'worker', taskDefinition: 'worker:1', healthStatus: 'UNHEALTHY', containers: [{ name: 'worker', healthStatus: 'UNHEALTHY' }] },
          { service: 'web', taskDefinition: 'web:1', lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'OutOfMemoryError: Container killed due to memory usage', stoppedAt: '-18m', containers: [{ name: 'app', exitCode: 137 }] },
          ...[3, 9, 15, 21].map((m) => ({
            service: 'crashy',
            taskDefinition: 'worker:1',
            lastStatus: 'STOPPED',
            stopCode: 'EssentialContainerExited',
            stoppedReason: 'Essential container in task exited',
            stoppedAt: `-${m}m`,
            containers: [{ name: 'worker', exitCode: 1 }],
          })),
        ],
      },
    ],
  } as ScenarioData;
}

describe('ExplorerModel: background health and recent trouble of the visible services', () => {
  let sim: Simulator;
  let client: ECSClient;

  before(async () => {
    sim = await startSimulator({ scenario: scenario(), now: () => NOW, throttle: false });
    client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await sim.stop();
  });

  const make = (background = true) =>
    new ExplorerModel({ scopes: [{ id: 't@us-east-1', profile: 't', region: 'us-east-1', source: new EcsData(client) }], profile: 't', now: () => NOW, ...(background ? { background: { maxServices: 10, concurrency: 2 } } : {}) });

  async function prodOf(model: ExplorerModel): Promise<{ prod: ClusterNode; svc: (name: string) => ServiceNode }> {
    await model.expand();
    const prod = model.children().find((n): n is ClusterNode => n.kind === 'cluster' && n.clusterName === 'prod')!;
    await model.expand(prod);
    const svc = (name: string) => model.children(prod).find((n): n is ServiceNode => n.kind === 'service' && n.serviceName === name)!;
    return { prod, svc };
  }

  it('a service is never shown HEALTHY while one of its running tasks is UNHEALTHY, unexpanded', async () => {
    const model = make();
    const seen: string[] = [];
    model.onDidChange((n: ExplorerNode) => {
      if (n.kind === 'service' && n.serviceName === 'worker') seen.push(present(n).icon.id);
    });
    try {
      const { prod, svc } = await prodOf(model);
      const worker = svc('worker');
      await until(model, () => worker.health?.health !== undefined);
      assert.equal(worker.health?.health, 'UNHEALTHY');
      assert.deepEqual(present(worker).icon, { id: 'error', color: 'testing.iconFailed' });
      assert.ok(!seen.includes('pass'), `never a pass on the way (icons: ${seen.join(', ')})`);
      // The cluster's icon agrees and its tooltip names the service that makes it red.
      await until(model, () => present(prod).icon.id === 'error');
      assert.match(present(prod).tooltip!, /\*\*failing\*\* because of .*`worker`/);
      assert.match(present(prod).description!, /failing \(.*worker.*\)/);
    } finally {
      model.dispose();
    }
  });

  it('recent trouble shows on the service row and counts on its Stopped group', async () => {
    const model = make();
    try {
      const { svc } = await prodOf(model);
      const web = svc('web');
      const crashy = svc('crashy');
      await until(model, () => web.glance !== undefined && crashy.glance !== undefined);
      assert.match(present(web).description!, /1 stopped 18m ago · OutOfMemoryError/);
      assert.match(present(crashy).description!, /restarting: 4 stopped in 1 h/);
      assert.deepEqual(present(crashy).icon, { id: 'debug-restart', color: 'testing.iconFailed' });
      assert.match(present(crashy).contextValue, /^ecsDoctor\.service\.failed\.restarting\.attention$/);
      const group = model.children(web).find((n) => n.kind === 'stoppedGroup')!;
      assert.equal(present(group).description, '1 in the last hour', 'the count before the group is expanded');
    } finally {
      model.dispose();
    }
  });

  it('sidecars carry the "non-essential" marker even when ECS gives the task health', async () => {
    const model = make(false);
    try {
      const { svc } = await prodOf(model);
      const web = svc('web');
      await model.expand(web);
      const task = model.children(web).find((n) => n.kind === 'task')!;
      const sidecar = () => model.children(task).find((c) => c.kind === 'container' && c.containerName === 'log-router');
      await until(model, () => !!sidecar() && /non-essential/.test(present(sidecar()!).description ?? ''));
      assert.match(present(sidecar()!).description!, /non-essential/);
    } finally {
      model.dispose();
    }
  });

  it('one stopped-page read per service at a time: a second ask joins the read in flight', async () => {
    const model = make(false);
    try {
      const { svc } = await prodOf(model);
      const web = svc('web');
      const hold = sim.hold('ListTasks');
      const first = model.readStopped(web);
      await hold.caught(1);
      assert.equal(model.readStopped(web), first, 'joined, not a second overlapping read');
      hold.end();
      await first;
      assert.equal(hold.calls.length, 1);
      assert.equal(hold.calls[0]!.params.desiredStatus, 'STOPPED');
      assert.equal(web.glance?.stopped, 1);
    } finally {
      model.dispose();
    }
  });

  it('without background reads an unexpanded service is "not read", never a pass', async () => {
    const model = make(false);
    try {
      const { svc } = await prodOf(model);
      const p = present(svc('web'));
      assert.deepEqual(p.icon, { id: 'clock', color: 'disabledForeground' });
      assert.match(p.description!, /health not read/);
      assert.match(p.tooltip!, /not read yet/);
    } finally {
      model.dispose();
    }
  });
});

describe('presentation at a glance', () => {
  it('UNKNOWN is a readable "?" (not a tiny outline circle); a sidecar says non-essential', () => {
    const p = presentContainer({ name: 'log-router', lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' }, 'log-router', 'RUNNING', false);
    assert.deepEqual(p.icon, { id: 'question', color: 'problemsInfoIcon.foreground' });
    assert.equal(p.description, 'RUNNING · UNKNOWN · non-essential');
  });
});
