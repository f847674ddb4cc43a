// `ecs-doctor exec` against the simulator with the stand-in session-manager-plugin on PATH: exit
// codes, the checks it prints, the same six plugin arguments as `aws ecs execute-command`, the
// session token in none of its output, and in none of the plugin's arguments when the plugin is
// newer than 1.2.497.0 (in its environment instead; in argv for an older one).
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';
import { pythonJsonDumps } from '../../../src/core/exec';
import { startSimulator, type Simulator } from '../../../sim/server';

const ROOT = path.resolve(__dirname, '../../../..');
const STAND_IN_DIR = path.join(ROOT, 'sim/bin');
const READY = 'e0000000000000000000000000000001';
const LEGACY = 'e0000000000000000000000000000002';

process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
delete process.env.AWS_PROFILE;

interface Rec {
  argv?: string[];
  started?: string;
  responseFromEnv?: string;
  response?: string;
}

describe('ecs-doctor exec', () => {
  let sim: Simulator;
  let dir: string;
  let record: string;
  before(async () => {
    sim = await startSimulator({ scenario: 'exec' });
    dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-exec-cli-'));
  });
  after(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    record = path.join(dir, `record-${Math.random().toString(36).slice(2)}.jsonl`);
  });

  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: `${STAND_IN_DIR}${path.delimiter}${process.env.PATH}`,
      HOME: dir,
      ECS_DOCTOR_SMP_RECORD: record,
      ECS_DOCTOR_SMP_EXIT_AFTER_MS: '50',
      ...extra,
    };
  }

  async function run(args: string[], extraEnv: Record<string, string> = {}) {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      readStdin: async () => '',
      env: env(extraEnv),
      cwd: dir,
    };
    const code = await main(['exec', ...args, '--endpoint-url', sim.url, '--region', 'us-east-1'], io);
    return { code, stdout, stderr };
  }

  function runs(): Rec[] {
    if (!existsSync(record)) return [];
    return readFileSync(record, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);
  }

  /** The plugin's session runs (the six-argument form), not `--version`. */
  function sessionRuns(): Rec[] {
    return runs().filter((x) => x.argv?.length === 6);
  }

  it('--check-only prints every check and exits 0 for a ready task', async () => {
    const r = await run(['--cluster', 'exec', '--task', READY, '--check-only']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /✔ Session Manager plugin installed: pass/);
    assert.match(r.stdout, /✔ Task role permissions: pass/);
    assert.match(r.stdout, /ECS Exec is ready/);
    assert.match(r.stdout, /Found at .*session-manager-plugin \(version 1\.2\.650\.0\)\. The session token goes to it in its environment/);
    assert.deepEqual(sessionRuns(), [], 'no plugin session with --check-only (only --version)');
    assert.equal(sim.callsTo('ExecuteCommand').length, 0);
  });

  it('exits 1 with the failing checks and starts nothing', async () => {
    const r = await run(['--cluster', 'exec', '--task', LEGACY]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /✖ Exec enabled for the task: FAIL/);
    assert.match(r.stdout, /Fix: Turn on enableExecuteCommand for service legacy/);
    assert.match(r.stderr, /cannot start a session: Exec enabled for the task/);
    assert.deepEqual(sessionRuns(), []);
  });

  it('--format json gives the checks as data', async () => {
    const r = await run(['--cluster', 'exec', '--task', LEGACY, '--format', 'json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { ready: boolean; checks: Array<{ id: string; status: string }> };
    assert.equal(out.ready, false);
    assert.equal(out.checks.find((c) => c.id === 'exec-enabled')?.status, 'fail');
  });

  it('says the plugin is missing and where to get it', async () => {
    const r = await run(['--cluster', 'exec', '--task', READY, '--plugin-path', path.join(dir, 'nope')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /✖ Session Manager plugin installed: FAIL/);
    assert.match(r.stderr, /session-manager-working-with-install-plugin/);
  });

  it('bad usage exits 2; a task with two containers needs --container', async () => {
    assert.equal((await run(['--task', READY])).code, 2);
    assert.equal((await run(['--cluster', 'exec', '--task', READY, '--format', 'xml'])).code, 2);
    const multi = await run(['--cluster', 'exec', '--task', 'e000000000000000000000000000000b', '--check-only']);
    assert.equal(multi.code, 2);
    assert.match(multi.stderr, /2 containers \(app, envoy\)/);
  });

  it('runs the plugin with the six arguments, the session in its environment (not its command line), and never prints the token', async () => {
    const r = await run(['--cluster', 'exec', '--task', READY, '--container', 'app', '--command', 'ls -la', '--verbose']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(runs()[0]!.argv, ['--version'], 'the plugin is asked its version first, as the AWS CLI asks it');
    const argv = sessionRuns()[0]!.argv!;
    assert.equal(argv.length, 6);
    assert.equal(argv[0], 'AWS_SSM_START_SESSION_RESPONSE');
    const json = runs().find((x) => x.responseFromEnv === 'AWS_SSM_START_SESSION_RESPONSE')!.response!;
    const session = JSON.parse(json) as { sessionId: string; tokenValue: string };
    for (const a of argv) assert.ok(!a.includes(session.tokenValue), `the plugin's command line holds the token: ${a}`);
    assert.ok(runs().some((x) => x.started === session.sessionId), 'the stand-in accepted the arguments');
    assert.equal(sim.callsTo('ExecuteCommand').at(-1)!.params.command, 'ls -la');
    assert.equal(sim.callsTo('TerminateSession').at(-1)?.params.SessionId, session.sessionId, 'the session is ended after the plugin exits');
    assert.match(r.stderr, /"AWS_SSM_START_SESSION_RESPONSE" "us-east-1" "StartSession"/, '--verbose shows the vector');
    for (const text of [r.stdout, r.stderr]) {
      assert.ok(!text.includes(session.tokenValue), 'the token is printed');
      assert.ok(!text.includes(json), 'the session JSON is printed');
    }
  });

  it('an old plugin (1.2.497.0) gets the session JSON in its first argument, with a warning that says so', async () => {
    const r = await run(['--cluster', 'exec', '--task', READY, '--container', 'app', '--verbose'], { ECS_DOCTOR_SMP_VERSION: '1.2.497.0' });
    assert.equal(r.code, 0, r.stderr);
    const argv = sessionRuns()[0]!.argv!;
    const session = JSON.parse(argv[0]!) as { sessionId: string; tokenValue: string };
    assert.ok(argv[0]!.includes(session.tokenValue));
    assert.ok(runs().some((x) => x.started === session.sessionId));
    assert.ok(!runs().some((x) => x.responseFromEnv));
    assert.match(r.stderr, /warning: Session Manager plugin installed: Found at .* \(version 1\.2\.497\.0\)\. This version takes the session token on its command line/);
    assert.match(r.stderr, /<session JSON> "us-east-1" "StartSession"/, '--verbose masks the session JSON');
    for (const text of [r.stdout, r.stderr]) assert.ok(!text.includes(session.tokenValue), 'the token is printed');
  });

  const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  const haveAws = awsCli.status === 0 && /aws-cli\/1\./.test(`${awsCli.stdout}${awsCli.stderr}`);
  it('passes the same six arguments as aws ecs execute-command', { skip: !haveAws && 'AWS CLI v1 is not installed' }, async () => {
    const cfg = path.join(dir, 'config');
    const creds = path.join(dir, 'credentials');
    writeFileSync(cfg, '[profile ops]\nregion = us-east-1\n');
    writeFileSync(creds, '[ops]\naws_access_key_id = AKIASIMULATOR0000002\naws_secret_access_key = x\n');
    const common = ['--cluster', 'exec', '--task', READY, '--container', 'app', '--command', '/bin/sh', '--region', 'us-east-1', '--endpoint-url', sim.url, '--profile', 'ops'];
    const fileEnv = { AWS_CONFIG_FILE: cfg, AWS_SHARED_CREDENTIALS_FILE: creds };

    const awsRecord = path.join(dir, 'aws-record.jsonl');
    const child = spawn('aws', ['ecs', 'execute-command', '--interactive', ...common], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...env(), ...fileEnv, ECS_DOCTOR_SMP_RECORD: awsRecord },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    const theirs = readFileSync(awsRecord, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec).filter((x) => x.argv?.length).at(-1)!.argv!;

    const prev = { c: process.env.AWS_CONFIG_FILE, s: process.env.AWS_SHARED_CREDENTIALS_FILE };
    Object.assign(process.env, fileEnv);
    try {
      let stdout = '';
      const io: CliIO = { stdout: (t) => void (stdout += t), stderr: () => undefined, readStdin: async () => '', env: { ...env(), ...fileEnv }, cwd: dir };
      assert.equal(await main(['exec', ...common], io), 0, stdout);
    } finally {
      for (const [k, v] of [['AWS_CONFIG_FILE', prev.c], ['AWS_SHARED_CREDENTIALS_FILE', prev.s]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const mine = sessionRuns().at(-1)!.argv!;
    assert.equal(theirs.length, 6);
    assert.deepEqual(mine.slice(1), theirs.slice(1));
    assert.equal(theirs[3], 'ops');
    // `aws ecs execute-command` passes the session on the command line whatever the plugin's
    // version; ECS Doctor passes it as `aws ssm start-session` does for a new plugin: the same
    // JSON, in AWS_SSM_START_SESSION_RESPONSE.
    assert.equal(mine[0], 'AWS_SSM_START_SESSION_RESPONSE');
    const response = runs().filter((x) => x.responseFromEnv).at(-1)!.response!;
    assert.equal(pythonJsonDumps(JSON.parse(theirs[0]!)), theirs[0]);
    assert.equal(pythonJsonDumps(JSON.parse(response)), response);
    assert.deepEqual(Object.keys(JSON.parse(response)), Object.keys(JSON.parse(theirs[0]!)));
  });
});
