/** The container health checks in the task definition (command, timing, startPeriod). */
import type { TaskDefFacts, TaskFacts } from '../facts';
import { fromTaskDef } from '../live';
import type { Evidence } from '../types';
import { capital } from './text';

/** The container health checks of the essential containers (startPeriod, timing). */
export function judgeContainerHealthChecks(td: TaskDefFacts, task?: TaskFacts): Evidence[] {
  const withCheck = td.containers.filter((c) => c.healthCheck);
  if (!withCheck.length) {
    return [{ check: 'container-health-check', status: 'pass', detail: 'No container defines a health check in the task definition (a HEALTHCHECK in the image is ignored by ECS).' }];
  }
  return withCheck.map((c) => {
    const h = c.healthCheck!;
    const interval = h.interval ?? 30;
    const timeout = h.timeout ?? 5;
    const retries = h.retries ?? 3;
    const start = h.startPeriod ?? 0;
    const live = task?.containers.find((x) => x.name === c.name);
    const problems: string[] = [];
    if (!h.command.length || !['CMD', 'CMD-SHELL', 'NONE'].includes(h.command[0]!)) problems.push('the command does not start with CMD or CMD-SHELL');
    if (h.command[0] === 'CMD' && h.command.length === 2 && /\s/.test(h.command[1]!)) {
      problems.push(`exec form with one argument containing spaces ("${h.command[1]}"): use CMD-SHELL or split the arguments`);
    }
    if (start === 0) problems.push(`no startPeriod, so failures count from the first second (unhealthy after about ${interval * retries} s)`);
    if (timeout >= interval) problems.push(`timeout ${timeout} s is not shorter than interval ${interval} s`);
    const shape = `${h.command[0] ?? '?'} "${h.command.slice(1).join(' ')}", interval ${interval} s, timeout ${timeout} s, retries ${retries}, startPeriod ${start} s`;
    const health = live?.healthStatus ? ` Last health status: ${live.healthStatus}.` : '';
    const title = `Health check of ${c.name}`;
    if (problems.length) return { check: 'container-health-check', title, status: 'fail', detail: `${capital(problems.join('; '))}. (${shape}.)${health}` };
    return { check: 'container-health-check', title, status: 'pass', detail: `${shape}.${health}` };
  });
}

export const checkContainerHealthChecks = fromTaskDef('container-health-check', (facts) => judgeContainerHealthChecks(facts.taskDef, facts.task));
