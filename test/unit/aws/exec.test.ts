// ECS Exec against the simulator: the facts the AWS layer gathers, the preflight verdict for each
// task of the `exec` scenario, the session start, and the plugin arguments compared with what the
// real AWS CLI v1 passes to a stand-in session-manager-plugin.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AwsSession } from '../../../src/aws/session';
import { ecsEndpointUrl, enableExecForService, ExecInputError, gatherExecFacts, startExecSession, terminateExecSession } from '../../../src/aws/exec';
import { blockingChecks, pythonJsonDumps, runExecChecks, type ExecCheck, type ExecCheckId } from '../../../src/core/exec';
import { SERVICES, startSimulator, type Simulator } from '../../../sim/server';
import { runAwsCli } from '../helpers/awsCli';

const ROOT = path.resolve(__dirname, '../../../..');
const STAND_IN_DIR = path.join(ROOT, 'sim/bin');
const PLUGIN = { path: path.join(STAND_IN_DIR, 'session-manager-plugin'), searched: [] };
const T = (n: string) => `e${n.padStart(31, '0')}`;
const serves = (name: string) => SERVICES.some((s) => s.name === name);

process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

describe('ECS Exec against the simulator', () => {
  let sim: Simulator;
  let session: AwsSession;
  before(async () => {
    sim = await startSimulator({ scenario: 'exec' });
    session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
  });
  after(async () => {
    session.dispose();
    await sim.stop();
  });
  beforeEach(() => {
    sim.setFaults({ accessDenied: [] });
    sim.state.sts.arn = undefined;
  });

  async function preflight(task: string, cluster = 'exec', container?: string): Promise<ExecCheck[]> {
    const { facts } = await gatherExecFacts(session, { cluster, task, container }, PLUGIN);
    return runExecChecks(facts);
  }
  function status(checks: ExecCheck[], id: ExecCheckId) {
    return checks.find((c) => c.id === id)?.status;
  }
  /** Every check passes except `expect`; the VPC check is "could not check" until the simulator serves EC2. */
  function expectOnly(checks: ExecCheck[], expect: Partial<Record<ExecCheckId, ExecCheck['status']>>) {
    for (const c of checks) {
      const want = expect[c.id] ?? (c.id === 'vpc-endpoints' && !serves('ec2') ? 'unknown' : 'pass');
      assert.equal(c.status, want, `${c.id}: ${c.detail}`);
    }
  }

  it('a ready task passes every check, with one call per fact', async () => {
    sim.clearCalls();
    expectOnly(await preflight(T('1')), {});
    const ops = sim.calls.map((c) => `${c.service}:${c.operation}`);
    for (const op of ['ecs:DescribeTasks', 'ecs:DescribeClusters', 'ecs:DescribeTaskDefinition', 'sts:GetCallerIdentity', 'iam:SimulatePrincipalPolicy']) {
      assert.ok(ops.includes(op), `${op} was called`);
    }
    assert.equal(ops.filter((o) => o === 'ecs:DescribeTasks').length, 1);
    assert.deepEqual(sim.callsTo('DescribeClusters')[0]!.params.include, ['CONFIGURATIONS']);
  });

  it('a task of a service without exec fails exec-enabled, offers the service fix, and ExecuteCommand is refused', async () => {
    const checks = await preflight(T('2'));
    expectOnly(checks, { 'exec-enabled': 'fail', 'exec-agent': 'unknown' });
    const c = checks.find((x) => x.id === 'exec-enabled')!;
    assert.equal(c.action?.serviceName, 'legacy');
    await assert.rejects(startExecSession(session, { cluster: 'exec', task: T('2'), container: 'app', command: '/bin/sh' }), /execute command was not enabled/);
  });

  it('the fix turns exec on for the service and forces a new deployment', async () => {
    const before = sim.state.ecs.clusters.get('exec')!.services.get('legacy')!;
    const deployments = before.deployments!.length;
    await enableExecForService(session, 'exec', 'legacy');
    const svc = sim.state.ecs.clusters.get('exec')!.services.get('legacy')!;
    assert.equal(svc.enableExecuteCommand, true);
    assert.equal(svc.deployments!.length, deployments + 1);
    const call = sim.callsTo('UpdateService').at(-1)!;
    assert.equal(call.params.forceNewDeployment, true);
    // the running task keeps its old setting: only new tasks get exec
    assert.equal(status(await preflight(T('2')), 'exec-enabled'), 'fail');
  });

  it('an old Fargate platform, a stopped agent, a read-only root and a missing init process', async () => {
    expectOnly(await preflight(T('3')), { platform: 'fail' });
    expectOnly(await preflight(T('4')), { 'exec-agent': 'fail' });
    expectOnly(await preflight(T('5')), { 'readonly-root': 'fail' });
    const noInit = await preflight(T('6'));
    expectOnly(noInit, { 'init-process': 'warn' });
    assert.deepEqual(blockingChecks(noInit), [], 'a warning does not block');
  });

  it('a task role without ssmmessages, a role that does not exist', async () => {
    const checks = await preflight(T('7'));
    expectOnly(checks, { 'task-role': 'fail' });
    assert.match(checks.find((c) => c.id === 'task-role')!.detail, /ssmmessages:CreateControlChannel not allowed/);
    const ghost = await preflight(T('c'));
    expectOnly(ghost, { 'task-role': 'fail' });
    const role = ghost.find((c) => c.id === 'task-role')!;
    assert.match(role.detail, /task role arn:aws:iam::123456789012:role\/deleted-role \(taskRoleArn of the task definition\) does not exist/);
    assert.match(role.fix, /^Create the role deleted-role \(trusted by ecs-tasks\.amazonaws\.com\)/);
  });

  it('an EC2 task on an agent older than 1.50.2', async () => {
    const checks = await preflight(T('8'));
    expectOnly(checks, { platform: 'fail' });
    assert.match(checks.find((c) => c.id === 'platform')!.detail, /1\.49\.0/);
  });

  it('a PENDING task fails task-running (its agent is not started yet); an unknown task is "not found"', async () => {
    const pending = await preflight(T('9'));
    expectOnly(pending, { 'task-running': 'fail', 'exec-agent': 'unknown' });
    assert.match(pending.find((c) => c.id === 'exec-agent')!.detail, /container app is PENDING/);
    const missing = await preflight('ffffffffffffffffffffffffffffffff', 'exec', 'app');
    assert.equal(status(missing, 'task-running'), 'fail');
    assert.match(missing.find((c) => c.id === 'task-running')!.detail, /not found/);
  });

  it('a VPC with interface endpoints but none for ssmmessages warns', { skip: !serves('ec2') && 'the simulator does not serve EC2 yet' }, async () => {
    const checks = await preflight(T('a'));
    expectOnly(checks, { 'vpc-endpoints': 'warn' });
    assert.match(checks.find((c) => c.id === 'vpc-endpoints')!.detail, /com\.amazonaws\.us-east-1\.ssmmessages/);
  });

  it('a two-container task needs a container; an unknown cluster is an input error', async () => {
    await assert.rejects(preflight(T('b')), (e: Error) => e instanceof ExecInputError && /app, envoy/.test(e.message));
    expectOnly(await preflight(T('b'), 'exec', 'envoy'), {});
    await assert.rejects(preflight(T('1'), 'nope'), (e: Error) => e instanceof ExecInputError && /Cluster "nope" was not found/.test(e.message));
  });

  it('the caller: not allowed to ExecuteCommand; KMS explicitly denied; simulation not permitted', async () => {
    sim.state.sts.arn = 'arn:aws:iam::123456789012:user/dev';
    expectOnly(await preflight(T('1')), { 'caller-permissions': 'fail' });
    sim.state.sts.arn = 'arn:aws:iam::123456789012:user/operator';
    const kms = await preflight(T('2', ), 'secure');
    assert.equal(status(kms, 'caller-permissions'), 'fail');
    assert.match(kms.find((c) => c.id === 'caller-permissions')!.detail, /kms:GenerateDataKey explicitly denied/);
    sim.state.sts.arn = undefined;
    sim.setFaults({ accessDenied: [{ operation: 'iam:SimulatePrincipalPolicy' }] });
    const checks = await preflight(T('1'));
    expectOnly(checks, { 'caller-permissions': 'unknown', 'task-role': 'unknown' });
    assert.match(checks.find((c) => c.id === 'task-role')!.detail, /Could not check the task role.*iam:SimulatePrincipalPolicy/);
  });

  it('an assumed-role caller is simulated as its role (GetRole gives the path)', async () => {
    sim.state.sts.arn = 'arn:aws:sts::123456789012:assumed-role/exec-task-role/alice';
    const checks = await preflight(T('1'));
    // exec-task-role has only ssmmessages: it may not ExecuteCommand
    assert.equal(status(checks, 'caller-permissions'), 'fail');
    assert.match(checks.find((c) => c.id === 'caller-permissions')!.detail, /^arn:aws:iam::123456789012:role\/exec-task-role:/);
    assert.equal(sim.callsTo('GetRole').at(-1)!.params.RoleName, 'exec-task-role');
  });

  it('an assumed role with a path: found with GetRole; without GetRole its guessed ARN is "missing" and the fix is iam:GetRole', async () => {
    const roles = sim.state.iam!.roles!;
    roles.push({
      roleName: 'deployer',
      arn: 'arn:aws:iam::123456789012:role/teams/deployer',
      inlinePolicies: { exec: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:ExecuteCommand', Resource: '*' }] } },
    });
    try {
      sim.state.sts.arn = 'arn:aws:sts::123456789012:assumed-role/deployer/alice';
      const found = await preflight(T('1'));
      assert.equal(status(found, 'caller-permissions'), 'pass');
      assert.match(found.find((c) => c.id === 'caller-permissions')!.detail, /^arn:aws:iam::123456789012:role\/teams\/deployer: ecs:ExecuteCommand allowed/);

      sim.setFaults({ accessDenied: [{ operation: 'iam:GetRole' }] });
      const guessed = (await preflight(T('1'))).find((c) => c.id === 'caller-permissions')!;
      assert.equal(guessed.status, 'fail');
      assert.match(guessed.detail, /^IAM has no arn:aws:iam::123456789012:role\/deployer: .*could not read the role \(iam:GetRole\)/);
      assert.match(guessed.fix, /^Allow your identity iam:GetRole on the role/);
      assert.doesNotMatch(guessed.fix, /taskRoleArn|task definition/);
    } finally {
      roles.pop();
    }
  });

  it('simulation not permitted: the fix is iam:SimulatePrincipalPolicy for your identity, on itself and on the task role', async () => {
    sim.setFaults({ accessDenied: [{ operation: 'iam:SimulatePrincipalPolicy' }] });
    const checks = await preflight(T('1'));
    const caller = checks.find((c) => c.id === 'caller-permissions')!;
    assert.match(caller.detail, /not permitted to run iam:SimulatePrincipalPolicy \(Access denied: User: arn:aws:iam::123456789012:user\/sim-user is not authorized/);
    assert.doesNotMatch(caller.detail, /AccessDeniedException|AccessDenied:/, 'the error in words');
    assert.match(caller.fix, /^Allow your identity iam:SimulatePrincipalPolicy on itself/);
    const role = checks.find((c) => c.id === 'task-role')!;
    assert.match(role.fix, /^Allow your identity \(the one ECS Doctor uses, not the task role\) iam:SimulatePrincipalPolicy on arn:aws:iam::123456789012:role\/exec-task-role/);
  });

  it('a cluster with KMS and CloudWatch logging adds kms:Decrypt and logs:* to the task role', async () => {
    const weak = await preflight('5e000000000000000000000000000001', 'secure');
    expectOnly(weak, { 'task-role': 'fail' });
    const detail = weak.find((c) => c.id === 'task-role')!.detail;
    assert.match(detail, /kms:Decrypt not allowed/);
    assert.match(detail, /logs:PutLogEvents not allowed/);
    assert.doesNotMatch(detail, /ssmmessages/);
    expectOnly(await preflight('5e000000000000000000000000000002', 'secure'), {});
  });

  it('starts a session: ExecuteCommand, then the six plugin arguments', async () => {
    const started = await startExecSession(session, { cluster: 'exec', task: T('1'), container: 'app', command: '/bin/sh', env: {} });
    assert.equal(started.argv.length, 6);
    const [sessionJson, region, op, profile, params, endpoint] = started.argv;
    const s = JSON.parse(sessionJson!);
    assert.deepEqual(Object.keys(s), ['sessionId', 'streamUrl', 'tokenValue']);
    assert.equal(s.sessionId, started.sessionId);
    assert.equal(region, 'us-east-1');
    assert.equal(op, 'StartSession');
    assert.equal(profile, '');
    const runtimeId = sim.state.ecs.clusters.get('exec')!.tasks.get(T('1'))!.containers![0]!.runtimeId;
    assert.equal(params, `{"Target": "ecs:exec_${T('1')}_${runtimeId}"}`);
    assert.equal(endpoint, sim.url);
    const call = sim.callsTo('ExecuteCommand').at(-1)!;
    assert.equal(call.params.interactive, true);
    assert.equal(call.params.command, '/bin/sh');
  });

  it('a plugin newer than 1.2.497.0 gets the session in AWS_SSM_START_SESSION_RESPONSE: no argument holds the token', async () => {
    const started = await startExecSession(session, { cluster: 'exec', task: T('1'), container: 'app', command: '/bin/sh', env: {}, pluginVersion: '1.2.650.0' });
    assert.equal(started.responseInEnv, true);
    assert.equal(started.argv.length, 6);
    assert.equal(started.argv[0], 'AWS_SSM_START_SESSION_RESPONSE');
    const s = JSON.parse(started.env.AWS_SSM_START_SESSION_RESPONSE!) as Record<string, string>;
    assert.deepEqual(Object.keys(s), ['sessionId', 'streamUrl', 'tokenValue']);
    assert.equal(s.sessionId, started.sessionId);
    assert.ok(s.tokenValue!.length > 10);
    for (const a of started.argv) assert.ok(!a.includes(s.tokenValue!), `an argument holds the token: ${a}`);
    assert.equal(started.argv[2], 'StartSession');
  });

  it('a plugin of 1.2.497.0 or older (or of an unreadable version) gets the session JSON in argv, the token with it', async () => {
    for (const pluginVersion of ['1.2.497.0', '']) {
      const started = await startExecSession(session, { cluster: 'exec', task: T('1'), container: 'app', command: '/bin/sh', env: {}, pluginVersion });
      assert.equal(started.responseInEnv, false);
      assert.deepEqual(started.env, {});
      const s = JSON.parse(started.argv[0]!) as Record<string, string>;
      assert.equal(s.sessionId, started.sessionId);
      assert.ok(started.argv[0]!.includes(s.tokenValue!));
    }
  });

  it('ends a session with SSM TerminateSession', { skip: !serves('ssm') && 'the simulator does not serve SSM yet' }, async () => {
    const started = await startExecSession(session, { cluster: 'exec', task: T('1'), container: 'app', command: '/bin/sh', env: {} });
    await terminateExecSession(session, started.sessionId);
    assert.equal(sim.callsTo('TerminateSession').at(-1)!.params.SessionId, started.sessionId);
  });

  it('passes the ECS endpoint the AWS CLI would: the Region\'s, an override, or the configured one', async () => {
    const real = new AwsSession({ region: 'eu-west-1' });
    const cn = new AwsSession({ region: 'cn-north-1' });
    try {
      assert.equal(await ecsEndpointUrl(real, {}), 'https://ecs.eu-west-1.amazonaws.com');
      assert.equal(await ecsEndpointUrl(cn, {}), 'https://ecs.cn-north-1.amazonaws.com.cn');
      assert.equal(await ecsEndpointUrl(real, { AWS_ENDPOINT_URL_ECS: 'http://localhost:4566' }), 'http://localhost:4566');
      assert.equal(await ecsEndpointUrl(real, { AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), 'https://ecs.eu-west-1.amazonaws.com');
      assert.equal(await ecsEndpointUrl(session, {}), sim.url);
    } finally {
      real.dispose();
      cn.dispose();
    }
  });

  describe('the same six arguments as the AWS CLI', () => {
    const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
    const haveAws = awsCli.status === 0 && /aws-cli\/1\./.test(`${awsCli.stdout}${awsCli.stderr}`);
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-awscli-'));
      writeFileSync(path.join(dir, 'config'), '[profile ops]\nregion = us-east-1\n');
      writeFileSync(path.join(dir, 'credentials'), '[ops]\naws_access_key_id = AKIASIMULATOR0000002\naws_secret_access_key = x\n[default]\naws_access_key_id = AKIASIMULATOR0000003\naws_secret_access_key = y\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs the AWS CLI asynchronously: the simulator answers from this process's event loop. */
    async function awsExecuteCommand(profile: string | undefined): Promise<string[]> {
      const record = path.join(dir, `record-${profile ?? 'none'}.jsonl`);
      await runAwsCli(
        ['ecs', 'execute-command', '--cluster', 'exec', '--task', T('1'), '--container', 'app', '--command', '/bin/sh', '--interactive', '--region', 'us-east-1', '--endpoint-url', sim.url, ...(profile ? ['--profile', profile] : [])],
        {
          PATH: `${STAND_IN_DIR}${path.delimiter}${process.env.PATH}`,
          HOME: dir,
          AWS_CONFIG_FILE: path.join(dir, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
          ECS_DOCTOR_SMP_RECORD: record,
          ECS_DOCTOR_SMP_EXIT_AFTER_MS: '1',
        },
      );
      const runs = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv?: string[] }).filter((x) => x.argv);
      assert.deepEqual(runs[0]!.argv, [], 'the AWS CLI first runs the plugin with no arguments to see that it exists');
      return runs.at(-1)!.argv!;
    }

    for (const profile of [undefined, 'ops']) {
      it(`matches aws ecs execute-command ${profile ? `--profile ${profile}` : 'without a profile'}`, { skip: !haveAws && 'AWS CLI v1 is not installed' }, async () => {
        const theirs = await awsExecuteCommand(profile);
        const mySession = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1, ...(profile ? { profile } : {}) });
        const prev = { c: process.env.AWS_CONFIG_FILE, s: process.env.AWS_SHARED_CREDENTIALS_FILE };
        process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
        process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
        try {
          const mine = (await startExecSession(mySession, { cluster: 'exec', task: T('1'), container: 'app', command: '/bin/sh', env: {} })).argv;
          assert.equal(mine.length, 6);
          assert.equal(theirs.length, 6);
          // Arguments 2-6 are identical; the session differs per call but has the same JSON form.
          assert.deepEqual(mine.slice(1), theirs.slice(1));
          assert.equal(pythonJsonDumps(JSON.parse(theirs[0]!)), theirs[0], 'our serialiser writes the AWS CLI\'s JSON form');
          assert.deepEqual(Object.keys(JSON.parse(mine[0]!)), Object.keys(JSON.parse(theirs[0]!)));
          assert.equal(pythonJsonDumps(JSON.parse(mine[0]!)), mine[0]);
        } finally {
          mySession.dispose();
          process.env.AWS_CONFIG_FILE = prev.c;
          process.env.AWS_SHARED_CREDENTIALS_FILE = prev.s;
          if (prev.c === undefined) delete process.env.AWS_CONFIG_FILE;
          if (prev.s === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
        }
      });
    }
  });
});
