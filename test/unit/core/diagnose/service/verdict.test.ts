// The service doctor's verdicts, one per kind, from DescribeServices-shaped input; and thin data
// (missing fields) that must degrade to "not checked", never to a wrong verdict.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { diagnoseService } from '../../../../../src/core/diagnose/service';
import { configurationBlocks } from '../../../../../src/core/diagnose/service/verdict';
import { ago, gathered, NOW, runningTask, service, stoppedTask, TD, TG } from './helpers';

describe('service verdict', () => {
  it('healthy: running = desired, steady, no failure stops', () => {
    const r = diagnoseService(gathered());
    assert.equal(r.verdict.kind, 'healthy');
    assert.match(r.verdict.summary, /2 of 2 tasks running, no failure stops/);
    assert.deepEqual(r.causes, []);
  });

  it('restart-loop: three or more failure stops in the last hour, with lifetimes and the count since the deployment', () => {
    const stopped = Array.from({ length: 5 }, (_, i) => stoppedTask({ stoppedAgo: 300 + i * 600, lived: 240 }));
    const r = diagnoseService(gathered({ stopped: { ok: true, value: stopped } }));
    assert.equal(r.verdict.kind, 'restart-loop');
    assert.match(r.verdict.summary, /5 stopped for a failure in the last hour \(5 since the last deployment\)\. They lived 4 min \(median\)/);
    assert.equal(r.stoppedTasks.count, 5);
    assert.deepEqual(r.stoppedTasks.byCategory, { ElbHealthCheckFailed: 5 });
  });

  it('not a loop: a deployment\'s scale-in stops are not failures', () => {
    const stopped = Array.from({ length: 6 }, () => stoppedTask({ stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)', exitCode: 0 }));
    const r = diagnoseService(gathered({ stopped: { ok: true, value: stopped } }));
    assert.equal(r.verdict.kind, 'healthy');
    assert.equal(r.stoppedTasks.count, 6);
    assert.equal(r.stoppedTasks.failuresLastHour, 0);
  });

  it('stops older than an hour are not counted', () => {
    const stopped = Array.from({ length: 4 }, () => stoppedTask({ stoppedAgo: 4000 }));
    const r = diagnoseService(gathered({ stopped: { ok: true, value: stopped } }));
    assert.equal(r.stoppedTasks.count, 0);
    assert.notEqual(r.verdict.kind, 'restart-loop');
  });

  it('deployment-failed: the circuit breaker rolled back from web:2 to web:1', () => {
    const svc = service({
      deployments: [
        { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD(1), rolloutState: 'IN_PROGRESS', desiredCount: 2, runningCount: 1, createdAt: ago(120) },
        { id: 'ecs-svc/3', status: 'ACTIVE', taskDefinition: TD(2), rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks: 3, createdAt: ago(1200) },
      ],
      events: [
        { createdAt: ago(120), message: '(service web) rolling back to deployment ecs-svc/2.' },
        { createdAt: ago(120), message: '(service web) (deployment ecs-svc/3) deployment failed: tasks failed to start.' },
      ],
    });
    const r = diagnoseService(gathered({ service: svc }));
    assert.equal(r.verdict.kind, 'deployment-failed');
    assert.equal(r.verdict.from, 'web:2');
    assert.equal(r.verdict.to, 'web:1');
    assert.match(r.verdict.summary, /tasks failed to start.*rolled back to web:1/);
    assert.ok(r.fixes.some((f) => f.command === 'aws ecs describe-task-definition --task-definition web:2'));
  });

  it('deployment-failed without rollback says the service stays on the failed revision', () => {
    const svc = service({ deployments: [{ id: 'ecs-svc/3', status: 'PRIMARY', taskDefinition: TD(2), rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', createdAt: ago(1200) }] });
    const r = diagnoseService(gathered({ service: svc }));
    assert.equal(r.verdict.kind, 'deployment-failed');
    assert.equal(r.verdict.to, undefined);
    assert.match(r.verdict.summary, /rollback is off/);
  });

  it('deployment-stuck: desired 1 with 100/100 cannot progress', () => {
    const svc = service({
      desiredCount: 1,
      runningCount: 1,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 },
      deployments: [
        { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD(2), rolloutState: 'IN_PROGRESS', desiredCount: 1, runningCount: 0, createdAt: ago(600) },
        { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: TD(1), rolloutState: 'COMPLETED', desiredCount: 1, runningCount: 1, createdAt: ago(86400) },
      ],
    });
    const r = diagnoseService(gathered({ service: svc }));
    assert.equal(r.verdict.kind, 'deployment-stuck');
    assert.match(r.verdict.why ?? '', /desired 1 with minimumHealthyPercent 100 and maximumPercent 100/);
    assert.equal(r.causes[0]?.id, 'deployment-configuration');
    assert.equal(r.fixes[0]?.command, 'aws ecs update-service --cluster prod --service web --deployment-configuration maximumPercent=200,minimumHealthyPercent=100');
  });

  it('configurationBlocks rounds like ECS (min up, max down)', () => {
    const svc = (min: number, max: number) => service({ deploymentConfiguration: { minimumHealthyPercent: min, maximumPercent: max } });
    assert.equal(configurationBlocks(svc(100, 100), 1), true);
    assert.equal(configurationBlocks(svc(100, 200), 1), false);
    assert.equal(configurationBlocks(svc(75, 100), 2), true); // 75% of 2 rounds up to 2
    assert.equal(configurationBlocks(svc(50, 100), 2), false);
    assert.equal(configurationBlocks(svc(100, 149), 2), true); // 149% of 2 rounds down to 2
  });

  it('deployment-stuck: new tasks keep failing', () => {
    const svc = service({ deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD(2), rolloutState: 'IN_PROGRESS', desiredCount: 2, runningCount: 0, failedTasks: 2, createdAt: ago(900) }, { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: TD(1), desiredCount: 2, runningCount: 2, createdAt: ago(86400) }] });
    const stopped = [stoppedTask({ stoppedAgo: 100, taskDefinitionArn: TD(2) }), stoppedTask({ stoppedAgo: 400, taskDefinitionArn: TD(2) })];
    const r = diagnoseService(gathered({ service: svc, stopped: { ok: true, value: stopped } }));
    assert.equal(r.verdict.kind, 'deployment-stuck');
    assert.match(r.verdict.why ?? '', /new tasks keep failing/);
    assert.ok(r.fixes.some((f) => f.command === 'aws ecs update-service --cluster prod --service web --task-definition web:1'));
  });

  it('a young rollout with no failures is not stuck', () => {
    const svc = service({ deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD(2), rolloutState: 'IN_PROGRESS', desiredCount: 2, runningCount: 1, createdAt: ago(120) }, { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: TD(1), desiredCount: 2, runningCount: 1, createdAt: ago(86400) }] });
    const r = diagnoseService(gathered({ service: svc }));
    assert.equal(r.verdict.kind, 'healthy');
    assert.match(r.verdict.summary, /in progress/);
  });

  it('unhealthy: running tasks UNHEALTHY', () => {
    const r = diagnoseService(gathered({ running: { ok: true, value: [runningTask('UNHEALTHY'), runningTask()] } }));
    assert.equal(r.verdict.kind, 'unhealthy');
    assert.match(r.verdict.summary, /1 running task UNHEALTHY/);
  });

  it('unhealthy: targets unhealthy, 404 read as path or port, not a dead app', () => {
    const svc = service({ loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }], healthCheckGracePeriodSeconds: 60 });
    const r = diagnoseService(
      gathered({
        service: svc,
        targetGroups: [{ arn: TG, group: { ok: true, value: { targetGroupArn: TG, targetGroupName: 'web-tg', healthCheckPath: '/healthz', healthCheckPort: 'traffic-port' } }, health: { ok: true, value: [{ id: '10.0.0.1', port: 8080, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' }] } }],
      }),
    );
    assert.equal(r.verdict.kind, 'unhealthy');
    const c = r.causes.find((x) => x.id === 'health-check-path');
    assert.equal(c?.status, 'confirmed');
    assert.match(c!.text, /up and answering HTTP, but not on the health-check path/);
    assert.equal(r.fixes[0]?.command, `aws elbv2 modify-target-group --target-group-arn ${TG} --health-check-path '<path that answers 200>'`);
  });

  it('502 from the health path means the app errs there: no path change is offered', () => {
    const svc = service({ loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }] });
    const r = diagnoseService(
      gathered({
        service: svc,
        targetGroups: [{ arn: TG, group: { ok: true, value: { targetGroupArn: TG, healthCheckPath: '/healthz' } }, health: { ok: true, value: [{ id: '10.0.0.1', port: 8080, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [502]' }] } }],
      }),
    );
    assert.equal(r.verdict.kind, 'unhealthy');
    assert.equal(r.causes.find((c) => c.id === 'health-check-error')?.status, 'likely');
    assert.ok(!r.fixes.some((f) => f.command?.includes('--health-check-path')));
  });

  it('under-capacity: fewer running than desired, with the placement event\'s reason', () => {
    const svc = service({ desiredCount: 3, runningCount: 1, events: [{ createdAt: ago(60), message: '(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0123) has insufficient memory available. For more information, see the Troubleshooting section.' }] });
    const r = diagnoseService(gathered({ service: svc }));
    assert.equal(r.verdict.kind, 'under-capacity');
    assert.match(r.verdict.summary, /1 of 3 tasks running: tasks cannot be placed: insufficient memory available/);
    assert.equal(r.causes[0]?.id, 'placement');
  });

  it('thin data: no counts, deployments or events -> "not checked", never a problem verdict', () => {
    const thin = { serviceName: 'web' };
    const r = diagnoseService(gathered({ service: thin, running: { ok: false, reason: 'needs ecs:ListTasks', missingPermission: 'ecs:ListTasks' }, stopped: { ok: false, reason: 'needs ecs:ListTasks', missingPermission: 'ecs:ListTasks' } }));
    assert.equal(r.verdict.kind, 'healthy');
    assert.match(r.verdict.summary, /did not report the desired and running counts \(not checked\)/);
    for (const check of ['service', 'deployments', 'events', 'stopped-tasks', 'running-tasks']) assert.equal(r.evidence.find((e) => e.check === check)?.status, 'skipped', check);
    assert.equal(r.evidence.find((e) => e.check === 'stopped-tasks')?.missingPermission, 'ecs:ListTasks');
    assert.equal(r.stoppedTasks.checked, false);
  });

  it('thin data: stopped tasks not read, the events alone can still show a loop', () => {
    const events = [];
    for (let i = 0; i < 4; i++) {
      events.push({ createdAt: ago(300 + i * 600), message: `(service web) has started 1 tasks: (task ${i}).` });
      events.push({ createdAt: ago(100 + i * 600), message: `(service web) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Health checks failed with these codes: [502]).` });
    }
    const r = diagnoseService(gathered({ service: service({ events }), stopped: { ok: false, reason: 'needs ecs:ListTasks' } }));
    assert.equal(r.verdict.kind, 'restart-loop');
    assert.match(r.verdict.summary, /stopped tasks themselves were not read/);
  });

  it('quotes names in fix commands for the shell', () => {
    const svc = service({ serviceName: "web $(reboot) 'x'", desiredCount: 1, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 }, deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD(2), rolloutState: 'IN_PROGRESS', desiredCount: 1, runningCount: 0, createdAt: ago(600) }, { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: TD(1), desiredCount: 1, runningCount: 1, createdAt: ago(86400) }] });
    const r = diagnoseService(gathered({ service: svc }));
    assert.equal(r.fixes[0]?.command, `aws ecs update-service --cluster prod --service 'web $(reboot) '\\''x'\\''' --deployment-configuration maximumPercent=200,minimumHealthyPercent=100`);
  });

  it('text from AWS is kept as text (the faces escape it)', () => {
    const svc = service({ events: [{ createdAt: ago(60), message: '(service web) <img src=x onerror=alert(1)> has reached a steady state.' }] });
    const r = diagnoseService(gathered({ service: svc }));
    assert.equal(r.events[0]?.message, '(service web) <img src=x onerror=alert(1)> has reached a steady state.');
  });
});

describe('the running task definition\'s health-check findings among the causes', () => {
  // A task definition whose container health check has no startPeriod: a lint warning.
  const noStartPeriod = {
    ok: true as const,
    value: {
      facts: { arn: TD(1), containers: [{ name: 'app', portMappings: [{ containerPort: 8080 }], secrets: [], healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 30, retries: 3 } }] },
      document: {
        family: 'web',
        networkMode: 'awsvpc',
        containerDefinitions: [{ name: 'app', image: 'app:1', essential: true, portMappings: [{ containerPort: 8080 }], healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 30, retries: 3 } }],
      },
    },
  };
  const lintCauses = (r: ReturnType<typeof diagnoseService>) => r.causes.filter((c) => c.id.startsWith('lint:'));

  it('are likely when health checks are what fails', () => {
    const stopped = Array.from({ length: 4 }, () => stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: 'Task failed container health checks', lived: 95 }));
    const r = diagnoseService(gathered({ stopped: { ok: true, value: stopped }, taskDefinition: noStartPeriod }));
    assert.ok(lintCauses(r).length > 0, JSON.stringify(r.causes.map((c) => c.id)));
    assert.ok(lintCauses(r).every((c) => c.status === 'likely'));
  });

  it('are no cause at all when the stops have another known cause (an image that does not exist)', () => {
    const stopped = Array.from({ length: 4 }, () =>
      stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:7: not found', exitCode: null }),
    );
    const r = diagnoseService(gathered({ stopped: { ok: true, value: stopped }, taskDefinition: noStartPeriod }));
    assert.equal(r.verdict.kind, 'restart-loop');
    assert.deepEqual(lintCauses(r), []);
    // The finding is still evidence about the task definition.
    assert.match(JSON.stringify(r.evidence.find((e) => e.check === 'task-definition')), /startPeriod/);
  });
});

describe('memory read against one task\'s limit', () => {
  const oomStops = () =>
    Array.from({ length: 4 }, (_, i) => stoppedTask({ stopCode: 'EssentialContainerExited', stoppedReason: 'OutOfMemoryError: Container killed due to memory usage', exitCode: 137, stoppedAgo: 300 + i * 420, lived: 400 }));
  const td = { ok: true as const, value: { facts: { arn: TD(1), memory: '512', containers: [{ name: 'app', portMappings: [], secrets: [] }] }, document: { family: 'web', containerDefinitions: [{ name: 'app', image: 'app:1' }] } } };
  // Each task: 200 MiB after start, growing to the 512 MiB limit (a leak), killed, replaced.
  const grow = [200, 300, 400, 480, 200, 300, 400, 490, 200, 310, 420, 500];
  const at = (i: number) => NOW - (grow.length - i) * 60_000;
  const mib = { source: 'ECS/ContainerInsights MemoryUtilized (Maximum, 1 min)', unit: 'MiB' as const, points: grow.map((v, i) => ({ t: at(i), v })) };
  const pct = { source: 'AWS/ECS MemoryUtilization (Maximum, 1 min)', unit: 'Percent' as const, points: grow.map((v, i) => ({ t: at(i), v: (v / 512) * 100 })) };

  it('prefers AWS/ECS MemoryUtilization (the hungriest task, in percent of its own memory)', () => {
    const r = diagnoseService(gathered({ stopped: { ok: true, value: oomStops() }, taskDefinition: td, memory: { ok: true, value: [mib, pct] } }));
    assert.equal(r.memory?.pattern, 'growing');
    assert.equal(r.memory?.series?.unit, 'Percent');
  });

  it('reads the service\'s MiB against one task\'s limit only when the service runs one task', () => {
    const two = diagnoseService(gathered({ stopped: { ok: true, value: oomStops() }, taskDefinition: td, memory: { ok: true, value: [mib] } }));
    assert.equal(two.memory?.pattern, 'unclear');
    assert.match(two.memory!.text, /AWS\/ECS MemoryUtilization was not returned, .* its tasks' memory together \(2 desired, 2 running\)/);
    // Scaled down to one task since: the hour's total still covers the others.
    const down = diagnoseService(gathered({ service: service({ desiredCount: 1, runningCount: 2 }), stopped: { ok: true, value: oomStops() }, taskDefinition: td, memory: { ok: true, value: [mib] } }));
    assert.equal(down.memory?.pattern, 'unclear');
    const one = diagnoseService(
      gathered({ service: service({ desiredCount: 1, runningCount: 1 }), running: { ok: true, value: [runningTask()] }, stopped: { ok: true, value: oomStops() }, taskDefinition: td, memory: { ok: true, value: [mib] } }),
    );
    assert.equal(one.memory?.pattern, 'growing');
  });
});

describe('a partial placement failure', () => {
  it('under-capacity names the placement failure ECS reported once, though tasks started after it', () => {
    const svc = service({
      desiredCount: 4,
      runningCount: 2,
      events: [
        { createdAt: ago(280), message: '(service web) has started 2 tasks: (task a) (task b).' },
        { createdAt: ago(300), message: '(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0123) has insufficient memory available. For more information, see the Troubleshooting section.' },
      ],
    });
    const r = diagnoseService(gathered({ service: svc, running: { ok: true, value: [runningTask(), runningTask()] } }));
    assert.equal(r.verdict.kind, 'under-capacity');
    assert.match(r.verdict.summary, /2 of 4 tasks running: tasks cannot be placed: insufficient memory available/);
  });
});
