// `ecs-doctor diagnose` against the simulator: JSON shape, text sections, exit codes, usage errors.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { fakeIO } from './fakeIO';
import type { Simulator } from '../../../sim/server';
import { startDiagnoseSim, T } from '../helpers/diagnoseSim';

const io = () => fakeIO({ env: process.env });

describe('ecs-doctor diagnose (simulator)', () => {
  let sim: Simulator;
  let stop: () => Promise<void>;
  let base: string[];
  before(async () => {
    ({ sim, stop } = await startDiagnoseSim());
    base = ['diagnose', '--cluster', 'diag', '--endpoint-url', sim.url, '--region', 'us-east-1'];
  });
  after(async () => stop());

  it('--format json prints the issue\'s shape and exits 1 when a check failed', async () => {
    const c = io();
    const code = await main([...base, '--task', T(6), '--format', 'json'], c);
    assert.equal(c.err, '');
    assert.equal(code, 1);
    const j = JSON.parse(c.out) as Record<string, unknown>;
    for (const k of ['taskArn', 'category', 'variant', 'title', 'summary', 'whereToLook', 'causes', 'fixes', 'docs', 'evidence']) assert.ok(k in j, `missing ${k}`);
    assert.equal(j.taskArn, `arn:aws:ecs:us-east-1:123456789012:task/diag/${T(6)}`);
    const ev = j.evidence as Array<{ check: string; status: string; detail: string }>;
    assert.ok(ev.every((e) => typeof e.check === 'string' && ['pass', 'fail', 'skipped'].includes(e.status) && typeof e.detail === 'string'));
    const logs = ev.find((e) => e.check === 'logs');
    assert.ok(logs, 'the logs were read');
    assert.equal(logs.status, 'fail');
    assert.match(logs.detail, /ECONNREFUSED/);
  });

  it('text output follows the report order', async () => {
    const c = io();
    await main([...base, '--task', T(1)], c);
    const order = ['Verdict', 'What happened', 'Evidence', 'Fix'].map((h) => c.out.indexOf(`\n${h}\n`));
    assert.ok(order.every((i) => i > 0), c.out);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.match(c.out, /FAIL {2}Image of app in ECR: The repository api has no image with tag v2-missing/);
  });

  it('lists the commands for checks it could not run when a permission is missing', async () => {
    sim.setFaults({ accessDenied: [{ operation: 'logs:GetLogEvents' }] });
    try {
      const c = io();
      await main([...base, '--task', T(6)], c);
      assert.match(c.out, /SKIP {2}Logs of app: Could not check \(needs logs:GetLogEvents\)/);
      assert.match(c.out, /Checks to run yourself\n {2}Logs of app \(needs logs:GetLogEvents\):\n {7}\$ aws logs get-log-events/);
    } finally {
      sim.setFaults({ accessDenied: [] });
    }
  });

  it('never prints a secret value', async () => {
    for (const n of [1, 4]) {
      const c = io();
      await main([...base, '--task', T(n), '--format', 'json'], c);
      assert.doesNotMatch(c.out + c.err, /never-shown/);
    }
  });

  it('a task that is gone: exit 1 with a one-line message', async () => {
    const c = io();
    const code = await main([...base, '--task', 'ffffffffffffffffffffffffffffffff'], c);
    assert.equal(code, 1);
    assert.equal(c.out, '');
    assert.match(c.err, /^ecs-doctor diagnose: Task ffffffffffffffffffffffffffffffff was not found in cluster diag/);
    assert.equal(c.err.trim().split('\n').length, 1);
  });

  it('bad usage exits 2 with the usage text', async () => {
    for (const args of [
      ['diagnose', '--cluster', 'diag'],
      ['diagnose', '--task', T(1)],
      ['diagnose', '--cluster', 'diag', '--task', T(1), '--format', 'yaml'],
      ['diagnose', '--cluster', 'diag', '--task', T(1), '--endpoint-url', 'not a url'],
      ['diagnose', '--cluster', 'diag', '--task', T(1), '--bogus'],
    ]) {
      const c = io();
      assert.equal(await main(args, c), 2, args.join(' '));
      assert.match(c.err, /Usage: ecs-doctor diagnose/);
    }
  });

  it('is listed in the top-level help', async () => {
    const c = io();
    await main(['--help'], c);
    assert.match(c.out, /diagnose +diagnose a stopped ECS task live/);
  });
});
