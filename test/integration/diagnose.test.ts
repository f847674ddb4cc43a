// "ECS Doctor: Diagnose Stopped Task" in the real extension host against the simulator's
// 'diagnose' scenario: the palette flow (cluster pick remembered, newest-first task pick) with
// stubbed quick picks, the explorer flow through the registered command, and the report.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { diagnoseStoppedTask, type ClusterItem, type DiagnoseUi, type TaskItem } from '../../src/editor/commands/diagnoseStoppedTask';
import type { ReportPanel } from '../../src/editor/report';
import { startSimulator, type Simulator } from '../../sim/server';
import { getApi, manifest, withSettings } from './helpers';

const T = (n: number) => `d0000000000000000000000000000${n.toString(16).padStart(3, '0')}`;

function stubUi(pick: { cluster: (items: ClusterItem[]) => ClusterItem | undefined; task: (items: TaskItem[]) => TaskItem | undefined }) {
  const seen = { clusters: [] as ClusterItem[][], tasks: [] as TaskItem[][], errors: [] as string[], infos: [] as string[] };
  const ui: DiagnoseUi = {
    pickCluster: async (items) => {
      seen.clusters.push(items);
      return pick.cluster(items);
    },
    pickTask: async (items) => {
      seen.tasks.push(items);
      return pick.task(items);
    },
    withProgress: (_title, work) => work(),
    info: (m) => void seen.infos.push(m),
    error: (m) => void seen.errors.push(m),
  };
  return { ui, seen };
}

suite('Diagnose Task', () => {
  let sim: Simulator;
  let restore: () => Promise<void>;
  const panels: ReportPanel[] = [];

  suiteSetup(async () => {
    sim = await startSimulator({ scenario: 'diagnose' });
    restore = await withSettings({ endpoint: sim.url, region: 'us-east-1', profile: '' });
  });
  suiteTeardown(async () => {
    for (const p of panels) p.dispose();
    await restore?.();
    await sim?.stop();
  });

  test('is contributed to the palette and to stopped task and container nodes', () => {
    const m = manifest();
    assert.ok(m.contributes.commands?.some((c) => c.command === 'ecsDoctor.diagnoseStoppedTask' && c.title === 'Diagnose Task'));
    const item = m.contributes.menus?.['view/item/context']?.find((x) => x.command === 'ecsDoctor.diagnoseStoppedTask');
    assert.ok(item?.when?.includes('task\\.stopped') && item.when.includes('container\\.stopped') && item.when.includes('task\\.running'), item?.when);
  });

  test('from the palette: pick the cluster, then the newest-first task, and the report opens with the evidence', async () => {
    const api = await getApi();
    const { ui, seen } = stubUi({
      cluster: (items) => items.find((i) => i.label === 'diag'),
      task: (items) => items.find((i) => i.choice.taskId === T(6)),
    });
    const panel = await diagnoseStoppedTask(api.ctx, undefined, ui);
    assert.deepEqual(seen.errors, []);
    assert.ok(panel, 'a report panel');
    panels.push(panel);
    // The task list: stopped tasks and the running unhealthy one, newest first, with stopCode, reason and service.
    const items = seen.tasks[0]!;
    const times = items.map((i) => Date.parse(i.choice.time ?? ''));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    const oom = items.find((i) => i.choice.taskId === T(7))!;
    assert.match(oom.description ?? '', /^EssentialContainerExited · .* ago$/);
    assert.match(oom.detail ?? '', /OutOfMemoryError: Container killed due to memory usage \(app exit 137\)/);
    const elb = items.find((i) => i.choice.taskId === T(8))!;
    assert.match(elb.description ?? '', /service web-bad/);
    assert.ok(items.some((i) => i.choice.taskId === T(14) && i.choice.lastStatus === 'RUNNING'), 'the running task failing health checks is offered');
    // The report.
    const body = panel.body;
    assert.match(body, /<section id="what-happened">/);
    assert.match(body, /EssentialContainerExited/);
    assert.match(body, /Logs of app/);
    assert.match(body, /ECONNREFUSED 10\.0\.3\.4:5432/);
    assert.match(body, /<tr class="fail">/);
    assert.ok(panel.panel.visible || panel.panel.active !== undefined);
    assert.match(panel.panel.webview.html, /Content-Security-Policy/);
    // The Markdown copy comes from the shared renderer and has no secret values.
    assert.ok(panel.markdown.length > 100);
    assert.doesNotMatch(panel.markdown + body, /never-shown/);
  });

  test('remembers the cluster: offered first next time', async () => {
    const api = await getApi();
    const { ui, seen } = stubUi({ cluster: () => undefined, task: () => undefined });
    const panel = await diagnoseStoppedTask(api.ctx, undefined, ui);
    assert.equal(panel, undefined, 'cancelled at the cluster pick');
    assert.equal(seen.clusters[0]![0]!.label, 'diag');
    assert.equal(seen.clusters[0]![0]!.description, 'last used');
  });

  test('from the explorer: the registered command takes a task node and opens the report', async () => {
    await getApi();
    const node = { kind: 'task', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/diag', taskArn: `arn:aws:ecs:us-east-1:123456789012:task/diag/${T(1)}` };
    const panel = await vscode.commands.executeCommand<ReportPanel | undefined>('ecsDoctor.diagnoseStoppedTask', node);
    assert.ok(panel, 'the command returns the report');
    panels.push(panel);
    const body = panel.body;
    assert.match(body, /CannotPullContainerError/);
    assert.match(body, /Image of app in ECR/);
    assert.match(body, /no image with tag v2-missing/);
  });

  test('a denied permission shows as not checked, with the command to run instead', async () => {
    const api = await getApi();
    sim.setFaults({ accessDenied: [{ operation: 'logs:GetLogEvents' }] });
    try {
      const { ui, seen } = stubUi({ cluster: () => undefined, task: () => undefined });
      const panel = await diagnoseStoppedTask(api.ctx, { clusterArn: 'diag', taskArn: T(6) }, ui);
      assert.deepEqual(seen.errors, []);
      assert.ok(panel);
      panels.push(panel);
      assert.match(panel.body, /Could not check \(needs logs:GetLogEvents\)/);
      assert.match(panel.body, /Checks to run yourself/);
      assert.match(panel.body, /aws logs get-log-events --log-group-name \/ecs\/worker/);
    } finally {
      sim.setFaults({ accessDenied: [] });
    }
  });

  test('a task that is gone gives a clear error, not a stack trace', async () => {
    const api = await getApi();
    const { ui, seen } = stubUi({ cluster: () => undefined, task: () => undefined });
    const panel = await diagnoseStoppedTask(api.ctx, { clusterArn: 'diag', taskArn: 'ffffffffffffffffffffffffffffffff' }, ui);
    assert.equal(panel, undefined);
    assert.equal(seen.errors.length, 1);
    assert.match(seen.errors[0]!, /not found in cluster diag .*about an hour/);
    assert.doesNotMatch(seen.errors[0]!, /\n\s+at /);
  });
});
