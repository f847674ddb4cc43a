/**
 * A task's container logs, the part that crosses the network: the task and its task definition
 * (through the ECS data layer), the newest lines of each container's awslogs stream
 * (CloudWatch Logs GetLogEvents, in parallel: one round trip), older pages on demand (the
 * backward token), and following: CloudWatch Logs StartLiveTail where the endpoint serves it,
 * paced GetLogEvents polling with the forward token otherwise. What the lines mean and how they
 * look is src/core/logs/.
 *
 * Pacing: CloudWatch Logs throttles GetLogEvents and DescribeLogStreams at 25 transactions per
 * second per account and Region (CloudWatch Logs quotas,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html); every
 * call here takes a token from a bucket of that size, shared by everything a session reads.
 *
 * StartLiveTail (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartLiveTail.html)
 * answers with an event stream over HTTP/1.1 (the SDK's NodeHttpHandler reads it as it arrives):
 * one sessionStart, then a sessionUpdate every second. The SDK sends it to the `streaming-`
 * host prefix of the Region's endpoint; with a custom endpoint (LocalStack, the simulator) the
 * prefix is turned off, and an endpoint that does not serve it makes us poll instead.
 *
 * Log lines are kept in memory only; nothing here writes them anywhere.
 */
import type { Task } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient as LogsClient, OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { accountOf, parseArn, taskIdOf } from '../core/arn';
import { errorName, isAccessDenied, userMessage } from '../core/awsErrors';
import { timeOf } from '../core/ecsTypes';
import {
  explainMissing,
  mergeByTime,
  resolveLogSources,
  stoppedStatus,
  type AwsLogsSource,
  type LogLine,
  type LogSource,
  type LogTask,
  type LogTaskDefinition,
} from '../core/logs';
import { ecsDataOf } from './ecs';
import { realClock, TokenBucket, type Clock } from './pacer';
import type { AwsSession } from './session';

/** CloudWatch Logs quotas: GetLogEvents and DescribeLogStreams, 25 TPS per account and Region. */
export const LOGS_THROTTLE = { burst: 25, rate: 25 } as const;
/** Lines read per stream when a document opens (GetLogEvents allows up to 10,000). */
export const DEFAULT_LIMIT = 200;
/** How often polling asks for new lines. */
export const DEFAULT_POLL_MS = 2000;
/** How often a follower checks whether the task stopped (one DescribeTasks). */
export const TASK_CHECK_MS = 30_000;

export interface LogsTarget {
  /** Cluster name or ARN. */
  cluster: string;
  /** Task id or ARN. */
  task: string;
  /** One container; all when absent. */
  container?: string | undefined;
}

/** The request cannot be answered (no such task, no such container): a message for the user. */
export class LogsInputError extends Error {
  override name = 'LogsInputError';
  constructor(
    message: string,
    readonly choices: string[] = [],
  ) {
    super(message);
  }
}

/** Where one readable stream is, and how far it has been read each way. */
export interface StreamCursor {
  source: AwsLogsSource;
  /** GetLogEvents' nextBackwardToken of the oldest page read. */
  backward: string | undefined;
  /** GetLogEvents' nextForwardToken of the newest page read. */
  forward: string | undefined;
  /** No older lines (a page came back short). */
  olderDone: boolean;
}

export interface OpenedLogs {
  task: Task;
  taskDef: LogTaskDefinition | undefined;
  sources: LogSource[];
  /** Containers that log elsewhere, missing groups and streams, read errors: one sentence each. */
  notices: string[];
  /** Every container's lines, oldest first. */
  lines: LogLine[];
  cursors: StreamCursor[];
  /** True when the task has stopped. */
  stopped: boolean;
}

export interface OpenOptions {
  /** Lines per stream (default 200). */
  limit?: number;
  /** Only lines at or after this time (epoch ms). */
  since?: number;
  /** The task as the caller already has it (an explorer node): skips DescribeTasks. */
  knownTask?: Task | undefined;
  clock?: Clock;
}

interface Buckets {
  read: TokenBucket;
}
const bucketsOf = new WeakMap<AwsSession, Map<string, Buckets>>();

function buckets(session: AwsSession, region: string, clock: Clock): Buckets {
  let m = bucketsOf.get(session);
  if (!m) bucketsOf.set(session, (m = new Map()));
  let b = m.get(region);
  if (!b) m.set(region, (b = { read: new TokenBucket(LOGS_THROTTLE, clock, 0) }));
  return b;
}

async function logsClient(session: AwsSession, region: string, sessionRegion: string, extra?: Record<string, unknown>): Promise<LogsClient> {
  const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
  const overrides = { ...(region !== sessionRegion ? { region } : {}), ...extra };
  return Object.keys(overrides).length ? session.client(CloudWatchLogsClient, overrides) : session.client(CloudWatchLogsClient);
}

/** One GetLogEvents, paced. */
async function getLogEvents(
  session: AwsSession,
  sessionRegion: string,
  src: AwsLogsSource,
  input: { limit?: number; startTime?: number; nextToken?: string; startFromHead?: boolean },
  clock: Clock,
  signal?: AbortSignal,
): Promise<{ events: OutputLogEvent[]; nextForwardToken?: string; nextBackwardToken?: string }> {
  const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  await buckets(session, src.region, clock).read.take(0, signal);
  const client = await logsClient(session, src.region, sessionRegion);
  const out = await client.send(new GetLogEventsCommand({ logGroupName: src.group, logStreamName: src.stream, ...input }), signal ? { abortSignal: signal } : {});
  return { events: out.events ?? [], nextForwardToken: out.nextForwardToken, nextBackwardToken: out.nextBackwardToken };
}

const toLines = (src: AwsLogsSource, events: OutputLogEvent[]): LogLine[] =>
  events.map((e) => ({ timestamp: e.timestamp ?? 0, container: src.container, message: e.message ?? '' }));

/** DescribeTasks (unless known) and the task definition (cached by the data layer), then the log sources. */
export async function resolveTaskLogs(session: AwsSession, target: LogsTarget, knownTask?: Task): Promise<{ task: Task; taskDef: LogTaskDefinition | undefined; sources: LogSource[]; region: string }> {
  const region = await session.region();
  const ecs = await ecsDataOf(session);
  let task = knownTask;
  if (!task) {
    try {
      const r = await ecs.describeTask(target.cluster, target.task);
      task = r.task;
      if (!task) throw new LogsInputError(`Task ${taskIdOf(target.task)} was not found in cluster ${target.cluster} (${r.failure?.reason ?? 'MISSING'}); stopped tasks stay visible about an hour.`);
    } catch (err) {
      if (err instanceof LogsInputError) throw err;
      if (errorName(err) === 'ClusterNotFoundException') throw new LogsInputError(`Cluster "${target.cluster}" was not found in ${region}.`);
      if (errorName(err) === 'InvalidParameterException') throw new LogsInputError(`ECS rejected the task "${target.task}": give a task id or ARN.`);
      throw err;
    }
  }
  let taskDef: LogTaskDefinition | undefined;
  if (task.taskDefinitionArn) {
    const cached = ecs.cachedTaskDefinition(task.taskDefinitionArn);
    taskDef = (await (cached ?? ecs.taskDefinition(task.taskDefinitionArn))) as LogTaskDefinition;
  }
  const resolved = resolveLogSources(task as LogTask, taskDef, { region, container: target.container });
  if ('error' in resolved) throw new LogsInputError(resolved.error, resolved.choices);
  return { task, taskDef, sources: resolved.sources, region };
}

/** Why a stream could not be read: which of group and stream is missing (DescribeLogStreams), and the likely cause. */
async function explainNotFound(session: AwsSession, sessionRegion: string, src: AwsLogsSource, task: Task, taskDef: LogTaskDefinition | undefined, clock: Clock): Promise<string> {
  const { DescribeLogStreamsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const client = await logsClient(session, src.region, sessionRegion);
  const b = buckets(session, src.region, clock).read;
  try {
    await b.take();
    await client.send(new DescribeLogStreamsCommand({ logGroupName: src.group, logStreamNamePrefix: src.stream, limit: 1 }));
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return explainMissing({ missing: 'group', source: src, task: task as LogTask, taskDef });
    return `${src.container}: log stream ${src.stream} was not found in ${src.group}, and DescribeLogStreams failed: ${userMessage(err)}`;
  }
  // The group exists. Did another prefix write this task's lines? The newest streams tell.
  let similar: string[] = [];
  try {
    await b.take();
    const out = await client.send(new DescribeLogStreamsCommand({ logGroupName: src.group, orderBy: 'LastEventTime', descending: true, limit: 50 }));
    const tail = `/${src.container}/${task.taskArn ? taskIdOf(task.taskArn) : ''}`;
    similar = (out.logStreams ?? []).map((s) => s.logStreamName ?? '').filter((n) => n.endsWith(tail) && n !== src.stream);
  } catch {
    // Not knowing the other streams only makes the explanation less specific.
  }
  return explainMissing({ missing: 'stream', source: src, task: task as LogTask, taskDef, similar });
}

/** Opens a task's logs: its sources, and the newest lines of every readable stream, read in parallel. */
export async function openTaskLogs(session: AwsSession, target: LogsTarget, options: OpenOptions = {}): Promise<OpenedLogs> {
  const clock = options.clock ?? realClock;
  const limit = options.limit ?? DEFAULT_LIMIT;
  const { task, taskDef, sources, region } = await resolveTaskLogs(session, target, options.knownTask);
  const notices: string[] = [];
  for (const s of sources) if (s.kind === 'elsewhere') notices.push(`${s.where} ${s.change}`);
  const readable = sources.filter((s): s is AwsLogsSource => s.kind === 'awslogs');
  const results = await Promise.all(
    readable.map(async (src): Promise<{ cursor: StreamCursor; lines: LogLine[] } | { notice: string }> => {
      try {
        const out = await getLogEvents(session, region, src, { limit, startFromHead: false, ...(options.since !== undefined ? { startTime: options.since } : {}) }, clock);
        const cursor: StreamCursor = { source: src, backward: out.nextBackwardToken, forward: out.nextForwardToken, olderDone: out.events.length < limit };
        return { cursor, lines: toLines(src, out.events) };
      } catch (err) {
        let notice: string;
        if (errorName(err) === 'ResourceNotFoundException') notice = await explainNotFound(session, region, src, task, taskDef, clock);
        else if (isAccessDenied(err)) notice = `${src.container}: reading ${src.group} needs logs:GetLogEvents, which was denied: ${userMessage(err)}`;
        else notice = `${src.container}: could not read ${src.group} ${src.stream}: ${userMessage(err)}`;
        return { notice };
      }
    }),
  );
  const cursors: StreamCursor[] = [];
  const lists: LogLine[][] = [];
  for (const r of results) {
    if ('notice' in r) notices.push(r.notice);
    else {
      cursors.push(r.cursor);
      lists.push(r.lines);
    }
  }
  return { task, taskDef, sources, notices, lines: mergeByTime(lists), cursors, stopped: task.lastStatus === 'STOPPED' || task.lastStatus === 'DELETED' };
}

/** The page before what has been read, for every stream that has older lines: merged, oldest first. Updates the cursors. */
export async function loadOlderLines(session: AwsSession, cursors: StreamCursor[], limit = DEFAULT_LIMIT, clock: Clock = realClock): Promise<LogLine[]> {
  const region = await session.region();
  const lists = await Promise.all(
    cursors
      .filter((c) => !c.olderDone && c.backward)
      .map(async (c) => {
        const out = await getLogEvents(session, region, c.source, { limit, nextToken: c.backward, startFromHead: false }, clock);
        if (out.events.length < limit || out.nextBackwardToken === c.backward) c.olderDone = true;
        c.backward = out.nextBackwardToken ?? c.backward;
        return toLines(c.source, out.events);
      }),
  );
  return mergeByTime(lists);
}

export interface FollowOptions {
  /** New lines, oldest first. */
  onLines(lines: LogLine[]): void;
  /** The follow status in words ("Following with Live Tail", "The task stopped ..."). */
  onStatus(status: string): void;
  /** Ends following (the document closed, Ctrl-C). */
  signal: AbortSignal;
  clock?: Clock;
  pollMs?: number;
  taskCheckMs?: number;
  /** Try StartLiveTail first (default true). */
  liveTail?: boolean;
  /** Why Live Tail was not used (for the log). */
  onFallback?(reason: string): void;
}

export type FollowEnd = 'aborted' | 'stopped';

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(t);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Follows the opened streams until the signal aborts or the task stops: Live Tail when the
 * endpoint serves it, else GetLogEvents with each stream's forward token every `pollMs`.
 */
export async function followLogs(session: AwsSession, opened: OpenedLogs, options: FollowOptions): Promise<FollowEnd> {
  const clock = options.clock ?? realClock;
  const { signal } = options;
  if (opened.stopped) {
    options.onStatus(stoppedStatus(timeOf(opened.task.stoppedAt), opened.task.stoppedReason));
    return 'stopped';
  }
  if (!opened.cursors.length) {
    options.onStatus('Nothing to follow: no container of this task has a readable awslogs stream');
    return 'stopped';
  }
  const region = await session.region();
  // Lines seen lately, so Live Tail and the catch-up poll never show one twice.
  const seen = new Set<string>();
  const seenOrder: string[] = [];
  const fresh = (stream: string, l: LogLine) => {
    const k = `${stream}\u0000${l.timestamp}\u0000${l.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    seenOrder.push(k);
    if (seenOrder.length > 5000) seen.delete(seenOrder.shift()!);
    return true;
  };
  const emit = (lists: Array<{ stream: string; lines: LogLine[] }>) => {
    const merged = mergeByTime(lists.map((x) => x.lines.filter((l) => fresh(x.stream, l))));
    if (merged.length) options.onLines(merged);
  };

  const pollOnce = async () => {
    const lists = await Promise.all(
      opened.cursors.map(async (c) => {
        try {
          const out = await getLogEvents(session, region, c.source, { nextToken: c.forward, startFromHead: true }, clock, signal);
          c.forward = out.nextForwardToken ?? c.forward;
          return { stream: c.source.stream, lines: toLines(c.source, out.events) };
        } catch (err) {
          if (signal.aborted) return { stream: c.source.stream, lines: [] };
          throw err;
        }
      }),
    );
    if (!signal.aborted) emit(lists);
  };

  const taskStopped = async (): Promise<boolean> => {
    if (!opened.task.taskArn) return false;
    try {
      const r = await (await ecsDataOf(session)).describeTask(opened.task.clusterArn ?? '', opened.task.taskArn, { signal });
      if (r.task?.lastStatus === 'STOPPED' || r.task?.lastStatus === 'DELETED') {
        opened.task = r.task;
        opened.stopped = true;
        return true;
      }
    } catch {
      // A failed check is not a stop: keep following.
    }
    return false;
  };

  const stop = async (): Promise<FollowEnd> => {
    await pollOnce().catch(() => undefined);
    options.onStatus(stoppedStatus(timeOf(opened.task.stoppedAt), opened.task.stoppedReason));
    return 'stopped';
  };

  // Live Tail first.
  if (options.liveTail !== false) {
    const live = await startLiveTail(session, region, opened, signal).catch((err: unknown) => {
      options.onFallback?.(userMessage(err));
      return undefined;
    });
    if (live) {
      options.onStatus('Following with CloudWatch Logs Live Tail: new lines appear below');
      await pollOnce().catch(() => undefined); // lines written before the session started
      const byStream = new Map(opened.cursors.map((c) => [`${c.source.group}\u0000${c.source.stream}`, c.source]));
      let ended: FollowEnd | undefined;
      const checker = (async () => {
        while (!signal.aborted && !ended) {
          if (!(await sleep(clock, options.taskCheckMs ?? TASK_CHECK_MS, signal))) return;
          if (await taskStopped()) {
            ended = 'stopped';
            live.abort.abort();
            return;
          }
        }
      })();
      try {
        for await (const ev of live.stream) {
          if (signal.aborted) break;
          const results = ev.sessionUpdate?.sessionResults ?? [];
          const lists = new Map<string, LogLine[]>();
          for (const r of results) {
            const group = groupNameOf(r.logGroupIdentifier ?? '');
            const src = byStream.get(`${group}\u0000${r.logStreamName ?? ''}`);
            if (!src) continue;
            const l = lists.get(src.stream) ?? [];
            l.push({ timestamp: r.timestamp ?? 0, container: src.container, message: r.message ?? '' });
            lists.set(src.stream, l);
          }
          emit([...lists].map(([stream, lines]) => ({ stream, lines })));
        }
      } catch (err) {
        if (!signal.aborted && !ended) options.onFallback?.(`Live Tail ended: ${userMessage(err)}`);
      } finally {
        live.abort.abort();
      }
      await checker.catch(() => undefined);
      if (signal.aborted) return 'aborted';
      if (ended === 'stopped') return stop();
      // The session ended (three hours, a server error): go on by polling.
    }
  }

  options.onStatus(`Following: polling for new lines every ${Math.round((options.pollMs ?? DEFAULT_POLL_MS) / 1000)} s`);
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const checkEvery = Math.max(1, Math.round((options.taskCheckMs ?? TASK_CHECK_MS) / pollMs));
  for (let n = 1; ; n++) {
    if (!(await sleep(clock, pollMs, signal))) return 'aborted';
    try {
      await pollOnce();
    } catch (err) {
      if (signal.aborted) return 'aborted';
      options.onStatus(`Following: the last poll failed (${userMessage(err)}); trying again`);
    }
    if (signal.aborted) return 'aborted';
    if (n % checkEvery === 0 && (await taskStopped())) return stop();
  }
}

function groupNameOf(identifier: string): string {
  return identifier.startsWith('arn:') ? identifier.replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '') : identifier;
}

interface LiveSession {
  stream: AsyncIterable<{ sessionUpdate?: { sessionResults?: Array<{ logStreamName?: string; logGroupIdentifier?: string; message?: string; timestamp?: number }> } }>;
  abort: AbortController;
}

/**
 * StartLiveTail over every followed stream of the session's Region (other Regions are polled by
 * the caller's catch-up; Live Tail takes up to 10 groups and 100 streams). Resolves once the
 * sessionStart event arrived; rejects when the endpoint does not serve it.
 */
async function startLiveTail(session: AwsSession, region: string, opened: OpenedLogs, signal: AbortSignal): Promise<LiveSession | undefined> {
  const cursors = opened.cursors.filter((c) => c.source.region === region);
  if (!cursors.length || cursors.length !== opened.cursors.length) throw new Error('some streams are in another Region');
  const arn = parseArn(opened.task.taskArn);
  const account = accountOf(opened.task.taskArn);
  if (!arn || !account) throw new Error('the task ARN names no account');
  const groups = [...new Set(cursors.map((c) => c.source.group))];
  if (groups.length > 10 || cursors.length > 100) throw new Error('too many groups or streams for one Live Tail session');
  const { StartLiveTailCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  // The SDK puts StartLiveTail on the `streaming-` host of the Region's endpoint; a custom endpoint has no such host.
  const client = await logsClient(session, region, region, { maxAttempts: 1, ...(session.endpoint ? { disableHostPrefix: true } : {}) });
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  abort.signal.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
  try {
    const out = await client.send(
      new StartLiveTailCommand({
        logGroupIdentifiers: groups.map((g) => `arn:${arn.partition}:logs:${region}:${account}:log-group:${g}`),
        logStreamNames: cursors.map((c) => c.source.stream),
      }),
      { abortSignal: abort.signal },
    );
    const stream = out.responseStream;
    if (!stream) throw new Error('the endpoint answered without an event stream');
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done || !first.value.sessionStart) throw new Error('the Live Tail session did not start');
    return { stream: { [Symbol.asyncIterator]: () => it }, abort };
  } catch (err) {
    abort.abort();
    if (signal.aborted) return undefined;
    throw err;
  }
}
