// Builders for the service doctor's pure tests: a service as DescribeServices reports it, tasks as
// DescribeTasks does, all at a fixed "now" so no test depends on the clock.
import type { TaskFacts } from '../../../../../src/core/diagnose/facts';
import type { ServiceGathered, ServiceInput } from '../../../../../src/core/diagnose/service';

export const NOW = Date.parse('2026-06-01T12:00:00Z');
export const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
export const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef';
export const TD = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;

export function service(over: Partial<ServiceInput> = {}): ServiceInput {
  return {
    serviceName: 'web',
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    taskDefinition: TD(1),
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
    deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: TD(1), desiredCount: 2, runningCount: 2, rolloutState: 'COMPLETED', createdAt: ago(86400), updatedAt: ago(86400) }],
    events: [{ createdAt: ago(600), message: '(service web) has reached a steady state.' }],
    loadBalancers: [],
    ...over,
  };
}

let n = 0;
export function stoppedTask(over: Partial<TaskFacts> & { lived?: number; stoppedAgo?: number; exitCode?: number | null; reason?: string } = {}): TaskFacts {
  const { lived = 240, stoppedAgo = 300, exitCode = 143, reason, ...rest } = over;
  const id = (++n).toString(16).padStart(32, '0');
  return {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    group: 'service:web',
    taskDefinitionArn: TD(1),
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason: `Task failed ELB health checks in (target-group ${TG})`,
    startedAt: ago(stoppedAgo + lived),
    stoppedAt: ago(stoppedAgo),
    containers: [{ name: 'app', lastStatus: 'STOPPED', exitCode, ...(reason ? { reason } : {}) }],
    ...rest,
  };
}

export function runningTask(health = 'HEALTHY'): TaskFacts {
  const id = (++n).toString(16).padStart(32, 'a');
  return { taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`, lastStatus: 'RUNNING', healthStatus: health, startedAt: ago(3000), group: 'service:web', taskDefinitionArn: TD(1), containers: [{ name: 'app', lastStatus: 'RUNNING', healthStatus: health }] };
}

export function gathered(over: Partial<ServiceGathered> = {}): ServiceGathered {
  return {
    region: 'us-east-1',
    cluster: 'prod',
    now: NOW,
    service: service(),
    stopped: { ok: true, value: [] },
    running: { ok: true, value: [runningTask(), runningTask()] },
    taskDefinition: { ok: false, reason: 'not read in this test' },
    targetGroups: [],
    ...over,
  };
}
