/**
 * The container health checks in the task definition, judged by the same lint rules the editor
 * and `ecs-doctor lint` use (src/core/taskdef/rules/healthCheck.ts), against what ECS last
 * reported: a container that is UNHEALTHY is never "pass", whatever its definition looks like.
 */
import { lintText } from '../../taskdef/lint';
import type { ContainerDefFacts, ServiceFacts, TaskDefFacts, TaskFacts } from '../facts';
import { fromTaskDef } from '../live';
import type { Evidence } from '../types';
import { plural } from './text';

/** Which cause of a failing container health check each lint rule speaks to. */
const RULE_CAUSE: Record<string, string> = {
  'health-check/no-start-period': 'no-start-period',
  'health-check/timeout-exceeds-interval': 'timeout-too-short',
  'health-check/command': 'command-broken',
  'health-check/exec-form-string': 'command-broken',
  'health-check/curl-without-fail': 'command-broken',
  'health-check/port-mismatch': 'command-broken',
  'health-check/range': 'command-broken',
};

/** The lint findings of one container's health check, as sentences (the container label dropped). */
export function healthCheckFindings(td: Pick<TaskDefFacts, 'networkMode' | 'requiresCompatibilities'>, c: ContainerDefFacts): Array<{ ruleId: string; message: string }> {
  const doc = {
    family: 'diagnosed',
    ...(td.networkMode ? { networkMode: td.networkMode } : {}),
    ...(td.requiresCompatibilities ? { requiresCompatibilities: td.requiresCompatibilities } : {}),
    containerDefinitions: [{ name: c.name, image: c.image ?? 'image', essential: c.essential !== false, portMappings: c.portMappings, healthCheck: c.healthCheck }],
  };
  return lintText(JSON.stringify(doc))
    .findings.filter((f) => f.ruleId.startsWith('health-check/') && f.ruleId !== 'health-check/missing')
    .map((f) => ({ ruleId: f.ruleId, message: f.message.replace(/^Container "[^"]*": /, '') }));
}

/** The grace period's part in a health-check verdict (it covers container health checks too). */
function graceText(service: ServiceFacts | undefined): string {
  if (!service) return '';
  const g = service.healthCheckGracePeriodSeconds;
  return g === undefined || g === 0
    ? ` The service ${service.name} has no health-check grace period (healthCheckGracePeriodSeconds 0), so failures count as soon as the task starts.`
    : ` The service ${service.name} ignores failing health checks for ${g} s after a task starts (healthCheckGracePeriodSeconds).`;
}

/** The container health checks of the task definition, against each container's last health status. */
export function judgeContainerHealthChecks(td: TaskDefFacts, task?: TaskFacts, service?: ServiceFacts): Evidence[] {
  const withCheck = td.containers.filter((c) => c.healthCheck);
  const unhealthyWithout = td.containers.filter((c) => !c.healthCheck && task?.containers.find((x) => x.name === c.name)?.healthStatus === 'UNHEALTHY');
  if (!withCheck.length && !unhealthyWithout.length) {
    return [{ check: 'container-health-check', status: 'pass', detail: 'No container defines a health check in the task definition (a HEALTHCHECK in the image is ignored by ECS).', causes: [] }];
  }
  return withCheck.map((c): Evidence => {
    const h = c.healthCheck!;
    const live = task?.containers.find((x) => x.name === c.name);
    const findings = healthCheckFindings(td, c);
    const shape = `${h.command[0] ?? '?'} "${h.command.slice(1).join(' ')}", interval ${h.interval ?? 30} s, timeout ${h.timeout ?? 5} s, retries ${h.retries ?? 3}, startPeriod ${h.startPeriod ?? 0} s`;
    const title = `Health check of ${c.name}`;
    // A container that is up and past its start is not failing for want of a startPeriod: that
    // finding stays in the lines, but it explains a start-up, not a running container.
    const running = live?.lastStatus === 'RUNNING';
    const causes = [...new Set(findings.map((f) => RULE_CAUSE[f.ruleId]).filter((x): x is string => x !== undefined && !(running && x === 'no-start-period')))];
    const lines = findings.map((f) => f.message);
    const command = `aws ecs describe-task-definition --task-definition ${td.arn ?? `${td.family}:${td.revision}`} --query 'taskDefinition.containerDefinitions[?name==\`${c.name}\`].healthCheck'`;
    if (live?.healthStatus === 'UNHEALTHY') {
      const verdict = findings.length
        ? `${c.name} is UNHEALTHY: its health check keeps failing, and the check itself has ${plural(findings.length, 'problem')}: ${findings.map((f) => f.message.split('. ')[0]).join('; ')}.`
        : `${c.name} is UNHEALTHY: its health check keeps failing, and the check itself looks sound, so the application is not answering it (see its logs).`;
      return { check: 'container-health-check', title, status: 'fail', detail: `${verdict} (${shape}.)${graceText(service)}`, causes, ...(lines.length ? { lines } : {}), command };
    }
    const health = live?.healthStatus ? ` Last health status: ${live.healthStatus}.` : '';
    if (findings.length) return { check: 'container-health-check', title, status: 'fail', detail: `${findings.map((f) => f.message.split('. ')[0]).join('; ')}. (${shape}.)${health}`, causes, lines, command };
    return { check: 'container-health-check', title, status: 'pass', detail: `${shape}.${health}`, command };
  }).concat(
    unhealthyWithout.map((c): Evidence => ({
      check: 'container-health-check',
      title: `Health check of ${c.name}`,
      status: 'fail',
      detail: `${c.name} is reported UNHEALTHY but the task definition gives it no health check: the task runs an older revision, or the endpoint reports health it does not compute.`,
      causes: [],
    })),
  );
}

export const checkContainerHealthChecks = fromTaskDef('container-health-check', (facts) => judgeContainerHealthChecks(facts.taskDef, facts.task, facts.service));
