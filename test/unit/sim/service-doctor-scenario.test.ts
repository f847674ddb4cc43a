// The 'service-doctor' scenario keeps its promises (sim/README.md): one service per verdict as
// ECS shows it after the fact, stopped tasks inside ECS's one-hour window, events in ECS's
// wording; and the simulator's CloudWatch answers GetMetricData from the scenario's series.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ManualClock, startSimulator, type Simulator } from '../../../sim/server';

describe('scenario: service-doctor', () => {
  let sim: Simulator;
  const clock = new ManualClock(Date.parse('2026-06-01T12:00:00Z'));
  before(async () => {
    sim = await startSimulator({ scenario: 'service-doctor', clock });
  });
  after(async () => sim.stop());

  it('has one service per verdict', () => {
    const names = [...sim.state.ecs.clusters.get('doctor')!.services.keys()].sort();
    assert.deepEqual(names, ['fine', 'loop', 'oom', 'placing', 'rollback', 'short', 'sick', 'stuck']);
  });

  it('every stopped task stopped within the last hour, after it started', () => {
    const tasks = [...sim.state.ecs.clusters.get('doctor')!.tasks.values()].filter((t) => t.lastStatus === 'STOPPED');
    assert.equal(tasks.length, 14 + 8 + 3);
    for (const t of tasks) {
      assert.ok(t.stoppedAt && t.startedAt, t.taskArn);
      assert.ok(clock.now() - t.stoppedAt.getTime() < 3_600_000, t.taskArn);
      assert.ok(t.startedAt.getTime() < t.stoppedAt.getTime(), t.taskArn);
    }
  });

  it('service events use ECS\'s wording, newest first', () => {
    for (const svc of sim.state.ecs.clusters.get('doctor')!.services.values()) {
      const ev = svc.events ?? [];
      assert.ok(ev.length, svc.serviceName);
      for (const e of ev) assert.match(e.message ?? '', new RegExp(`^\\(service ${svc.serviceName}\\) `));
      const times = ev.map((e) => e.createdAt!.getTime());
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
    }
  });

  it('CloudWatch GetMetricData answers the oom service\'s memory, oldest first when asked', async () => {
    const cw = new CloudWatchClient(sim.clientConfig());
    try {
      const out = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(clock.now() - 3_600_000),
          EndTime: new Date(clock.now()),
          ScanBy: 'TimestampAscending',
          MetricDataQueries: [
            { Id: 'm', MetricStat: { Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'MemoryUtilized', Dimensions: [{ Name: 'ClusterName', Value: 'doctor' }, { Name: 'ServiceName', Value: 'oom' }] }, Period: 60, Stat: 'Maximum' } },
            { Id: 'none', MetricStat: { Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'MemoryUtilized', Dimensions: [{ Name: 'ClusterName', Value: 'doctor' }, { Name: 'ServiceName', Value: 'fine' }] }, Period: 60, Stat: 'Maximum' } },
          ],
        }),
      );
      const m = out.MetricDataResults!.find((r) => r.Id === 'm')!;
      // One point a minute from -59 min to now; EndTime is exclusive, so the one at now is left out.
      assert.equal(m.Timestamps!.length, 59);
      assert.equal(m.Values!.length, 59);
      const ts = m.Timestamps!.map((t) => t.getTime());
      assert.deepEqual(ts, [...ts].sort((a, b) => a - b));
      assert.equal(out.MetricDataResults!.find((r) => r.Id === 'none')!.Values!.length, 0);
      await assert.rejects(cw.send(new GetMetricDataCommand({ StartTime: new Date(clock.now()), EndTime: new Date(clock.now() - 1), MetricDataQueries: [{ Id: 'x', Expression: 'm1' }] })), /StartTime must be before EndTime/);
    } finally {
      cw.destroy();
    }
  });
});
