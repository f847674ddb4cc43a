// Container logs inside a real VS Code: Show Logs from a task node opens the read-only logs
// document (newest at the bottom, every container labelled), Follow shows a line the simulator
// writes when its clock moves (Live Tail), and closing the document ends the session.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { ManualClock, startSimulator, type Simulator } from '../../sim/server';
import { ELSEWHERE, logsScenario, RUNNING, STOPPED } from '../unit/helpers/logsSim';
import { getApi, waitFor, withSettings } from './helpers';

const CLUSTER = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
const node = (id: string, containerName?: string) => ({
  kind: containerName ? 'container' : 'task',
  region: 'us-east-1',
  clusterArn: CLUSTER,
  taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`,
  ...(containerName ? { containerName } : {}),
  scope: { region: 'us-east-1' },
});

suite('Container logs', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let clock: ManualClock;
  let restore: () => Promise<void>;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  suiteSetup(async () => {
    clock = new ManualClock();
    sim = await startSimulator({ scenario: logsScenario(), clock });
    process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
    process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
    restore = await withSettings({ endpoint: sim.url, region: 'us-east-1', profile: '' });
    await getApi();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await restore();
    await sim.stop();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  });

  test('Show Logs on a task node opens every container\'s lines, merged, newest at the bottom', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ecsDoctor.showLogs', node(RUNNING));
    assert.ok(editor, 'an editor opened');
    const doc = editor.document;
    assert.equal(doc.uri.scheme, 'ecs-doctor-logs');
    assert.match(doc.uri.path, /task a1a1a1a1\.log$/);
    const text = doc.getText();
    const lines = text.trimEnd().split('\n');
    assert.match(lines[0]!, /^Logs of task a1a1a1a1\w+ \(cluster prod\): app, proxy$/);
    assert.match(text, /Z app {3}app line 1\n.*Z proxy proxy ready\n/, 'merged by time, labelled, escapes removed');
    assert.match(lines.at(-2)!, /Z proxy proxy line <b>2<\/b>$/, 'HTML stays text, newest at the bottom');
    assert.match(lines.at(-1)!, /^--- Not following/);
    assert.ok(!text.includes('\u001b'));
  });

  test('Follow shows a new line when the simulator\'s clock moves, and closing the document ends the session', async () => {
    sim.clearCalls();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ecsDoctor.followLogs', node(RUNNING, 'app'));
    assert.ok(editor);
    const doc = editor.document;
    await waitFor(() => /Following with CloudWatch Logs Live Tail/.test(doc.getText()), 'the Live Tail status');
    await sim.until(() => sim.callsTo('StartLiveTail').length === 1);
    await clock.advance(6000); // app writes "app live 1" at +5 s; the session sends it with the next second
    await waitFor(() => doc.getText().includes('app live 1'), 'the followed line');
    const lines = doc.getText().trimEnd().split('\n');
    assert.match(lines.at(-2)!, /Z app app live 1$/, 'the new line is at the bottom');
    assert.equal(sim.inFlight, 1, 'one Live Tail session open');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await sim.until(() => sim.inFlight === 0);
    const calls = sim.calls.length;
    await clock.advance(10_000);
    assert.equal(sim.calls.length, calls, 'nothing is read once the document closed');
  });

  test('a stopped task says it stopped; containers that log elsewhere say where', async () => {
    const stopped = await vscode.commands.executeCommand<vscode.TextEditor>('ecsDoctor.showLogs', node(STOPPED));
    assert.match(stopped.document.getText(), /fatal: cannot connect/);
    assert.match(stopped.document.getText(), /--- The task stopped at .*no new lines will come ---/);
    const elsewhere = await vscode.commands.executeCommand<vscode.TextEditor>('ecsDoctor.showLogs', node(ELSEWHERE));
    assert.match(elsewhere.document.getText(), /^! fl sends its output through FireLens/m);
    assert.match(elsewhere.document.getText(), /^! silent has no logConfiguration/m);
  });
});
