// `ecs-doctor status`, `diagnose` and `exec --check-only` against a thin endpoint (the simulator's
// thin mode: what moto and LocalStack leave out or fill differently, and their HTML 500 page for
// IAM policy simulation): right answers or "could not check", never a wrong verdict.
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { startSimulator, type Simulator } from '../../../sim/server';
import { thinScenario } from '../helpers/thinScenario';
import { fakeIO } from './fakeIO';

const STAND_IN_DIR = path.resolve(__dirname, '../../../../sim/bin');
const WEB_TASK = '185959e9e7c07b5639af7b3f54458554'; // prod/web, RUNNING, exec ready on ECS
const UNHEALTHY_WORKER = '3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f'; // prod/worker, RUNNING, UNHEALTHY on ECS
const OOM_TASK_CLUSTER = 'legacy-ec2';

// The SDK reads credentials from the process's environment, as the AWS CLI would.
process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

describe('ecs-doctor over a thin endpoint', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ scenario: thinScenario(), faults: { thin: true } });
  });
  after(() => sim.stop());

  async function run(...args: string[]) {
    const io = fakeIO({ env: { ...process.env, PATH: `${STAND_IN_DIR}${path.delimiter}${process.env.PATH}` } });
    const code = await main([...args, '--endpoint-url', sim.url, '--region', 'us-east-1'], io);
    return { code, out: io.out, err: io.err };
  }

  it('status: running tasks only, of the cluster asked for, counted although the endpoint says runningCount 0', async () => {
    const r = await run('status', '--cluster', 'prod', '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as {
      clusters: Array<{ name: string; health?: string; services: Array<{ name: string; desiredCount: number; runningCount: number; health?: string; tasks: Array<{ arn: string; lastStatus: string; health?: string }> }>; tasks: Array<{ arn: string; lastStatus: string; health?: string }> }>;
    };
    const prod = report.clusters[0]!;
    const tasks = [...prod.services.flatMap((s) => s.tasks), ...prod.tasks];
    assert.ok(tasks.length > 0);
    assert.deepEqual(tasks.filter((t) => t.lastStatus === 'STOPPED').map((t) => t.arn), [], 'no STOPPED task without --include-stopped');
    assert.deepEqual(tasks.filter((t) => !t.arn.includes(':task/prod/')).map((t) => t.arn), [], "no task of prod-2 under prod");
    const web = prod.services.find((s) => s.name === 'web')!;
    assert.equal(web.runningCount, 3);
    assert.equal(web.desiredCount, 3);
    // Nothing reports health: UNKNOWN, never HEALTHY (and the UNHEALTHY worker is not called HEALTHY).
    assert.ok(tasks.every((t) => t.health !== 'HEALTHY'), 'no task is HEALTHY without a health report');
    assert.notEqual(prod.services.find((s) => s.name === 'worker')!.health, 'HEALTHY');
    const running = (report.clusters[0]!.services.flatMap((sv) => sv.tasks) as Array<{ containers?: Array<{ lastStatus: string; exitCode: number | null }> }>).flatMap((t) => t.containers ?? []).filter((c) => c.lastStatus === 'RUNNING');
    assert.ok(running.length > 0 && running.every((c) => c.exitCode === null), 'no exit code on a running container');
    const text = await run('status', '--cluster', 'prod');
    assert.match(text.out, /service web {2}3\/3 running/);
    assert.doesNotMatch(text.out, /service web .*below desired/);
  });

  it('status --include-stopped lists the stopped tasks, without a stopCode the endpoint did not give', async () => {
    const r = await run('status', '--cluster', 'prod', '--include-stopped', '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const tasks = (JSON.parse(r.out) as { clusters: Array<{ services: Array<{ tasks: Array<{ lastStatus: string; stopCode?: string }> }> }> }).clusters[0]!.services.flatMap((s) => s.tasks);
    const stopped = tasks.filter((t) => t.lastStatus === 'STOPPED');
    assert.ok(stopped.length > 0);
    assert.ok(stopped.every((t) => !t.stopCode));
  });

  it('diagnose of a RUNNING task: never "the essential container finished (exit code 0)", and no health verdict it cannot have', async () => {
    const r = await run('diagnose', '--cluster', 'prod', '--task', UNHEALTHY_WORKER, '--format', 'json');
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const text = r.out.toLowerCase();
    assert.doesNotMatch(text, /finished \(exit code 0\)|exited with code 0|exit code 0/);
    assert.doesNotMatch(text, /"health[^"]*":\s*"healthy"/);
    assert.doesNotMatch(r.out + r.err, /aws-sdk|XML parse|Deserialization|mismatched tags/);
  });

  it('diagnose of a stopped task reads it without its stopCode and still explains the reason', async () => {
    const oom = [...sim.state.ecs.clusters.get(OOM_TASK_CLUSTER)!.tasks.values()].find((t) => t.containers?.some((c) => /OutOfMemory/.test(c.reason ?? '')));
    assert.ok(oom?.taskArn, 'the demo has an OOM task in legacy-ec2');
    const r = await run('diagnose', '--cluster', OOM_TASK_CLUSTER, '--task', oom.taskArn);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    assert.match(r.out, /OutOfMemory|out of memory/i);
    assert.doesNotMatch(r.out + r.err, /aws-sdk|XML parse|Deserialization|mismatched tags/);
  });

  it('exec --check-only: no IAM simulation and no managedAgents are "could not check"; nothing fails that ECS would pass', async () => {
    const r = await run('exec', '--cluster', 'prod', '--task', WEB_TASK, '--container', 'web', '--check-only', '--format', 'json');
    const out = JSON.parse(r.out) as { ready: boolean; checks: Array<{ id: string; status: string; detail: string }> };
    const by = (id: string) => out.checks.find((c) => c.id === id)!;
    assert.equal(by('caller-permissions').status, 'unknown');
    assert.match(by('caller-permissions').detail, /the endpoint does not implement iam:SimulatePrincipalPolicy/);
    assert.equal(by('task-role').status, 'unknown');
    assert.equal(by('exec-agent').status, 'unknown');
    assert.deepEqual(out.checks.filter((c) => c.status === 'fail').map((c) => c.id), []);
    assert.doesNotMatch(r.out + r.err, /aws-sdk|XML parse|Deserialization|mismatched tags/);
    assert.ok(sim.callsTo('iam:SimulatePrincipalPolicy').length <= 4, 'caller and task role, one retry each at most');
  });
});
