// The service doctor on a service with 1,000 tasks stopped in the last hour, through the same
// gathering the CLI and the editor use (AwsSession, the data layer's pacer and batching), with
// 50 ms per call and ECS's throttle buckets on the simulator side. The simulator runs in its own
// process (bench/simProcess.ts): its JSON work is the endpoint's, not the client's being measured.
//
// The floor: DescribeServices first (1 latency), then in parallel the STOPPED tasks' 10 ListTasks
// pages one after the other with each page's DescribeTasks overlapping the next page (10 pages + the
// last page's describe = 11 latencies), the RUNNING page and its describe, the task definition and
// the target group's settings and health. Calls: 1 + 10 + 10 + 1 + 1 + 1 + 2 = 26. The newest
// stop's task diagnosis is left out here (explainDominant: false): its calls are the task
// diagnosis's own and depend on its stop family.
import type { ScenarioData } from '../sim/types';
import { diagnoseService } from '../src/aws/diagnose/service';
import { AwsSession } from '../src/aws/session';
import { sandboxEnv } from '../test/awsSandbox';
import { median, round } from './common';
import { startSimulatorProcess } from './simProcess';

const STOPPED = 1000;
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/churn-tg/0123456789abcdef';

export function serviceBenchScenario(): ScenarioData {
  return {
    name: 'service-bench',
    taskDefinitions: [{ family: 'web', revision: 1, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx:1.27', essential: true, portMappings: [{ containerPort: 8080 }] }] }],
    elbv2: { targetGroups: [{ name: 'churn-tg', arn: TG, protocol: 'HTTP', port: 8080, targetType: 'ip', healthCheck: { path: '/health', port: 'traffic-port' }, targets: [{ id: '10.0.0.1', port: 8080, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' }] }] },
    clusters: [
      {
        name: 'bench',
        services: [{ name: 'churn', taskDefinition: 'web:1', desiredCount: 2, runningTasks: 2, loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }] }],
        tasks: [{ service: 'churn', lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Task failed ELB health checks in (target-group ${TG})`, createdAt: '-30m', startedAt: '-29m', stoppedAt: '-25m', containers: [{ name: 'app', exitCode: 143 }], count: STOPPED }],
      },
    ],
  };
}

export async function benchService(runs: number, log: (m: string) => void = () => undefined): Promise<Record<string, number>> {
  sandboxEnv();
  const latencyMs = 50;
  const pages = Math.ceil(STOPPED / 100);
  const floorMs = (1 + pages + 1) * latencyMs;
  const callsFloor = 1 + pages + pages + 1 + 1 + 1 + 2;
  const data = serviceBenchScenario();
  const sim = await startSimulatorProcess({ scenario: data, latencyMs, throttle: true, maxCallLog: 5000 });
  const times: number[] = [];
  let first: number | undefined;
  let calls = 0;
  try {
    // Run 0 is the first diagnosis in a fresh process (the SDK's modules loaded and compiled on the
    // way): reported on its own. The figure held to the floor is the median of the runs after it,
    // as a user meets it in the editor, where the explorer has already loaded the SDK. Every run has
    // its own session: new clients, credentials and connections.
    for (let i = 0; i <= runs; i++) {
      await sim.reset();
      const session = new AwsSession({ region: 'us-east-1', endpoint: sim.url });
      try {
        const t0 = performance.now();
        const r = await diagnoseService(session, 'bench', 'churn', { explainDominant: false });
        const ms = performance.now() - t0;
        if (r.stoppedTasks.count !== STOPPED) throw new Error(`expected ${STOPPED} stopped tasks, got ${r.stoppedTasks.count}`);
        if (i === 0) first = ms;
        else times.push(ms);
        const made = (await sim.calls()).length;
        calls = Math.max(calls, made);
        log(`service doctor ${i === 0 ? 'first run (fresh process)' : `run ${i}/${runs}`}: ${ms.toFixed(0)} ms, ${made} calls (${r.verdict.kind})`);
      } finally {
        session.dispose();
      }
    }
  } finally {
    await sim.stop();
  }
  return {
    'service.stopped1000Ms': round(median(times)),
    'service.stopped1000FirstMs': round(first ?? NaN),
    'service.stopped1000FloorMs': floorMs,
    'service.apiCalls': calls,
    'service.apiCallsFloor': callsFloor,
  };
}
