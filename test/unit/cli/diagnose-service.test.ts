// `ecs-doctor diagnose --service` against the simulator's service-doctor scenario: each verdict,
// the exit codes, the JSON shape, usage errors, and what a missing permission turns into.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { fakeIO } from './fakeIO';
import { startSimulator, type Simulator } from '../../../sim/server';

process.env.AWS_ACCESS_KEY_ID ??= 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY ??= 'simulator-secret-key';
delete process.env.AWS_PROFILE;

const io = () => fakeIO({ env: process.env });

interface Json {
  service: string;
  verdict: { kind: string; summary: string; why?: string; from?: string; to?: string };
  stoppedTasks: { count: number; byCategory: Record<string, number>; groups: Array<{ category: string; count: number; lifetimes: { median?: number } }> };
  deployments: unknown[];
  evidence: Array<{ check: string; status: string; detail: string; missingPermission?: string }>;
  causes: Array<{ id: string; text: string; status: string }>;
  fixes: Array<{ text: string; command?: string }>;
  memory?: { pattern: string };
}

describe('ecs-doctor diagnose --service (simulator)', () => {
  let sim: Simulator;
  let base: string[];
  before(async () => {
    sim = await startSimulator({ scenario: 'service-doctor' });
    base = ['diagnose', '--cluster', 'doctor', '--endpoint-url', sim.url, '--region', 'us-east-1'];
  });
  after(async () => sim.stop());

  async function json(service: string): Promise<{ code: number; j: Json; err: string }> {
    const c = io();
    const code = await main([...base, '--service', service, '--format', 'json'], c);
    return { code, j: JSON.parse(c.out || '{}') as Json, err: c.err };
  }

  it('prints the issue\'s JSON shape', async () => {
    const { j, err } = await json('loop');
    assert.equal(err, '');
    for (const k of ['service', 'verdict', 'stoppedTasks', 'deployments', 'evidence', 'causes', 'fixes']) assert.ok(k in j, `missing ${k}`);
    assert.equal(j.service, 'loop');
    assert.equal(typeof j.verdict.kind, 'string');
    assert.equal(typeof j.verdict.summary, 'string');
    assert.equal(typeof j.stoppedTasks.count, 'number');
    assert.ok(Array.isArray(j.stoppedTasks.groups));
    assert.ok(j.evidence.every((e) => typeof e.check === 'string' && ['pass', 'fail', 'skipped'].includes(e.status) && typeof e.detail === 'string'));
  });

  it('restart-loop: 14 tasks stopped by the load balancer in the last hour, 404 on the health path', async () => {
    const { code, j } = await json('loop');
    assert.equal(code, 1);
    assert.equal(j.verdict.kind, 'restart-loop');
    assert.equal(j.stoppedTasks.count, 14);
    assert.deepEqual(j.stoppedTasks.byCategory, { ElbHealthCheckFailed: 14 });
    assert.equal(j.stoppedTasks.groups[0]!.lifetimes.median, 240);
    const path = j.causes.find((c) => c.id === 'health-check-path');
    assert.ok(path, JSON.stringify(j.causes));
    assert.equal(path.status, 'confirmed');
    assert.match(path.text, /not on the health-check path/);
    const fix = j.fixes.find((f) => f.command?.startsWith('aws elbv2 modify-target-group'));
    assert.ok(fix);
    assert.equal(fix.command, 'aws elbv2 modify-target-group --target-group-arn arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/loop-tg/5e0a1b2c3d4e5f60 --health-check-path /health');
    assert.equal(j.evidence.find((e) => e.check === 'target-health')?.status, 'fail');
  });

  it('restart-loop of out-of-memory kills reads memory growing until killed', async () => {
    const { code, j } = await json('oom');
    assert.equal(code, 1);
    assert.equal(j.verdict.kind, 'restart-loop');
    assert.equal(j.stoppedTasks.byCategory.OutOfMemoryError, 8);
    assert.equal(j.memory?.pattern, 'growing');
  });

  it('deployment-stuck: minimumHealthyPercent 100 and maximumPercent 100 with desired 1', async () => {
    const { code, j } = await json('stuck');
    assert.equal(code, 1);
    assert.equal(j.verdict.kind, 'deployment-stuck');
    assert.match(j.verdict.why ?? '', /deployment configuration cannot make progress/);
    assert.ok(j.fixes.some((f) => f.command === 'aws ecs update-service --cluster doctor --service stuck --deployment-configuration maximumPercent=200,minimumHealthyPercent=100'));
  });

  it('deployment-stuck: tasks cannot be placed', async () => {
    const { j } = await json('placing');
    assert.equal(j.verdict.kind, 'deployment-stuck');
    assert.match(j.verdict.why ?? '', /cannot be placed: You've reached the limit/);
  });

  it('deployment-failed: from web:2 back to web:1, with the circuit breaker\'s reason', async () => {
    const { code, j } = await json('rollback');
    assert.equal(code, 1);
    assert.equal(j.verdict.kind, 'deployment-failed');
    assert.equal(j.verdict.from, 'web:2');
    assert.equal(j.verdict.to, 'web:1');
    assert.match(j.verdict.why ?? '', /tasks failed to start/);
    assert.ok(j.fixes.some((f) => f.command === 'aws ecs describe-task-definition --task-definition web:2'));
  });

  it('unhealthy: running tasks UNHEALTHY, the linter finds the health check on the wrong port', async () => {
    const { code, j } = await json('sick');
    assert.equal(code, 1);
    assert.equal(j.verdict.kind, 'unhealthy');
    assert.ok(j.causes.some((c) => c.id === 'lint:health-check/port-mismatch' && c.status === 'confirmed'), JSON.stringify(j.causes));
  });

  it('under-capacity: 1 of 3 running, placement says why', async () => {
    const { code, j } = await json('short');
    assert.equal(code, 1);
    assert.equal(j.verdict.kind, 'under-capacity');
    assert.match(j.verdict.summary, /1 of 3 tasks running: tasks cannot be placed/);
  });

  it('healthy exits 0', async () => {
    const { code, j } = await json('fine');
    assert.equal(j.verdict.kind, 'healthy');
    assert.equal(code, 0);
  });

  it('text and markdown lead with the verdict', async () => {
    const t = io();
    assert.equal(await main([...base, '--service', 'loop'], t), 1);
    assert.match(t.out, /^Service loop \(cluster doctor, us-east-1\)\nVerdict: restart-loop\n/);
    assert.match(t.out, /\n {5}\$ aws elbv2 modify-target-group/);
    const m = io();
    await main([...base, '--service', 'loop', '--format', 'markdown'], m);
    assert.match(m.out, /^# Service loop: restart-loop\n/);
  });

  it('bad usage exits 2; an unknown service exits 1 in words', async () => {
    const a = io();
    assert.equal(await main([...base, '--service', 'loop', '--format', 'yaml'], a), 2);
    assert.match(a.err, /--format must be one of text, json, markdown/);
    const b = io();
    assert.equal(await main(['diagnose', '--service', 'loop'], b), 2);
    assert.match(b.err, /--cluster is required/);
    const c = io();
    assert.equal(await main([...base, '--service', 'nope'], c), 1);
    assert.match(c.err, /Service nope was not found in cluster doctor/);
    assert.doesNotMatch(c.err, /at .+\.js:\d+/);
  });

  it('a missing permission is "not checked" with the permission, and the verdict stands on ECS alone', async () => {
    sim.setFaults({ accessDenied: [{ operation: 'DescribeTargetHealth' }, { operation: 'ecs:ListTasks' }] });
    try {
      const { code, j } = await json('loop');
      assert.equal(code, 1);
      const th = j.evidence.find((e) => e.check === 'target-health');
      assert.equal(th?.status, 'skipped');
      assert.equal(th?.missingPermission, 'elasticloadbalancing:DescribeTargetHealth');
      const st = j.evidence.find((e) => e.check === 'stopped-tasks');
      assert.equal(st?.status, 'skipped');
      assert.equal(st?.missingPermission, 'ecs:ListTasks');
      // The events still show the loop.
      assert.equal(j.verdict.kind, 'restart-loop');
    } finally {
      sim.setFaults({ accessDenied: [] });
    }
  });
});
