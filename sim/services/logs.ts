// CloudWatch Logs (AWS JSON 1.1, X-Amz-Target Logs_20140328.*): the reads a diagnosis makes of
// awslogs output. Timestamps in this API are epoch milliseconds (numbers), not JSON 1.1 seconds.
// State: the scenario's `logs.groups[].streams[].events[]`, and `live` streams that keep logging on
// the simulator's clock. StartLiveTail answers with an event stream (EventStreamAnswer, sim/protocol.ts)
// unless the scenario's `logs.liveTail` is false.
import { EventStreamAnswer, paginate, SimError, type OpContext, type SimService } from '../protocol';
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
  const all = (s.events ?? []).map((e) => ({ timestamp: ms(ctx, e.timestamp), message: e.message })).sort((a, b) => a.timestamp - b.timestamp);
  const live = s.live;
  if (live && live.everyMs > 0 && live.messages.length) {
    // Generated up to the simulator's clock, after the static events, so earlier indexes (tokens) stay valid.
    const from = ms(ctx, live.from ?? 'now');
    const end = Math.min(ctx.now(), live.until !== undefined ? ms(ctx, live.until) : Infinity);
    for (let k = 1; from + k * live.everyMs <= end; k++) {
      all.push({ timestamp: from + k * live.everyMs, message: live.messages[(k - 1) % live.messages.length]!.replace(/\{n\}/g, String(k)) });
    }
  }
  return all;
}

/** GetLogEvents tokens: "f/<index>/s" reads forward from an index of the stream's events, "b/<index>/s" backward from before it. */
const token = (dir: 'f' | 'b', index: number) => `${dir}/${String(index).padStart(56, '0')}/s`;
function parseToken(t: unknown): { dir: 'f' | 'b'; index: number } | undefined {
  if (t === undefined) return undefined;
  const m = typeof t === 'string' ? /^([fb])\/(\d{1,56})\/s$/.exec(t) : null;
  if (!m) throw new SimError('InvalidParameterException', 'The specified nextToken is invalid.');
  return { dir: m[1] as 'f' | 'b', index: Number(m[2]) };
}

/** A log group by name or by ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME, optionally ending in :*). */
function groupByIdentifier(ctx: OpContext, id: string): Group | undefined {
  const name = id.startsWith('arn:') ? id.replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '') : id;
  return ctx.state.logs.groups?.find((g) => g.logGroupName === name);
}

/** Live Tail sessions end after three hours (StartLiveTail in the CloudWatch Logs API reference). */
const LIVE_TAIL_MAX_MS = 3 * 3_600_000;

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
      const all = events(ctx, s);
      // The window [lo, hi) of startTime/endTime (end exclusive), then the token's side of it.
      let lo = 0;
      let hi = all.length;
      if (p.startTime !== undefined) while (lo < hi && all[lo]!.timestamp < Number(p.startTime)) lo++;
      if (p.endTime !== undefined) while (hi > lo && all[hi - 1]!.timestamp >= Number(p.endTime)) hi--;
      const t = parseToken(p.nextToken);
      let fromHead = p.startFromHead === true;
      if (t?.dir === 'f') {
        lo = Math.max(lo, Math.min(t.index, hi));
        fromHead = true;
      } else if (t?.dir === 'b') {
        hi = Math.min(hi, Math.max(t.index, lo));
        fromHead = false;
      }
      // startFromHead defaults to false: the newest `limit` events, oldest first.
      const start = fromHead ? lo : Math.max(lo, hi - limit);
      const end = fromHead ? Math.min(hi, lo + limit) : hi;
      const page = all.slice(start, end);
      const now = ctx.now();
      return {
        events: page.map((e) => ({ ...e, ingestionTime: Math.max(e.timestamp, Math.min(now, e.timestamp + 200)) })),
        nextForwardToken: token('f', end),
        nextBackwardToken: token('b', start),
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
    StartLiveTail(ctx) {
      const p = ctx.params;
      if (ctx.state.logs.liveTail === false) {
        throw new SimError('UnknownOperationException', 'StartLiveTail is not served by this endpoint.');
      }
      const ids: unknown = p.logGroupIdentifiers;
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 10) throw new SimError('InvalidParameterException', 'logGroupIdentifiers must name 1 to 10 log groups.');
      const groups = (ids as string[]).map((id) => {
        const g = groupByIdentifier(ctx, id);
        if (!g) throw new SimError('ResourceNotFoundException', `The specified log group does not exist: ${id}`);
        return { id, g };
      });
      const names: string[] | undefined = Array.isArray(p.logStreamNames) ? p.logStreamNames : undefined;
      const prefixes: string[] | undefined = Array.isArray(p.logStreamNamePrefixes) ? p.logStreamNamePrefixes : undefined;
      if (names && prefixes) throw new SimError('InvalidParameterException', 'Specify logStreamNames or logStreamNamePrefixes, not both.');
      const matches = (s: Stream) => (!names || names.includes(s.logStreamName)) && (!prefixes || prefixes.some((x) => s.logStreamName.startsWith(x)));
      // What each stream held when the session started: only events after it are sent.
      const seen = new Map<Stream, number>();
      for (const { g } of groups) for (const s of g.streams ?? []) if (matches(s)) seen.set(s, events(ctx, s).length);
      const started = ctx.now();
      const sessionId = ctx.newId('live-tail');
      return new EventStreamAnswer((io) => {
        io.event('sessionStart', { requestId: ctx.requestId, sessionId, logGroupIdentifiers: ids, ...(names ? { logStreamNames: names } : {}), ...(prefixes ? { logStreamNamePrefixes: prefixes } : {}) });
        // Every second a sessionUpdate, empty when nothing new arrived, at most 500 events.
        io.every(1000, () => {
          if (ctx.now() - started >= LIVE_TAIL_MAX_MS) {
            io.exception('SessionTimeoutException', 'The Live Tail session timed out after three hours.');
            return;
          }
          const results: Array<Record<string, unknown>> = [];
          for (const { id, g } of groups) {
            for (const s of g.streams ?? []) {
              if (!matches(s)) continue;
              const all = events(ctx, s);
              const from = seen.get(s) ?? 0;
              seen.set(s, all.length);
              for (const e of all.slice(from)) results.push({ logStreamName: s.logStreamName, logGroupIdentifier: id, message: e.message, timestamp: e.timestamp, ingestionTime: ctx.now() });
            }
          }
          results.sort((a, b) => (a.timestamp as number) - (b.timestamp as number));
          io.event('sessionUpdate', { sessionMetadata: { sampled: results.length > 500 }, sessionResults: results.slice(-500) });
        });
      });
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
