import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  blockingChecks,
  callerNeeds,
  compareVersions,
  describePluginArgs,
  execTarget,
  findPlugin,
  formatChecksText,
  pluginArgs,
  pluginCandidates,
  policySourceFor,
  pythonJsonDumps,
  runExecChecks,
  summarizeChecks,
  taskRoleNeeds,
  type ExecCheck,
  type ExecCheckId,
  type ExecFacts,
  type PermissionNeed,
  type SimulationOutcome,
} from '../../../../src/core/exec';

const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef';
const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod';

function allowed(principalArn: string, needs: PermissionNeed[]): SimulationOutcome {
  return { kind: 'simulated', principalArn, results: needs.map((n) => ({ ...n, decision: 'allowed' })) };
}

/** Facts for a task where every check passes; each test breaks one thing. */
function readyFacts(): ExecFacts {
  return {
    region: 'eu-west-1',
    plugin: { path: '/usr/local/bin/session-manager-plugin', searched: ['/usr/local/bin/session-manager-plugin'] },
    cluster: 'prod',
    containerName: 'web',
    task: {
      taskArn: TASK_ARN,
      clusterArn: CLUSTER_ARN,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      enableExecuteCommand: true,
      group: 'service:api',
      containers: [
        { name: 'web', runtimeId: '0123456789abcdef0123456789abcdef-1234567890', lastStatus: 'RUNNING', managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING' }] },
        { name: 'sidecar', runtimeId: 'r2', lastStatus: 'RUNNING', managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'STOPPED', reason: 'boom' }] },
      ],
      attachments: [{ type: 'ElasticNetworkInterface', details: [{ name: 'subnetId', value: 'subnet-1' }] }],
    },
    execConfig: undefined,
    taskDefinition: {
      taskRoleArn: 'arn:aws:iam::123456789012:role/api-task',
      containerDefinitions: [
        { name: 'web', linuxParameters: { initProcessEnabled: true } },
        { name: 'sidecar', readonlyRootFilesystem: true },
      ],
    },
    caller: allowed('arn:aws:iam::123456789012:user/alice', callerNeeds(TASK_ARN, undefined, 'eu-west-1')),
    taskRole: allowed('arn:aws:iam::123456789012:role/api-task', taskRoleNeeds(TASK_ARN, undefined, 'eu-west-1')),
    network: { vpcId: 'vpc-1', endpoints: [] },
  };
}

function check(checks: ExecCheck[], id: ExecCheckId): ExecCheck {
  const c = checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} is present`);
  return c;
}

function only(checks: ExecCheck[], id: ExecCheckId, status: ExecCheck['status']): ExecCheck {
  const c = check(checks, id);
  assert.equal(c.status, status, `${id}: ${c.detail}`);
  for (const other of checks) if (other.id !== id) assert.equal(other.status, 'pass', `${other.id} should still pass: ${other.detail}`);
  return c;
}

describe('exec preflight', () => {
  it('passes every check, in the public checker order, for a ready task', () => {
    const checks = runExecChecks(readyFacts());
    assert.deepEqual(
      checks.map((c) => c.id),
      ['plugin', 'caller-permissions', 'task-running', 'platform', 'exec-enabled', 'exec-agent', 'init-process', 'readonly-root', 'cluster-config', 'task-role', 'vpc-endpoints'],
    );
    for (const c of checks) assert.equal(c.status, 'pass', `${c.id}: ${c.detail}`);
    assert.deepEqual(blockingChecks(checks), []);
    assert.match(summarizeChecks(checks), /^ECS Exec is ready: 11 passed, 0 failed/);
  });

  it('fails when the plugin is missing, and links the install instructions', () => {
    const f = readyFacts();
    f.plugin = { searched: ['/a', '/b'] };
    const c = only(runExecChecks(f), 'plugin', 'fail');
    assert.match(c.fix, /session-manager-working-with-install-plugin/);
  });

  it('names a configured plugin path that does not work', () => {
    const f = readyFacts();
    f.plugin = { searched: ['/opt/smp'], configured: '/opt/smp' };
    const c = only(runExecChecks(f), 'plugin', 'fail');
    assert.match(c.detail, /sessionManagerPluginPath is "\/opt\/smp"/);
  });

  it('fails when the caller may not run ecs:ExecuteCommand, and says could-not-check when simulation is denied', () => {
    const f = readyFacts();
    f.caller = { kind: 'simulated', principalArn: 'arn:aws:iam::123456789012:user/alice', results: callerNeeds(TASK_ARN, undefined, 'eu-west-1').map((n) => ({ ...n, decision: 'implicitDeny' })) };
    const c = only(runExecChecks(f), 'caller-permissions', 'fail');
    assert.match(c.detail, /ecs:ExecuteCommand not allowed/);
    assert.match(c.fix, new RegExp(`Allow ecs:ExecuteCommand on ${TASK_ARN}`));

    f.caller = { kind: 'unavailable', principalArn: 'arn:aws:iam::123456789012:user/alice', reason: 'AccessDenied: not authorized to perform iam:SimulatePrincipalPolicy' };
    const u = only(runExecChecks(f), 'caller-permissions', 'unknown');
    assert.match(u.detail, /^Could not check/);
    assert.deepEqual(blockingChecks(runExecChecks(f)), [], 'could-not-check does not block');
  });

  it('asks for kms:GenerateDataKey from the caller when the cluster has a KMS key', () => {
    const needs = callerNeeds(TASK_ARN, { kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }, 'eu-west-1');
    assert.deepEqual(
      needs.map((n) => [n.action, n.resource]),
      [
        ['ecs:ExecuteCommand', TASK_ARN],
        ['kms:GenerateDataKey', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
      ],
    );
    const f = readyFacts();
    f.execConfig = { kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k' };
    f.taskRole = allowed('arn:aws:iam::123456789012:role/api-task', taskRoleNeeds(TASK_ARN, f.execConfig, 'eu-west-1'));
    f.caller = {
      kind: 'simulated',
      principalArn: 'arn:aws:iam::123456789012:user/alice',
      results: callerNeeds(TASK_ARN, f.execConfig, 'eu-west-1').map((n) => ({ ...n, decision: n.action === 'kms:GenerateDataKey' ? 'explicitDeny' : 'allowed' })),
    };
    const c = only(runExecChecks(f), 'caller-permissions', 'fail');
    assert.match(c.detail, /kms:GenerateDataKey explicitly denied/);
    assert.match(c.fix, /Remove the explicit Deny/);
  });

  it('fails a task that is not RUNNING, and a task that was not found', () => {
    const f = readyFacts();
    f.task!.lastStatus = 'PENDING';
    only(runExecChecks(f), 'task-running', 'fail');
    f.task = undefined;
    const checks = runExecChecks(f);
    assert.equal(check(checks, 'task-running').status, 'fail');
    assert.match(check(checks, 'task-running').detail, /not found/);
    assert.equal(check(checks, 'exec-enabled').status, 'unknown');
  });

  it('checks the Fargate platform version (LATEST counts) and the EC2 agent version', () => {
    const f = readyFacts();
    f.task!.platformVersion = '1.3.0';
    const c = only(runExecChecks(f), 'platform', 'fail');
    assert.match(c.fix, /service api to LATEST/);
    f.task!.platformVersion = 'LATEST';
    only(runExecChecks(f), 'platform', 'pass');
    f.task!.platformVersion = '1.10.0';
    only(runExecChecks(f), 'platform', 'pass');

    const e = readyFacts();
    e.task!.launchType = 'EC2';
    e.task!.containerInstanceArn = 'arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/ci';
    e.agentVersion = '1.50.1';
    only(runExecChecks(e), 'platform', 'fail');
    e.agentVersion = '1.50.2';
    only(runExecChecks(e), 'platform', 'pass');
    e.agentVersion = undefined;
    e.agentError = 'AccessDenied';
    only(runExecChecks(e), 'platform', 'unknown');
    // launchType absent: a FARGATE capacity provider means Fargate
    const cp = readyFacts();
    cp.task!.launchType = undefined;
    cp.task!.capacityProviderName = 'FARGATE_SPOT';
    cp.task!.platformVersion = '1.3.0';
    only(runExecChecks(cp), 'platform', 'fail');
  });

  it('fails when enableExecuteCommand is off, with the service action, and skips the agent', () => {
    const f = readyFacts();
    f.task!.enableExecuteCommand = false;
    const checks = runExecChecks(f);
    const c = check(checks, 'exec-enabled');
    assert.equal(c.status, 'fail');
    assert.deepEqual(c.action, { kind: 'enable-execute-command', clusterArn: CLUSTER_ARN, serviceName: 'api' });
    assert.match(c.fix, /--enable-execute-command --force-new-deployment/);
    assert.equal(check(checks, 'exec-agent').status, 'unknown');
    // a standalone task gets no service action
    f.task!.group = 'family:api';
    const s = check(runExecChecks(f), 'exec-enabled');
    assert.equal(s.action, undefined);
    assert.match(s.fix, /run-task --enable-execute-command/);
  });

  it('fails when the ExecuteCommandAgent is not RUNNING, warns while PENDING', () => {
    const f = readyFacts();
    f.task!.containers![0]!.managedAgents = [{ name: 'ExecuteCommandAgent', lastStatus: 'STOPPED', reason: 'no ssmmessages' }];
    const c = only(runExecChecks(f), 'exec-agent', 'fail');
    assert.match(c.detail, /STOPPED.*no ssmmessages/);
    f.task!.containers![0]!.managedAgents = [{ name: 'ExecuteCommandAgent', lastStatus: 'PENDING' }];
    only(runExecChecks(f), 'exec-agent', 'warn');
    f.task!.containers![0]!.managedAgents = [];
    only(runExecChecks(f), 'exec-agent', 'fail');
    f.containerName = 'nope';
    const missing = check(runExecChecks(f), 'exec-agent');
    assert.equal(missing.status, 'fail');
    assert.match(missing.detail, /it has: web, sidecar/);
  });

  it('warns without initProcessEnabled and fails with readonlyRootFilesystem', () => {
    const f = readyFacts();
    f.taskDefinition!.containerDefinitions![0]!.linuxParameters = {};
    only(runExecChecks(f), 'init-process', 'warn');
    const r = readyFacts();
    r.taskDefinition!.containerDefinitions![0]!.readonlyRootFilesystem = true;
    const c = only(runExecChecks(r), 'readonly-root', 'fail');
    assert.match(c.fix, /"readonlyRootFilesystem": false/);
    // the sidecar (agent STOPPED, read-only root) fails both
    const s = readyFacts();
    s.containerName = 'sidecar';
    const checks = runExecChecks(s);
    assert.equal(check(checks, 'readonly-root').status, 'fail');
    assert.equal(check(checks, 'exec-agent').status, 'fail');
    assert.equal(check(checks, 'init-process').status, 'warn');
  });

  it('fails a task role without the four ssmmessages actions; could not check when simulation is denied', () => {
    const f = readyFacts();
    f.taskRole = {
      kind: 'simulated',
      principalArn: 'arn:aws:iam::123456789012:role/api-task',
      results: taskRoleNeeds(TASK_ARN, undefined, 'eu-west-1').map((n) => ({ ...n, decision: n.action === 'ssmmessages:OpenDataChannel' ? 'implicitDeny' : 'allowed' })),
    };
    const c = only(runExecChecks(f), 'task-role', 'fail');
    assert.match(c.detail, /ssmmessages:OpenDataChannel not allowed/);
    assert.doesNotMatch(c.detail, /CreateControlChannel/);
    f.taskRole = { kind: 'unavailable', principalArn: 'arn:aws:iam::123456789012:role/api-task', reason: 'AccessDenied' };
    only(runExecChecks(f), 'task-role', 'unknown');
    const none = readyFacts();
    none.taskDefinition!.taskRoleArn = undefined;
    none.taskRole = undefined;
    only(runExecChecks(none), 'task-role', 'fail');
  });

  it('adds KMS, S3 and CloudWatch Logs needs from the cluster exec configuration', () => {
    const cfg = {
      kmsKeyId: 'k-1',
      logging: 'OVERRIDE',
      logConfiguration: { cloudWatchLogGroupName: '/ecs/exec', s3BucketName: 'audit', s3KeyPrefix: 'exec/', s3EncryptionEnabled: true },
    };
    const needs = taskRoleNeeds(TASK_ARN, cfg, 'eu-west-1').map((n) => `${n.action} ${n.resource}`);
    assert.deepEqual(needs, [
      'ssmmessages:CreateControlChannel *',
      'ssmmessages:CreateDataChannel *',
      'ssmmessages:OpenControlChannel *',
      'ssmmessages:OpenDataChannel *',
      'kms:Decrypt arn:aws:kms:eu-west-1:123456789012:key/k-1',
      's3:PutObject arn:aws:s3:::audit/exec/*',
      's3:GetEncryptionConfiguration arn:aws:s3:::audit',
      'logs:DescribeLogGroups *',
      'logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/exec:*',
      'logs:DescribeLogStreams arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/exec:*',
      'logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/exec:*',
    ]);
    assert.equal(taskRoleNeeds(TASK_ARN, { ...cfg, logging: 'NONE' }, 'eu-west-1').length, 5, 'logging NONE needs no log permissions');
    const f = readyFacts();
    f.execConfig = cfg;
    const cc = check(runExecChecks(f), 'cluster-config');
    assert.equal(cc.status, 'pass');
    assert.match(cc.detail, /KMS key k-1.*CloudWatch group \/ecs\/exec.*s3:\/\/audit\/exec\//);
    f.clusterError = 'AccessDeniedException';
    assert.equal(check(runExecChecks(f), 'cluster-config').status, 'unknown');
  });

  it('warns when the VPC uses interface endpoints but has none for ssmmessages', () => {
    const f = readyFacts();
    f.network = { vpcId: 'vpc-1', endpoints: [{ serviceName: 'com.amazonaws.eu-west-1.ecr.dkr', type: 'Interface', state: 'available' }, { serviceName: 'com.amazonaws.eu-west-1.s3', type: 'Gateway' }] };
    const c = only(runExecChecks(f), 'vpc-endpoints', 'warn');
    assert.match(c.detail, /com\.amazonaws\.eu-west-1\.ssmmessages/);
    f.network.endpoints!.push({ serviceName: 'com.amazonaws.eu-west-1.ssmmessages', type: 'Interface', state: 'available' });
    only(runExecChecks(f), 'vpc-endpoints', 'pass');
    // only a gateway endpoint: the VPC does not rely on interface endpoints
    f.network = { vpcId: 'vpc-1', endpoints: [{ serviceName: 'com.amazonaws.eu-west-1.s3', type: 'Gateway' }] };
    only(runExecChecks(f), 'vpc-endpoints', 'pass');
    f.network = { error: 'UnauthorizedOperation' };
    only(runExecChecks(f), 'vpc-endpoints', 'unknown');
  });

  it('formats the list with icons and fixes', () => {
    const f = readyFacts();
    f.task!.enableExecuteCommand = false;
    const text = formatChecksText(runExecChecks(f));
    assert.match(text, /✖ Exec enabled for the task: FAIL\n {4}enableExecuteCommand is false/);
    assert.match(text, /Fix: Turn on enableExecuteCommand for service api/);
    assert.match(text, /\? ExecuteCommandAgent running: could not check/);
  });
});

describe('each preflight failure names the fix for its own principal', () => {
  const CALLER = 'arn:aws:iam::123456789012:user/alice';
  const ROLE = 'arn:aws:iam::123456789012:role/api-task';
  const KMS = { kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k', logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: '/ecs/exec' } };

  /** What a caller fix must never say: it is about the task role or the task definition. */
  function callerFixOk(c: ExecCheck): void {
    assert.doesNotMatch(c.fix, /taskRoleArn|task definition|ssmmessages|point the task|ecs-tasks\.amazonaws\.com/, c.fix);
  }
  /** What a task-role fix must never say: it is about you. */
  function roleFixOk(c: ExecCheck): void {
    assert.doesNotMatch(c.fix, /ecs:ExecuteCommand|kms:GenerateDataKey|your credentials|get-caller-identity/, c.fix);
  }

  it('a caller IAM does not know: use existing credentials, and what that identity needs', () => {
    const f = readyFacts();
    f.execConfig = KMS;
    f.taskRole = allowed(ROLE, taskRoleNeeds(TASK_ARN, KMS, 'eu-west-1'));
    f.caller = { kind: 'missing', principalArn: 'arn:aws:iam::123456789012:user/demo-operator' };
    const c = only(runExecChecks(f), 'caller-permissions', 'fail');
    assert.match(c.detail, /IAM has no arn:aws:iam::123456789012:user\/demo-operator, the identity your credentials belong to/);
    assert.match(c.fix, /credentials of an existing IAM user or role/);
    assert.match(c.fix, new RegExp(`Allow ecs:ExecuteCommand on ${TASK_ARN}`));
    assert.match(c.fix, /Allow kms:GenerateDataKey on arn:aws:kms:eu-west-1:123456789012:key\/k/);
    callerFixOk(c);
  });

  it('an assumed role whose path could not be read: allow iam:GetRole', () => {
    const f = readyFacts();
    f.caller = { kind: 'missing', principalArn: 'arn:aws:iam::123456789012:role/Deployer', guessed: true };
    const c = only(runExecChecks(f), 'caller-permissions', 'fail');
    assert.match(c.detail, /could not read the role \(iam:GetRole\)/);
    assert.match(c.fix, /iam:GetRole/);
    callerFixOk(c);
  });

  it('a task role IAM does not know: create it or point taskRoleArn at one, with every permission the cluster needs', () => {
    const f = readyFacts();
    f.execConfig = KMS;
    f.caller = allowed(CALLER, callerNeeds(TASK_ARN, KMS, 'eu-west-1'));
    f.taskRole = { kind: 'missing', principalArn: ROLE };
    const c = only(runExecChecks(f), 'task-role', 'fail');
    assert.match(c.detail, /task role arn:aws:iam::123456789012:role\/api-task \(taskRoleArn of the task definition\) does not exist/);
    assert.match(c.fix, /^Create the role api-task \(trusted by ecs-tasks\.amazonaws\.com\)/);
    assert.match(c.fix, /point taskRoleArn at an existing role/);
    for (const a of ['ssmmessages:OpenDataChannel', 'kms:Decrypt', 'logs:PutLogEvents']) assert.ok(c.fix.includes(a), a);
    roleFixOk(c);
  });

  it('simulation not permitted: the caller is the one to get iam:SimulatePrincipalPolicy, on itself or on the task role', () => {
    const f = readyFacts();
    f.caller = { kind: 'unavailable', principalArn: CALLER, reason: 'not permitted to run iam:SimulatePrincipalPolicy (Access denied)', cause: 'not-permitted' };
    f.taskRole = { kind: 'unavailable', principalArn: ROLE, reason: 'not permitted to run iam:SimulatePrincipalPolicy (Access denied)', cause: 'not-permitted' };
    const checks = runExecChecks(f);
    const c = check(checks, 'caller-permissions');
    assert.equal(c.status, 'unknown');
    assert.match(c.fix, /^Allow your identity iam:SimulatePrincipalPolicy on itself so ECS Doctor can check it, or check by hand that your identity may: Allow ecs:ExecuteCommand/);
    callerFixOk(c);
    const r = check(checks, 'task-role');
    assert.equal(r.status, 'unknown');
    assert.match(r.fix, new RegExp(`^Allow your identity \\(the one ECS Doctor uses, not the task role\\) iam:SimulatePrincipalPolicy on ${ROLE}`));
    assert.match(r.fix, /the task role allows: Allow ssmmessages:CreateControlChannel/);
    // a caller that is a role (simulated under its IAM role ARN) also needs iam:GetRole to be found
    f.caller = { ...f.caller, principalArn: 'arn:aws:iam::123456789012:role/Deployer' };
    assert.match(check(runExecChecks(f), 'caller-permissions').fix, /^Allow your identity iam:SimulatePrincipalPolicy on itself \(and iam:GetRole on its role\)/);
    f.caller = { ...f.caller, principalArn: CALLER };
    assert.doesNotMatch(check(runExecChecks(f), 'caller-permissions').fix, /iam:GetRole/, 'a user has no role to read');
  });

  it('an identity IAM cannot simulate, and an identity STS could not read, get their own fixes', () => {
    const f = readyFacts();
    f.caller = { kind: 'unavailable', principalArn: 'arn:aws:sts::123456789012:federated-user/bob', reason: 'IAM policy simulation does not support federated-user principals', cause: 'unsupported' };
    const u = check(runExecChecks(f), 'caller-permissions');
    assert.match(u.fix, /^IAM policy simulation cannot check this kind of identity: check by hand that your identity may: Allow ecs:ExecuteCommand/);
    assert.doesNotMatch(u.fix, /SimulatePrincipalPolicy/);
    f.caller = { kind: 'unavailable', reason: 'STS GetCallerIdentity failed: The request timed out', cause: 'no-identity' };
    const n = check(runExecChecks(f), 'caller-permissions');
    assert.match(n.fix, /Check the credentials ECS Doctor uses/);
    callerFixOk(u);
    callerFixOk(n);
  });

  it('missing permissions: your identity gets ecs/kms, the task role gets ssmmessages/kms/logs, each told where', () => {
    const f = readyFacts();
    f.execConfig = KMS;
    f.caller = { kind: 'simulated', principalArn: CALLER, results: callerNeeds(TASK_ARN, KMS, 'eu-west-1').map((n) => ({ ...n, decision: n.action.startsWith('kms:') ? 'implicitDeny' : 'allowed' })) };
    f.taskRole = { kind: 'simulated', principalArn: ROLE, results: taskRoleNeeds(TASK_ARN, KMS, 'eu-west-1').map((n) => ({ ...n, decision: n.action === 'kms:Decrypt' ? 'implicitDeny' : 'allowed' })) };
    const checks = runExecChecks(f);
    const c = check(checks, 'caller-permissions');
    assert.equal(c.status, 'fail');
    assert.match(c.fix, new RegExp(`^Add to a policy of your identity ${CALLER}: Allow kms:GenerateDataKey on arn:aws:kms:eu-west-1:123456789012:key/k\\. KMS also checks the key's own policy`));
    assert.doesNotMatch(c.fix, /start a new task/);
    callerFixOk(c);
    const r = check(checks, 'task-role');
    assert.equal(r.status, 'fail');
    assert.match(r.fix, new RegExp(`^Add to a policy of the task role ${ROLE}: Allow kms:Decrypt on arn:aws:kms:eu-west-1:123456789012:key/k\\.`));
    assert.match(r.fix, /start a new task/);
    roleFixOk(r);
  });

  it('no task role: set taskRoleArn (not the execution role) with everything the cluster configuration needs', () => {
    const f = readyFacts();
    f.execConfig = KMS;
    f.caller = allowed(CALLER, callerNeeds(TASK_ARN, KMS, 'eu-west-1'));
    f.taskDefinition!.taskRoleArn = undefined;
    f.taskRole = undefined;
    const c = only(runExecChecks(f), 'task-role', 'fail');
    assert.match(c.fix, /set it as taskRoleArn \(not executionRoleArn\)/);
    for (const a of ['ssmmessages:CreateDataChannel', 'kms:Decrypt', 'logs:CreateLogStream']) assert.ok(c.fix.includes(a), a);
    roleFixOk(c);
  });

  it('a container that has not started yet has no agent to check', () => {
    const f = readyFacts();
    f.task!.lastStatus = 'PENDING';
    f.task!.containers![0]!.lastStatus = 'PENDING';
    f.task!.containers![0]!.managedAgents = undefined;
    const checks = runExecChecks(f);
    assert.equal(check(checks, 'task-running').status, 'fail');
    const a = check(checks, 'exec-agent');
    assert.equal(a.status, 'unknown');
    assert.equal(a.fix, '');
    // a running container without the agent is a failure
    f.task!.lastStatus = 'RUNNING';
    f.task!.containers![0]!.lastStatus = 'RUNNING';
    only(runExecChecks(f), 'exec-agent', 'fail');
  });
});

describe('exec helpers', () => {
  it('compares versions numerically', () => {
    assert.equal(compareVersions('1.10.0', '1.4.0'), 1);
    assert.equal(compareVersions('1.4', '1.4.0'), 0);
    assert.equal(compareVersions('v1.50.1', '1.50.2'), -1);
  });

  it('turns an assumed-role session into its role', () => {
    assert.deepEqual(policySourceFor('arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com'), {
      kind: 'role',
      roleName: 'Admin',
      guess: 'arn:aws:iam::123456789012:role/Admin',
    });
    assert.deepEqual(policySourceFor('arn:aws:iam::123456789012:user/ops/alice'), { kind: 'arn', arn: 'arn:aws:iam::123456789012:user/ops/alice' });
    assert.equal(policySourceFor('arn:aws:iam::123456789012:root').kind, 'root');
    assert.equal(policySourceFor('arn:aws:sts::123456789012:federated-user/bob').kind, 'unsupported');
  });

  it('writes JSON like Python json.dumps', () => {
    assert.equal(pythonJsonDumps({ a: 'x', b: [1, true, null] }), '{"a": "x", "b": [1, true, null]}');
    assert.equal(pythonJsonDumps('é\u2028"\n'), '"\\u00e9\\u2028\\"\\n"');
    assert.equal(pythonJsonDumps('😀'), '"\\ud83d\\ude00"');
  });
});

describe('session-manager-plugin arguments', () => {
  const session = { sessionId: 'ecs-execute-command-0abc', streamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/ecs-execute-command-0abc?role=publish_subscribe', tokenValue: 'AAEAAS3cr3tT0k3n' };

  it('builds exactly the six arguments the AWS CLI passes', () => {
    const argv = pluginArgs({ session, region: 'eu-west-1', profile: 'ops', cluster: CLUSTER_ARN, task: TASK_ARN, runtimeId: 'rt-1', endpointUrl: 'https://ecs.eu-west-1.amazonaws.com' });
    assert.deepEqual(argv, [
      `{"sessionId": "${session.sessionId}", "streamUrl": "${session.streamUrl}", "tokenValue": "${session.tokenValue}"}`,
      'eu-west-1',
      'StartSession',
      'ops',
      '{"Target": "ecs:prod_0123456789abcdef0123456789abcdef_rt-1"}',
      'https://ecs.eu-west-1.amazonaws.com',
    ]);
    assert.equal(JSON.parse(argv[0]!).tokenValue, session.tokenValue);
  });

  it('passes "" without a profile and builds the target from names or ARNs', () => {
    const argv = pluginArgs({ session, region: 'us-east-1', cluster: 'prod', task: 'abc', runtimeId: 'r', endpointUrl: 'http://127.0.0.1:4566' });
    assert.equal(argv.length, 6);
    assert.equal(argv[3], '');
    assert.equal(execTarget('arn:aws:ecs:us-east-1:1:cluster/prod', 'arn:aws:ecs:us-east-1:1:task/abc', 'r'), 'ecs:prod_abc_r');
  });

  it('describes the vector without the session token', () => {
    const argv = pluginArgs({ session, region: 'eu-west-1', cluster: 'prod', task: 't', runtimeId: 'r', endpointUrl: 'https://x' });
    const text = describePluginArgs(argv);
    assert.doesNotMatch(text, /S3cr3t/);
    assert.match(text, /^<session JSON> "eu-west-1" "StartSession" "" /);
  });
});

describe('plugin discovery', () => {
  const files = (set: string[]) => ({ isExecutable: (p: string) => set.includes(p), isDirectory: (p: string) => set.some((f) => f.startsWith(p + '/') || f.startsWith(p + '\\')) });

  it('looks on PATH first, then the usual Linux folders', () => {
    const env = { PATH: '/home/u/bin:/usr/bin', HOME: '/home/u' };
    const c = pluginCandidates('linux', env);
    assert.deepEqual(c.slice(0, 3), ['/home/u/bin/session-manager-plugin', '/usr/bin/session-manager-plugin', '/usr/local/sessionmanagerplugin/bin/session-manager-plugin']);
    const found = findPlugin({ platform: 'linux', env, ...files(['/usr/local/sessionmanagerplugin/bin/session-manager-plugin']) });
    assert.equal(found.path, '/usr/local/sessionmanagerplugin/bin/session-manager-plugin');
    assert.equal(findPlugin({ platform: 'linux', env, ...files([]) }).path, undefined);
  });

  it('knows Homebrew on macOS and Program Files on Windows', () => {
    assert.ok(pluginCandidates('darwin', { PATH: '' }).includes('/opt/homebrew/bin/session-manager-plugin'));
    const env = { Path: 'C:\\Tools', PATHEXT: '.COM;.EXE', ProgramFiles: 'C:\\Program Files' };
    const c = pluginCandidates('win32', env);
    assert.deepEqual(c.slice(0, 2), ['C:\\Tools\\session-manager-plugin.com', 'C:\\Tools\\session-manager-plugin.exe']);
    const exe = 'C:\\Program Files\\Amazon\\SessionManagerPlugin\\bin\\session-manager-plugin.exe';
    assert.ok(c.includes(exe));
    assert.equal(findPlugin({ platform: 'win32', env, ...files([exe]) }).path, exe);
  });

  it('uses the configured path only, as a file or a folder', () => {
    const env = { PATH: '/usr/bin', HOME: '/home/u' };
    const onPath = '/usr/bin/session-manager-plugin';
    const r = findPlugin({ platform: 'linux', env, ...files([onPath]) }, '/opt/smp/session-manager-plugin');
    assert.equal(r.path, undefined, 'a wrong setting is reported, not silently replaced');
    assert.equal(r.configured, '/opt/smp/session-manager-plugin');
    assert.equal(findPlugin({ platform: 'linux', env, ...files(['/opt/smp/bin/session-manager-plugin']) }, '/opt/smp').path, '/opt/smp/bin/session-manager-plugin');
    assert.equal(findPlugin({ platform: 'linux', env, ...files(['/home/u/smp']) }, '~/smp').path, '/home/u/smp');
  });
});
