// "ECS Doctor: Diagnose Service" in the real extension host against the simulator's
// 'service-doctor' scenario: contributed on service nodes (and inline for flagged ones), the
// palette flow with stubbed picks, the explorer-node flow through the registered command, each
// verdict's report, and the report's chart.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { diagnoseServiceCommand, type DiagnoseServiceUi, type Pick } from '../../src/editor/commands/diagnoseService';
import type { ServiceReportPanel } from '../../src/editor/report/servicePanel';
import { startSimulator, type Simulator } from '../../sim/server';
import { getApi, manifest, withSettings } from './helpers';

function stubUi(choose: (items: Pick[], title: string) => Pick | undefined) {
  const seen = { errors: [] as string[], infos: [] as string[], titles: [] as string[] };
  const ui: DiagnoseServiceUi = {
    pick: async (items, title) => {
      seen.titles.push(title);
      return choose(items, title);
    },
    withProgress: (_t, work) => work(),
    info: (m) => void seen.infos.push(m),
    error: (m) => void seen.errors.push(m),
  };
  return { ui, seen };
}

suite('Service Doctor', () => {
  let sim: Simulator;
  let restore: () => Promise<void>;
  const panels: ServiceReportPanel[] = [];

  suiteSetup(async () => {
    sim = await startSimulator({ scenario: 'service-doctor' });
    restore = await withSettings({ endpoint: sim.url, region: 'us-east-1', profile: '' });
  });
  suiteTeardown(async () => {
    for (const p of panels) p.dispose();
    await restore?.();
    await sim?.stop();
  });

  test('is contributed to the palette, to service nodes, and inline on flagged ones', () => {
    const m = manifest();
    assert.ok(m.contributes.commands?.some((c) => c.command === 'ecsDoctor.diagnoseService' && c.title === 'Diagnose Service'));
    const items = (m.contributes.menus?.['view/item/context']?.filter((x) => x.command === 'ecsDoctor.diagnoseService') ?? []) as Array<{ when?: string; group?: string }>;
    assert.ok(items.some((i) => i.group?.startsWith('1_diagnose') && i.when?.includes('ecsDoctor\\.service\\.')));
    assert.ok(items.some((i) => i.group?.startsWith('inline') && i.when?.includes('\\.attention$')));
  });

  test('from the palette: pick the cluster and the service; the report leads with the verdict and draws the timeline', async () => {
    const api = await getApi();
    const { ui, seen } = stubUi((items, title) => (title.includes(': cluster') ? items.find((i) => i.label === 'doctor') : items.find((i) => i.label === 'loop')));
    const panel = await diagnoseServiceCommand(api.ctx, undefined, ui);
    assert.deepEqual(seen.errors, []);
    assert.ok(panel);
    panels.push(panel);
    assert.equal(panel.current.verdict.kind, 'restart-loop');
    const body = panel.body;
    assert.ok(body.indexOf('id="verdict-section"') < body.indexOf('id="causes"'));
    assert.match(body, /<svg class="timeline"/);
    assert.match(body, /aws elbv2 modify-target-group/);
    assert.match(body, /data-copy="cmd1"/);
  });

  test('the report copies like the task report (the shared tab): Markdown, a command, not an over-long text', async () => {
    const api = await getApi();
    const { ui } = stubUi((items, title) => (title.includes(': cluster') ? items.find((i) => i.label === 'doctor') : items.find((i) => i.label === 'loop')));
    const panel = await diagnoseServiceCommand(api.ctx, undefined, ui);
    assert.ok(panel);
    panels.push(panel);
    await panel.copyMarkdown();
    assert.equal(await vscode.env.clipboard.readText(), panel.markdown);
    assert.match(panel.markdown, /loop/);
    await panel.copyText('aws ecs describe-services --cluster doctor --services loop');
    assert.equal(await vscode.env.clipboard.readText(), 'aws ecs describe-services --cluster doctor --services loop');
    await panel.copyText('x'.repeat(20_001));
    assert.equal(await vscode.env.clipboard.readText(), 'aws ecs describe-services --cluster doctor --services loop', 'an over-long text is not copied');
    assert.match(panel.panel.webview.html, /<span id="status" class="status-text"/);
  });

  test('each verdict from its service, through the registered command with an explorer-like node', async () => {
    const expected: Record<string, string> = { oom: 'restart-loop', stuck: 'deployment-stuck', rollback: 'deployment-failed', sick: 'unhealthy', short: 'under-capacity', fine: 'healthy' };
    for (const [service, kind] of Object.entries(expected)) {
      const node = { kind: 'service', region: 'us-east-1', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/doctor', serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/doctor/${service}`, serviceName: service };
      const { ui, seen } = stubUi(() => undefined);
      const panel = (await vscode.commands.executeCommand('ecsDoctor.diagnoseService', node, ui)) as ServiceReportPanel | undefined;
      assert.deepEqual(seen.errors, [], service);
      assert.ok(panel, service);
      panels.push(panel);
      assert.equal(panel.current.verdict.kind, kind, service);
    }
  });

  test('an unknown service is an error in words, no panel', async () => {
    const api = await getApi();
    const { ui, seen } = stubUi(() => undefined);
    const panel = await diagnoseServiceCommand(api.ctx, { clusterArn: 'doctor', serviceName: 'nope' }, ui);
    assert.equal(panel, undefined);
    assert.match(seen.errors[0] ?? '', /Service nope was not found in cluster doctor/);
  });
});
