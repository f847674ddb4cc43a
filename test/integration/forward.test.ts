// Port forwarding inside a real VS Code: Forward a Port... from a task node of the `demo`
// simulator, with the stand-in session-manager-plugin as its own process; an HTTP request sent to
// 127.0.0.1:<local port> reaches a test server standing in for the container's port 8080; the
// status bar counts the forward; Stop All ends the plugin and calls SSM TerminateSession. A failed
// preflight is the modal with every check that ECS Exec shows (one shared function). Changing the
// Region while a forward runs leaves its session alive until its TerminateSession is sent.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { defaultForwardUi, forwardPort, type ActiveForward, type ForwardUi } from '../../src/editor/forward';
import { startSimulator, type Simulator } from '../../sim/server';
import { getApi, waitFor, withSettings } from './helpers';

const REPO = process.env.ECS_DOCTOR_REPO ?? path.resolve(__dirname, '../../..');
const STAND_IN = path.join(REPO, 'sim/bin/session-manager-plugin');
const WEB = '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60';

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/through-the-forward', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

suite('Port forwarding', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let app: http.Server;
  let dir: string;
  let restore: (() => Promise<void>) | undefined;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  suiteSetup(async function () {
    if (process.platform === 'win32') this.skip();
    app = http.createServer((req, res) => res.end(`the web container answers ${req.url}`));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    sim = await startSimulator({ scenario: 'demo' });
    sim.state.ssm.portForwarding = [{ task: WEB, container: 'web', port: 8080, to: `127.0.0.1:${(app.address() as AddressInfo).port}` }];
    dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-forward-it-'));
    // The plugin runs with this host's Node (the stand-in is a Node script).
    const wrapper = path.join(dir, 'session-manager-plugin');
    writeFileSync(wrapper, `#!/bin/sh\nELECTRON_RUN_AS_NODE=1 exec '${process.execPath}' '${STAND_IN}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
    process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
    restore = await withSettings({ endpoint: sim.url, region: 'us-east-1', profile: '', sessionManagerPluginPath: wrapper });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('ecsDoctor.stopAllForwards');
    await restore?.();
    await sim?.stop();
    await new Promise((r) => app?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  });

  test('forwards a port of a task node, carries an HTTP request, shows it in the status bar, and stops it', async () => {
    const api = await getApi();
    const cluster = sim.state.ecs.clusters.get('prod')!;
    const task = cluster.tasks.get(WEB)!;
    const localPort = await freePort();
    // What the explorer passes for a task node, with the container and ports the prompts would ask for.
    const node = { kind: 'task', clusterArn: cluster.cluster.clusterArn, taskArn: task.taskArn, task, containerName: 'web', port: 8080, localPort };
    const f = await vscode.commands.executeCommand<ActiveForward | undefined>('ecsDoctor.forwardPort', node);
    assert.ok(f, 'the forward started');
    assert.equal(f.localPort, localPort);
    assert.equal(f.description, `localhost:${localPort} → web:8080`);
    assert.equal(f.scheme, 'http', 'port 8080 has appProtocol http: Open in Browser is offered');

    const start = sim.callsTo('StartSession').at(-1)!;
    assert.equal(start.params.DocumentName, 'AWS-StartPortForwardingSession');
    assert.deepEqual(start.params.Parameters, { portNumber: ['8080'], localPortNumber: [String(localPort)] });
    assert.equal(sim.callsTo('ExecuteCommand').length, 0);

    const r = await get(localPort);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'the web container answers /through-the-forward');

    assert.equal(api.forwards.active.length, 1);
    assert.equal(api.forwards.statusText, '$(plug) 1 forward');

    await vscode.commands.executeCommand('ecsDoctor.stopAllForwards');
    const exit = await f.process.exited;
    assert.equal(exit.code, 0, 'the plugin ended');
    assert.ok(sim.callsTo('TerminateSession').some((c) => c.params.SessionId === f.sessionId), 'TerminateSession was called');
    assert.equal(api.forwards.active.length, 0);
    assert.equal(api.forwards.statusText, undefined);
    await assert.rejects(get(localPort), 'nothing listens on the local port any more');
  });

  test('a failed preflight is the modal with every check, as for ECS Exec, and starts nothing', async () => {
    const api = await getApi();
    const cluster = sim.state.ecs.clusters.get('prod')!;
    const worker = [...cluster.tasks.values()].find((t) => t.group === 'service:worker' && t.lastStatus === 'RUNNING')!;
    const container = worker.containers![0]!.name!;
    const starts = sim.callsTo('StartSession').length;
    const blocked: Array<{ message: string; detail: string; buttons: string[] }> = [];
    const errors: string[] = [];
    // The command's own flow, with a UI whose modal answers at once (a shown one waits for the user).
    const ui: ForwardUi = {
      ...defaultForwardUi(),
      blocked: async (message, detail, ...buttons) => {
        blocked.push({ message, detail, buttons });
        return undefined;
      },
      error: async (message) => {
        errors.push(message);
        return undefined;
      },
    };
    const f = await forwardPort(api.ctx, api.forwards, ui, { clusterArn: cluster.cluster.clusterArn, taskArn: worker.taskArn, containerName: container, port: 8080, localPort: await freePort() });
    assert.equal(f, undefined);
    assert.deepEqual(errors, [], 'no toast');
    assert.equal(blocked.length, 1);
    assert.match(blocked[0]!.message, new RegExp(`^Port forwarding cannot start in ${container}\\. Failed: .*Exec enabled for the task`));
    assert.match(blocked[0]!.detail, /^Port forwarding cannot start: \d+ passed, [1-9]\d* failed/);
    assert.match(blocked[0]!.detail, /✖ Exec enabled for the task \(FAIL\): .*\n   Fix: /, 'the failing check with its fix in full');
    assert.match(blocked[0]!.detail, /✔ Session Manager plugin installed/, 'every check, the passing ones too');
    assert.deepEqual(blocked[0]!.buttons, ['Enable and Redeploy…', 'Copy Fixes', 'Show Checks']);
    assert.equal(sim.callsTo('StartSession').length, starts, 'no session was started');
  });

  test('changing the Region while a forward runs keeps its session until its TerminateSession is sent', async () => {
    const cluster = sim.state.ecs.clusters.get('prod')!;
    const task = cluster.tasks.get(WEB)!;
    const f = await vscode.commands.executeCommand<ActiveForward | undefined>('ecsDoctor.forwardPort', { clusterArn: cluster.cluster.clusterArn, taskArn: task.taskArn, containerName: 'web', port: 8080, localPort: await freePort() });
    assert.ok(f, 'the forward started');
    const restoreRegion = await withSettings({ region: 'eu-west-1' });
    try {
      // The Ctx disposes the old settings' sessions: this one is asked to close, but is held.
      await waitFor(() => f.session.closing, 'the old Region\'s session to be disposed');
      assert.equal(f.session.closed, false, 'the forward\'s session stays open while the forward runs');
      await vscode.commands.executeCommand('ecsDoctor.stopAllForwards');
      const call = sim.callsTo('TerminateSession').find((c) => c.params.SessionId === f.sessionId);
      assert.ok(call, 'TerminateSession was sent');
      assert.equal(call.region, 'us-east-1', 'in the forward\'s own Region');
      assert.equal(call.status, 200);
      assert.equal(f.session.closed, true, 'then the session is disposed');
    } finally {
      await restoreRegion();
    }
  });

  test('contributes Forward a Port... on running task and container nodes', () => {
    const ext = vscode.extensions.getExtension('ecs-doctor.ecs-doctor')!;
    const menus = (ext.packageJSON as { contributes: { menus: Record<string, Array<{ command: string; when?: string }>> } }).contributes.menus['view/item/context']!;
    const item = menus.find((m) => m.command === 'ecsDoctor.forwardPort');
    assert.ok(item?.when?.includes('(task|container)\\.running'));
  });
});
