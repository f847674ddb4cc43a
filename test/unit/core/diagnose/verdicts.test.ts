// Verdicts you can trust (issue 12): the catalogue's headlines and cause order say what the
// message can mean, offline, before any evidence.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classify } from '../../../../src/core/diagnose/classify';
import type { ServiceFacts } from '../../../../src/core/diagnose/facts';
import { judgeService } from '../../../../src/core/diagnose/judges';

const service = (over: Partial<ServiceFacts> = {}): ServiceFacts => ({
  name: 'web',
  status: 'ACTIVE',
  desiredCount: 3,
  runningCount: 3,
  subnets: [],
  securityGroups: [],
  circuitBreaker: { enable: true, rollback: true },
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', desiredCount: 3, runningCount: 3, failedTasks: 0 }],
  events: [],
  loadBalancers: [],
  ...over,
});
const THIS = '0123456789abcdef0123456789abcdef';
const OTHER = 'fedcba9876543210fedcba9876543210';

describe('offline verdicts', () => {
  it('"Essential container in task exited" alone is not headlined "never started", and the crash comes first', () => {
    const d = classify({ stoppedReason: 'Essential container in task exited' });
    assert.equal(d.category, 'EssentialContainerExited');
    assert.doesNotMatch(d.title, /never started/i);
    assert.equal(d.causes[0]?.id, 'app-error');
    assert.match(d.causes[0]!.text, /application crashed/);
    assert.ok(d.checks.includes('logs'));
  });

  it('the ELB explanation ranks "instance target group with awsvpc" last (ECS refuses it at service creation)', () => {
    const d = classify({ stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef)' });
    assert.equal(d.category, 'ElbHealthCheckFailed');
    assert.notEqual(d.causes[0]?.id, 'target-type');
    assert.equal(d.causes[d.causes.length - 1]?.id, 'target-type');
    assert.notEqual(d.fixes[0]?.cause, 'target-type');
  });
});

describe('service events and deployment state', () => {
  it('"0/3 running" is not a pass', () => {
    const rows = judgeService(service({ runningCount: 0 }), { taskId: THIS, cluster: 'prod' });
    const dep = rows.find((r) => r.title === 'Deployment state')!;
    assert.equal(dep.status, 'fail');
    assert.match(dep.detail, /only 0 of 3 desired tasks running/);
    assert.deepEqual(dep.causes, [], 'a shortfall confirms no particular cause');
    assert.equal(judgeService(service(), { taskId: THIS }).find((r) => r.title === 'Deployment state')!.status, 'pass');
  });

  it('a running count the endpoint did not report is not checked, never "0 running"', () => {
    const { runningCount: _, ...rest } = service();
    const dep = judgeService(rest as ServiceFacts).find((r) => r.title === 'Deployment state')!;
    assert.equal(dep.status, 'skipped');
    assert.doesNotMatch(dep.detail, /\b0\/3/);
  });

  it('only events about this task (or no task) count', () => {
    const events = [{ createdAt: '2030-01-01T10:00:00.000Z', message: `(service web) (task ${OTHER}) failed container health checks.` }];
    const rows = judgeService(service({ events }), { taskId: THIS, cluster: 'prod' });
    assert.equal(rows.find((r) => r.title === 'Service events')!.status, 'pass');
    const mine = [{ createdAt: '2030-01-01T10:00:00.000Z', message: `(service web) (task ${THIS}) failed container health checks.` }];
    assert.equal(judgeService(service({ events: mine }), { taskId: THIS }).find((r) => r.title === 'Service events')!.status, 'fail');
    assert.ok(rows.every((r) => !r.command?.includes('<cluster>')), 'the cluster is known');
  });
});
