// diagnoseTask() and listDiagnosableTasks() against the simulator: fetch, classify, collect the
// relevant evidence, fold it; what happens when the task or its definition cannot be read.
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import { diagnoseErrorMessage, diagnoseTask, listDiagnosableTasks, TaskNotFoundError } from '../../../../src/aws/diagnose';
import type { AwsSession } from '../../../../src/aws/session';
import type { Simulator } from '../../../../sim/server';
import { CLUSTER, startDiagnoseSim, T } from '../../helpers/diagnoseSim';

describe('diagnoseTask (simulator)', () => {
  let sim: Simulator;
  let session: AwsSession;
  let stop: () => Promise<void>;

  before(async () => {
    ({ sim, session, stop } = await startDiagnoseSim());
  });
  after(async () => stop());
  afterEach(() => sim.setFaults({ accessDenied: [] }));

  it('classifies a missing tag; the ECR evidence fits its three causes without picking one', async () => {
    const r = await diagnoseTask(session, CLUSTER, T(1));
    const d = r.diagnosis;
    assert.equal(d.taskArn, `arn:aws:ecs:us-east-1:123456789012:task/diag/${T(1)}`);
    assert.equal(d.category, 'CannotPullContainerError');
    const rows = d.evidence!;
    assert.deepEqual(rows.slice(0, 2).map((e) => e.check), ['task-fields', 'task-definition']);
    const ecr = rows.find((e) => e.check === 'ecr-image')!;
    assert.equal(ecr.status, 'fail');
    assert.ok(d.verdict, 'a verdict is set once evidence is folded in');
    // The tag is missing: never pushed, deleted or mistyped all fit, and no check tells them apart.
    const tagCauses = d.causes.filter((c) => ['tag-missing', 'tag-expired', 'tag-typo'].includes(c.id));
    assert.equal(tagCauses.length, 3, JSON.stringify(d.causes));
    for (const c of tagCauses) {
      assert.equal(c.status, 'likely', c.id);
      assert.ok(c.because?.some((b) => b.includes('has no image with tag')), c.id);
    }
    assert.ok(!d.causes.some((c) => c.status === 'confirmed'), 'one failed check does not confirm three alternatives');
    assert.match(d.verdict!, /^A check found the problem: .*has no image with tag v2-missing[^.]*\. It fits 3 of the likely causes/);
    assert.equal(r.region, 'us-east-1');
    assert.equal(r.task.subnetId, 'subnet-0diag0000000000nat');
  });

  it('runs only the checks the diagnosis asks for (plus the task fields, task definition and service)', async () => {
    const r = await diagnoseTask(session, CLUSTER, T(6));
    const asked = new Set([...r.diagnosis.checks, 'task-fields', 'task-definition']);
    for (const e of r.diagnosis.evidence!) assert.ok(asked.has(e.check), `${e.check} was not asked for`);
  });

  it('diagnoses a running task failing its health checks with the health check, logs and target group', async () => {
    const r = await diagnoseTask(session, CLUSTER, T(14));
    const checks = new Set(r.diagnosis.evidence!.map((e) => e.check));
    for (const c of ['container-health-check', 'logs', 'target-group', 'service-events'] as const) assert.ok(checks.has(c), `missing ${c}`);
    assert.equal(r.task.lastStatus, 'RUNNING');
  });

  it('names a task that is gone, and the one-hour window', async () => {
    await assert.rejects(diagnoseTask(session, CLUSTER, 'ffffffffffffffffffffffffffffffff'), (err: unknown) => {
      assert.ok(err instanceof TaskNotFoundError);
      assert.match(diagnoseErrorMessage(err), /Task ffffffffffffffffffffffffffffffff was not found in cluster diag \(MISSING\)\. Stopped tasks stay visible for about an hour/);
      return true;
    });
  });

  it('rejects an empty cluster or task with a clear message', async () => {
    await assert.rejects(diagnoseTask(session, ' ', T(1)), /cluster name or ARN is needed/);
    await assert.rejects(diagnoseTask(session, CLUSTER, ''), /task id or ARN is needed/);
  });

  it('cannot start without ecs:DescribeTasks, and says so', async () => {
    sim.setFaults({ accessDenied: [{ operation: 'ecs:DescribeTasks' }] });
    await assert.rejects(diagnoseTask(session, CLUSTER, T(1)), (err: unknown) => {
      assert.equal(diagnoseErrorMessage(err), 'Could not read the task (needs ecs:DescribeTasks).');
      return true;
    });
  });

  it('without ecs:DescribeTaskDefinition, the checks that need it are skipped, naming the permission, and the rest still run', async () => {
    sim.setFaults({ accessDenied: [{ operation: 'ecs:DescribeTaskDefinition' }] });
    const r = await diagnoseTask(session, CLUSTER, T(1));
    const rows = r.diagnosis.evidence!;
    const td = rows.find((e) => e.check === 'task-definition')!;
    assert.equal(td.status, 'skipped');
    assert.equal(td.missingPermission, 'ecs:DescribeTaskDefinition');
    assert.equal(rows.find((e) => e.check === 'task-fields')!.status, 'pass');
    // The image comes from describe-tasks too, so the ECR check still runs.
    const ecr = rows.find((e) => e.check === 'ecr-image');
    if (ecr) assert.equal(ecr.status, 'fail');
    for (const e of rows.filter((x) => ['secrets', 'execution-role', 'memory', 'logs'].includes(x.check))) {
      assert.equal(e.status, 'skipped', e.check);
      assert.equal(e.missingPermission, 'ecs:DescribeTaskDefinition', e.check);
    }
  });

  it('without ecs:DescribeServices, the service checks are skipped with the permission', async () => {
    sim.setFaults({ accessDenied: [{ operation: 'ecs:DescribeServices' }] });
    const r = await diagnoseTask(session, CLUSTER, T(8));
    const svc = r.diagnosis.evidence!.filter((e) => e.check === 'service-events');
    assert.ok(svc.length >= 1);
    for (const e of svc) assert.equal(e.missingPermission, 'ecs:DescribeServices');
    // The target group is still found from the stop reason.
    assert.ok(r.diagnosis.evidence!.some((e) => e.check === 'target-group' && /Target type/.test(e.title ?? '') && e.status === 'fail'));
  });

  it('never puts a secret value in the diagnosis', async () => {
    for (const n of [1, 4]) {
      const r = await diagnoseTask(session, CLUSTER, T(n));
      assert.doesNotMatch(JSON.stringify(r), /never-shown|AQICAH/);
    }
  });
});

describe('listDiagnosableTasks (simulator)', () => {
  let sim: Simulator;
  let session: AwsSession;
  let stop: () => Promise<void>;
  before(async () => {
    ({ sim, session, stop } = await startDiagnoseSim());
  });
  after(async () => stop());

  it('lists stopped tasks and running tasks failing health checks, newest first', async () => {
    const tasks = await listDiagnosableTasks(session, CLUSTER);
    const ids = tasks.map((t) => t.taskId);
    assert.ok(ids.includes(T(1)) && ids.includes(T(17)) && ids.includes(T(14)));
    const times = tasks.map((t) => Date.parse(t.time!));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const running = tasks.filter((t) => t.lastStatus === 'RUNNING');
    assert.deepEqual(running.map((t) => t.taskId), [T(14)], 'healthy running tasks are not offered');
    const oom = tasks.find((t) => t.taskId === T(7))!;
    assert.equal(oom.stopCode, 'EssentialContainerExited');
    assert.deepEqual(oom.container, { name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' });
    assert.equal(tasks.find((t) => t.taskId === T(8))!.service, 'web-bad');
    assert.ok(sim.callsTo('ecs:ListTasks').some((c) => (c.params as { desiredStatus?: string }).desiredStatus === 'STOPPED'));
  });

  it('respects max', async () => {
    assert.equal((await listDiagnosableTasks(session, CLUSTER, { max: 3 })).length, 3);
  });
});
