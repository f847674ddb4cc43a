// ECS Doctor's AWS layer over a thin endpoint (the simulator's thin mode: what moto and LocalStack
// leave out or fill differently) and over non-AWS answers (an HTML 500 page): right answers or
// "could not check", never a wrong verdict, and no more than one retry of a call the endpoint
// does not implement.
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ECSClient } from '@aws-sdk/client-ecs';
import { call } from '../../../src/aws/diagnose/guard';
import { EcsData } from '../../../src/aws/ecs';
import { gatherExecFacts, simulatePrincipal } from '../../../src/aws/exec';
import { AwsSession, IAM_MAX_ATTEMPTS } from '../../../src/aws/session';
import { userMessage } from '../../../src/core/awsErrors';
import { runExecChecks, type ExecCheck } from '../../../src/core/exec';
import { ExplorerModel, present, type ClusterNode, type ExplorerNode, type ServiceNode, type TaskNode } from '../../../src/core/explorer/model';
import { startSimulator, type Simulator } from '../../../sim/server';
import { thinScenario } from '../helpers/thinScenario';

const PLUGIN = { path: path.resolve(__dirname, '../../../../sim/bin/session-manager-plugin'), searched: [] };
const WEB_TASK = '185959e9e7c07b5639af7b3f54458554'; // demo prod/web: passes the whole preflight on ECS
const UNHEALTHY_WORKER = '3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f'; // demo prod/worker: UNHEALTHY on ECS

process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

describe('a non-AWS answer to IAM policy simulation', () => {
  let sim: Simulator;
  let session: AwsSession;
  before(async () => {
    sim = await startSimulator({ scenario: 'demo', faults: { notImplemented: ['iam:SimulatePrincipalPolicy'] } });
    // The default retries (5 attempts): IAM must still be asked at most twice.
    session = new AwsSession({ endpoint: sim.url, region: 'us-east-1' });
  });
  after(async () => {
    session.dispose();
    await sim.stop();
  });

  it('is retried at most once, and is "the endpoint does not implement iam:SimulatePrincipalPolicy"', async () => {
    sim.clearCalls();
    const out = await simulatePrincipal(session, 'arn:aws:iam::123456789012:role/prod-web-task', [{ action: 'ssmmessages:CreateControlChannel', resource: '*', why: 'ECS Exec' }]);
    assert.equal(IAM_MAX_ATTEMPTS, 2);
    assert.equal(sim.callsTo('iam:SimulatePrincipalPolicy').length, 2, 'one call and one retry');
    assert.equal(out.kind, 'unavailable');
    assert.ok(out.kind === 'unavailable');
    assert.equal(out.cause, 'not-implemented');
    assert.equal(out.reason, 'the endpoint does not implement iam:SimulatePrincipalPolicy (it answered HTTP 500 with a page that is not an AWS response)');
  });

  it('any IAM client of the session gets one retry at most, however it is asked for', async () => {
    const { IAMClient, GetRoleCommand } = await import('@aws-sdk/client-iam');
    sim.setFaults({ notImplemented: ['iam:SimulatePrincipalPolicy', 'iam:GetRole'] });
    sim.clearCalls();
    try {
      await assert.rejects(session.client(IAMClient).send(new GetRoleCommand({ RoleName: 'prod-web-task' })));
      assert.equal(sim.callsTo('iam:GetRole').length, 2);
      assert.equal(session.client(IAMClient), await session.iam(), 'one IAM client');
    } finally {
      sim.setFaults({ notImplemented: ['iam:SimulatePrincipalPolicy'] });
    }
  });

  it('the Exec preflight: both permission checks "could not check", naming the call, and nothing else changes', async () => {
    const { facts } = await gatherExecFacts(session, { cluster: 'prod', task: WEB_TASK, container: 'web' }, PLUGIN);
    const checks = runExecChecks(facts);
    for (const id of ['caller-permissions', 'task-role'] as const) {
      const c = checks.find((x) => x.id === id)!;
      assert.equal(c.status, 'unknown', `${id}: ${c.detail}`);
      assert.match(c.detail, /^Could not check .*: the endpoint does not implement iam:SimulatePrincipalPolicy/);
      assert.doesNotMatch(`${c.detail} ${c.fix}`, /aws-sdk|XML parse|mismatched tags|Deserialization/);
      assert.match(c.fix, /This endpoint cannot simulate IAM policies/);
    }
    assert.deepEqual(
      checks.filter((c) => c.status !== 'pass' && c.status !== 'unknown').map((c) => c.id),
      [],
      'no check fails for it',
    );
  });

  it('a diagnosis collector turns it into "could not check" naming the call', async () => {
    const iam = await session.iam();
    const { SimulatePrincipalPolicyCommand } = await import('@aws-sdk/client-iam');
    await assert.rejects(
      call('iam:SimulatePrincipalPolicy', () => iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::123456789012:role/x', ActionNames: ['ecr:BatchGetImage'] }))),
      (e: unknown) => {
        assert.equal(userMessage(e), 'The endpoint does not implement iam:SimulatePrincipalPolicy (it answered HTTP 500 with a page that is not an AWS response)');
        return true;
      },
    );
  });
});

describe('a thin endpoint (the simulator in thin mode)', () => {
  let sim: Simulator;
  let session: AwsSession;
  before(async () => {
    sim = await startSimulator({ scenario: thinScenario(), faults: { thin: true } });
    session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
  });
  after(async () => {
    session.dispose();
    await sim.stop();
  });

  function check(checks: ExecCheck[], id: ExecCheck['id']): ExecCheck {
    return checks.find((c) => c.id === id)!;
  }

  it('the Exec preflight: no managedAgents and no IAM simulation are "could not check", never a failure', async () => {
    const { facts } = await gatherExecFacts(session, { cluster: 'prod', task: WEB_TASK, container: 'web' }, PLUGIN);
    const checks = runExecChecks(facts);
    const agent = check(checks, 'exec-agent');
    assert.equal(agent.status, 'unknown', agent.detail);
    assert.match(agent.detail, /^Could not check: the endpoint reports no managedAgents/);
    assert.match(agent.fix, /aws ecs describe-tasks --cluster prod --tasks 185959e9e7c07b5639af7b3f54458554/);
    assert.equal(check(checks, 'caller-permissions').status, 'unknown');
    assert.equal(check(checks, 'task-role').status, 'unknown');
    assert.deepEqual(checks.filter((c) => c.status === 'fail').map((c) => c.id), []);
  });

  it('a container that reports managedAgents without the agent still fails (the thin rule is for none at all)', async () => {
    sim.setFaults({ thin: false });
    const t = sim.task(WEB_TASK)!;
    const saved = t.containers!.map((c) => c.managedAgents);
    for (const c of t.containers!) c.managedAgents = [];
    try {
      const { facts } = await gatherExecFacts(session, { cluster: 'prod', task: WEB_TASK, container: 'web' }, PLUGIN);
      assert.equal(check(runExecChecks(facts), 'exec-agent').status, 'fail');
    } finally {
      t.containers!.forEach((c, i) => (c.managedAgents = saved[i]));
      sim.setFaults({ thin: true });
    }
  });

  describe('the tree (explorer model through the data layer)', () => {
    let client: ECSClient;
    let model: ExplorerModel;
    before(() => {
      client = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
      model = new ExplorerModel({ scopes: [{ id: 't@us-east-1', profile: 't', region: 'us-east-1', source: new EcsData(client) }], profile: 't' });
    });
    after(() => {
      model.dispose();
      client.destroy();
    });
    const byLabel = (nodes: ExplorerNode[], label: string) => nodes.find((n) => present(n).label === label)!;
    /** Resolves once `test()` holds: checked now and on every change the model fires (task health waits for the task definition). */
    const settled = (test: () => boolean) =>
      new Promise<void>((resolve) => {
        if (test()) return resolve();
        const sub = model.onDidChange(() => {
          if (!test()) return;
          sub();
          resolve();
        });
      });

    it("a service's running tasks count although the endpoint says runningCount 0; no health is UNKNOWN, never HEALTHY", async () => {
      await model.expand();
      const prod = byLabel(model.children(), 'prod') as ClusterNode;
      await model.expand(prod);
      const web = byLabel(model.children(prod), 'web') as ServiceNode;
      await model.expand(web);
      const tasks = model.children(web).filter((n): n is TaskNode => n.kind === 'task');
      assert.equal(tasks.length, 3);
      assert.ok(tasks.every((t) => t.task?.lastStatus === 'RUNNING'), 'RUNNING tasks only under the service');
      await settled(() => web.health?.health !== undefined);
      assert.equal(web.health?.running, 3);
      assert.equal(web.health?.belowDesired, false);
      assert.equal(web.health?.health, 'UNKNOWN');
      const worker = byLabel(model.children(prod), 'worker') as ServiceNode;
      await model.expand(worker);
      await settled(() => worker.health?.health !== undefined);
      const unhealthy = model.children(worker).find((n): n is TaskNode => n.kind === 'task' && n.taskArn.endsWith(UNHEALTHY_WORKER))!;
      assert.notEqual(unhealthy.health, 'HEALTHY', 'the endpoint said nothing: not healthy');
    });

    it("prod's standalone tasks are prod's, not prod-2's (loose cluster matching)", async () => {
      const prod = byLabel(model.children(), 'prod') as ClusterNode;
      const group = model.children(prod).find((n) => n.kind === 'standaloneGroup');
      if (!group) return; // no standalone group: nothing of prod-2's shown either
      await model.expand(group);
      const tasks = model.children(group).filter((n): n is TaskNode => n.kind === 'task');
      assert.ok(tasks.every((t) => t.taskArn.includes(':task/prod/')), tasks.map((t) => t.taskArn).join(', '));
    });
  });
});
