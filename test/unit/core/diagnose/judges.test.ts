// The pure judgement of the live checks (core/diagnose/judges): reference parsing and the edge
// cases the simulator scenario does not reach.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { TaskDefFacts } from '../../../../src/core/diagnose/facts';
import {
  imagesNeedingInternet,
  judgeLogs,
  judgeMemory,
  judgeNetwork,
  judgeSecrets,
  judgeTaskDefinition,
  parseEcrImage,
  parseSecretRef,
  requiredEndpoints,
} from '../../../../src/core/diagnose/judges';

const td = (over: Partial<TaskDefFacts> = {}): TaskDefFacts => ({
  family: 'api',
  revision: 1,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  memory: '1024',
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  containers: [
    {
      name: 'app',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.2',
      portMappings: [{ containerPort: 8080 }],
      secrets: [{ name: 'DB', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::' }],
      logDriver: 'awslogs',
      logOptions: { 'awslogs-group': '/ecs/api', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs' },
    },
  ],
  ...over,
});

describe('reference parsing', () => {
  it('parses private ECR images with tag, digest, nested repositories and the latest default', () => {
    assert.deepEqual(parseEcrImage('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.2'), { registryId: '123456789012', region: 'eu-west-1', repository: 'team/api', tag: '1.2' });
    assert.deepEqual(parseEcrImage('123456789012.dkr.ecr.us-east-1.amazonaws.com/api'), { registryId: '123456789012', region: 'us-east-1', repository: 'api', tag: 'latest' });
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseEcrImage(`123456789012.dkr.ecr.us-east-1.amazonaws.com/api@${digest}`), { registryId: '123456789012', region: 'us-east-1', repository: 'api', digest });
    assert.equal(parseEcrImage('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/api:1')?.region, 'us-gov-west-1');
    assert.equal(parseEcrImage('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api:1')?.region, 'cn-north-1');
  });
  it('ignores other registries', () => {
    for (const i of ['nginx:1.27', 'public.ecr.aws/nginx/nginx:1.27', 'ghcr.io/o/r:1', 'registry.example.com:5000/api:1', undefined]) assert.equal(parseEcrImage(i), undefined, String(i));
  });
  it('parses Secrets Manager ARNs with a JSON key, SSM ARNs and bare names', () => {
    const sm = parseSecretRef('arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::');
    assert.deepEqual(sm, { service: 'secretsmanager', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::', secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf', region: 'eu-west-1', jsonKey: 'password' });
    assert.equal((parseSecretRef('arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db') as { name: string }).name, '/prod/db');
    assert.equal((parseSecretRef('arn:aws:ssm:eu-west-1:123456789012:parameter/db') as { name: string }).name, 'db');
    assert.deepEqual(parseSecretRef('/prod/db'), { service: 'ssm', valueFrom: '/prod/db', name: '/prod/db' });
  });
});

describe('required endpoints', () => {
  it('follows what the task uses', () => {
    assert.deepEqual(requiredEndpoints(td(), { region: 'eu-west-1' }).map((r) => r.service), ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager']);
    assert.deepEqual(requiredEndpoints(td(), { region: 'eu-west-1', execEnabled: true }).map((r) => r.service).at(-1), 'ssmmessages');
    const plain = td({ containers: [{ name: 'app', image: 'nginx', portMappings: [], secrets: [] }] });
    assert.deepEqual(requiredEndpoints(plain, { region: 'eu-west-1' }), []);
  });
  it('an image in another Region needs no endpoint here', () => {
    assert.ok(!requiredEndpoints(td(), { region: 'us-east-1' }).some((r) => r.service === 'ecr.dkr'));
  });
});

describe('network', () => {
  const subnet = { subnetId: 'subnet-1', vpcId: 'vpc-1' };
  const required = requiredEndpoints(td(), { region: 'eu-west-1' });
  it('a blackhole default route is no way out', () => {
    const e = judgeNetwork({ subnet, routeTable: { routeTableId: 'rtb-1', routes: [{ destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-gone', state: 'blackhole' }] }, endpoints: [], required, region: 'eu-west-1' });
    assert.equal(e.status, 'fail');
    assert.match(e.detail, /blackhole/);
  });
  it('an endpoint that is not available, or has private DNS off, does not count', () => {
    const endpoints = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager'].map((s, i) => ({ vpcEndpointId: `vpce-${i}`, serviceName: `com.amazonaws.eu-west-1.${s}`, vpcEndpointType: 'Interface', state: s === 'logs' ? 'pendingAcceptance' : 'available', privateDnsEnabled: s !== 'ecr.dkr' }));
    endpoints.push({ vpcEndpointId: 'vpce-s3', serviceName: 'com.amazonaws.eu-west-1.s3', vpcEndpointType: 'Gateway', state: 'available', privateDnsEnabled: false });
    const e = judgeNetwork({ subnet, routeTable: { routeTableId: 'rtb-1', routes: [] }, endpoints: endpoints.map((x) => (x.vpcEndpointType === 'Gateway' ? { ...x, routeTableIds: ['rtb-1'] } : x)), required, region: 'eu-west-1' });
    assert.equal(e.status, 'fail');
    assert.match(e.detail, /logs is pendingAcceptance/);
    assert.match(e.detail, /ecr\.dkr endpoint vpce-1 has private DNS disabled/);
    assert.doesNotMatch(e.detail, /missing/);
  });
  it('a transit gateway or appliance route is reported, not judged', () => {
    const e = judgeNetwork({ subnet, routeTable: { routeTableId: 'rtb-1', routes: [{ destinationCidrBlock: '0.0.0.0/0', transitGatewayId: 'tgw-1' }] }, endpoints: [], required, region: 'eu-west-1' });
    assert.equal(e.status, 'pass');
    assert.match(e.detail, /tgw-1/);
  });
});

describe('network: images no VPC endpoint serves', () => {
  const subnet = { subnetId: 'subnet-1', vpcId: 'vpc-1' };
  const ecrOnly = td();
  const withHub = td({ containers: [...td().containers, { name: 'proxy', image: 'nginx:1.27', portMappings: [], secrets: [] }] });
  const required = requiredEndpoints(withHub, { region: 'eu-west-1' });
  const all = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']
    .map((s, i) => ({ vpcEndpointId: `vpce-${i}`, serviceName: `com.amazonaws.eu-west-1.${s}`, vpcEndpointType: 'Interface', state: 'available', privateDnsEnabled: true }))
    .concat([{ vpcEndpointId: 'vpce-s3', serviceName: 'com.amazonaws.eu-west-1.s3', vpcEndpointType: 'Gateway', state: 'available', privateDnsEnabled: false, routeTableIds: ['rtb-1'] } as never]);
  const privateRt = { routeTableId: 'rtb-1', routes: [] };

  it('lists Docker Hub, ECR Public and other-Region ECR images, not this Region\'s ECR', () => {
    assert.deepEqual(imagesNeedingInternet(ecrOnly, 'eu-west-1'), []);
    const mixed = td({
      containers: [
        { name: 'a', image: 'nginx:1.27', portMappings: [], secrets: [] },
        { name: 'b', image: 'public.ecr.aws/nginx/nginx:1.27', portMappings: [], secrets: [] },
        { name: 'c', image: '111122223333.dkr.ecr.us-west-2.amazonaws.com/api:1', portMappings: [], secrets: [] },
        { name: 'd', image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1', portMappings: [], secrets: [] },
      ],
    });
    const out = imagesNeedingInternet(mixed, 'eu-west-1');
    assert.deepEqual(out.map((o) => o.container), ['a', 'b', 'c']);
    assert.match(out[0]!.where, /Docker Hub/);
    assert.match(out[2]!.where, /Amazon ECR in us-west-2/);
  });

  it('a private subnet with every AWS endpoint still fails for a Docker Hub image: no-route', () => {
    const e = judgeNetwork({ subnet, routeTable: privateRt, endpoints: all, required, region: 'eu-west-1', internetImages: imagesNeedingInternet(withHub, 'eu-west-1') });
    assert.equal(e.status, 'fail');
    assert.deepEqual(e.causes, ['no-route']);
    assert.match(e.detail, /proxy: Docker Hub/);
    assert.match(e.detail, /needs a NAT gateway route/);
  });

  it('the same task through a NAT route passes', () => {
    const nat = { routeTableId: 'rtb-1', routes: [{ destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-1' }] };
    const e = judgeNetwork({ subnet, routeTable: nat, endpoints: [], required, region: 'eu-west-1', internetImages: imagesNeedingInternet(withHub, 'eu-west-1') });
    assert.equal(e.status, 'pass');
    assert.ok(e.causes?.includes('no-route'), 'a NAT route rules out no-route');
  });

  it('an ECR-only task with every endpoint passes, and that rules out no-route', () => {
    const e = judgeNetwork({ subnet, routeTable: privateRt, endpoints: all, required: requiredEndpoints(ecrOnly, { region: 'eu-west-1' }), region: 'eu-west-1', internetImages: [] });
    assert.equal(e.status, 'pass', e.detail);
    assert.ok(e.causes?.includes('no-route'));
  });

  it('recognises dual-stack ECR image hosts', () => {
    assert.deepEqual(parseEcrImage('111122223333.dkr-ecr.eu-west-1.on.aws/api:2'), { registryId: '111122223333', region: 'eu-west-1', repository: 'api', tag: '2' });
    assert.equal(parseEcrImage('111122223333.dkr-ecr-fips.us-east-1.on.aws/team/api@sha256:' + 'a'.repeat(64))?.region, 'us-east-1');
  });
});

describe('other judgements', () => {
  it('task definition: missing awslogs options, reservation above the limit, hostPort mismatch, memory over the task', () => {
    const bad = td({
      memory: '512',
      containers: [
        { name: 'app', image: 'nginx', memory: 400, memoryReservation: 500, portMappings: [{ containerPort: 80, hostPort: 8080 }], secrets: [], logDriver: 'awslogs', logOptions: { 'awslogs-group': '/x' } },
        { name: 'side', image: 'nginx', memory: 200, portMappings: [], secrets: [], essential: false },
      ],
    });
    const e = judgeTaskDefinition(bad);
    assert.equal(e.status, 'fail');
    assert.match(e.detail, /awslogs is missing awslogs-region, awslogs-stream-prefix/);
    assert.match(e.detail, /memoryReservation 500 MiB is above its hard limit memory 400 MiB/);
    assert.match(e.detail, /hostPort 8080 differs from containerPort 80/);
    assert.match(e.detail, /adds up to 600 MiB, above the task's 512 MiB/);
  });
  it('memory: exit 137 without an OOM reason points at stopTimeout, not memory', () => {
    const e = judgeMemory(td(), { taskArn: 't', containers: [{ name: 'app', exitCode: 137 }] });
    assert.equal(e.status, 'pass');
    assert.match(e.detail, /stop that outlived stopTimeout \(30 s\)/);
  });
  it('logs: a RUNNING container without a stream is a finding', () => {
    const e = judgeLogs('app', { kind: 'no-stream', group: '/g', stream: 's' }, null, 'RUNNING');
    assert.equal(e.status, 'fail');
    assert.match(e.detail, /is running/);
  });
  it('secrets: other-Region references are reported as not checked', () => {
    const ref = parseSecretRef('arn:aws:ssm:ap-south-1:123456789012:parameter/x');
    const e = judgeSecrets([{ ref, usedBy: ['app: X'], state: 'other-region' }], td());
    assert.equal(e.status, 'skipped');
    assert.match(e.lines![0]!, /in another Region, not checked/);
  });
});

describe('logs: what each finding speaks to', () => {
  it('a missing log group names log-group-missing; a missing stream names no cause', () => {
    const group = judgeLogs('app', { kind: 'no-group', group: '/ecs/app', stream: 'ecs/app/1' } as never, null, 'STOPPED');
    assert.deepEqual(group.causes, ['log-group-missing']);
    const stream = judgeLogs('app', { kind: 'no-stream', group: '/ecs/app', stream: 'ecs/app/1' } as never, 143, 'STOPPED');
    assert.equal(stream.status, 'fail');
    assert.deepEqual(stream.causes, []);
  });

  it('a log group missing now, for a container that ran, is no cause: its lines are just not readable', () => {
    const exited = judgeLogs('app', { kind: 'no-group', group: '/ecs/app', stream: 'ecs/app/1' } as never, 1, 'STOPPED');
    assert.equal(exited.status, 'skipped');
    assert.deepEqual(exited.causes, []);
    assert.match(exited.detail, /^Not checked: the log group \/ecs\/app does not exist.*exit code 1.*non-blocking/);
    // Running without its group: its lines are being dropped now (a finding, still no cause).
    const running = judgeLogs('app', { kind: 'no-group', group: '/ecs/app', stream: 'ecs/app/1' } as never, null, 'RUNNING');
    assert.equal(running.status, 'fail');
    assert.deepEqual(running.causes, []);
    assert.match(running.detail, /dropping its lines/);
    // The container's own mode says which: blocking means the group was deleted since it started.
    const blocking = judgeLogs('app', { kind: 'no-group', group: '/ecs/app', stream: 'ecs/app/1' } as never, null, 'RUNNING', [], 'blocking');
    assert.match(blocking.detail, /blocking mode, so the group existed when it started: it has been deleted since/);
  });
});
