// Secrets: every command, at the most verbose level it has, against scenarios that carry a
// session token, secret environment values (in task definitions and in task overrides), secret
// values in Secrets Manager and SSM, and ECS Exec session tokens. None of them appears in any log
// line, message, report or CLI output.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import { AwsSession } from '../../src/aws/session';
import { ecsDataFor } from '../../src/aws/ecs';
import { diagnoseTask } from '../../src/aws/diagnose';
import { gatherExecFacts, startExecSession, terminateExecSession } from '../../src/aws/exec';
import { ExplorerModel, present, type ExplorerNode } from '../../src/core/explorer/model';
import { formatChecksText, runExecChecks, summarizeChecks } from '../../src/core/exec';
import { redact } from '../../src/core/redact';
import { locatePlugin } from '../../src/pluginFs';
import { readScenario } from '../../sim/scenario';
import { startSimulator, type Simulator } from '../../sim/server';
import type { ScenarioData } from '../../sim/types';
import { loadEverything } from '../../bench/tree';
import { cli, collectingLogger, guardDns, sandboxEnv } from './helpers';

guardDns();
const ROOT = path.resolve(__dirname, '../../..');

const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzRELIABILITYkey';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEReliabilitySessionToken0123456789abcdefXYZ==';
const ENV_SECRET = 'env-s3cret-in-task-definition-7f3a';
const OVERRIDE_SECRET = 'override-s3cret-in-describe-tasks-91bc';
/** Values the scenarios themselves hold in Secrets Manager and SSM. */
const STORED = ['s3cr3t-value-never-shown', 'old-s3cr3t-never-shown', 'hunter2-never-shown'];

function withSecrets(name: string): ScenarioData {
  const data = readScenario(name);
  for (const td of data.taskDefinitions ?? []) {
    const c = td.containerDefinitions?.[0];
    if (c) c.environment = [...(c.environment ?? []), { name: 'DB_PASSWORD', value: ENV_SECRET }, { name: 'PLAIN', value: 'visible' }];
  }
  for (const cl of data.clusters ?? []) {
    for (const t of cl.tasks ?? []) {
      const tdName = t.taskDefinition ?? cl.services?.find((s) => s.name === t.service)?.taskDefinition;
      const td = data.taskDefinitions?.find((d) => tdName && (`${d.family}:${d.revision}` === tdName || d.family === tdName));
      const first = td?.containerDefinitions?.[0]?.name;
      if (first) t.overrides = { containerOverrides: [{ name: first, environment: [{ name: 'API_TOKEN', value: OVERRIDE_SECRET }] }] };
    }
  }
  return data;
}

/** Every output collected in this file, with where it came from. */
const outputs: { where: string; text: string }[] = [];
const tokens: string[] = [];
function keep(where: string, text: string): void {
  outputs.push({ where, text });
}

function assertClean(): void {
  const secrets = [SECRET_KEY, SESSION_TOKEN, ENV_SECRET, OVERRIDE_SECRET, ...STORED, ...tokens];
  assert.ok(outputs.length > 0);
  for (const { where, text } of outputs) {
    for (const s of secrets) {
      // The tokens are long: any 24-character piece of one is a leak too.
      const pieces = s.length > 40 ? [s, s.slice(0, 24), s.slice(-24)] : [s];
      for (const p of pieces) assert.ok(!text.includes(p), `${where} shows a secret (${p.slice(0, 6)}…):\n${text.slice(Math.max(0, text.indexOf(p) - 200), text.indexOf(p) + 100)}`);
    }
  }
}

describe('secrets never appear', () => {
  let diag: Simulator;
  let exec: Simulator;
  let restore: () => void;
  const dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-secrets-'));
  const record = path.join(dir, 'smp.jsonl');

  before(async () => {
    restore = sandboxEnv({ AWS_ACCESS_KEY_ID: 'ASIARELIABILITY00001', AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN });
    diag = await startSimulator({ scenario: withSecrets('diagnose') });
    exec = await startSimulator({ scenario: withSecrets('exec') });
  });
  after(async () => {
    await diag.stop();
    await exec.stop();
    restore();
    rmSync(dir, { recursive: true, force: true });
    // Leaves the outputs for the last test to check.
  });

  const taskIds = () => [...diag.state.ecs.clusters.get('diag')!.tasks.keys()];

  it('ecs-doctor status, every format, verbose, stopped tasks included', async () => {
    for (const format of ['text', 'json']) {
      const r = await cli(['status', '--region', 'us-east-1', '--endpoint-url', diag.url, '--include-stopped', '--verbose', '--format', format]);
      keep(`status ${format}`, r.stdout + r.stderr);
      assert.ok(r.stdout.length > 0);
    }
  });

  it('ecs-doctor diagnose, every task, text and JSON, verbose', async () => {
    for (const id of taskIds()) {
      for (const format of ['text', 'json']) {
        const r = await cli(['diagnose', '--cluster', 'diag', '--task', id, '--region', 'us-east-1', '--endpoint-url', diag.url, '--verbose', '--format', format]);
        keep(`diagnose ${id} ${format}`, r.stdout + r.stderr);
        assert.ok([0, 1].includes(r.code), `diagnose ${id}: exit ${r.code} ${r.stderr}`);
      }
    }
  });

  it('ecs-doctor explain --tasks-json over describe-tasks output that carries override secrets', async () => {
    const ecs = new ECSClient(diag.clientConfig());
    try {
      const out = await ecs.send(new DescribeTasksCommand({ cluster: 'diag', tasks: taskIds().slice(0, 100) }));
      const json = JSON.stringify({ tasks: out.tasks, failures: out.failures });
      assert.ok(json.includes(OVERRIDE_SECRET), 'the input does carry the secret');
      const file = path.join(dir, 'tasks.json');
      writeFileSync(file, json);
      for (const format of ['text', 'json', 'markdown']) {
        const r = await cli(['explain', '--tasks-json', file, '--format', format]);
        keep(`explain ${format}`, r.stdout + r.stderr);
        const s = await cli(['explain', '--tasks-json', '-', '--format', format], { stdin: json });
        keep(`explain stdin ${format}`, s.stdout + s.stderr);
      }
      // A pasted task as the positional argument.
      const p = await cli(['explain', JSON.stringify(out.tasks?.[0])]);
      keep('explain pasted', p.stdout + p.stderr);
    } finally {
      ecs.destroy();
    }
  });

  it('ecs-doctor lint over a task definition with a secret in its environment, every format', async () => {
    const ecs = new ECSClient(diag.clientConfig());
    try {
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: diag.state.ecs.taskDefinitions.keys().next().value! }));
      const file = path.join(dir, 'td.json');
      writeFileSync(file, JSON.stringify({ taskDefinition: td.taskDefinition }, null, 2));
      for (const format of ['text', 'json', 'sarif']) {
        const r = await cli(['lint', file, '--format', format]);
        keep(`lint ${format}`, r.stdout + r.stderr);
        assert.match(r.stdout, /secrets\/plaintext-environment/, 'the rule fires (without showing the value)');
      }
    } finally {
      ecs.destroy();
    }
  });

  it('ecs-doctor exec: checks and a session, verbose (the session token goes to the plugin only)', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${path.join(ROOT, 'sim/bin')}${path.delimiter}${process.env.PATH}`,
      HOME: dir,
      ECS_DOCTOR_SMP_RECORD: record,
      ECS_DOCTOR_SMP_EXIT_AFTER_MS: '50',
    };
    const base = ['exec', '--cluster', 'exec', '--task', 'e0000000000000000000000000000001', '--region', 'us-east-1', '--endpoint-url', exec.url, '--verbose'];
    for (const extra of [['--check-only'], ['--format', 'json'], []]) {
      const r = await cli([...base, ...extra], { env, cwd: dir });
      keep(`exec ${extra.join(' ')}`, r.stdout + r.stderr);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.ok(existsSync(record));
    for (const line of readFileSync(record, 'utf8').trim().split('\n')) {
      // The stand-in is a new plugin: the session comes in AWS_SSM_START_SESSION_RESPONSE, its name in argv.
      const rec = JSON.parse(line) as { argv?: string[]; response?: string };
      if (rec.response) tokens.push((JSON.parse(rec.response) as { tokenValue: string }).tokenValue);
      else if (rec.argv?.length === 6 && rec.argv[0]!.startsWith('{')) tokens.push((JSON.parse(rec.argv[0]!) as { tokenValue: string }).tokenValue);
    }
    assert.equal(tokens.length, 1, 'the plugin got one session token');
  });

  it('the AWS layer and the explorer model at trace level (lines redacted as the editor log does), and every tooltip', async () => {
    const log = collectingLogger();
    const session = new AwsSession({ region: 'us-east-1', endpoint: diag.url, logger: log });
    const model = new ExplorerModel({ scopes: [{ id: 's@us-east-1', profile: undefined, region: 'us-east-1', source: ecsDataFor(session, { logger: log, region: 'us-east-1' }) }], logger: log });
    try {
      await loadEverything(model);
      await Promise.all(model.all('stoppedGroup').map((g) => model.expand(g)));
      await model.refresh();
      const walk = (n: ExplorerNode) => {
        const p = present(n);
        keep(`tree ${n.id}`, `${p.label}\n${p.description ?? ''}\n${p.tooltip ?? ''}`);
        for (const c of n.kind === 'task' ? model.children(n) : (n.children ?? [])) walk(c);
      };
      walk(model.root);
      for (const id of taskIds()) keep(`diagnoseTask ${id}`, JSON.stringify(await diagnoseTask(session, 'diag', id)));
    } finally {
      model.dispose();
      session.dispose();
    }
    const execSession = new AwsSession({ region: 'us-east-1', endpoint: exec.url, logger: log });
    try {
      const target = { cluster: 'exec', task: 'e0000000000000000000000000000001', container: 'app' };
      const gathered = await gatherExecFacts(execSession, target, locatePlugin(undefined, { PATH: path.join(ROOT, 'sim/bin') }));
      // What a user sees of the preflight: the checks (the gathered facts are data, not output).
      const checks = runExecChecks(gathered.facts);
      keep('exec checks', `${formatChecksText(checks)}\n${summarizeChecks(checks)}`);
      const started = await startExecSession(execSession, { ...target, command: '/bin/sh', env: {} });
      tokens.push((JSON.parse(started.argv[0]!) as { tokenValue: string }).tokenValue);
      await terminateExecSession(execSession, started.sessionId);
    } finally {
      execSession.dispose();
    }
    assert.ok(log.lines.some((l) => l.startsWith('trace')), 'trace lines were written');
    for (const l of log.lines) keep('log', redact(l));
  });

  it('none of the secrets appears anywhere above', () => {
    assert.ok(tokens.filter(Boolean).length >= 1);
    assertClean();
  });
});
