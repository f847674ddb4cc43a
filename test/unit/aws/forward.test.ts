// Port forwarding, the AWS layer against the simulator (`demo`, the playground's account): the
// preflight with a port-forwarding document (the caller checked for ssm:StartSession on the task
// and the document), SSM StartSession exactly as `aws ssm start-session` sends it, the plugin's
// six arguments, the SSM endpoint the AWS CLI would pass, and TerminateSession.
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AwsSession } from '../../../src/aws/session';
import { gatherExecFacts } from '../../../src/aws/exec';
import { readForwardPorts, ssmEndpointUrl, startForwardSession, terminateForwardSession } from '../../../src/aws/forward';
import { blockingChecks, FORWARD_DOCUMENT, FORWARD_REMOTE_HOST_DOCUMENT, runExecChecks } from '../../../src/core/exec';
import { startSimulator, type Simulator } from '../../../sim/server';
import { sandboxEnv } from '../../awsSandbox';

const ROOT = path.resolve(__dirname, '../../../..');
const PLUGIN = { path: path.join(ROOT, 'sim/bin/session-manager-plugin'), searched: [] };
const WEB = '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60';

describe('port forwarding against the simulator (demo)', () => {
  let sim: Simulator;
  let session: AwsSession;
  let restoreEnv: () => void = () => undefined;
  before(async () => {
    restoreEnv = sandboxEnv();
    sim = await startSimulator({ scenario: 'demo' });
    session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
  });
  after(async () => {
    session.dispose();
    await sim.stop();
    restoreEnv();
  });

  it('the preflight of a forward passes for prod web, simulating ssm:StartSession on the task and the document', async () => {
    sim.clearCalls();
    const { facts } = await gatherExecFacts(session, { cluster: 'prod', task: WEB, container: 'web' }, PLUGIN, { documentName: FORWARD_DOCUMENT });
    const checks = runExecChecks(facts);
    assert.deepEqual(blockingChecks(checks), []);
    const caller = checks.find((c) => c.id === 'caller-permissions')!;
    assert.equal(caller.title, 'You may start port forwarding');
    assert.match(caller.detail, /ssm:StartSession allowed/);
    const simulated = sim.callsTo('SimulatePrincipalPolicy').filter((c) => String(c.params.PolicySourceArn).endsWith('user/demo-operator'));
    const asked = simulated.flatMap((c) => (c.params.ActionNames as string[]).map((a) => `${a} ${(c.params.ResourceArns as string[] | undefined)?.[0] ?? '*'}`));
    assert.ok(asked.some((a) => a === `ssm:StartSession arn:aws:ecs:us-east-1:123456789012:task/prod/${WEB}`), asked.join('\n'));
    assert.ok(asked.includes('ssm:StartSession arn:aws:ssm:us-east-1::document/AWS-StartPortForwardingSession'), asked.join('\n'));
    assert.ok(!asked.some((a) => a.startsWith('ecs:ExecuteCommand')), 'a forward does not call ECS ExecuteCommand');
  });

  it('fails the caller check with the fix when the caller may not ssm:StartSession', async () => {
    const user = sim.state.iam.users!.find((u) => u.userName === 'demo-operator')!;
    const saved = user.inlinePolicies;
    user.inlinePolicies = JSON.parse(JSON.stringify(saved).replace('"ssm:StartSession"', '"ssm:DescribeSessions"')) as typeof saved;
    try {
      const { facts } = await gatherExecFacts(session, { cluster: 'prod', task: WEB, container: 'web' }, PLUGIN, { documentName: FORWARD_REMOTE_HOST_DOCUMENT });
      const caller = runExecChecks(facts).find((c) => c.id === 'caller-permissions')!;
      assert.equal(caller.status, 'fail');
      assert.match(caller.fix, /Allow ssm:StartSession on arn:aws:ecs:us-east-1:123456789012:task\/prod\/2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60/);
      assert.match(caller.fix, /ssm:StartSession on arn:aws:ssm:us-east-1::document\/AWS-StartPortForwardingSessionToRemoteHost/);
    } finally {
      user.inlinePolicies = saved;
    }
  });

  it('suggests the web container\'s port from its task definition', async () => {
    const { ports, runtimeId } = await readForwardPorts(session, 'prod', WEB, 'web');
    assert.deepEqual(ports, [{ port: 8080, protocol: 'tcp', name: 'http', appProtocol: 'http' }]);
    assert.equal(runtimeId, sim.task(WEB)!.containers!.find((c) => c.name === 'web')!.runtimeId);
  });

  it('StartSession as `aws ssm start-session` sends it, then the six plugin arguments; TerminateSession ends it', async () => {
    sim.clearCalls();
    const started = await startForwardSession(session, { cluster: 'prod', task: WEB, container: 'web', port: 8080, localPort: 18080, env: {} });
    const runtimeId = sim.task(WEB)!.containers!.find((c) => c.name === 'web')!.runtimeId!;
    const call = sim.callsTo('StartSession')[0]!;
    assert.deepEqual(call.params, {
      Target: `ecs:prod_${WEB}_${runtimeId}`,
      DocumentName: 'AWS-StartPortForwardingSession',
      Parameters: { portNumber: ['8080'], localPortNumber: ['18080'] },
    });
    assert.equal(sim.callsTo('ExecuteCommand').length, 0);
    const [sessionJson, region, op, profile, params, endpoint] = started.argv;
    const s = JSON.parse(sessionJson!) as Record<string, string>;
    assert.deepEqual(Object.keys(s), ['SessionId', 'TokenValue', 'StreamUrl']);
    assert.equal(s.SessionId, started.sessionId);
    assert.equal(region, 'us-east-1');
    assert.equal(op, 'StartSession');
    assert.equal(profile, '');
    assert.equal(params, `{"Target": "ecs:prod_${WEB}_${runtimeId}", "DocumentName": "AWS-StartPortForwardingSession", "Parameters": {"portNumber": ["8080"], "localPortNumber": ["18080"]}}`);
    assert.equal(endpoint, sim.url);
    assert.equal(started.description, 'localhost:18080 → web:8080');
    assert.ok(!started.cliCommand.includes(s.TokenValue!), 'the CLI form holds no token');
    await terminateForwardSession(session, started.sessionId);
    assert.equal(sim.state.ssm.sessions!.find((x) => x.sessionId === started.sessionId)!.status, 'Terminated');
  });

  it('says in words when the container is not connected (exec off)', async () => {
    const worker = [...sim.state.ecs.clusters.get('prod')!.tasks.values()].find((t) => t.group === 'service:worker' && t.lastStatus === 'RUNNING')!;
    await assert.rejects(
      startForwardSession(session, { cluster: 'prod', task: worker.taskArn!, container: worker.containers![0]!.name!, port: 80, localPort: 18081, env: {} }),
      (e: Error) => e.name === 'TargetNotConnected' && /is not connected/.test(e.message),
    );
  });

  it('passes the SSM endpoint the AWS CLI would: the Region\'s, or AWS_ENDPOINT_URL_SSM', async () => {
    const real = new AwsSession({ region: 'eu-west-1' });
    try {
      assert.equal(await ssmEndpointUrl(real, {}), 'https://ssm.eu-west-1.amazonaws.com');
      assert.equal(await ssmEndpointUrl(real, { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4566' }), 'http://127.0.0.1:4566');
    } finally {
      real.dispose();
    }
    assert.equal(await ssmEndpointUrl(session, {}), sim.url);
  });
});
