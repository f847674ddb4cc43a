/** The stopped task's own record (describe-tasks), always read first. */
import type { TaskFacts } from '../facts';
import type { Judge } from '../live';
import type { Evidence } from '../types';
import { plural, q } from './text';

/**
 * The five describe-tasks fields that say why a task stopped, read first: lastStatus,
 * stoppedReason, stopCode, and each container's exitCode and reason. Always "pass": it is the
 * record itself.
 */
export function judgeTaskFields(task: TaskFacts): Evidence {
  const containers = task.containers.map((c) => {
    const exit = c.exitCode === null || c.exitCode === undefined ? (c.lastStatus === 'RUNNING' ? 'running' : 'no exit code (never started)') : `exit code ${c.exitCode}`;
    const reason = c.reason && c.reason !== task.stoppedReason ? `, reason "${c.reason}"` : '';
    return `${c.name}: ${c.lastStatus ?? '?'}, ${exit}${reason}${c.healthStatus && c.healthStatus !== 'UNKNOWN' ? `, health ${c.healthStatus}` : ''}`;
  });
  const code = task.stopCode ? `stopCode ${task.stopCode}` : 'no stopCode';
  return {
    check: 'task-fields',
    status: 'pass',
    detail: `lastStatus ${task.lastStatus ?? '?'}, ${code}${task.healthStatus && task.healthStatus !== 'UNKNOWN' ? `, health ${task.healthStatus}` : ''}; ${plural(task.containers.length, 'container')}.`,
    lines: containers,
    causes: [],
    command: `aws ecs describe-tasks --cluster ${q(task.clusterArn ?? '<cluster>')} --tasks ${q(task.taskArn)} --query 'tasks[0].{lastStatus:lastStatus,stoppedReason:stoppedReason,stopCode:stopCode,containers:containers[*].{name:name,reason:reason,exitCode:exitCode,lastStatus:lastStatus}}'`,
  };
}

export const checkTaskFields: Judge = async (facts) => [judgeTaskFields({ ...facts.task, clusterArn: facts.task.clusterArn ?? facts.cluster })];
