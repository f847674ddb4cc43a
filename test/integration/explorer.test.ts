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

  suiteSetup(async () => {
    const scenario = pagingScenario();
    scenario.clusters!.push({ name: 'locked' });
    sim = await startSimulator({ scenario });
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
    assert.deepEqual(top.slice(1).map(label), ['locked', 'prod', 'staging']);
    const prod = item(top[2]!);
    assert.equal(prod.contextValue, 'ecsDoctor.cluster');
    assert.equal(prod.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(String(prod.description), /26 services · 27\d? running|26 services/);
    assert.match(handle.treeView.description ?? '', /us-east-1/);
  });

  test('services with health icons, descriptions and context values', async () => {
    const prod = await child(undefined, 'prod');
    await (await handle.model())!.expand(prod);
    const svc = await child(prod, 'svc-01');
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
    assert.equal(item(svc).contextValue, 'ecsDoctor.service.failed');
  });

  test('the explorer commands are contributed with their menus', () => {
    const pkg = vscode.extensions.getExtension('ecs-doctor.ecs-doctor')!.packageJSON as { contributes: { menus: Record<string, { command: string }[]> } };
    const item = pkg.contributes.menus['view/item/context']!.map((m) => m.command);
    for (const c of ['ecsDoctor.refreshNode', 'ecsDoctor.copyArn', 'ecsDoctor.openInConsole', 'ecsDoctor.openTaskDefinition']) assert.ok(item.includes(c), c);
    const title = pkg.contributes.menus['view/title']!.map((m) => m.command);
    assert.deepEqual(title.filter((c) => c.startsWith('ecsDoctor.')).sort(), ['ecsDoctor.refresh', 'ecsDoctor.selectProfile', 'ecsDoctor.selectRegions']);
  });

  test('Open Task Definition opens the JSON in an editor', async () => {
    const prod = await child(undefined, 'prod');
    const svc = await child(prod, 'svc-01');
    await vscode.commands.executeCommand('ecsDoctor.openTaskDefinition', svc);
    const editor = await waitFor(() => vscode.window.activeTextEditor, 'an editor');
    assert.equal(editor.document.languageId, 'json');
    const td = JSON.parse(editor.document.getText()) as { family: string; revision: number };
    assert.equal(td.family, 'app');
    assert.equal(td.revision, 3);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
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
