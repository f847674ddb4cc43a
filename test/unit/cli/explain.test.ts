// `ecs-doctor explain` through main() with a fake CliIO: flags, pasted text, --tasks-json file
// and stdin, the JSON shapes of the issue, exit codes, bad usage and unreadable input.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { fakeIO } from './fakeIO';

const io = (stdin = '') => fakeIO({ stdin });

const TASKS = {
  tasks: [
    {
      taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/prod/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 111122223333.dkr.ecr.us-east-1.amazonaws.com/api:v1: failed to do request: Head "https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/api/manifests/v1": dial tcp 52.94.0.1:443: i/o timeout',
      containers: [{ name: 'api', lastStatus: 'STOPPED' }],
    },
    {
      taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/prod/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'api', lastStatus: 'STOPPED', exitCode: 127 }],
    },
  ],
  failures: [],
};

describe('ecs-doctor explain', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'explain-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--reason: text in the report order, exit 0', async () => {
    const c = io();
    const code = await main(['explain', '--reason', 'CannotPullContainerError: context canceled'], c);
    assert.equal(code, 0, c.err);
    assert.equal(c.err, '');
    assert.match(c.out, /^Image pull canceled before it finished\nCannotPullContainerError \/ context-canceled \(medium confidence\)\n/);
    const order = ['Verdict', 'What happened', 'Likely causes', 'Where to look first', 'Fix', 'Prevention', 'Documentation'].map((h) => c.out.indexOf(`\n${h}\n`));
    assert.ok(order.every((i) => i > 0), c.out);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  });

  it('--reason with --exit-code refines "Essential container in task exited"', async () => {
    const c = io();
    assert.equal(await main(['explain', '--reason', 'Essential container in task exited', '--exit-code', '137', '--container', 'web', '--format', 'json'], c), 0);
    const j = JSON.parse(c.out) as Record<string, unknown>;
    assert.equal(j.category, 'EssentialContainerExited');
    assert.equal(j.variant, 'exit-137-sigkill');
    assert.equal(j.container, 'web');
    assert.equal(j.exitCode, 137);
  });

  it('--container-reason alone finds the OOM; --stop-code alone maps the category', async () => {
    const c = io();
    await main(['explain', '--container-reason', 'OutOfMemoryError: Container killed due to memory usage', '--exit-code', '137', '--format', 'json'], c);
    assert.equal((JSON.parse(c.out) as { category: string }).category, 'OutOfMemoryError');
    const s = io();
    await main(['explain', '--stop-code', 'SpotInterruption', '--format', 'json'], s);
    assert.equal((JSON.parse(s.out) as { category: string }).category, 'SpotInterruption');
  });

  it('--format json for one task has the issue\'s shape', async () => {
    const c = io();
    await main(['explain', '--reason', 'Task failed container health checks', '--format', 'json'], c);
    const j = JSON.parse(c.out) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j).slice(0, 10), ['taskArn', 'category', 'variant', 'title', 'summary', 'whereToLook', 'causes', 'fixes', 'docs', 'evidence']);
    assert.equal(j.taskArn, null);
    assert.deepEqual(j.evidence, []);
    assert.ok((j.causes as unknown[]).length > 0);
  });

  it('--tasks-json FILE gives {"tasks": [...]} in order', async () => {
    const file = path.join(dir, 'tasks.json');
    writeFileSync(file, JSON.stringify(TASKS, null, 2));
    const c = io();
    const code = await main(['explain', '--tasks-json', file, '--format', 'json'], c);
    assert.equal(code, 0, c.err);
    const j = JSON.parse(c.out) as { tasks: Array<{ taskArn: string; category: string; variant: string }> };
    assert.deepEqual(
      j.tasks.map((t) => [t.taskArn.split('/').pop(), t.category, t.variant]),
      [
        ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'CannotPullContainerError', 'no-route-to-registry'],
        ['bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'EssentialContainerExited', 'exit-127'],
      ],
    );
  });

  it('--tasks-json - reads standard input; a relative path is read from cwd; text lists every task', async () => {
    const c = io(JSON.stringify({ tasks: [TASKS.tasks[0]] }));
    assert.equal(await main(['explain', '--tasks-json', '-', '--format', 'json'], c), 0);
    assert.equal((JSON.parse(c.out) as { tasks: unknown[] }).tasks.length, 1, 'one task is still {"tasks": [...]}');
    writeFileSync(path.join(dir, 'rel.json'), JSON.stringify(TASKS));
    const t = io();
    t.cwd = dir;
    assert.equal(await main(['explain', '--tasks-json', 'rel.json'], t), 0);
    assert.match(t.out, /=== 1\/2 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/);
    assert.match(t.out, /=== 2\/2 bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/);
  });

  it('pasted text as an argument, and markdown output', async () => {
    const c = io();
    assert.equal(await main(['explain', 'Your Spot Task was interrupted.', '--format', 'markdown'], c), 0);
    assert.match(c.out, /^# Fargate Spot reclaimed the capacity\n/);
    assert.match(c.out, /## Prevention/);
  });

  it('an unrecognised reason exits 1 with category Unknown', async () => {
    const c = io();
    assert.equal(await main(['explain', '--reason', 'gremlins in the rack', '--format', 'json'], c), 1);
    const j = JSON.parse(c.out) as { category: string; summary: string };
    assert.equal(j.category, 'Unknown');
    assert.match(j.summary, /gremlins in the rack/);
  });

  it('never prints a secret', async () => {
    const c = io();
    await main(['explain', '--reason', 'Task stopped by user aws_secret_access_key=wJalrXUtnFEMI/K7MDENG', '--container-reason', 'token AKIAIOSFODNN7EXAMPLE'], c);
    assert.doesNotMatch(c.out + c.err, /wJalrXUtnFEMI|AKIAIOSFODNN7EXAMPLE/);
  });

  it('unreadable input exits 2 with one clear line', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"tasks": [');
    for (const args of [
      ['explain', '--tasks-json', bad],
      ['explain', '--tasks-json', '-'],
      ['explain', '{"taskDefinition": {}}'],
    ]) {
      const c = io('not json at all {');
      assert.equal(await main(args, c), 2, args.join(' '));
      assert.equal(c.out, '');
      assert.match(c.err, /^ecs-doctor explain: /);
      assert.equal(c.err.trim().split('\n').length, 1, c.err);
      assert.doesNotMatch(c.err, /\n\s+at /, 'no stack trace');
    }
  });

  it('bad usage exits 2 with the usage text', async () => {
    for (const args of [
      ['explain'],
      ['explain', '--exit-code', 'abc'],
      ['explain', '--reason', 'x', '--format', 'yaml'],
      ['explain', '--tasks-json', path.join(dir, 'missing.json')],
      ['explain', '--tasks-json', dir],
      ['explain', '--tasks-json', '-', '--reason', 'x'],
      ['explain', '--reason', 'x', 'also pasted'],
      ['explain', '--stop-code', 'not a code!'],
      ['explain', '--reason', '   '],
      ['explain', '--bogus'],
    ]) {
      const c = io();
      assert.equal(await main(args, c), 2, args.join(' '));
      assert.match(c.err, /Usage: ecs-doctor explain/, args.join(' '));
    }
  });

  it('is listed in the top-level help and has its own --help', async () => {
    const c = io();
    await main(['--help'], c);
    assert.match(c.out, /explain +explain a stopped task's reason offline/);
    const h = io();
    assert.equal(await main(['explain', '--help'], h), 0);
    assert.match(h.out, /--tasks-json <file>/);
  });
});

describe('ecs-doctor explain: a running task', () => {
  const running = (health: string) =>
    JSON.stringify({
      tasks: [
        {
          taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef',
          lastStatus: 'RUNNING',
          healthStatus: health,
          containers: [
            { name: 'web', lastStatus: 'RUNNING', healthStatus: health, exitCode: 0 },
            { name: 'log-router', lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' },
          ],
        },
      ],
    });

  it('RUNNING but UNHEALTHY is the health-check case, never "Stop reason not recognised"', async () => {
    const io = fakeIO({ stdin: running('UNHEALTHY') });
    const code = await main(['explain', '--tasks-json', '-'], io);
    assert.equal(code, 0, io.err);
    assert.doesNotMatch(io.out, /not recognised/i);
    assert.match(io.out, /Running, but web is failing its health check/);
    assert.match(io.out, /ContainerHealthCheckFailed \/ running-unhealthy/);
  });

  it('a healthy running task is said to be running', async () => {
    const io = fakeIO({ stdin: running('HEALTHY') });
    const code = await main(['explain', '--tasks-json', '-'], io);
    assert.equal(code, 0, io.err);
    assert.doesNotMatch(io.out, /not recognised/i);
    assert.match(io.out, /The task is running: it has not stopped/);
  });
});
