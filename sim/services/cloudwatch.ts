// Amazon CloudWatch metrics (AWS JSON 1.0 with the awsQuery-compatible error header, X-Amz-Target
// GraniteServiceVersion20100801.*, as @aws-sdk/client-cloudwatch speaks it): GetMetricData, the
// one read the service doctor makes (memory over time, Container Insights / AWS/ECS). Series come
// from the scenario's `cloudwatch.metrics`; each query returns the points of the series with the
// same namespace, metric name and dimensions inside [StartTime, EndTime), newest first as
// CloudWatch's default ScanBy TimestampDescending. The statistic and period are not re-aggregated:
// the scenario's points are already per period.
// API: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
import { SimError, type OpContext, type SimService } from '../protocol';

interface Query {
  Id?: string;
  Label?: string;
  ReturnData?: boolean;
  MetricStat?: { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] }; Period?: number; Stat?: string };
  Expression?: string;
}

const seconds = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string' && v) {
    const n = Date.parse(v);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
};

function answer(ctx: OpContext, q: Query, from: number, to: number, ascending: boolean) {
  const m = q.MetricStat?.Metric;
  if (!q.Id) throw new SimError('ValidationError', 'The parameter MetricDataQueries.member.Id is required.');
  if (!m?.Namespace || !m.MetricName) {
    if (q.Expression) return { Id: q.Id, Label: q.Label ?? q.Id, Timestamps: [], Values: [], StatusCode: 'Complete' };
    throw new SimError('ValidationError', 'Each query needs a MetricStat with a Metric (Namespace and MetricName) or an Expression.');
  }
  const dims = Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
  const series = (ctx.state.cloudwatch.metrics ?? []).find(
    (s) => s.namespace === m.Namespace && s.metricName === m.MetricName && Object.keys(s.dimensions).length === Object.keys(dims).length && Object.entries(s.dimensions).every(([k, v]) => dims[k] === v),
  );
  const points = (series?.points ?? [])
    .map((p) => ({ t: ctx.state.time(p.t).getTime(), v: p.v }))
    .filter((p) => p.t >= from && p.t < to)
    .sort((a, b) => (ascending ? a.t - b.t : b.t - a.t));
  return { Id: q.Id, Label: q.Label ?? m.MetricName, Timestamps: points.map((p) => p.t / 1000), Values: points.map((p) => p.v), StatusCode: 'Complete' };
}

export const cloudwatch: SimService = {
  name: 'monitoring',
  signingName: 'monitoring',
  protocol: 'json',
  targetPrefix: 'GraniteServiceVersion20100801',
  operations: {
    GetMetricData(ctx) {
      const p = ctx.params;
      const queries = (p.MetricDataQueries ?? []) as Query[];
      if (!Array.isArray(queries) || !queries.length || queries.length > 500) throw new SimError('ValidationError', 'MetricDataQueries must hold 1 to 500 queries.');
      const from = seconds(p.StartTime);
      const to = seconds(p.EndTime);
      if (from === undefined || to === undefined || from >= to) throw new SimError('ValidationError', 'StartTime must be before EndTime.');
      const ascending = p.ScanBy === 'TimestampAscending';
      return { MetricDataResults: queries.filter((q) => q.ReturnData !== false).map((q) => answer(ctx, q, from, to, ascending)), Messages: [] };
    },
  },
};
