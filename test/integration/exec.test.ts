// ECS Exec inside a real VS Code: start a session from an explorer-like node, see the terminal
// open running the stand-in session-manager-plugin with the AWS CLI's six arguments (the session
// in its environment, AWS_SSM_START_SESSION_RESPONSE, not on its command line: the stand-in is a
// new plugin), type into it, close it and see SSM TerminateSession; and the session token in no
// log line.
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { defaultUi, ExecSessions, startExecSession, type ExecUi } from '../../src/editor/exec';
import { startSimulator, type Simulator } from '../../sim/server';
import { getApi, waitFor, withSettings } from './helpers';

const REPO = process.env.ECS_DOCTOR_REPO ?? path.resolve(__dirname, '../../..');
const STAND_IN = path.join(REPO, 'sim/bin/session-manager-plugin');
const TASK = 'e0000000000000000000000000000001';

interface Record {
  argv?: string[];
  pid?: number;
  started?: string;
  target?: string;
  input?: string;
  responseFromEnv?: string;
  response?: string;
}

/**
 * A simulator with `scenario`, the stand-in plugin behind a wrapper that records to a file, and
 * the settings that point ECS Doctor at both. The terminal's process does not inherit this host's
 * environment, so the wrapper carries the record file's name and runs the stand-in with this
 * host's Node (exec keeps the pid).
 */
async function execFixture(scenario: string) {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  const sim = await startSimulator({ scenario });
  const dir = mkdtempSync(path.join(tmpdir(), `ecs-doctor-exec-${scenario}-it-`));
  const record = path.join(dir, 'record.jsonl');
  const wrapper = path.join(dir, 'session-manager-plugin');
  writeFileSync(wrapper, `#!/bin/sh\nECS_DOCTOR_SMP_RECORD='${record}' ELECTRON_RUN_AS_NODE=1 exec '${process.execPath}' '${STAND_IN}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
  process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
  const restore = await withSettings({
    endpoint: sim.url,
    region: 'us-east-1',
    profile: '',
    'exec.askForCommand': false,
    'exec.command': '/bin/sh',
    sessionManagerPluginPath: wrapper,
  });
  await getApi();
  return {
    sim,
    record,
    async dispose() {
      for (const t of vscode.window.terminals) if (t.name.startsWith('ECS Exec:')) t.dispose();
      await restore();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    },
  };
}

suite('ECS Exec', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let record: string;
  let fixture: Awaited<ReturnType<typeof execFixture>> | undefined;

  suiteSetup(async function () {
    if (process.platform === 'win32') this.skip();
    fixture = await execFixture('exec');
    ({ sim, record } = fixture);
  });

  suiteTeardown(async () => {
    await fixture?.dispose();
  });

  function records(): Record[] {
    if (!existsSync(record)) return [];
    return readFileSync(record, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record);
  }

  test('starts a session from an explorer node: terminal, six arguments, input, TerminateSession on close', async () => {
    const api = await getApi();
    // Record every log line the extension writes from here on (after redaction, as the channel gets them).
    const lines: string[] = [];
    const log = api.ctx.log as unknown as { channel: { [k: string]: (m: string) => void } };
    const original = log.channel;
    log.channel = new Proxy(original, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v === 'function' && ['trace', 'debug', 'info', 'warn', 'error', 'appendLine', 'append'].includes(String(prop))) {
          return (m: string) => {
            lines.push(String(m));
            return (v as (m: string) => void).call(target, m);
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    try {
      const cluster = sim.state.ecs.clusters.get('exec')!;
      const task = cluster.tasks.get(TASK)!;
      const node = { kind: 'container', clusterArn: cluster.cluster.clusterArn, taskArn: task.taskArn, containerName: 'app' };
      const opened = new Promise<vscode.Terminal>((resolve) => {
        const d = vscode.window.onDidOpenTerminal((t) => {
          if (t.name.startsWith('ECS Exec:')) {
            d.dispose();
            resolve(t);
          }
        });
      });
      const returned = await vscode.commands.executeCommand<vscode.Terminal | undefined>('ecsDoctor.startExecSession', node);
      const terminal = await opened;
      assert.equal(terminal.name, `ECS Exec: app @ ${TASK}`);
      if (returned) assert.equal(returned.name, terminal.name);

      // The stand-in ran as the terminal's own process, with the AWS CLI's six arguments; the
      // session in its environment (the terminal's env), the variable's name as the first argument.
      const run = await waitFor(() => records().find((r) => r.argv?.length === 6), 'the stand-in plugin to run');
      const started = await waitFor(() => records().find((r) => r.started), 'the stand-in to start the session');
      assert.equal(await terminal.processId, run.pid, 'the terminal runs the plugin itself, not a shell');
      const [first, region, op, profile, params, endpoint] = run.argv!;
      assert.equal(first, 'AWS_SSM_START_SESSION_RESPONSE');
      const sessionJson = records().find((r) => r.responseFromEnv === 'AWS_SSM_START_SESSION_RESPONSE')?.response;
      assert.ok(sessionJson, 'the stand-in read the session from its environment');
      const session = JSON.parse(sessionJson) as { sessionId: string; tokenValue: string };
      for (const a of run.argv!) assert.ok(!a.includes(session.tokenValue), 'the plugin\'s command line holds the token');
      assert.equal(started.started, session.sessionId);
      assert.equal(region, 'us-east-1');
      assert.equal(op, 'StartSession');
      assert.equal(profile, '');
      const runtimeId = task.containers!.find((c) => c.name === 'app')!.runtimeId!;
      assert.equal(params, `{"Target": "ecs:exec_${TASK}_${runtimeId}"}`);
      assert.equal(endpoint, sim.url);
      const exec = sim.callsTo('ExecuteCommand').at(-1)!;
      assert.equal(exec.params.command, '/bin/sh');
      assert.equal(exec.params.container, 'app');

      // What is typed in the terminal reaches the plugin, and it answers in the terminal.
      terminal.sendText('echo from-the-test');
      await waitFor(() => records().some((r) => r.input === 'echo from-the-test'), 'the typed line to reach the plugin');

      // The token is in no log line (the session id is, which is fine).
      assert.ok(lines.some((l) => l.includes(session.sessionId)), 'the session start is logged');
      const token = session.tokenValue;
      assert.ok(token.length > 10);
      for (const l of lines) assert.ok(!l.includes(token), `a log line holds the session token: ${l.slice(0, 80)}`);
      for (const l of lines) assert.ok(!l.includes(sessionJson), 'a log line holds the session JSON');

      // Closing the terminal ends the session.
      terminal.dispose();
      await waitFor(() => sim.callsTo('TerminateSession').find((c) => c.params.SessionId === session.sessionId), 'SSM TerminateSession');
    } finally {
      log.channel = original;
    }
  });

  test('Check ECS Exec Readiness returns the checks for a task without exec', async () => {
    const cluster = sim.state.ecs.clusters.get('exec')!;
    const task = cluster.tasks.get('e0000000000000000000000000000002')!;
    const checks = await vscode.commands.executeCommand<Array<{ id: string; status: string; action?: { serviceName: string } }>>('ecsDoctor.checkExecReadiness', {
      clusterArn: cluster.cluster.clusterArn,
      taskArn: task.taskArn,
      containerName: 'app',
    });
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.ok(Array.isArray(checks));
    const enabled = checks.find((c) => c.id === 'exec-enabled');
    assert.equal(enabled?.status, 'fail');
    assert.equal(enabled?.action?.serviceName, 'legacy');
    assert.equal(checks.find((c) => c.id === 'plugin')?.status, 'pass');
  });

  test('a failing preflight opens no terminal and calls no ExecuteCommand', async () => {
    const api = await getApi();
    const cluster = sim.state.ecs.clusters.get('exec')!;
    const task = cluster.tasks.get('e0000000000000000000000000000005')!; // read-only root filesystem
    const before = sim.callsTo('ExecuteCommand').length;
    const tdCalls = sim.callsTo('DescribeTaskDefinition').length;
    const simCalls = sim.callsTo('SimulatePrincipalPolicy').length;
    const terminals = vscode.window.terminals.length;
    // What the command runs, with a UI whose error message answers at once (a shown message
    // waits for the user), so the test knows when the command has decided and ended.
    const errors: string[] = [];
    const details: string[] = [];
    const ui: ExecUi = {
      ...defaultUi(),
      error: async (message) => {
        errors.push(message);
        return undefined;
      },
      // The failed preflight is a modal with every check; it answers at once here.
      blocked: async (message, detail) => {
        errors.push(message);
        details.push(detail);
        return undefined;
      },
    };
    const sessions = new ExecSessions(api.ctx);
    try {
      const terminal = await startExecSession(api.ctx, sessions, ui, { clusterArn: cluster.cluster.clusterArn, taskArn: task.taskArn, containerName: 'app' });
      assert.equal(terminal, undefined);
    } finally {
      sessions.dispose();
    }
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /ECS Exec cannot start in app\. Failed: .*Root filesystem writable/);
    assert.match(details[0]!, /^ECS Exec cannot start: /);
    assert.match(details[0]!, /✖ Root filesystem writable \(FAIL\): .*\n   Fix: /, 'the failing check with its fix in full');
    assert.ok(sim.callsTo('DescribeTaskDefinition').length > tdCalls && sim.callsTo('SimulatePrincipalPolicy').length > simCalls + 1, 'the preflight ran');
    assert.equal(sim.callsTo('ExecuteCommand').length, before);
    assert.equal(vscode.window.terminals.length, terminals);
  });
});

// The `demo` account as the `npm start` playground serves it: its caller may run ECS Exec, prod
// web (Fargate) passes every check, staging admin fails on its read-only root filesystem, and a
// session opens on the EC2 billing task with the stand-in plugin.
suite('ECS Exec in the demo account (the playground)', function () {
  this.timeout(90_000);
  const WEB = '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60';
  const BILLING = 'd4e5f60718293a4b5c6d7e8f90a1b2c3';
  let sim: Simulator;
  let record: string;
  let fixture: Awaited<ReturnType<typeof execFixture>> | undefined;

  suiteSetup(async function () {
    if (process.platform === 'win32') this.skip();
    fixture = await execFixture('demo');
    ({ sim, record } = fixture);
  });

  suiteTeardown(async () => {
    await fixture?.dispose();
  });

  async function readiness(cluster: string, taskId: string, containerName: string) {
    const c = sim.state.ecs.clusters.get(cluster)!;
    const checks = await vscode.commands.executeCommand<Array<{ id: string; status: string; detail: string; fix: string }>>('ecsDoctor.checkExecReadiness', {
      clusterArn: c.cluster.clusterArn,
      taskArn: c.tasks.get(taskId)!.taskArn,
      containerName,
    });
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.ok(Array.isArray(checks));
    return checks;
  }

  test('prod web passes every check for the demo caller; staging admin fails only on its read-only root', async () => {
    const web = await readiness('prod', WEB, 'web');
    for (const c of web) assert.equal(c.status, 'pass', `${c.id}: ${c.detail}`);
    assert.match(web.find((c) => c.id === 'caller-permissions')!.detail, /user\/demo-operator: ecs:ExecuteCommand allowed/);
    const adminId = [...sim.state.ecs.clusters.get('staging')!.tasks.values()].find((t) => t.group === 'service:admin' && t.lastStatus === 'RUNNING')!.taskArn!.split('/').pop()!;
    const admin = await readiness('staging', adminId, 'admin');
    assert.deepEqual(admin.filter((c) => c.status === 'fail').map((c) => c.id), ['readonly-root']);
  });

  test('a session on the EC2 billing task opens the stand-in\'s simulated shell and ends with TerminateSession', async () => {
    const c = sim.state.ecs.clusters.get('legacy-ec2')!;
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const d = vscode.window.onDidOpenTerminal((t) => {
        if (t.name.startsWith('ECS Exec:')) {
          d.dispose();
          resolve(t);
        }
      });
    });
    await vscode.commands.executeCommand('ecsDoctor.startExecSession', { clusterArn: c.cluster.clusterArn, taskArn: c.tasks.get(BILLING)!.taskArn, containerName: 'billing' });
    const terminal = await opened;
    assert.equal(terminal.name, `ECS Exec: billing @ ${BILLING}`);
    const lines = () =>
      existsSync(record)
        ? readFileSync(record, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record)
        : [];
    const started = await waitFor(() => lines().find((r) => r.started), 'the stand-in to start the session');
    assert.match(started.target ?? '', new RegExp(`^ecs:legacy-ec2_${BILLING}_[0-9a-f]{64}$`));
    terminal.sendText('hostname');
    await waitFor(() => lines().some((r) => r.input === 'hostname'), 'the typed line to reach the simulated shell');
    terminal.dispose();
    await waitFor(() => sim.callsTo('TerminateSession').find((x) => x.params.SessionId === started.started), 'SSM TerminateSession');
  });
});
