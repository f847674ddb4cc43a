// Port forwarding, the AWS layer against the simulator (`demo`, the playground's account): the
// preflight with a port-forwarding document (the caller checked for ssm:StartSession on the task
// and the document), SSM StartSession exactly as `aws ssm start-session` sends it, the plugin's
// six arguments, the SSM endpoint the AWS CLI would pass, and TerminateSession.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AwsSession } from '../../../src/aws/session';
import { gatherExecFacts } from '../../../src/aws/exec';
import { readForwardPorts, ssmEndpointUrl, startForwardSession, terminateForwardSession } from '../../../src/aws/forward';
import { blockingChecks, FORWARD_DOCUMENT, FORWARD_REMOTE_HOST_DOCUMENT, pythonJsonDumps, runExecChecks } from '../../../src/core/exec';
import { startSimulator, type Simulator } from '../../../sim/server';
import { runAwsCli } from '../helpers/awsCli';
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

  it('a plugin newer than 1.2.497.0 gets the StartSession response in AWS_SSM_START_SESSION_RESPONSE; an older one in argv', async () => {
    const fresh = await startForwardSession(session, { cluster: 'prod', task: WEB, container: 'web', port: 8080, localPort: 18082, env: {}, pluginVersion: '1.2.650.0' });
    assert.equal(fresh.responseInEnv, true);
    assert.equal(fresh.argv[0], 'AWS_SSM_START_SESSION_RESPONSE');
    const s = JSON.parse(fresh.env.AWS_SSM_START_SESSION_RESPONSE!) as Record<string, string>;
    assert.deepEqual(Object.keys(s), ['SessionId', 'TokenValue', 'StreamUrl']);
    assert.equal(s.SessionId, fresh.sessionId);
    for (const a of fresh.argv) assert.ok(!a.includes(s.TokenValue!), `an argument holds the token: ${a}`);

    const old = await startForwardSession(session, { cluster: 'prod', task: WEB, container: 'web', port: 8080, localPort: 18083, env: {}, pluginVersion: '1.2.497.0' });
    assert.equal(old.responseInEnv, false);
    assert.deepEqual(old.env, {});
    assert.ok(old.argv[0]!.includes(JSON.parse(old.argv[0]!).TokenValue));
    assert.deepEqual(old.argv.slice(1, 4), fresh.argv.slice(1, 4));
    for (const x of [fresh, old]) await terminateForwardSession(session, x.sessionId);
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

  // The AWS CLI (v1 and v2 alike, awscli/customizations/sessionmanager.py) asks the plugin its
  // version and puts the response in AWS_SSM_START_SESSION_RESPONSE for one newer than 1.2.497.0.
  describe('the same launch as aws ssm start-session', () => {
    const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
    const haveAws = awsCli.status === 0 && /aws-cli\/[12]\./.test(`${awsCli.stdout}${awsCli.stderr}`);
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-awscli-ssm-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    interface Rec {
      argv?: string[];
      responseFromEnv?: string;
      response?: string;
    }

    /** Runs the AWS CLI asynchronously (the simulator answers from this process's event loop) with the stand-in of `version` on PATH. */
    async function awsStartSession(version: string, localPort: number): Promise<Rec[]> {
      const record = path.join(dir, `record-${version}.jsonl`);
      const runtimeId = sim.task(WEB)!.containers!.find((c) => c.name === 'web')!.runtimeId!;
      await runAwsCli(
        ['ssm', 'start-session', '--target', `ecs:prod_${WEB}_${runtimeId}`, '--document-name', 'AWS-StartPortForwardingSession', '--parameters', `{"portNumber":["8080"],"localPortNumber":["${localPort}"]}`, '--region', 'us-east-1', '--endpoint-url', sim.url],
        {
          PATH: `${path.dirname(PLUGIN.path)}${path.delimiter}${process.env.PATH}`,
          HOME: dir,
          AWS_CONFIG_FILE: '/nonexistent/ecs-doctor/config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/ecs-doctor/credentials',
          AWS_ACCESS_KEY_ID: 'AKIASIMULATOR0000002',
          AWS_SECRET_ACCESS_KEY: 'x',
          AWS_EC2_METADATA_DISABLED: 'true',
          ECS_DOCTOR_SMP_RECORD: record,
          ECS_DOCTOR_SMP_VERSION: version,
          ECS_DOCTOR_SMP_EXIT_AFTER_MS: '1',
        },
      );
      assert.ok(existsSync(record), 'the stand-in ran');
      return readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
    }

    for (const [version, inEnv] of [
      ['1.2.650.0', true],
      ['1.2.497.0', false],
    ] as const) {
      it(`plugin ${version}: the session ${inEnv ? 'in the environment, its name in argv' : 'JSON in argv'}, as the AWS CLI does`, { skip: !haveAws && 'the AWS CLI is not installed' }, async () => {
        const records = await awsStartSession(version, 18085);
        const runs = records.filter((r) => r.argv);
        assert.deepEqual(runs[0]!.argv, ['--version'], 'the AWS CLI asks the plugin its version first');
        const theirs = runs.at(-1)!.argv!;
        const mine = await startForwardSession(session, { cluster: 'prod', task: WEB, container: 'web', port: 8080, localPort: 18085, env: {}, pluginVersion: version });
        await terminateForwardSession(session, mine.sessionId);
        assert.equal(mine.responseInEnv, inEnv);
        assert.deepEqual(mine.argv.slice(1), theirs.slice(1), 'arguments 2-6 are the same');
        if (inEnv) {
          assert.equal(theirs[0], 'AWS_SSM_START_SESSION_RESPONSE');
          assert.equal(mine.argv[0], theirs[0]);
          const read = records.find((r) => r.responseFromEnv)!;
          assert.equal(read.responseFromEnv, 'AWS_SSM_START_SESSION_RESPONSE');
          // The session differs per call; its JSON has the same form.
          assert.deepEqual(Object.keys(JSON.parse(mine.env.AWS_SSM_START_SESSION_RESPONSE!)), Object.keys(JSON.parse(read.response!)));
          assert.equal(pythonJsonDumps(JSON.parse(read.response!)), read.response);
          assert.equal(pythonJsonDumps(JSON.parse(mine.env.AWS_SSM_START_SESSION_RESPONSE!)), mine.env.AWS_SSM_START_SESSION_RESPONSE);
        } else {
          assert.deepEqual(Object.keys(JSON.parse(mine.argv[0]!)), Object.keys(JSON.parse(theirs[0]!)));
          assert.equal(pythonJsonDumps(JSON.parse(theirs[0]!)), theirs[0]);
          assert.deepEqual(mine.env, {});
          assert.ok(!records.some((r) => r.responseFromEnv));
        }
      });
    }
  });
});
