// core/arn.ts: one way to read ARNs. Both ECS formats (task/CLUSTER/ID and the old task/ID), the
// China and GovCloud partitions, names and ids typed instead of ARNs, and junk.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  accountOf,
  clusterNameOf,
  clusterOfArn,
  findTargetGroupArn,
  lastSegment,
  parseArn,
  parseTaskArn,
  regionOf,
  roleNameOf,
  serviceNameOf,
  targetGroupNameOf,
  taskIdOf,
  type Arn,
} from '../../../src/core/arn';

const ID = '0123456789abcdef0123456789abcdef';
const OLD_ID = '5f8c2c3e-1a2b-4c5d-8e9f-0a1b2c3d4e5f';
const ACCT = '123456789012';

const NEW_TASK = `arn:aws:ecs:us-east-1:${ACCT}:task/prod/${ID}`;
const OLD_TASK = `arn:aws:ecs:us-east-1:${ACCT}:task/${OLD_ID}`;
const CN_TASK = `arn:aws-cn:ecs:cn-north-1:${ACCT}:task/prod-cn/${ID}`;
const CN_OLD_TASK = `arn:aws-cn:ecs:cn-northwest-1:${ACCT}:task/${OLD_ID}`;
const GOV_TASK = `arn:aws-us-gov:ecs:us-gov-west-1:${ACCT}:task/gov_cluster-1/${ID}`;
const CLUSTER = `arn:aws:ecs:eu-west-1:${ACCT}:cluster/prod`;
const GOV_CLUSTER = `arn:aws-us-gov:ecs:us-gov-east-1:${ACCT}:cluster/gov`;
const NEW_SERVICE = `arn:aws:ecs:us-east-1:${ACCT}:service/prod/web`;
const OLD_SERVICE = `arn:aws:ecs:us-east-1:${ACCT}:service/web`;
const INSTANCE = `arn:aws:ecs:us-east-1:${ACCT}:container-instance/legacy-ec2/${ID}`;
const OLD_INSTANCE = `arn:aws:ecs:us-east-1:${ACCT}:container-instance/${OLD_ID}`;
const TASK_DEF = `arn:aws:ecs:us-east-1:${ACCT}:task-definition/web:42`;
const ROLE = `arn:aws:iam::${ACCT}:role/service-role/ecsTaskExecutionRole`;
const GOV_ROLE = `arn:aws-us-gov:iam::${ACCT}:role/app`;
const ASSUMED = `arn:aws:sts::${ACCT}:assumed-role/Admin/jane@example.com`;
const CN_ASSUMED = `arn:aws-cn:sts::${ACCT}:assumed-role/Deployer/ci`;
const TG = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:targetgroup/web-tg/0123456789abcdef`;
const CN_TG = `arn:aws-cn:elasticloadbalancing:cn-north-1:${ACCT}:targetgroup/cn-tg/fedcba9876543210`;
const GOV_TG = `arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:${ACCT}:targetgroup/gov-tg/1111222233334444`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`;
const LOG_GROUP = `arn:aws:logs:us-east-1:${ACCT}:log-group:/ecs/web:*`;

/** Values that are not ARNs: names and ids as typed, and junk. */
const NOT_ARNS = ['prod', ID, OLD_ID, '', ' ', 'web:42', 'task/prod/abc', 'arn:aws:ecs', 'arn:aws:ecs:us-east-1:1', 'ARN:aws:ecs:us-east-1:1:task/x', 'not an arn'];

describe('parseArn', () => {
  const cases: Array<[string, Partial<Arn>]> = [
    [NEW_TASK, { partition: 'aws', service: 'ecs', region: 'us-east-1', account: ACCT, resource: `task/prod/${ID}`, resourceType: 'task', resourceId: `prod/${ID}`, path: ['prod', ID] }],
    [OLD_TASK, { partition: 'aws', resourceType: 'task', resourceId: OLD_ID, path: [OLD_ID] }],
    [CN_TASK, { partition: 'aws-cn', region: 'cn-north-1', path: ['prod-cn', ID] }],
    [GOV_TASK, { partition: 'aws-us-gov', region: 'us-gov-west-1', account: ACCT }],
    [TASK_DEF, { resourceType: 'task-definition', resourceId: 'web:42', path: ['web:42'] }],
    [ROLE, { service: 'iam', region: '', account: ACCT, resourceType: 'role', path: ['service-role', 'ecsTaskExecutionRole'] }],
    [ASSUMED, { service: 'sts', resourceType: 'assumed-role', path: ['Admin', 'jane@example.com'] }],
    [SECRET, { service: 'secretsmanager', resource: 'secret:db-AbCdEf', resourceType: 'secret', resourceId: 'db-AbCdEf' }],
    [LOG_GROUP, { resourceType: 'log-group', resourceId: '/ecs/web:*' }],
    [`arn:aws:iam::${ACCT}:root`, { resource: 'root', resourceType: '', resourceId: 'root', path: ['root'] }],
    ['arn:aws:s3:::my-bucket/logs/', { service: 's3', region: '', account: '', resourceType: 'my-bucket', path: ['logs', ''] }],
  ];
  for (const [arn, want] of cases) {
    it(arn, () => {
      const got = parseArn(arn);
      assert.ok(got);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof typeof got], v, k);
    });
  }

  it('is undefined for names, ids and junk', () => {
    for (const s of [...NOT_ARNS, undefined]) assert.equal(parseArn(s), undefined, String(s));
  });
});

describe('lastSegment and the names from ARNs', () => {
  it('lastSegment: the last "/" segment of the resource; a name or id as it is', () => {
    const table: Array<[string, string]> = [
      [NEW_TASK, ID],
      [OLD_TASK, OLD_ID],
      [CN_TASK, ID],
      [GOV_TASK, ID],
      [CLUSTER, 'prod'],
      [NEW_SERVICE, 'web'],
      [OLD_SERVICE, 'web'],
      [TASK_DEF, 'web:42'],
      [ROLE, 'ecsTaskExecutionRole'],
      [SECRET, 'secret:db-AbCdEf'],
      ['prod', 'prod'],
      [ID, ID],
      ['', ''],
      ['web:42', 'web:42'],
      ['a/b/c', 'c'],
    ];
    for (const [input, want] of table) assert.equal(lastSegment(input), want, input);
  });

  it('lastSegment gives what split("/").pop() gave for every ARN and name ECS Doctor reads', () => {
    const inputs = [NEW_TASK, OLD_TASK, CN_TASK, CN_OLD_TASK, GOV_TASK, CLUSTER, GOV_CLUSTER, NEW_SERVICE, OLD_SERVICE, INSTANCE, OLD_INSTANCE, TASK_DEF, ROLE, GOV_ROLE, TG, ...NOT_ARNS];
    for (const s of inputs) assert.equal(lastSegment(s), s.split('/').pop(), s);
  });

  it('taskIdOf: both formats, every partition, or the id itself', () => {
    for (const [input, want] of [
      [NEW_TASK, ID],
      [OLD_TASK, OLD_ID],
      [CN_TASK, ID],
      [CN_OLD_TASK, OLD_ID],
      [GOV_TASK, ID],
      [ID, ID],
      [OLD_ID, OLD_ID],
    ] as const) {
      assert.equal(taskIdOf(input), want, input);
    }
  });

  it('clusterNameOf: a cluster name or ARN, or the cluster a long-format task/service/instance ARN names', () => {
    for (const [input, want] of [
      [CLUSTER, 'prod'],
      [GOV_CLUSTER, 'gov'],
      ['prod', 'prod'],
      [NEW_TASK, 'prod'],
      [CN_TASK, 'prod-cn'],
      [GOV_TASK, 'gov_cluster-1'],
      [NEW_SERVICE, 'prod'],
      [INSTANCE, 'legacy-ec2'],
      // No cluster in an old-format ARN: the last segment, as for a name.
      [OLD_TASK, OLD_ID],
      ['', ''],
    ] as const) {
      assert.equal(clusterNameOf(input), want, input);
    }
  });

  it('clusterOfArn: undefined for old formats, other ARNs, names and junk', () => {
    assert.equal(clusterOfArn(CLUSTER), 'prod');
    assert.equal(clusterOfArn(NEW_TASK), 'prod');
    assert.equal(clusterOfArn(NEW_SERVICE), 'prod');
    assert.equal(clusterOfArn(INSTANCE), 'legacy-ec2');
    for (const s of [OLD_TASK, CN_OLD_TASK, OLD_SERVICE, OLD_INSTANCE, TASK_DEF, ROLE, TG, `arn:aws:ecs:us-east-1:${ACCT}:cluster/`, `arn:aws:ecs:us-east-1:${ACCT}:task/prod/`, ...NOT_ARNS, undefined]) {
      assert.equal(clusterOfArn(s), undefined, String(s));
    }
  });

  it('serviceNameOf: both formats, or the name', () => {
    assert.equal(serviceNameOf(NEW_SERVICE), 'web');
    assert.equal(serviceNameOf(OLD_SERVICE), 'web');
    assert.equal(serviceNameOf('web'), 'web');
  });

  it('roleNameOf: a role (with a path), an assumed role, or the name', () => {
    assert.equal(roleNameOf(ROLE), 'ecsTaskExecutionRole');
    assert.equal(roleNameOf(GOV_ROLE), 'app');
    assert.equal(roleNameOf(ASSUMED), 'Admin');
    assert.equal(roleNameOf(CN_ASSUMED), 'Deployer');
    assert.equal(roleNameOf('ecsTaskExecutionRole'), 'ecsTaskExecutionRole');
  });

  it('targetGroupNameOf: the name in any partition; anything else as it is', () => {
    assert.equal(targetGroupNameOf(TG), 'web-tg');
    assert.equal(targetGroupNameOf(CN_TG), 'cn-tg');
    assert.equal(targetGroupNameOf(GOV_TG), 'gov-tg');
    for (const s of ['web-tg', '', CLUSTER]) assert.equal(targetGroupNameOf(s), s);
  });

  it('regionOf and accountOf', () => {
    assert.equal(regionOf(NEW_TASK), 'us-east-1');
    assert.equal(regionOf(CN_TASK), 'cn-north-1');
    assert.equal(regionOf(GOV_TG), 'us-gov-west-1');
    assert.equal(regionOf(ROLE), undefined, 'IAM is global');
    assert.equal(accountOf(GOV_ROLE), ACCT);
    assert.equal(accountOf('arn:aws:s3:::bucket'), undefined);
    for (const s of [...NOT_ARNS, undefined]) {
      assert.equal(regionOf(s), undefined, String(s));
      assert.equal(accountOf(s), undefined, String(s));
    }
  });
});

describe('parseTaskArn', () => {
  it('reads both formats in every partition', () => {
    assert.deepEqual(parseTaskArn(NEW_TASK), { partition: 'aws', region: 'us-east-1', account: ACCT, cluster: 'prod', taskId: ID });
    assert.deepEqual(parseTaskArn(OLD_TASK), { partition: 'aws', region: 'us-east-1', account: ACCT, taskId: OLD_ID });
    assert.deepEqual(parseTaskArn(CN_TASK), { partition: 'aws-cn', region: 'cn-north-1', account: ACCT, cluster: 'prod-cn', taskId: ID });
    assert.deepEqual(parseTaskArn(CN_OLD_TASK), { partition: 'aws-cn', region: 'cn-northwest-1', account: ACCT, taskId: OLD_ID });
    assert.deepEqual(parseTaskArn(GOV_TASK), { partition: 'aws-us-gov', region: 'us-gov-west-1', account: ACCT, cluster: 'gov_cluster-1', taskId: ID });
  });

  it('is undefined for other ARNs, task ids, names and junk', () => {
    for (const s of [
      CLUSTER,
      NEW_SERVICE,
      INSTANCE,
      TASK_DEF,
      ROLE,
      TG,
      `arn:aws:ecs:us-east-1:${ACCT}:task/a/b/c`,
      `arn:aws:ecs:us-east-1:${ACCT}:task/prod/`,
      `arn:aws:ecs:us-east-1:${ACCT}:task/`,
      `arn:aws:ecs:us-east-1:${ACCT}:task:${ID}`,
      `arn:aws:ec2:us-east-1:${ACCT}:task/prod/${ID}`,
      ...NOT_ARNS,
      undefined,
    ]) {
      assert.equal(parseTaskArn(s), undefined, String(s));
    }
  });
});

describe('findTargetGroupArn', () => {
  it('finds the target group a stop reason or service event names, in any partition', () => {
    assert.equal(findTargetGroupArn(`Task failed ELB health checks in (target-group ${TG})`), TG);
    assert.equal(findTargetGroupArn(`(service web) (port 8080) is unhealthy in (target-group ${CN_TG}) due to (reason Request timed out).`), CN_TG);
    assert.equal(findTargetGroupArn(`in (target-group ${GOV_TG})`), GOV_TG);
    assert.equal(findTargetGroupArn(`${TG}.`), TG, 'a full stop after it is not part of it');
  });

  it('is undefined without one', () => {
    for (const s of ['Essential container in task exited', '', undefined, CLUSTER, 'targetgroup/web-tg/0123456789abcdef']) assert.equal(findTargetGroupArn(s), undefined, String(s));
  });
});
