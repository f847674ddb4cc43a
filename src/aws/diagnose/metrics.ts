/**
 * Memory over time for the service doctor: one CloudWatch GetMetricData call asking for Container
 * Insights' service MemoryUtilized (MiB) and AWS/ECS MemoryUtilization (%), the maximum per
 * minute over the last hour. Needs cloudwatch:GetMetricData.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
 */
import { clusterNameOf } from '../../core/arn';
import type { MemorySeries } from '../../core/diagnose/service';
import type { AwsSession } from '../session';
import { call } from './guard';

export async function memorySeries(session: AwsSession, cluster: string, service: string, now: number, windowMs = 3_600_000): Promise<MemorySeries[]> {
  const mod = await import('@aws-sdk/client-cloudwatch');
  const client = session.client(mod.CloudWatchClient);
  const dims = [
    { Name: 'ClusterName', Value: clusterNameOf(cluster) },
    { Name: 'ServiceName', Value: service },
  ];
  const out = await call('cloudwatch:GetMetricData', () =>
    client.send(
      new mod.GetMetricDataCommand({
        StartTime: new Date(now - windowMs),
        EndTime: new Date(now),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          { Id: 'utilized', MetricStat: { Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'MemoryUtilized', Dimensions: dims }, Period: 60, Stat: 'Maximum' } },
          { Id: 'utilization', MetricStat: { Metric: { Namespace: 'AWS/ECS', MetricName: 'MemoryUtilization', Dimensions: dims }, Period: 60, Stat: 'Maximum' } },
        ],
      }),
    ),
  );
  const series: MemorySeries[] = [];
  for (const r of out.MetricDataResults ?? []) {
    const ts = r.Timestamps ?? [];
    const vs = r.Values ?? [];
    const points = ts.map((t, i) => ({ t: new Date(t).getTime(), v: vs[i] ?? NaN })).filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v));
    if (r.Id === 'utilized') series.push({ source: 'ECS/ContainerInsights MemoryUtilized (Maximum, 1 min)', unit: 'MiB', points });
    else if (r.Id === 'utilization') series.push({ source: 'AWS/ECS MemoryUtilization (Maximum, 1 min)', unit: 'Percent', points });
  }
  return series;
}
