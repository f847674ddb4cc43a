/**
 * The service doctor: from what the AWS layer gathered about one service to its report (verdict,
 * causes and fix steps, evidence, stopped groups, health-check arithmetic, memory, timeline). Pure;
 * the AWS layer (src/aws/diagnose/service.ts) gathers, the faces (CLI, webview) render.
 */
import { clusterNameOf, lastSegment, serviceNameOf } from '../../arn';
import type { TaskFacts } from '../facts';
import { plural, q } from '../judges/text';
import { healthArithmetic } from './arithmetic';
import { causesAndFixes } from './causes';
import { readEvents } from './events';
import { reasonText, summarizeTargets } from './loadBalancer';
import { readMemory } from './memory';
import { byCategory, groupStopped } from './stopped';
import { lintRunningTaskDef } from './taskdef';
import { buildTimeline } from './timeline';
import { HOUR_MS, iso } from './time';
import type { MemoryReading, Read, ServiceEvidence, ServiceGathered, ServiceReport, StoppedGroup } from './types';
import { decideVerdict, runningCountOf } from './verdict';

export * from './types';
export { rolledBackLately, stuckDeployment } from './glance';
export type { StuckDeployment } from './glance';
export { groupStopped, dominantGroup } from './stopped';
export { healthArithmetic } from './arithmetic';
export { readMemory } from './memory';
export { readEvent, meaningOfCodes } from './events';

function notChecked(check: ServiceEvidence['check'], title: string, r: Extract<Read<unknown>, { ok: false }>): ServiceEvidence {
  const ev: ServiceEvidence = { check, title, status: 'skipped', detail: `Not checked: ${r.reason}` };
  if (r.missingPermission) ev.missingPermission = r.missingPermission;
  if (r.command) ev.command = r.command;
  return ev;
}

export function diagnoseService(g: ServiceGathered): ServiceReport {
  const svc = g.service;
  const name = svc.serviceName ?? (svc.serviceArn ? serviceNameOf(svc.serviceArn) : '?');
  const c = q(clusterNameOf(g.cluster));
  const s = q(name);
  const events = readEvents(svc);
  const stopped: TaskFacts[] = g.stopped.ok ? g.stopped.value : [];
  const running: TaskFacts[] = g.running.ok ? g.running.value : [];
  const groups: StoppedGroup[] = g.stopped.ok ? (g.stoppedGroups ?? groupStopped(stopped, g.now)) : [];
  const td = g.taskDefinition.ok ? g.taskDefinition.value.facts : undefined;
  const targetGroups = g.targetGroups.map((t) => ({
    arn: t.arn,
    ...(t.group.ok && t.group.value ? { group: t.group.value } : {}),
    ...(t.health.ok ? { targets: t.health.value } : {}),
  }));
  const targetsRead = g.targetGroups.length > 0 && g.targetGroups.every((t) => t.health.ok);
  const unhealthyTargets = targetsRead ? targetGroups.reduce((n, t) => n + summarizeTargets(t.targets ?? []).unhealthy.length, 0) : undefined;

  const verdict = decideVerdict({
    name,
    now: g.now,
    service: svc,
    events,
    ...(g.stopped.ok ? { groups, stopped } : {}),
    ...(g.running.ok ? { running } : {}),
    ...(unhealthyTargets !== undefined ? { unhealthyTargets } : {}),
  });

  const lb = svc.loadBalancers?.[0];
  const arithmetic = healthArithmetic({
    ...(td ? { taskDef: td } : {}),
    ...(lb?.containerName ? { lbContainer: lb.containerName } : {}),
    ...(svc.healthCheckGracePeriodSeconds !== undefined ? { gracePeriod: svc.healthCheckGracePeriodSeconds } : {}),
    hasLoadBalancer: !!svc.loadBalancers?.length,
    ...(targetGroups[0]?.group ? { targetGroup: targetGroups[0].group } : {}),
    groups,
  });
  const lint = g.taskDefinition.ok ? lintRunningTaskDef(g.taskDefinition.value.document) : undefined;

  // Memory: only read for out-of-memory stops.
  const oom = groups.some((x) => x.category === 'OutOfMemoryError' || /137/.test(x.variant));
  let memory: MemoryReading | undefined;
  const limit = td ? (td.memory ? Number(td.memory) : td.containers.find((x) => x.memory)?.memory) : undefined;
  const reservation = td?.containers.find((x) => x.memoryReservation)?.memoryReservation;
  if (oom && g.memory?.ok) {
    // AWS/ECS MemoryUtilization's Maximum is the hungriest task's share of its own task definition's
    // memory, so it reads against one task's limit whatever the task count. Container Insights'
    // service MemoryUtilized (MiB) covers the service's tasks together: read against one task's
    // limit only when the service is known to run one task (desired and running both 1; the
    // series covers the last hour, so a service scaled down since is not one).
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_utilization.html
    const usable = (x: { points: unknown[] }) => x.points.length >= 4;
    const percent = g.memory.value.find((x) => x.unit === 'Percent' && usable(x));
    const mib = g.memory.value.find((x) => x.unit === 'MiB' && usable(x));
    const oneTask = svc.desiredCount === 1 && svc.runningCount === 1;
    const series = percent ?? (mib && oneTask ? mib : undefined);
    memory = readMemory(series, limit && Number.isFinite(limit) ? limit : undefined, reservation);
    if (!series && mib) {
      const pctSeries = g.memory.value.find((x) => x.unit === 'Percent');
      const why = pctSeries ? `AWS/ECS MemoryUtilization had ${pctSeries.points.length} data points, too few to read` : 'AWS/ECS MemoryUtilization was not returned';
      memory = {
        ...memory,
        text: `${why}, and Container Insights' MemoryUtilized for the service is its tasks' memory together (${svc.desiredCount ?? '?'} desired, ${svc.runningCount ?? '?'} running), which cannot be read against one task's limit.`,
      };
    }
  }

  const evidence: ServiceEvidence[] = [];
  // The service's counts.
  if (svc.desiredCount === undefined || svc.runningCount === undefined) evidence.push({ check: 'service', title: 'Running vs desired', status: 'skipped', detail: 'Not checked: DescribeServices did not report desiredCount and runningCount.' });
  else {
    const count = runningCountOf(svc, running) ?? svc.runningCount;
    const note = count !== svc.runningCount ? ` (DescribeServices reported runningCount 0; ${count} RUNNING tasks were listed)` : '';
    evidence.push({ check: 'service', title: 'Running vs desired', status: count < svc.desiredCount ? 'fail' : 'pass', detail: `${count} running of ${svc.desiredCount} desired${svc.pendingCount ? `, ${svc.pendingCount} pending` : ''}${note}.` });
  }
  // Deployments.
  if (!svc.deployments) evidence.push({ check: 'deployments', title: 'Deployments', status: 'skipped', detail: 'Not checked: DescribeServices did not report deployments.' });
  else {
    const lines = svc.deployments.map((d) => `${d.status ?? '?'} ${d.taskDefinition ? lastSegment(d.taskDefinition) : '?'}: ${d.rolloutState ?? 'no rollout state'}${d.rolloutStateReason ? ` (${d.rolloutStateReason})` : ''}, ${d.runningCount ?? '?'}/${d.desiredCount ?? '?'} running${d.failedTasks ? `, ${d.failedTasks} failed` : ''}`);
    const bad = verdict.kind === 'deployment-failed' || verdict.kind === 'deployment-stuck';
    const cb = svc.deploymentConfiguration?.deploymentCircuitBreaker;
    const cfg = svc.deploymentConfiguration;
    const detail = `${plural(svc.deployments.length, 'deployment')}; minimumHealthyPercent ${cfg?.minimumHealthyPercent ?? '?'}, maximumPercent ${cfg?.maximumPercent ?? '?'}; circuit breaker ${cb ? (cb.enable ? `on${cb.rollback ? ' with rollback' : ' without rollback'}` : 'off') : 'not reported'}.`;
    evidence.push({ check: 'deployments', title: 'Deployments', status: bad ? 'fail' : 'pass', detail, lines, command: `aws ecs describe-services --cluster ${c} --services ${s} --query 'services[0].deployments'` });
  }
  // Events.
  if (!svc.events) evidence.push({ check: 'events', title: 'Service events', status: 'skipped', detail: 'Not checked: DescribeServices did not report events.' });
  else {
    const problems = events.filter((e) => (e.at === undefined || e.at >= g.now - HOUR_MS) && ['unhealthy-target', 'failed-container-health', 'placement', 'deployment-failed', 'rolling-back', 'start-impaired'].includes(e.kind));
    evidence.push({
      check: 'events',
      title: 'Service events',
      status: problems.length ? 'fail' : 'pass',
      detail: problems.length ? `${plural(problems.length, 'problem event')} in the last hour (of ${events.length} kept).` : `No problem events in the last hour (${events.length} kept).`,
      lines: problems.slice(0, 5).map((e) => e.message),
      command: `aws ecs describe-services --cluster ${c} --services ${s} --query 'services[0].events[:20]'`,
    });
  }
  // Stopped tasks.
  const failuresLastHour = verdict.failuresLastHour;
  if (!g.stopped.ok) evidence.push(notChecked('stopped-tasks', 'Stopped tasks', g.stopped));
  else {
    const lastHour = groups.reduce((n, x) => n + x.lastHour, 0);
    evidence.push({
      check: 'stopped-tasks',
      title: 'Stopped tasks',
      status: failuresLastHour ? 'fail' : 'pass',
      detail: `${plural(lastHour, 'task')} stopped in the last hour, ${failuresLastHour} for a failure${verdict.sinceDeployment !== undefined ? ` (${verdict.sinceDeployment} since the last deployment)` : ''}; ${plural(groups.length, 'kind')} of stop.`,
      lines: groups.slice(0, 5).map((x) => `${x.count} × ${x.title}`),
      command: `aws ecs list-tasks --cluster ${c} --service-name ${s} --desired-status STOPPED`,
    });
  }
  // Running tasks' health.
  if (!g.running.ok) evidence.push(notChecked('running-tasks', 'Running tasks', g.running));
  else {
    const bad = running.filter((t) => t.healthStatus === 'UNHEALTHY');
    const unknown = running.filter((t) => !t.healthStatus || t.healthStatus === 'UNKNOWN').length;
    evidence.push({ check: 'running-tasks', title: 'Running tasks', status: bad.length ? 'fail' : 'pass', detail: `${plural(running.length, 'task')} running: ${bad.length} UNHEALTHY, ${running.length - bad.length - unknown} HEALTHY, ${unknown} UNKNOWN (no container health check, or not yet checked).`, lines: bad.slice(0, 5).map((t) => `${lastSegment(t.taskArn)}: ${t.containers.filter((x) => x.healthStatus === 'UNHEALTHY').map((x) => x.name).join(', ') || 'UNHEALTHY'}`) });
  }
  // Target health.
  for (const t of g.targetGroups) {
    const tgName = t.group.ok && t.group.value?.targetGroupName ? t.group.value.targetGroupName : lastSegment(t.arn.replace(/\/[0-9a-f]+$/, ''));
    if (!t.group.ok) evidence.push(notChecked('health-arithmetic', `Target group settings (${tgName})`, t.group));
    if (!t.health.ok) {
      evidence.push(notChecked('target-health', `Target health (${tgName})`, t.health));
      continue;
    }
    const sum = summarizeTargets(t.health.value);
    evidence.push({
      check: 'target-health',
      title: `Target health (${tgName})`,
      status: sum.unhealthy.length ? 'fail' : 'pass',
      detail: `${sum.healthy} healthy, ${sum.unhealthy.length} unhealthy, ${sum.initial} initial of ${sum.total} registered.`,
      lines: sum.unhealthy.slice(0, 5).map((x) => `${x.id ?? '?'}${x.port ? `:${x.port}` : ''} ${x.reason ?? ''}${x.description ? ` (${x.description})` : ''}: ${reasonText(x)}`),
      command: `aws elbv2 describe-target-health --target-group-arn ${q(t.arn)}`,
    });
  }
  // Arithmetic.
  if (!td && !svc.loadBalancers?.length) {
    if (!g.taskDefinition.ok) evidence.push(notChecked('health-arithmetic', 'Health-check arithmetic', g.taskDefinition));
  } else {
    const warn = arithmetic.lines.filter((x) => x.warn);
    evidence.push({ check: 'health-arithmetic', title: 'Health-check arithmetic', status: warn.length ? 'fail' : 'pass', detail: warn.length ? warn.map((x) => x.text).join(' ') : 'The grace period and health-check settings leave the app the time they declare.' });
  }
  // Task definition lint.
  if (!g.taskDefinition.ok) evidence.push(notChecked('task-definition', 'Running task definition', g.taskDefinition));
  else {
    const fs = lint?.findings ?? [];
    const serious = fs.filter((x) => x.severity !== 'info');
    evidence.push({
      check: 'task-definition',
      title: `Running task definition (${td?.arn ? lastSegment(td.arn) : 'PRIMARY'})`,
      status: serious.length ? 'fail' : 'pass',
      detail: fs.length ? `The linter finds ${plural(fs.length, 'problem')}.` : 'The linter finds nothing wrong.',
      lines: fs.slice(0, 8).map((x) => `${x.ruleId} (${x.severity}): ${x.message}`),
    });
  }
  // Memory.
  if (oom) {
    if (!g.memory) evidence.push({ check: 'memory', title: 'Memory over time', status: 'skipped', detail: 'Not checked.' });
    else if (!g.memory.ok) evidence.push(notChecked('memory', 'Memory over time', g.memory));
    else if (!memory || !g.memory.value.some((x) => x.points.length)) evidence.push({ check: 'memory', title: 'Memory over time', status: 'skipped', detail: 'Not checked: CloudWatch has no memory data for this service (Container Insights may be off).', command: `aws ecs update-cluster-settings --cluster ${c} --settings name=containerInsights,value=enabled` });
    else evidence.push({ check: 'memory', title: 'Memory over time', status: memory.pattern === 'unclear' ? 'pass' : 'fail', detail: memory.text, lines: [`source: ${memory.series?.source ?? '?'}`] });
  }
  // The dominant stop.
  const top = groups.find((x) => x.failure);
  let dominant: ServiceReport['dominant'];
  if (top && g.dominantDiagnosis) {
    const d = g.dominantDiagnosis.diagnosis;
    dominant = { group: `${top.category}/${top.variant}`, taskArn: top.newest.taskArn, title: d.title, summary: d.summary, ...(d.verdict ? { verdict: d.verdict } : {}) };
    evidence.push({ check: 'dominant-stop', title: 'Task diagnosis of the newest failed task', status: 'fail', detail: d.verdict ?? d.summary, lines: (d.evidence ?? []).filter((e) => e.status === 'fail').slice(0, 4).map((e) => `${e.check}: ${e.detail}`) });
  } else if (top) {
    evidence.push({ check: 'dominant-stop', title: 'Newest failed task', status: 'skipped', detail: `Not checked: the newest task of "${top.title}" could not be diagnosed.` });
  }

  // A healthy verdict carries no causes: what went wrong earlier stays in the evidence and the events.
  const { causes, fixes } = verdict.kind === 'healthy' ? { causes: [], fixes: [] } : causesAndFixes({
    cluster: g.cluster,
    name,
    now: g.now,
    service: svc,
    verdict,
    events,
    groups,
    arithmetic,
    targetGroups,
    ...(td ? { taskDef: td } : {}),
    ...(lint ? { lint } : {}),
    ...(memory ? { memory } : {}),
    ...(g.dominantDiagnosis ? { dominant: g.dominantDiagnosis } : {}),
  });

  const timeline = buildTimeline({ now: g.now, deployments: svc.deployments ?? [], events, stopped, running, groups });
  const report: ServiceReport = {
    service: name,
    cluster: g.cluster,
    region: g.region,
    generatedAt: new Date(g.now).toISOString(),
    verdict: { kind: verdict.kind, summary: verdict.summary, ...(verdict.why ? { why: verdict.why } : {}), ...(verdict.from ? { from: verdict.from } : {}), ...(verdict.to ? { to: verdict.to } : {}) },
    counts: {
      ...(svc.desiredCount !== undefined ? { desired: svc.desiredCount } : {}),
      ...(svc.runningCount !== undefined ? { running: svc.runningCount } : {}),
      ...(svc.pendingCount !== undefined ? { pending: svc.pendingCount } : {}),
    },
    stoppedTasks: {
      count: groups.reduce((n, x) => n + x.lastHour, 0),
      failuresLastHour,
      ...(verdict.sinceDeployment !== undefined ? { sinceDeployment: verdict.sinceDeployment } : {}),
      byCategory: byCategory(groups),
      groups,
      checked: g.stopped.ok,
    },
    deployments: (svc.deployments ?? []).map((d) => {
      const out: ServiceReport['deployments'][number] = {};
      const fields = { id: d.id, status: d.status, taskDefinition: d.taskDefinition, rolloutState: d.rolloutState, rolloutStateReason: d.rolloutStateReason, desiredCount: d.desiredCount, runningCount: d.runningCount, pendingCount: d.pendingCount, failedTasks: d.failedTasks, createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt) };
      for (const [k, val] of Object.entries(fields)) if (val !== undefined && val !== null) (out as Record<string, unknown>)[k] = val;
      return out;
    }),
    evidence,
    causes,
    fixes,
    arithmetic: arithmetic.lines,
    timeline,
    events: (svc.events ?? []).slice(0, 100).map((e) => ({ ...(iso(e.createdAt) ? { createdAt: iso(e.createdAt)! } : {}), message: e.message ?? '' })),
  };
  if (svc.serviceArn) report.serviceArn = svc.serviceArn;
  if (memory) report.memory = memory;
  if (dominant) report.dominant = dominant;
  return report;
}

/** Exit code for the CLI: 0 healthy, 1 any other verdict. */
export function serviceExitCode(r: ServiceReport): number {
  return r.verdict.kind === 'healthy' ? 0 : 1;
}
