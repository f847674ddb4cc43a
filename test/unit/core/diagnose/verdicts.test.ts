// Verdicts you can trust (issue 12): the catalogue's headlines and cause order say what the
// message can mean, offline, before any evidence.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classify } from '../../../../src/core/diagnose/classify';
import type { ServiceFacts, TaskDefFacts } from '../../../../src/core/diagnose/facts';
import { judgeService } from '../../../../src/core/diagnose/judges';
import type { Collect } from '../../../../src/core/diagnose/live';
import { diagnose, type GatheredTask } from '../../../../src/core/diagnose/pipeline';
import { refusedConnectionText } from '../../../../src/core/diagnose/logSignatures';
import { explainTask } from '../../../../src/core/diagnose/running';
import type { Diagnosis } from '../../../../src/core/diagnose/types';

const service = (over: Partial<ServiceFacts> = {}): ServiceFacts => ({
  name: 'web',
  status: 'ACTIVE',
  desiredCount: 3,
  runningCount: 3,
  subnets: [],
  securityGroups: [],
  circuitBreaker: { enable: true, rollback: true },
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', desiredCount: 3, runningCount: 3, failedTasks: 0 }],
  events: [],
  loadBalancers: [],
  ...over,
});
const THIS = '0123456789abcdef0123456789abcdef';
const OTHER = 'fedcba9876543210fedcba9876543210';

describe('offline verdicts', () => {
  it('"Essential container in task exited" alone is not headlined "never started", and the crash comes first', () => {
    const d = classify({ stoppedReason: 'Essential container in task exited' });
    assert.equal(d.category, 'EssentialContainerExited');
    assert.doesNotMatch(d.title, /never started/i);
    assert.equal(d.causes[0]?.id, 'app-error');
    assert.match(d.causes[0]!.text, /application crashed/);
    assert.ok(d.checks.includes('logs'));
  });

  it('the ELB explanation ranks "instance target group with awsvpc" last (ECS refuses it at service creation)', () => {
    const d = classify({ stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef)' });
    assert.equal(d.category, 'ElbHealthCheckFailed');
    assert.notEqual(d.causes[0]?.id, 'target-type');
    assert.equal(d.causes[d.causes.length - 1]?.id, 'target-type');
    assert.notEqual(d.fixes[0]?.cause, 'target-type');
  });
});

describe('service events and deployment state', () => {
  it('"0/3 running" is not a pass', () => {
    const rows = judgeService(service({ runningCount: 0 }), { taskId: THIS, cluster: 'prod' });
    const dep = rows.find((r) => r.title === 'Deployment state')!;
    assert.equal(dep.status, 'fail');
    assert.match(dep.detail, /only 0 of 3 desired tasks running/);
    assert.deepEqual(dep.causes, [], 'a shortfall confirms no particular cause');
    assert.equal(judgeService(service(), { taskId: THIS }).find((r) => r.title === 'Deployment state')!.status, 'pass');
  });

  it('"0 running" from an endpoint while this task of the service runs is not trusted', () => {
    const dep = judgeService(service({ runningCount: 0 }), { taskId: THIS, taskRunning: true }).find((r) => r.title === 'Deployment state')!;
    assert.equal(dep.status, 'skipped');
  });

  it('a running count the endpoint did not report is not checked, never "0 running"', () => {
    const { runningCount: _, ...rest } = service();
    const dep = judgeService(rest as ServiceFacts).find((r) => r.title === 'Deployment state')!;
    assert.equal(dep.status, 'skipped');
    assert.doesNotMatch(dep.detail, /\b0\/3/);
  });

  it('only events about this task (or no task) count', () => {
    const events = [{ createdAt: '2030-01-01T10:00:00.000Z', message: `(service web) (task ${OTHER}) failed container health checks.` }];
    const rows = judgeService(service({ events }), { taskId: THIS, cluster: 'prod' });
    assert.equal(rows.find((r) => r.title === 'Service events')!.status, 'pass');
    const mine = [{ createdAt: '2030-01-01T10:00:00.000Z', message: `(service web) (task ${THIS}) failed container health checks.` }];
    assert.equal(judgeService(service({ events: mine }), { taskId: THIS }).find((r) => r.title === 'Service events')!.status, 'fail');
    assert.ok(rows.every((r) => !r.command?.includes('<cluster>')), 'the cluster is known');
  });
});

const ACCOUNT = '123456789012';
const TASK_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/prod/${THIS}`;
const TD_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api:7`;
const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/api:v2`;
const taskDef = (): TaskDefFacts => ({
  arn: TD_ARN,
  family: 'api',
  revision: 7,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
  containers: [{ name: 'app', image: IMAGE, essential: true, portMappings: [], secrets: [], logDriver: 'awslogs', logOptions: { 'awslogs-group': '/ecs/api', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } }],
});

/** An essential container that exited with `exitCode`, whose log ends with `lines`. */
async function exited(exitCode: number, lines: string[]): Promise<Diagnosis> {
  const reason = 'Essential container in task exited';
  const gathered: GatheredTask = {
    region: 'us-east-1',
    cluster: 'prod',
    task: { taskArn: TASK_ARN, lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: reason, taskDefinitionArn: TD_ARN, containers: [{ name: 'app', image: IMAGE, lastStatus: 'STOPPED', exitCode }] },
    stop: { taskArn: TASK_ARN, stoppedReason: reason, stopCode: 'EssentialContainerExited', lastStatus: 'STOPPED', containers: [{ name: 'app', exitCode, lastStatus: 'STOPPED', image: IMAGE, essential: true }] },
    taskDefinition: { kind: 'read', arn: TD_ARN, facts: taskDef() },
  };
  const collect: Collect = async (kind, query) => {
    if (kind === 'logs') return { kind: 'lines', ...(query as { group: string; stream: string }), lines } as never;
    throw new Error(`no ${kind} here`);
  };
  return (await diagnose(gathered, collect)).diagnosis;
}

describe('a log line confirms only the causes it speaks to', () => {
  it('exit 0: "Error: connect ECONNREFUSED" does not confirm "the command starts the real process in the background"', async () => {
    const d = await exited(0, ['starting', 'Error: connect ECONNREFUSED 10.0.9.9:5432']);
    const bg = d.causes.find((c) => c.id === 'process-backgrounds')!;
    assert.notEqual(bg.status, 'confirmed');
    assert.notEqual(bg.status, 'likely');
    assert.ok(d.causes.every((c) => c.status !== 'confirmed'), JSON.stringify(d.causes));
    const row = d.evidence!.find((e) => e.check === 'logs')!;
    assert.equal(row.status, 'fail', 'the finding is still shown');
  });

  it('exit 0: a Python Traceback confirms nothing either', async () => {
    const d = await exited(0, ['Traceback (most recent call last):', '  File "app.py", line 3', 'ValueError: bad']);
    assert.ok(d.causes.every((c) => c.status !== 'confirmed' && c.status !== 'likely'), JSON.stringify(d.causes));
  });

  it('exit 1: a refused connection confirms the unreachable dependency, worded in one place', async () => {
    const d = await exited(1, ['booting', 'Error: connect ECONNREFUSED 10.0.9.9:5432']);
    assert.equal(d.causes[0]?.id, 'dependency-down');
    assert.equal(d.causes[0]?.status, 'confirmed');
    assert.equal(d.causes.find((c) => c.id === 'missing-config')!.status, 'unchecked');
    assert.match(d.evidence!.find((e) => e.check === 'logs')!.detail, /the connection to 10\.0\.9\.9:5432 was refused/);
  });

  it('exit 1: a generic error confirms the application error, a missing variable the configuration', async () => {
    assert.equal((await exited(1, ['Unhandled exception: boom'])).causes[0]?.id, 'app-error');
    const d = await exited(1, ['KeyError: \'DATABASE_URL\'']);
    assert.equal(d.causes[0]?.id, 'missing-config');
    assert.equal(d.causes[0]?.status, 'confirmed');
  });
});

describe('one wording for a refused connection', () => {
  it('explain (a container reason) and diagnose (a log line) say it the same way, from one place', async () => {
    const line = 'Error: connect ECONNREFUSED 10.0.9.9:5432';
    const phrase = refusedConnectionText(line)!;
    assert.match(phrase, /^the connection to 10\.0\.9\.9:5432 was refused/);
    const offline = explainTask({ stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 1, lastStatus: 'STOPPED', reason: line }] });
    assert.ok(offline.summary.includes(phrase), offline.summary);
    assert.equal(offline.causes[0]?.id, 'dependency-down');
    const live = await exited(1, [line]);
    assert.ok(live.evidence!.find((e) => e.check === 'logs')!.detail.includes(phrase));
  });
});

describe('a running task failing its health check', () => {
  const running = async (lines: string[], hc: { command: string[]; startPeriod?: number }) => {
    const td = taskDef();
    td.containers[0]!.healthCheck = { interval: 10, timeout: 5, retries: 3, ...hc };
    const gathered: GatheredTask = {
      region: 'us-east-1',
      cluster: 'prod',
      task: { taskArn: TASK_ARN, lastStatus: 'RUNNING', healthStatus: 'UNHEALTHY', taskDefinitionArn: TD_ARN, containers: [{ name: 'app', image: IMAGE, lastStatus: 'RUNNING', exitCode: null, healthStatus: 'UNHEALTHY' }] },
      stop: { taskArn: TASK_ARN, lastStatus: 'RUNNING', containers: [{ name: 'app', exitCode: null, lastStatus: 'RUNNING', healthStatus: 'UNHEALTHY', image: IMAGE, essential: true }] },
      taskDefinition: { kind: 'read', arn: TD_ARN, facts: td },
    };
    const collect: Collect = async (kind, query) => {
      if (kind === 'logs') return { kind: 'lines', ...(query as { group: string; stream: string }), lines } as never;
      throw new Error(`no ${kind} here`);
    };
    return (await diagnose(gathered, collect)).diagnosis;
  };

  it('names the container, judges the command with the lint rules, and is never a passing health check', async () => {
    const d = await running(['ready'], { command: ['CMD', 'curl -f http://localhost:8080/health'], startPeriod: 30 });
    assert.equal(d.variant, 'running-unhealthy');
    assert.equal(d.container, 'app');
    const row = d.evidence!.find((e) => e.check === 'container-health-check')!;
    assert.equal(row.status, 'fail');
    assert.match(row.detail, /app is UNHEALTHY/);
    assert.ok(row.lines?.some((l) => /"CMD" each argument must be its own element/.test(l)), JSON.stringify(row.lines));
    assert.equal(d.causes[0]?.id, 'command-broken');
    assert.equal(d.causes[0]?.status, 'confirmed');
  });

  it('a missing startPeriod does not explain a container that is up; a 404 on the health path does', async () => {
    const d = await running(['ready', '127.0.0.1 - "GET /health HTTP/1.1" 404'], { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'] });
    assert.notEqual(d.causes.find((c) => c.id === 'no-start-period')!.status, 'confirmed');
    assert.equal(d.causes[0]?.id, 'command-broken');
    assert.equal(d.causes[0]?.status, 'confirmed');
  });
});
