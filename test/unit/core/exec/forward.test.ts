// Port forwarding, the pure part: the StartSession request and the plugin's six arguments exactly
// as `aws ssm start-session` builds them, the caller's IAM needs, port suggestions and the choice
// of a free local port, and the preflight's caller check for a forward.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  FORWARD_DOCUMENT,
  FORWARD_REMOTE_HOST_DOCUMENT,
  checkRemoteHost,
  chooseLocalPort,
  describeForward,
  describePluginArgs,
  formatAge,
  forwardCallerNeeds,
  forwardCliCommand,
  forwardPluginArgs,
  forwardRequest,
  listeningPort,
  localPortCandidates,
  parsePort,
  runExecChecks,
  safePluginLine,
  suggestPorts,
  webScheme,
  type ExecFacts,
} from '../../../../src/core/exec';

const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/prod/2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60';
const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
const RUNTIME = '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60-1234567890';

describe('port forwarding: the request and the plugin arguments', () => {
  it('targets ecs:<cluster>_<task id>_<runtime id> with AWS-StartPortForwardingSession for a container port', () => {
    const r = forwardRequest(CLUSTER_ARN, TASK_ARN, RUNTIME, { port: 8080, localPort: 18080 });
    assert.deepEqual(r, {
      Target: `ecs:prod_2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60_${RUNTIME}`,
      DocumentName: FORWARD_DOCUMENT,
      Parameters: { portNumber: ['8080'], localPortNumber: ['18080'] },
    });
  });

  it('uses AWS-StartPortForwardingSessionToRemoteHost with host first for a host the task can reach', () => {
    const r = forwardRequest('prod', '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60', RUNTIME, { port: 5432, localPort: 15432, host: ' db.internal ' });
    assert.equal(r.DocumentName, FORWARD_REMOTE_HOST_DOCUMENT);
    assert.deepEqual(r.Parameters, { host: ['db.internal'], portNumber: ['5432'], localPortNumber: ['15432'] });
  });

  it('passes the six arguments the AWS CLI passes: SSM session JSON, Region, StartSession, profile, request JSON, SSM endpoint', () => {
    const request = forwardRequest('prod', '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60', RUNTIME, { port: 8080, localPort: 18080 });
    const argv = forwardPluginArgs({
      session: { SessionId: 'me-0abc', TokenValue: 'TOKEN', StreamUrl: 'wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/me-0abc?role=publish_subscribe' },
      region: 'us-east-1',
      profile: 'ops',
      request,
      endpointUrl: 'https://ssm.us-east-1.amazonaws.com',
    });
    assert.deepEqual(argv, [
      '{"SessionId": "me-0abc", "TokenValue": "TOKEN", "StreamUrl": "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/me-0abc?role=publish_subscribe"}',
      'us-east-1',
      'StartSession',
      'ops',
      `{"Target": "ecs:prod_2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60_${RUNTIME}", "DocumentName": "AWS-StartPortForwardingSession", "Parameters": {"portNumber": ["8080"], "localPortNumber": ["18080"]}}`,
      'https://ssm.us-east-1.amazonaws.com',
    ]);
    assert.ok(!describePluginArgs(argv).includes('TOKEN'), 'the loggable form masks the session JSON');
    assert.equal(
      forwardCliCommand(request, 'us-east-1'),
      `aws ssm start-session --region us-east-1 --target ecs:prod_2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60_${RUNTIME} --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["8080"],"localPortNumber":["18080"]}'`,
    );
  });
});

describe('port forwarding: IAM and the preflight', () => {
  it('needs ssm:StartSession on the task and on the AWS-owned document (no account in its ARN), and the cluster KMS key', () => {
    const needs = forwardCallerNeeds(TASK_ARN, FORWARD_DOCUMENT, { kmsKeyId: 'k-1' }, 'us-east-1');
    assert.deepEqual(
      needs.map((n) => [n.action, n.resource]),
      [
        ['ssm:StartSession', TASK_ARN],
        ['ssm:StartSession', 'arn:aws:ssm:us-east-1::document/AWS-StartPortForwardingSession'],
        ['kms:GenerateDataKey', 'arn:aws:kms:us-east-1:123456789012:key/k-1'],
      ],
    );
    assert.ok(!needs.some((n) => n.action === 'ecs:ExecuteCommand'));
  });

  it('the caller check of a forward names ssm:StartSession, not ecs:ExecuteCommand', () => {
    const facts: ExecFacts = {
      region: 'us-east-1',
      plugin: { path: '/bin/smp', searched: [] },
      cluster: 'prod',
      containerName: 'web',
      caller: {
        kind: 'simulated',
        principalArn: 'arn:aws:iam::123456789012:user/dev',
        results: [{ action: 'ssm:StartSession', resource: TASK_ARN, why: 'x', decision: 'implicitDeny' }],
      },
      network: {},
      documentName: FORWARD_DOCUMENT,
    };
    const caller = runExecChecks(facts).find((c) => c.id === 'caller-permissions')!;
    assert.equal(caller.title, 'You may start port forwarding');
    assert.equal(caller.status, 'fail');
    assert.match(caller.fix, /ssm:StartSession on arn:aws:ecs:us-east-1:123456789012:task\/prod\//);
    const exec = runExecChecks({ ...facts, documentName: undefined }).find((c) => c.id === 'caller-permissions')!;
    assert.equal(exec.title, 'You may run ECS Exec');
  });
});

describe('port forwarding: ports', () => {
  it('suggests the container TCP ports of the task definition, without UDP or repeats', () => {
    const defs = [
      { name: 'web', portMappings: [{ containerPort: 8080, protocol: 'tcp', name: 'http', appProtocol: 'http' }, { containerPort: 8080 }, { containerPort: 2000, protocol: 'udp' }, { containerPort: 9090 }] },
      { name: 'log-router', portMappings: [{ containerPort: 24224 }] },
    ];
    assert.deepEqual(suggestPorts(defs, 'web'), [
      { port: 8080, protocol: 'tcp', name: 'http', appProtocol: 'http' },
      { port: 9090, protocol: 'tcp' },
    ]);
    assert.deepEqual(suggestPorts(defs, 'nope'), []);
    assert.deepEqual(suggestPorts(undefined, 'web'), []);
  });

  it('parses ports and hosts with clear words', () => {
    assert.deepEqual(parsePort(' 8080 '), { port: 8080 });
    assert.match((parsePort('0') as { error: string }).error, /from 1 to 65535/);
    assert.match((parsePort('70000') as { error: string }).error, /from 1 to 65535/);
    assert.match((parsePort('http', 'local port') as { error: string }).error, /local port must be a number/);
    assert.equal(checkRemoteHost('db.cluster-abc.eu-west-1.rds.amazonaws.com'), undefined);
    assert.equal(checkRemoteHost('10.0.1.25'), undefined);
    assert.match(checkRemoteHost('http://db')!, /without a scheme/);
    assert.match(checkRemoteHost('a b')!, /not a host name/);
    assert.match(checkRemoteHost('')!, /Enter a host/);
  });

  it('prefers the same local port, never a privileged one, and skips ports in use or held by a forward', async () => {
    assert.deepEqual(localPortCandidates(8080), [8080, 18080]);
    assert.deepEqual(localPortCandidates(80), [10080, 8080, 18080]);
    const taken = new Set([8080]);
    const free = async (p: number) => !taken.has(p);
    assert.equal(await chooseLocalPort(8080, free, async () => 55555), 18080);
    assert.equal(await chooseLocalPort(80, free, async () => 55555, [10080]), 18080);
    assert.equal(await chooseLocalPort(5432, async () => false, async () => 55555), 55555, 'the system picks when no candidate is free');
  });

  it('offers a browser for web ports', () => {
    assert.equal(webScheme(8080, 'http'), 'http');
    assert.equal(webScheme(443), 'https');
    assert.equal(webScheme(3000), 'http');
    assert.equal(webScheme(5432), undefined);
    assert.equal(webScheme(8080, 'grpc'), undefined);
  });
});

describe('port forwarding: presenting it', () => {
  it('describes a forward, its age and the plugin lines', () => {
    assert.equal(describeForward({ taskArn: TASK_ARN, containerName: 'web', port: 8080, localPort: 18080 }), 'localhost:18080 → web:8080');
    assert.equal(describeForward({ taskArn: TASK_ARN, containerName: 'web', port: 5432, localPort: 15432, host: 'db' }), 'localhost:15432 → db:5432 (via web)');
    assert.equal(formatAge(12_500), '12 s');
    assert.equal(formatAge(5 * 60_000 + 1), '5 min');
    assert.equal(formatAge(123 * 60_000), '2 h 3 min');
    assert.equal(listeningPort('Port 18080 opened for sessionId me-0abc.'), 18080);
    assert.equal(listeningPort('Waiting for connections...'), undefined);
    assert.equal(safePluginLine('\u001b[31mred\u001b[0m\u0007 text  '), 'red text');
  });
});
