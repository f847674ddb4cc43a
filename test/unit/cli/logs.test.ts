// `ecs-doctor logs` against the simulator: text and JSON lines, one container, notices, follow, usage errors.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { startSimulator, type Simulator } from '../../../sim/server';
import { ELSEWHERE, logsScenario, RUNNING, STOPPED } from '../helpers/logsSim';
import { fakeIO } from './fakeIO';

process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

const io = () => fakeIO({ env: process.env });

describe('ecs-doctor logs (simulator)', () => {
  let sim: Simulator;
  let base: string[];
  before(async () => {
    // The simulator runs on the real clock here: no stream that keeps logging, so the lines are fixed.
    const data = logsScenario();
    delete data.logs!.groups![0]!.streams![0]!.live;
    sim = await startSimulator({ scenario: data });
    base = ['logs', '--cluster', 'prod', '--endpoint-url', sim.url, '--region', 'us-east-1'];
  });
  after(() => sim.stop());

  it('text: "timestamp container message" a line, every container merged by time, escapes removed', async () => {
    const c = io();
    assert.equal(await main([...base, '--task', RUNNING], c), 0);
    assert.equal(c.err, '');
    const lines = c.out.trimEnd().split('\n');
    assert.equal(lines.length, 32);
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z app   app line 1$/);
    assert.match(lines[1]!, /Z proxy proxy ready$/, 'the ANSI colour codes are gone');
    assert.ok(!c.out.includes('\u001b'));
    const times = lines.map((l) => Date.parse(l.slice(0, 24)));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');
  });

  it('json: one object a line with timestamp, container, message; --container and --limit narrow it', async () => {
    const c = io();
    assert.equal(await main([...base, '--task', RUNNING, '--container', 'app', '--limit', '5', '--format', 'json'], c), 0);
    const objs = c.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(objs.length, 5);
    assert.deepEqual(Object.keys(objs[0]!), ['timestamp', 'container', 'message']);
    assert.ok(objs.every((o) => o.container === 'app'));
    assert.equal(objs.at(-1)!.message, 'app line 30');
  });

  it('containers that log elsewhere are explained on stderr, exit 1 when nothing could be read', async () => {
    const c = io();
    assert.equal(await main([...base, '--task', ELSEWHERE], c), 1);
    assert.equal(c.out, '');
    assert.match(c.err, /note: fl sends its output through FireLens/);
    assert.match(c.err, /note: silent has no logConfiguration/);
  });

  it('--follow on a stopped task says it stopped', async () => {
    const c = io();
    assert.equal(await main([...base, '--task', STOPPED, '--follow'], c), 0);
    assert.match(c.out, /fatal: cannot connect/);
    assert.match(c.err, /The task stopped at .*no new lines will come/);
  });

  it('--follow on a running task runs until interrupted (Ctrl-C)', async () => {
    const ac = new AbortController();
    const c = io();
    c.interrupted = ac.signal;
    const stderr = c.stderr.bind(c);
    c.stderr = (t: string) => {
      stderr(t);
      if (/Following/.test(t)) ac.abort();
    };
    assert.equal(await main([...base, '--task', RUNNING, '--follow'], c), 0);
    assert.match(c.err, /Following with CloudWatch Logs Live Tail/);
    await sim.until(() => sim.inFlight === 0);
  });

  it('bad usage exits 2 with the reason', async () => {
    for (const [args, why] of [
      [['--task', RUNNING, '--since', 'yesterday'], /--since must be/],
      [['--task', RUNNING, '--limit', '0'], /--limit must be/],
      [['--task', RUNNING, '--format', 'yaml'], /--format must be/],
      [[], /--task is required/],
    ] as const) {
      const c = io();
      assert.equal(await main([...base, ...args], c), 2);
      assert.match(c.err, why);
    }
  });

  it('an unknown task or container is a message, not a stack trace', async () => {
    const c = io();
    assert.equal(await main([...base, '--task', RUNNING, '--container', 'nope'], c), 1);
    assert.match(c.err, /no container named "nope".*app, proxy/);
    assert.doesNotMatch(c.err, /\n\s+at /);
  });
});
