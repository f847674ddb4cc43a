// Every live check against the simulator's 'diagnose' scenario: passing, failing, and skipped
// when the permission it needs is denied (the row names the IAM action).
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import { collectEvidence, COLLECTORS } from '../../../../src/aws/diagnose/collect';
import type { AwsSession } from '../../../../src/aws/session';
import { JUDGES } from '../../../../src/core/diagnose/judges';
import type { Simulator } from '../../../../sim/server';
import { contextFor, only, startDiagnoseSim, T } from '../../helpers/diagnoseSim';

describe('live evidence collectors (simulator)', () => {
  let sim: Simulator;
  let session: AwsSession;
  let stop: () => Promise<void>;

  before(async () => {
    ({ sim, session, stop } = await startDiagnoseSim());
  });
  after(async () => stop());
  afterEach(() => sim.setFaults({ accessDenied: [] }));

  const run = async (task: number, check: keyof typeof COLLECTORS) => COLLECTORS[check](await contextFor(session, T(task)));

  describe('ecr-image', () => {
    it('passes when the tag exists', async () => {
      const e = only(await run(6, 'ecr-image'), 'ecr-image');
      assert.equal(e.status, 'pass');
      assert.match(e.detail, /worker has the image with tag 2024\.06/);
    });
    it('fails on a missing tag (ImageNotFoundException)', async () => {
      const e = only(await run(1, 'ecr-image'), 'ecr-image');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /no image with tag v2-missing/);
      assert.match(e.command!, /aws ecr describe-images .*--repository-name api --image-ids imageTag=v2-missing/);
    });
    it('fails on a missing repository (RepositoryNotFoundException)', async () => {
      const e = only(await run(13, 'ecr-image'), 'ecr-image');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /repository ghost does not exist/);
    });
    it('does not look up images outside private ECR', async () => {
      const e = only(await run(8, 'ecr-image'), 'ecr-image');
      assert.equal(e.status, 'skipped');
      assert.match(e.detail, /public\.ecr\.aws\/nginx\/nginx:1\.27 is not in a private ECR registry/);
      assert.equal(sim.callsTo('ecr:DescribeImages').filter((c) => JSON.stringify(c.params).includes('nginx')).length, 0);
    });
    it('is skipped with the permission when ecr:DescribeImages is denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'ecr:DescribeImages' }] });
      const e = only(await run(1, 'ecr-image'), 'ecr-image');
      assert.equal(e.status, 'skipped');
      assert.equal(e.missingPermission, 'ecr:DescribeImages');
      assert.match(e.detail, /Could not check .*needs ecr:DescribeImages/);
    });
  });

  describe('vpc-endpoints', () => {
    it('passes through a NAT route without asking for endpoints', async () => {
      sim.clearCalls();
      const e = only(await run(1, 'vpc-endpoints'), 'vpc-endpoints');
      assert.equal(e.status, 'pass');
      assert.match(e.detail, /NAT gateway nat-0diag00000000001/);
      assert.equal(sim.callsTo('ec2:DescribeVpcEndpoints').length, 0);
    });
    it('fails in a private subnet with neither NAT nor endpoints, naming each missing one', async () => {
      const e = only(await run(2, 'vpc-endpoints'), 'vpc-endpoints');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /the VPC main table/);
      for (const s of ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager', 'ssm']) assert.match(e.detail, new RegExp(`missing ${s.replace('.', '\\.')} \\(`));
      assert.doesNotMatch(e.detail, /ssmmessages/, 'ECS Exec is off for this task: ssmmessages is not needed');
      assert.match(e.command!, /aws ec2 create-vpc-endpoint/);
    });
    it('passes in a private subnet that has every endpoint the task needs', async () => {
      const e = only(await run(3, 'vpc-endpoints'), 'vpc-endpoints');
      assert.equal(e.status, 'pass');
      assert.match(e.detail, /every VPC endpoint the task needs \(ecr\.api, ecr\.dkr, s3, logs, secretsmanager, ssm\)/);
    });
    it('fails when the S3 gateway endpoint is not associated with the route table', async () => {
      const e = only(await run(16, 'vpc-endpoints'), 'vpc-endpoints');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /s3 gateway endpoint vpce-0diagc00000000s3 is not associated with route table rtb-0diag00000000000c/);
      assert.doesNotMatch(e.detail, /missing ecr/);
    });
    it('fails in a public subnet when the service gives the task no public IP', async () => {
      const e = only(await run(17, 'vpc-endpoints'), 'vpc-endpoints');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /assignPublicIp is DISABLED/);
    });
    for (const op of ['DescribeSubnets', 'DescribeRouteTables', 'DescribeVpcEndpoints']) {
      it(`is skipped with the permission when ec2:${op} is denied`, async () => {
        sim.setFaults({ accessDenied: [{ operation: `ec2:${op}` }] });
        const e = only(await run(2, 'vpc-endpoints'), 'vpc-endpoints');
        assert.equal(e.status, 'skipped');
        assert.equal(e.missingPermission, `ec2:${op}`);
      });
    }
  });

  describe('subnet-ips', () => {
    it('passes with the free address count', async () => {
      const e = only(await run(1, 'subnet-ips'), 'subnet-ips');
      assert.equal(e.status, 'pass');
      assert.match(e.detail, /187 free IP addresses/);
    });
    it('fails when the subnet has no free address', async () => {
      const e = only(await run(5, 'subnet-ips'), 'subnet-ips');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /subnet-0diag000000000full \(10\.0\.3\.0\/28, us-east-1c\) has no free IP address/);
    });
    it('warns in the detail when nearly exhausted', async () => {
      const e = only(await run(3, 'subnet-ips'), 'subnet-ips');
      assert.equal(e.status, 'pass');
      assert.match(e.detail, /3 free IP addresses \(nearly exhausted\)/);
    });
    it('is skipped with the permission when ec2:DescribeSubnets is denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'ec2:DescribeSubnets' }] });
      const e = only(await run(5, 'subnet-ips'), 'subnet-ips');
      assert.equal(e.status, 'skipped');
      assert.equal(e.missingPermission, 'ec2:DescribeSubnets');
    });
  });

  describe('secrets', () => {
    it('passes when every reference exists, and never shows a value', async () => {
      const rows = await run(1, 'secrets');
      const e = only(rows, 'secrets');
      assert.equal(e.status, 'pass');
      assert.match(e.detail, /All 2 secret references exist/);
      const text = JSON.stringify(rows);
      assert.doesNotMatch(text, /s3cr3t-value-never-shown|hunter2-never-shown|AQICAH/);
      const call = sim.callsTo('ssm:GetParameters').at(-1)!;
      assert.equal((call.params as { WithDecryption?: boolean }).WithDecryption, false);
    });
    it('fails on a deleted secret and a missing parameter (InvalidParameters), keeping the one that exists', async () => {
      const rows = await run(4, 'secrets');
      const e = only(rows, 'secrets');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /2 secret references of 3 do not resolve/);
      assert.match(e.detail, /api\/old-XyZ123 is scheduled for deletion/);
      assert.match(e.detail, /parameter\/api\/feature-flags is not found/);
      assert.ok(e.lines!.some((l) => /\/api\/db-url \(app: DB_URL\): exists/.test(l)));
      assert.doesNotMatch(JSON.stringify(rows), /never-shown/);
    });
    it('is skipped with ssm:GetParameters when Parameter Store is denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'ssm:GetParameters' }] });
      const e = only(await run(1, 'secrets'), 'secrets');
      assert.equal(e.status, 'skipped');
      assert.equal(e.missingPermission, 'ssm:GetParameters');
      assert.match(e.detail, /1 reference of 2 exist.*needs ssm:GetParameters/);
    });
    it('still fails on a missing secret when only part of the lookups is denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'ssm:GetParameters' }] });
      const e = only(await run(4, 'secrets'), 'secrets');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /scheduled for deletion/);
    });
    it('is skipped with secretsmanager:DescribeSecret when Secrets Manager is denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'secretsmanager:DescribeSecret' }] });
      const e = only(await run(1, 'secrets'), 'secrets');
      assert.equal(e.status, 'skipped');
      assert.equal(e.missingPermission, 'secretsmanager:DescribeSecret');
    });
  });

  describe('execution-role', () => {
    it('passes only after IAM policy simulation shows the role allows each action on the task\'s own resources', async () => {
      const e = only(await run(1, 'execution-role'), 'execution-role');
      assert.equal(e.status, 'pass');
      assert.match(e.detail, /IAM policy simulation: execution role ecsTaskExecutionRole allows all 7 actions/);
      assert.doesNotMatch(e.detail, /not read/);
      const sims = sim.callsTo('SimulatePrincipalPolicy');
      assert.ok(sims.length > 0, 'the role was simulated');
      const asked = JSON.stringify(sims.map((c) => c.params));
      for (const x of ['ecr:BatchGetImage', 'arn:aws:ecr:us-east-1:123456789012:repository/api', 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api:*', 'secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api/db-AbCdEf', 'ssm:GetParameters', 'arn:aws:ssm:us-east-1:123456789012:parameter/api/db-url']) assert.ok(asked.includes(x), `simulated ${x}: ${asked}`);
    });
    it('fails with the exact statement to add when the role lacks a secret permission', async () => {
      const role = sim.state.iam.roles!.find((r) => r.roleName === 'ecsTaskExecutionRole')!;
      const saved = role.inlinePolicies;
      role.inlinePolicies = {};
      try {
        const e = only(await run(1, 'execution-role'), 'execution-role');
        assert.equal(e.status, 'fail');
        assert.deepEqual(e.causes, ['execution-role-permissions']);
        assert.match(e.detail, /does not allow what the agent needs: secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:api\/db-AbCdEf/);
        assert.ok(e.fix, 'an exact repair');
        assert.match(e.fix.command, /^aws iam put-role-policy --role-name ecsTaskExecutionRole --policy-name ecs-doctor-execution-role --policy-document '\{/);
        const doc = JSON.parse(/'(\{.*\})'$/.exec(e.fix.command)![1]!) as { Statement: Array<{ Action: string | string[]; Resource: string | string[] }> };
        assert.deepEqual(doc.Statement.map((x) => [x.Action, x.Resource]), [
          ['secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api/db-AbCdEf'],
          ['ssm:GetParameters', 'arn:aws:ssm:us-east-1:123456789012:parameter/api/db-url'],
        ]);
        assert.doesNotMatch(e.fix.command, /file:\/\/|<[a-z-]+>/);
      } finally {
        role.inlinePolicies = saved;
      }
    });
    it('is "not checked" (never pass) when the caller may not simulate, naming the permission and the statement', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'iam:SimulatePrincipalPolicy' }] });
      try {
        const e = only(await run(1, 'execution-role'), 'execution-role');
        assert.equal(e.status, 'skipped');
        assert.equal(e.missingPermission, 'iam:SimulatePrincipalPolicy');
        assert.match(e.detail, /^Not checked/);
        assert.match(e.command!, /^aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:role\/ecsTaskExecutionRole /);
        assert.match(e.lines![0]!, /"secretsmanager:GetSecretValue"/);
      } finally {
        sim.setFaults({ accessDenied: [] });
      }
    });
    it('fails when missing but needed for ECR, awslogs and secrets', async () => {
      const e = only(await run(12, 'execution-role'), 'execution-role');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /pull app from ECR, write awslogs and fetch 2 secrets/);
    });
  });

  describe('logs', () => {
    it('fails when the last lines show an error, and returns them', async () => {
      const e = only(await run(6, 'logs'), 'logs');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /ECONNREFUSED 10\.0\.3\.4:5432/);
      assert.equal(e.lines!.length, 4);
      assert.equal(e.lines![0], 'worker starting');
    });
    it('passes when the last lines are clean', async () => {
      const e = only(await run(11, 'logs'), 'logs');
      assert.equal(e.status, 'pass');
      assert.match(e.detail, /last 4 lines of app show no error/);
    });
    it('reads only the tail (GetLogEvents, newest first window)', async () => {
      await run(6, 'logs');
      const call = sim.callsTo('logs:GetLogEvents').at(-1)!;
      const p = call.params as { logGroupName: string; logStreamName: string; startFromHead: boolean; limit: number };
      assert.equal(p.logGroupName, '/ecs/worker');
      assert.equal(p.logStreamName, `ecs/app/${T(6)}`);
      assert.equal(p.startFromHead, false);
      assert.ok(p.limit <= 50);
    });
    it('tells a missing stream of a container that never started (pass) from a missing group (fail)', async () => {
      const e = only(await run(1, 'logs'), 'logs');
      assert.equal(e.status, 'pass');
      assert.match(e.detail, /never wrote a line/);
      const saved = sim.state.logs.groups;
      sim.state.logs.groups = saved!.filter((g) => g.logGroupName !== '/ecs/api');
      try {
        const g = only(await run(1, 'logs'), 'logs');
        assert.equal(g.status, 'fail');
        assert.match(g.detail, /log group \/ecs\/api does not exist/);
      } finally {
        sim.state.logs.groups = saved;
      }
    });
    it('is skipped for a container without awslogs', async () => {
      const e = only(await run(15, 'logs'), 'logs');
      assert.equal(e.status, 'skipped');
      assert.match(e.detail, /no log configuration/);
    });
    it('is skipped with logs:GetLogEvents when it is denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'logs:GetLogEvents' }] });
      const e = only(await run(6, 'logs'), 'logs');
      assert.equal(e.status, 'skipped');
      assert.equal(e.missingPermission, 'logs:GetLogEvents');
      assert.match(e.detail, /Could not check \(needs logs:GetLogEvents\)/);
      assert.match(e.command!, /aws logs get-log-events --log-group-name \/ecs\/worker/);
    });
  });

  describe('target-group', () => {
    it('fails on instance target type, wrong health-check port, no grace period and an unhealthy target', async () => {
      const rows = await run(8, 'target-group');
      assert.equal(only(rows, 'target-group', /Target type/).status, 'fail');
      const port = only(rows, 'target-group', /Health-check port/);
      assert.equal(port.status, 'fail');
      assert.match(port.detail, /probes port 80, but app listens on 8080/);
      assert.equal(only(rows, 'target-group', /grace/).status, 'fail');
      const health = only(rows, 'target-group', /Target health/);
      assert.equal(health.status, 'fail');
      assert.match(health.detail, /Target\.ResponseCodeMismatch/);
    });
    it('passes for a sound target group (ip, traffic port, 60 s grace, healthy targets)', async () => {
      const rows = await run(9, 'target-group');
      assert.deepEqual(
        rows.map((r) => [r.title, r.status]),
        [
          ['Target type of web-good-tg', 'pass'],
          ['Health-check settings of web-good-tg', 'pass'],
          ['Health-check grace period', 'pass'],
          ['Target health', 'pass'],
        ],
      );
    });
    it("reports the running task's own target", async () => {
      const rows = await run(14, 'target-group');
      assert.match(only(rows, 'target-group', /Target health/).detail, /The task's target 10\.0\.1\.30:8080 unhealthy/);
    });
    it('is skipped for a task outside a load-balanced service', async () => {
      const e = only(await run(6, 'target-group'), 'target-group');
      assert.equal(e.status, 'skipped');
    });
    it('is skipped with elasticloadbalancing:DescribeTargetGroups when denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'elbv2:DescribeTargetGroups' }] });
      const e = only(await run(8, 'target-group'), 'target-group');
      assert.equal(e.status, 'skipped');
      assert.equal(e.missingPermission, 'elasticloadbalancing:DescribeTargetGroups');
    });
    it('keeps the target-group rows when only DescribeTargetHealth is denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'elbv2:DescribeTargetHealth' }] });
      const rows = await run(8, 'target-group');
      assert.equal(only(rows, 'target-group', /Target type/).status, 'fail');
      const h = only(rows, 'target-group', /Target health/);
      assert.equal(h.status, 'skipped');
      assert.equal(h.missingPermission, 'elasticloadbalancing:DescribeTargetHealth');
    });
  });

  describe('task definition, health check, memory, service', () => {
    it('container health check fails without startPeriod and passes with one', async () => {
      assert.equal(only(await run(10, 'container-health-check'), 'container-health-check').status, 'fail');
      assert.equal(only(await run(1, 'container-health-check'), 'container-health-check').status, 'pass');
    });
    it('memory fails for the OOM-killed container with its limit, passes otherwise', async () => {
      const e = only(await run(7, 'memory'), 'memory');
      assert.equal(e.status, 'fail');
      assert.match(e.detail, /app was killed for using more memory than its hard limit of 256 MiB/);
      assert.equal(only(await run(6, 'memory'), 'memory').status, 'pass');
    });
    it('service events fail on unhealthy events and a rollout with the circuit breaker off', async () => {
      const rows = await run(8, 'service-events');
      assert.equal(only(rows, 'service-events', /Service events/).status, 'fail');
      const d = only(rows, 'service-events', /Deployment/);
      assert.equal(d.status, 'fail');
      assert.match(d.detail, /circuit breaker off/);
    });
    it('service events pass for a steady service with the circuit breaker on', async () => {
      const rows = await run(11, 'service-events');
      assert.ok(rows.every((r) => r.status === 'pass'), JSON.stringify(rows));
    });
    it('task definition passes for a sound definition', async () => {
      assert.equal(only(await run(1, 'task-definition'), 'task-definition').status, 'pass');
    });
  });

  describe('collectEvidence', () => {
    it('always starts with the task fields and the task definition, keeps the order asked, and never throws', async () => {
      const ctx = await contextFor(session, T(2));
      const rows = await collectEvidence(ctx, ['vpc-endpoints', 'ecr-image', 'secrets']);
      assert.deepEqual(
        rows.map((r) => r.check),
        ['task-fields', 'task-definition', 'vpc-endpoints', 'ecr-image', 'secrets'],
      );
    });
    it('one service failing leaves the others intact', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'ec2:DescribeSubnets' }, { operation: 'logs:GetLogEvents' }] });
      const ctx = await contextFor(session, T(6));
      const rows = await collectEvidence(ctx, ['logs', 'subnet-ips', 'ecr-image', 'memory']);
      assert.equal(only(rows, 'logs').status, 'skipped');
      assert.equal(only(rows, 'subnet-ips').status, 'skipped');
      assert.equal(only(rows, 'ecr-image').status, 'pass');
      assert.equal(only(rows, 'memory').status, 'pass');
    });
    it('bounds the number of checks in flight', async () => {
      // Every check's judge (what collectEvidence runs, with the AWS collector) is counted while it
      // runs: the count is exact, whatever the timing.
      const ctx = await contextFor(session, T(2));
      const original = { ...JUDGES };
      let active = 0;
      let most = 0;
      const started: string[] = [];
      for (const id of Object.keys(JUDGES) as (keyof typeof JUDGES)[]) {
        JUDGES[id] = async (facts, collect) => {
          started.push(id);
          most = Math.max(most, ++active);
          try {
            return await original[id](facts, collect);
          } finally {
            active--;
          }
        };
      }
      try {
        const checks = ['logs', 'ecr-image', 'vpc-endpoints', 'subnet-ips', 'secrets', 'target-group'] as const;
        await collectEvidence(ctx, checks, { concurrency: 2 });
        assert.deepEqual(started, ['task-fields', 'task-definition', ...checks], 'each check once, in the order asked');
        assert.equal(most, 2, 'two checks at once, never more');
      } finally {
        Object.assign(JUDGES, original);
      }
    });
  });
});
