import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ExecuteCommandCommand,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  paginateListServices,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { startSimulator, type Simulator } from '../../../sim/server';
import { pagingScenario } from '../helpers/simFixture';

async function rejects(p: Promise<unknown>, name: string, message?: RegExp): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

describe('simulator: ECS over the real SDK', () => {
  let sim: Simulator;
  let ecs: ECSClient;
  const cluster = 'prod';

  before(async () => {
    sim = await startSimulator({ scenario: pagingScenario() });
    ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
  });
  after(async () => {
    ecs.destroy();
    await sim.stop();
  });

  it('listens on 127.0.0.1 and reports its URL', () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sim.url, `http://127.0.0.1:${sim.port}`);
  });

  it('ListClusters returns ARNs and pages with an opaque nextToken', async () => {
    const all = await ecs.send(new ListClustersCommand({}));
    assert.deepEqual(all.clusterArns, ['arn:aws:ecs:us-east-1:123456789012:cluster/prod', 'arn:aws:ecs:us-east-1:123456789012:cluster/staging']);
    assert.equal(all.nextToken, undefined);
    const p1 = await ecs.send(new ListClustersCommand({ maxResults: 1 }));
    assert.equal(p1.clusterArns!.length, 1);
    assert.ok(p1.nextToken);
    const p2 = await ecs.send(new ListClustersCommand({ maxResults: 1, nextToken: p1.nextToken }));
    assert.deepEqual(p2.clusterArns, [all.clusterArns![1]]);
    assert.equal(p2.nextToken, undefined);
  });

  it('ListServices pages 10 by default, up to 100, and rejects more', async () => {
    const first = await ecs.send(new ListServicesCommand({ cluster }));
    assert.equal(first.serviceArns!.length, 10);
    assert.ok(first.nextToken);
    const big = await ecs.send(new ListServicesCommand({ cluster, maxResults: 100 }));
    assert.equal(big.serviceArns!.length, 26);
    assert.equal(big.nextToken, undefined);
    await rejects(ecs.send(new ListServicesCommand({ cluster, maxResults: 101 })), 'InvalidParameterException');
    await rejects(ecs.send(new ListServicesCommand({ cluster, maxResults: 0 })), 'InvalidParameterException');
    let pages = 0;
    const arns: string[] = [];
    for await (const page of paginateListServices({ client: ecs }, { cluster })) {
      pages++;
      arns.push(...page.serviceArns!);
    }
    assert.equal(pages, 3, '26 services at the default 10 per page');
    assert.equal(new Set(arns).size, 26);
    assert.ok(arns.includes('arn:aws:ecs:us-east-1:123456789012:service/prod/svc-01'));
  });

  it('rejects a forged or foreign nextToken', async () => {
    await rejects(ecs.send(new ListServicesCommand({ cluster, nextToken: 'garbage' })), 'InvalidParameterException');
    const t = (await ecs.send(new ListClustersCommand({ maxResults: 1 }))).nextToken;
    await rejects(ecs.send(new ListServicesCommand({ cluster, nextToken: t })), 'InvalidParameterException');
  });

  it('DescribeServices: up to 10, names or ARNs, unknown ones as MISSING failures', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
    await rejects(ecs.send(new DescribeServicesCommand({ cluster, services: names })), 'InvalidParameterException');
    const r = await ecs.send(
      new DescribeServicesCommand({
        cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
        services: ['svc-01', 'arn:aws:ecs:us-east-1:123456789012:service/prod/svc-02', 'nope'],
      }),
    );
    assert.deepEqual(r.services!.map((s) => s.serviceName), ['svc-01', 'svc-02']);
    assert.deepEqual(r.failures, [{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/nope', reason: 'MISSING' }]);
    const s = r.services?.[0];
    assert.ok(s);
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s.runningCount, 1);
    assert.equal(s.pendingCount, 0);
    assert.equal(s.launchType, 'FARGATE');
    assert.equal(s.enableExecuteCommand, true);
    assert.equal(s.deployments?.[0]?.status, 'PRIMARY');
    assert.equal(s.deployments?.[0]?.rolloutState, 'COMPLETED');
    assert.equal(s.deployments?.[0]?.runningCount, 1);
    assert.ok(s.createdAt instanceof Date, 'timestamps arrive as epoch seconds the SDK turns into Dates');
    assert.deepEqual(s.networkConfiguration!.awsvpcConfiguration!.subnets, ['subnet-aaa', 'subnet-bbb']);
    assert.match(s.events?.[0]?.message ?? '', /has reached a steady state/);
  });

  it('ClusterNotFoundException for an unknown cluster, ServiceNotFoundException for an unknown service', async () => {
    const e = await rejects(ecs.send(new ListServicesCommand({ cluster: 'ghost' })), 'ClusterNotFoundException', /Cluster not found/);
    assert.equal(e.$metadata?.httpStatusCode, 400);
    await rejects(ecs.send(new DescribeServicesCommand({ cluster: 'ghost', services: ['a'] })), 'ClusterNotFoundException');
    await rejects(ecs.send(new ListTasksCommand({ cluster, serviceName: 'ghost' })), 'ServiceNotFoundException');
    await rejects(ecs.send(new UpdateServiceCommand({ cluster, service: 'ghost', desiredCount: 1 })), 'ServiceNotFoundException');
    await rejects(ecs.send(new ListServicesCommand({})), 'ClusterNotFoundException', /Cluster not found/);
  });

  it('DescribeClusters: default cluster, MISSING failures, include SETTINGS / CONFIGURATIONS / STATISTICS', async () => {
    const plain = await ecs.send(new DescribeClustersCommand({ clusters: ['prod', 'ghost'] }));
    const c = plain.clusters?.[0];
    assert.ok(c);
    assert.equal(c.clusterName, 'prod');
    assert.equal(c.status, 'ACTIVE');
    assert.equal(c.activeServicesCount, 26);
    assert.equal(c.runningTasksCount, 25 + 250 + 1);
    assert.equal(c.registeredContainerInstancesCount, 1);
    assert.equal(c.settings, undefined, 'settings only with include SETTINGS');
    assert.equal(c.configuration, undefined);
    assert.deepEqual(plain.failures, [{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/ghost', reason: 'MISSING' }]);
    const full = await ecs.send(new DescribeClustersCommand({ clusters: ['prod'], include: ['SETTINGS', 'CONFIGURATIONS', 'STATISTICS'] }));
    const f = full.clusters?.[0];
    assert.ok(f);
    assert.deepEqual(f.settings, [{ name: 'containerInsights', value: 'enabled' }]);
    assert.equal(f.configuration!.executeCommandConfiguration!.logging, 'DEFAULT');
    assert.equal(f.statistics!.find((s) => s.name === 'runningFargateTasksCount')!.value, '275');
    const dflt = await ecs.send(new DescribeClustersCommand({}));
    assert.deepEqual(dflt.failures, [{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/default', reason: 'MISSING' }]);
    await rejects(ecs.send(new DescribeClustersCommand({ clusters: Array.from({ length: 101 }, (_, i) => `c${i}`) })), 'InvalidParameterException');
  });

  it('ListTasks: desiredStatus defaults to RUNNING, pages 100, filters by service, family, startedBy, container instance', async () => {
    const wide: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await ecs.send(new ListTasksCommand({ cluster, serviceName: 'wide', nextToken: token }));
      wide.push(...r.taskArns!);
      token = r.nextToken;
      pages++;
      assert.ok(r.taskArns!.length <= 100);
    } while (token);
    assert.equal(pages, 3);
    assert.equal(new Set(wide).size, 250);
    const svc2 = await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc-02' }));
    assert.equal(svc2.taskArns!.length, 1, 'the stopped task is not listed by default');
    const stopped = await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc-02', desiredStatus: 'STOPPED' }));
    assert.equal(stopped.taskArns!.length, 1);
    assert.notEqual(stopped.taskArns![0], svc2.taskArns![0]);
    const byFamily = await ecs.send(new ListTasksCommand({ cluster, family: 'job' }));
    assert.equal(byFamily.taskArns!.length, 1);
    const bySb = await ecs.send(new ListTasksCommand({ cluster, startedBy: 'nightly' }));
    assert.deepEqual(bySb.taskArns, byFamily.taskArns);
    const ci = (await ecs.send(new ListContainerInstancesCommand({ cluster }))).containerInstanceArns!;
    assert.equal(ci.length, 1);
    const onCi = await ecs.send(new ListTasksCommand({ cluster, containerInstance: ci[0] }));
    assert.deepEqual(onCi.taskArns, byFamily.taskArns);
    const pending = await ecs.send(new ListTasksCommand({ cluster, desiredStatus: 'PENDING' }));
    assert.deepEqual(pending.taskArns, []);
  });

  it('DescribeTasks: up to 100, ids or ARNs, MISSING failures, the fields diagnostics read', async () => {
    const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'wide' }))).taskArns!;
    await rejects(ecs.send(new DescribeTasksCommand({ cluster, tasks: [...arns, 'x'] })), 'InvalidParameterException');
    const [first, second] = arns;
    assert.ok(first && second);
    const id = first.split('/').pop()!;
    const r = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [id, second, '0123456789abcdef0123456789abcdef'] }));
    assert.equal(r.tasks!.length, 2);
    assert.deepEqual(r.failures, [{ arn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef', reason: 'MISSING' }]);
    const t = r.tasks?.[0];
    assert.ok(t);
    assert.equal(t.taskArn, first);
    assert.equal(t.lastStatus, 'RUNNING');
    assert.equal(t.desiredStatus, 'RUNNING');
    assert.equal(t.healthStatus, 'HEALTHY', 'essential app is HEALTHY; the non-essential sidecar (UNKNOWN) does not count');
    assert.equal(t.group, 'service:wide');
    assert.equal(t.launchType, 'FARGATE');
    assert.equal(t.platformVersion, '1.4.0');
    assert.equal(t.taskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:3');
    assert.ok(t.startedAt instanceof Date && t.createdAt instanceof Date);
    assert.equal(t.containers!.length, 2);
    const app = t.containers!.find((c) => c.name === 'app')!;
    assert.equal(app.healthStatus, 'HEALTHY');
    assert.match(app.runtimeId!, new RegExp(`^${id}-\\d{10}$`));
    assert.equal(t.containers!.find((c) => c.name === 'log-router')!.healthStatus, 'UNKNOWN');
    const eni = t.attachments!.find((a) => a.type === 'ElasticNetworkInterface')!;
    const detail = Object.fromEntries(eni.details!.map((d) => [d.name, d.value]));
    assert.ok(['subnet-aaa', 'subnet-bbb'].includes(detail.subnetId!) || detail.subnetId === 'subnet-0a1b2c3d4e5f60001');
    assert.match(detail.networkInterfaceId!, /^eni-[0-9a-f]{17}$/);
    assert.match(detail.privateIPv4Address!, /^10\.\d+\.\d+\.\d+$/);
    assert.deepEqual(t.overrides!.containerOverrides!.map((o) => o.name), ['app', 'log-router']);

    const stoppedArn = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc-02', desiredStatus: 'STOPPED' }))).taskArns?.[0];
    assert.ok(stoppedArn);
    const s = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [stoppedArn] }))).tasks?.[0];
    assert.ok(s);
    assert.equal(s.lastStatus, 'STOPPED');
    assert.equal(s.stopCode, 'EssentialContainerExited');
    assert.equal(s.stoppedReason, 'Essential container in task exited');
    assert.ok(s.stoppedAt instanceof Date);
    assert.equal(s.containers!.find((c) => c.name === 'app')!.exitCode, 1);

    const exec = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc-01' }))).taskArns }))).tasks?.[0];
    assert.ok(exec);
    assert.equal(exec.enableExecuteCommand, true);
    assert.deepEqual(exec.containers?.[0]?.managedAgents?.map((m) => [m.name, m.lastStatus]), [['ExecuteCommandAgent', 'RUNNING']]);
  });

  it('a test can change the live state and the next call sees it', async () => {
    const arn = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc-03' }))).taskArns?.[0];
    assert.ok(arn);
    const t = sim.task(arn);
    const container = t?.containers?.[0];
    assert.ok(t && container);
    container.healthStatus = 'UNHEALTHY';
    t.healthStatus = 'UNHEALTHY';
    const r = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn] }));
    assert.equal(r.tasks?.[0]?.healthStatus, 'UNHEALTHY');
    assert.equal(sim.task(arn.split('/').pop()!, 'prod'), t, 'found by id too');
  });

  it('DescribeTaskDefinition by family (latest), family:revision and ARN; ClientException when unknown', async () => {
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'app' }));
    assert.equal(latest.taskDefinition!.revision, 4);
    const r3 = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:3' }));
    const td = r3.taskDefinition!;
    assert.equal(td.family, 'app');
    assert.equal(td.networkMode, 'awsvpc');
    assert.deepEqual(td.requiresCompatibilities, ['FARGATE']);
    assert.equal(td.executionRoleArn, 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole');
    const app = td.containerDefinitions?.[0];
    assert.ok(app);
    assert.equal(app.essential, true);
    assert.equal(app.healthCheck!.command![0], 'CMD-SHELL');
    assert.equal(app.linuxParameters!.initProcessEnabled, true);
    assert.deepEqual(app.portMappings, [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }]);
    assert.equal(td.containerDefinitions?.[1]?.essential, false);
    await rejects(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:1' })), 'ClientException', /Unable to describe task definition/);
  });

  it('ListTaskDefinitions filters by family and sorts', async () => {
    const all = await ecs.send(new ListTaskDefinitionsCommand({}));
    assert.equal(all.taskDefinitionArns!.length, 3);
    const app = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'app', sort: 'DESC' }));
    assert.deepEqual(app.taskDefinitionArns!.map((a) => a.split('/').pop()), ['app:4', 'app:3']);
  });

  it('DescribeContainerInstances: agent version, attributes, computed task counts, MISSING', async () => {
    const [ciArn] = (await ecs.send(new ListContainerInstancesCommand({ cluster }))).containerInstanceArns!;
    assert.ok(ciArn);
    const r = await ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [ciArn, 'ffffffffffffffffffffffffffffffff'] }));
    const ci = r.containerInstances?.[0];
    assert.ok(ci);
    assert.equal(ci.versionInfo!.agentVersion, '1.82.1');
    assert.equal(ci.ec2InstanceId, 'i-0123456789abcdef0');
    assert.equal(ci.runningTasksCount, 1);
    assert.ok(ci.attributes!.some((a) => a.name === 'ecs.availability-zone'));
    assert.equal(r.failures?.[0]?.reason, 'MISSING');
  });

  it('StopTask answers with desiredStatus STOPPED; the task is STOPPED (exit 143) right after', async () => {
    const [arn] = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc-04' }))).taskArns!;
    assert.ok(arn);
    const r = await ecs.send(new StopTaskCommand({ cluster, task: arn, reason: 'Stopped from ECS Doctor' }));
    assert.equal(r.task!.desiredStatus, 'STOPPED');
    assert.equal(r.task!.lastStatus, 'RUNNING');
    assert.equal(r.task!.stopCode, 'UserInitiated');
    // The simulator stops the task as it writes the answer: the very next call sees it.
    const t = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn] }))).tasks?.[0];
    assert.ok(t);
    assert.equal(t.lastStatus, 'STOPPED');
    assert.equal(t.stoppedReason, 'Stopped from ECS Doctor');
    assert.equal(t.containers?.[0]?.exitCode, 143);
    await rejects(ecs.send(new StopTaskCommand({ cluster, task: 'ffffffffffffffffffffffffffffffff' })), 'InvalidParameterException');
  });

  it('UpdateService: desiredCount, enableExecuteCommand and forceNewDeployment', async () => {
    const r = await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-05', desiredCount: 3 }));
    assert.equal(r.service!.desiredCount, 3);
    assert.equal(r.service!.deployments!.length, 1);
    assert.equal(r.service!.deployments?.[0]?.desiredCount, 3);
    const e = await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-05', enableExecuteCommand: true, forceNewDeployment: true }));
    assert.equal(e.service!.enableExecuteCommand, true);
    assert.equal(e.service!.deployments!.length, 2);
    assert.equal(e.service!.deployments?.[0]?.status, 'PRIMARY');
    assert.equal(e.service!.deployments?.[0]?.rolloutState, 'IN_PROGRESS');
    assert.equal(e.service!.deployments?.[1]?.status, 'ACTIVE');
    const d = await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-05'] }));
    assert.equal(d.services?.[0]?.enableExecuteCommand, true);
    await rejects(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc-05', desiredCount: -1 })), 'InvalidParameterException');
  });

  it('ExecuteCommand returns a session; refuses when exec was not enabled for the task', async () => {
    const [arn] = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc-01' }))).taskArns!;
    const r = await ecs.send(new ExecuteCommandCommand({ cluster, task: arn, container: 'app', command: '/bin/sh', interactive: true }));
    assert.equal(r.taskArn, arn);
    assert.equal(r.clusterArn, 'arn:aws:ecs:us-east-1:123456789012:cluster/prod');
    assert.equal(r.containerName, 'app');
    assert.ok(r.containerArn!.startsWith('arn:aws:ecs:us-east-1:123456789012:container/prod/'));
    assert.equal(r.interactive, true);
    assert.match(r.session!.sessionId!, /^ecs-execute-command-/);
    assert.match(r.session!.streamUrl!, /^wss:\/\/ssmmessages\.us-east-1\.amazonaws\.com\//);
    assert.ok(r.session!.tokenValue!.length > 20);
    await rejects(
      ecs.send(new ExecuteCommandCommand({ cluster, task: arn, command: '/bin/sh', interactive: true })),
      'InvalidParameterException',
      /container name/,
    );
    const [other] = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc-06' }))).taskArns!;
    await rejects(
      ecs.send(new ExecuteCommandCommand({ cluster, task: other, container: 'app', command: '/bin/sh', interactive: true })),
      'InvalidParameterException',
      /execute command was not enabled/,
    );
  });

  it('records every call with service, operation, params, status and duration', async () => {
    sim.clearCalls();
    const sentAt = Date.now();
    await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc-01'] }));
    const answeredAt = Date.now();
    await rejects(ecs.send(new ListServicesCommand({ cluster: 'ghost' })), 'ClusterNotFoundException');
    assert.equal(sim.calls.length, 2);
    const [ok, bad] = sim.calls;
    assert.ok(ok && bad);
    assert.equal(ok.service, 'ecs');
    assert.equal(ok.operation, 'DescribeServices');
    assert.deepEqual(ok.params, { cluster: 'prod', services: ['svc-01'] });
    assert.equal(ok.status, 200);
    assert.ok(typeof ok.durationMs === 'number' && ok.durationMs >= 0);
    assert.ok(ok.time >= sentAt && ok.time <= answeredAt, 'stamped with the arrival time (the simulator clock is the real one here)');
    assert.equal(bad.status, 400);
    assert.equal(bad.errorType, 'ClusterNotFoundException');
    assert.equal(sim.callsTo('ecs:DescribeServices').length, 1);
  });
});

describe('simulator: wire format', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ scenario: pagingScenario() });
  });
  after(() => sim.stop());

  const post = (target: string, body: string, headers: Record<string, string> = {}) =>
    fetch(sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
      body,
    });

  it('answers application/x-amz-json-1.1 with a request id and epoch-second timestamps', async () => {
    const r = await post('AmazonEC2ContainerServiceV20141113.DescribeServices', JSON.stringify({ cluster: 'prod', services: ['svc-01'] }));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/x-amz-json-1.1');
    assert.match(r.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    const body = (await r.json()) as { services: { createdAt: unknown }[]; failures: unknown[] };
    assert.equal(typeof body.services?.[0]?.createdAt, 'number');
    assert.deepEqual(body.failures, []);
  });

  it('errors are {"__type","message"} with the HTTP status', async () => {
    const r = await post('AmazonEC2ContainerServiceV20141113.ListServices', '{"cluster":"ghost"}');
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { __type: 'ClusterNotFoundException', message: 'Cluster not found.' });
    const u = await post('AmazonEC2ContainerServiceV20141113.DeleteEverything', '{}');
    assert.equal(u.status, 400);
    assert.equal(((await u.json()) as { __type: string }).__type, 'UnknownOperationException');
    const bad = await post('AmazonEC2ContainerServiceV20141113.ListClusters', '{not json');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { __type: string }).__type, 'SerializationException');
    const empty = await post('AmazonEC2ContainerServiceV20141113.ListClusters', '');
    assert.equal(empty.status, 200, 'an empty body is an empty request');
  });

  it('accepts any SigV4 signature', async () => {
    const r = await post('AmazonEC2ContainerServiceV20141113.ListClusters', '{}', {
      authorization: 'AWS4-HMAC-SHA256 Credential=WHATEVER/20250101/eu-west-1/ecs/aws4_request, SignedHeaders=host, Signature=00',
    });
    assert.equal(r.status, 200);
  });
});
