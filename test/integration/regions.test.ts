// A second Region (ecsDoctor.regions) in the real extension host: the simulator serves the demo
// account in us-east-1 and a cluster `west` only in us-west-2; a node of us-west-2 diagnoses and
// checks ECS Exec readiness in us-west-2, proven by the Region of every call the simulator saw
// (the SigV4 credential scope of each request).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { diagnoseStoppedTask, type DiagnoseUi } from '../../src/editor/commands/diagnoseStoppedTask';
import { checkExecReadiness, type ExecUi } from '../../src/editor/exec';
import { forwardPort, type ForwardUi } from '../../src/editor/forward';
import type { ExplorerHandle } from '../../src/editor/explorer';
import type { ExplorerNode, TaskNode } from '../../src/core/explorer/nodes';
import { present } from '../../src/core/explorer/present';
import { readScenario } from '../../sim/scenario';
import { startSimulator, type Simulator } from '../../sim/server';
import type { ScenarioData } from '../../sim/types';
import { getApi, waitFor, withSettings } from './helpers';

const WEST = 'us-west-2';
const UNHEALTHY_WORKER = '3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f'; // demo prod/worker: RUNNING, UNHEALTHY

/** The demo account, plus its `prod` cluster again as `west`, in us-west-2 only. */
function twoRegions(): ScenarioData {
  const demo = readScenario('demo');
  const prod = demo.clusters!.find((c) => c.name === 'prod')!;
  return { ...demo, name: 'two-regions', clusters: [...demo.clusters!, { ...structuredClone(prod), name: 'west', region: WEST }] };
}

function diagnoseUi(errors: string[]): DiagnoseUi {
  return {
    pickCluster: async () => undefined,
    pickTask: async () => undefined,
    withProgress: (_t, work) => work(),
    info: () => undefined,
    error: (m) => void errors.push(m),
  };
}

function execUi(errors: string[]): ExecUi {
  return {
    pick: async () => undefined,
    askCommand: async () => undefined,
    withProgress: (_t, work) => work(),
    showChecks: async () => undefined,
    confirm: async () => false,
    blocked: async (m) => void errors.push(m),
    checkDetail: async () => undefined,
    error: async (m) => void errors.push(m),
    info: () => undefined,
    openExternal: () => undefined,
  };
}

suite('Regions: a node of a second Region', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let restore: (() => Promise<void>) | undefined;
  let handle: ExplorerHandle;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  const disposables: Array<{ dispose(): void }> = [];

  suiteSetup(async () => {
    sim = await startSimulator({ scenario: twoRegions() });
    process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000003';
    process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
    restore = await withSettings({ endpoint: sim.url, region: 'us-east-1', profile: '', regions: ['us-east-1', WEST], refreshInterval: 0 });
    await getApi();
    await vscode.commands.executeCommand('ecsDoctor.explorer.focus');
    handle = (await vscode.commands.executeCommand<ExplorerHandle>('ecsDoctor.internal.explorer'))!;
  });

  suiteTeardown(async () => {
    for (const d of disposables) d.dispose();
    await restore?.();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    await sim?.stop();
  });

  /** A task node (`id`, else the first) of service `service` of cluster `west`, in the us-west-2 part of the tree. */
  async function westTask(service: string, id?: string): Promise<TaskNode> {
    const model = await waitFor(async () => {
      const m = await handle.model();
      return m && m.children().some((n) => n.kind === 'region' && n.region === WEST) ? m : undefined;
    }, 'the explorer with both Regions');
    const region = model.children().find((n) => n.kind === 'region' && n.region === WEST)!;
    await model.expand(region);
    const names = (nodes: ExplorerNode[]) => nodes.map((n) => present(n).label);
    assert.deepEqual(names(model.children(region)), ['west'], "us-west-2 shows that Region's clusters only");
    const west = model.children(region)[0]!;
    await model.expand(west);
    const svc = model.children(west).find((n) => n.kind === 'service' && n.serviceName === service)!;
    await model.expand(svc);
    const task = model.children(svc).find((n): n is TaskNode => n.kind === 'task' && (!id || n.taskArn.endsWith(id)) && n.task?.lastStatus === 'RUNNING');
    assert.ok(task, `a running task ${id ?? ''} under west/${service}`);
    assert.equal(task.scope?.region, WEST);
    assert.ok(task.taskArn.startsWith(`arn:aws:ecs:${WEST}:`), task.taskArn);
    return task;
  }

  /**
   * Every ECS call since `from` that names the cluster `west` (its name or an ARN of it) was
   * signed for us-west-2, and `op` was one of them. (The explorer may be reading us-east-1 at the
   * same time: those calls name other clusters.)
   */
  function allInWest(from: number, op: string): void {
    const namesWest = (params: unknown) => /(^|[/"])west([/"]|$)/.test(JSON.stringify(params));
    const ecs = sim.calls.slice(from).filter((c) => c.service === 'ecs' && namesWest(c.params));
    assert.ok(ecs.some((c) => c.operation === op), `${op} of west was called: ${sim.calls.slice(from).map((c) => `${c.operation}@${c.region}`).join(', ')}`);
    assert.deepEqual([...new Set(ecs.map((c) => c.region))], [WEST], ecs.map((c) => `${c.operation}@${c.region}`).join(', '));
  }

  test('Diagnose from a us-west-2 task node runs in us-west-2', async () => {
    const api = await getApi();
    const node = await westTask('worker', UNHEALTHY_WORKER);
    const from = sim.calls.length;
    const errors: string[] = [];
    const panel = await diagnoseStoppedTask(api.ctx, node, diagnoseUi(errors));
    if (panel) disposables.push(panel);
    assert.deepEqual(errors, []);
    assert.ok(panel, 'a report');
    allInWest(from, 'DescribeTasks');
  });

  test('Check ECS Exec Readiness from a us-west-2 container node runs in us-west-2', async () => {
    const api = await getApi();
    const task = await westTask('web');
    const model = (await handle.model())!;
    const container = model.children(task).find((n) => n.kind === 'container' && present(n).label === 'web');
    assert.ok(container, 'the web container node');
    const from = sim.calls.length;
    const errors: string[] = [];
    const checks = await checkExecReadiness(api.ctx, execUi(errors), container);
    assert.deepEqual(errors, []);
    assert.ok(checks, 'the preflight ran');
    assert.equal(checks.find((c) => c.id === 'task-running')?.status, 'pass', 'the task was found in its Region');
    allInWest(from, 'DescribeTasks');
  });

  test('Forward a Port... from a us-west-2 container node runs its preflight in us-west-2', async () => {
    const api = await getApi();
    const task = await westTask('web');
    const model = (await handle.model())!;
    const container = model.children(task).find((n) => n.kind === 'container' && present(n).label === 'web');
    assert.ok(container, 'the web container node');
    // No plugin: the preflight runs in full, then stops at the plugin check (nothing is started).
    const restorePlugin = await withSettings({ sessionManagerPluginPath: '/nonexistent/session-manager-plugin' });
    try {
      const from = sim.calls.length;
      const errors: string[] = [];
      const ui: ForwardUi = {
        ...execUi(errors),
        pickRemote: async () => undefined,
        askLocalPort: async () => undefined,
        showForwards: async () => undefined,
        notice: async () => undefined,
      };
      const f = await forwardPort(api.ctx, api.forwards, ui, { ...container, port: 8080, localPort: 18099 });
      assert.equal(f, undefined);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0]!, /The Session Manager plugin was not found at "\/nonexistent\/session-manager-plugin"/);
      allInWest(from, 'DescribeTasks');
    } finally {
      await restorePlugin();
    }
  });

  test('the sessions of a node are the Ctx\'s, one per Region, shared with the explorer', async () => {
    const api = await getApi();
    const node = await westTask('web');
    const a = await api.ctx.sessionForNode(node);
    const b = await api.ctx.sessionFor({ region: WEST });
    assert.equal(a, b);
    assert.equal(await a.region(), WEST);
    assert.equal(await api.ctx.sessionForNode(undefined), await api.ctx.session());
  });
});
