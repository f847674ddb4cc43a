// The service doctor on a service with 1,000 tasks stopped in the last hour, through the same
// gathering the CLI and the editor use (AwsSession, the data layer's pacer and batching), with
// 50 ms per call and ECS's throttle buckets on the simulator side.
//
// The floor: DescribeServices first (1 latency), then in parallel the STOPPED tasks' 10 ListTasks
// pages one after the other with each page's DescribeTasks overlapping the next page (10 pages + the
// last page's describe = 11 latencies), the RUNNING page and its describe, the task definition and
// the target group's settings and health. Calls: 1 + 10 + 10 + 1 + 1 + 1 + 2 = 26. The newest
// stop's task diagnosis is left out here (explainDominant: false): its calls are the task
// diagnosis's own and depend on its stop family.
import { startSimulator } from '../sim/server';
import type { ScenarioData } from '../sim/types';
import { diagnoseService } from '../src/aws/diagnose/service';
import { AwsSession } from '../src/aws/session';
import { sandboxEnv } from '../test/awsSandbox';
import { median, round } from './common';

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
  const sim = await startSimulator({ scenario: data, latencyMs, throttle: true, maxCallLog: 5000 });
  const times: number[] = [];
  let calls = 0;
  try {
    for (let i = 0; i < runs; i++) {
      sim.load(data);
      sim.clearCalls();
      const session = new AwsSession({ region: 'us-east-1', endpoint: sim.url });
      try {
        const t0 = performance.now();
        const r = await diagnoseService(session, 'bench', 'churn', { explainDominant: false });
        const ms = performance.now() - t0;
        if (r.stoppedTasks.count !== STOPPED) throw new Error(`expected ${STOPPED} stopped tasks, got ${r.stoppedTasks.count}`);
        times.push(ms);
        calls = Math.max(calls, sim.calls.length);
        log(`service doctor run ${i + 1}/${runs}: ${ms.toFixed(0)} ms, ${sim.calls.length} calls (${r.verdict.kind})`);
      } finally {
        session.dispose();
      }
    }
  } finally {
    await sim.stop();
  }
  return {
    'service.stopped1000Ms': round(median(times)),
    'service.stopped1000FloorMs': floorMs,
    'service.apiCalls': calls,
    'service.apiCallsFloor': callsFloor,
  };
}
