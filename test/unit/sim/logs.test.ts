import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { CloudWatchLogsClient, GetLogEventsCommand, StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock, startSimulator, type Simulator } from '../../../sim/server';
import { logsScenario, RUNNING } from '../helpers/logsSim';

describe('simulator: CloudWatch Logs streams over time', () => {
  let sim: Simulator;
  let clock: ManualClock;
  let logs: CloudWatchLogsClient;
  before(async () => {
    clock = new ManualClock();
    sim = await startSimulator({ scenario: logsScenario(), clock });
    logs = new CloudWatchLogsClient({ ...sim.clientConfig(), maxAttempts: 1, disableHostPrefix: true });
  });
  after(async () => {
    logs.destroy();
    await sim.stop();
  });
  const stream = { logGroupName: '/ecs/app', logStreamName: `ecs/app/${RUNNING}` };

  it('GetLogEvents pages backward from the newest and forward with its tokens', async () => {
    const newest = await logs.send(new GetLogEventsCommand({ ...stream, limit: 10 }));
    assert.deepEqual(newest.events!.map((e) => e.message), Array.from({ length: 10 }, (_, i) => `app line ${21 + i}`));
    const older = await logs.send(new GetLogEventsCommand({ ...stream, limit: 10, nextToken: newest.nextBackwardToken }));
    assert.equal(older.events![0]!.message, 'app line 11');
    assert.equal(older.events!.at(-1)!.message, 'app line 20');
    const ahead = await logs.send(new GetLogEventsCommand({ ...stream, nextToken: newest.nextForwardToken, startFromHead: true }));
    assert.deepEqual(ahead.events, []);
    assert.equal(ahead.nextForwardToken, newest.nextForwardToken, 'at the end the forward token stays');
    // A live stream gets a line every 5 s of the simulator's clock.
    await clock.advance(5000);
    const next = await logs.send(new GetLogEventsCommand({ ...stream, nextToken: ahead.nextForwardToken, startFromHead: true }));
    assert.deepEqual(next.events!.map((e) => e.message), ['app live 1']);
  });

  it('StartLiveTail streams a sessionStart, then a sessionUpdate every second with what arrived', async () => {
    const abort = new AbortController();
    const out = await logs.send(new StartLiveTailCommand({ logGroupIdentifiers: ['arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app'], logStreamNames: [stream.logStreamName] }), { abortSignal: abort.signal });
    const it = out.responseStream![Symbol.asyncIterator]();
    const first = await it.next();
    assert.ok(first.value.sessionStart, 'sessionStart first');
    await clock.waitForTimers(1);
    await clock.advance(5000);
    const got: string[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await it.next();
      for (const r of u.value.sessionUpdate?.sessionResults ?? []) got.push(r.message);
    }
    assert.deepEqual(got, ['app live 2']);
    // Aborting the request ends the session: the simulator sees the stream close.
    abort.abort();
    await sim.until(() => sim.inFlight === 0);
  });

  it('an endpoint without Live Tail answers an error the client can fall back on', async () => {
    sim.state.logs.liveTail = false;
    await assert.rejects(logs.send(new StartLiveTailCommand({ logGroupIdentifiers: ['/ecs/app'] })), (e: Error) => e.name === 'UnknownOperationException');
    sim.state.logs.liveTail = true;
  });
});
