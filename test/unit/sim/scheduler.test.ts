// The simulator's service scheduler (sim/scheduler.ts), driven by a ManualClock through the real
// SDK clients: replacement, task transitions, rolling deployments, health checks, target health,
// placement, the circuit breaker, service events and their wording, and determinism.
import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock } from '../../../sim/clock';
import { mergeScenarios, readScenario } from '../../../sim/scenario';
import { circuitBreakerThreshold } from '../../../sim/scheduler';
import { startSimulator, type Simulator } from '../../../sim/server';
import type { ScenarioData, ScenarioService, ScenarioTaskDefinition, TaskBehaviour } from '../../../sim/types';

const S = 1000;
const M = 60 * S;
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/live-tg/0123456789abcdef';

function td(family: string, revision: number, opts: { healthCheck?: boolean; memory?: string; ec2?: boolean } = {}): ScenarioTaskDefinition {
  return {
    family,
    revision,
    networkMode: opts.ec2 ? 'bridge' : 'awsvpc',
    requiresCompatibilities: [opts.ec2 ? 'EC2' : 'FARGATE'],
    cpu: '256',
    memory: opts.memory ?? '512',
    containerDefinitions: [
      {
        name: 'app',
        image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${family}:${revision}`,
        portMappings: [{ containerPort: 8080 }],
        ...(opts.healthCheck ? { healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 30, timeout: 5, retries: 3 } } : {}),
      },
    ],
  };
}

function scenario(service: Partial<ScenarioService> & { name: string }, extra: Partial<ScenarioData> = {}): ScenarioData {
  return {
    name: 'scheduler-test',
    taskDefinitions: [td('app', 1, { healthCheck: true }), td('app', 2, { healthCheck: true }), td('plain', 1), td('big', 1, { ec2: true, memory: '4096' })],
    clusters: [
      {
        name: 'live',
        services: [
          {
            taskDefinition: 'app:1',
            launchType: 'FARGATE',
            desiredCount: 1,
            networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60001'], securityGroups: ['sg-0123456789abcdef0'], assignPublicIp: 'DISABLED' } },
            events: [],
            scheduler: {},
            ...service,
          } as ScenarioService,
        ],
        ...(extra.clusters?.[0] ?? {}),
      },
    ],
    elbv2: {
      targetGroups: [
        { name: 'live-tg', arn: TG, protocol: 'HTTP', port: 8080, targetType: 'ip', healthCheck: { path: '/healthz', intervalSeconds: 30, healthyThresholdCount: 5, unhealthyThresholdCount: 2 }, deregistrationDelaySeconds: 30 },
      ],
    },
    ...(extra.scheduler ? { scheduler: extra.scheduler } : {}),
  };
}

let sims: Simulator[] = [];
let clients: { destroy(): void }[] = [];
async function stopAll(): Promise<void> {
  for (const c of clients) c.destroy();
  clients = [];
  for (const s of sims) await s.stop();
  sims = [];
}
afterEach(stopAll);

async function start(data: ScenarioData, opts: { scheduler?: boolean } = {}) {
  const clock = new ManualClock();
  const sim = await startSimulator({ scenario: data, clock, ...opts });
  sims.push(sim);
  const ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
  const elb = new ElasticLoadBalancingV2Client({ ...sim.clientConfig(), maxAttempts: 1 });
  clients.push(ecs, elb);
  const s = sim;
  return {
    sim: s,
    clock,
    ecs,
    elb,
    async service(name = 'svc'): Promise<Service> {
      const out = await ecs.send(new DescribeServicesCommand({ cluster: 'live', services: [name] }));
      return out.services![0]!;
    },
    async tasks(desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING', name = 'svc'): Promise<Task[]> {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await ecs.send(new ListTasksCommand({ cluster: 'live', serviceName: name, desiredStatus, nextToken }));
        arns.push(...page.taskArns!);
        nextToken = page.nextToken;
      } while (nextToken);
      const out: Task[] = [];
      for (let i = 0; i < arns.length; i += 100) {
        const d = await ecs.send(new DescribeTasksCommand({ cluster: 'live', tasks: arns.slice(i, i + 100) }));
        out.push(...d.tasks!);
      }
      return out;
    },
    messages(svc: Service): string[] {
      return (svc.events ?? []).map((e) => e.message!);
    },
  };
}

const id = (t: Task) => t.taskArn!.split('/').pop()!;

describe('simulator: the service scheduler', () => {
  it('starts the desired tasks through PROVISIONING, PENDING and RUNNING, then reports a steady state', async () => {
    const h = await start(scenario({ name: 'svc', desiredCount: 2, taskDefinition: 'plain:1' }));
    const t0 = h.clock.now();
    let tasks = await h.tasks();
    assert.equal(tasks.length, 2);
    assert.deepEqual(tasks.map((t) => t.lastStatus), ['PROVISIONING', 'PROVISIONING']);
    assert.equal(tasks[0]!.createdAt!.getTime(), t0);
    let svc = await h.service();
    assert.equal(h.messages(svc)[0], `(service svc) has started 2 tasks: (task ${id(tasks[0]!)}) (task ${id(tasks[1]!)}).`);
    assert.equal(svc.pendingCount, 2);

    await h.clock.advance(10 * S);
    h.sim.runScheduler(); // the state, read directly, catches up with the clock
    assert.deepEqual([...h.sim.state.ecs.clusters.get('live')!.tasks.values()].map((t) => t.lastStatus), ['PENDING', 'PENDING']);
    tasks = await h.tasks();
    assert.deepEqual(tasks.map((t) => t.lastStatus), ['PENDING', 'PENDING']);
    assert.equal(tasks[0]!.connectivity, 'CONNECTED');

    await h.clock.advance(20 * S);
    tasks = await h.tasks();
    assert.deepEqual(tasks.map((t) => t.lastStatus), ['RUNNING', 'RUNNING']);
    assert.equal(tasks[0]!.startedAt!.getTime(), t0 + 30 * S);
    assert.equal(tasks[0]!.containers![0]!.lastStatus, 'RUNNING');
    assert.ok(tasks[0]!.containers![0]!.runtimeId);
    svc = await h.service();
    assert.equal(svc.runningCount, 2);
    assert.equal(h.messages(svc)[0], '(service svc) has reached a steady state.');
    assert.equal(svc.deployments![0]!.runningCount, 2);
  });

  it('replaces a task stopped with StopTask', async () => {
    const h = await start(scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'plain:1' }));
    await h.clock.advance(30 * S);
    const [first] = await h.tasks();
    assert.equal(first!.lastStatus, 'RUNNING');
    await h.ecs.send(new StopTaskCommand({ cluster: 'live', task: first!.taskArn! }));
    const running = await h.tasks();
    assert.equal(running.length, 1);
    assert.notEqual(running[0]!.taskArn, first!.taskArn);
    assert.equal(running[0]!.lastStatus, 'PROVISIONING');
    const stopped = await h.tasks('STOPPED');
    assert.equal(stopped[0]!.stoppedReason, 'Task stopped by user');
    const svc = await h.service();
    assert.equal(h.messages(svc)[0], `(service svc) has started 1 tasks: (task ${id(running[0]!)}).`);
  });

  it('without a scheduler StopTask starts no replacement (the default stays as it was)', async () => {
    const data = scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'plain:1', scheduler: undefined });
    data.clusters![0]!.tasks = [{ service: 'svc' }];
    const h = await start(data);
    const [first] = await h.tasks();
    await h.ecs.send(new StopTaskCommand({ cluster: 'live', task: first!.taskArn! }));
    await h.clock.advance(10 * M);
    assert.equal((await h.tasks()).length, 0);
  });

  it('with scheduler: true it adopts a service that UpdateService touches, so a forced redeployment really starts new tasks', async () => {
    const data = scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'plain:1', scheduler: undefined });
    data.clusters![0]!.tasks = [{ service: 'svc' }];
    const h = await start(data, { scheduler: true });
    const [old] = await h.tasks();
    await h.ecs.send(new UpdateServiceCommand({ cluster: 'live', service: 'svc', enableExecuteCommand: true, forceNewDeployment: true }));
    let tasks = await h.tasks();
    assert.equal(tasks.length, 2);
    const fresh = tasks.find((t) => t.taskArn !== old!.taskArn)!;
    assert.equal(fresh.lastStatus, 'PROVISIONING');
    assert.equal(fresh.enableExecuteCommand, true);
    await h.clock.advance(40 * S);
    tasks = await h.tasks();
    assert.deepEqual(tasks.map((t) => t.taskArn), [fresh.taskArn]);
    assert.equal(tasks[0]!.containers![0]!.managedAgents![0]!.name, 'ExecuteCommandAgent');
    const stopped = await h.tasks('STOPPED');
    assert.equal(stopped[0]!.taskArn, old!.taskArn);
    const svc = await h.service();
    assert.match(stopped[0]!.stoppedReason!, new RegExp(`^Scaling activity initiated by \\(deployment ${svc.deployments![0]!.id}\\)$`));
    assert.equal(svc.deployments!.length, 1);
    assert.equal(svc.deployments![0]!.rolloutState, 'COMPLETED');
    assert.ok(h.messages(svc).includes(`(service svc) (deployment ${svc.deployments![0]!.id}) deployment completed.`));
  });

  it('rolls a deployment within maximumPercent and minimumHealthyPercent', async () => {
    const h = await start(scenario({ name: 'svc', desiredCount: 2, taskDefinition: 'app:1' }));
    await h.clock.advance(2 * M);
    const before = await h.tasks();
    assert.equal(before.length, 2);
    assert.ok(before.every((t) => t.healthStatus === 'HEALTHY'));
    await h.ecs.send(new UpdateServiceCommand({ cluster: 'live', service: 'svc', taskDefinition: 'app:2' }));
    let tasks = await h.tasks();
    assert.equal(tasks.length, 4, 'maximumPercent 200: two new tasks next to the two old ones');
    await h.clock.advance(30 * S);
    assert.equal((await h.tasks()).length, 4, 'the old tasks stay until the new ones are healthy (minimumHealthyPercent 100)');
    await h.clock.advance(30 * S);
    tasks = await h.tasks();
    assert.equal(tasks.length, 2);
    assert.ok(tasks.every((t) => t.taskDefinitionArn!.endsWith(':app:2') || t.taskDefinitionArn!.endsWith('/app:2')));
    const svc = await h.service();
    assert.equal(svc.deployments!.length, 1);
    assert.equal(svc.deployments![0]!.rolloutState, 'COMPLETED');
    assert.equal(h.messages(svc)[0], '(service svc) has reached a steady state.');
    assert.match(h.messages(svc)[1]!, /^\(service svc\) \(deployment ecs-svc\/\d+\) deployment completed\.$/);
    assert.match(h.messages(svc)[2]!, /^\(service svc\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/);
  });

  it('a deployment that cannot make progress (desired 1, minimum 100%, maximum 100%) stays IN_PROGRESS', async () => {
    const h = await start(scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'plain:1', deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 } }));
    await h.clock.advance(M);
    const [old] = await h.tasks();
    await h.ecs.send(new UpdateServiceCommand({ cluster: 'live', service: 'svc', forceNewDeployment: true }));
    await h.clock.advance(2 * 60 * M);
    const tasks = await h.tasks();
    assert.deepEqual(tasks.map((t) => t.taskArn), [old!.taskArn]);
    const svc = await h.service();
    assert.equal(svc.deployments![0]!.rolloutState, 'IN_PROGRESS');
    assert.equal(svc.deployments![0]!.runningCount, 0);
    assert.equal(svc.deployments![1]!.runningCount, 1);
  });

  it('the seeds loop: healthy at start, killed by its container health check after minutes, replaced, forever', async () => {
    const behaviour: TaskBehaviour = { containerHealth: { healthyForSeconds: 240 } };
    const h = await start(scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'app:1', scheduler: { behaviour } }));
    await h.clock.advance(60 * S);
    assert.equal((await h.tasks())[0]!.healthStatus, 'HEALTHY');
    for (let i = 0; i < 12; i++) await h.clock.advance(5 * M); // one hour, the API read every five minutes
    const stopped = await h.tasks('STOPPED');
    assert.ok(stopped.length >= 9, `expected a loop, got ${stopped.length} stopped tasks`);
    for (const t of stopped) {
      assert.equal(t.stoppedReason, 'Task failed container health checks');
      assert.equal(t.stopCode, 'ServiceSchedulerInitiated');
      assert.equal(t.containers![0]!.healthStatus, 'UNHEALTHY');
      // Lived startPeriod-less: 240 s healthy, then interval 30 x retries 3 failing.
      assert.equal(t.stoppingAt!.getTime() - t.startedAt!.getTime(), 330 * S);
    }
    const svc = await h.service();
    const msgs = h.messages(svc);
    const victim = id(stopped[0]!);
    const i = msgs.indexOf(`(service svc) (task ${victim}) failed container health checks.`);
    assert.ok(i > 0, msgs.join('\n'));
    assert.equal(msgs[i - 1], `(service svc) has stopped 1 running tasks: (task ${victim}).`);
    assert.match(msgs[i + 1]!, /^\(service svc\) has started 1 tasks: \(task [0-9a-f]{32}\)\. Amazon ECS replaced 1 tasks due to an unhealthy status\.$/);
    assert.equal((await h.tasks()).length, 1, 'desiredCount 1 is kept');
    assert.equal(svc.deployments![0]!.rolloutState, 'COMPLETED', 'a loop is not a deployment');
  });

  it('each awslogs container writes to its own stream while it runs, and stops writing when the task stops', async () => {
    const data = scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'app:1', scheduler: { behaviour: { exitAfterSeconds: 50, exitCode: 1, logs: { lines: ['app starting', 'Error: DB_URL is not set (line {n})'], everySeconds: 10 } } } });
    data.taskDefinitions![0]!.containerDefinitions![0]!.logConfiguration = { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/app', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web', 'awslogs-create-group': 'true' } };
    const h = await start(data);
    await h.clock.advance(45 * S); // PROVISIONING 10 s, PENDING 20 s: RUNNING at 30 s
    const [t] = await h.tasks();
    assert.equal(t!.lastStatus, 'RUNNING');
    const logs = new CloudWatchLogsClient({ ...h.sim.clientConfig(), maxAttempts: 1 });
    clients.push(logs);
    const read = async (task: Task) =>
      (await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/app', logStreamName: `web/app/${id(task)}`, startFromHead: true }))).events!.map((e) => e.message);
    assert.deepEqual(h.sim.state.logs.groups?.map((g) => g.streams?.map((x) => x.logStreamName)), [[`web/app/${id(t!)}`]]);
    assert.deepEqual(await read(t!), ['app starting']);
    await h.clock.advance(5 * M);
    const [stopped] = (await h.tasks('STOPPED')).filter((x) => id(x) === id(t!));
    assert.ok(stopped, 'the task exited');
    // RUNNING at 30 s, exit 50 s later: a line every 10 s, none after the stop.
    assert.deepEqual(await read(t!), ['app starting', 'Error: DB_URL is not set (line 2)', 'app starting', 'Error: DB_URL is not set (line 4)', 'app starting']);
    // Its replacements write to streams of their own, from their start to their stop.
    const others = (await h.tasks('STOPPED')).filter((x) => id(x) !== id(t!) && x.startedAt);
    assert.ok(others.length >= 2, `replacements that ran: ${others.length}`);
    for (const o of others) assert.deepEqual(await read(o), ['app starting', 'Error: DB_URL is not set (line 2)', 'app starting', 'Error: DB_URL is not set (line 4)', 'app starting']);
  });

  it('without its log group (and no awslogs-create-group) a task runs and its lines are dropped, as awslogs in non-blocking mode does', async () => {
    const data = scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'app:1', scheduler: { behaviour: { logs: { lines: ['app starting'] } } } });
    data.taskDefinitions![0]!.containerDefinitions![0]!.logConfiguration = { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/missing', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web' } };
    const h = await start(data);
    await h.clock.advance(2 * M);
    assert.equal((await h.tasks())[0]!.lastStatus, 'RUNNING');
    assert.equal(h.sim.state.logs.groups?.some((g) => g.logGroupName === '/ecs/missing') ?? false, false);
  });

  it('keeps stopped tasks visible for about an hour only, and at most 100 events, newest first', async () => {
    const h = await start(scenario({ name: 'svc', desiredCount: 2, taskDefinition: 'app:1', scheduler: { behaviour: { containerHealth: 'unhealthy' } } }));
    for (let i = 0; i < 30; i++) await h.clock.advance(10 * M);
    const stopped = await h.tasks('STOPPED');
    const now = h.clock.now();
    assert.ok(stopped.length > 20);
    // desiredStatus STOPPED lists the tasks still stopping too; the STOPPED ones stopped within the hour.
    assert.ok(stopped.every((t) => t.lastStatus !== 'STOPPED' || now - t.stoppedAt!.getTime() <= 60 * M));
    assert.ok(stopped.some((t) => t.lastStatus === 'STOPPED' && now - t.stoppedAt!.getTime() > 55 * M));
    const svc = await h.service();
    assert.equal(svc.events!.length, 100);
    const times = svc.events!.map((e) => e.createdAt!.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.ok(h.messages(svc).some((m) => m === '(service svc) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.'));
  });

  it('the circuit breaker fails the deployment after max(3, 0.5 x desired) failed tasks and rolls back to the last COMPLETED one', async () => {
    assert.equal(circuitBreakerThreshold(1), 3);
    assert.equal(circuitBreakerThreshold(10), 5);
    assert.equal(circuitBreakerThreshold(11), 6);
    assert.equal(circuitBreakerThreshold(1000), 200);
    const pull = 'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:2: not found';
    const h = await start(
      scenario({
        name: 'svc',
        desiredCount: 2,
        taskDefinition: 'app:1',
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
        scheduler: { byTaskDefinition: { 'app:2': { failToStart: pull } } },
      }),
    );
    await h.clock.advance(2 * M);
    const good = (await h.service()).deployments![0]!.id!;
    await h.ecs.send(new UpdateServiceCommand({ cluster: 'live', service: 'svc', taskDefinition: 'app:2' }));
    const bad = (await h.service()).deployments![0]!.id!;
    assert.notEqual(bad, good);
    await h.clock.advance(30 * S); // two new tasks fail to start
    let svc = await h.service();
    assert.equal(svc.deployments![0]!.id, bad);
    assert.equal(svc.deployments![0]!.failedTasks, 2);
    await h.clock.advance(30 * S); // the third and fourth: the breaker trips at three
    svc = await h.service();
    // Rolled back: the old tasks never left (minimumHealthyPercent 100), so the rollback completes at once.
    assert.equal(svc.deployments!.length, 1);
    assert.equal(svc.deployments![0]!.id, good);
    assert.equal(svc.deployments![0]!.status, 'PRIMARY');
    assert.equal(svc.deployments![0]!.rolloutState, 'COMPLETED');
    assert.match(svc.taskDefinition!, /task-definition\/app:1$/);
    const msgs = h.messages(svc);
    const j = msgs.indexOf(`(service svc) rolling back to deployment ${good}.`);
    assert.ok(j >= 0, msgs.join('\n'));
    assert.equal(msgs[j + 1], `(service svc) (deployment ${bad}) deployment failed: tasks failed to start.`);
    assert.ok(msgs.indexOf(`(service svc) (deployment ${good}) deployment completed.`) < j);
    const stopped = await h.tasks('STOPPED');
    const pulled = stopped.filter((t) => t.stopCode === 'TaskFailedToStart');
    assert.ok(pulled.length >= 3);
    assert.equal(pulled[0]!.stoppedReason, pull);
    assert.equal(pulled[0]!.startedAt, undefined);
    assert.equal(svc.runningCount, 2);
    assert.ok((await h.tasks()).every((t) => /app:1$/.test(t.taskDefinitionArn!)));
  });

  it('without rollback the circuit breaker leaves the deployment FAILED and starts no more of its tasks', async () => {
    const h = await start(
      scenario({
        name: 'svc',
        desiredCount: 1,
        taskDefinition: 'app:1',
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: false } },
        scheduler: { byTaskDefinition: { 'app:2': { exitAfterSeconds: 5, exitCode: 1 } } },
      }),
    );
    await h.clock.advance(2 * M);
    await h.ecs.send(new UpdateServiceCommand({ cluster: 'live', service: 'svc', taskDefinition: 'app:2' }));
    await h.clock.advance(10 * M);
    const svc = await h.service();
    const dep = svc.deployments![0]!;
    assert.equal(dep.status, 'PRIMARY');
    assert.equal(dep.rolloutState, 'FAILED');
    assert.equal(dep.failedTasks, 3);
    assert.equal(dep.rolloutStateReason, 'ECS deployment circuit breaker: tasks failed to start.');
    const exited = (await h.tasks('STOPPED')).filter((t) => /app:2$/.test(t.taskDefinitionArn!));
    assert.equal(exited.length, 3);
    assert.equal(exited[0]!.stopCode, 'EssentialContainerExited');
    assert.equal(exited[0]!.stoppedReason, 'Essential container in task exited');
    assert.equal(exited[0]!.containers![0]!.exitCode, 1);
    assert.equal(svc.runningCount, 1, 'the old task keeps running');
    assert.ok(h.messages(svc).slice(0, 2).includes(`(service svc) (deployment ${dep.id}) deployment failed: tasks failed to start.`));
  });

  it('registers targets and reports their health with reasons; a task failing ELB health checks is stopped after the grace period', async () => {
    const h = await start(
      scenario({
        name: 'svc',
        desiredCount: 1,
        taskDefinition: 'plain:1',
        healthCheckGracePeriodSeconds: 120,
        loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
        scheduler: { behaviour: { elbHealth: 404 } },
      }),
    );
    const health = async () => (await h.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }))).TargetHealthDescriptions ?? [];
    assert.equal((await health()).length, 0);
    await h.clock.advance(30 * S); // RUNNING: registered
    const [task] = await h.tasks();
    const ip = task!.attachments![0]!.details!.find((d) => d.name === 'privateIPv4Address')!.value;
    let th = await health();
    assert.equal(th[0]!.Target!.Id, ip);
    assert.equal(th[0]!.Target!.Port, 8080);
    assert.deepEqual([th[0]!.TargetHealth!.State, th[0]!.TargetHealth!.Reason], ['initial', 'Elb.RegistrationInProgress']);
    assert.equal(h.messages(await h.service())[0], `(service svc) registered 1 targets in (target-group ${TG})`);
    await h.clock.advance(10 * S);
    th = await health();
    assert.deepEqual([th[0]!.TargetHealth!.State, th[0]!.TargetHealth!.Reason], ['initial', 'Elb.InitialHealthChecking']);
    await h.clock.advance(60 * S); // two failed checks at 30 s
    th = await health();
    assert.deepEqual([th[0]!.TargetHealth!.State, th[0]!.TargetHealth!.Reason, th[0]!.TargetHealth!.Description], ['unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [404]']);
    let svc = await h.service();
    assert.equal(h.messages(svc)[0], `(service svc) (task ${id(task!)}) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Health checks failed with these codes: [404]).`);
    assert.equal((await h.tasks())[0]!.lastStatus, 'RUNNING', 'inside the 120 s grace period the task is left alone');
    await h.clock.advance(50 * S); // 150 s after start: past the grace period
    const t = (await h.ecs.send(new DescribeTasksCommand({ cluster: 'live', tasks: [task!.taskArn!] }))).tasks![0]!;
    assert.equal(t.desiredStatus, 'STOPPED');
    assert.equal(t.lastStatus, 'DEACTIVATING');
    assert.equal(t.stoppedReason, `Task failed ELB health checks in (target-group ${TG})`);
    th = await health();
    const draining = th.find((x) => x.Target!.Id === ip)!;
    assert.deepEqual([draining.TargetHealth!.State, draining.TargetHealth!.Reason], ['draining', 'Target.DeregistrationInProgress']);
    svc = await h.service();
    assert.deepEqual(h.messages(svc).slice(0, 3), [
      `(service svc) has stopped 1 running tasks: (task ${id(task!)}).`,
      '(service svc) has begun draining connections on 1 tasks.',
      `(service svc) deregistered 1 targets in (target-group ${TG})`,
    ]);
    assert.match(h.messages(svc)[3]!, /^\(service svc\) has started 1 tasks: \(task [0-9a-f]{32}\)\. Amazon ECS replaced 1 tasks due to an unhealthy status\.$/);
    await h.clock.advance(40 * S); // deregistration delay 30 s, then the stop
    const s2 = (await h.ecs.send(new DescribeTasksCommand({ cluster: 'live', tasks: [task!.taskArn!] }))).tasks![0]!;
    assert.equal(s2.lastStatus, 'STOPPED');
    assert.ok(!(await health()).some((x) => x.Target!.Id === ip));
  });

  it('reports Target.Timeout and a healthy target as ELBv2 does', async () => {
    const h = await start(
      scenario({
        name: 'svc',
        desiredCount: 2,
        taskDefinition: 'plain:1',
        healthCheckGracePeriodSeconds: 3600,
        loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
        scheduler: { behaviour: { elbHealth: 'timeout' } },
      }),
    );
    await h.clock.advance(2 * M);
    const th = (await h.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }))).TargetHealthDescriptions!;
    assert.deepEqual(th.map((x) => x.TargetHealth!.Reason), ['Target.Timeout', 'Target.Timeout']);
    assert.equal(th[0]!.TargetHealth!.Description, 'Request timed out');
    const svc = await h.service();
    assert.equal(svc.runningCount, 2);
    assert.ok(!h.messages(svc).includes('(service svc) has reached a steady state.'));

    const ok = await start(scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'plain:1', loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }] }));
    await ok.clock.advance(30 * S + 10 * S + 150 * S);
    const good = (await ok.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }))).TargetHealthDescriptions!;
    assert.equal(good[0]!.TargetHealth!.State, 'healthy');
    assert.equal(good[0]!.TargetHealth!.Reason, undefined);
    assert.equal(ok.messages(await ok.service())[0], '(service svc) has reached a steady state.');
  });

  it('fails placement with the event ECS writes', async () => {
    const h = await start(scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'big:1', launchType: 'EC2', networkConfiguration: undefined }));
    let svc = await h.service();
    assert.equal(
      h.messages(svc)[0],
      '(service svc) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    assert.equal((await h.tasks()).length, 0);
    await h.clock.advance(5 * M);
    svc = await h.service();
    assert.equal(svc.events!.length, 1, 'the event is not repeated on every retry');

    const data = scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'big:1', launchType: 'EC2', networkConfiguration: undefined });
    data.clusters![0]!.containerInstances = [{ id: 'c0ffee00c0ffee00c0ffee00c0ffee00', ec2InstanceId: 'i-0123456789abcdef0', cpu: 2048, memory: 3840 }];
    const small = await start(data);
    assert.equal(
      small.messages(await small.service())[0],
      '(service svc) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance c0ffee00c0ffee00c0ffee00c0ffee00) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
  });

  it('places EC2 tasks by memory: what fits runs, the rest is reported', async () => {
    const data = scenario({ name: 'svc', desiredCount: 4, taskDefinition: 'big:1', launchType: 'EC2', networkConfiguration: undefined });
    data.taskDefinitions!.push(td('mid', 1, { ec2: true, memory: '1024' }));
    data.clusters![0]!.services![0]!.taskDefinition = 'mid:1';
    data.clusters![0]!.containerInstances = [{ id: 'c0ffee00c0ffee00c0ffee00c0ffee00', ec2InstanceId: 'i-0123456789abcdef0', cpu: 2048, memory: 3840 }];
    const h = await start(data);
    await h.clock.advance(M);
    const svc = await h.service();
    assert.equal(svc.runningCount, 3);
    assert.equal(svc.desiredCount, 4);
    assert.match(h.messages(svc).at(-1)!, /^\(service svc\) has started 3 tasks: /);
    assert.ok(h.messages(svc).some((m) => m.includes('has insufficient memory available.')));
  });

  it('is deterministic: the same scenario on the same clock gives the same tasks and events', async () => {
    const run = async () => {
      const h = await start(scenario({ name: 'svc', desiredCount: 2, taskDefinition: 'app:1', scheduler: { behaviour: { containerHealth: { healthyForSeconds: 100 } } } }));
      for (let i = 0; i < 6; i++) await h.clock.advance(5 * M);
      const out = { events: h.messages(await h.service()), stopped: (await h.tasks('STOPPED')).map((t) => [t.taskArn, t.stoppedAt!.getTime() - h.clock.now()]) };
      await stopAll();
      return out;
    };
    const a = await run();
    const b = await run();
    assert.ok(a.stopped.length > 5);
    assert.deepEqual(a, b);
  });

  it('runs a scenario fast (speed) and loads it with its history (historySeconds)', async () => {
    const h = await start(scenario({ name: 'svc', desiredCount: 1, taskDefinition: 'app:1', scheduler: { behaviour: { containerHealth: { healthyForSeconds: 240 } } } }, { scheduler: { speed: 10, historySeconds: 600 } }));
    const stopped = await h.tasks('STOPPED');
    // 10 minutes at speed 10 hold about 100 minutes of loop: each task lives 33 s + 3 s to start.
    assert.ok(stopped.length >= 15, `got ${stopped.length}`);
    assert.ok(stopped.every((t) => t.stoppedAt!.getTime() <= h.clock.now()));
    assert.equal(stopped[0]!.stoppingAt!.getTime() - stopped[0]!.startedAt!.getTime(), 33 * S);
  });
});

describe('simulator: the services scenario (one live service per verdict)', () => {
  it('loads each service in the state its verdict needs, with 30 minutes of history', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ scenario: 'services', clock });
    sims.push(sim);
    const ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    const elb = new ElasticLoadBalancingV2Client({ ...sim.clientConfig(), maxAttempts: 1 });
    clients.push(ecs, elb);
    const names = ['healthy-web', 'restart-loop', 'restart-loop-elb', 'rollback', 'stuck-config', 'stuck-failing', 'stuck-placement', 'under-capacity', 'unhealthy'];
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'live', services: names.slice(0, 10) }));
    const by = new Map(services!.map((s) => [s.serviceName!, s]));
    const msgs = (n: string) => by.get(n)!.events!.map((e) => e.message!);
    const stopped = async (n: string) => (await ecs.send(new ListTasksCommand({ cluster: 'live', serviceName: n, desiredStatus: 'STOPPED' }))).taskArns!.length;

    const healthy = by.get('healthy-web')!;
    assert.equal(healthy.runningCount, 2);
    assert.equal(healthy.deployments![0]!.rolloutState, 'COMPLETED');
    assert.equal(msgs('healthy-web')[0], '(service healthy-web) has reached a steady state.');

    assert.ok((await stopped('restart-loop')) >= 8);
    assert.ok(msgs('restart-loop').some((m) => / failed container health checks\.$/.test(m)));
    assert.equal(by.get('restart-loop')!.deployments![0]!.rolloutState, 'COMPLETED');

    assert.ok((await stopped('restart-loop-elb')) >= 3);
    assert.ok(msgs('restart-loop-elb').some((m) => /\(port 8080\) is unhealthy in \(target-group arn:[^)]+live-pricing-tg[^)]+\) due to \(reason Request timed out\)\.$/.test(m)));
    const elbStopped = (await ecs.send(new DescribeTasksCommand({ cluster: 'live', tasks: (await ecs.send(new ListTasksCommand({ cluster: 'live', serviceName: 'restart-loop-elb', desiredStatus: 'STOPPED' }))).taskArns! }))).tasks!;
    assert.ok(elbStopped.every((t) => /^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/live-pricing-tg\/4d5e6f7a8b9c0d1e\)$/.test(t.stoppedReason!)));

    const rb = by.get('rollback')!;
    assert.match(rb.taskDefinition!, /orders:6$/);
    assert.ok(msgs('rollback').some((m) => /^\(service rollback\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/.test(m)));
    assert.ok(msgs('rollback').some((m) => /^\(service rollback\) rolling back to deployment ecs-svc\/\d+\.$/.test(m)));

    const cfg = by.get('stuck-config')!;
    assert.equal(cfg.deployments![0]!.rolloutState, 'IN_PROGRESS');
    assert.deepEqual([cfg.deploymentConfiguration!.minimumHealthyPercent, cfg.deploymentConfiguration!.maximumPercent], [100, 100]);
    assert.equal(cfg.runningCount, 1);

    const failing = by.get('stuck-failing')!;
    assert.equal(failing.deployments![0]!.rolloutState, 'IN_PROGRESS');
    assert.ok(failing.deployments![0]!.failedTasks! > 20);
    assert.ok(msgs('stuck-failing').includes('(service stuck-failing) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.'));

    const placement = by.get('stuck-placement')!;
    assert.equal(placement.deployments![0]!.rolloutState, 'IN_PROGRESS');
    assert.match(msgs('stuck-placement')[0]!, /was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]{32}\) has insufficient memory available\./);

    const under = by.get('under-capacity')!;
    assert.deepEqual([under.runningCount, under.desiredCount, under.deployments![0]!.rolloutState], [2, 4, 'COMPLETED']);

    const sick = by.get('unhealthy')!;
    assert.equal(sick.runningCount, 2);
    const th = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: sick.loadBalancers![0]!.targetGroupArn! }));
    assert.deepEqual(th.TargetHealthDescriptions!.map((x) => x.TargetHealth!.Reason), ['Target.ResponseCodeMismatch', 'Target.ResponseCodeMismatch']);
    assert.match(msgs('unhealthy')[0]!, /\(port 8080\) is unhealthy in \(target-group arn:aws:elasticloadbalancing:[^)]+\) due to \(reason Health checks failed with these codes: \[404\]\)\.$/);

    // Time goes on: the loop keeps looping.
    const before = await stopped('restart-loop');
    for (let i = 0; i < 6; i++) await clock.advance(5 * M);
    assert.ok((await stopped('restart-loop')) > before);
  });
});

describe('simulator: the playground account (demo + services, scheduler on)', () => {
  it('keeps the demo clusters as they are, adds `live`, and really redeploys on Enable and Redeploy', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ scenario: mergeScenarios(readScenario('demo'), readScenario('services')), clock, scheduler: true });
    sims.push(sim);
    const ecs = new ECSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    clients.push(ecs);
    assert.deepEqual([...sim.state.ecs.clusters.keys()], ['prod', 'legacy-ec2', 'staging', 'default', 'live']);
    assert.equal(sim.state.ecs.clusters.get('live')!.services.size, 9);
    const list = async () => (await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'worker' }))).taskArns!;
    const before = await list();
    await clock.advance(10 * M);
    assert.deepEqual(await list(), before, 'the demo services are not run until touched');
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'worker', enableExecuteCommand: true, forceNewDeployment: true }));
    const during = await list();
    assert.ok(during.length > before.length, 'new tasks start');
    const fresh = during.filter((a) => !before.includes(a));
    const d = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: fresh }));
    assert.ok(d.tasks!.every((t) => t.enableExecuteCommand === true && t.lastStatus === 'PROVISIONING'));
  });
});
