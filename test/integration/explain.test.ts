// "ECS Doctor: Explain Stop Reason..." in the real extension host: contributed and registered,
// the input box prefilled from the selection, pasted describe-tasks JSON with a task pick, the
// offline report, and junk refused without a report. No AWS call.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { defaultUi, explainStopReason, type ExplainUi, type TaskPickItem } from '../../src/editor/commands/explainStopReason';
import type { ReportPanel } from '../../src/editor/report';
import { getApi, manifest } from './helpers';

const TASKS = {
  tasks: [
    {
      taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/prod/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 111122223333.dkr.ecr.us-east-1.amazonaws.com/api:v9: 111122223333.dkr.ecr.us-east-1.amazonaws.com/api:v9: not found",
      containers: [{ name: 'api', lastStatus: 'STOPPED' }],
    },
    {
      taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/prod/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [
        { name: 'api', lastStatus: 'STOPPED', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
        { name: 'envoy', lastStatus: 'STOPPED', exitCode: 143, reason: 'password=never-shown' },
      ],
    },
  ],
  failures: [],
};

function stubUi(answer: string | undefined, pick: (items: TaskPickItem[]) => TaskPickItem | undefined = (i) => i[0]) {
  const seen = { initial: [] as string[], picks: [] as TaskPickItem[][], errors: [] as string[], validate: undefined as undefined | ((t: string) => string | undefined) };
  const ui: ExplainUi = {
    ask: async (value, validate) => {
      seen.initial.push(value);
      seen.validate = validate;
      return answer;
    },
    pickTask: async (items) => {
      seen.picks.push(items);
      return pick(items);
    },
    suggestion: async () => '',
    error: (m) => void seen.errors.push(m),
  };
  return { ui, seen };
}

suite('Explain Stop Reason', () => {
  const panels: ReportPanel[] = [];
  suiteTeardown(() => {
    for (const p of panels) p.dispose();
  });

  test('is contributed to the palette and registered', async () => {
    await getApi();
    assert.ok(manifest().contributes.commands?.some((c) => c.command === 'ecsDoctor.explainStopReason' && c.title === 'Explain Stop Reason...'));
    assert.ok((await vscode.commands.getCommands(true)).includes('ecsDoctor.explainStopReason'));
    const menu = manifest().contributes.menus?.['editor/context']?.find((x) => x.command === 'ecsDoctor.explainStopReason');
    assert.match(menu?.when ?? '', /editorHasSelection/);
  });

  test('pasted describe-tasks JSON: pick a task, the offline report opens with the OOM diagnosis', async () => {
    const api = await getApi();
    const { ui, seen } = stubUi(JSON.stringify(TASKS, null, 2), (items) => items.find((i) => i.label === 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'));
    const panel = await explainStopReason(api.ctx, undefined, ui);
    assert.deepEqual(seen.errors, []);
    assert.ok(panel, 'a report panel');
    panels.push(panel);
    assert.deepEqual(
      seen.picks[0]!.map((i) => [i.label, i.description]),
      [
        ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'TaskFailedToStart · CannotPullContainerError'],
        ['bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'EssentialContainerExited · OutOfMemoryError'],
      ],
    );
    assert.equal(panel.current.mode, 'offline');
    assert.equal(panel.current.diagnosis.category, 'OutOfMemoryError');
    assert.equal(panel.current.diagnosis.container, 'api');
    const body = panel.body;
    assert.match(body, /<span class="cat">OutOfMemoryError<\/span>/);
    assert.match(body, /Offline: explained from the text alone/);
    assert.match(body, /<section id="what-happened">/);
    assert.match(body, /Cluster<\/th><td>prod/);
    assert.doesNotMatch(body + panel.markdown, /never-shown/);
    assert.match(panel.markdown, /^# A container was killed for using too much memory/);
    assert.match(panel.panel.webview.html, /Content-Security-Policy/);
  });

  test('the input box validates as you type: junk gets the parser\'s message', async () => {
    const api = await getApi();
    const { ui, seen } = stubUi(undefined);
    assert.equal(await explainStopReason(api.ctx, undefined, ui), undefined, 'cancelled');
    assert.match(seen.validate!('{"tasks": [') ?? '', /looks like JSON but cannot be read/);
    assert.equal(seen.validate!('Task stopped by user'), undefined);
  });

  test('prefills the input box from the editor selection when it looks like a stop reason', async () => {
    const api = await getApi();
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'notes\nCannotPullContainerError: context canceled\nmore' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, doc.lineAt(1).text.length);
    const seen: string[] = [];
    const ui: ExplainUi = { ...defaultUi(api.ctx), ask: async (value) => (seen.push(value), undefined) };
    await explainStopReason(api.ctx, undefined, ui);
    assert.deepEqual(seen, ['CannotPullContainerError: context canceled']);
    // A selection that is not a stop reason is not offered.
    editor.selection = new vscode.Selection(0, 0, 0, 5);
    await vscode.env.clipboard.writeText('hello world');
    await explainStopReason(api.ctx, undefined, ui);
    assert.deepEqual(seen, ['CannotPullContainerError: context canceled', '']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the registered command takes the text as an argument; the offline panel is reused', async () => {
    await getApi();
    const first = await vscode.commands.executeCommand<ReportPanel | undefined>('ecsDoctor.explainStopReason', 'Your Spot Task was interrupted.');
    assert.ok(first);
    panels.push(first);
    assert.equal(first.current.diagnosis.category, 'SpotInterruption');
    const second = await vscode.commands.executeCommand<ReportPanel | undefined>('ecsDoctor.explainStopReason', 'Task failed container health checks');
    assert.equal(second, first, 'one offline panel, refreshed');
    assert.equal(second!.current.diagnosis.category, 'ContainerHealthCheckFailed');
  });

  test('junk passed as text opens no report', async () => {
    const api = await getApi();
    const { ui, seen } = stubUi(undefined);
    assert.equal(await explainStopReason(api.ctx, '{"family": "web"}', ui), undefined);
    assert.equal(seen.errors.length, 1);
    assert.match(seen.errors[0]!, /^ECS Doctor: The JSON is an object with "family"/);
  });
});
