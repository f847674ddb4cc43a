/** The service's recent events and the state of its deployments. */
import { clusterNameOf, taskIdOf } from '../../arn';
import type { ServiceFacts } from '../facts';
import type { Judge } from '../live';
import type { Evidence } from '../types';
import { clip, plural, q } from './text';

/** An event naming a task: "(task 0123...)", "task 0123... failed", a task ARN. */
const TASK_IDS = /\btask[ /]\(?[0-9a-f]{32}\b|task\/[^\s/]+\/[0-9a-f]{32}\b/i;

const BAD_EVENT = /unable to place|unhealthy|failed|rolling back|rolled back|circuit breaker|unable to|insufficient|error|deregistered .* because/i;

/** The service's recent events and the state of its deployments (circuit breaker). */
export function judgeService(svc: ServiceFacts, opts: { since?: string; max?: number; taskId?: string; cluster?: string; taskRunning?: boolean } = {}): Evidence[] {
  const max = opts.max ?? 8;
  const cluster = opts.cluster ?? '<cluster>';
  const since = opts.since ? Date.parse(opts.since) : undefined;
  const recent = svc.events.filter((e) => since === undefined || !e.createdAt || Date.parse(e.createdAt) >= since).slice(0, max);
  const shown = (recent.length ? recent : svc.events.slice(0, max)).map((e) => `${e.createdAt ? `${e.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z')}  ` : ''}${e.message}`);
  // Only events about this task (or about no task in particular) count: a failing health check of
  // another task says nothing about this one.
  const aboutOther = (m: string) => opts.taskId !== undefined && TASK_IDS.test(m) && !m.includes(opts.taskId);
  const bad = recent.filter((e) => BAD_EVENT.test(e.message) && !aboutOther(e.message));
  const command = `aws ecs describe-services --cluster ${q(cluster)} --services ${q(svc.name)} --query 'services[0].events[:10]'`;
  const events: Evidence = bad.length
    ? { check: 'service-events', title: 'Service events', status: 'fail', detail: `${plural(bad.length, 'recent event')} of ${svc.name} report a problem: "${clip(bad[0]!.message, 240)}".`, lines: shown, command }
    : {
        check: 'service-events',
        title: 'Service events',
        status: 'pass',
        detail: recent.length ? `The ${plural(recent.length, 'recent event')} of ${svc.name} report no problem.` : `${svc.name} has no recent events.`,
        lines: shown,
        command,
      };

  const primary = svc.deployments.find((d) => d.status === 'PRIMARY') ?? svc.deployments[0];
  const cb = svc.circuitBreaker;
  const cbText = cb?.enable ? `circuit breaker on${cb.rollback ? ' with rollback' : ' without rollback'}` : 'circuit breaker off';
  const failedTasks = svc.deployments.reduce((n, d) => n + (d.failedTasks ?? 0), 0);
  const state = primary
    ? `Deployment ${primary.id ?? ''} ${primary.rolloutState ?? primary.status ?? ''}${primary.rolloutStateReason ? ` (${primary.rolloutStateReason})` : ''}`.replace(/\s+/g, ' ').trim()
    : 'No deployment';
  const running = svc.runningCount;
  const desired = svc.desiredCount;
  const counts = `${running ?? 'running count not reported'}${running !== undefined ? `/${desired ?? '?'} running` : ''}, ${plural(failedTasks, 'failed task')}`;
  const short = running !== undefined && desired !== undefined && running < desired;
  const deployCommand = `aws ecs describe-services --cluster ${q(cluster)} --services ${q(svc.name)} --query 'services[0].{deployments:deployments,circuitBreaker:deploymentConfiguration.deploymentCircuitBreaker}'`;
  let deployment: Evidence;
  if (primary?.rolloutState === 'FAILED') {
    deployment = { check: 'service-events', title: 'Deployment state', status: 'fail', detail: `${state}; ${cbText}; ${counts}.`, command: deployCommand };
  } else if (failedTasks > 0 && !cb?.enable) {
    deployment = {
      check: 'service-events',
      title: 'Deployment state',
      status: 'fail',
      detail: `${state}; ${counts}, and the ${cbText}: ECS keeps replacing failing tasks instead of stopping the rollout.`,
      command: deployCommand,
    };
  } else if (short && running === 0 && opts.taskRunning) {
    // A thin endpoint (moto, LocalStack) may report runningCount 0 while this very task runs.
    deployment = { check: 'service-events', title: 'Deployment state', status: 'skipped', detail: `${state}; ${cbText}; the endpoint reports 0 of ${desired} tasks running while this task of the service runs, so its counts were not trusted.`, command: deployCommand, causes: [] };
  } else if (short) {
    // A shortfall is a finding, but it does not say which cause stopped this task.
    deployment = {
      check: 'service-events',
      title: 'Deployment state',
      status: 'fail',
      detail: `${state}; ${cbText}; only ${running} of ${desired} desired tasks running, ${plural(failedTasks, 'failed task')}.`,
      command: deployCommand,
      causes: [],
    };
  } else if (running === undefined) {
    deployment = { check: 'service-events', title: 'Deployment state', status: 'skipped', detail: `${state}; ${cbText}; the endpoint did not report how many tasks run, so the rollout was not checked.`, command: deployCommand, causes: [] };
  } else {
    deployment = { check: 'service-events', title: 'Deployment state', status: 'pass', detail: `${state}; ${cbText}; ${counts}.`, command: deployCommand, causes: [] };
  }
  return [events, deployment];
}

/**
 * The events since ten minutes before the task was created, those about other tasks left out,
 * with the task's cluster in the commands.
 */
export const checkServiceEvents: Judge = async (facts) => {
  if (facts.serviceMissing) return [facts.serviceMissing];
  if (!facts.service) return [{ check: 'service-events', status: 'skipped', detail: 'The task was not started by a service.', causes: [] }];
  const since = facts.task.createdAt ? new Date(Date.parse(facts.task.createdAt) - 10 * 60_000).toISOString() : undefined;
  const cluster = facts.task.clusterArn !== undefined ? clusterNameOf(facts.task.clusterArn) : facts.cluster;
  return judgeService(facts.service, { ...(since ? { since } : {}), taskId: taskIdOf(facts.task.taskArn), cluster, taskRunning: facts.task.lastStatus === 'RUNNING' });
};
