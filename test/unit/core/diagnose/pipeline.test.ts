// The diagnosis pipeline (core/diagnose/pipeline) with a fake collector: no endpoint, no SDK.
// classify -> which checks -> the judges' lookups through the injected collector -> the verdict.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SecurityGroupFacts, ServiceFacts, TaskDefFacts, TaskFacts } from '../../../../src/core/diagnose/facts';
import { Denied, type Collect, type LookupKind, type Lookups } from '../../../../src/core/diagnose/live';
import { checksFor, diagnose, type GatheredTask } from '../../../../src/core/diagnose/pipeline';

const ACCOUNT = '123456789012';
const CLUSTER_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`;
const TASK_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/prod/0123456789abcdef0123456789abcdef`;
const TD_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api:7`;
const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/api:v2`;
const TG_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/web-tg/0123456789abcdef`;
const LB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/web/0123456789abcdef`;
const PULL_REASON = `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${IMAGE}: ${IMAGE}: not found`;

type Answers = { [K in LookupKind]?: (query: Lookups[K]['query']) => Lookups[K]['answer'] | Promise<Lookups[K]['answer']> };

/** A collector that answers from `answers`, records every lookup, and fails loudly on any other. */
function fakeCollector(answers: Answers): { collect: Collect; asked: Array<[LookupKind, unknown]> } {
  const asked: Array<[LookupKind, unknown]> = [];
  const collect: Collect = async (kind, query) => {
    asked.push([kind, query]);
    const answer = answers[kind] as ((q: typeof query) => unknown) | undefined;
    if (!answer) throw new Error(`unexpected lookup ${kind}`);
    return (await answer(query)) as never;
  };
  return { collect, asked };
}

const taskDef = (over: Partial<TaskDefFacts> = {}): TaskDefFacts => ({
  arn: TD_ARN,
  family: 'api',
  revision: 7,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
  containers: [
    {
      name: 'app',
      image: IMAGE,
      essential: true,
      portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
      secrets: [],
      logDriver: 'awslogs',
      logOptions: { 'awslogs-group': '/ecs/api', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 60 },
    },
  ],
  ...over,
});

/** A stopped task that could not pull its image: describe-tasks' fields, as the AWS layer gathers them. */
function pullFailure(over: Partial<GatheredTask> = {}): GatheredTask {
  const task: TaskFacts = {
    taskArn: TASK_ARN,
    clusterArn: CLUSTER_ARN,
    lastStatus: 'STOPPED',
    stopCode: 'TaskFailedToStart',
    stoppedReason: PULL_REASON,
    launchType: 'FARGATE',
    taskDefinitionArn: TD_ARN,
    subnetId: 'subnet-0aaa',
    containers: [{ name: 'app', image: IMAGE, lastStatus: 'STOPPED', exitCode: null, reason: PULL_REASON }],
  };
  return {
    region: 'us-east-1',
    cluster: 'prod',
    task,
    stop: { taskArn: TASK_ARN, stoppedReason: PULL_REASON, stopCode: 'TaskFailedToStart', lastStatus: 'STOPPED', containers: [{ name: 'app', exitCode: null, reason: PULL_REASON, image: IMAGE, essential: true }] },
    taskDefinition: { kind: 'read', arn: TD_ARN, facts: taskDef() },
    ...over,
  };
}

const group = (groupId: string, ingress: SecurityGroupFacts['ingress']): SecurityGroupFacts => ({
  groupId,
  ingress,
  egress: [{ ipProtocol: '-1', cidrs: ['0.0.0.0/0'], groupIds: [], prefixListIds: [] }],
});

const webService = (): ServiceFacts => ({
  name: 'web',
  status: 'ACTIVE',
  desiredCount: 2,
  runningCount: 1,
  healthCheckGracePeriodSeconds: 60,
  subnets: ['subnet-0aaa'],
  securityGroups: ['sg-task'],
  circuitBreaker: { enable: true, rollback: true },
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 1, failedTasks: 0 }],
  events: [{ createdAt: '2030-01-01T10:00:00.000Z', message: '(service web) has reached a steady state.' }],
  loadBalancers: [{ targetGroupArn: TG_ARN, containerName: 'app', containerPort: 8080 }],
});

describe('diagnose() with a fake collector', () => {
  it('classifies, runs only the checks the diagnosis asks for, and folds the evidence in', async () => {
    const { collect, asked } = fakeCollector({ 'ecr-image': () => ({ kind: 'image-not-found' }) });
    const r = await diagnose(pullFailure(), collect);
    const d = r.diagnosis;
    assert.equal(d.category, 'CannotPullContainerError');
    assert.equal(d.variant, 'manifest-not-found');
    assert.equal(d.taskArn, TASK_ARN);
    assert.deepEqual(d.evidence!.map((e) => [e.check, e.status]), [
      ['task-fields', 'pass'],
      ['task-definition', 'pass'],
      ['ecr-image', 'fail'],
    ]);
    // The one lookup the checks needed: the image, parsed from the task definition.
    assert.deepEqual(asked, [['ecr-image', { registryId: ACCOUNT, region: 'us-east-1', repository: 'api', tag: 'v2' }]]);
    for (const id of ['tag-missing', 'tag-expired', 'tag-typo']) assert.equal(d.causes.find((c) => c.id === id)!.status, 'likely', id);
    assert.match(d.verdict!, /^A check found the problem: Image of app in ECR: The repository api has no image with tag v2/);
    assert.equal(r.region, 'us-east-1');
    assert.equal(r.taskDefinition!.family, 'api');
    assert.equal(r.service, undefined);
  });

  it('a lookup the collector may not make becomes a skipped row naming the permission', async () => {
    const { collect } = fakeCollector({
      'ecr-image': () => {
        throw new Denied('ecr:DescribeImages', Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
      },
    });
    const ecr = (await diagnose(pullFailure(), collect)).diagnosis.evidence!.find((e) => e.check === 'ecr-image')!;
    assert.equal(ecr.status, 'skipped');
    assert.equal(ecr.missingPermission, 'ecr:DescribeImages');
    assert.match(ecr.detail, /Could not check \(needs ecr:DescribeImages\)/);
  });

  it('a task definition that could not be read skips the checks that need it, and the rest still run', async () => {
    const { collect, asked } = fakeCollector({ 'ecr-image': () => ({ kind: 'found', tags: ['v2'] }) });
    const gathered = pullFailure({ taskDefinition: { kind: 'failed', arn: TD_ARN, error: new Denied('ecs:DescribeTaskDefinition', new Error('denied')) } });
    const rows = (await diagnose(gathered, collect)).diagnosis.evidence!;
    const td = rows.find((e) => e.check === 'task-definition')!;
    assert.equal(td.status, 'skipped');
    assert.equal(td.missingPermission, 'ecs:DescribeTaskDefinition');
    assert.equal(td.command, `aws ecs describe-task-definition --task-definition ${TD_ARN}`);
    // The image also comes from describe-tasks, so the ECR check still asks.
    assert.equal(rows.find((e) => e.check === 'ecr-image')!.status, 'pass');
    assert.deepEqual(asked.map(([kind]) => kind), ['ecr-image']);
  });

  it('a running task failing its health checks gets the health check, logs, target group and service checks', async () => {
    const gathered = pullFailure({
      task: {
        taskArn: TASK_ARN,
        clusterArn: CLUSTER_ARN,
        lastStatus: 'RUNNING',
        healthStatus: 'UNHEALTHY',
        launchType: 'FARGATE',
        group: 'service:web',
        subnetId: 'subnet-0aaa',
        privateIp: '10.0.1.30',
        createdAt: '2030-01-01T10:05:00.000Z',
        containers: [{ name: 'app', image: IMAGE, lastStatus: 'RUNNING', exitCode: null, healthStatus: 'UNHEALTHY' }],
      },
      stop: { taskArn: TASK_ARN, lastStatus: 'RUNNING', group: 'service:web', containers: [{ name: 'app', exitCode: null, lastStatus: 'RUNNING', healthStatus: 'UNHEALTHY', image: IMAGE, essential: true }] },
      service: { kind: 'read', name: 'web', cluster: CLUSTER_ARN, facts: webService() },
    });
    const { collect, asked } = fakeCollector({
      logs: ({ group: g, stream }) => ({ kind: 'lines', group: g, stream, lines: ['listening on 8080', 'GET /health 500'] }),
      subnet: (id) => ({ subnetId: id, vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24', availableIpAddressCount: 200 }),
      'route-table': () => ({ routeTableId: 'rtb-1', routes: [{ destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-1', state: 'active' }] }),
      'target-group': (arn) => ({ targetGroupArn: arn, targetGroupName: 'web-tg', targetType: 'ip', protocol: 'HTTP', port: 8080, healthCheckProtocol: 'HTTP', healthCheckPort: 'traffic-port', healthCheckPath: '/health', loadBalancerArns: [LB_ARN] }),
      'target-health': () => [{ id: '10.0.1.30', port: 8080, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' }],
    });
    const r = await diagnose(gathered, collect);
    const checks = new Set(r.diagnosis.evidence!.map((e) => e.check));
    for (const c of ['container-health-check', 'logs', 'target-group', 'service-events'] as const) assert.ok(checks.has(c), `missing ${c}`);
    // A running task is its own case: the health-check verdict, never "Stop reason not recognised".
    assert.equal(r.diagnosis.category, 'ContainerHealthCheckFailed');
    assert.equal(r.diagnosis.variant, 'running-unhealthy');
    assert.equal(r.diagnosis.container, 'app');
    const hc = r.diagnosis.evidence!.find((e) => e.check === 'container-health-check')!;
    assert.equal(hc.status, 'fail', 'an UNHEALTHY container is never a passing health check');
    assert.match(hc.detail, /app is UNHEALTHY/);
    assert.match(hc.detail, /ignores failing health checks for 60 s/);
    // The health-check case reads what speaks to health, not the network route.
    assert.deepEqual([...new Set(asked.map(([kind]) => kind))].sort(), ['logs', 'target-group', 'target-health']);
    assert.ok(r.diagnosis.evidence!.every((e) => !/unexpected lookup/.test(e.detail)), JSON.stringify(r.diagnosis.evidence));
    assert.deepEqual(asked.find(([kind]) => kind === 'logs')![1], { group: '/ecs/api', stream: 'ecs/app/0123456789abcdef0123456789abcdef' });
    // The service-events commands name the task's cluster, not a placeholder.
    for (const e of r.diagnosis.evidence!.filter((x) => x.check === 'service-events')) assert.match(e.command!, /--cluster prod --services web/);
    assert.equal(r.service!.name, 'web');
  });

  it('the security-group check looks only at the part the causes name, and its exact fix comes first', async () => {
    const reason = `Task failed ELB health checks in (target-group ${TG_ARN})`;
    const gathered = pullFailure({
      task: { taskArn: TASK_ARN, clusterArn: CLUSTER_ARN, lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: reason, launchType: 'FARGATE', group: 'service:web', subnetId: 'subnet-0aaa', containers: [{ name: 'app', image: IMAGE, lastStatus: 'STOPPED', exitCode: 143 }] },
      stop: { taskArn: TASK_ARN, stoppedReason: reason, stopCode: 'ServiceSchedulerInitiated', lastStatus: 'STOPPED', group: 'service:web', containers: [{ name: 'app', exitCode: 143, lastStatus: 'STOPPED', image: IMAGE, essential: true }] },
      service: { kind: 'read', name: 'web', cluster: CLUSTER_ARN, facts: webService() },
    });
    const { collect, asked } = fakeCollector({
      subnet: (id) => ({ subnetId: id, vpcId: 'vpc-1', cidrBlock: id === 'subnet-pub' ? '10.0.0.0/24' : '10.0.1.0/24' }),
      'security-groups': () => [group('sg-task', [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrs: ['192.168.0.0/16'], groupIds: [], prefixListIds: [] }])],
      'target-group': (arn) => ({ targetGroupArn: arn, targetGroupName: 'web-tg', targetType: 'ip', protocol: 'HTTP', port: 8080, healthCheckProtocol: 'HTTP', healthCheckPort: 'traffic-port', healthCheckPath: '/health', loadBalancerArns: [LB_ARN] }),
      'target-health': () => [],
      'load-balancers': (arns) => arns.map((arn) => ({ loadBalancerArn: arn, name: 'web', type: 'application', securityGroups: ['sg-alb'], subnetIds: ['subnet-pub'] })),
      logs: ({ group: g, stream }) => ({ kind: 'lines', group: g, stream, lines: ['shutting down'] }),
    });
    const d = (await diagnose(gathered, collect)).diagnosis;
    assert.equal(d.category, 'ElbHealthCheckFailed');
    const sg = d.evidence!.filter((e) => e.check === 'security-groups');
    assert.equal(sg.length, 1, JSON.stringify(sg));
    assert.equal(sg[0]!.status, 'fail');
    // The load balancer part only: the route and the VPC endpoints are not looked at.
    const kinds = new Set(asked.map(([kind]) => kind));
    assert.ok(!kinds.has('route-table') && !kinds.has('vpc-endpoints'), [...kinds].join(', '));
    assert.ok(kinds.has('load-balancers'));
    const fix = 'aws ec2 authorize-security-group-ingress --group-id sg-task --protocol tcp --port 8080 --source-group sg-alb';
    assert.equal(d.fixes[0]!.command, fix);
    assert.equal(d.causes.find((c) => c.id === 'sg-blocks-lb')!.status, 'confirmed');
    assert.ok(d.evidence!.every((e) => !/unexpected lookup/.test(e.detail)), JSON.stringify(d.evidence));
  });

  it('runs without the AWS SDK: nothing under @aws-sdk is loaded', () => {
    // Each test file runs in its own process, so this sees only what the pipeline pulled in.
    assert.deepEqual(Object.keys(require.cache).filter((k) => k.includes('@aws-sdk')), []);
  });

  it('checksFor adds the running-task and service checks to what the diagnosis asks for', () => {
    const base = pullFailure();
    assert.deepEqual(checksFor({ checks: ['ecr-image', 'task-definition'] }, { region: 'us-east-1', cluster: 'prod', task: base.task }), ['ecr-image', 'task-definition']);
    const running = { ...base.task, lastStatus: 'RUNNING', containers: [{ name: 'app', healthStatus: 'UNHEALTHY' }] };
    assert.deepEqual(checksFor({ checks: ['logs'] }, { region: 'us-east-1', cluster: 'prod', task: running, service: webService() }), ['logs', 'container-health-check', 'target-group', 'service-events']);
  });
});
