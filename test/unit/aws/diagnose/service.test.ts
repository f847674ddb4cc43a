// The service doctor's collectors against the simulator: every ECS call through the data layer,
// the calls it makes (the floor: ListTasks pages, DescribeTasks batches, the evidence side by
// side), CloudWatch GetMetricData from scenario metrics, and failures that become "not checked".
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { AwsSession } from '../../../../src/aws/session';
import { diagnoseService, ServiceNotFoundError } from '../../../../src/aws/diagnose/service';
import { memorySeries } from '../../../../src/aws/diagnose/metrics';
import { startSimulator, type Simulator } from '../../../../sim/server';
import type { ScenarioData } from '../../../../sim/types';

process.env.AWS_ACCESS_KEY_ID ??= 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY ??= 'simulator-secret-key';
delete process.env.AWS_PROFILE;

describe('service doctor collectors (simulator)', () => {
  let sim: Simulator;
  let session: AwsSession;
  before(async () => {
    sim = await startSimulator({ scenario: 'service-doctor' });
    session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
  });
  after(async () => {
    session.dispose();
    await sim.stop();
  });

  it('reads the service, its tasks of both statuses, the task definition and the target group, then explains the newest stop', async () => {
    sim.clearCalls();
    const r = await diagnoseService(session, 'doctor', 'loop');
    assert.equal(r.verdict.kind, 'restart-loop');
    assert.equal(r.stoppedTasks.count, 14);
    const ops = sim.calls.map((c) => `${c.service}:${c.operation}`);
    for (const op of ['ecs:DescribeServices', 'ecs:ListTasks', 'ecs:DescribeTasks', 'ecs:DescribeTaskDefinition', 'elbv2:DescribeTargetGroups', 'elbv2:DescribeTargetHealth']) assert.ok(ops.includes(op), `${op} in ${ops.join(', ')}`);
    const lists = sim.callsTo('ListTasks').map((c) => c.params.desiredStatus).sort();
    assert.deepEqual(lists, ['RUNNING', 'STOPPED']);
    assert.ok(!ops.includes('monitoring:GetMetricData'), 'memory is read only for out-of-memory stops');
    assert.equal(r.dominant?.group, 'ElbHealthCheckFailed/target-group');
  });

  it('reads memory with GetMetricData for out-of-memory stops', async () => {
    sim.clearCalls();
    const r = await diagnoseService(session, 'doctor', 'oom');
    assert.equal(sim.callsTo('GetMetricData').length, 1);
    assert.equal(r.memory?.pattern, 'growing');
    assert.equal(r.memory?.limitMiB, 512);
    assert.equal(r.memory?.reservationMiB, 256);
    assert.equal(r.evidence.find((e) => e.check === 'memory')?.status, 'fail');
  });

  it('memorySeries: Container Insights MiB and AWS/ECS percent, oldest first', async () => {
    const s = await memorySeries(session, 'doctor', 'oom', Date.now());
    const mib = s.find((x) => x.unit === 'MiB');
    assert.ok(mib && mib.points.length >= 55, JSON.stringify(s.map((x) => x.points.length)));
    assert.ok(mib.points.every((p, i) => i === 0 || p.t >= mib.points[i - 1]!.t));
    const percent = s.find((x) => x.unit === 'Percent');
    assert.ok(percent && percent.points.length >= 55, 'AWS/ECS MemoryUtilization: the hungriest task, in percent of its own memory');
  });

  it('CloudWatch denied: memory "not checked" with cloudwatch:GetMetricData, the verdict unchanged', async () => {
    sim.setFaults({ accessDenied: [{ operation: 'GetMetricData' }] });
    try {
      const r = await diagnoseService(session, 'doctor', 'oom');
      const m = r.evidence.find((e) => e.check === 'memory');
      assert.equal(m?.status, 'skipped');
      assert.equal(m?.missingPermission, 'cloudwatch:GetMetricData');
      assert.equal(r.verdict.kind, 'restart-loop');
    } finally {
      sim.setFaults({ accessDenied: [] });
    }
  });

  it('ELBv2 and task-definition reads denied: "not checked", verdict from ECS alone', async () => {
    sim.setFaults({ accessDenied: [{ operation: 'DescribeTargetGroups' }, { operation: 'DescribeTargetHealth' }, { operation: 'DescribeTaskDefinition' }] });
    try {
      const r = await diagnoseService(session, 'doctor', 'loop');
      assert.equal(r.verdict.kind, 'restart-loop');
      const rows = r.evidence.filter((e) => e.status === 'skipped').map((e) => e.missingPermission);
      for (const p of ['elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTargetGroups', 'ecs:DescribeTaskDefinition']) assert.ok(rows.includes(p), `${p} in ${rows.join(', ')}`);
    } finally {
      sim.setFaults({ accessDenied: [] });
    }
  });

  it('a thin endpoint (moto/LocalStack behaviour) gives the same verdicts', async () => {
    sim.setFaults({ thin: true });
    try {
      assert.equal((await diagnoseService(session, 'doctor', 'fine')).verdict.kind, 'healthy');
      const loop = await diagnoseService(session, 'doctor', 'loop');
      assert.equal(loop.verdict.kind, 'restart-loop');
      assert.equal(loop.stoppedTasks.count, 14);
    } finally {
      sim.setFaults({ thin: false });
    }
  });

  it('throws in words when the service does not exist or may not be read', async () => {
    await assert.rejects(diagnoseService(session, 'doctor', 'nope'), ServiceNotFoundError);
    sim.setFaults({ accessDenied: [{ operation: 'DescribeServices' }] });
    try {
      await assert.rejects(diagnoseService(session, 'doctor', 'loop'), /needs ecs:DescribeServices/);
    } finally {
      sim.setFaults({ accessDenied: [] });
    }
  });
});

describe('service doctor: 1,000 stopped tasks', () => {
  it('makes the floor of calls: 10 ListTasks pages and 10 DescribeTasks for the stopped, one page for the running', async () => {
    const data: ScenarioData = {
      taskDefinitions: [{ family: 'web', revision: 1, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx:1.27', essential: true }] }],
      clusters: [
        {
          name: 'big',
          services: [{ name: 'churn', taskDefinition: 'web:1', desiredCount: 2, runningTasks: 2 }],
          tasks: [{ service: 'churn', lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', createdAt: '-20m', startedAt: '-19m', stoppedAt: '-15m', containers: [{ name: 'app', exitCode: 1 }], count: 1000 }],
        },
      ],
    };
    const sim = await startSimulator({ scenario: data });
    const session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
    try {
      const r = await diagnoseService(session, 'big', 'churn', { explainDominant: false });
      assert.equal(r.stoppedTasks.count, 1000);
      assert.equal(r.verdict.kind, 'restart-loop');
      const stoppedLists = sim.callsTo('ListTasks').filter((c) => c.params.desiredStatus === 'STOPPED');
      assert.equal(stoppedLists.length, 10);
      assert.equal(sim.callsTo('ListTasks').length, 11);
      assert.equal(sim.callsTo('DescribeTasks').length, 11);
      assert.equal(sim.callsTo('DescribeServices').length, 1);
      assert.equal(sim.callsTo('DescribeTaskDefinition').length, 1);
    } finally {
      session.dispose();
      await sim.stop();
    }
  });
});
