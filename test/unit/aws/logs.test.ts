import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AwsSession } from '../../../src/aws/session';
import { followLogs, loadOlderLines, LogsInputError, openTaskLogs } from '../../../src/aws/logs';
import { ecsDataOf } from '../../../src/aws/ecs';
import type { LogLine } from '../../../src/core/logs';
import { ManualClock, startSimulator, type Simulator } from '../../../sim/server';
import { ELSEWHERE, logsScenario, NO_GROUP, NO_STREAM, RUNNING, STOPPED } from '../helpers/logsSim';

process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

/** Lets I/O and promise jobs run until the test holds (a follower answered and set its next timer). */
async function turnsUntil(test: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !test(); i++) await new Promise((r) => setImmediate(r));
}

describe('aws/logs against the simulator', () => {
  let sim: Simulator;
  let clock: ManualClock;
  let session: AwsSession;
  before(async () => {
    clock = new ManualClock();
    sim = await startSimulator({ scenario: logsScenario(), clock });
  });
  beforeEach(() => {
    session?.dispose();
    session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
    sim.load(logsScenario());
    sim.clearCalls();
  });
  after(async () => {
    session.dispose();
    await sim.stop();
  });
  const logCalls = () => sim.calls.filter((c) => c.service === 'logs').map((c) => c.operation);

  it('opens every container of a task, merged by time and labelled, in one DescribeTasks, one DescribeTaskDefinition and one GetLogEvents per stream', async () => {
    const o = await openTaskLogs(session, { cluster: 'prod', task: RUNNING }, { clock });
    assert.deepEqual(o.notices, []);
    assert.deepEqual(new Set(o.lines.map((l) => l.container)), new Set(['app', 'proxy']));
    assert.equal(o.lines[0]!.message, 'app line 1');
    assert.equal(o.lines[1]!.container, 'proxy', 'proxy ready (-295 s) sorts between app line 1 and 2');
    assert.equal(o.lines.at(-1)!.message, 'proxy line <b>2</b>');
    assert.deepEqual(sim.calls.map((c) => c.operation).sort(), ['DescribeTaskDefinition', 'DescribeTasks', 'GetLogEvents', 'GetLogEvents']);
  });

  it('from a known task with its task definition read, only the GetLogEvents calls are made (one round trip)', async () => {
    const ecs = await ecsDataOf(session);
    const task = (await ecs.describeTask('prod', RUNNING)).task!;
    await ecs.taskDefinition(task.taskDefinitionArn!);
    sim.clearCalls();
    const o = await openTaskLogs(session, { cluster: 'prod', task: RUNNING }, { clock, knownTask: task });
    assert.ok(o.lines.length > 0);
    assert.deepEqual(sim.calls.map((c) => c.operation), ['GetLogEvents', 'GetLogEvents']);
    assert.ok(sim.maxInFlight >= 1);
  });

  it('pages backwards on demand until the beginning', async () => {
    const o = await openTaskLogs(session, { cluster: 'prod', task: RUNNING, container: 'app' }, { clock, limit: 10 });
    assert.deepEqual(o.lines.map((l) => l.message), Array.from({ length: 10 }, (_, i) => `app line ${21 + i}`));
    const older = await loadOlderLines(session, o.cursors, 10, clock);
    assert.equal(older[0]!.message, 'app line 11');
    const oldest = await loadOlderLines(session, o.cursors, 10, clock);
    assert.equal(oldest[0]!.message, 'app line 1');
    assert.deepEqual(await loadOlderLines(session, o.cursors, 10, clock), [], 'nothing before the first line');
  });

  it('a wrong container name lists the real ones', async () => {
    await assert.rejects(openTaskLogs(session, { cluster: 'prod', task: RUNNING, container: 'nope' }, { clock }), (e: unknown) => e instanceof LogsInputError && /app, proxy/.test(e.message));
    await assert.rejects(openTaskLogs(session, { cluster: 'prod', task: 'f'.repeat(32) }, { clock }), (e: unknown) => e instanceof LogsInputError && /not found/.test(e.message));
  });

  it('says which of group and stream is missing, and why', async () => {
    const s = await openTaskLogs(session, { cluster: 'prod', task: NO_STREAM }, { clock });
    assert.match(s.notices.join('\n'), /log stream ecs\/app\/c3c3.* does not exist.*old\/app\/c3c3.*prefix differs/);
    const g = await openTaskLogs(session, { cluster: 'prod', task: NO_GROUP }, { clock });
    assert.match(g.notices.join('\n'), /log group \/ecs\/nowhere does not exist/);
    const e = await openTaskLogs(session, { cluster: 'prod', task: ELSEWHERE }, { clock });
    assert.match(e.notices.join('\n'), /FireLens.*\/ecs\/fl/);
    assert.match(e.notices.join('\n'), /silent has no logConfiguration/);
    assert.deepEqual(logCalls().filter((c) => c === 'GetLogEvents').length, 3, 'containers that log elsewhere are not read');
  });

  it('follows by polling where Live Tail is not served, and stops polling when aborted', async () => {
    sim.state.logs.liveTail = false;
    const o = await openTaskLogs(session, { cluster: 'prod', task: RUNNING, container: 'app' }, { clock });
    const got: LogLine[] = [];
    const status: string[] = [];
    const fallback: string[] = [];
    const abort = new AbortController();
    const done = followLogs(session, o, { onLines: (l) => got.push(...l), onStatus: (s) => status.push(s), onFallback: (r) => fallback.push(r), signal: abort.signal, clock, pollMs: 2000 });
    await sim.until(() => sim.callsTo('StartLiveTail').length === 1);
    // A line every 5 s; a poll every 2 s after the previous one answered.
    for (let i = 0; i < 10 && !got.length; i++) {
      await clock.waitForTimers(1);
      await clock.advance(2000);
      await clock.waitForTimers(1);
    }
    assert.deepEqual(got.map((l) => l.message), ['app live 1']);
    assert.match(status.join('\n'), /polling/);
    assert.match(fallback.join('\n'), /not served/);
    abort.abort();
    assert.equal(await done, 'aborted');
    const polls = sim.callsTo('GetLogEvents').length;
    await clock.advance(20_000);
    assert.equal(sim.callsTo('GetLogEvents').length, polls, 'no poll after the follower stopped');
  });

  it('follows with StartLiveTail where it is served, and ends the session when aborted', async () => {
    const o = await openTaskLogs(session, { cluster: 'prod', task: RUNNING }, { clock });
    const got: LogLine[] = [];
    const status: string[] = [];
    const abort = new AbortController();
    const done = followLogs(session, o, { onLines: (l) => got.push(...l), onStatus: (s) => status.push(s), signal: abort.signal, clock });
    await sim.until(() => sim.callsTo('StartLiveTail').length === 1 && sim.callsTo('GetLogEvents').length === 4);
    await clock.waitForTimers(2); // the stream's second and the task check
    await clock.advance(6000);
    await sim.until(() => got.length > 0);
    assert.deepEqual(got.map((l) => `${l.container} ${l.message}`), ['app app live 1']);
    assert.match(status[0]!, /Live Tail/);
    abort.abort();
    assert.equal(await done, 'aborted');
    await sim.until(() => sim.inFlight === 0);
  });

  it('a stopped task says it stopped instead of following; a task that stops while followed ends the follow', async () => {
    const s = await openTaskLogs(session, { cluster: 'prod', task: STOPPED }, { clock });
    const status: string[] = [];
    const abort = new AbortController();
    assert.equal(await followLogs(session, s, { onLines: () => undefined, onStatus: (x) => status.push(x), signal: abort.signal, clock }), 'stopped');
    assert.match(status[0]!, /The task stopped at .*Essential container in task exited.*no new lines/);

    sim.state.logs.liveTail = false;
    const o = await openTaskLogs(session, { cluster: 'prod', task: RUNNING, container: 'app' }, { clock });
    const st: string[] = [];
    const done = followLogs(session, o, { onLines: () => undefined, onStatus: (x) => st.push(x), signal: abort.signal, clock, pollMs: 2000, taskCheckMs: 4000 });
    await clock.waitForTimers(1);
    sim.task(RUNNING)!.lastStatus = 'STOPPED';
    sim.task(RUNNING)!.stoppedAt = new Date(clock.now());
    for (let i = 0; i < 5 && !st.some((x) => /stopped/.test(x)); i++) {
      await clock.waitForTimers(1);
      await clock.advance(2000);
      await turnsUntil(() => st.some((x) => /stopped/.test(x)) || clock.pending > 0);
    }
    assert.equal(await done, 'stopped');
    assert.match(st.at(-1)!, /The task stopped/);
  });
});

describe('aws/logs: the demo scenario (npm start) has tasks whose containers log', () => {
  it('prod api\'s running task logs from both containers and keeps logging; a stopped worker task has lines', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ scenario: 'demo', clock });
    const session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
    try {
      await clock.advance(20_000);
      const api = await openTaskLogs(session, { cluster: 'prod', task: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e' }, { clock });
      assert.deepEqual(api.notices, []);
      assert.deepEqual(new Set(api.lines.map((l) => l.container)), new Set(['api', 'xray-daemon']));
      assert.ok(api.lines.some((l) => l.message === 'GET /v1/orders/1 200 12ms'), 'lines written on the simulator\'s clock');
      const worker = await openTaskLogs(session, { cluster: 'prod', task: '4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a' }, { clock });
      assert.equal(worker.stopped, true);
      assert.match(worker.lines.at(-1)!.message, /SIGTERM/);
      const web = await openTaskLogs(session, { cluster: 'prod', task: '7c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f' }, { clock });
      assert.match(web.notices.join('\n'), /web sends its output through FireLens/);
    } finally {
      session.dispose();
      await sim.stop();
    }
  });
});
