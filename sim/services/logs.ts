// CloudWatch Logs (AWS JSON 1.1, X-Amz-Target Logs_20140328.*): the reads a diagnosis makes of
// awslogs output. Timestamps in this API are epoch milliseconds (numbers), not JSON 1.1 seconds.
// State: the scenario's `logs.groups[].streams[].events[]`.
import { paginate, SimError, type OpContext, type SimService } from '../protocol';
import type { ScenarioLogs } from '../types';

type Group = NonNullable<ScenarioLogs['groups']>[number];
type Stream = NonNullable<Group['streams']>[number];

function group(ctx: OpContext, name: unknown): Group {
  if (typeof name !== 'string' || !name) throw new SimError('InvalidParameterException', 'logGroupName is required.');
  const g = ctx.state.logs.groups?.find((x) => x.logGroupName === name);
  if (!g) throw new SimError('ResourceNotFoundException', 'The specified log group does not exist.');
  return g;
}

const ms = (ctx: OpContext, t: unknown) => ctx.state.time(t as string).getTime();

function events(ctx: OpContext, s: Stream) {
  return (s.events ?? []).map((e) => ({ timestamp: ms(ctx, e.timestamp), message: e.message })).sort((a, b) => a.timestamp - b.timestamp);
}

function arnOf(ctx: OpContext, g: Group): string {
  return `arn:aws:logs:${ctx.state.region}:${ctx.state.accountId}:log-group:${g.logGroupName}`;
}

export const logs: SimService = {
  name: 'logs',
  signingName: 'logs',
  protocol: 'json',
  targetPrefix: 'Logs_20140328',
  operations: {
    GetLogEvents(ctx) {
      const p = ctx.params;
      const g = group(ctx, p.logGroupName);
      const s = g.streams?.find((x) => x.logStreamName === p.logStreamName);
      if (!s) throw new SimError('ResourceNotFoundException', 'The specified log stream does not exist.');
      const limit = p.limit === undefined ? 10_000 : Number(p.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new SimError('InvalidParameterException', 'limit must be between 1 and 10000.');
      let all = events(ctx, s);
      if (p.startTime !== undefined) all = all.filter((e) => e.timestamp >= Number(p.startTime));
      if (p.endTime !== undefined) all = all.filter((e) => e.timestamp < Number(p.endTime));
      // startFromHead defaults to false: the newest `limit` events, oldest first.
      const page = p.startFromHead === true ? all.slice(0, limit) : all.slice(Math.max(0, all.length - limit));
      const ingest = ms(ctx, 'now');
      return {
        events: page.map((e) => ({ ...e, ingestionTime: Math.max(e.timestamp, ingest) })),
        nextForwardToken: `f/${String(all.length).padStart(56, '0')}/s`,
        nextBackwardToken: `b/${String(0).padStart(56, '0')}/s`,
      };
    },
    FilterLogEvents(ctx) {
      const p = ctx.params;
      const g = group(ctx, p.logGroupName);
      let streams = g.streams ?? [];
      if (Array.isArray(p.logStreamNames)) streams = streams.filter((s) => (p.logStreamNames as string[]).includes(s.logStreamName));
      if (typeof p.logStreamNamePrefix === 'string') streams = streams.filter((s) => s.logStreamName.startsWith(p.logStreamNamePrefix));
      // Filter patterns: quoted or plain terms, all of which must appear (the common case).
      const terms = typeof p.filterPattern === 'string' ? (p.filterPattern.match(/"[^"]*"|\S+/g) ?? []).map((t: string) => t.replace(/^"|"$/g, '')) : [];
      let all = streams.flatMap((s) => events(ctx, s).map((e) => ({ ...e, logStreamName: s.logStreamName })));
      all = all.filter((e) => terms.every((t: string) => e.message.includes(t)));
      if (p.startTime !== undefined) all = all.filter((e) => e.timestamp >= Number(p.startTime));
      if (p.endTime !== undefined) all = all.filter((e) => e.timestamp <= Number(p.endTime));
      all.sort((a, b) => a.timestamp - b.timestamp);
      const { page, nextToken } = paginate(all, {
        maxResults: p.limit,
        nextToken: p.nextToken,
        defaultSize: 10_000,
        maxSize: 10_000,
        filterKey: JSON.stringify([p.logGroupName, p.logStreamNames, p.logStreamNamePrefix, p.filterPattern]),
        validation: 'InvalidParameterException',
      });
      const ingest = ms(ctx, 'now');
      return {
        events: page.map((e, i) => ({ ...e, ingestionTime: Math.max(e.timestamp, ingest), eventId: `${e.timestamp}${String(i).padStart(8, '0')}` })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
    DescribeLogStreams(ctx) {
      const p = ctx.params;
      const g = group(ctx, p.logGroupName);
      let streams = (g.streams ?? []).map((s) => {
        const ev = events(ctx, s);
        const first = ev[0]?.timestamp;
        const last = ev[ev.length - 1]?.timestamp;
        return {
          logStreamName: s.logStreamName,
          creationTime: first ?? ms(ctx, g.creationTime ?? '-1h'),
          ...(first !== undefined ? { firstEventTimestamp: first, lastEventTimestamp: last, lastIngestionTime: last } : {}),
          arn: `${arnOf(ctx, g)}:log-stream:${s.logStreamName}`,
          storedBytes: 0,
        };
      });
      if (typeof p.logStreamNamePrefix === 'string') {
        if (p.orderBy === 'LastEventTime') throw new SimError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
        streams = streams.filter((s) => s.logStreamName.startsWith(p.logStreamNamePrefix));
      }
      if (p.orderBy === 'LastEventTime') streams.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0));
      else streams.sort((a, b) => a.logStreamName.localeCompare(b.logStreamName));
      if (p.descending === true) streams.reverse();
      const { page, nextToken } = paginate(streams, {
        maxResults: p.limit,
        nextToken: p.nextToken,
        defaultSize: 50,
        maxSize: 50,
        filterKey: JSON.stringify([p.logGroupName, p.logStreamNamePrefix, p.orderBy, p.descending]),
        validation: 'InvalidParameterException',
      });
      return { logStreams: page, ...(nextToken ? { nextToken } : {}) };
    },
    DescribeLogGroups(ctx) {
      const p = ctx.params;
      let groups = ctx.state.logs.groups ?? [];
      if (typeof p.logGroupNamePrefix === 'string') groups = groups.filter((g) => g.logGroupName.startsWith(p.logGroupNamePrefix));
      const { page, nextToken } = paginate([...groups].sort((a, b) => a.logGroupName.localeCompare(b.logGroupName)), {
        maxResults: p.limit,
        nextToken: p.nextToken,
        defaultSize: 50,
        maxSize: 50,
        filterKey: String(p.logGroupNamePrefix ?? ''),
        validation: 'InvalidParameterException',
      });
      return {
        logGroups: page.map((g) => ({
          logGroupName: g.logGroupName,
          arn: `${arnOf(ctx, g)}:*`,
          creationTime: ms(ctx, g.creationTime ?? '-1d'),
          ...(g.retentionInDays ? { retentionInDays: g.retentionInDays } : {}),
          ...(g.kmsKeyId ? { kmsKeyId: g.kmsKeyId } : {}),
          storedBytes: 0,
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
  },
};
