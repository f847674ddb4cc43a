// ECS Exec in the `demo` scenario (the `npm start` playground): its caller may run ECS Exec, one
// task per launch type passes the whole preflight, and every other exec-related task fails it
// for one documented reason with the fix for that reason. Against the simulator, through the
// same AWS layer and checks the editor and the CLI use.
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Task } from '@aws-sdk/client-ecs';
import { AwsSession } from '../../../src/aws/session';
import { gatherExecFacts, listRunningTasks, startExecSession, terminateExecSession } from '../../../src/aws/exec';
import { blockingChecks, runExecChecks, summarizeChecks, type ExecCheck, type ExecCheckId } from '../../../src/core/exec';
import { startSimulator, type Simulator } from '../../../sim/server';
import { sandboxEnv } from '../../awsSandbox';

const ROOT = path.resolve(__dirname, '../../../..');
const PLUGIN = { path: path.join(ROOT, 'sim/bin/session-manager-plugin'), searched: [] };
const ACCOUNT = '123456789012';
const WEB_READY = '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60';
const WEB_AGENT_STOPPED = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
const API_NEW = '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e';
const WORKER_UNHEALTHY = '3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f';
const CHECKOUT = '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const BILLING_CURRENT_AGENT = 'd4e5f60718293a4b5c6d7e8f90a1b2c3';
const OLD_AGENT_INSTANCE = 'b2c3d4e5f60718293a4b5c6d7e8f90a1';

describe('ECS Exec in the demo scenario', () => {
  let sim: Simulator;
  let session: AwsSession;
  let restoreEnv: () => void = () => undefined;
  const running = new Map<string, Task[]>();
  before(async () => {
    restoreEnv = sandboxEnv();
    sim = await startSimulator({ scenario: 'demo' });
    session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
    for (const c of ['prod', 'legacy-ec2', 'staging']) running.set(c, await listRunningTasks(session, c));
  });
  after(async () => {
    session.dispose();
    await sim.stop();
    restoreEnv();
  });

  async function preflight(cluster: string, task: string, container: string): Promise<ExecCheck[]> {
    const { facts } = await gatherExecFacts(session, { cluster, task, container }, PLUGIN);
    return runExecChecks(facts);
  }
  /** A running task of a cluster that matches, by its id. */
  function taskId(cluster: string, match: (t: Task) => boolean): string {
    const t = running.get(cluster)!.find(match);
    assert.ok(t, `a running task in ${cluster} matches`);
    return t.taskArn!.split('/').pop()!;
  }
  /** Every check passes except those in `expect`, which have the status given. */
  function expectOnly(checks: ExecCheck[], expect: Partial<Record<ExecCheckId, ExecCheck['status']>>): void {
    for (const c of checks) assert.equal(c.status, expect[c.id] ?? 'pass', `${c.id}: ${c.detail}`);
  }
  const check = (checks: ExecCheck[], id: ExecCheckId) => checks.find((c) => c.id === id)!;

  it('the caller, user/demo-operator, exists and may run ECS Exec and use the cluster\'s KMS key', async () => {
    const checks = await preflight('prod', WEB_READY, 'web');
    const caller = check(checks, 'caller-permissions');
    assert.equal(caller.status, 'pass', caller.detail);
    assert.match(caller.detail, new RegExp(`^arn:aws:iam::${ACCOUNT}:user/demo-operator: ecs:ExecuteCommand allowed, kms:GenerateDataKey allowed\\.$`));
  });

  it('prod web (Fargate) passes the whole preflight, and a session starts', async () => {
    const checks = await preflight('prod', WEB_READY, 'web');
    expectOnly(checks, {});
    assert.match(summarizeChecks(checks), /^ECS Exec is ready: 11 passed, 0 failed, 0 warnings, 0 could not be checked\.$/);
    assert.match(check(checks, 'task-role').detail, /role\/prod-web-task: .*kms:Decrypt allowed.*logs:DescribeLogStreams allowed/);
    assert.match(check(checks, 'vpc-endpoints').detail, /com\.amazonaws\.us-east-1\.ssmmessages, com\.amazonaws\.us-east-1\.kms/);
    const started = await startExecSession(session, { cluster: 'prod', task: WEB_READY, container: 'web', command: '/bin/sh', env: {} });
    assert.equal(started.argv.length, 6);
    await terminateExecSession(session, started.sessionId);
  });

  it('legacy-ec2 billing on the current agent (EC2) passes the whole preflight, and a session starts', async () => {
    const checks = await preflight('legacy-ec2', BILLING_CURRENT_AGENT, 'billing');
    expectOnly(checks, {});
    assert.match(check(checks, 'platform').detail, /^EC2 task; ECS agent 1\.86\.3/);
    assert.match(check(checks, 'vpc-endpoints').detail, /^vpc-0a1b2c3d4e5f60001 uses interface endpoints/);
    const started = await startExecSession(session, { cluster: 'legacy-ec2', task: BILLING_CURRENT_AGENT, container: 'billing', command: '/bin/sh', env: {} });
    assert.match(started.argv[4]!, new RegExp(`^\\{"Target": "ecs:legacy-ec2_${BILLING_CURRENT_AGENT}_[0-9a-f]{64}"\\}$`));
    await terminateExecSession(session, started.sessionId);
  });

  it('the billing task on the 1.48.1 agent fails only the agent version, with the agent update as the fix', async () => {
    const old = taskId('legacy-ec2', (t) => t.group === 'service:billing' && !!t.containerInstanceArn?.endsWith(OLD_AGENT_INSTANCE));
    const checks = await preflight('legacy-ec2', old, 'billing');
    expectOnly(checks, { platform: 'fail' });
    assert.match(check(checks, 'platform').detail, /ECS agent 1\.48\.1; ECS Exec needs 1\.50\.2 or later/);
    assert.match(check(checks, 'platform').fix, /^Update the ECS agent on the container instance/);
  });

  it('a web task whose ExecuteCommandAgent stopped fails only that check: start a new task', async () => {
    const checks = await preflight('prod', WEB_AGENT_STOPPED, 'web');
    expectOnly(checks, { 'exec-agent': 'fail' });
    const agent = check(checks, 'exec-agent');
    assert.match(agent.detail, /ExecuteCommandAgent is STOPPED in web/);
    assert.match(agent.fix, /start a new task/);
  });

  it('api\'s task role lacks ssmmessages, KMS and session-log permissions: the fix goes to the task role', async () => {
    const checks = await preflight('prod', API_NEW, 'api');
    expectOnly(checks, { 'task-role': 'fail' });
    const role = check(checks, 'task-role');
    for (const a of ['ssmmessages:CreateDataChannel', 'ssmmessages:OpenDataChannel', 'kms:Decrypt', 'logs:PutLogEvents']) assert.match(role.detail, new RegExp(`${a} not allowed`));
    assert.doesNotMatch(role.detail, /CreateControlChannel not allowed/, 'what the role has is not listed');
    assert.match(role.fix, new RegExp(`^Add to a policy of the task role arn:aws:iam::${ACCOUNT}:role/prod-api-task: Allow ssmmessages:CreateDataChannel, ssmmessages:OpenDataChannel, logs:DescribeLogGroups on \\*`));
    assert.doesNotMatch(role.fix, /ecs:ExecuteCommand|your identity/);
  });

  it('payments has exec off (its task role is ready): one fix, turning it on for the service', async () => {
    const checks = await preflight('prod', taskId('prod', (t) => t.group === 'service:payments'), 'payments');
    expectOnly(checks, { 'exec-enabled': 'fail', 'exec-agent': 'unknown', 'init-process': 'warn' });
    const enabled = check(checks, 'exec-enabled');
    assert.deepEqual(enabled.action, { kind: 'enable-execute-command', clusterArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`, serviceName: 'payments' });
    assert.match(enabled.fix, /aws ecs update-service --cluster prod --service payments --enable-execute-command --force-new-deployment/);
  });

  it('checkout has exec off and a task role that does not exist; worker has exec off and a role without ssmmessages', async () => {
    const checkout = await preflight('prod', CHECKOUT, 'checkout');
    expectOnly(checkout, { 'exec-enabled': 'fail', 'exec-agent': 'unknown', 'init-process': 'warn', 'task-role': 'fail' });
    assert.match(check(checkout, 'task-role').detail, /task role arn:aws:iam::123456789012:role\/prod-checkout-task \(taskRoleArn of the task definition\) does not exist in IAM/);
    assert.match(check(checkout, 'task-role').fix, /^Create the role prod-checkout-task \(trusted by ecs-tasks\.amazonaws\.com\) allowing: Allow ssmmessages:CreateControlChannel/);
    assert.equal(check(checkout, 'exec-enabled').action?.serviceName, 'checkout');

    const worker = await preflight('prod', WORKER_UNHEALTHY, 'worker');
    expectOnly(worker, { 'exec-enabled': 'fail', 'exec-agent': 'unknown', 'init-process': 'warn', 'task-role': 'fail' });
    assert.match(check(worker, 'task-role').detail, /role\/prod-worker-task: ssmmessages:CreateControlChannel not allowed/);
  });

  it('staging admin fails only on its read-only root filesystem', async () => {
    const checks = await preflight('staging', taskId('staging', (t) => t.group === 'service:admin'), 'admin');
    expectOnly(checks, { 'readonly-root': 'fail', 'init-process': 'warn' });
    assert.match(check(checks, 'readonly-root').fix, /Set "readonlyRootFilesystem": false in container admin/);
  });

  it('no exec-enabled task fails for the caller, and each failing one has one blocking reason', async () => {
    for (const [cluster, tasks] of running) {
      for (const t of tasks.filter((x) => x.enableExecuteCommand && x.lastStatus === 'RUNNING')) {
        for (const c of t.containers ?? []) {
          const checks = await preflight(cluster, t.taskArn!, c.name!);
          assert.equal(check(checks, 'caller-permissions').status, 'pass', `${cluster}/${c.name}: ${check(checks, 'caller-permissions').detail}`);
          assert.ok(blockingChecks(checks).length <= 1, `${cluster}/${t.group}/${c.name}: ${blockingChecks(checks).map((x) => x.id).join(', ')}`);
        }
      }
    }
  });
});
