// Health-check arithmetic, events, target health, memory patterns and the tree's glance.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { healthArithmetic, readEvent, readMemory, stuckDeployment, groupStopped, type ServiceInput } from '../../../../../src/core/diagnose/service';
import { buildTimeline } from '../../../../../src/core/diagnose/service/timeline';
import { pathOfHealthCommand } from '../../../../../src/core/diagnose/service/causes';
import type { TaskDefFacts } from '../../../../../src/core/diagnose/facts';
import type { EcsService } from '../../../../../src/core/ecsTypes';
import { ago, NOW, service, stoppedTask, TD, TG } from './helpers';

const td = (hc: Partial<NonNullable<TaskDefFacts['containers'][number]['healthCheck']>> | undefined): TaskDefFacts => ({
  containers: [{ name: 'app', portMappings: [{ containerPort: 8080 }], secrets: [], ...(hc ? { healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], ...hc } } : {}) }],
});

describe('health-check arithmetic', () => {
  it('uses the documented defaults: interval 30 x retries 3, no startPeriod', () => {
    const a = healthArithmetic({ taskDef: td({}), hasLoadBalancer: false, groups: [] });
    assert.equal(a.containerBudget, 90);
    assert.equal(a.startPeriod, 0);
    assert.match(a.lines[1]!.text, /30 s × 3 = 90 s/);
  });

  it('says when the grace period is shorter than the startPeriod, and that they differ', () => {
    const a = healthArithmetic({ taskDef: td({ startPeriod: 120, interval: 10, retries: 3 }), gracePeriod: 30, hasLoadBalancer: true, targetGroup: { targetGroupArn: TG, healthCheckIntervalSeconds: 10, healthyThresholdCount: 3, unhealthyThresholdCount: 2 }, groups: [] });
    assert.equal(a.graceTooShort, true);
    assert.equal(a.suggestedGrace, 150);
    assert.equal(a.lbBudget, 50);
    assert.ok(a.lines.some((l) => l.warn && /shorter than the app's declared start-up time \(startPeriod 120 s\)/.test(l.text)));
    assert.ok(a.lines.some((l) => /startPeriod and the service healthCheckGracePeriodSeconds are different settings/.test(l.text)));
  });

  it('reads observed lifetimes: tasks stopped when the load balancer\'s budget ran out', () => {
    const groups = groupStopped(Array.from({ length: 3 }, () => stoppedTask({ lived: 70 })), NOW);
    const a = healthArithmetic({ taskDef: td({ startPeriod: 0 }), gracePeriod: 0, hasLoadBalancer: true, targetGroup: { targetGroupArn: TG, healthCheckIntervalSeconds: 30, unhealthyThresholdCount: 2 }, groups });
    assert.equal(a.graceTooShort, true);
    assert.ok(a.lines.some((l) => /lived/.test(l.label) && l.seconds === 70));
  });

  it('a grace period that covers the startPeriod raises nothing', () => {
    const a = healthArithmetic({ taskDef: td({ startPeriod: 60 }), gracePeriod: 120, hasLoadBalancer: true, groups: [] });
    assert.equal(a.graceTooShort, false);
    assert.ok(!a.lines.some((l) => l.warn));
  });

  it('finds the path the container\'s own check uses', () => {
    assert.deepEqual(pathOfHealthCommand(td({})), { path: '/health', port: 8080 });
  });
});

describe('service events and target health', () => {
  it('reads the codes, reason and port of an unhealthy-target event', () => {
    const e = readEvent({ createdAt: ago(10), message: `(service web) (task abc) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Health checks failed with these codes: [404]).` });
    assert.equal(e.kind, 'unhealthy-target');
    assert.deepEqual(e.codes, ['404']);
    assert.equal(e.port, 8080);
    assert.equal(e.targetGroup, TG);
  });
  it('reads placement failures, circuit-breaker failures and rollbacks', () => {
    assert.equal(readEvent({ message: '(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance x) has insufficient CPU units available.' }).placement, 'insufficient CPU units available');
    assert.equal(readEvent({ message: '(service web) (deployment ecs-svc/123) deployment failed: tasks failed to start.' }).deployment, 'ecs-svc/123');
    assert.equal(readEvent({ message: '(service web) rolling back to deployment ecs-svc/99.' }).kind, 'rolling-back');
    assert.equal(readEvent({ message: '(service web) has reached a steady state.' }).kind, 'steady-state');
  });
});

describe('memory patterns', () => {
  const series = (vals: number[], unit: 'MiB' | 'Percent' = 'Percent') => ({ source: 'test', unit, points: vals.map((v, i) => ({ t: NOW - (vals.length - i) * 60_000, v })) });
  it('too small from the start', () => {
    assert.equal(readMemory(series([92, 95, 97, 99, 30 + 60, 94, 96, 99])).pattern, 'too-small');
  });
  it('growing until killed (a sawtooth across restarts)', () => {
    const saw = [20, 35, 50, 65, 80, 95, 20, 35, 50, 65, 80, 96, 22, 37, 52, 67, 82, 97];
    assert.equal(readMemory(series(saw)).pattern, 'growing');
  });
  it('spikes', () => {
    assert.equal(readMemory(series([30, 32, 31, 95, 30, 29, 33, 31, 97, 30, 31, 32])).pattern, 'spikes');
  });
  it('MiB against the limit, with too few points unclear', () => {
    assert.equal(readMemory(series([490, 500, 505, 510, 500, 495], 'MiB'), 512, 256).pattern, 'too-small');
    assert.equal(readMemory(series([100, 200]), 512).pattern, 'unclear');
    assert.equal(readMemory(series([100, 200, 300, 400], 'MiB')).pattern, 'unclear');
  });
});

describe('stuckDeployment (the tree\'s and status\'s flag, from the description alone)', () => {
  const rollout = (createdAgo: number, runningCount: number, events: ServiceInput['events'] = []) =>
    service({ deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD(2), desiredCount: 2, runningCount, rolloutState: 'IN_PROGRESS', createdAt: ago(createdAgo) }, { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: TD(1), desiredCount: 2, runningCount: 2, rolloutState: 'COMPLETED', createdAt: ago(86400) }], events });
  it('a rollout in progress for 2 h without its new tasks running', () => {
    assert.deepEqual(stuckDeployment(rollout(7200, 0), NOW), { why: 'no-progress', ageMs: 7_200_000, text: 'deployment stuck: 2 h in progress' });
  });
  it('not before half an hour, nor once the new tasks all run', () => {
    assert.equal(stuckDeployment(rollout(600, 0), NOW), undefined);
    assert.equal(stuckDeployment(rollout(7200, 2), NOW), undefined);
  });
  it('tasks that cannot be placed since the rollout began, however young it is', () => {
    const ev = [{ createdAt: ago(60), message: '(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.' }];
    assert.equal(stuckDeployment(rollout(300, 0, ev), NOW)?.text, 'deployment stuck: tasks cannot be placed');
    // A placement failure from before this rollout says nothing about it.
    const old = [{ createdAt: ago(900), message: ev[0]!.message }];
    assert.equal(stuckDeployment(rollout(300, 0, old), NOW), undefined);
  });
  it('a placement failure stands while new tasks are missing, even after some started (ECS does not repeat it); not once all run or the service is steady', () => {
    const unable = '(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.';
    const started = '(service web) has started 1 tasks: (task 0123456789abcdef0123456789abcdef).';
    const steady = '(service web) has reached a steady state.';
    // Partial placement: one of two new tasks started after the failure, the other never did.
    assert.equal(stuckDeployment(rollout(360, 1, [{ createdAt: ago(200), message: started }, { createdAt: ago(300), message: unable }]), NOW)?.why, 'placement');
    assert.equal(stuckDeployment(rollout(360, 2, [{ createdAt: ago(200), message: started }, { createdAt: ago(300), message: unable }]), NOW), undefined);
    assert.equal(stuckDeployment(rollout(360, 1, [{ createdAt: ago(100), message: steady }, { createdAt: ago(300), message: unable }]), NOW), undefined);
    // Undated events (a thin endpoint): their order in the list (newest first) decides.
    assert.equal(stuckDeployment(rollout(360, 1, [{ message: steady }, { message: unable }]), NOW), undefined);
    assert.equal(stuckDeployment(rollout(360, 1, [{ message: unable }, { message: steady }]), NOW)?.why, 'placement');
    // No desired count (a thin endpoint): the unresolved failure still shows; "no progress" needs the count.
    const thin = service({ desiredCount: undefined, deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', runningCount: 0, createdAt: ago(7200) }], events: [{ createdAt: ago(300), message: unable }] });
    assert.equal(stuckDeployment(thin, NOW)?.why, 'placement');
    assert.equal(stuckDeployment({ ...thin, events: [] }, NOW), undefined);
  });
  it('a completed, failed or absent rollout is not stuck', () => {
    assert.equal(stuckDeployment(service(), NOW), undefined);
    assert.equal(stuckDeployment(service({ deployments: [{ status: 'PRIMARY', rolloutState: 'FAILED', createdAt: ago(7200) }] }), NOW), undefined);
    assert.equal(stuckDeployment(service({ deployments: [] }), NOW), undefined);
  });
  it('takes the explorer\'s own service shape (core/ecsTypes EcsService) as is', () => {
    const fromTree: EcsService = { serviceName: 'web', desiredCount: 2, runningCount: 1, deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', runningCount: 1, desiredCount: 2, createdAt: new Date(NOW - 3_600_000) }], events: [] };
    assert.equal(stuckDeployment(fromTree, NOW)?.why, 'no-progress');
  });
});

describe('timeline', () => {
  it('puts deployments, events and tasks on one axis, newest task bars kept', () => {
    const stopped = Array.from({ length: 200 }, (_, i) => stoppedTask({ stoppedAgo: 10 + i * 15, lived: 60 }));
    const groups = groupStopped(stopped, NOW);
    const t = buildTimeline({ now: NOW, deployments: service().deployments!, events: [readEvent({ createdAt: ago(30), message: '(service web) has reached a steady state.' })], stopped, running: [], groups });
    assert.equal(t.to, NOW);
    assert.equal(t.items.filter((x) => x.kind === 'task').length, 150);
    assert.equal(t.truncated, 50);
    assert.ok(t.items.some((x) => x.kind === 'deployment' && x.tone === 'primary'));
    assert.ok(t.items.every((x) => x.start >= t.from && (x.end ?? x.start) <= t.to));
  });
});
