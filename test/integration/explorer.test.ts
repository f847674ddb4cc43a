// The explorer inside a real VS Code: against the simulator, expand the tree through the real
// TreeDataProvider and TreeView and assert labels, icons, descriptions and context values.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../src/core/explorer/nodes';
import type { ExplorerHandle } from '../../src/editor/explorer/index';
import { startSimulator, type Simulator } from '../../sim/server';
import { pagingScenario } from '../unit/helpers/simFixture';
import { getApi, waitFor, withSettings } from './helpers';

function icon(item: vscode.TreeItem): { id: string; color?: string } {
  const i = item.iconPath as vscode.ThemeIcon;
  return { id: i.id, ...(i.color ? { color: (i.color as vscode.ThemeColor).id } : {}) };
}

suite('Explorer', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let restore: (() => Promise<void>) | undefined;
  let handle: ExplorerHandle;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  const item = (n: ExplorerNode) => handle.provider.getTreeItem(n);
  const label = (n: ExplorerNode) => String(item(n).label);
  async function child(parent: ExplorerNode | undefined, name: string): Promise<ExplorerNode> {
    return waitFor(async () => (await handle.provider.getChildren(parent)).find((c) => label(c) === name), `node "${name}"`);
  }

  /** Resolves once `test()` holds: checked now and after each change the tree announces (never on time). */
  function untilTree(test: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      if (test()) return resolve();
      const d = handle.provider.onDidChangeTreeData(() => {
        if (!test()) return;
        d.dispose();
        resolve();
      });
    });
  }

  suiteSetup(async () => {
    const scenario = pagingScenario();
    scenario.clusters!.push({ name: 'locked' });
    // Services whose capacity is met (2/2, 1/1) while a running task is UNHEALTHY: `flaky` says so
    // in its task health, `flaky-td` only in its essential container (its task definition is read).
    const sidecar = { name: 'log-router', healthStatus: 'HEALTHY' };
    scenario.clusters!.push({
      name: 'glance',
      services: [
        { name: 'flaky', taskDefinition: 'app:3', desiredCount: 2 },
        { name: 'flaky-td', taskDefinition: 'app:3', desiredCount: 1 },
      ],
      tasks: [
        { service: 'flaky', healthStatus: 'HEALTHY', containers: [{ name: 'app', healthStatus: 'HEALTHY' }, sidecar] },
        { service: 'flaky', healthStatus: 'UNHEALTHY', containers: [{ name: 'app', healthStatus: 'UNHEALTHY' }, sidecar] },
        { service: 'flaky-td', containers: [{ name: 'app', healthStatus: 'UNHEALTHY' }, sidecar] },
      ],
    } as never);
    sim = await startSimulator({ scenario });
    for (const t of sim.state.ecs.clusters.get('glance')!.tasks.values()) if (t.group === 'service:flaky-td') delete t.healthStatus;
    process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000002';
    process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
    restore = await withSettings({ endpoint: sim.url, region: 'us-east-1', profile: '', regions: [], refreshInterval: 0 });
    await getApi();
    await vscode.commands.executeCommand('ecsDoctor.explorer.focus');
    handle = (await vscode.commands.executeCommand<ExplorerHandle>('ecsDoctor.internal.explorer'))!;
    await waitFor(() => handle.model(), 'the explorer model');
  });

  suiteTeardown(async () => {
    await restore?.();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    await sim?.stop();
  });

  test('profile and Region first, then the clusters', async () => {
    const top = await waitFor(async () => {
      const t = await handle.provider.getChildren();
      return t.length >= 3 ? t : undefined;
    }, 'the clusters');
    assert.equal(item(top[0]!).contextValue, 'ecsDoctor.header');
    assert.equal(item(top[0]!).description, `us-east-1 · ${sim.url}`);
    assert.deepEqual(top.slice(1).map(label), ['glance', 'locked', 'prod', 'staging']);
    assert.equal(label(top[0]!), 'Profile: default', 'the profile row never reads like a cluster');
    // Names come first (from the ARNs); wait for the cluster's details through the tree's events.
    await untilTree(() => item(top[3]!).description !== undefined);
    const prod = item(top[3]!);
    assert.equal(prod.contextValue, 'ecsDoctor.cluster');
    assert.equal(prod.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(String(prod.description), /26 services · 27\d? running|26 services/);
    assert.match(handle.treeView.description ?? '', /us-east-1/);
  });

  test('services with health icons, descriptions and context values', async () => {
    const prod = await child(undefined, 'prod');
    await (await handle.model())!.expand(prod);
    const svc = await child(prod, 'svc-01');
    // Its health is read in the background (the service is not expanded): wait for the tree's events.
    await untilTree(() => item(svc).description === '1/1 running' && icon(item(svc)).id === 'pass');
    const it = item(svc);
    assert.equal(it.description, '1/1 running');
    assert.deepEqual(icon(it), { id: 'pass', color: 'testing.iconPassed' });
    assert.equal(it.contextValue, 'ecsDoctor.service.healthy');
    assert.ok(it.tooltip instanceof vscode.MarkdownString);
    assert.match((it.tooltip as vscode.MarkdownString).value, /\*\*Service\*\* `svc-01`/);
    const standalone = await child(prod, 'Standalone tasks');
    assert.equal(item(standalone).contextValue, 'ecsDoctor.standaloneGroup');
    // The real view can reveal and expand it (getParent works).
    await handle.treeView.reveal(svc, { expand: true, select: true });
  });

  test('tasks and containers; a stopped task under Stopped', async () => {
    const prod = await child(undefined, 'prod');
    const svc = await child(prod, 'svc-01');
    await (await handle.model())!.expand(svc);
    const kids = await handle.provider.getChildren(svc);
    const task = kids.find((k) => k.kind === 'task')!;
    const t = item(task);
    assert.equal(t.contextValue, 'ecsDoctor.task.running.exec');
    assert.equal(t.description, 'RUNNING · HEALTHY · app:3');
    assert.deepEqual(icon(t), { id: 'pass', color: 'testing.iconPassed' });
    const containers = await handle.provider.getChildren(task);
    assert.deepEqual(containers.map(label), ['app', 'log-router']);
    assert.equal(item(containers[0]!).contextValue, 'ecsDoctor.container.running');
    assert.equal(item(containers[0]!).description, 'RUNNING · HEALTHY');
    assert.deepEqual(kids.slice(-2).map(label), ['Events', 'Stopped']);

    const svc2 = await child(prod, 'svc-02');
    await (await handle.model())!.expand(svc2);
    const stopped = await child(svc2, 'Stopped');
    await (await handle.model())!.expand(stopped);
    const st = (await handle.provider.getChildren(stopped))[0]!;
    assert.equal(item(st).contextValue, 'ecsDoctor.task.stopped');
    assert.match(String(item(st).description), /^EssentialContainerExited · Essential container in task exited/);
    assert.deepEqual(icon(item(st)), { id: 'error', color: 'testing.iconFailed' });
  });

  test("a service's icon is never HEALTHY while one of its running tasks is UNHEALTHY, expanded or not", async () => {
    const model = (await handle.model())!;
    const glance = await child(undefined, 'glance');
    // Every icon the tree shows for these services, from the first change event on.
    const icons: Record<string, string[]> = { flaky: [], 'flaky-td': [] };
    const record = () => {
      for (const s of glance.children ?? []) if (s.kind === 'service' && icons[s.serviceName]) icons[s.serviceName]!.push(icon(item(s)).id);
    };
    const d = handle.provider.onDidChangeTreeData(record);
    try {
      // Expand the cluster only; `flaky-td` is expanded too (its task health needs the task
      // definition, so expand() may settle before that health is in), `flaky` never is.
      await model.expand(glance);
      record();
      const flakyTd = await child(glance, 'flaky-td');
      const flaky = await child(glance, 'flaky');
      await model.expand(flakyTd);
      await untilTree(() => icon(item(flaky)).id === 'error' && icon(item(flakyTd)).id === 'error');
      assert.equal(flaky.state, 'loaded', 'read in the background');
      assert.match(String(item(flaky).description), /^2\/2 running · 1 unhealthy/);
      assert.match(String(item(flakyTd).description), /^1\/1 running · 1 unhealthy/);
      for (const [name, seen] of Object.entries(icons)) assert.ok(!seen.includes('pass'), `${name} was never shown as passing (icons: ${seen.join(', ')})`);
      // The cluster agrees and says which services make it red.
      await untilTree(() => icon(item(glance)).id === 'error');
      assert.match((item(glance).tooltip as vscode.MarkdownString).value, /\*\*failing\*\* because of `flaky` and `flaky-td`/);
    } finally {
      d.dispose();
    }
  });

  test('an empty cluster shows a placeholder; a denied one an error node with a log link', async () => {
    const staging = await child(undefined, 'staging');
    await (await handle.model())!.expand(staging);
    const kids = await handle.provider.getChildren(staging);
    assert.equal(label(kids[0]!), 'No services');
    assert.equal(item(kids[0]!).contextValue, 'ecsDoctor.placeholder');

    sim.setFaults({ accessDenied: [{ resource: 'locked', operation: 'ListServices' }] });
    const locked = await child(undefined, 'locked');
    await (await handle.model())!.expand(locked);
    const err = (await handle.provider.getChildren(locked))[0]!;
    const e = item(err);
    assert.match(String(e.label), /^Failed to load services of locked/);
    assert.match(String(e.description), /Access denied/);
    assert.equal(e.command?.command, 'ecsDoctor.showLog');
    assert.deepEqual(icon(e), { id: 'error', color: 'testing.iconFailed' });
    sim.setFaults({ accessDenied: [] });
  });

  test('refresh keeps the nodes and picks up a change', async () => {
    const prod = await child(undefined, 'prod');
    const svc = await child(prod, 'svc-01');
    const task = (await handle.provider.getChildren(svc)).find((k) => k.kind === 'task')!;
    sim.task(label(task))!.healthStatus = 'UNHEALTHY';
    await vscode.commands.executeCommand('ecsDoctor.refresh');
    const again = (await handle.provider.getChildren(svc)).find((k) => k.kind === 'task')!;
    assert.equal(again, task, 'the same node (expansion state is kept)');
    assert.deepEqual(icon(item(task)), { id: 'error', color: 'testing.iconFailed' });
    assert.equal(item(svc).contextValue, 'ecsDoctor.service.failed.attention');
  });

  test('the explorer commands are contributed with their menus', () => {
    const pkg = vscode.extensions.getExtension('ecs-doctor.ecs-doctor')!.packageJSON as { contributes: { menus: Record<string, { command: string }[]> } };
    const item = pkg.contributes.menus['view/item/context']!.map((m) => m.command);
    for (const c of ['ecsDoctor.refreshNode', 'ecsDoctor.copyArn', 'ecsDoctor.openInConsole', 'ecsDoctor.openTaskDefinition']) assert.ok(item.includes(c), c);
    const title = pkg.contributes.menus['view/title']!.map((m) => m.command);
    assert.deepEqual(title.filter((c) => c.startsWith('ecsDoctor.')).sort(), ['ecsDoctor.refresh', 'ecsDoctor.selectProfile', 'ecsDoctor.selectRegions']);
  });

  test('Open Task Definition opens a read-only JSON document named family:revision', async () => {
    const prod = await child(undefined, 'prod');
    const svc = await child(prod, 'svc-01');
    await vscode.commands.executeCommand('ecsDoctor.openTaskDefinition', svc);
    const editor = await waitFor(() => (vscode.window.activeTextEditor?.document.uri.scheme === 'ecs-doctor-taskdef' ? vscode.window.activeTextEditor : undefined), 'the task definition document');
    assert.equal(editor.document.languageId, 'json');
    assert.equal(editor.document.uri.path, '/app:3.json', 'named after the family and revision, not Untitled-1');
    assert.equal(editor.document.isUntitled, false);
    assert.equal(editor.document.isDirty, false);
    const td = JSON.parse(editor.document.getText()) as { family: string; revision: number };
    assert.equal(td.family, 'app');
    assert.equal(td.revision, 3);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('an unknown profile shows welcome content instead of the tree', async () => {
    const undo = await withSettings({ profile: 'no-such-profile-xyz' });
    try {
      await waitFor(async () => {
        const top = await handle.provider.getChildren();
        return top.every((n) => n.kind === 'header') && handle.treeView.message ? true : undefined;
      }, 'the welcome state', 20_000);
      assert.match(handle.treeView.message ?? '', /no-such-profile-xyz|credentials/i);
    } finally {
      await undo();
    }
    await waitFor(async () => ((await handle.provider.getChildren()).some((n) => n.kind === 'cluster') ? true : undefined), 'the tree back');
  });
});
